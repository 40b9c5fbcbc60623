// 422 invalid, with a message per field (docs/API.md): each bad body of each collection
// in a POST and in a PATCH, and rules that involve the stored record (the other errors:
// api-errors.test.mjs).  After each refused request the server is alive and the
// stored data are unchanged: the database's hash (SQLite) and the collection asked,
// through the API; every collection once more at the end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, assertInvalid } from './harness.mjs';

const srv = useServer();

const ACTION = { outcome: 1, title: { fr: 'Titre', en: 'Title' } };
const MEETING = { kind: 'forum', title: { en: 'M' }, start_date: '2025-05-02' };
const UPDATE = { action: 1, date: '2025-01-01', note: { en: 'n' } };

/** Runs fn (which sends bad requests), then checks alive + unchanged. */
async function refused(what, fn) {
  await srv.baseline();
  await fn();
  await srv.unchangedSinceBaseline(what);
}

test('the stored data before any bad request', () => srv.baseline());

// ---- 422 invalid -------------------------------------------------------------------

/** [collection, body, fields that must have a message] */
const INVALID = [
  // wrong types
  ['actions', { ...ACTION, percent: '50' }, ['percent']],
  ['actions', { ...ACTION, percent: true }, ['percent']],
  ['actions', { ...ACTION, percent: 50.5 }, ['percent']],
  ['actions', { ...ACTION, percent: [50] }, ['percent']],
  ['actions', { ...ACTION, outcome: '1' }, ['outcome']],
  ['actions', { ...ACTION, outcome: { id: 1 } }, ['outcome']],
  ['actions', { ...ACTION, title: 'plain text' }, ['title']],
  ['actions', { ...ACTION, title: ['x'] }, ['title']],
  ['actions', { ...ACTION, title: { en: 5 } }, ['title']],
  ['actions', { ...ACTION, title: { en: { deep: 'x' } } }, ['title']],
  ['actions', { ...ACTION, due_date: 20250101 }, ['due_date']],
  ['actions', { ...ACTION, status: 1 }, ['status']],
  ['actions', { ...ACTION, sample: 'true' }, ['sample']],
  ['actions', { ...ACTION, sample: 1 }, ['sample']],
  ['actions', { ...ACTION, source: 42 }, ['source']],
  ['meetings', { ...MEETING, cochairs: 1 }, ['cochairs']],
  ['meetings', { ...MEETING, cochairs: ['1'] }, ['cochairs']],
  ['meetings', { ...MEETING, edition: '1' }, ['edition']],
  ['outcomes', { meeting: 1, kind: 'result', text: { en: 't' }, themes: 'maritime_security' }, ['themes']],
  ['outcomes', { meeting: 1, kind: 'result', text: { en: 't' }, themes: [1] }, ['themes']],
  ['persons', { name: { en: 'x' } }, ['name']],
  ['organisations', { name: { en: 'x' }, country: 504 }, ['country']],
  ['organisations', { name: { en: 'x' }, type: 10 }, ['type']],
  // unknown fields
  ['actions', { ...ACTION, colour: 'red' }, ['colour']],
  ['actions', { ...ACTION, Title: { en: 'x' } }, ['Title']],
  ['actions', { ...ACTION, title_en: 'x' }, ['title_en']],
  // missing required
  ['actions', {}, ['outcome', 'title']],
  ['actions', { title: { en: 'x' } }, ['outcome']],
  ['actions', { outcome: 1 }, ['title']],
  ['actions', { ...ACTION, title: {} }, ['title']],
  ['actions', { ...ACTION, title: { en: '' } }, ['title']],
  ['actions', { ...ACTION, title: null }, ['title']],
  ['actions', { ...ACTION, title: { ar: 'عنوان فقط' } }, ['title']],
  ['meetings', { title: { en: 'M' } }, ['kind', 'start_date']],
  ['persons', { name: '' }, ['name']],
  ['countries', { name: { en: 'x' } }, ['code']],
  ['action_updates', { action: 1, date: '2025-01-01' }, ['note']],
  // too long
  ['actions', { ...ACTION, title: { en: 'x'.repeat(100000) } }, ['title']],
  ['actions', { ...ACTION, source: 'y'.repeat(100000) }, ['source']],
  ['persons', { name: 'z'.repeat(100000) }, ['name']],
  ['meetings', { ...MEETING, summary: { fr: 's'.repeat(100000) } }, ['summary']],
  // huge numbers
  ['actions', '{"outcome":1,"title":{"en":"x"},"percent":1e400}', ['percent']],
  ['actions', '{"outcome":1,"title":{"en":"x"},"percent":99999999999999999999}', ['percent']],
  ['actions', '{"outcome":1,"title":{"en":"x"},"percent":-99999999999999999999}', ['percent']],
  ['actions', '{"outcome":99999999999999999999,"title":{"en":"x"}}', ['outcome']],
  ['actions', { ...ACTION, percent: 9223372036854775807 }, ['percent']],
  ['actions', { ...ACTION, outcome: 9007199254740993 }, ['outcome']],
  ['actions', { ...ACTION, percent: 1e20 }, ['percent']],
  ['meetings', { ...MEETING, edition: 1e6 }, ['edition']],
  // negative numbers and out of range
  ['actions', { ...ACTION, percent: -1 }, ['percent']],
  ['actions', { ...ACTION, percent: 101 }, ['percent']],
  ['actions', { ...ACTION, outcome: -1 }, ['outcome']],
  ['actions', { ...ACTION, outcome: 0 }, ['outcome']],
  ['action_updates', { ...UPDATE, percent: -5 }, ['percent']],
  ['action_updates', { ...UPDATE, percent: 150 }, ['percent']],
  ['meetings', { ...MEETING, edition: 0 }, ['edition']],
  ['meetings', { ...MEETING, edition: 1001 }, ['edition']],
  ['meetings', { ...MEETING, edition: -3 }, ['edition']],
  ['outcomes', { meeting: 1, kind: 'result', text: { en: 't' }, number: 0 }, ['number']],
  // impossible dates
  ['actions', { ...ACTION, due_date: '2024-02-30' }, ['due_date']],
  ['actions', { ...ACTION, due_date: '2023-02-29' }, ['due_date']],
  ['actions', { ...ACTION, due_date: '1900-02-29' }, ['due_date']],
  ['actions', { ...ACTION, due_date: '2024-13-01' }, ['due_date']],
  ['actions', { ...ACTION, due_date: '2024-00-10' }, ['due_date']],
  ['actions', { ...ACTION, due_date: '2024-04-31' }, ['due_date']],
  ['actions', { ...ACTION, due_date: '2024-1-5' }, ['due_date']],
  ['actions', { ...ACTION, due_date: '05/01/2024' }, ['due_date']],
  ['actions', { ...ACTION, due_date: '2024-01-05T00:00:00Z' }, ['due_date']],
  ['actions', { ...ACTION, due_date: ' 2024-01-05' }, ['due_date']],
  ['actions', { ...ACTION, due_date: '2024-01-0x' }, ['due_date']],
  ['action_updates', { ...UPDATE, date: '2025-02-29' }, ['date']],
  ['meetings', { ...MEETING, start_date: '2024-02-30' }, ['start_date']],
  // bad enum / pattern
  ['actions', { ...ACTION, status: 'finished' }, ['status']],
  ['actions', { ...ACTION, status: 'DONE' }, ['status']],
  ['meetings', { ...MEETING, kind: 'party' }, ['kind']],
  ['outcomes', { meeting: 1, kind: 'wish', text: { en: 't' } }, ['kind']],
  ['organisations', { name: { en: 'x' }, type: '99' }, ['type']],
  ['countries', { code: 'mx', name: { en: 'x' } }, ['code']],
  ['countries', { code: 'XYZ', name: { en: 'x' } }, ['code']],
  ['countries', { code: 'XQ', iso3: 'xq', name: { en: 'x' } }, ['iso3']],
  ['countries', { code: 'XQ', m49: '12a', name: { en: 'x' } }, ['m49']],
  ['themes', { code: 'Bad Code', name: { en: 'x' } }, ['code']],
  ['themes', { code: 'a'.repeat(41), name: { en: 'x' } }, ['code']],
  ['themes', { code: '../etc', name: { en: 'x' } }, ['code']],
  // references to missing records
  ['actions', { ...ACTION, outcome: 999 }, ['outcome']],
  ['actions', { ...ACTION, owner: 999 }, ['owner']],
  ['action_updates', { ...UPDATE, action: 999 }, ['action']],
  ['organisations', { name: { en: 'x' }, country: 'QQ' }, ['country']],
  ['persons', { name: 'x', organisation: 77 }, ['organisation']],
  ['meetings', { ...MEETING, cochairs: [1, 99] }, ['cochairs']],
  ['meetings', { ...MEETING, delegations: [404] }, ['delegations']],
  ['meetings', { ...MEETING, country: 'QQ' }, ['country']],
  ['outcomes', { meeting: 99, kind: 'result', text: { en: 't' } }, ['meeting']],
  ['outcomes', { meeting: 1, kind: 'result', text: { en: 't' }, themes: ['no_such_theme'] }, ['themes']],
  // unknown language keys
  ['actions', { ...ACTION, title: { en: 'x', de: 'y' } }, ['title']],
  ['actions', { ...ACTION, title: { EN: 'x' } }, ['title']],
  ['actions', { ...ACTION, title: { 'fr-FR': 'x' } }, ['title']],
  ['actions', { ...ACTION, title: { en: 'x', '': 'y' } }, ['title']],
  ['meetings', { ...MEETING, framework: { es: 'x' } }, ['framework']],
  // end_date before start_date
  ['meetings', { ...MEETING, start_date: '2025-05-02', end_date: '2025-05-01' }, ['end_date']],
  ['meetings', { ...MEETING, start_date: '2025-01-01', end_date: '2024-12-31' }, ['end_date']],
  // several problems: one message per field
  ['actions', { outcome: 999, title: { de: 'x' }, percent: 101, status: 'x', due_date: '2024-02-30', extra: 1 },
    ['title', 'percent', 'status', 'due_date', 'extra']],
];

const show = (body) => String(typeof body === 'string' ? body : JSON.stringify(body)).replace(/(.)\1{30,}/g, (m, ch) => `${ch}×${m.length}`).slice(0, 110);

for (const [c, body, fields] of INVALID) {
  test(`422 POST /${c} ${show(body)}`, async () => {
    const r = await srv.post(`/api/v1/${c}`, body);
    assertInvalid(r, fields, `POST ${c} ${show(body)}`);
    await srv.unchangedSinceBaseline(`POST ${c} ${show(body)}`, [c]);
  });
}

// The same bodies in a PATCH (merge): fields the patch does not give are taken from
// the record, so only the fields under test are sent (not the key `code`).  A multilingual field is merged
// per language, so {} / {"en": ""} / {"ar": ...} leave a valid title: not checked.
const PATCH_TARGET = { actions: 3, meetings: 1, outcomes: 2, persons: 1, organisations: 2, action_updates: 4,
  countries: 'SN', themes: 'victims' };
const MERGED_OK = (body) => typeof body === 'object' && body.title && typeof body.title === 'object' &&
  !Array.isArray(body.title) && !Object.keys(body.title).some((k) => !['fr', 'en', 'ar'].includes(k)) &&
  Object.values(body.title).every((v) => typeof v === 'string' && v.length < 2000);
for (const [c, body, fields] of INVALID) {
  let patch = body;
  let want = fields;
  if (typeof body === 'object') {
    patch = Object.fromEntries(Object.entries(body).filter(([k]) => k !== 'code' &&
      (fields.includes(k) || (k === 'start_date' && fields.includes('end_date'))) && !(k === 'title' && MERGED_OK(body))));
    want = fields.filter((f) => f in patch);
    if (!want.length) continue;
  }
  test(`422 PATCH /${c}/${PATCH_TARGET[c]} ${show(patch)}`, async () => {
    const r = await srv.patch(`/api/v1/${c}/${PATCH_TARGET[c]}`, patch);
    assertInvalid(r, want, `PATCH ${c} ${show(patch)}`);
    await srv.unchangedSinceBaseline(`PATCH ${c} ${show(patch)}`, [c]);
  });
}

test('422 PATCH: rules that involve the stored record', async () => {
  await refused('422 PATCH stored', async () => {
    // the end date of meeting 1 (2024-09-26) before its start, or its start after its end
    assertInvalid(await srv.patch('/api/v1/meetings/1', { end_date: '2024-09-25' }), ['end_date'], 'PATCH end_date');
    assertInvalid(await srv.patch('/api/v1/meetings/1', { start_date: '2024-09-27' }), ['end_date'], 'PATCH start_date');
    // a required multilingual field cannot lose both French and English
    assertInvalid(await srv.patch('/api/v1/actions/3', { title: { fr: null, en: null } }), ['title'], 'PATCH title fr+en null');
    assertInvalid(await srv.patch('/api/v1/actions/3', { title: { fr: '', en: '' } }), ['title'], 'PATCH title fr+en empty');
    assertInvalid(await srv.patch('/api/v1/actions/3', { outcome: null }), ['outcome'], 'PATCH outcome null');
    assertInvalid(await srv.patch('/api/v1/actions/3', { status: null }), ['status'], 'PATCH status null');
    assertInvalid(await srv.patch('/api/v1/meetings/1', { kind: null }), ['kind'], 'PATCH kind null');
  });
});

test('the 422 messages are readable sentences, not codes', async () => {
  const r = await srv.post('/api/v1/actions', { ...ACTION, percent: 101, due_date: '2024-02-30', outcome: 999 });
  const f = assertInvalid(r, ['percent', 'due_date'], 'messages');
  for (const m of Object.values(f)) assert.match(m, /^[a-z].{5,}/i);
  assert.match(f.percent, /0.*100/);
});

test('after every refused request, every collection as it was', () => srv.unchangedSinceBaseline('at the end'));

test('server stops cleanly (exit 0, no sanitizer report)', async () => {
  await srv.stop();
});

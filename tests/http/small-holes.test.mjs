// Issue 12, items 7 and 13 (c, d): CSV exports guard text cells but never typed
// numbers; a required text of spaces only is missing (422, every entity, the
// multilingual ones too, API and pages); every 401 of the API says `unauthorized`.
// Both backends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, assertError, assertInvalid, parseCsv } from './harness.mjs';

const srv = useServer();

/** The CSV of a collection as rows of objects keyed by the header row. */
async function csvRecords(collection) {
  const r = await srv.get(`/api/v1/${collection}.csv`);
  assert.equal(r.status, 200, `${collection}.csv: ${r.status}`);
  const [head, ...rows] = parseCsv(r.text.replace(/^\uFEFF/, ''));
  return rows.filter((row) => row.length > 1).map((row) => Object.fromEntries(head.map((h, i) => [h, row[i]])));
}

async function created(collection, body) {
  const r = await srv.post(`/api/v1/${collection}`, body);
  assert.equal(r.status, 201, `POST ${collection}: ${r.status} ${r.text.slice(0, 300)}`);
  return r.json;
}

// Item 7: -12345 came out as '-12345 (text to a spreadsheet), and a text starting
// with TAB or CR then = went out unguarded.  The existing CSV tests only had positive
// amounts and texts starting with = itself.
test('CSV: negative amounts stay numbers; texts starting with = + - @ TAB CR are guarded', async () => {
  const programme = (await created('programmes', { title: { en: 'CSV guard programme' }, currency: 'EUR' })).id;
  const texts = ['\t=1+2', '\r=HYPERLINK("http://example.org")', '-2+3', '@SUM(A1)', '+33 1 23 45', '=cmd'];
  const ids = [];
  for (const [i, t] of texts.entries()) {
    ids.push((await created('transactions', {
      programme, kind: 'expenditure', date: '2025-03-0' + (i + 1), amount: -12345 - i, currency: 'EUR',
      description: { en: t }, reference: t,
    })).id);
  }
  const rows = new Map((await csvRecords('transactions')).map((r) => [Number(r.id), r]));
  for (const [i, t] of texts.entries()) {
    const row = rows.get(ids[i]);
    assert.ok(row, `transaction ${ids[i]} in the CSV`);
    assert.equal(row.amount, String(-12345 - i), 'the amount, a number');
    assert.equal(row.date, `2025-03-0${i + 1}`, 'the date as it is');
    assert.equal(row.programme, String(programme), 'the programme\'s number as it is');
    assert.equal(row.description_en, `'${t}`, `the text ${JSON.stringify(t)} guarded`);
    assert.equal(row.reference, `'${t}`, `the reference ${JSON.stringify(t)} guarded`);
  }
  // A negative indicator value (a baseline or an actual) is a number too.
  const result = await created('results', { programme, level: 'output', title: { en: 'CSV guard result' } });
  const indicator = await created('indicators', { result: result.id, title: { en: 'CSV guard indicator' }, baseline: -40 });
  const ind = (await csvRecords('indicators')).find((r) => Number(r.id) === indicator.id);
  assert.equal(ind.baseline, '-40');
});

// Item 13c: "   " passed as a title, a name or a language of a multilingual field.
test('a required text of spaces only is refused (422 on the field), in every language of a multilingual one', async () => {
  const blanks = ['   ', '\t', ' \u00a0 ', '\u3000'];
  for (const b of blanks) {
    // a multilingual required field given as spaces only (organisations: name)
    assertInvalid(await srv.post('/api/v1/organisations', { name: { en: b } }), ['name'], `organisation name ${JSON.stringify(b)}`);
    assertInvalid(await srv.post('/api/v1/organisations', { name: { fr: b, en: b } }), ['name'], 'both languages of spaces');
    // a plain required text (participants: family_name) and a required code
    assertInvalid(await srv.post('/api/v1/participants', { family_name: b, country: 'MA' }), ['family_name'], `participant family_name ${JSON.stringify(b)}`);
    assertInvalid(await srv.post('/api/v1/themes', { code: b, name: { en: 'x' } }), ['code'], `theme code ${JSON.stringify(b)}`);
  }
  // A PATCH to spaces only is refused too and changes nothing.
  const org = await created('organisations', { name: { en: 'Blank test organisation' } });
  const r = await srv.patch(`/api/v1/organisations/${org.id}`, { name: { en: '  ', fr: ' ' } });
  assertInvalid(r, ['name'], 'PATCH name to spaces');
  const now = await srv.getJSON(`/api/v1/organisations/${org.id}`);
  assert.equal(now.name.en, 'Blank test organisation');
  // A language of spaces beside a real text is no text in that language.
  const two = await created('organisations', { name: { en: 'Real name', fr: '   ' } });
  assert.equal(two.name.fr ?? null, null, `the French name of spaces is not kept: ${JSON.stringify(two.name)}`);
  // The page form: the same refusal, with the field's error shown.
  const s = await srv.login();
  s.jar.set('lang', 'en');
  const page = await s.form('/organisations/new', { 'name.en': '    ', 'name.fr': ' ' });
  assert.equal(page.status, 422, `the page: ${page.status}`);
  assert.match(page.text, /needs a French or an English text/);
});

// Item 13d: /api/v1/training/check answered 401 with code `forbidden`.  The auth tests
// checked its status for the public, not its code.
test('every 401 of the API says unauthorized, with WWW-Authenticate', async () => {
  const check = await srv.get('/api/v1/training/check', { auth: false });
  assertError(check, 401, 'unauthorized', 'training/check without a session');
  assert.match(check.headers.get('www-authenticate') || '', /^Bearer/);
  // Every path the OpenAPI document names, and every collection's CSV, without
  // credentials: a 401 is `unauthorized`.
  const doc = await srv.getJSON('/api/v1/openapi.json');
  const paths = Object.keys(doc.paths).map((p) => p.replace(/\{[^}]+\}/g, '1'));
  let seen = 0;
  for (const p of ['/', ...paths, '/training/check', '/training/summary']) {
    const r = await srv.get(`/api/v1${p}`, { auth: false });
    if (r.status !== 401) continue;
    seen++;
    assertError(r, 401, 'unauthorized', `GET /api/v1${p} without credentials`);
    assert.match(r.headers.get('www-authenticate') || '', /^Bearer/, `WWW-Authenticate on /api/v1${p}`);
  }
  assert.ok(seen > 10, `most of the API needs a sign-in (${seen} paths answered 401)`);
  // A revoked or unknown token is the same 401.
  assertError(await srv.get('/api/v1/training/check', { auth: 'suivi_' + 'A'.repeat(43) }), 401, 'unauthorized', 'unknown token');
});

test('server stops cleanly', () => srv.stop());

// Every error of docs/API.md: 400 bad_json / bad_query, 404, 405 (Allow), 409, 412,
// 413 (Content-Length and chunked), 415, 422 with a message per field.  After
// each refused request the server is alive and the stored data are unchanged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, assertError, assertInvalid } from './harness.mjs';

const srv = useServer();

const MiB = 1024 * 1024;
const ACTION = { outcome: 1, title: { fr: 'Titre', en: 'Title' } };
const MEETING = { kind: 'forum', title: { en: 'M' }, start_date: '2025-05-02' };
const UPDATE = { action: 1, date: '2025-01-01', note: { en: 'n' } };

/** Runs fn (which sends bad requests), then checks alive + unchanged. */
async function refused(what, fn) {
  await srv.baseline();
  await fn();
  await srv.unchangedSinceBaseline(what);
}

// ---- 404 -------------------------------------------------------------------------

test('404 not_found: unknown collection, key or route, for every method', async () => {
  await refused('404s', async () => {
    for (const [m, u] of [
      ['GET', '/api/v1/nosuch'], ['POST', '/api/v1/nosuch'], ['GET', '/api/v1/nosuch/1'],
      ['PATCH', '/api/v1/nosuch/1'], ['DELETE', '/api/v1/nosuch/1'], ['GET', '/api/v1/actions/424242'],
      ['PATCH', '/api/v1/actions/424242'], ['DELETE', '/api/v1/actions/424242'],
      ['GET', '/api/v1/countries/QZ'], ['DELETE', '/api/v1/countries/QZ'], ['GET', '/api/v1/actions/1/x'],
      ['DELETE', '/api/v1/actions/1/x'], ['GET', '/api/v1/actions/'], ['GET', '/api/v1/actions.csv/1'],
    ]) {
      const r = await srv.request(m, u, m === 'PATCH' || m === 'POST' ? { json: { percent: 1 } } : {});
      assertError(r, 404, 'not_found', `${m} ${u}`);
    }
    // outside the API the 404 may be a page
    assert.equal((await srv.get('/nosuch/page')).status, 404);
  });
});

// ---- 405 -------------------------------------------------------------------------

test('405 method_not_allowed with an Allow header', async () => {
  await refused('405s', async () => {
    const cases = [
      ['PUT', '/api/v1/actions/1', ['GET', 'PATCH', 'DELETE']],
      ['POST', '/api/v1/actions/1', ['GET', 'PATCH', 'DELETE']],
      ['PATCH', '/api/v1/actions', ['GET', 'POST']],
      ['DELETE', '/api/v1/actions', ['GET', 'POST']],
      ['PUT', '/api/v1/actions', ['GET', 'POST']],
      ['POST', '/api/v1/', ['GET']],
      ['DELETE', '/api/v1/', ['GET']],
      ['POST', '/api/v1/openapi.json', ['GET']],
      ['POST', '/api/v1/actions.csv', ['GET']],
      ['DELETE', '/api/v1/actions.csv', ['GET']],
    ];
    for (const [m, u, allow] of cases) {
      const r = await srv.request(m, u, { json: ACTION });
      assertError(r, 405, 'method_not_allowed', `${m} ${u}`);
      const got = (r.headers.get('allow') || '').split(',').map((s) => s.trim()).filter(Boolean);
      assert.deepEqual(got.sort(), [...allow].sort(), `Allow for ${m} ${u}: ${r.headers.get('allow')}`);
      assert.ok(!got.includes(m), `${m} is not in Allow`);
    }
  });
});

// ---- 409 / 412 -------------------------------------------------------------------

test('409 conflict: duplicate key, delete of a record others refer to', async () => {
  await refused('409s', async () => {
    assertError(await srv.post('/api/v1/countries', { code: 'SN', name: { en: 'Senegal again' } }), 409, 'conflict', 'dup SN');
    assertError(await srv.post('/api/v1/themes', { code: 'victims', name: { en: 'again' } }), 409, 'conflict', 'dup theme');
    const r = await srv.del('/api/v1/outcomes/2');
    const err = assertError(r, 409, 'conflict', 'DELETE outcome 2');
    assert.match(err.message, /action/i, 'the message names who refers to it');
  });
});

test('412 precondition_failed: stale If-Match on PATCH and DELETE', async () => {
  const cur = await srv.get('/api/v1/actions/5');
  const tag = cur.headers.get('etag');
  assert.match(tag, /^"\d+"$/);
  const stale = `"${Number(tag.slice(1, -1)) + 1}"`;
  await refused('412s', async () => {
    assertError(await srv.patch('/api/v1/actions/5', { percent: 1 }, { headers: { 'If-Match': stale } }), 412, 'precondition_failed', 'PATCH');
    assertError(await srv.del('/api/v1/action_updates/13', { headers: { 'If-Match': '"42"' } }), 412, 'precondition_failed', 'DELETE');
    assertError(await srv.patch('/api/v1/countries/MA', { name: { en: 'x' } }, { headers: { 'If-Match': '"7"' } }), 412, 'precondition_failed', 'PATCH MA');
  });
});

// ---- 413 -------------------------------------------------------------------------

function paddedAction(size) {
  const base = JSON.stringify(ACTION);
  return Buffer.from(base + ' '.repeat(size - Buffer.byteLength(base)));
}

// Answered before the body is sent when the client waits for leave to send it
// (Expect: 100-continue) or when the body is too big to read and drop (over
// 64 MiB); otherwise the server reads and drops it, see the next test.
test('413 too_large: Content-Length over 1 MiB, answered before the body is sent', async () => {
  await refused('413 content-length', async () => {
    for (const [m, u] of [['POST', '/api/v1/actions'], ['PATCH', '/api/v1/actions/1']]) {
      for (const n of [MiB + 1, 3 * MiB, 10 * 1024 * MiB]) {
        for (const expect of n > 64 * MiB ? [false, true] : [true]) {
          const head = `${m} ${u} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
            `Content-Length: ${n}\r\n${expect ? 'Expect: 100-continue\r\n' : ''}\r\n`;
          const r = await srv.raw(Buffer.from(head), { timeout: 5000 });
          assertError(r, 413, 'too_large', `${m} ${u} Content-Length ${n}${expect ? ' Expect: 100-continue' : ''}`);
        }
      }
    }
  });
});

test('413 too_large: a client that sends the whole body at once (fetch) gets the 413', async () => {
  // RFC 9112 §9.6: closing at once while the request body is still arriving resets the
  // connection and the client loses the response (fetch: EPIPE / ECONNRESET).  The server
  // must drain (or linger on) the body it refuses.  40 tries of 4 MiB, all must see the 413.
  await refused('413 fetch', async () => {
    const fails = [];
    for (let i = 0; i < 40; i++) {
      try {
        const r = await srv.request('POST', '/api/v1/actions', { body: paddedAction(4 * MiB), headers: { 'Content-Type': 'application/json' } });
        if (r.status !== 413) fails.push(r.status);
      } catch (e) {
        fails.push(e.cause?.code || e.message);
      }
    }
    assert.equal(fails.length, 0, `${fails.length} of 40 POSTs of 4 MiB did not receive the 413: ${[...new Set(fails)].join(' ')}`);
  });
});

test('413 too_large: a body over 1 MiB sent chunked', async () => {
  await refused('413 chunked', async () => {
    const r = await srv.rawRequest('POST', '/api/v1/actions', { chunked: true, body: paddedAction(MiB + 10),
      headers: { 'Content-Type': 'application/json' } });
    assertError(r, 413, 'too_large', 'chunked POST');
    const p = await srv.rawRequest('PATCH', '/api/v1/actions/1', { chunked: true, body: paddedAction(2 * MiB),
      headers: { 'Content-Type': 'application/json' } });
    assertError(p, 413, 'too_large', 'chunked PATCH');
  });
});

test('a body of exactly 1 MiB is accepted (201)', async () => {
  const r = await srv.request('POST', '/api/v1/actions', { body: paddedAction(MiB), headers: { 'Content-Type': 'application/json' } });
  assert.equal(r.status, 201, r.text);
  assert.equal((await srv.del(`/api/v1/actions/${r.json.id}`)).status, 204);
});

// ---- 415 -------------------------------------------------------------------------

test('415 unsupported_media_type: writes without Content-Type: application/json', async () => {
  await refused('415s', async () => {
    const body = JSON.stringify(ACTION);
    for (const ct of [null, 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x',
      'application/jsonx', 'application/json-patch+json', 'text/json', 'application']) {
      for (const [m, u] of [['POST', '/api/v1/actions'], ['PATCH', '/api/v1/actions/1']]) {
        const headers = ct ? { 'Content-Type': ct } : {};
        // fetch adds text/plain to string bodies; send bytes to leave it out
        const r = ct ? await srv.request(m, u, { body, headers })
          : await srv.rawRequest(m, u, { body, headers });
        assertError(r, 415, 'unsupported_media_type', `${m} ${u} Content-Type ${ct}`);
      }
    }
  });
  for (const ct of ['application/json; charset=utf-8', 'Application/JSON', 'application/json;charset=UTF-8']) {
    const r = await srv.request('POST', '/api/v1/actions', { body: JSON.stringify(ACTION), headers: { 'Content-Type': ct } });
    assert.equal(r.status, 201, `${ct}: ${r.text}`);
    await srv.del(`/api/v1/actions/${r.json.id}`);
  }
});

// ---- 400 bad_json ----------------------------------------------------------------

test('400 bad_json: malformed JSON, non-object JSON, empty body', async () => {
  await refused('bad_json', async () => {
    const bodies = ['{', '{"outcome":1,', '{"outcome":1,}', "{'outcome':1}", '{"outcome":01}', 'nul',
      '{"title":{"en":"x"}} trailing', '{"a":1}{"b":2}', '[]', '[{"outcome":1}]', '"text"', '42', 'null',
      'true', '', ' ', '\n', '{"a":NaN}', '{"a":Infinity}', '{"a":"\\x41"}', '{"a":"unterminated}', '\ufeff{}',
      '{"title":{"en":"a\\u0000b"}}', '{"a":"\\ud800"}'];
    for (const b of bodies) {
      for (const [m, u] of [['POST', '/api/v1/actions'], ['PATCH', '/api/v1/actions/1']]) {
        const r = await srv.request(m, u, { body: b, headers: { 'Content-Type': 'application/json' } });
        assertError(r, 400, 'bad_json', `${m} ${JSON.stringify(b)}`);
      }
    }
  });
});

test('400 bad_json: a body that is not valid UTF-8', async () => {
  await refused('bad utf-8', async () => {
    const bad = [
      Buffer.from([0xff, 0xfe, 0x7b, 0x7d]),
      Buffer.concat([Buffer.from('{"outcome":1,"title":{"en":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}}')]),
      Buffer.concat([Buffer.from('{"outcome":1,"title":{"en":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}}')]),
      Buffer.concat([Buffer.from('{"outcome":1,"title":{"en":"'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}}')]),
      Buffer.concat([Buffer.from('{"outcome":1,"title":{"en":"'), Buffer.from([0xf4, 0x90, 0x80, 0x80]), Buffer.from('"}}')]),
      Buffer.concat([Buffer.from('{"outcome":1,"title":{"en":"abc'), Buffer.from([0xe2, 0x82]), Buffer.from('"}}')]),
      Buffer.concat([Buffer.from('{"outcome":1,"title":{"en":"x"},"'), Buffer.from([0xfe]), Buffer.from('":1}')]),
      Buffer.concat([Buffer.from('{"outcome":1,"title":{"en":"a'), Buffer.from([0x00]), Buffer.from('b"}}')]),
    ];
    for (const b of bad) {
      const r = await srv.request('POST', '/api/v1/actions', { body: b, headers: { 'Content-Type': 'application/json' } });
      assertError(r, 400, 'bad_json', `POST bytes ${b.toString('hex')}`);
      const raw = await srv.rawRequest('PATCH', '/api/v1/actions/2', { body: b, headers: { 'Content-Type': 'application/json' } });
      assertError(raw, 400, 'bad_json', `PATCH bytes ${b.toString('hex')}`);
    }
  });
});

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
    await srv.unchangedSinceBaseline(`POST ${c} ${show(body)}`);
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
    await srv.unchangedSinceBaseline(`PATCH ${c} ${show(patch)}`);
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

test('server stops cleanly (exit 0, no sanitizer report)', async () => {
  await srv.stop();
});

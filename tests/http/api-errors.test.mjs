// Every error of docs/API.md: 400 bad_json / bad_query, 404, 405 (Allow), 409, 412,
// 413 (Content-Length and chunked), 415 (422 with a message per field:
// api-errors-invalid.test.mjs).  After each refused request the server is alive
// and the stored data are unchanged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, assertError } from './harness.mjs';

const srv = useServer();

const MiB = 1024 * 1024;
const ACTION = { outcome: 1, title: { fr: 'Titre', en: 'Title' } };

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


test('server stops cleanly (exit 0, no sanitizer report)', async () => {
  await srv.stop();
});

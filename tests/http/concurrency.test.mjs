// Concurrent writes through one server (its worker threads each have their own
// database connection): a version given in If-Match is spent once — of two
// requests racing with it exactly one succeeds, the other gets 412 — and a key is
// created once.  Runs on both backends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, assertError, same } from './harness.mjs';

const srv = useServer();

async function created(collection, body) {
  const r = await srv.post(`/api/v1/${collection}`, body);
  assert.equal(r.status, 201, `POST ${collection}: ${r.status} ${r.text}`);
  return r.json;
}

test('two PATCHes racing with the same If-Match: exactly one wins, the other gets 412', async () => {
  const x = await created('actions', { outcome: 1, title: { en: 'Race in one process' } });
  for (let round = 0; round < 20; round++) {
    const version = round + 1;
    const rs = await Promise.all([1, 2].map((k) =>
      srv.patch(`/api/v1/actions/${x.id}`, { percent: 2 * round + k }, { headers: { 'If-Match': `"${version}"` } })));
    assert.deepEqual(rs.map((r) => r.status).sort(), [200, 412],
      `round ${round}: If-Match "${version}" spent once; got ${rs.map((r) => `${r.status} ${r.text.slice(0, 160)}`).join(' / ')}`);
    const won = rs.find((r) => r.status === 200);
    assertError(rs.find((r) => r.status === 412), 412, 'precondition_failed', `round ${round}`);
    assert.equal(won.json.version, version + 1);
    same(await srv.getJSON(`/api/v1/actions/${x.id}`), won.json, `round ${round}: the stored record is the winner's`);
  }
});

test('a DELETE and a PATCH racing with the same If-Match: exactly one wins', async () => {
  for (let round = 0; round < 10; round++) {
    const x = await created('action_updates', { action: 2, date: '2030-02-02', note: { en: `race ${round}` } });
    const [d, p] = await Promise.all([
      srv.del(`/api/v1/action_updates/${x.id}`, { headers: { 'If-Match': '"1"' } }),
      srv.patch(`/api/v1/action_updates/${x.id}`, { note: { en: 'patched' } }, { headers: { 'If-Match': '"1"' } }),
    ]);
    const now = await srv.get(`/api/v1/action_updates/${x.id}`);
    if (d.status === 204) {
      assert.ok(p.status === 412 || p.status === 404, `round ${round}: deleted, so the PATCH fails: ${p.status} ${p.text}`);
      assert.equal(now.status, 404, `round ${round}: deleted`);
    } else {
      assert.equal(p.status, 200, `round ${round}: neither won: DELETE ${d.status} ${d.text}, PATCH ${p.status} ${p.text}`);
      assertError(d, 412, 'precondition_failed', `round ${round}: the PATCH won, the DELETE is stale`);
      same(now.json, p.json, `round ${round}: the stored record is the PATCH's`);
    }
  }
});

test('POSTs racing with the same key: one 201, the others 409, one record', async () => {
  for (let round = 0; round < 5; round++) {
    const code = `race_theme_${round}`;
    const rs = await Promise.all([1, 2, 3, 4].map((k) =>
      srv.post('/api/v1/themes', { code, name: { en: `Theme ${k}` } })));
    const st = rs.map((r) => r.status).sort();
    assert.deepEqual(st, [201, 409, 409, 409], `round ${round}: ${rs.map((r) => `${r.status} ${r.text.slice(0, 120)}`).join(' / ')}`);
    for (const r of rs.filter((x) => x.status === 409)) assertError(r, 409, 'conflict', `round ${round}`);
    const won = rs.find((r) => r.status === 201);
    same(await srv.getJSON(`/api/v1/themes/${code}`), won.json, `round ${round}: the stored theme is the winner's`);
  }
});

test('concurrent POSTs: every record stored once, ids distinct', async () => {
  const before = (await srv.getJSON('/api/v1/organisations?limit=0')).total;
  const rs = await Promise.all(Array.from({ length: 40 }, (_, i) =>
    srv.post('/api/v1/organisations', { name: { en: `Concurrent ${i}` }, type: '21', country: 'SN' })));
  for (const r of rs) assert.equal(r.status, 201, `${r.status} ${r.text}`);
  assert.equal(new Set(rs.map((r) => r.json.id)).size, 40, 'distinct ids');
  const all = await srv.all('organisations');
  assert.equal(all.length, before + 40);
  for (const r of rs) same(all.find((o) => o.id === r.json.id), r.json, `organisation ${r.json.id}`);
});

test('server stops cleanly', () => srv.stop());

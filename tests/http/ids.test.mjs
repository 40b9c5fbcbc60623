// Ids of deleted records are never given again (docs/API.md): not after a DELETE of
// the last record, not after `suivi demo` puts back a demo record that was deleted
// (a record inserted with its id given must not move the id generator back).
// Runs on both backends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, cli } from './harness.mjs';

const srv = useServer();

async function created(collection, body) {
  const r = await srv.post(`/api/v1/${collection}`, body);
  assert.equal(r.status, 201, `POST ${collection}: ${r.status} ${r.text}`);
  return r.json;
}
const update = (n) => ({ action: 1, date: '2030-01-01', note: { en: `ids ${n}` } });

test('the id of a deleted last record is not given again', async () => {
  const a = await created('action_updates', update(1));
  const b = await created('action_updates', update(2));
  assert.ok(b.id > a.id);
  for (const x of [b, a]) assert.equal((await srv.del(`/api/v1/action_updates/${x.id}`)).status, 204);
  const c = await created('action_updates', update(3));
  assert.ok(c.id > b.id, `new id ${c.id} > ${b.id}, the highest ever given`);
});

test('`suivi demo` putting back a deleted demo record does not move ids back', async () => {
  const list = await srv.all('action_updates');
  const demoLast = Math.max(...list.filter((u) => u.id <= 13).map((u) => u.id)); // the demo's updates are 1..13
  assert.equal(demoLast, 13);
  const a = await created('action_updates', update(4));
  const b = await created('action_updates', update(5));
  for (const x of [b, a]) assert.equal((await srv.del(`/api/v1/action_updates/${x.id}`)).status, 204);
  assert.equal((await srv.del('/api/v1/action_updates/13')).status, 204, 'delete a demo record');
  const r = cli(['demo', '--db', srv.db]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal((await srv.get('/api/v1/action_updates/13')).status, 200, 'demo put it back, with its id');
  const c = await created('action_updates', update(6));
  assert.ok(c.id > b.id, `new id ${c.id} > ${b.id}, the highest ever given (demo moved the id generator back)`);
});

test('server stops cleanly', () => srv.stop());

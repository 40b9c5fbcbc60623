// Several `suivi serve` processes share one database — a PostgreSQL database, or one
// SQLite file on one machine — and hold no state (DESIGN.md §7): a write through one
// is seen at once through the other — GET list, GET one, CSV and pages, although each
// process keeps a response cache (keyed by the change counter kept in the database,
// which on SQLite is read again only when the WAL-index header has changed) — and a
// stale If-Match is refused (412) across processes, also when two processes race with
// the same version.  A write by the command line, a third process, is seen at once
// too.  Both backends.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { cli, tempDir, tempDb, dropTempDbs, startServer, assertError, same } from './harness.mjs';

const skip = false;

let dir = null;
let db = null;
let a = null; // two processes on the same database
let b = null;

before(async () => {
  dir = tempDir();
  db = tempDb(dir, 'shared');
  const made = cli(['demo', '--db', db]);
  assert.equal(made.status, 0, `suivi demo: ${made.stderr}`);
  a = await startServer({ db });
  b = await startServer({ db });
});
after(async () => {
  for (const s of [a, b]) if (s) await s.cleanup();
  dropTempDbs();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function created(srv, collection, body) {
  const r = await srv.post(`/api/v1/${collection}`, body);
  assert.equal(r.status, 201, `POST ${collection}: ${r.status} ${r.text}`);
  return r.json;
}

test('both processes answer the same data', { skip }, async () => {
  assert.notEqual(a.port, b.port);
  for (const c of ['countries', 'organisations', 'actions', 'action_updates']) {
    same(await b.all(c), await a.all(c), `${c} through the second process`);
  }
});

test('a POST through one process is seen at once through the other (list, one, CSV, page), cache warm', { skip }, async () => {
  // Warm the second process's cache on the very URLs read after the write.
  const list0 = await b.getJSON('/api/v1/actions?owner=2&limit=100');
  assert.deepEqual(await b.getJSON('/api/v1/actions?owner=2&limit=100'), list0, 'the same answer twice');
  const csv0 = await b.get('/api/v1/actions.csv');
  assert.equal(csv0.status, 200);
  const page0 = await b.get('/actions?owner=2');
  assert.equal(page0.status, 200, `GET /actions?owner=2: ${page0.status}`);

  const x = await created(a, 'actions', { outcome: 1, owner: 2, title: { en: 'Seen from the other process' }, due_date: '2031-02-03' });

  const list1 = await b.getJSON('/api/v1/actions?owner=2&limit=100');
  assert.equal(list1.total, list0.total + 1, 'the total counts the new action');
  same(list1.items.find((r) => r.id === x.id), x, 'the new action in the list of the other process');
  const one = await b.get(`/api/v1/actions/${x.id}`);
  assert.equal(one.status, 200, one.text);
  same(one.json, x, 'GET one through the other process');
  assert.equal(one.headers.get('etag'), '"1"');
  const csv1 = await b.get('/api/v1/actions.csv');
  assert.equal(csv1.status, 200);
  assert.ok(csv1.text.includes('Seen from the other process'), 'the CSV of the other process has the new action');
  const page1 = await b.get('/actions?owner=2');
  assert.equal(page1.status, 200, `GET /actions?owner=2: ${page1.status}`);
  assert.ok(page1.text.includes(`/actions/${x.id}"`), 'the list page of the other process links to the new action');
  const detail = await b.get(`/actions/${x.id}`);
  assert.equal(detail.status, 200, 'the page of the new action through the other process');
  assert.ok(detail.text.includes('Seen from the other process'));
});

test('a PATCH and a DELETE through one process are seen at once through the other, cache warm', { skip }, async () => {
  const x = await created(b, 'actions', { outcome: 2, title: { en: 'Before' }, percent: 5 });
  // Both caches hold version 1.
  for (const s of [a, b]) assert.equal((await s.getJSON(`/api/v1/actions/${x.id}`)).version, 1);
  const listUrl = `/api/v1/actions?outcome=2&limit=200`;
  const before = await a.getJSON(listUrl);
  assert.ok(before.items.some((r) => r.id === x.id));

  const p = await b.patch(`/api/v1/actions/${x.id}`, { title: { en: 'After' }, percent: 40 }, { headers: { 'If-Match': '"1"' } });
  assert.equal(p.status, 200, p.text);
  assert.equal(p.json.version, 2);
  const seen = await a.get(`/api/v1/actions/${x.id}`);
  assert.equal(seen.status, 200);
  same(seen.json, p.json, 'GET one through the other process after the PATCH');
  assert.equal(seen.headers.get('etag'), '"2"');
  const l = await a.getJSON(listUrl);
  same(l.items.find((r) => r.id === x.id), p.json, 'the list of the other process after the PATCH');
  const page = await a.get(`/actions/${x.id}`);
  assert.equal(page.status, 200);
  assert.ok(page.text.includes('After') && !page.text.includes('>Before<'), 'the page of the other process after the PATCH');

  const d = await a.del(`/api/v1/actions/${x.id}`, { headers: { 'If-Match': '"2"' } });
  assert.ok(d.status === 204 || d.status === 200, `DELETE: ${d.status} ${d.text}`);
  assertError(await b.get(`/api/v1/actions/${x.id}`), 404, 'not_found', 'GET one through the other process after the DELETE');
  const l2 = await b.getJSON(listUrl);
  assert.equal(l2.total, before.total - 1);
  assert.ok(!l2.items.some((r) => r.id === x.id), 'gone from the list of the other process');
  assert.equal((await b.get(`/actions/${x.id}`)).status, 404, 'the page is gone too');
});

test('a stale If-Match is refused (412) across processes, and changes nothing', { skip }, async () => {
  const x = await created(a, 'actions', { outcome: 3, title: { en: 'Contended' } });
  const e1 = (await a.get(`/api/v1/actions/${x.id}`)).headers.get('etag');
  assert.equal(e1, '"1"');
  const p = await b.patch(`/api/v1/actions/${x.id}`, { percent: 50 }, { headers: { 'If-Match': e1 } });
  assert.equal(p.status, 200, p.text);
  // The first process still has version 1 in its cache: it must not believe it.
  const stale = await a.patch(`/api/v1/actions/${x.id}`, { percent: 10 }, { headers: { 'If-Match': e1 } });
  assertError(stale, 412, 'precondition_failed', 'PATCH with the version the other process replaced');
  const staleDel = await a.del(`/api/v1/actions/${x.id}`, { headers: { 'If-Match': e1 } });
  assertError(staleDel, 412, 'precondition_failed', 'DELETE with the version the other process replaced');
  for (const s of [a, b]) same(await s.getJSON(`/api/v1/actions/${x.id}`), p.json, 'unchanged after the 412s');
  // The current version works from either side.
  const ok = await a.patch(`/api/v1/actions/${x.id}`, { percent: 60 }, { headers: { 'If-Match': '"2"' } });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.version, 3);
  assert.equal((await b.getJSON(`/api/v1/actions/${x.id}`)).percent, 60);
});

test('two processes racing with the same If-Match: exactly one PATCH wins, the other gets 412', { skip }, async () => {
  const x = await created(a, 'actions', { outcome: 1, title: { en: 'Race' } });
  const wins = [];
  for (let round = 0; round < 20; round++) {
    const version = round + 1;
    const [ra, rb] = await Promise.all([
      a.patch(`/api/v1/actions/${x.id}`, { percent: 2 * round + 1 }, { headers: { 'If-Match': `"${version}"` } }),
      b.patch(`/api/v1/actions/${x.id}`, { percent: 2 * round + 2 }, { headers: { 'If-Match': `"${version}"` } }),
    ]);
    const st = [ra.status, rb.status].sort();
    assert.deepEqual(st, [200, 412], `round ${round}: one PATCH with If-Match "${version}" wins, the other is refused; got ${ra.status} ${ra.text.slice(0, 200)} / ${rb.status} ${rb.text.slice(0, 200)}`);
    const won = ra.status === 200 ? ra : rb;
    assert.equal(won.json.version, version + 1);
    const now = await (round % 2 ? a : b).getJSON(`/api/v1/actions/${x.id}`);
    same(now, won.json, `round ${round}: the stored record is the winner's`);
    wins.push(ra.status === 200 ? 'a' : 'b');
  }
});

test('concurrent POSTs through both processes: every record stored once, ids distinct', { skip }, async () => {
  const before = (await a.getJSON('/api/v1/action_updates?limit=0')).total;
  const posts = [];
  for (let i = 0; i < 30; i++) {
    const s = i % 2 ? a : b;
    posts.push(s.post('/api/v1/action_updates', { action: 1 + (i % 5), date: '2030-01-01', note: { en: `concurrent ${i}` } }));
  }
  const rs = await Promise.all(posts);
  for (const r of rs) assert.equal(r.status, 201, `${r.status} ${r.text}`);
  const ids = rs.map((r) => r.json.id);
  assert.equal(new Set(ids).size, ids.length, 'distinct ids');
  for (const s of [a, b]) {
    const all = await s.all('action_updates');
    assert.equal(all.length, before + 30);
    for (const r of rs) same(all.find((u) => u.id === r.json.id), r.json, `action_update ${r.json.id}`);
  }
});

test('a write by the command line (a third process) is seen at once by both servers, caches warm', { skip }, async () => {
  const before0 = await a.getJSON('/api/v1/organisations?limit=200');
  assert.deepEqual(await b.getJSON('/api/v1/organisations?limit=200'), before0);
  assert.deepEqual(await a.getJSON('/api/v1/organisations?limit=200'), before0, 'cached');
  const r = cli(['user', 'add', 'third.process', '--role', 'donor', '--organisation', '1', '--db', db]);
  assert.equal(r.status, 0, r.stderr);
  const csv = 'country,theme,assessed_on,severity,source,reference\nMA,pcve,2024-02-02,2,other,written by a third process\n';
  const imp = cli(['import', 'needs', '-', '--db', db], { input: Buffer.from(csv) });
  assert.equal(imp.status, 0, imp.stderr);
  for (const s of [a, b]) {
    const n = await s.getJSON('/api/v1/needs?reference=written%20by%20a%20third%20process');
    assert.equal(n.total, 1, 'the imported assessment');
  }
  const x = await created(a, 'organisations', { name: { en: 'After the third process' }, type: '10' });
  for (const s of [a, b]) {
    const list = await s.getJSON('/api/v1/organisations?limit=200');
    assert.equal(list.total, before0.total + 1);
    assert.ok(list.items.some((o) => o.id === x.id));
  }
});

test('a process stopped and started again loses nothing: the state is in the database', { skip }, async () => {
  const x = await created(b, 'organisations', { name: { en: 'Written before the restart' }, type: '10', country: 'MA' });
  const snapA = {};
  for (const c of ['organisations', 'actions', 'action_updates']) snapA[c] = await a.all(c);
  await a.stop();
  const y = await created(b, 'organisations', { name: { en: 'Written while the other was down' }, type: '10', country: 'SN' });
  a = await startServer({ db });
  same(await a.getJSON(`/api/v1/organisations/${x.id}`), x, 'written before the restart');
  same(await a.getJSON(`/api/v1/organisations/${y.id}`), y, 'written while it was down');
  for (const c of ['actions', 'action_updates']) same(await a.all(c), snapA[c], c);
});

test('both servers stop cleanly', { skip }, async () => {
  const sa = a, sb = b;
  a = b = null;
  await sa.stop();
  await sb.stop();
});

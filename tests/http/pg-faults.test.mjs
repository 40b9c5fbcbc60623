// Faults of the PostgreSQL backend: PostgreSQL stopped while suivi runs (requests
// in between get 503 {"error":{"code":"unavailable"}} — pages a 503 page — the
// process stays up, nothing is half-written, and it reconnects by itself when
// PostgreSQL is back), and a wrong connection string at start (one clear line on
// stderr, non-zero exit).  This file runs its own cluster (tests/pg/cluster), which
// it stops and starts; the cluster of SUIVI_PG is left alone.
// PostgreSQL only: skipped unless SUIVI_PG is set (tests/run sets it).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PG, ROOT, BIN, cli, createDatabase, startServer, assertError, assertNoSanitizer, sanitizerEnv, same } from './harness.mjs';

const skip = PG ? false : 'PostgreSQL only (SUIVI_PG is not set)';
const CLUSTER = path.join(ROOT, 'tests', 'pg', 'cluster');

let dir = null; // the cluster of this file
let base = null; // its base URL
let db = null; // the database of the server
let srv = null;

function cluster(cmd) {
  const r = spawnSync(CLUSTER, [cmd, dir], { encoding: 'utf8', timeout: 120000 });
  assert.equal(r.status, 0, `tests/pg/cluster ${cmd} ${dir}: exit ${r.status}\n${r.stderr}`);
  return r.stdout.trim();
}

if (PG) {
  before(async () => {
    // Short: the folder is also the cluster's Unix socket directory.
    dir = mkdtempSync(path.join(os.tmpdir(), 'suivi-pgf-'));
    base = cluster('start');
    assert.match(base, /^postgresql:\/\/postgres@127\.0\.0\.1:\d+$/);
    assert.notEqual(base, PG, 'a cluster of its own');
    db = createDatabase(base);
    const made = cli(['demo', '--db', db]);
    assert.equal(made.status, 0, made.stderr);
    srv = await startServer({ db });
  });
  after(async () => {
    if (srv) await srv.cleanup();
    if (dir) {
      spawnSync(CLUSTER, ['stop', dir], { stdio: 'ignore', timeout: 120000 });
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const SEEN = 'Written while PostgreSQL was down';

// Requests of every kind the fault test makes; each answers {what, r}.
function requests() {
  return [
    ['GET list', () => srv.get('/api/v1/actions')],
    ['GET list (filtered, sorted)', () => srv.get('/api/v1/actions?status=done&sort=-due_date&limit=3')],
    ['GET one', () => srv.get('/api/v1/actions/2')],
    ['GET one (country)', () => srv.get('/api/v1/countries/SN')],
    ['GET CSV', () => srv.get('/api/v1/action_updates.csv')],
    ['POST', () => srv.post('/api/v1/actions', { outcome: 1, title: { en: SEEN } })],
    ['POST (links)', () => srv.post('/api/v1/meetings', { kind: 'forum', title: { en: SEEN }, start_date: '2026-01-01', cochairs: [1], delegations: [1, 2] })],
    ['PATCH', () => srv.patch('/api/v1/actions/3', { percent: 99, title: { en: SEEN } }, { headers: { 'If-Match': '"1"' } })],
    ['DELETE', () => srv.del('/api/v1/action_updates/1')],
  ];
}
const PAGES = ['/', '/actions', '/actions/2', '/meetings/1'];

test('PostgreSQL stopped: 503 "unavailable" on every route, the process stays up; back: it reconnects by itself', { skip }, async () => {
  // Everything works, and the caches are warm on the URLs read below.
  for (const [what, go] of requests()) {
    if (/^GET/.test(what)) assert.equal((await go()).status, 200, what);
  }
  for (const p of PAGES) assert.equal((await srv.get(p)).status, 200, p);
  const browser = await srv.login(); // a signed-in person's pages (cookie session)
  for (const p of PAGES) assert.equal((await browser.get(p)).status, 200, `${p} signed in`);
  const before = await srv.snapshot();
  const etag3 = (await srv.get('/api/v1/actions/3')).headers.get('etag');
  assert.match(etag3 || '', /^"\d+"$/, 'action 3 has an ETag (its version), which the PATCH after the outage carries');

  cluster('stop');

  // Several rounds: each of the server's worker threads meets the lost connection
  // (first on a statement, then on every attempt to reconnect).
  for (let round = 0; round < 3; round++) {
    for (const [what, go] of requests()) {
      const r = await go();
      assertError(r, 503, 'unavailable', `round ${round}: ${what} while PostgreSQL is down`);
      assert.match(r.headers.get('content-type') || '', /^application\/json/, what);
    }
    for (const p of PAGES) {
      // A visitor (no credentials: nothing to look up) gets the HTML error page.
      const r = await srv.get(p, { auth: false });
      assert.equal(r.status, 503, `round ${round}: page ${p} while PostgreSQL is down: ${r.status}`);
      assert.match(r.headers.get('content-type') || '', /^text\/html/, p);
      assert.match(r.text, /<html/i, `${p}: an HTML page`);
      // Signed in, the session cannot be looked up: 503 all the same (checked for
      // HTML by the next test).
      const s = await browser.get(p);
      assert.equal(s.status, 503, `round ${round}: page ${p} signed in while PostgreSQL is down: ${s.status}`);
      signedInOutage.push({ page: p, type: s.headers.get('content-type'), html: /<html/i.test(s.text) });
    }
    assert.equal(srv.exit, null, `the server exited: ${srv.stderr}`);
    await sleep(200);
  }
  // /healthz asks the database (it said ok while PostgreSQL was down: issue 12, item 12).
  for (let i = 0; i < 4; i++) { // each of the request threads
    const h = await srv.get('/healthz');
    assert.equal(h.status, 503, `round ${i}: /healthz while PostgreSQL is down: ${h.status} ${h.text}`);
    assert.match(h.text, /^unavailable: the database (does not answer|cannot be reached or opened)\n$/);
    assert.doesNotMatch(h.text, /127\.0\.0\.1|postgres/, 'no host or user in a public answer');
  }
  assertNoSanitizer(srv.stderr, 'server during the outage');

  cluster('start');

  // It reconnects by itself: poll (a request may still meet a dead connection).
  const deadline = Date.now() + 30000;
  let r;
  for (;;) {
    r = await srv.get('/api/v1/actions?limit=1');
    if (r.status === 200 || Date.now() > deadline) break;
    assertError(r, 503, 'unavailable', 'while reconnecting');
    await sleep(100);
  }
  assert.equal(r.status, 200, `back within 30 s of PostgreSQL's restart: ${r.status} ${r.text}`);
  for (let i = 0; i < 4; i++) {
    const h = await srv.get('/healthz');
    assert.equal(h.status, 200, `round ${i}: /healthz after the restart: ${h.text}`);
    assert.equal(h.text, 'ok\n');
  }
  // Every route works again, on every worker thread (several rounds).
  for (let round = 0; round < 4; round++) {
    for (const [what, go] of requests()) {
      if (!/^GET/.test(what)) continue;
      const x = await go();
      assert.equal(x.status, 200, `round ${round}: ${what} after the restart: ${x.status} ${x.text.slice(0, 300)}`);
    }
    for (const p of PAGES) assert.equal((await srv.get(p)).status, 200, `round ${round}: page ${p} after the restart`);
  }

  // Nothing written during the outage landed; nothing else changed.
  await srv.assertUnchanged(before, 'after the outage');
  for (const c of ['actions', 'meetings']) {
    const hits = await srv.getJSON(`/api/v1/${c}?q=${encodeURIComponent(SEEN)}`);
    assert.equal(hits.total, 0, `no ${c} written during the outage`);
  }
  // Writes work again, and through the same process.
  const p = await srv.post('/api/v1/actions', { outcome: 1, title: { en: 'Written after the restart' } });
  assert.equal(p.status, 201, `POST after the restart: ${p.status} ${p.text}`);
  same(await srv.getJSON(`/api/v1/actions/${p.json.id}`), p.json, 'the new action');
  const m = await srv.post('/api/v1/meetings', { kind: 'forum', title: { en: 'After' }, start_date: '2026-01-02', cochairs: [1], delegations: [1, 2] });
  assert.equal(m.status, 201, m.text);
  const x = await srv.patch('/api/v1/actions/3', { percent: 70 }, { headers: { 'If-Match': etag3 } });
  assert.equal(x.status, 200, `PATCH with the version read before the outage: ${x.status} ${x.text}`);
  assert.equal(x.json.version, Number(JSON.parse(etag3)) + 1);
});

// A signed-in person whose session cannot be looked up (the database is down) is
// answered a JSON error instead of the HTML page a visitor gets: server.c dispatch()
// answers plain_error() for every path when auth_identify() fails.
const signedInOutage = [];
test('PostgreSQL stopped: a signed-in person\'s pages say so in HTML too', {
  skip,
}, () => {
  assert.ok(signedInOutage.length > 0, 'the outage test ran');
  const json = signedInOutage.filter((x) => !/^text\/html/.test(x.type || '') || !x.html);
  assert.deepEqual(json, [], 'pages answered in HTML while PostgreSQL was down');
});

test('PostgreSQL restarted while suivi is idle: the next requests succeed', { skip }, async () => {
  // Nothing in flight while PostgreSQL restarts: the connections the server holds
  // died in between; reconnecting is suivi's business, not the users'.
  const before = await srv.getJSON('/api/v1/actions?limit=0');
  cluster('stop');
  cluster('start');
  const got = [];
  for (let i = 0; i < 6; i++) {
    const r = await srv.get(i % 2 ? `/api/v1/actions/${1 + i}` : `/api/v1/actions?limit=0&offset=${i}`);
    got.push(r.status);
  }
  assert.deepEqual(got, [200, 200, 200, 200, 200, 200], 'no 503 after a restart the server did not see happen');
  assert.equal((await srv.getJSON('/api/v1/actions?limit=0')).total, before.total);
});

test('PostgreSQL stopped during a stream of writes: each is all or nothing', { skip }, async () => {
  const tag = `stream-${Date.now()}`;
  const results = [];
  let n = 0;
  let stop = false;
  // Two writers (one per worker thread) posting meetings with link rows.
  const writer = async (k) => {
    while (!stop) {
      const i = n++;
      const body = { kind: 'workshop', title: { en: `${tag} ${i}` }, start_date: '2026-03-03', cochairs: [1, 2], delegations: [1, 2, 3] };
      const r = await srv.post('/api/v1/meetings', body);
      results.push({ i, status: r.status, json: r.json });
      if (r.status === 503) await sleep(20);
    }
  };
  const writers = [writer(0), writer(1)];
  await sleep(300);
  cluster('stop');
  await sleep(500);
  stop = true;
  await Promise.all(writers);
  cluster('start');
  const deadline = Date.now() + 30000;
  while ((await srv.get('/api/v1/meetings?limit=0')).status !== 200) {
    assert.ok(Date.now() < deadline, 'back within 30 s');
    await sleep(100);
  }
  const stored = new Map();
  for (const m of await srv.all('meetings', `q=${encodeURIComponent(tag)}`)) stored.set(m.title.en, m);
  const statuses = new Set(results.map((r) => r.status));
  for (const s of statuses) assert.ok(s === 201 || s === 503, `only 201 or 503 during the outage, got ${s}`);
  assert.ok(results.some((r) => r.status === 201), 'some writes before the stop');
  assert.ok(results.some((r) => r.status === 503), 'some writes during the outage');
  for (const r of results) {
    const m = stored.get(`${tag} ${r.i}`);
    if (r.status === 201) {
      assert.ok(m, `meeting ${r.i} answered 201 and is stored`);
      same(m, r.json, `meeting ${r.i} as answered`);
    }
    if (m) {
      // Whatever landed landed whole: the record with all its link rows.
      same([...m.cochairs].sort(), [1, 2], `meeting ${r.i}: its co-chairs`);
      same([...m.delegations].sort(), [1, 2, 3], `meeting ${r.i}: its delegations`);
    }
  }
  assert.equal(stored.size, results.filter((r) => r.status === 201).length +
    results.filter((r) => r.status === 503 && stored.has(`${tag} ${r.i}`)).length);
});

test('the server stops cleanly after the outages', { skip }, async () => {
  const s = srv;
  srv = null;
  await s.stop({ allow: [503] });
});

// ---- a wrong connection string at start ------------------------------------------

function oneLine(r, what) {
  const lines = r.stderr.split('\n').filter((l) => l.length > 0);
  assert.equal(lines.length, 1, `${what}: exactly one line on stderr, got:\n${r.stderr}`);
  assert.ok(lines[0].length > 10 && lines[0].length < 400, `${what}: a clear line: ${lines[0]}`);
  return lines[0];
}

function serveOnce(url) {
  return new Promise((resolve) => {
    const p = spawn(BIN, ['serve', '--db', url, '--port', '0', '--bind', '127.0.0.1'], { env: sanitizerEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    p.stdout.on('data', (d) => { stdout += d; });
    p.stderr.on('data', (d) => { stderr += d; });
    const t = setTimeout(() => p.kill('SIGKILL'), 20000);
    p.on('exit', (status, signal) => { clearTimeout(t); resolve({ status, signal, stdout, stderr }); });
  });
}

test('a wrong connection string at start: non-zero exit, one clear line on stderr', { skip }, async () => {
  const port = new URL(PG.replace(/^postgresql:/, 'http:')).port;
  const cases = [
    ['nothing listens there', 'postgresql://postgres@127.0.0.1:1/nope'],
    ['no such database', `${PG}/no_such_database_for_suivi`],
    ['no such user', `postgresql://no_such_user_for_suivi@127.0.0.1:${port}/postgres`],
    ['a password, wrong port', 'postgresql://postgres:s3cr3t-pw@127.0.0.1:1/nope'],
    ['no such host', 'postgresql://postgres@no-such-host.invalid:5432/nope'],
  ];
  for (const [what, url] of cases) {
    const r = await serveOnce(url);
    assertNoSanitizer(r.stderr, `serve --db ${url}`);
    assert.equal(r.signal, null, `serve --db ${url} (${what}) did not exit by itself`);
    assert.notEqual(r.status, 0, `serve --db ${url} (${what})`);
    assert.doesNotMatch(r.stdout, /listening/, what);
    const line = oneLine(r, `serve (${what})`);
    assert.match(line, /^suivi: /, `${what}: ${line}`);
    assert.match(line, /postgres/i, `${what}: the line says which database: ${line}`);
    assert.doesNotMatch(line, /s3cr3t-pw/, `${what}: the line does not show the password: ${line}`);
    for (const args of [['init', '--db', url], ['export', 'csv', 'actions', '--db', url]]) {
      const c = cli(args);
      assert.notEqual(c.status, 0, `suivi ${args.join(' ')}`);
      assert.equal(c.stdout, '', `suivi ${args.join(' ')}: nothing on stdout`);
      const l = oneLine(c, `suivi ${args.join(' ')}`);
      assert.doesNotMatch(l, /s3cr3t-pw/, `suivi ${args.join(' ')}: the line does not show the password`);
    }
  }
});

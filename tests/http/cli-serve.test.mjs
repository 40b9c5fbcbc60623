// The command line on data, second part (cli-data.test.mjs has init, demo and where
// the database is): export csv to a file and as the API serves it; serve on
// databases it cannot open, addresses that are not, ports in use; an init-only
// database served.  Split so that each file stays quick on a busy machine.
// Tests run on the backend under test (tempDb(): a SQLite file, or a new
// PostgreSQL database when SUIVI_PG is set).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { cli, demoDb, useTempDirs, startServer, sanitizerEnv, assertNoSanitizer, BIN, parseCsv, oneLine } from './harness.mjs';

const fresh = useTempDirs();

test('export csv --out FILE writes the same bytes as standard output', () => {
  const dir = fresh();
  const db = demoDb(dir, 'e');
  const out = path.join(dir, 'actions.csv');
  const r = cli(['export', 'csv', 'actions', '--db', db, '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, '');
  const s = cli(['export', 'csv', 'actions', '--db', db]);
  assert.ok(Buffer.compare(readFileSync(out), s.stdoutBytes) === 0);
  const rows = parseCsv(s.stdout);
  assert.equal(rows.length, 1 + 14);
  assert.equal(rows[0][0], 'id');
  const bad = cli(['export', 'csv', 'actions', '--db', db, '--out', path.join(dir, 'no', 'such', 'dir.csv')]);
  assert.notEqual(bad.status, 0);
  oneLine(bad, 'export to a missing directory');
});

test('`suivi export csv actions` equals GET /api/v1/actions.csv byte for byte', async () => {
  const srv = await startServer();
  try {
    for (const c of ['actions', 'action_updates', 'persons', 'themes']) {
      const http = await srv.get(`/api/v1/${c}.csv`);
      assert.equal(http.status, 200);
      const r = cli(['export', 'csv', c, '--db', srv.db]);
      assert.equal(r.status, 0, r.stderr);
      assert.ok(Buffer.compare(r.stdoutBytes, http.body) === 0, `${c}: CLI and HTTP CSV differ`);
    }
    await srv.stop();
  } finally {
    await srv.cleanup();
  }
});

test('serve on a database it cannot open exits non-zero with one clear line', async () => {
  for (const db of ['/nonexistent/dir/x.db', '/proc/version/x.db']) {
    const r = await new Promise((resolve) => {
      const p = spawn(BIN, ['serve', '--db', db, '--port', '0'], { env: sanitizerEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '', stderr = '';
      p.stdout.on('data', (d) => { stdout += d; });
      p.stderr.on('data', (d) => { stderr += d; });
      const t = setTimeout(() => p.kill('SIGKILL'), 10000);
      p.on('exit', (status, signal) => { clearTimeout(t); resolve({ status, signal, stdout, stderr }); });
    });
    assertNoSanitizer(r.stderr, `serve --db ${db}`);
    assert.equal(r.signal, null, `serve --db ${db} did not exit by itself`);
    assert.notEqual(r.status, 0, `serve --db ${db}`);
    assert.doesNotMatch(r.stdout, /listening/);
    const line = oneLine(r, `serve --db ${db}`);
    assert.ok(line.includes(db), `the line names the database: ${line}`);
  }
  const i = cli(['init', '--db', '/nonexistent/dir/x.db']);
  assert.notEqual(i.status, 0);
  oneLine(i, 'init --db /nonexistent/dir/x.db');
});

test('serve --bind with something that is not an address exits non-zero with one line', async () => {
  const dir = fresh();
  const db = path.join(dir, 'b.db');
  assert.equal(cli(['init', '--db', db]).status, 0);
  const r = cli(['serve', '--db', db, '--port', '0', '--bind', 'not-an-address']);
  assert.notEqual(r.status, 0);
  assert.doesNotMatch(r.stdout, /listening/);
  oneLine(r, 'serve --bind not-an-address');
});

test('serve on a port in use exits non-zero with one line', async () => {
  const srv = await startServer({ init: true });
  try {
    const r = cli(['serve', '--db', srv.db, '--port', String(srv.port), '--bind', '127.0.0.1']);
    assert.notEqual(r.status, 0);
    oneLine(r, 'serve on a port in use');
    await srv.stop();
  } finally {
    await srv.cleanup();
  }
});

test('serve on an init-only database answers empty lists; SIGINT also stops it with 0', async () => {
  const srv = await startServer({ init: true });
  try {
    const a = await srv.getJSON('/api/v1/actions');
    assert.deepEqual(a, { items: [], total: 0, limit: 50, offset: 0 });
    assert.equal((await srv.getJSON('/api/v1/countries?limit=0')).total, 249);
    srv.proc.kill('SIGINT');
    await srv.exited;
    assert.deepEqual(srv.exit, { code: 0, signal: null }, srv.stderr);
    assertNoSanitizer(srv.stderr, 'serve after SIGINT');
  } finally {
    await srv.cleanup();
  }
});

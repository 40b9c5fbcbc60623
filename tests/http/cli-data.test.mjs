// The command line on data: init and demo idempotent, where the database is,
// export csv, serve on databases it cannot open or ports in use. Split from
// cli.test.mjs so that each file stays quick on a busy machine.
// Tests run on the backend under test (tempDb(): a SQLite file, or a new
// PostgreSQL database when SUIVI_PG is set).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, existsSync } from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { cli, tempDir, tempDb, demoDb, dropTempDbs, PG, startServer, sanitizerEnv, assertNoSanitizer, BIN, parseCsv } from './harness.mjs';

const dirs = [];
function fresh() {
  const d = tempDir();
  dirs.push(d);
  return d;
}
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dropTempDbs();
});

function oneLine(r, what) {
  const lines = r.stderr.split('\n').filter((l) => l.length > 0);
  assert.equal(lines.length, 1, `${what}: exactly one line on stderr, got:\n${r.stderr}`);
  assert.ok(r.stderr.endsWith('\n'), `${what}: the line ends with a newline`);
  assert.ok(lines[0].length > 10 && lines[0].length < 300, `${what}: a clear line: ${lines[0]}`);
  return lines[0];
}

function exportAll(db) {
  const out = {};
  for (const c of ['countries', 'themes', 'organisations', 'persons', 'meetings', 'outcomes', 'actions', 'action_updates']) {
    const r = cli(['export', 'csv', c, '--db', db]);
    assert.equal(r.status, 0, `export ${c}: ${r.stderr}`);
    out[c] = r.stdout;
  }
  return out;
}

test('init creates the reference data; running it again changes nothing', () => {
  const dir = fresh();
  const db = tempDb(dir, 'i');
  const first = cli(['init', '--db', db]);
  assert.equal(first.status, 0, first.stderr);
  assert.equal(first.stderr, '');
  const a = exportAll(db);
  assert.equal(parseCsv(a.countries).length, 1 + 249);
  assert.equal(parseCsv(a.themes).length, 1 + 12);
  for (const c of ['organisations', 'persons', 'meetings', 'outcomes', 'actions', 'action_updates']) {
    assert.equal(parseCsv(a[c]).length, 1, `${c} empty after init`);
  }
  const bytes = PG ? null : readFileSync(db); // the file exists (SQLite only)
  const second = cli(['init', '--db', db]);
  assert.equal(second.status, 0, second.stderr);
  assert.equal(second.stderr, '');
  const b = exportAll(db);
  assert.deepEqual(b, a, 'the data are the same after a second init');
  const third = cli(['init', '--db', db]);
  assert.equal(third.status, 0);
  assert.deepEqual(exportAll(db), a);
  if (!PG) assert.ok(bytes.length > 0);
});

test('demo on top of init adds the demo; demo again changes nothing', () => {
  const dir = fresh();
  const db = tempDb(dir, 'd');
  assert.equal(cli(['init', '--db', db]).status, 0);
  const r = cli(['demo', '--db', db]);
  assert.equal(r.status, 0, r.stderr);
  const a = exportAll(db);
  const n = Object.fromEntries(Object.entries(a).map(([c, t]) => [c, parseCsv(t).length - 1]));
  assert.deepEqual(n, { countries: 249, themes: 12, organisations: 5, persons: 5, meetings: 3, outcomes: 5, actions: 14, action_updates: 13 });
  const again = cli(['demo', '--db', db]);
  assert.equal(again.status, 0, again.stderr);
  assert.deepEqual(exportAll(db), a);
  const init = cli(['init', '--db', db]);
  assert.equal(init.status, 0);
  assert.deepEqual(exportAll(db), a);
});

test('the database is --db, else $SUIVI_DB, else ./suivi.db', () => {
  const dir = fresh();
  const envDb = tempDb(dir, 'env');
  const r = cli(['init'], { cwd: dir, env: { SUIVI_DB: envDb } });
  assert.equal(r.status, 0, r.stderr);
  // The database $SUIVI_DB names holds the reference data (and --db overrides it).
  const countries = cli(['export', 'csv', 'countries'], { cwd: dir, env: { SUIVI_DB: envDb } });
  assert.equal(countries.status, 0, countries.stderr);
  assert.equal(parseCsv(countries.stdout).length, 1 + 249, '$SUIVI_DB used');
  if (!PG) assert.ok(existsSync(envDb), '$SUIVI_DB used');
  assert.ok(!existsSync(path.join(dir, 'suivi.db')));
  const other = tempDb(dir, 'other');
  const o = cli(['export', 'csv', 'countries', '--db', other], { cwd: dir, env: { SUIVI_DB: envDb } });
  if (PG) {
    assert.equal(o.status, 0, o.stderr);
    assert.equal(parseCsv(o.stdout).length, 1, '--db wins over $SUIVI_DB (an empty database)');
  } else { // a SQLite file that does not exist is refused, not made (issue 12, item 11)
    assert.notEqual(o.status, 0);
    assert.equal(oneLine(o, '--db missing'), `suivi: no database at ${other} (run suivi init)`, '--db wins over $SUIVI_DB');
  }
  const d = cli(['init'], { cwd: dir, env: { SUIVI_DB: '' } });
  assert.equal(d.status, 0, d.stderr);
  assert.ok(existsSync(path.join(dir, 'suivi.db')), './suivi.db used');
});

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

// ---- issue 12, item 11: files and the command line ----------------------------------------

/** The permission bits of a file or folder. */

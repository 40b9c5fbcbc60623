// The command line: --version, --help, usage errors (exit 2, one line on stderr),
// init idempotent, export csv, serve on a database it cannot open.
// Tests about data run on the backend under test (tempDb(): a SQLite file, or a
// new PostgreSQL database when SUIVI_PG is set); tests about file-system paths
// (--help creates no file, a usage error creates no file, a folder that does not
// exist) stay on SQLite files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { cli, tempDb, useTempDirs, PG, startServer, oneLine } from './harness.mjs';

const fresh = useTempDirs();

const COMMANDS = ['serve', 'init', 'demo', 'export'];

test('suivi --version prints the version and exits 0', () => {
  const r = cli(['--version']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /^suivi \d+\.\d+\.\d+\n$/);
  assert.equal(r.stderr, '');
});

test('suivi --help lists every command and exits 0', () => {
  for (const h of ['--help', '-h', 'help']) {
    const r = cli([h]);
    assert.equal(r.status, 0, h);
    for (const c of COMMANDS) assert.match(r.stdout, new RegExp(`suivi ${c}\\b`), `${h} mentions ${c}`);
    assert.equal(r.stderr, '', h);
  }
});

test('suivi COMMAND --help prints its usage and exits 0 (and does nothing)', () => {
  const dir = fresh();
  for (const c of COMMANDS) {
    for (const args of [[c, '--help'], [c, '-h'], [c, '--db', path.join(dir, 'x.db'), '--help']]) {
      const r = cli(args, { cwd: dir });
      assert.equal(r.status, 0, args.join(' '));
      assert.match(r.stdout, new RegExp(`Usage: suivi ${c}`), args.join(' '));
      assert.equal(r.stderr, '', args.join(' '));
    }
  }
  assert.ok(!existsSync(path.join(dir, 'x.db')), '--help created no database');
  assert.ok(!existsSync(path.join(dir, 'suivi.db')), '--help created no database');
});

test('usage errors exit 2 with exactly one line on stderr', () => {
  const dir = fresh();
  const db = path.join(dir, 'u.db');
  const cases = [
    ['nosuch'],
    ['--nosuch'],
    ['init', '--nosuch'],
    ['init', '-x'],
    ['serve', '--db'],
    ['init', '--db'],
    ['serve', '--port'],
    ['serve', '--port', 'abc', '--db', db],
    ['serve', '--port', '99999', '--db', db],
    ['serve', '--port', '-1', '--db', db],
    ['init', '--port', '8080', '--db', db],
    ['init', 'extra', '--db', db],
    ['export'],
    ['export', 'csv'],
    ['export', 'csv', 'nosuch', '--db', db],
    ['export', 'xml', 'actions', '--db', db],
    ['export', 'csv', 'actions', 'more', '--db', db],
    ['demo', '--out', 'x'],
  ];
  for (const args of cases) {
    const r = cli(args, { cwd: dir });
    assert.equal(r.status, 2, `suivi ${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
    oneLine(r, `suivi ${args.join(' ')}`);
    assert.equal(r.stdout, '', `suivi ${args.join(' ')}: nothing on stdout`);
  }
  assert.ok(!existsSync(db), 'no database created by a usage error');
  assert.ok(!existsSync(path.join(dir, 'suivi.db')), 'no ./suivi.db created by a usage error');
});

test('suivi without a command exits 2', () => {
  const r = cli([]);
  assert.equal(r.status, 2);
  assert.equal(r.stdout, '');
  assert.ok(r.stderr.length > 0);
});

function mode(p) {
  return statSync(p).mode & 0o777;
}

// Every command but init, demo and copy --to used to make and migrate an empty
// database at a --db path that did not exist (a typo made a new, empty installation).
test('a command given a database that does not exist refuses it, with one line, and makes nothing', { skip: PG ? 'SQLite files' : false }, () => {
  const dir = fresh();
  const missing = path.join(dir, 'missing.db');
  const csv = path.join(dir, 'needs.csv');
  writeFileSync(csv, 'country,theme,assessed_on,severity\n');
  const commands = [['user', 'list'], ['user', 'disable', 'someone'], ['user', 'passwd', 'admin'],
    ['user', 'add', 'x', '--role', 'officer'], ['token', 'list'], ['token', 'add', 'admin'], ['token', 'revoke', '1'],
    ['audit'], ['export', 'csv', 'countries'], ['export', 'iati'], ['training', 'check'], ['import', 'needs', csv],
    ['report', 'followup', '--meeting', '1'], ['serve', '--port', '0']];
  for (const args of commands) {
    const r = cli([...args, '--db', missing], { env: { SUIVI_PASSWORD: 'a-password-long-enough' } });
    assert.notEqual(r.status, 0, `${args.join(' ')}: refused`);
    assert.equal(oneLine(r, args.join(' ')), `suivi: no database at ${missing} (run suivi init)`);
    assert.doesNotMatch(r.stdout, /listening/);
    assert.deepEqual(readdirSync(dir).sort(), ['needs.csv'], `${args.join(' ')} made no file`);
  }
  // $SUIVI_DB and ./suivi.db alike; copy --from too.
  const env = cli(['user', 'list'], { env: { SUIVI_DB: missing } });
  assert.equal(oneLine(env, '$SUIVI_DB'), `suivi: no database at ${missing} (run suivi init)`);
  const cwd = cli(['token', 'list'], { cwd: dir, env: { SUIVI_DB: '' } });
  assert.equal(oneLine(cwd, './suivi.db'), 'suivi: no database at suivi.db (run suivi init)');
  const copy = cli(['copy', '--from', missing, '--to', path.join(dir, 'to.db')]);
  assert.notEqual(copy.status, 0);
  assert.equal(oneLine(copy, 'copy --from missing'), `suivi: no database at ${missing} (run suivi init)`);
  assert.deepEqual(readdirSync(dir).sort(), ['needs.csv']);
  // init, demo and copy --to make one.
  assert.equal(cli(['init', '--db', missing]).status, 0);
  assert.equal(cli(['user', 'list', '--db', missing]).status, 0, 'after init');
  const d = path.join(dir, 'demo.db');
  assert.equal(cli(['demo', '--db', d]).status, 0);
  const c = cli(['copy', '--from', d, '--to', path.join(dir, 'copy.db')]);
  assert.equal(c.status, 0, c.stderr);
});

test('a PostgreSQL database that does not exist is refused with one clear line', { skip: PG ? false : 'PostgreSQL' }, () => {
  const url = `${PG}/suivi_no_such_database_${process.pid}`;
  for (const args of [['user', 'list'], ['audit'], ['export', 'csv', 'countries']]) {
    const r = cli([...args, '--db', url]);
    assert.notEqual(r.status, 0, args.join(' '));
    assert.match(oneLine(r, args.join(' ')), /does not exist/);
  }
});

// The database and its -wal and -shm files, the documents folder and its files, and
// what the command line writes (exports, copies) were created 0644 / 0755 (the umask).
test('the database, its -wal and -shm, documents, exports and copies are for suivi\'s user only', async () => {
  const old = process.umask(0o022); // what most shells give: world-readable files unless suivi says otherwise
  try {
    const dir = fresh();
    let db = null;
    if (!PG) {
      for (const cmd of ['init', 'demo']) {
        const f = path.join(dir, `${cmd}.db`);
        assert.equal(cli([cmd, '--db', f]).status, 0);
        assert.equal(mode(f), 0o600, `${cmd}: the database file`);
      }
      db = path.join(dir, 'demo.db');
    }
    const srv = await startServer(db ? { db } : {});
    try {
      if (!PG) {
        for (const f of [db, `${db}-wal`, `${db}-shm`]) assert.equal(mode(f), 0o600, `while serving: ${path.basename(f)}`);
      }
      const up = await srv.request('POST', '/api/v1/documents?meeting=1&title_en=Mode+test&filename=m.pdf',
        { body: Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1'), headers: { 'Content-Type': 'application/pdf' } });
      assert.equal(up.status, 201, up.text);
      const docs = PG ? path.join(srv.dir, 'suivi-docs') : `${db}.docs`;
      const hex = up.json.sha256;
      for (const d of [docs, path.join(docs, hex.slice(0, 2)), path.join(docs, hex.slice(0, 2), hex.slice(2, 4))]) {
        assert.equal(mode(d), 0o700, `the documents folder ${path.relative(srv.dir, d)}`);
      }
      assert.equal(mode(path.join(docs, hex.slice(0, 2), hex.slice(2, 4), hex)), 0o600, 'a stored document');
      const out = path.join(dir, 'persons.csv');
      assert.equal(cli(['export', 'csv', 'persons', '--db', srv.db, '--out', out]).status, 0);
      assert.equal(mode(out), 0o600, 'an export (personal data)');
      if (!PG) {
        const to = path.join(dir, 'copy.db');
        const c = cli(['copy', '--from', srv.db, '--to', to]);
        assert.equal(c.status, 0, c.stderr);
        assert.equal(mode(to), 0o600, 'copy --to');
      }
      await srv.stop();
    } finally {
      await srv.cleanup();
    }
  } finally {
    process.umask(old);
  }
});

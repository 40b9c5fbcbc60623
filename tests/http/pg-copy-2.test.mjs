// `suivi copy`, second part (pg-copy.test.mjs copies an installation with a history
// both ways and compares every record): a fresh demo to PostgreSQL and back gives the
// CLI's export byte for byte; a copy from a database that does not exist creates
// nothing; the accounts and API tokens move with the records.  Split so that each
// file stays quick on a busy machine.
// PostgreSQL only: skipped unless SUIVI_PG is set (tests/run sets it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { PG, COLLECTIONS, cli, useTempDirs, tempDb, copyInstallation as copy } from './harness.mjs';

const skip = PG ? false : 'PostgreSQL only (SUIVI_PG is not set)';
const ALL = [...COLLECTIONS, 'audit'];

const fresh = useTempDirs(); // (its folders removed, its databases dropped, after the file)

test('copy SQLite → PostgreSQL of a fresh demo, then back, gives the same CSV as the CLI export', { skip }, async () => {
  const dir = fresh();
  const a = path.join(dir, 'a.db');
  const b = path.join(dir, 'b.db');
  assert.equal(cli(['demo', '--db', a]).status, 0);
  const mid = tempDb(fresh(), 'copy');
  copy(a, mid);
  copy(mid, b);
  for (const c of ALL) {
    const x = cli(['export', 'csv', c, '--db', a]);
    const y = cli(['export', 'csv', c, '--db', mid]);
    const z = cli(['export', 'csv', c, '--db', b]);
    assert.equal(x.status, 0, x.stderr);
    assert.equal(y.stdout, x.stdout, `${c}: PostgreSQL export equals the SQLite one`);
    assert.equal(z.stdout, x.stdout, `${c}: the round trip gives the same export`);
  }
});

test('copy from a database that does not exist fails and creates nothing', { skip }, () => {
  const dir = fresh();
  const missing = path.join(dir, 'missing.db');
  const to = tempDb(fresh(), 'copy');
  const r = cli(['copy', '--from', missing, '--to', to]);
  assert.notEqual(r.status, 0, `copy --from a missing file: exit ${r.status}\n${r.stdout}`);
  assert.doesNotMatch(r.stdout, /verified/);
  assert.equal(r.stderr.split('\n').filter((l) => l.length).length, 1, `one line on stderr:\n${r.stderr}`);
  assert.ok(!existsSync(missing), 'no empty source file was created');
  const bad = cli(['copy', '--from', missing, '--to', `${PG}/no_such_database_here`]);
  assert.notEqual(bad.status, 0, 'copy to a PostgreSQL database that does not exist');
  assert.equal(bad.stderr.split('\n').filter((l) => l.length).length, 1, `one line on stderr:\n${bad.stderr}`);
});

// An installation is its records and the people who may use it: after a copy the
// same accounts sign in with the same passwords, and the tokens scripts hold work.
test('copy carries the accounts and the API tokens', {
  skip,
}, () => {
  const dir = fresh();
  const a = path.join(dir, 'accounts.db');
  assert.equal(cli(['demo', '--db', a]).status, 0);
  assert.equal(cli(['user', 'add', 'copied.officer', '--role', 'officer', '--db', a], { env: { SUIVI_PASSWORD: 'copied-officer-pw' } }).status, 0);
  assert.equal(cli(['token', 'add', 'copied.officer', '--db', a]).status, 0);
  const to = tempDb(fresh(), 'copy');
  copy(a, to);
  const users = cli(['user', 'list', '--db', to]);
  assert.match(users.stdout, /^copied\.officer\s+officer/m, `the account is on the copy:\n${users.stdout}`);
  const tokens = cli(['token', 'list', '--db', to]);
  assert.match(tokens.stdout, /copied\.officer/, `its token is on the copy:\n${tokens.stdout}`);
});

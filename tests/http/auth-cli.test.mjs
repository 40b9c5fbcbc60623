// Accounts and tokens from the command line: the first admin of `suivi init` (a
// one-time password printed once, or $SUIVI_ADMIN_PASSWORD), `suivi user add /
// passwd / list / disable`, `suivi token add / list / revoke`; what they refuse; and
// that the database keeps no password, session or token in clear.  Both backends.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { cli, tempDir, tempDb, demoDb, dropTempDbs, PG, startServer, assertError } from './harness.mjs';

const dirs = [];
const servers = [];
after(async () => {
  for (const s of servers) await s.cleanup();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dropTempDbs();
});

function freshDb() {
  const d = tempDir();
  dirs.push(d);
  return tempDb(d);
}

/** A database as `suivi demo` makes it. */
function freshDemo() {
  const d = tempDir();
  dirs.push(d);
  return demoDb(d);
}

async function serve(db) {
  const s = await startServer({ db, token: false });
  servers.push(s);
  return s;
}

const ONE_TIME = /^suivi: one-time password for ([a-z0-9._-]+): (\S+)$/m;

/** Signs name in with a printed one-time password: it reaches only /account, where it
 * sets `own`; answers the session signed in again with it. */
async function replaceOneTime(srv, name, oneTime, own) {
  const s = await srv.login(name, oneTime);
  assertError(await s.get('/api/v1/audit'), 403, 'password_change_required', `${name} before a password of its own`);
  const c = await s.form('/account', { current: oneTime, new: own, again: own });
  assert.equal(c.status, 303, `${name} sets its own password`);
  return srv.login(name, own);
}

test('suivi init without SUIVI_ADMIN_PASSWORD prints a one-time password for admin, once; it signs in', async () => {
  const db = freshDb();
  const r = cli(['init', '--db', db], { env: { SUIVI_ADMIN_PASSWORD: '' } });
  assert.equal(r.status, 0, r.stderr);
  const m = ONE_TIME.exec(r.stdout);
  assert.ok(m, `a one-time password on stdout:\n${r.stdout}`);
  assert.equal(m[1], 'admin');
  assert.ok(m[2].length >= 16, `a long password: ${m[2]}`);
  assert.ok(!r.stderr.includes(m[2]), 'not on stderr');
  const again = cli(['init', '--db', db], { env: { SUIVI_ADMIN_PASSWORD: '' } });
  assert.equal(again.status, 0);
  assert.doesNotMatch(again.stdout, ONE_TIME, 'init again: no new password');
  const srv = await serve(db);
  const s = await replaceOneTime(srv, 'admin', m[2], 'admin-own-password');
  assert.equal((await s.get('/api/v1/audit')).status, 200, 'the first admin is an admin');
  await srv.stop();
});

test('suivi init with SUIVI_ADMIN_PASSWORD prints no password and uses it; a short one is refused', async () => {
  const db = freshDb();
  const r = cli(['init', '--db', db], { env: { SUIVI_ADMIN_PASSWORD: 'given-admin-password' } });
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotMatch(r.stdout, ONE_TIME);
  assert.ok(!r.stdout.includes('given-admin-password') && !r.stderr.includes('given-admin-password'), 'the password is not echoed');
  const srv = await serve(db);
  await srv.login('admin', 'given-admin-password');
  await srv.stop();
  const short = cli(['init', '--db', freshDb()], { env: { SUIVI_ADMIN_PASSWORD: 'short' } });
  assert.notEqual(short.status, 0, 'a password under 10 characters');
  assert.match(short.stderr, /at least 10 characters/);
});

test('suivi user add / list / passwd / disable; what they refuse', async () => {
  const db = freshDemo();
  const add = (args, env = {}) => cli(['user', 'add', ...args, '--db', db], { env });
  // A one-time password unless SUIVI_PASSWORD.
  const a = add(['officer.a', '--role', 'officer'], { SUIVI_PASSWORD: '' });
  assert.equal(a.status, 0, a.stderr);
  const pw = ONE_TIME.exec(a.stdout);
  assert.ok(pw && pw[1] === 'officer.a', a.stdout);
  const b = add(['donor-b', '--role', 'donor', '--organisation', '1'], { SUIVI_PASSWORD: 'donor-b-password' });
  assert.equal(b.status, 0, b.stderr);
  assert.doesNotMatch(b.stdout, ONE_TIME);
  assert.equal(add(['focal_c', '--role', 'focal', '--country', 'SN'], { SUIVI_PASSWORD: 'focal-c-password' }).status, 0);
  // Refused: exit 2 for usage, 1 for what the database refuses; one line each.
  for (const [args, status, re] of [
    [['x1', '--role', 'boss'], 2, /--role/],
    [['x2'], 2, /--role/],
    [['x3', '--role', 'focal'], 2, /--country/],
    [['x4', '--role', 'focal', '--country', 'Maroc'], 2, /--country/],
    [['x5', '--role', 'donor', '--organisation', 'abc'], 2, /--organisation/],
    [['Upper', '--role', 'donor'], 2, /NAME/],
    [['has space', '--role', 'donor'], 2, /NAME/],
    [['officer.a', '--role', 'donor'], 1, /already an account named officer\.a/],
  ]) {
    const r = add(args, { SUIVI_PASSWORD: 'some-long-password' });
    assert.equal(r.status, status, `user add ${args.join(' ')}: ${r.status} ${r.stderr}`);
    assert.match(r.stderr, re, `user add ${args.join(' ')}`);
    assert.equal(r.stderr.trim().split('\n').length, 1, `one line: ${r.stderr}`);
  }
  const short = add(['x6', '--role', 'donor'], { SUIVI_PASSWORD: 'short' });
  assert.notEqual(short.status, 0);
  assert.match(short.stderr, /at least 10 characters/);
  // list: every account with its role, country, state; no hash.
  const list = cli(['user', 'list', '--db', db]).stdout;
  for (const re of [/^admin\s+admin\b/m, /^officer\.a\s+officer\b/m, /^donor-b\s+donor\b/m, /^focal_c\s+focal\s+SN\b/m]) assert.match(list, re);
  assert.doesNotMatch(list, /argon2|\$/, 'no password hash');
  assert.doesNotMatch(list, /^x\d/m, 'nothing of the refused ones');
  // passwd: a new one-time password; the old one no longer signs in.
  const p = cli(['user', 'passwd', 'officer.a', '--db', db], { env: { SUIVI_PASSWORD: '' } });
  assert.equal(p.status, 0, p.stderr);
  const pw2 = ONE_TIME.exec(p.stdout);
  assert.ok(pw2 && pw2[2] !== pw[2], p.stdout);
  assert.notEqual(cli(['user', 'passwd', 'nobody', '--db', db]).status, 0, 'passwd of nobody');
  assert.notEqual(cli(['user', 'disable', 'nobody', '--db', db]).status, 0, 'disable of nobody');
  const srv = await serve(db);
  assert.equal((await srv.visitor().login('officer.a', pw[2])).status, 403, 'the old one-time password');
  const s = await replaceOneTime(srv, 'officer.a', pw2[2], 'officer-a-own-password');
  assert.equal((await s.get('/api/v1/audit')).status, 200, 'an officer reads the audit trail');
  const f = await srv.login('focal_c', 'focal-c-password');
  assertError(await f.get('/api/v1/audit'), 403, 'forbidden', 'a focal point');
  // disable
  assert.equal(cli(['user', 'disable', 'officer.a', '--db', db]).status, 0);
  assert.match(cli(['user', 'list', '--db', db]).stdout, /^officer\.a\s.*disabled/m);
  assert.equal((await srv.visitor().login('officer.a', 'officer-a-own-password')).status, 403);
  await srv.stop();
});

// (The foreign-key failure was reported as "there is already an account named NAME":
// fixed in 47ce7bb.)
test('user add with a country or an organisation that does not exist says so', () => {
  const db = freshDemo();
  for (const args of [['ghost1', '--role', 'focal', '--country', 'ZZ'], ['ghost2', '--role', 'donor', '--organisation', '9999']]) {
    const r = cli(['user', 'add', ...args, '--db', db], { env: { SUIVI_PASSWORD: 'ghost-password-1' } });
    assert.notEqual(r.status, 0, `user add ${args.join(' ')}`);
    assert.doesNotMatch(r.stderr, /already an account/, `user add ${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /country|organisation/i, `user add ${args.join(' ')} names what is missing: ${r.stderr}`);
  }
});

test('suivi token add prints the token alone on stdout; list never shows one; revoke', async () => {
  const db = freshDemo();
  const t = cli(['token', 'add', 'admin', '--label', 'backup script', '--db', db]);
  assert.equal(t.status, 0, t.stderr);
  assert.match(t.stdout, /^suivi_[A-Za-z0-9_-]{40,}\n$/, `the token alone, one line: ${JSON.stringify(t.stdout)}`);
  const token = t.stdout.trim();
  assert.match(t.stderr, /token \d+ for admin/);
  assert.ok(!t.stderr.includes(token), 'not on stderr');
  const t2 = cli(['token', 'add', 'admin', '--db', db]).stdout.trim();
  assert.notEqual(t2, token, 'every token its own value');
  const list = cli(['token', 'list', '--db', db]);
  assert.match(list.stdout, /admin\s+backup script/);
  assert.ok(!list.stdout.includes(token) && !list.stdout.includes(token.slice(6, 20)), 'no token in the list');
  assert.notEqual(cli(['token', 'add', 'nobody', '--db', db]).status, 0, 'a token for nobody');
  for (const bad of ['0', '-1', 'x']) assert.equal(cli(['token', 'revoke', bad, '--db', db]).status, 2, `revoke ${bad}`);
  const srv = await serve(db);
  assert.equal((await srv.get('/api/v1/', { auth: token })).status, 200);
  const id = /token (\d+) for/.exec(t.stderr)[1];
  assert.equal(cli(['token', 'revoke', id, '--db', db]).status, 0);
  assertError(await srv.get('/api/v1/', { auth: token }), 401, 'unauthorized', 'revoked');
  assert.equal((await srv.get('/api/v1/', { auth: t2 })).status, 200, 'the other token');
  await srv.stop();
});

test('the database keeps no password, session token or API token in clear', async () => {
  const db = freshDemo();
  const token = cli(['token', 'add', 'admin', '--db', db]).stdout.trim();
  const srv = await serve(db);
  const s = await srv.login('admin', srv.adminPassword);
  const csrf = await s.csrfToken();
  await srv.stop();
  const secrets = { 'the admin password': srv.adminPassword, 'the API token': token, 'its random part': token.slice(6), 'the session token': s.sid };
  let dump;
  if (PG) {
    // (harness psql() runs in the maintenance database: these tables are db's own.)
    dump = ['account', 'session', 'api_token', 'audit'].map((t) => {
      const m = /^(postgres(?:ql)?:\/\/[^/]+)\/(.+)$/.exec(db);
      return psqlIn(m[1], m[2], `COPY (SELECT * FROM ${t}) TO STDOUT`);
    }).join('\n');
  } else {
    dump = ['', '-wal', '-shm'].map((x) => (existsSync(db + x) ? readFileSync(db + x).toString('latin1') : '')).join('\n');
  }
  assert.ok(dump.length > 0);
  for (const [what, v] of Object.entries(secrets)) assert.ok(!dump.includes(v), `${what} is not stored in clear`);
  assert.ok(csrf && csrf.length >= 32, 'the session has a CSRF token');
});

function psqlIn(base, name, sql) {
  const r = spawnSync('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', `${base}/${name}`, '-c', sql], { encoding: 'utf8', timeout: 60000 });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

// (The message named nothing — "Other records refer to this one: ." — fixed in 47ce7bb.)
test('an organisation or a country named by an account: deleting it says why not', async () => {
  const srv = await startServer();
  servers.push(srv);
  const o = await srv.post('/api/v1/organisations', { name: { en: 'Funder' } });
  assert.equal(o.status, 201);
  srv.addUser('funder', 'donor', { organisation: o.json.id });
  const c = await srv.post('/api/v1/countries', { code: 'XQ', name: { en: 'Somewhere' } });
  assert.equal(c.status, 201);
  srv.addUser('focalxq', 'focal', { country: 'XQ' });
  for (const p of [`/api/v1/organisations/${o.json.id}`, '/api/v1/countries/XQ']) {
    const r = await srv.del(p);
    assert.ok(r.status !== 204, `${p}: not deleted from under an account (${r.status})`);
    assert.ok(r.status < 500, `${p}: not an internal error (${r.status})`);
    if (r.status === 409) assert.match(r.json.error.message, /account/i, `${p}: the message names the accounts: ${r.json.error.message}`);
  }
  await srv.stop();
});

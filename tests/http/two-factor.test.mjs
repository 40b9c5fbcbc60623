// Two-factor sign-in (issue 16, item 2): TOTP (RFC 6238) set up on /account/2fa with a
// first code, ten recovery codes shown once; after the password a session reaches
// nothing until it gives a code (a code of the app once, its step or one either side; a
// recovery code once); the administrator requires it for chosen roles (such a session
// reaches nothing but the set-up page), removes it for a lost phone; `suivi user 2fa`
// sets it up for a script's account.  The secret is sealed at rest with the key file.
// Codes are computed here with Node's own crypto, not by suivi.  Both backends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { statSync } from 'node:fs';
import path from 'node:path';
import { useServer, useTempDirs, Session, cli, dbSql, USER_PASSWORD } from './harness.mjs';

const fresh = useTempDirs();
const KEY = path.join(fresh(), 'suivi.key'); // the server's and the command line's
const srv = useServer({ env: { SUIVI_KEY_FILE: KEY } });

function base32decode(s) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0, value = 0;
  const out = [];
  for (const ch of s.replace(/[\s=]/g, '').toUpperCase()) {
    value = (value << 5) | alphabet.indexOf(ch);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** The code of the key (base32) at step, as RFC 6238 computes it. */
function codeAt(key, step) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const h = crypto.createHmac('sha1', base32decode(key)).update(counter).digest();
  const o = h[h.length - 1] & 15;
  return String((h.readUInt32BE(o) & 0x7fffffff) % 1000000).padStart(6, '0');
}

/** The current step, after waiting out the end of one (so that a step asked for does
 * not slide by under the test: a step lasts 30 s). */
async function step() {
  const into = (Date.now() / 1000) % 30;
  if (into > 25) await new Promise((r) => setTimeout(r, (30 - into + 0.5) * 1000));
  return Math.floor(Date.now() / 1000 / 30);
}

/** Posts a code on the code page, with the CSRF token that page carries (the session,
 * pending its code, reaches no other page to read it from). */
async function giveCode(s, code, next = '/needs') {
  const page = await s.get(`/login/code?next=${encodeURIComponent(next)}`);
  const csrf = /name="_csrf" value="([^"]*)"/.exec(page.text)?.[1];
  assert.ok(csrf, `the code page carries the session's CSRF token: ${page.status}`);
  return s.form('/login/code', { code, next }, { csrf });
}

async function signIn(name, password = USER_PASSWORD) {
  const s = new Session(srv);
  s.jar.set('lang', 'en');
  const r = await s.login(name, password, { next: '/needs' });
  assert.equal(r.status, 303, r.text);
  return { s, location: r.headers.get('location') };
}

/** Sets two-factor up through the page; answers the key and the recovery codes. */
async function enrolThroughPage(s) {
  const page = await s.get('/account/2fa');
  assert.equal(page.status, 200, page.text);
  const csrf = /name="_csrf" value="([^"]*)"/.exec(page.text)[1]; // (/account may not be open to it)
  assert.match(page.text, /<svg[^>]*class="qr"/, 'a QR code');
  const key = /<code class="one-time"[^>]*>([A-Z2-7 ]+)<\/code>/.exec(page.text)[1].replace(/ /g, '');
  assert.equal(key.length, 32, '160 bits');
  const wrong = await s.form('/account/2fa', { code: '000000' === codeAt(key, await step()) ? '111111' : '000000' }, { csrf });
  assert.equal(wrong.status, 422);
  assert.ok(wrong.text.includes(key.slice(0, 4)), 'the same key shown again');
  const ok = await s.form('/account/2fa', { code: codeAt(key, await step()) }, { csrf });
  assert.equal(ok.status, 200, ok.text);
  const codes = [...ok.text.matchAll(/<li><code>([a-z2-9]{5}-[a-z2-9]{5})<\/code><\/li>/g)].map((m) => m[1]);
  assert.equal(codes.length, 10, 'ten recovery codes');
  return { key, codes };
}

/** `suivi user 2fa NAME`: the key of the otpauth address it prints, and its codes. */
function enrolThroughCli(name) {
  const r = cli(['user', '2fa', name, '--db', srv.db], { env: { SUIVI_KEY_FILE: KEY } });
  assert.equal(r.status, 0, r.stderr);
  const [uri, ...codes] = r.stdout.trim().split('\n');
  const u = new URL(uri);
  assert.equal(u.protocol, 'otpauth:');
  assert.equal(u.host, 'totp');
  assert.equal(decodeURIComponent(u.pathname), `/suivi:${name}`);
  assert.equal(u.searchParams.get('issuer'), 'suivi');
  assert.equal(codes.length, 10);
  return { key: u.searchParams.get('secret'), codes };
}

test('set up through the page; then a sign-in gives the password, then the code', async () => {
  srv.addUser('tf.one', 'officer');
  const { s } = await signIn('tf.one');
  const { s: other } = await signIn('tf.one'); // a session opened with the password alone
  const theirs = /<code class="one-time"[^>]*>([A-Z2-7 ]+)<\/code>/.exec((await other.get('/account/2fa')).text)[1];
  const { key } = await enrolThroughPage(s);
  assert.notEqual(theirs.replace(/ /g, ''), key, 'a key begun is its session\'s: no other session sees it');
  assert.equal((await other.get('/needs')).status, 303, 'once set up, the sessions opened with the password alone end');
  assert.match((await s.get('/account/2fa')).text, /It is on/);
  const { s: t, location } = await signIn('tf.one');
  assert.match(location, /^\/login\/code\?next=%2Fneeds$/);
  assert.equal((await t.get('/needs')).status, 303, 'nothing before the code');
  assert.equal((await t.get('/api/v1/actions')).status, 401);
  const form = await t.get(location);
  assert.equal(form.status, 200);
  assert.match(form.text, /name="code"/);
  assert.equal((await giveCode(t, 'abcdef')).status, 403);
  const ok = await giveCode(t, codeAt(key, await step() + 1));
  assert.equal(ok.status, 303, ok.text);
  assert.equal(ok.headers.get('location'), '/needs');
  assert.equal((await t.get('/needs')).status, 200, 'signed in');
  const { s: u } = await signIn('tf.one');
  const replay = await giveCode(u, codeAt(key, Math.floor(Date.now() / 1000 / 30) + 1));
  assert.equal(replay.status, 403, 'a code is used once');
});

test('a session pending its code signs out; a one-time password is replaced before setting up', async () => {
  srv.addUser('tf.seven', 'officer');
  enrolThroughCli('tf.seven');
  const { s } = await signIn('tf.seven');
  const page = await s.get('/login/code');
  const csrf = /name="_csrf" value="([^"]*)"/.exec(page.text)[1];
  const out = await s.form('/logout', {}, { csrf });
  assert.equal(out.status, 303, 'signed out');
  assert.equal((await s.get('/login/code')).status, 303, 'no session pending any more');
  // an account made with a one-time password, in a role that requires two-factor
  const admin = await srv.login();
  assert.equal((await admin.form('/accounts/two-factor', { role: ['donor'] })).status, 303);
  const made = cli(['user', 'add', 'tf.eight', '--role', 'donor', '--organisation', '4', '--one-time', '--db', srv.db],
    { env: { SUIVI_KEY_FILE: KEY, SUIVI_PASSWORD: 'first-password-123' } });
  assert.equal(made.status, 0, made.stderr);
  const t = new Session(srv);
  t.jar.set('lang', 'en');
  assert.equal((await t.login('tf.eight', 'first-password-123')).status, 303);
  const account = await t.get('/account');
  assert.equal(account.status, 200, 'the password first: no loop between the two pages');
  const changed = await t.form('/account', { current: 'first-password-123', new: 'second-password-456', again: 'second-password-456' });
  assert.equal(changed.status, 303, changed.text);
  const u = new Session(srv);
  assert.equal((await u.login('tf.eight', 'second-password-456')).status, 303);
  const next = await u.get('/needs');
  assert.equal(next.headers.get('location'), '/account/2fa', 'then the set-up');
  assert.equal((await u.get('/account/2fa')).status, 200);
  assert.equal((await admin.form('/accounts/two-factor', {})).status, 303);
});

test('a code of the step before or after is taken, not two steps away', async () => {
  srv.addUser('tf.two', 'officer');
  srv.addUser('tf.three', 'officer');
  const two = enrolThroughCli('tf.two');
  const three = enrolThroughCli('tf.three');
  const { s } = await signIn('tf.two');
  const now = await step();
  assert.equal((await giveCode(s, codeAt(two.key, now - 2))).status, 403);
  assert.equal((await giveCode(s, codeAt(two.key, now + 2))).status, 403);
  assert.equal((await giveCode(s, codeAt(two.key, now - 1))).status, 303, 'a phone a little behind');
  const { s: t } = await signIn('tf.three');
  assert.equal((await giveCode(t, codeAt(three.key, now + 1))).status, 303, 'a phone a little ahead');
});

test('a recovery code signs in once; the page says how many are left', async () => {
  srv.addUser('tf.four', 'donor');
  const { codes } = enrolThroughCli('tf.four');
  const { s } = await signIn('tf.four');
  const r = await giveCode(s, codes[3].toUpperCase());
  assert.equal(r.status, 303, r.text);
  assert.equal(r.headers.get('location'), '/account/2fa?left=9');
  assert.match((await s.get('/account/2fa?left=9')).text, /Recovery codes left: 9\./);
  const { s: t } = await signIn('tf.four');
  assert.equal((await giveCode(t, codes[3])).status, 403, 'once only');
  assert.equal((await giveCode(t, codes[4].replace('-', ''))).status, 303, 'typed without its dash');
});

test('a role that requires it reaches nothing but the set-up page until set up; audited', async () => {
  const admin = await srv.login();
  admin.jar.set('lang', 'en');
  const list = await admin.get('/accounts');
  assert.match(list.text, /name="role" value="focal"/);
  assert.equal((await admin.form('/accounts/two-factor', { role: ['focal'] })).status, 303);
  srv.addUser('tf.focal', 'focal', { country: 'SN' });
  const { s, location } = await signIn('tf.focal');
  assert.equal(location, '/needs', 'not set up: no code to give');
  const page = await s.get('/needs');
  assert.equal(page.status, 303);
  assert.equal(page.headers.get('location'), '/account/2fa');
  const api = await s.get('/api/v1/needs');
  assert.equal(api.status, 403);
  assert.equal(api.json.error.code, 'two_factor_required');
  assert.match((await s.get('/account/2fa')).text, /the only one open to you/);
  await enrolThroughPage(s);
  assert.equal((await s.get('/needs')).status, 200, 'set up: open again');
  const audit = dbSql(srv.db, "SELECT after FROM audit WHERE entity = 'settings' ORDER BY id DESC LIMIT 1");
  assert.match(audit, /"two_factor_roles":\["focal"\]/);
  assert.equal((await admin.form('/accounts/two-factor', {})).status, 303, 'none required again');
});

test('an administrator removes it (a lost phone), audited; not their own', async () => {
  srv.addUser('tf.five', 'officer');
  enrolThroughCli('tf.five');
  const id = Number(dbSql(srv.db, "SELECT id FROM account WHERE name = 'tf.five'"));
  const admin = await srv.login();
  admin.jar.set('lang', 'en');
  const page = await admin.get(`/accounts/${id}`);
  assert.match(page.text, /On: this account signs in with a one-time code/);
  assert.equal((await admin.form(`/accounts/${id}/2fa-remove`, {})).status, 303);
  const { location } = await signIn('tf.five');
  assert.equal(location, '/needs', 'the password alone again');
  const audit = dbSql(srv.db, `SELECT actor, after FROM audit WHERE entity = 'account' AND record = '${id}' ORDER BY id DESC LIMIT 1`);
  assert.match(audit, /^admin\|\{"two_factor":false\}$/);
  const adminId = Number(dbSql(srv.db, "SELECT id FROM account WHERE name = 'admin'"));
  assert.equal((await admin.form(`/accounts/${adminId}/2fa-remove`, {})).status, 403);
});

test('the secret is sealed with the key file (mode 0600), not kept as it is; suivi user 2fa twice is refused', async () => {
  srv.addUser('tf.six', 'officer');
  const { key } = enrolThroughCli('tf.six');
  const sealed = dbSql(srv.db, "SELECT secret FROM totp t JOIN account a ON a.id = t.account WHERE a.name = 'tf.six'");
  assert.ok(sealed.length > 40 && !sealed.includes(key), 'sealed');
  assert.equal(statSync(KEY).mode & 0o777, 0o600);
  const again = cli(['user', '2fa', 'tf.six', '--db', srv.db], { env: { SUIVI_KEY_FILE: KEY } });
  assert.equal(again.status, 1);
  assert.match(again.stderr, /has two-factor sign-in already/);
});

test('server stops cleanly', () => srv.stop());

// Sessions and API tokens: the cookie a login sets; session fixation (a cookie set
// before the login is never the one after); logout ends the session on the server;
// a password change ends every session of the account; a revoked token and a
// disabled account stop working at once (sessions ending when idle and when old:
// auth-session.waits.test.mjs).  Both backends.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, cli, Session } from './harness.mjs';
import { makeAccounts, signedIn } from './auth-common.mjs';

let srv = null;
let accounts;

before(async () => {
  srv = await startServer();
  accounts = makeAccounts(srv);
});

after(async () => {
  if (srv) await srv.cleanup();
});

const plausible = () => Buffer.from(Array.from({ length: 32 }, () => Math.floor(Math.random() * 256))).toString('base64url');

test('the login cookie: sid, Path=/, HttpOnly, SameSite=Lax, no Secure over plain HTTP, a new value each login', async () => {
  const values = new Set();
  for (let i = 0; i < 3; i++) {
    const s = srv.visitor();
    const r = await s.login(accounts.officer.name, accounts.officer.password, { next: '/meetings' });
    assert.equal(r.status, 303);
    assert.equal(r.headers.get('location'), '/meetings');
    const c = r.setCookies.filter((x) => x.startsWith('sid='));
    assert.equal(c.length, 1, `one sid cookie: ${JSON.stringify(r.setCookies)}`);
    assert.match(c[0], /^sid=[A-Za-z0-9_-]{40,}; /, c[0]);
    assert.match(c[0], /;\s*Path=\/(;|$)/);
    assert.match(c[0], /;\s*HttpOnly(;|$)/i);
    assert.match(c[0], /;\s*SameSite=Lax(;|$)/i);
    assert.doesNotMatch(c[0], /;\s*Secure/i, 'no Secure over plain HTTP');
    assert.doesNotMatch(r.text + r.headers.get('location'), new RegExp(s.sid), 'the token only in the cookie');
    values.add(s.sid);
    assert.ok(await signedIn(s, 'after login'));
  }
  assert.equal(values.size, 3, 'every login its own session');
  // The sign-in page of someone signed in, and pages of a visitor.
  const v = srv.visitor();
  for (const p of ['/', '/login', '/healthz', '/static/style.css']) assert.equal((await v.get(p)).status, 200, `${p} is public`);
  const lang = await v.get('/lang?set=ar&back=/meetings');
  assert.equal(lang.status, 303, '/lang is public');
  assert.equal(lang.headers.get('location'), '/meetings');
});

test('session fixation: a sid cookie set before the login is not the one after', async () => {
  // (a) The attacker plants a value of the right shape, never issued.
  const planted = plausible();
  const victim = new Session(srv, { cookies: { sid: planted } });
  assert.equal(await signedIn(victim, 'the planted cookie alone'), false);
  const r = await victim.login(accounts.admin.name, accounts.admin.password);
  assert.equal(r.status, 303);
  assert.ok(r.setCookies.some((c) => c.startsWith('sid=')), 'the login sets a cookie');
  assert.notEqual(victim.sid, planted, 'a new session token');
  assert.ok(await signedIn(victim, 'the victim after login'));
  const attacker = new Session(srv, { cookies: { sid: planted } });
  assert.equal(await signedIn(attacker, 'the planted value after the victim\'s login'), false);

  // (b) The attacker plants its own valid session (a donor's); the victim signs in
  // as admin: the victim's session is new, the attacker's stays a donor's.
  const donor = await srv.login(accounts.donor.name, accounts.donor.password);
  const victim2 = new Session(srv, { cookies: { sid: donor.sid } });
  await victim2.login(accounts.admin.name, accounts.admin.password);
  assert.notEqual(victim2.sid, donor.sid, 'a new session token');
  const seen = await donor.get('/api/v1/');
  assert.equal(seen.status, 200);
  assert.ok(!seen.json.collections.some((c) => c.name === 'audit'), 'the attacker\'s session is still a donor\'s (no audit trail)');
  assertError(await donor.get('/api/v1/audit'), 403, 'forbidden', 'the attacker after the victim\'s login');

  // (c) A login over an existing session of the same browser also gets a new token.
  const again = await srv.login(accounts.officer.name, accounts.officer.password);
  const before1 = again.sid;
  await again.login(accounts.officer.name, accounts.officer.password);
  assert.notEqual(again.sid, before1, 'a new token at every login');
});

test('logout ends the session on the server: the old cookie no longer works', async () => {
  const s = await srv.login(accounts.officer.name, accounts.officer.password);
  const other1 = await srv.login(accounts.officer.name, accounts.officer.password); // another browser
  const old = s.sid;
  const csrf = await s.csrfToken();
  assert.ok(await signedIn(s, 'before logout'));
  const r = await s.logout();
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/');
  assert.ok(r.setCookies.some((c) => /^sid=;/.test(c) && /Max-Age=0/i.test(c)), `the cookie is cleared: ${JSON.stringify(r.setCookies)}`);
  // Replaying the cookie (a copy kept by an attacker, a shared computer).
  const replay = new Session(srv, { cookies: { sid: old } });
  assert.equal(await signedIn(replay, 'the cookie replayed after logout'), false);
  assertError(await replay.patch('/api/v1/actions/1', { percent: 1 }, { csrf }), 401, 'unauthorized', 'a write with the old cookie and token');
  assert.equal((await replay.form('/actions/1/delete', { _version: '1' }, { csrf })).status, 403, 'a form with the old cookie and token');
  // Only that session ended.
  assert.ok(await signedIn(other1, 'the other browser'));
  // Logging out again (or without a session) does nothing harmful.
  assert.equal((await replay.form('/logout', {}, { csrf })).status, 403);
});

// Issue 12, item 13: an API token made by whoever knew the old password (or stole a
// session) must not outlive the change: it was kept before, and this test said so.
test('changing one\'s password ends every session of the account and revokes its API tokens', async () => {
  const pw0 = 'officer2-first-password';
  srv.addUser('officer2', 'officer', { password: pw0 });
  const tok = srv.addToken('officer2').token;
  const other = srv.addToken(accounts.officer.name).token; // another account's token
  const a = await srv.login('officer2', pw0);
  const b = await srv.login('officer2', pw0);
  const bystander = await srv.login(accounts.officer.name, accounts.officer.password);
  // Refused changes change nothing.
  for (const [what, f, status] of [
    ['a wrong current password', { current: 'not-the-password', new: 'officer2-new-password', again: 'officer2-new-password' }, 403],
    ['two different new passwords', { current: pw0, new: 'officer2-new-password', again: 'officer2-new-passwort' }, 422],
    ['a new password too short', { current: pw0, new: 'short', again: 'short' }, 422],
  ]) {
    const r = await a.form('/account', f);
    assert.equal(r.status, status, `${what}: ${r.status}`);
    assert.match(r.text, /role="alert"/, `${what}: the page says why`);
    assert.ok(await signedIn(a, `after ${what}`));
    assert.ok(await signedIn(b, `the other session after ${what}`));
    assert.equal((await srv.get('/api/v1/', { auth: tok })).status, 200, `the token after ${what}`);
  }
  const pw1 = 'officer2-new-password';
  const aSid = a.sid;
  const r = await a.form('/account', { current: pw0, new: pw1, again: pw1 });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/login?changed=1');
  assert.ok(r.setCookies.some((c) => /^sid=;/.test(c)), 'the cookie is cleared');
  for (const [what, s] of [['the session that changed it', new Session(srv, { cookies: { sid: aSid } })], ['another session', b]]) {
    assert.equal(await signedIn(s, what), false, `${what} ended`);
  }
  assert.ok(await signedIn(bystander, 'another account'), 'another account\'s session goes on');
  assert.equal((await srv.visitor().login('officer2', pw0)).status, 403, 'the old password no longer works');
  await srv.login('officer2', pw1);
  assertError(await srv.get('/api/v1/', { auth: tok }), 401, 'unauthorized', 'the account\'s API token after the change');
  assert.equal((await srv.get('/api/v1/', { auth: other })).status, 200, 'another account\'s token goes on');
  // `suivi user passwd` (an admin resetting it) ends the sessions and the tokens too.
  const tok2 = srv.addToken('officer2').token;
  assert.equal((await srv.get('/api/v1/', { auth: tok2 })).status, 200, 'a token made after the change');
  const c = await srv.login('officer2', pw1);
  const out = cli(['user', 'passwd', 'officer2', '--db', srv.db], { env: { SUIVI_PASSWORD: 'officer2-cli-password' } });
  assert.equal(out.status, 0, out.stderr);
  assert.match(out.stdout, /API tokens revoked/);
  assert.equal(await signedIn(c, 'after suivi user passwd'), false);
  assertError(await srv.get('/api/v1/', { auth: tok2 }), 401, 'unauthorized', 'the token after suivi user passwd');
  assert.equal((await srv.get('/api/v1/', { auth: other })).status, 200, 'another account\'s token goes on');
  const listed = cli(['token', 'list', '--db', srv.db]).stdout;
  assert.ok(listed.split('\n').filter((l) => /officer2/.test(l)).every((l) => /revoked/.test(l)), `token list shows them revoked:\n${listed}`);
  await srv.login('officer2', 'officer2-cli-password');
});

// Issue 12, item 13: a person saw no trace of their API tokens and could not end one.
test('the account page lists one\'s own API tokens and ends one, after a confirmation page', async () => {
  srv.addUser('tokens1', 'officer', { password: 'tokens1-password' });
  const a = srv.addToken('tokens1', 'nightly sync');
  const b = srv.addToken('tokens1', '<b>bold</b> script');
  const other = srv.addToken(accounts.officer.name, 'not tokens1\'s');
  const s = await srv.login('tokens1', 'tokens1-password');
  s.jar.set('lang', 'en');
  const page = await s.get('/account');
  assert.equal(page.status, 200);
  assert.match(page.text, /<h2 id="tokens">Your API tokens<\/h2>/);
  assert.ok(page.text.includes('nightly sync') && page.text.includes('&lt;b&gt;bold&lt;/b&gt; script'), 'both labels, escaped');
  assert.ok(!page.text.includes('not tokens1'), 'not another account\'s token');
  for (const t of [a, b]) assert.ok(page.text.includes(`href="/account/tokens/${t.id}"`), `a way to end token ${t.id}`);
  // The confirmation page says what goes, and changes nothing.
  const confirm = await s.get(`/account/tokens/${a.id}`);
  assert.equal(confirm.status, 200);
  assert.match(confirm.text, /Revoke this API token\?/);
  assert.match(confirm.text, /nightly sync/);
  assert.match(confirm.text, /refused \(401\)/);
  assert.ok(confirm.text.includes(`action="/account/tokens/${a.id}"`));
  assert.equal((await srv.get('/api/v1/', { auth: a.token })).status, 200, 'not revoked by looking');
  // Without the form's CSRF token: refused.
  assert.equal((await s.form(`/account/tokens/${a.id}`, {}, { csrf: false })).status, 403);
  assert.equal((await srv.get('/api/v1/', { auth: a.token })).status, 200);
  // Revoked: that token ends at once; the other and another account's go on.
  const r = await s.form(`/account/tokens/${a.id}`, {});
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/account?revoked=1#tokens');
  assertError(await srv.get('/api/v1/', { auth: a.token }), 401, 'unauthorized', 'the revoked token');
  assert.equal((await srv.get('/api/v1/', { auth: b.token })).status, 200, 'the other token of the account');
  assert.equal((await srv.get('/api/v1/', { auth: other.token })).status, 200, 'another account\'s token');
  const after = await s.get('/account?revoked=1');
  assert.match(after.text, /The token was revoked\./);
  assert.match(after.text, /Revoked on/);
  assert.ok(!after.text.includes(`href="/account/tokens/${a.id}"`), 'no way to end it twice');
  // Another account's token, a revoked one, a number that is none: 404, nothing changes.
  for (const id of [other.id, a.id, 999999, 'x']) {
    assert.equal((await s.get(`/account/tokens/${id}`)).status, 404, `GET token ${id}`);
    assert.equal((await s.form(`/account/tokens/${id}`, {})).status, 404, `POST token ${id}`);
  }
  assert.equal((await srv.get('/api/v1/', { auth: other.token })).status, 200, 'another account\'s token still goes on');
  // Nobody signed in: the sign-in page.
  const anon = await srv.visitor().get(`/account/tokens/${b.id}`);
  assert.equal(anon.status, 303);
  assert.match(anon.headers.get('location'), /^\/login\?next=/);
  assert.match(cli(['token', 'list', '--db', srv.db]).stdout, new RegExp(`^\\s*${a.id}\\s.*revoked`, 'm'), 'suivi token list shows it revoked');
});

test('a revoked API token answers 401 at once; the others go on', async () => {
  const a = srv.addToken(accounts.officer.name, 'to revoke');
  const b = srv.addToken(accounts.officer.name, 'to keep');
  for (const t of [a, b]) assert.equal((await srv.get('/api/v1/actions/1', { auth: t.token })).status, 200);
  const list0 = cli(['token', 'list', '--db', srv.db]);
  assert.match(list0.stdout, new RegExp(`^${a.id}\\s+${accounts.officer.name}\\s+to revoke`, 'm'));
  assert.ok(!list0.stdout.includes(a.token) && !list0.stderr.includes(a.token), 'token list never shows a token');
  const r = cli(['token', 'revoke', String(a.id), '--db', srv.db]);
  assert.equal(r.status, 0, r.stderr);
  const gone = await srv.get('/api/v1/actions/1', { auth: a.token });
  assertError(gone, 401, 'unauthorized', 'the revoked token');
  assert.equal(gone.headers.get('www-authenticate'), 'Bearer realm="suivi"');
  assertError(await srv.patch('/api/v1/actions/1', { percent: 9 }, { auth: a.token }), 401, 'unauthorized', 'a write with it');
  assert.equal((await srv.get('/actions/1', { auth: a.token })).status, 303, 'a page with it: to the login page');
  assert.equal((await srv.get('/api/v1/actions/1', { auth: b.token })).status, 200, 'the other token goes on');
  assert.match(cli(['token', 'list', '--db', srv.db]).stdout, new RegExp(`^${a.id}\\s.*revoked`, 'm'), 'listed as revoked');
  assert.notEqual(cli(['token', 'revoke', String(a.id), '--db', srv.db]).status, 0, 'revoking twice fails');
  assert.notEqual(cli(['token', 'revoke', '99999', '--db', srv.db]).status, 0, 'no such token');
});

test('Authorization: other schemes, malformed or unknown bearer tokens answer 401', async () => {
  const good = accounts.officer.token;
  for (const h of ['Basic YWRtaW46YWRtaW4=', `Token ${good}`, 'Bearer', 'Bearer ', `Bearer ${good}x`, `Bearer ${good.slice(0, -1)}`,
    `Bearer ${good.replace(/^suivi_/, '')}`, 'Bearer suivi_!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!', `Bearer ${'A'.repeat(5000)}`]) {
    const r = await srv.get('/api/v1/', { headers: { Authorization: h } });
    assertError(r, 401, 'unauthorized', `Authorization: ${h.slice(0, 40)}`);
  }
  // The scheme is case-insensitive (RFC 7235).
  assert.equal((await srv.get('/api/v1/', { headers: { Authorization: `bearer ${good}` } })).status, 200);
  // A bad Authorization header is not rescued by a good session cookie.
  const s = await srv.login(accounts.officer.name, accounts.officer.password);
  const r = await srv.get('/api/v1/', { headers: { Authorization: `Bearer ${good}x`, Cookie: `sid=${s.sid}` } });
  assertError(r, 401, 'unauthorized', 'a bad bearer token with a good cookie');
  // Cookies that are not sessions.
  for (const c of ['sid=', 'sid=x', `sid=${plausible()}`, `sid=${s.sid}x`, `sid=${s.sid.slice(0, -1)}`]) {
    const v = await srv.get('/api/v1/', { headers: { Cookie: c }, auth: false });
    assertError(v, 401, 'unauthorized', `Cookie: ${c.slice(0, 20)}…`);
  }
  // Every API route, every method, without credentials: 401 with the challenge.
  for (const [m, p] of [['GET', '/api/v1/'], ['GET', '/api/v1/openapi.json'], ['GET', '/api/v1/nosuch'], ['POST', '/api/v1/actions'],
    ['PUT', '/api/v1/actions/1'], ['OPTIONS', '/api/v1/actions'], ['GET', '/api/v1/actions.csv']]) {
    const r = await srv.request(m, p, { auth: false });
    assertError(r, 401, 'unauthorized', `${m} ${p}`);
    assert.equal(r.headers.get('www-authenticate'), 'Bearer realm="suivi"', `${m} ${p}`);
  }
});

test('a disabled account: its sessions and tokens stop at once, its password no longer signs in', async () => {
  const pw = 'officer3-password';
  srv.addUser('officer3', 'officer', { password: pw });
  const { token } = srv.addToken('officer3');
  const s = await srv.login('officer3', pw);
  assert.ok(await signedIn(s, 'before'));
  assert.equal((await srv.get('/api/v1/', { auth: token })).status, 200);
  const r = cli(['user', 'disable', 'officer3', '--db', srv.db]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(await signedIn(s, 'the session after disable'), false);
  assertError(await srv.get('/api/v1/', { auth: token }), 401, 'unauthorized', 'the token after disable');
  const again = await srv.visitor({ localAddress: '127.0.0.31' }).login('officer3', pw);
  assert.equal(again.status, 403, 'the right password of a disabled account');
  const unknown = await srv.visitor({ localAddress: '127.0.0.32' }).login('officer3-nobody', pw);
  assert.equal(again.text.replace(/officer3/g, 'NAME'), unknown.text.replace(/officer3-nobody/g, 'NAME'), 'answered as an unknown name');
  assert.match(cli(['user', 'list', '--db', srv.db]).stdout, /^officer3\s.*disabled/m);
  assert.notEqual(cli(['token', 'add', 'officer3', '--db', srv.db]).status, 0, 'no new token for a disabled account');
});

test('server stops cleanly', () => srv.stop());

// Single sign-on with OpenID Connect (issue 16, item 1), against a provider the test
// steers (oidc-fake.mjs): the authorization-code flow with PKCE, the ID token's
// signature (RS256, ES256) and claims checked, the state bound to the browser and
// used once; accounts found by their verified address, the administrator's admission
// rules and requests, the provider's second factor trusted or not.  Both backends.
// (The sign-in through Chromium against a real provider: oidc-chromium.test.mjs.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, Session, httpExchange, dbSql, cli, tempDir, USER_PASSWORD } from './harness.mjs';
import { startFakeProvider } from './oidc-fake.mjs';

const CLIENT = 'suivi-tests';
const SECRET = 'a-client-secret: with spaces & signs';
let op, srv, keyFile;

before(async () => {
  op = await startFakeProvider({ clientId: CLIENT, clientSecret: SECRET });
  const dir = tempDir();
  const secretFile = path.join(dir, 'client-secret');
  writeFileSync(secretFile, `${SECRET}\n`, { mode: 0o600 });
  keyFile = path.join(dir, 'suivi.key');
  srv = await startServer({
    env: { SUIVI_KEY_FILE: keyFile },
    args: ['--oidc-issuer', op.issuer, '--oidc-client-id', CLIENT, '--oidc-client-secret-file', secretFile,
      '--oidc-name', 'UN Unite'],
  });
});
after(async () => {
  await srv?.cleanup();
  await op?.stop();
});

/** A browser that reads English (the pages' default, without a choice, is French). */
function browser(server, cookies = {}) {
  return new Session(server, { cookies: { lang: 'en', ...cookies } });
}

let people = 0;
/** A person the provider knows: a fresh subject and address (at domain). */
function person(extra = {}, domain = 'example.org') {
  people++;
  return { sub: `subject-${people}-${Math.random().toString(36).slice(2)}`, email: `person${people}@${domain}`, email_verified: true, name: `Person ${people}`, ...extra };
}

/** The whole round: suivi's button, the provider, suivi's callback.  Answers
 * {session, start, callback, back} (back: the callback's address, to replay). */
async function signIn(user, { session = browser(srv), next = '/needs', spoil = null, signWith = 'rs' } = {}) {
  op.next = user;
  op.spoil = spoil;
  op.signWith = signWith;
  const start = await session.get(`/login/with/sso?next=${encodeURIComponent(next)}`);
  assert.equal(start.status, 303, start.text.slice(0, 300));
  const to = start.headers.get('location');
  assert.ok(to.startsWith(`${op.issuer}/auth?`), to);
  const auth = await httpExchange(to);
  assert.equal(auth.status, 302);
  const back = new URL(auth.headers.get('location'));
  const callback = await session.get(back.pathname + back.search);
  return { session, start, callback, back: back.pathname + back.search };
}

function signedInAs(r, next = '/needs') {
  assert.equal(r.callback.status, 303, r.callback.text.slice(0, 400));
  assert.equal(r.callback.headers.get('location'), next);
  assert.ok(r.session.sid, 'a session cookie');
}

async function whoAmI(session) {
  const page = await session.get('/account');
  assert.equal(page.status, 200);
  return /<dt>[^<]*<\/dt><dd>([^<]*)<\/dd>/.exec(page.text)[1];
}

test('the sign-in page offers the provider beside the password form', async () => {
  const page = await browser(srv).get('/login?next=/needs');
  assert.match(page.text, /href="\/login\/with\/sso\?next=%2Fneeds"[^>]*>Sign in with UN Unite</);
  assert.match(page.text, /name="password"/);
  assert.equal((await browser(srv).get('/login/with/nobody')).status, 404);
});

test('the request to the provider: code flow, PKCE S256, state and nonce, our redirect address', async () => {
  const s = browser(srv);
  const start = await s.get('/login/with/sso?next=/needs');
  const q = Object.fromEntries(new URL(start.headers.get('location')).searchParams);
  assert.equal(q.response_type, 'code');
  assert.equal(q.client_id, CLIENT);
  assert.equal(q.redirect_uri, `${srv.base}/login/oidc/callback`);
  assert.equal(q.scope, 'openid email profile');
  assert.equal(q.code_challenge_method, 'S256');
  assert.match(q.code_challenge, /^[A-Za-z0-9_-]{43}$/);
  assert.match(q.state, /^[A-Za-z0-9_-]{43}$/);
  assert.match(q.nonce, /^[A-Za-z0-9_-]{43}$/);
  const cookie = start.setCookies.find((c) => c.startsWith('suivi_oidc='));
  assert.ok(cookie, 'the state goes to the browser');
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Lax/);
  assert.equal(cookie.split(';')[0], `suivi_oidc=${q.state}`);
});

test('an account is found by its verified address, then by the provider\'s subject', async () => {
  const user = person();
  srv.addUser(`officer-${people}`, 'officer', { email: user.email.toUpperCase() });
  const first = await signIn(user);
  signedInAs(first);
  assert.equal(await whoAmI(first.session), `officer-${people}`);
  assert.ok(!first.callback.setCookies.some((c) => /^suivi_oidc=[^;]/.test(c)), 'the state cookie is spent');
  // the PKCE verifier reached the provider (it refuses the code otherwise) …
  // … and the next time the subject alone finds the account, whatever its address now
  const again = await signIn({ ...user, email: 'changed@example.org' });
  signedInAs(again);
  assert.equal(await whoAmI(again.session), `officer-${people}`);
  const audit = dbSql(srv.db, "SELECT after FROM audit WHERE entity = 'account' AND after LIKE '%sign_in_link%'");
  assert.ok(audit.includes(user.sub), 'the link to the subject is audited');
  const signIns = await first.session.get('/account');
  assert.match(signIns.text, /127\.0\.0\.1/, 'the sign-in is listed on the account page');
});

test('ES256 tokens are accepted as RS256 ones', async () => {
  const user = person();
  srv.addUser(`es-${people}`, 'donor', { organisation: 1, email: user.email });
  const r = await signIn(user, { signWith: 'es' });
  signedInAs(r);
});

for (const [what, options] of [
  ['signed with a key that is not the provider\'s', { signWith: 'rogue' }],
  ['unsigned (alg none)', { signWith: 'none' }],
  ['signed with the client secret (HS256)', { signWith: 'hs' }],
  ['expired', { spoil: (c) => { c.exp = c.iat - 600; } }],
  ['issued in the future', { spoil: (c) => { c.iat += 3600; c.exp += 3600; } }],
  ['for another client', { spoil: (c) => { c.aud = 'another-client'; } }],
  ['for several audiences, issued to another', { spoil: (c) => { c.aud = [CLIENT, 'other']; c.azp = 'other'; } }],
  ['from another issuer', { spoil: (c) => { c.iss = 'https://elsewhere.example.org'; } }],
  ['of another sign-in (nonce)', { spoil: (c) => { c.nonce = 'not-the-nonce'; } }],
  ['without a subject', { spoil: (c) => { delete c.sub; } }],
]) {
  test(`an ID token ${what} is refused`, async () => {
    const user = person();
    srv.addUser(`bad-${people}`, 'officer', { email: user.email });
    const r = await signIn(user, options);
    assert.equal(r.callback.status, 400, r.callback.text.slice(0, 300));
    assert.match(r.callback.text, /This sign-in did not work/);
    assert.equal(r.session.sid, null, 'no session');
  });
}

test('a replayed answer or ID token is refused; the state belongs to the browser that began', async () => {
  const user = person();
  srv.addUser(`replay-${people}`, 'officer', { email: user.email });
  const ok = await signIn(user);
  signedInAs(ok);
  // the same callback again, from the same browser: the state was used
  const again = await browser(srv, { suivi_oidc: new URL(srv.base + ok.back).searchParams.get('state') }).get(ok.back);
  assert.equal(again.status, 400);
  // the provider handing the same ID token to a new sign-in: its nonce is the old one
  op.replay = op.lastToken;
  try {
    const replayed = await signIn(user);
    assert.equal(replayed.callback.status, 400);
    assert.equal(replayed.session.sid, null);
  } finally {
    op.replay = null;
  }
  // an answer carried to another browser (no cookie, or another state's): refused
  op.next = user;
  const s = browser(srv);
  const start = await s.get('/login/with/sso');
  const back = new URL((await httpExchange(start.headers.get('location'))).headers.get('location'));
  const stranger = await browser(srv).get(back.pathname + back.search);
  assert.equal(stranger.status, 400);
  const other = await browser(srv, { suivi_oidc: 'A'.repeat(43) }).get(back.pathname + back.search);
  assert.equal(other.status, 400);
  // and the rightful browser still can (the stranger's try did not spend it)
  const mine = await s.get(back.pathname + back.search);
  assert.equal(mine.status, 303);
});

test('the provider\'s refusal and an unreachable provider are said plainly', async () => {
  const s = browser(srv);
  await s.get('/login/with/sso');
  const no = await s.get('/login/oidc/callback?error=access_denied&state=x');
  assert.equal(no.status, 403);
  assert.match(no.text, /did not sign you in/);
  op.down = true;
  try {
    const callback = await signIn(person()).catch((e) => e);
    // discovery is kept an hour: the way there works; the token endpoint does not answer
    assert.ok(!(callback instanceof Error), String(callback));
    assert.equal(callback.callback.status, 502);
    assert.match(callback.callback.text, /could not reach/);
  } finally {
    op.down = false;
  }
});

test('an address not verified finds no account; no rule: a clear page and no account', async () => {
  const user = person({ email_verified: false });
  srv.addUser(`unverified-${people}`, 'officer', { email: user.email });
  const r = await signIn(user);
  assert.equal(r.callback.status, 403);
  assert.match(r.callback.text, /There is no suivi account for/);
  assert.equal(r.session.sid, null);
  const before = dbSql(srv.db, 'SELECT COUNT(*) FROM account');
  const stranger = await signIn(person({}, 'nowhere.example'));
  assert.equal(stranger.callback.status, 403);
  assert.match(stranger.callback.text, /person\d+@nowhere\.example/);
  assert.equal(dbSql(srv.db, 'SELECT COUNT(*) FROM account'), before);
});

test('a disabled account is not opened through the provider', async () => {
  const user = person();
  srv.addUser(`gone-${people}`, 'officer', { email: user.email });
  assert.equal(cli(['user', 'disable', `gone-${people}`, '--db', srv.db], { setUp: true }).status, 0);
  const r = await signIn(user);
  assert.equal(r.callback.status, 403);
  assert.match(r.callback.text, /disabled/);
});

test('rules: a domain admits at once; a group lets people ask, an administrator approves', async () => {
  const admin = await srv.login();
  // an officer may not touch the rules
  srv.addUser('rules-officer', 'officer');
  const officer = await srv.login('rules-officer', USER_PASSWORD);
  assert.equal((await officer.form('/accounts/sign-in-rules', { provider: 'sso', kind: 'domain', value: 'x.org', admit: '1', role: 'officer' })).status, 403);
  let r = await admin.form('/accounts/sign-in-rules', { provider: 'sso', kind: 'domain', value: 'Ministry.Example', admit: '1', role: 'focal', country: 'SN' });
  assert.equal(r.status, 303);
  r = await admin.form('/accounts/sign-in-rules', { provider: 'sso', kind: 'group', value: 'suivi-donors', admit: '0', role: 'donor', organisation: '1' });
  assert.equal(r.status, 303);
  assert.equal((await admin.form('/accounts/sign-in-rules', { provider: 'sso', kind: 'domain', value: 'a@b', admit: '1', role: 'officer' })).status, 422);
  assert.equal((await admin.form('/accounts/sign-in-rules', { provider: 'sso', kind: 'domain', value: 'c.org', admit: '1', role: 'focal' })).status, 422, 'a focal point needs its country');
  const page = await admin.get('/accounts', { headers: { 'Accept-Language': 'en' } });
  assert.match(page.text, /ministry\.example/);
  assert.match(page.text, /Redirect address to register/);
  assert.ok(page.text.includes(`${srv.base}/login/oidc/callback`));

  // admitted at once, as the rule says; the account is theirs from then on
  const focal = person({}, 'ministry.example');
  const first = await signIn(focal, { next: '/' });
  signedInAs(first, '/');
  assert.equal(dbSql(srv.db, `SELECT role || ' ' || country FROM account WHERE email = '${focal.email}'`), 'focal SN');
  const second = await signIn(focal, { next: '/' });
  signedInAs(second, '/');
  assert.equal(dbSql(srv.db, `SELECT COUNT(*) FROM account WHERE email = '${focal.email}'`), '1');

  // a group member asks; nothing opens until an administrator approves
  const donor = person({ groups: ['staff', 'suivi-donors'] }, 'donor.example');
  const asked = await signIn(donor);
  assert.equal(asked.callback.status, 202);
  assert.match(asked.callback.text, /request/i);
  assert.equal(asked.session.sid, null);
  assert.equal((await signIn(donor)).callback.status, 202, 'asking twice changes nothing');
  const list = await admin.get('/accounts');
  assert.ok(list.text.includes(donor.email), 'the request is listed');
  const id = /\/accounts\/sign-in-requests\/(\d+)\/approve/.exec(list.text)[1];
  const approved = await admin.form(`/accounts/sign-in-requests/${id}/approve`, {});
  assert.equal(approved.status, 303);
  assert.match(approved.headers.get('location'), /^\/accounts\/\d+$/);
  const now = await signIn(donor);
  signedInAs(now);
  const audit = dbSql(srv.db, "SELECT entity || ' ' || action FROM audit WHERE entity IN ('sign_in_rule', 'sign_in_request') ORDER BY id");
  assert.match(audit, /sign_in_rule create[\s\S]*sign_in_rule create[\s\S]*sign_in_request delete/);

  // refused: the request goes, no account
  const other = person({ groups: ['suivi-donors'] }, 'donor.example');
  assert.equal((await signIn(other)).callback.status, 202);
  const rid = new RegExp(`${other.email.replace(/\./g, '\\.')}[\\s\\S]*?/accounts/sign-in-requests/(\\d+)/refuse`).exec((await admin.get('/accounts')).text)[1];
  assert.equal((await admin.form(`/accounts/sign-in-requests/${rid}/refuse`, {})).status, 303);
  assert.equal((await signIn(other)).callback.status, 202, 'they may ask again');

  // rules removed: nobody new is admitted
  for (const m of (await admin.get('/accounts')).text.matchAll(/\/accounts\/sign-in-rules\/(\d+)\/delete/g)) {
    assert.equal((await admin.form(`/accounts/sign-in-rules/${m[1]}/delete`, {})).status, 303);
  }
  assert.equal((await signIn(person({}, 'ministry.example'))).callback.status, 403);
});

test('two-factor: the code after the provider, unless the administrator trusts its second factor', async () => {
  const user = person({ amr: ['pwd', 'otp'] });
  const name = `twofa-${people}`;
  srv.addUser(name, 'officer', { email: user.email });
  assert.equal(cli(['user', '2fa', name, '--db', srv.db], { env: { SUIVI_KEY_FILE: keyFile }, setUp: true }).status, 0);
  const r = await signIn(user);
  assert.equal(r.callback.status, 303);
  assert.equal(r.callback.headers.get('location'), '/login/code?next=%2Fneeds');
  assert.equal((await r.session.get('/needs')).status, 303, 'nothing before the code');

  const admin = await srv.login();
  assert.equal((await admin.form('/accounts/sign-in-providers/sso/trust', { trust: '1' })).status, 303);
  assert.match((await admin.get('/accounts')).text, /name="trust" value="1" checked/);
  const trusted = await signIn(user);
  signedInAs(trusted);
  assert.equal((await trusted.session.get('/needs')).status, 200);
  // a token that names no second factor still asks for the code
  const pwdOnly = await signIn({ ...user, amr: ['pwd'] });
  assert.equal(pwdOnly.callback.headers.get('location'), '/login/code?next=%2Fneeds');
  assert.equal((await admin.form('/accounts/sign-in-providers/sso/trust', {})).status, 303);
  const again = await signIn(user);
  assert.equal(again.callback.headers.get('location'), '/login/code?next=%2Fneeds');
  assert.match(dbSql(srv.db, "SELECT after FROM audit WHERE entity = 'settings' AND record = 'trust_provider_mfa' ORDER BY id"), /"trust_provider_mfa":true[\s\S]*"trust_provider_mfa":false/);
});

test('an administrator sets an account\'s address on its page; two accounts never share one', async () => {
  const admin = await srv.login();
  srv.addUser('mail-a', 'officer');
  srv.addUser('mail-b', 'officer');
  const a = dbSql(srv.db, "SELECT id FROM account WHERE name = 'mail-a'");
  const b = dbSql(srv.db, "SELECT id FROM account WHERE name = 'mail-b'");
  let r = await admin.form(`/accounts/${a}/email`, { email: 'Shared@Example.org' });
  assert.equal(r.status, 303);
  assert.match((await admin.get(`/accounts/${a}`)).text, /value="shared@example\.org"/);
  r = await admin.form(`/accounts/${b}/email`, { email: 'shared@example.org' });
  assert.equal(r.status, 409);
  r = await admin.form(`/accounts/${b}/email`, { email: 'not an address' });
  assert.equal(r.status, 422);
  r = await admin.form(`/accounts/${a}/email`, { email: '' });
  assert.equal(r.status, 303);
  assert.equal(dbSql(srv.db, `SELECT COUNT(*) FROM account WHERE id = ${a} AND email IS NULL`), '1');
});

test('several providers from a configuration file; a wrong configuration stops the server with a clear message', async () => {
  const dir = tempDir();
  const secret = path.join(dir, 'secret');
  writeFileSync(secret, 'the-secret\n');
  const config = path.join(dir, 'oidc.json');
  writeFileSync(config, JSON.stringify({
    public_url: 'https://suivi.example.org/',
    providers: [
      { id: 'un', name: 'United Nations', issuer: op.issuer, client_id: 'a', client_secret_file: secret },
      { id: 'ministry', name: 'Ministère', issuer: 'https://id.ministry.example', client_id: 'b', client_secret_file: secret, scopes: 'openid email groups', groups_claim: 'roles' },
    ],
  }));
  const two = await startServer({ args: ['--oidc-config', config] });
  try {
    const page = await browser(two).get('/login');
    assert.match(page.text, /href="\/login\/with\/un\?next=%2F"[^>]*>Sign in with United Nations</);
    assert.match(page.text, /href="\/login\/with\/ministry\?next=%2F"[^>]*>Sign in with Ministère</);
    const start = await browser(two).get('/login/with/un');
    const q = new URL(start.headers.get('location')).searchParams;
    assert.equal(q.get('redirect_uri'), 'https://suivi.example.org/login/oidc/callback', '--public-url\'s address');
    assert.equal(q.get('client_id'), 'a');
  } finally {
    await two.cleanup();
  }
  const refused = [
    [['--oidc-issuer', 'http://id.example.org', '--oidc-client-id', 'x', '--oidc-client-secret-file', secret], /https:\/\//],
    [['--oidc-issuer', 'https://id.example.org', '--oidc-client-id', 'x', '--oidc-client-secret-file', path.join(dir, 'none')], /cannot read the client secret file/],
    [['--oidc-issuer', 'https://id.example.org', '--oidc-client-secret-file', secret], /needs a client id/],
    [['--oidc-config', path.join(dir, 'none.json')], /none\.json/],
  ];
  for (const [args, message] of refused) {
    const r = cli(['serve', '--db', srv.db, '--port', '0', ...args], { check: true });
    assert.equal(r.status, 1, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
  }
  writeFileSync(config, JSON.stringify({ providers: [{ id: 'Bad Id', issuer: op.issuer, client_id: 'a', client_secret_file: secret }] }));
  const bad = cli(['serve', '--db', srv.db, '--port', '0', '--oidc-config', config]);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /a provider's id is 1 to 32 of a-z 0-9 -/);
});

test('an account made on the accounts page (a one-time password) opens through the provider without a password to choose', async () => {
  const admin = await srv.login();
  const user = person();
  const made = await admin.form('/accounts/new', { name: `made-${people}`, role: 'officer', email: user.email });
  assert.equal(made.status, 201, made.text.slice(0, 300));
  const r = await signIn(user);
  signedInAs(r);
  assert.equal((await r.session.get('/needs')).status, 200, 'not sent to change a password it never had');
  assert.equal(dbSql(srv.db, `SELECT must_change FROM account WHERE name = 'made-${people}'`), '0');
  // and the one-time password shown to the administrator opens nothing any more
  const pw = /<code[^>]*>([A-Za-z0-9_-]{20})<\/code>/.exec(made.text)[1];
  assert.equal((await browser(srv).login(`made-${people}`, pw)).status, 403);
});

test('a flood of sign-ins begun and never ended stops at a bound, not in a full database', async () => {
  const now = Math.floor(Date.now() / 1000);
  dbSql(srv.db, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000) INSERT INTO oidc_state (state_hash, provider, nonce, verifier, next, created_at) SELECT 'flood-' || i, 'sso', 'n', 'v', '/', ${now} FROM n`);
  try {
    const r = await browser(srv).get('/login/with/sso');
    assert.equal(r.status, 503);
    assert.ok(r.headers.get('retry-after'));
  } finally {
    dbSql(srv.db, "DELETE FROM oidc_state WHERE state_hash LIKE 'flood-%'");
  }
  assert.equal((await browser(srv).get('/login/with/sso')).status, 303);
});

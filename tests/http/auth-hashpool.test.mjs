// Issue 12, item 6: passwords are hashed off the request threads.  Argon2id (tens of
// milliseconds of CPU, 64 MiB) ran on one of the server's two request threads: two
// sign-ins at once held both, and every other request waited.  Now a sign-in's (and a
// password change's) connection waits while a small pool of threads does the work
// (src/core/hashpool.h); a full pool answers 503 with Retry-After.  SUIVI_HASH_QUEUE sets how
// many such requests the pool holds (0: none, which makes "full" certain here), and
// SUIVI_HASH_THREADS its threads.  No timing is asserted: only what is answered, and
// in which order.  Both backends.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, httpExchange, dbSql } from './harness.mjs';
import { makeAccounts } from './auth-common.mjs';

let srv = null;
let accounts;

before(async () => {
  srv = await startServer({ env: { SUIVI_HASH_THREADS: '1' } });
  accounts = makeAccounts(srv);
});

after(async () => {
  if (srv) await srv.cleanup();
});

function assertBusy(r, what) {
  assert.equal(r.status, 503, `${what}: ${r.status}`);
  assert.match(r.headers.get('retry-after') || '', /^[1-9]\d*$/, `${what}: Retry-After`);
  assert.match(r.headers.get('content-type') || '', /^text\/html/, `${what}: a page`);
  assert.match(r.text, /role="alert"[^>]*>.*signing in at this moment/s, `${what}: it says why`);
  assert.equal(r.setCookies.filter((c) => /^sid=[^;]/.test(c)).length, 0, `${what}: no session`);
}

test('a full hash pool: sign-ins and password changes get 503 with Retry-After; everything else goes on', async () => {
  // A second process on the same database whose pool takes nothing.
  const full = await startServer({ db: srv.db, env: { SUIVI_HASH_QUEUE: '0' } });
  try {
    const visitor = full.visitor({ localAddress: '127.0.0.31', cookies: { lang: 'en' } }); // the assertions read English
    const r = await visitor.login(accounts.officer.name, accounts.officer.password);
    assertBusy(r, 'sign-in');
    // A session made through the other process: its password change is refused alike.
    const s = await srv.login(accounts.officer.name, accounts.officer.password);
    s.jar.set('lang', 'en');
    const csrf = await s.csrfToken();
    s.srv = full;
    const change = await s.form('/account', { current: accounts.officer.password, new: 'another-password-1', again: 'another-password-1' }, { csrf });
    assertBusy(change, 'password change');
    // The rest is served: pages, the API, /healthz, the sign-in form itself.
    for (const p of ['/healthz', '/login', '/']) assert.equal((await full.get(p, { auth: false })).status, 200, p);
    assert.equal((await full.get('/api/v1/actions?limit=1')).status, 200);
    assert.equal((await s.get('/account')).status, 200, 'the session, on the full process');
    // Nothing changed: the password is the old one.
    s.srv = srv;
    assert.equal((await srv.visitor().login(accounts.officer.name, accounts.officer.password)).status, 303);
    await full.stop({ allow: [503] });
  } finally {
    await full.cleanup();
  }
});

// A password hashed at the release binary's cost (libsodium's interactive: 2 passes over
// 64 MiB), made once with crypto_pwhash_str; the test build hashes new passwords at the
// minimum cost (src/domain/auth.c), but a check costs what the stored hash says.
const SLOW = { password: 'donor-password-hashed-at-the-interactive-cost',
  hash: '$argon2id$v=19$m=65536,t=2,p=1$KGgOL+JLCHzVl4A/TBgb1g$1RloU/Uw2Ve/ehSqYsobKtP56kDA+9D4A7aLKGSvlFA' };

test('while sign-ins are being checked, /healthz and the API are answered (before the sign-ins end)', async () => {
  dbSql(srv.db, `UPDATE account SET password_hash = '${SLOW.hash}' WHERE name = '${accounts.donor.name}'`);
  accounts.donor.password = SLOW.password;
  const N = 6; // on one pool thread: checked one after the other
  let done = 0;
  const order = [];
  const signIns = Array.from({ length: N }, (_, i) =>
    srv.visitor({ localAddress: `127.0.0.${60 + i}` }).login(accounts.donor.name, accounts.donor.password)
      .then((r) => { done++; order.push(`sign-in ${r.status}`); return r; }));
  // The other requests, sent after the sign-ins.
  await new Promise((resolve) => setImmediate(resolve));
  const health = httpExchange(srv.url('/healthz')).then((r) => { order.push(`healthz ${r.status}`); return { r, doneBefore: done }; });
  const api = srv.get('/api/v1/actions?limit=1').then((r) => { order.push(`api ${r.status}`); return { r, doneBefore: done }; });
  const [h, a, ...rest] = await Promise.all([health, api, ...signIns]);
  assert.equal(h.r.status, 200);
  assert.equal(h.r.text, 'ok\n');
  assert.equal(a.r.status, 200);
  for (const r of rest) assert.equal(r.status, 303, 'every sign-in goes through');
  // The request threads were free: neither waited for the sign-ins to be checked.
  assert.ok(h.doneBefore < N / 2 && a.doneBefore < N / 2, `answered before most sign-ins ended: ${order.join(', ')}`);
});

test('server stops cleanly', () => srv.stop());

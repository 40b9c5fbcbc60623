// Locks by address: an attacker does not lock a name out elsewhere; an address failing
// with many names; X-Forwarded-For without --behind-tls.
// Guessing passwords (auth-throttle-common.mjs says the rules); both backends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sleep } from './auth-common.mjs';
import { ctx, setup, address, attempt, assertLocked, viaProxy, addressFailures } from './auth-throttle-common.mjs';

setup();

// The hole of issue 12, item 6: the per-name lock let anyone lock `admin` out for 15
// minutes.  The test before only ever failed from new addresses, so a lock per name
// was what it asked for.
test('an attacker failing 50 times for admin from one address does not stop admin signing in from another', async () => {
  const attacker = address();
  const seen = new Set();
  for (let i = 0; i < 50; i++) seen.add((await attempt('admin', `guess-${i}`, attacker)).status);
  assert.deepEqual([...seen].sort(), [403, 429], `the attacker is refused, then held back: ${[...seen]}`);
  // admin, from 127.0.0.2, at once: signed in.
  const admin = await ctx.srv.visitor({ localAddress: '127.0.0.2' }).login('admin', ctx.srv.adminPassword);
  assert.equal(admin.status, 303, `admin from another address: ${admin.status}`);
  assert.ok(admin.setCookies.some((c) => /^sid=[^;]+/.test(c)), 'with a session');
});

test('failures from one address lock that address, whatever the names; other addresses go on', async () => {
  const from = address();
  // 12 wrong passwords checked from the address (10 are free), each for another name
  // (no name reaches its own limit), then at once the right password of a real account.
  let n = 0;
  for (let checked = 0; checked < 12;) {
    const r = await attempt(`guess${n++}`, 'wrong-password', from);
    if (r.status === 403) checked++;
    else if (r.status === 429) await sleep(Number(r.headers.get('retry-after')) * 1000 + 100);
    else assert.fail(`guess${n}: ${r.status}`);
  }
  const r = await attempt(ctx.accounts.donor.name, ctx.accounts.donor.password, from);
  if (r.status === 303) assert.fail('the right password signed in from a locked address');
  assertLocked(r, 'the right password of another name from the locked address');
  const elsewhere = await attempt(ctx.accounts.donor.name, ctx.accounts.donor.password);
  assert.equal(elsewhere.status, 303, 'the same account from another address');
  // API tokens are not slowed down by a locked address.
  const api = await ctx.srv.request('GET', '/api/v1/', { auth: ctx.accounts.donor.token, localAddress: from });
  assert.equal(api.status, 200);
  // Sessions made before go on from that address.
  const s = await ctx.srv.login(ctx.accounts.officer.name, ctx.accounts.officer.password);
  s.localAddress = from;
  assert.equal((await s.get('/actions')).status, 200);
});

test('without --behind-tls, X-Forwarded-For is nobody\'s word: a changing header does not escape the lock', async () => {
  const from = address();
  await addressFailures(ctx.srv, 13, '198.51.100.1', from);
  for (const xff of ['198.51.100.1', '198.51.100.2', '203.0.113.77, 198.51.100.3', null]) {
    const r = await viaProxy(ctx.srv, ctx.accounts.donor.name, ctx.accounts.donor.password, xff, from);
    if (r.status === 303) assert.fail(`X-Forwarded-For: ${xff} escaped the lock of ${from}`);
    assertLocked(r, `X-Forwarded-For: ${xff}`);
  }
});

test('server stops cleanly', () => ctx.srv.stop());

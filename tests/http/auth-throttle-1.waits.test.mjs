// An unknown name answered and throttled exactly as a known one; a name locked from an
// address, and the wait that grows.
// Guessing passwords (auth-throttle-common.mjs says the rules); both backends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sleep } from './auth-common.mjs';
import { ctx, setup, address, attempt, seen, untilLocked, assertLocked, failures, lockLength } from './auth-throttle-common.mjs';

setup();

test('an unknown name is answered exactly as a wrong password', async () => {
  const known = await attempt(ctx.accounts.donor.name, 'not-the-password');
  const unknown = await attempt('nobody.here', 'not-the-password');
  assert.equal(known.status, 403);
  assert.deepEqual(seen(unknown, 'nobody.here'), seen(known, ctx.accounts.donor.name));
  assert.equal(known.setCookies.length, 0, 'no cookie for a refused login');
  assert.match(known.text, /role="alert"/, 'the page says the login failed');
  // Missing fields, an empty name, a name too long: the same refusal.
  for (const body of [{ name: '', password: 'x' }, { name: 'x' }, { password: 'x' }, { name: 'x'.repeat(300), password: 'y' }]) {
    const r = await ctx.srv.visitor({ localAddress: address() }).form('/login', body, { csrf: false });
    assert.equal(r.status, 403, JSON.stringify(body).slice(0, 60));
  }
  // The same work (Argon2id on a dummy hash with the parameters of real ones) is
  // checked by tests/unit/test_auth.c: a clock on a busy machine cannot tell it.
});

test('6 wrong passwords for a name from an address: 429 with Retry-After; the right password waits too, then signs in', async () => {
  const name = 'locked1';
  const from = address();
  const { statuses, r } = await untilLocked(name, from);
  // The first 5 are refused as wrong; the 6th is locked — or, when the 1 s lock of
  // the 5th (or the 2 s lock of the 6th) ended while a slow machine checked it, the
  // 7th (or the 8th: after 7 failures the lock is 4 s).
  assert.deepEqual(statuses.slice(0, 5), [403, 403, 403, 403, 403], `statuses: ${statuses}`);
  assert.ok(r && statuses.length <= 8, `a 429 by the 6th (at most 8th) attempt: ${statuses}`);
  assertLocked(r, 'locked');
  await failures(name, 7 - statuses.filter((x) => x === 403).length, from);
  // The right password while locked: the same 429 (no hint that it was right).
  const right = await attempt(name, 'locked1-password', from);
  if (right.status === 303) assert.fail('the right password signed in while the name was locked');
  const wait = assertLocked(right, 'the right password while locked');
  assert.equal(seen(right, name).text.replace(/\d+/g, 'N'), seen(r, name).text.replace(/\d+/g, 'N'), 'the same page');
  // After the wait, the right password signs in — and clears the count.
  await sleep(wait * 1000 + 100);
  assert.equal((await attempt(name, 'locked1-password', from)).status, 303, 'the right password after the wait');
  assert.equal((await attempt(name, 'one-more-wrong', from)).status, 403, 'the count started again');
  assert.equal((await attempt(name, 'locked1-password', from)).status, 303);
});

test('the wait grows with each failure: about 4 s after 7, about 8 s after 8', async () => {
  // Measured as the time since the failure that began the lock plus the Retry-After
  // left (lockLength): the Retry-After alone shrinks by as long as an attempt takes.
  const name = 'locked2';
  const from = address();
  const t7 = await failures(name, 7, from);
  const r7 = await attempt(name, 'wrong-now', from);
  assertLocked(r7, 'after 7 failures');
  const w7 = lockLength(t7, r7);
  assert.ok(w7 >= 3 && w7 <= 5.5, `after 7 failures: a lock of ${w7.toFixed(1)} s`);
  await sleep(Number(r7.headers.get('retry-after')) * 1000 + 100);
  const t8 = Date.now();
  assert.equal((await attempt(name, 'wrong-8', from)).status, 403, 'after the wait the password is checked again');
  const r8 = await attempt(name, 'wrong-now', from);
  assertLocked(r8, 'after 8 failures');
  const w8 = lockLength(t8, r8);
  assert.ok(w8 >= 7 && w8 <= 9.5 && w8 > w7, `after 8 failures: a lock of ${w8.toFixed(1)} s (was ${w7.toFixed(1)} s)`);
});

test('an unknown name is throttled exactly as a known one', async () => {
  const fromA = address(), fromB = address();
  const a = await untilLocked('nobody.at.all', fromA);
  const b = await untilLocked(ctx.accounts.focal.name, fromB);
  assert.deepEqual(a.statuses.slice(0, 5), [403, 403, 403, 403, 403]);
  assert.ok(a.r && b.r, `both locked: ${a.statuses} / ${b.statuses}`);
  assertLocked(a.r, 'unknown name');
  assertLocked(b.r, 'known name');
  assert.equal(seen(a.r, 'nobody.at.all').text.replace(/\d+/g, 'N'), seen(b.r, ctx.accounts.focal.name).text.replace(/\d+/g, 'N'), 'the same page');
  // Name matching ignores case: FOCAL1 is focal1's counter.
  await failures(ctx.accounts.focal.name, 7 - b.statuses.filter((x) => x === 403).length, fromB);
  const upper = await attempt(ctx.accounts.focal.name.toUpperCase(), 'x', fromB);
  assert.equal(upper.status, 429, 'the same name in capitals is locked too');
  // The locked name from another address: its password is checked.
  assert.equal((await attempt(ctx.accounts.focal.name, ctx.accounts.focal.password)).status, 303, 'the name from another address');
});

test('server stops cleanly', () => ctx.srv.stop());

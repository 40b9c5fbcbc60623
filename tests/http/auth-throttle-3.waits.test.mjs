// --behind-tls and the proxy's address; the ceiling of failures a minute of all names
// and addresses together.
// Guessing passwords (auth-throttle-common.mjs says the rules); both backends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './harness.mjs';
import { makeAccounts } from './auth-common.mjs';
import { ctx, setup, address, assertLocked, viaProxy, addressFailures } from './auth-throttle-common.mjs';

setup();

test('--behind-tls: the proxy\'s (last) X-Forwarded-For address is the client; a direct client cannot choose one', async () => {
  const proxied = await startServer({ args: ['--behind-tls'], env: { SUIVI_LOGIN_CEILING: '100000' } });
  try {
    const acc = makeAccounts(proxied);
    // Through the proxy (127.0.0.1): 13 failures for client 198.51.100.7.
    await addressFailures(proxied, 13, '198.51.100.7', '127.0.0.1');
    const locked = await viaProxy(proxied, acc.donor.name, acc.donor.password, '198.51.100.7');
    if (locked.status === 303) assert.fail('the client that failed 13 times signed in');
    assertLocked(locked, 'the client that failed');
    // Whatever the client writes before the proxy's entry, the proxy's entry counts.
    assertLocked(await viaProxy(proxied, acc.donor.name, acc.donor.password, '203.0.113.5, 198.51.100.7'), 'a client-written entry before the proxy\'s');
    assertLocked(await viaProxy(proxied, acc.donor.name, acc.donor.password, '203.0.113.5,198.51.100.7'), 'the same without a space');
    // Another client behind the same proxy is not locked out.
    assert.equal((await viaProxy(proxied, acc.donor.name, acc.donor.password, '198.51.100.8')).status, 303, 'another client of the proxy');
    assert.equal((await viaProxy(proxied, acc.officer.name, acc.officer.password, '198.51.100.7, 198.51.100.9')).status, 303,
      'a client whose proxy-added address is another');
    // A client that reaches suivi directly (not from 127.0.0.1) is its own address,
    // whatever X-Forwarded-For it sends.
    const direct = address();
    await addressFailures(proxied, 13, '192.0.2.1', direct);
    for (const xff of ['192.0.2.2', '198.51.100.8', null]) {
      const r = await viaProxy(proxied, acc.donor.name, acc.donor.password, xff, direct);
      if (r.status === 303) assert.fail(`a direct client escaped its lock with X-Forwarded-For: ${xff}`);
      assertLocked(r, `direct, X-Forwarded-For: ${xff}`);
    }
    await proxied.stop();
  } finally {
    await proxied.cleanup();
  }
});

test('beyond the ceiling of failures a minute (SUIVI_LOGIN_CEILING), every sign-in waits: 429 with Retry-After', async () => {
  const capped = await startServer({ env: { SUIVI_LOGIN_CEILING: '3' } });
  try {
    const acc = makeAccounts(capped);
    const at = (name, password, from) => capped.visitor({ localAddress: from }).login(name, password, { next: '/' });
    // 3 failures of 3 names from 3 addresses: no name or address reaches its own limit.
    for (let i = 0; i < 3; i++) assert.equal((await at(`spray${i}`, 'wrong-password', `127.0.0.${90 + i}`)).status, 403);
    // Then anyone, from anywhere, even with the right password, waits for the minute's end.
    for (const [who, from] of [[acc.officer, '127.0.0.95'], [acc.admin, '127.0.0.2']]) {
      const r = await at(who.name, who.password, from);
      if (r.status === 303) assert.fail(`${who.name} signed in beyond the ceiling`);
      const wait = assertLocked(r, `${who.name} beyond the ceiling`);
      assert.ok(wait >= 1 && wait <= 60, `within the minute: ${wait} s`);
    }
    // API tokens are not held back.
    assert.equal((await capped.request('GET', '/api/v1/', { auth: acc.officer.token })).status, 200);
    await capped.stop();
  } finally {
    await capped.cleanup();
  }
});

test('server stops cleanly', () => ctx.srv.stop());

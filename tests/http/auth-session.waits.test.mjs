// Sessions end when idle and when old (SUIVI_SESSION_IDLE / SUIVI_SESSION_MAX, on
// servers of their own), and a session in use does not end.  The tests wait out
// real limits of seconds: they run in the lane of waiting tests (tests/run,
// *.waits.test.mjs).  Both backends.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { other, signedIn, sleep } from './auth-common.mjs';

const others = []; // the servers of the tests

after(async () => {
  for (const s of others) await s.cleanup();
});

// The limits below are of a few seconds, not one or two: the server counts in whole
// seconds, and a busy machine may take more than a second between two requests.
test('an idle session ends after SUIVI_SESSION_IDLE seconds', async () => {
  const s2 = await other(others, { env: { SUIVI_SESSION_IDLE: '4' } });
  const s = await s2.login(s2.officer.name, s2.officer.password);
  assert.ok(await signedIn(s, 'just signed in'));
  await sleep(5100);
  assert.equal(await signedIn(s, 'after 5 s without a request'), false);
  // Signing in again works; the token does not idle.
  assert.ok(await signedIn(await s2.login(s2.officer.name, s2.officer.password), 'a new login'));
  assert.equal((await s2.get('/api/v1/', { auth: s2.officer.token })).status, 200);
  await s2.stop();
});

test('a session ends SUIVI_SESSION_MAX seconds after the login, used or not', async () => {
  const s2 = await other(others, { env: { SUIVI_SESSION_MAX: '5', SUIVI_SESSION_IDLE: '3600' } });
  const s = await s2.login(s2.officer.name, s2.officer.password);
  const t0 = Date.now();
  while (Date.now() - t0 < 2000) { // in use, every 0.5 s
    assert.ok(await signedIn(s, 'in use, before the end'));
    await sleep(500);
  }
  await sleep(4100);
  assert.equal(await signedIn(s, 'more than 5 s after the login'), false);
  await s2.stop();
});

// (seen_at was recorded at most once a minute, which ended sessions in use under an
// idle limit below 60 s: fixed in 47ce7bb.)
test('a session in use does not end after SUIVI_SESSION_IDLE seconds', async () => {
  const s2 = await other(others, { env: { SUIVI_SESSION_IDLE: '3' } });
  const s = await s2.login(s2.officer.name, s2.officer.password);
  try {
    const t0 = Date.now();
    while (Date.now() - t0 < 5000) { // a request every 0.5 s: never 3 s idle
      assert.ok(await signedIn(s, `in use, ${Date.now() - t0} ms after the login`));
      await sleep(500);
    }
  } finally {
    await s2.stop();
  }
});

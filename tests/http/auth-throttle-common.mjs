// auth-throttle-common.mjs: what the three auth-throttle files share.
//
// Guessing passwords: after 5 failed sign-ins for a name from one client address, or 10
// from one address whatever the names, the sign-in answers 429 with Retry-After, and
// the wait grows (1, 2, 4 … s); while it lasts even the right password is refused.
// The same name from another address is not held back (issue 12, item 6: the lock was
// per name, so anyone could lock `admin` out for 15 minutes).  Beyond a ceiling of
// failures a minute, all names and addresses together (SUIVI_LOGIN_CEILING), every
// sign-in waits.  An unknown name is answered exactly as a wrong password (status,
// page, headers, throttling), so that the sign-in tells nobody which names exist.
// Each test comes from client addresses of its own (127.0.0.x) so that only the
// counter it means fills up.  Both backends.
// (The tests wait out real locks of seconds: they are in three files of well under
// a minute each, run in the lane of waiting tests: tests/run, *.waits.test.mjs.)
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './harness.mjs';
import { makeAccounts, sleep } from './auth-common.mjs';

/** The server of a file and its accounts, set by setup(). */
export const ctx = { srv: null, accounts: null };
let nextAddress = 40;
/** A client address of the calling test's own (127.0.0.x). */
export const address = () => `127.0.0.${nextAddress++}`;

/** Starts a file's server (before its tests) and stops it after them. */
export function setup() {
  before(async () => {
    // The ceiling of every sign-in together has a test of its own: here, where
    // each test fails dozens of times within a minute, it is out of the way.
    ctx.srv = await startServer({ env: { SUIVI_LOGIN_CEILING: '100000' } });
    ctx.accounts = makeAccounts(ctx.srv);
    for (const n of ['timing1', 'locked1', 'locked2']) ctx.srv.addUser(n, 'officer', { password: `${n}-password` });
  });
  after(async () => {
    if (ctx.srv) await ctx.srv.cleanup();
  });
}

/** A login attempt from a client address (a new one unless given). */
export function attempt(name, password, from = address()) {
  return ctx.srv.visitor({ localAddress: from }).login(name, password, { next: '/meetings' });
}

/** What of an answer a person or a script can see, the name echoed in the form made
 * the same. */
export function seen(r, name) {
  // (Content-Length follows the length of the name.)
  const headers = [...r.headers].filter(([k]) => !['date', 'content-length'].includes(k)).map(([k, v]) => `${k}: ${v}`).sort();
  return { status: r.status, headers, text: r.text.split(name).join('NAME') };
}

/** Wrong passwords for `name` from one address until a 429; answers the statuses seen
 * and the 429. */
export async function untilLocked(name, from, max = 8) {
  const statuses = [];
  for (let i = 0; i < max; i++) {
    const r = await attempt(name, `wrong-${i}`, from);
    statuses.push(r.status);
    if (r.status === 429) return { statuses, r };
  }
  return { statuses, r: null };
}

export function assertLocked(r, what) {
  assert.equal(r.status, 429, what);
  const ra = r.headers.get('retry-after');
  assert.match(ra || '', /^[1-9]\d*$/, `${what}: Retry-After in whole seconds: ${ra}`);
  assert.match(r.headers.get('content-type'), /^text\/html/, `${what}: the login page`);
  assert.match(r.text, /role="alert"/, `${what}: it says to wait`);
  assert.ok(r.text.includes(ra), `${what}: the page says how long (${ra} s)`);
  assert.equal(r.setCookies.length, 0, `${what}: no cookie`);
  return Number(ra);
}

/** Wrong passwords for `name` from `from` until `n` of them were checked (403),
 * waiting out the locks met on the way. */
export async function failures(name, n, from) {
  let last = 0; // when the last checked attempt was sent
  for (let checked = 0; checked < n;) {
    const sent = Date.now();
    const r = await attempt(name, `wrong-${checked}`, from);
    if (r.status === 403) {
      checked++;
      last = sent;
    }
    else if (r.status === 429) await sleep(Number(r.headers.get('retry-after')) * 1000 + 100);
    else assert.fail(`a wrong password for ${name}: ${r.status}`);
  }
  return last;
}

/** The length in seconds of the lock that a failure sent at `since` (ms) began, as
 * a 429 answered now says: the time since then and the Retry-After left.  On a busy
 * machine an attempt may take seconds, so the Retry-After alone says little. */
export function lockLength(since, r) {
  return (Date.now() - since) / 1000 + Number(r.headers.get('retry-after'));
}

/** A login from `from` (the TCP peer) with an X-Forwarded-For header. */
export function viaProxy(server, name, password, xff, from = '127.0.0.1') {
  return server.visitor({ localAddress: from }).form('/login', { name, password, next: '/' },
    { csrf: false, headers: xff === null ? {} : { 'X-Forwarded-For': xff } });
}

/** Wrong passwords, each for a new name, until `n` were checked, all as `xff` from `from`. */
export async function addressFailures(server, n, xff, from) {
  let k = 0;
  for (let checked = 0; checked < n;) {
    const r = await viaProxy(server, `xff-guess-${k++}`, 'wrong-password', xff, from);
    if (r.status === 403) checked++;
    else if (r.status === 429) await sleep(Number(r.headers.get('retry-after')) * 1000 + 100);
    else assert.fail(`a wrong password: ${r.status}`);
  }
}

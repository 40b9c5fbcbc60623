// A person's own sessions and sign-ins (issue 16, item 3): the account page lists
// where one is signed in (opened, last active, from where) and the sign-ins of the last
// 90 days with the wrong passwords given; one ends another session of one's own, or all
// the others, and the ended session's cookie no longer opens anything; nobody ends
// someone else's session; ending one's own current session signs out.  Both backends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, Session, USER_PASSWORD } from './harness.mjs';

const srv = useServer();

async function signedIn(name) {
  const s = new Session(srv);
  assert.equal((await s.login(name, USER_PASSWORD)).status, 303, `${name} signs in`);
  s.jar.set('lang', 'en');
  return s;
}

/** The hashes the page's End buttons carry, in the table's order. */
function endButtons(html) {
  return [...html.matchAll(/name="end" value="([0-9a-f]{64})"/g)].map((m) => m[1]);
}

/** Is the session still signed in?  (/account answers a page, not a redirect.) */
async function alive(s) {
  return (await s.get('/account')).status === 200;
}

test('the account page lists one\'s sessions, this one marked, and the sign-ins with the wrong passwords', async () => {
  srv.addUser('sess.one', 'officer');
  const bad = new Session(srv);
  assert.equal((await bad.login('sess.one', 'not-the-password')).status, 403);
  const a = await signedIn('sess.one');
  await signedIn('sess.one');
  const page = await a.get('/account');
  assert.equal(page.status, 200);
  const sessions = page.text.slice(page.text.indexOf('id="sessions"'), page.text.indexOf('id="sign-ins"'));
  assert.equal(endButtons(sessions).length, 1, 'the other session can be ended');
  assert.equal((sessions.match(/This session/g) || []).length, 1, 'this one is marked');
  assert.match(sessions, /127\.0\.0\.1/, 'where it was opened from');
  assert.match(sessions, /Sign out everywhere else/);
  const signIns = page.text.slice(page.text.indexOf('id="sign-ins"'), page.text.indexOf('id="tokens"'));
  assert.equal((signIns.match(/<td>Signed in<\/td>/g) || []).length, 2);
  assert.equal((signIns.match(/<td>Wrong password<\/td>/g) || []).length, 1);
  assert.ok(signIns.indexOf('Signed in') < signIns.indexOf('Wrong password'), 'the newest first');
  const fr = await a.request('GET', '/account', { headers: { Cookie: `sid=${a.sid}; lang=fr` } });
  assert.match(fr.text, /Vos connexions récentes/);
  assert.match(fr.text, /Mot de passe erroné/);
});

test('ending another session of one\'s own: its cookie opens nothing more; this one goes on', async () => {
  srv.addUser('sess.two', 'focal', { country: 'SN' });
  const a = await signedIn('sess.two');
  const b = await signedIn('sess.two');
  const [other] = endButtons((await a.get('/account')).text);
  const r = await a.form('/account/sessions', { end: other });
  assert.equal(r.status, 303, r.text);
  assert.match(r.headers.get('location'), /^\/account\?ended=1#sessions$/);
  assert.ok(!(await alive(b)), 'the ended session is signed out');
  assert.ok(await alive(a), 'the one that ended it is not');
  assert.match((await a.get('/account?ended=1')).text, /The session was ended\./);
  const again = await a.form('/account/sessions', { end: other });
  assert.equal(again.status, 404, 'ended already');
});

test('sign out everywhere else ends every other session of one\'s own, and nobody else\'s', async () => {
  srv.addUser('sess.three', 'donor');
  srv.addUser('sess.stranger', 'officer');
  const a = await signedIn('sess.three');
  const others = [await signedIn('sess.three'), await signedIn('sess.three')];
  const stranger = await signedIn('sess.stranger');
  const r = await a.form('/account/sessions', { end: 'others' });
  assert.equal(r.status, 303, r.text);
  for (const o of others) assert.ok(!(await alive(o)));
  assert.ok(await alive(a));
  assert.ok(await alive(stranger), 'another account\'s session stands');
});

test('nobody ends someone else\'s session; a post without the CSRF token is refused', async () => {
  srv.addUser('sess.four', 'officer');
  srv.addUser('sess.five', 'officer');
  const a = await signedIn('sess.four');
  const victim = await signedIn('sess.five');
  await signedIn('sess.five');
  const [theirs] = endButtons((await victim.get('/account')).text);
  const r = await a.form('/account/sessions', { end: theirs });
  assert.equal(r.status, 404, 'not one of one\'s own');
  assert.ok(await alive(victim));
  assert.equal((await a.form('/account/sessions', { end: 'not-a-hash' })).status, 404);
  const forged = await a.form('/account/sessions', { end: 'others' }, { csrf: false });
  assert.equal(forged.status, 403);
  assert.equal((await srv.visitor().form('/account/sessions', { end: 'others' }, { csrf: false })).status, 403,
    'nor can a visitor');
});

test('ending one\'s own current session signs out', async () => {
  srv.addUser('sess.six', 'officer');
  const a = await signedIn('sess.six');
  const b = await signedIn('sess.six');
  const mine = endButtons((await b.get('/account')).text)[0]; // a's session, as b sees it
  const r = await b.form('/account/sessions', { end: mine });
  assert.equal(r.status, 303);
  assert.ok(!(await alive(a)));
  // a page offers no button for its own session; posting that session's hash (as b's page
  // shows it) from c signs c out
  const c = await signedIn('sess.six');
  const [bHash] = endButtons((await c.get('/account')).text);
  const cHash = endButtons((await b.get('/account')).text).find((h) => h !== bHash);
  const out = await c.form('/account/sessions', { end: cHash });
  assert.equal(out.status, 303);
  assert.equal(out.headers.get('location'), '/login');
  assert.ok(!(await alive(c)));
});

test('server stops cleanly', () => srv.stop());

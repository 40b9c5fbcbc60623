// A forgotten password through a link (issue 16, item 3): an administrator makes a link
// on the account's page, shown once; with it, and without signing in, the person chooses
// a new password, which ends their sessions; the link works once, for 30 minutes, and a
// newer link withdraws it; a mistyped, used or expired link gets one plain answer; the
// change is audited under the person's name.  Both backends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, Session, dbSql, USER_PASSWORD } from './harness.mjs';

const srv = useServer();
let admin;

async function person(name) {
  srv.addUser(name, 'officer');
  const id = Number(dbSql(srv.db, `SELECT id FROM account WHERE name = '${name}'`));
  const s = new Session(srv);
  assert.equal((await s.login(name, USER_PASSWORD)).status, 303);
  return { id, s };
}

/** The link an administrator makes for account id: its path, /reset/TOKEN. */
async function makeLink(id) {
  const page = await admin.get(`/accounts/${id}`);
  assert.match(page.text, new RegExp(`action="/accounts/${id}/reset-link"`), 'offered on the account\'s page');
  const r = await admin.form(`/accounts/${id}/reset-link`, {});
  assert.equal(r.status, 200, r.text);
  assert.match(r.text, /This link will not be shown again\./);
  const m = /<code class="one-time"[^>]*>https?:\/\/[^/<]+(\/reset\/[A-Za-z0-9_-]{43})<\/code>/.exec(r.text);
  assert.ok(m, `the link on the page: ${r.text.slice(0, 2000)}`);
  return m[1];
}

test('set up: an administrator signed in', async () => {
  admin = await srv.login();
  admin.jar.set('lang', 'en');
});

test('with the link, without signing in, the person chooses a password; their sessions end; it works once', async () => {
  const { id, s } = await person('reset.one');
  const link = await makeLink(id);
  const visitor = srv.visitor();
  const form = await visitor.get(link);
  assert.equal(form.status, 200);
  assert.match(form.text, /name="new"/);
  assert.equal((await visitor.form(link, { new: 'a-brand-new-pass', again: 'another-pass-x' }, { csrf: false })).status, 422);
  assert.equal((await visitor.form(link, { new: 'short', again: 'short' }, { csrf: false })).status, 422);
  const done = await visitor.form(link, { new: 'a-brand-new-pass', again: 'a-brand-new-pass' }, { csrf: false });
  assert.equal(done.status, 303, done.text);
  assert.equal(done.headers.get('location'), '/login?changed=1');
  assert.equal((await s.get('/account')).status, 303, 'the sessions open before ended');
  assert.equal((await new Session(srv).login('reset.one', USER_PASSWORD)).status, 403, 'the old password no longer works');
  assert.equal((await new Session(srv).login('reset.one', 'a-brand-new-pass')).status, 303, 'the new one does');
  const again = await visitor.form(link, { new: 'yet-another-pass', again: 'yet-another-pass' }, { csrf: false });
  assert.equal(again.status, 404, 'once only');
  assert.match(again.text, /Ce lien ne fonctionne pas/, 'one plain answer (a visitor reads French by default)');
  assert.equal((await visitor.get(link)).status, 404);
  const audit = dbSql(srv.db, `SELECT actor FROM audit WHERE entity = 'account' AND record = '${id}' ORDER BY id`);
  assert.match(audit, /^admin$/m, 'the link made, under the administrator');
  assert.match(audit, /^reset\.one \(password reset link\)$/m, 'the password set, under the person');
});

test('a newer link withdraws the older; an expired or mistyped link gets the same answer', async () => {
  const { id } = await person('reset.two');
  const first = await makeLink(id);
  const second = await makeLink(id);
  const visitor = srv.visitor();
  assert.equal((await visitor.get(first)).status, 404, 'withdrawn');
  assert.equal((await visitor.get(second)).status, 200);
  dbSql(srv.db, 'UPDATE password_reset SET expires_at = 1 WHERE used_at IS NULL');
  assert.equal((await visitor.get(second)).status, 404, 'expired');
  const post = await visitor.form(second, { new: 'a-brand-new-pass', again: 'a-brand-new-pass' }, { csrf: false });
  assert.equal(post.status, 404);
  assert.equal((await visitor.get(`/reset/${'A'.repeat(43)}`)).status, 404, 'mistyped');
  assert.equal((await visitor.get('/reset/x')).status, 404);
  assert.equal((await new Session(srv).login('reset.two', USER_PASSWORD)).status, 303, 'the password unchanged');
});

test('only administrators make links; a form from another site is refused', async () => {
  const { id, s } = await person('reset.three');
  assert.equal((await s.form(`/accounts/${id}/reset-link`, {})).status, 403, 'an officer may not');
  const link = await makeLink(id);
  const foreign = await srv.visitor().form(link, { new: 'a-brand-new-pass', again: 'a-brand-new-pass' },
    { csrf: false, headers: { Origin: 'https://elsewhere.example' } });
  assert.equal(foreign.status, 403);
  assert.equal((await srv.visitor().get(link)).status, 200, 'the link still works');
});

test('in French and Arabic', async () => {
  const { id } = await person('reset.four');
  const link = await makeLink(id);
  const fr = await srv.visitor().request('GET', link, { headers: { Cookie: 'lang=fr' } });
  assert.match(fr.text, /Choisissez un nouveau mot de passe/);
  const ar = await srv.visitor().request('GET', link, { headers: { Cookie: 'lang=ar' } });
  assert.match(ar.text, /dir="rtl"/);
});

test('server stops cleanly', () => srv.stop());

// Accounts in the browser (issue 14, item 8): an admin lists the accounts, makes one
// of each role through the form (a one-time password shown once), resets a password,
// disables and enables an account; a one-time password opens nothing but the
// change-password page (pages: a redirect; the API with a session: 403
// password_change_required; API tokens unaffected); disabling ends sessions and
// tokens; every other role is refused (403), the public sent to the sign-in page, a
// form without the CSRF token refused.  Both backends.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, cli } from './harness.mjs';

let srv = null;
let admin; // the admin's browser session

before(async () => {
  srv = await startServer();
  admin = await srv.login();
});

after(async () => {
  if (srv) await srv.cleanup();
});

/** Makes an account through the form; answers the response and its one-time password. */
async function create(fields, session = admin) {
  const r = await session.form('/accounts/new', fields);
  const m = /<code class="one-time" dir="ltr" translate="no">([^<]+)<\/code>/.exec(r.text);
  return { r, password: m ? m[1] : null };
}

/** The id of the account named name, from the list's links. */
async function idOf(name) {
  const list = (await admin.get('/accounts')).text;
  const m = new RegExp(`<a href="/accounts/(\\d+)">${name.replace(/\./g, '\\.')}</a>`).exec(list);
  assert.ok(m, `${name} in the list`);
  return Number(m[1]);
}

/** The password form of /account, changing `current` to `next`. */
function changePassword(session, current, next, again = next) {
  return session.form('/account', { current, new: next, again });
}

test('the list: every account by name, its role, country or organisation by name, state, dates', async () => {
  srv.addUser('zz.focal', 'focal', { country: 'SN' });
  srv.addUser('aa.donor', 'donor', { organisation: 4 });
  const r = await admin.get('/accounts');
  assert.equal(r.status, 200);
  const t = r.text;
  assert.match(t, /<h1>Comptes<\/h1>/);
  assert.match(t, /href="\/accounts\/new"/, 'a link to the form');
  const order = ['aa.donor', 'admin', 'zz.focal'].map((n) => t.indexOf(`>${n}</a>`));
  assert.ok(order.every((i) => i > 0) && order[0] < order[1] && order[1] < order[2], `sorted by name: ${order}`);
  assert.match(t, /Sénégal/, 'the focal point\'s country by its French name');
  assert.match(t, /Bailleur A \(exemple fictif\)/, 'the donor\'s organisation by its name');
  assert.match(t, /point focal/, 'roles by their labels');
  assert.match(t, /<time datetime="\d{4}-\d\d-\d\d">\d+ \S+ \d{4}<\/time>/, 'dates written out');
  assert.match(t, /jamais/, 'never signed in');
  const desc = (await admin.get('/accounts?sort=-name')).text;
  assert.ok(desc.indexOf('>zz.focal</a>') < desc.indexOf('>aa.donor</a>'), 'sort=-name: Z to A');
  const en = (await admin.get('/accounts', { headers: { Cookie: `${admin.cookieHeader()}; lang=en` } })).text;
  assert.match(en, /<h1>Accounts<\/h1>/);
  assert.match(en, /Senegal/);
  const ar = (await admin.get('/accounts', { headers: { Cookie: `${admin.cookieHeader()}; lang=ar` } })).text;
  assert.match(ar, /<html lang="ar" dir="rtl"/);
  assert.match(ar, /<h1>الحسابات<\/h1>/);
  assert.match(ar, /السنغال/);
});

test('the form: a country (African States first) and an organisation picked by name', async () => {
  const t = (await admin.get('/accounts/new')).text;
  for (const r of ['admin', 'officer', 'focal', 'donor']) assert.match(t, new RegExp(`<option value="${r}"`));
  const african = t.indexOf('<optgroup label="États africains">'), other = t.indexOf('<optgroup label="Autres pays et territoires">');
  assert.ok(african > 0 && other > african, 'African States first');
  assert.ok(t.indexOf('>Bénin<') > african && t.indexOf('>Bénin<') < t.indexOf('>Burundi<'), 'sorted in French: Bénin before Burundi');
  assert.ok(t.indexOf('>France<') > other, 'others after');
  assert.match(t, /<option value="4">Bailleur A \(exemple fictif\) \(DA\)<\/option>/);
  assert.match(t, /name="_csrf"/);
});

test('an account of each role through the form: a one-time password shown once', async () => {
  const made = [
    [{ name: 'web.admin', role: 'admin' }, null],
    [{ name: 'web.officer', role: 'officer', country: 'MA', organisation: '4' }, null], // what the role needs not is left aside
    [{ name: 'web.focal', role: 'focal', country: 'SN' }, 'Sénégal'],
    [{ name: 'web.donor', role: 'donor', organisation: '4' }, 'Bailleur A'],
  ];
  for (const [fields, attached] of made) {
    const { r, password } = await create(fields);
    assert.equal(r.status, 201, `${fields.name}: ${r.text.slice(0, 400)}`);
    assert.ok(password && password.length >= 20, `a one-time password for ${fields.name}`);
    assert.match(r.text, /ne sera plus affiché/, 'the warning that it will not be shown again');
    const id = await idOf(fields.name);
    const page = (await admin.get(`/accounts/${id}`)).text;
    assert.ok(!page.includes(password), 'the account page does not show it');
    if (attached) assert.match(page, new RegExp(attached));
    else assert.doesNotMatch(page, /<dt>(Pays|Organisation)<\/dt>/, `${fields.name}: neither country nor organisation`);
  }
  const list = cli_list();
  assert.match(list, /^web\.focal\s+focal\s+SN\b/m, 'the command line sees them');
  assert.match(list, /^web\.officer\s+officer\s+-/m);
  const audit = await srv.getJSON('/api/v1/audit?entity=account&limit=500');
  const created = audit.items.filter((a) => a.action === 'create' && /web\./.test(afterOf(a).name));
  assert.equal(created.length, 4, 'each creation audited');
  assert.ok(created.every((a) => a.actor === 'admin'), 'under the admin\'s name');
});

/** An audit entry's after-image as an object. */
const afterOf = (a) => (typeof a.after === 'string' ? JSON.parse(a.after) : a.after) || {};

function cli_list() {
  return cli(['user', 'list', '--db', srv.db]).stdout;
}

test('the form refuses what the command line refuses, and a form without the CSRF token', async () => {
  for (const [fields, status, re] of [
    [{ name: 'Upper', role: 'officer' }, 422, /lettres minuscules/],
    [{ name: 'has space', role: 'officer' }, 422, /lettres minuscules/],
    [{ name: 'x1', role: 'boss' }, 422, /Choisissez un rôle/],
    [{ name: 'x2', role: 'focal' }, 422, /besoin de son pays/],
    [{ name: 'x3', role: 'focal', country: 'ZZ' }, 422, /n'existe pas/],
    [{ name: 'x4', role: 'donor', organisation: 'abc' }, 422, /Choisissez une organisation/],
    [{ name: 'admin', role: 'officer' }, 409, /existe déjà/],
  ]) {
    const { r, password } = await create(fields);
    assert.equal(r.status, status, `${JSON.stringify(fields)}: ${r.status}`);
    assert.match(r.text, re, JSON.stringify(fields));
    assert.equal(password, null);
    assert.match(r.text, /<form method="post" action="\/accounts\/new"/, 'the form again');
  }
  const forged = await admin.form('/accounts/new', { name: 'forged', role: 'admin' }, { csrf: false });
  assert.equal(forged.status, 403);
  const wrong = await admin.form('/accounts/new', { name: 'forged', role: 'admin' }, { csrf: 'x'.repeat(43) });
  assert.equal(wrong.status, 403);
  assert.doesNotMatch(cli_list(), /^(x\d|forged|Upper)\b/m, 'nothing made');
});

test('a one-time password opens only the change-password page, until a new one is set', async () => {
  const { password } = await create({ name: 'first.time', role: 'officer' });
  const s = srv.visitor();
  const login = await s.login('first.time', password, { next: '/board' });
  assert.equal(login.status, 303);
  assert.equal(login.headers.get('location'), '/account', 'sent to the change of password');
  const acc = await s.get('/account');
  assert.equal(acc.status, 200);
  assert.match(acc.text, /mot de passe à usage unique/);
  for (const p of ['/', '/board', '/actions', '/accounts', '/account/tokens/1']) {
    const r = await s.get(p);
    assert.equal(r.status, 303, p);
    assert.equal(r.headers.get('location'), '/account', p);
  }
  assertError(await s.get('/api/v1/actions'), 403, 'password_change_required', 'the API with the session');
  assertError(await s.post('/api/v1/actions', { title: { en: 'x' } }), 403, 'password_change_required', 'a write');
  // an API token of the account is not held back
  const { token } = srv.addToken('first.time');
  assert.equal((await srv.get('/api/v1/actions', { auth: token })).status, 200, 'API tokens unaffected');
  // the one-time password kept as it is: refused
  const same = await changePassword(s, password, password);
  assert.equal(same.status, 422);
  assert.match(same.text, /pas le mot de passe à usage unique/);
  const ok = await changePassword(s, password, 'my-own-password-1');
  assert.equal(ok.status, 303);
  assert.equal(ok.headers.get('location'), '/login?changed=1');
  assert.equal((await s.get('/api/v1/actions')).status, 401, 'the session ended with the change');
  assert.equal((await srv.visitor().login('first.time', password)).status, 403, 'the one-time password no longer signs in');
  const again = srv.visitor();
  const l2 = await again.login('first.time', 'my-own-password-1', { next: '/board' });
  assert.equal(l2.headers.get('location'), '/board', 'then where it was going');
  assert.equal((await again.get('/board')).status, 200);
  assert.equal((await again.get('/api/v1/actions')).status, 200);
  // the last sign-in is on the list
  const id = await idOf('first.time');
  const page = (await admin.get(`/accounts/${id}`)).text;
  assert.match(page, /<dt>Dernière connexion<\/dt><dd><time datetime="\d{4}-\d\d-\d\d">/);
  assert.match(page, /Actif/);
});

test('reset: a new one-time password, shown once; the old password and sessions end; audited', async () => {
  srv.addUser('resettable', 'officer', { password: 'resettable-password' });
  const s = await srv.login('resettable', 'resettable-password');
  const { token } = srv.addToken('resettable');
  const id = await idOf('resettable');
  const r = await admin.form(`/accounts/${id}/password`, {});
  assert.equal(r.status, 200, r.text.slice(0, 300));
  const m = /<code class="one-time" dir="ltr" translate="no">([^<]+)<\/code>/.exec(r.text);
  assert.ok(m, 'the new one-time password');
  assert.match(r.text, /ne sera plus affiché/);
  assert.equal((await s.get('/api/v1/actions')).status, 401, 'its session ended');
  assert.equal((await srv.get('/api/v1/actions', { auth: token })).status, 401, 'its token revoked');
  assert.equal((await srv.visitor().login('resettable', 'resettable-password')).status, 403, 'the old password');
  const v = srv.visitor();
  const l = await v.login('resettable', m[1]);
  assert.equal(l.headers.get('location'), '/account', 'the same rule at the next sign-in');
  assertError(await v.get('/api/v1/actions'), 403, 'password_change_required');
  const audit = await srv.getJSON(`/api/v1/audit?entity=account&record=${id}&limit=50`);
  assert.ok(audit.items.some((a) => a.action === 'update' && a.actor === 'admin' && afterOf(a).must_change === true), 'audited');
  assert.ok(!JSON.stringify(audit.items).includes('argon2'), 'no hash in the audit trail');
});

test('disable ends sessions and tokens; enable lets the person back; an admin cannot disable themselves', async () => {
  srv.addUser('leaving', 'donor', { password: 'leaving-password-1', organisation: 4 });
  const s = await srv.login('leaving', 'leaving-password-1');
  const { token } = srv.addToken('leaving');
  assert.equal((await srv.get('/api/v1/programmes', { auth: token })).status, 200);
  const id = await idOf('leaving');
  const page = (await admin.get(`/accounts/${id}`)).text;
  assert.match(page, new RegExp(`action="/accounts/${id}/disable"`));
  const r = await admin.form(`/accounts/${id}/disable`, {});
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), `/accounts/${id}?done=disabled`);
  assert.equal((await s.get('/api/v1/programmes')).status, 401, 'its session ended');
  assert.equal((await srv.get('/api/v1/programmes', { auth: token })).status, 401, 'its token revoked');
  assert.equal((await srv.visitor().login('leaving', 'leaving-password-1')).status, 403, 'no sign-in');
  const after = (await admin.get(`/accounts/${id}?done=disabled`)).text;
  assert.match(after, /Le compte a été désactivé/);
  assert.match(after, new RegExp(`action="/accounts/${id}/enable"`));
  assert.match((await admin.get('/accounts')).text, /Désactivé/);
  assert.match(cli_list(), /^leaving\s.*disabled/m);
  const en = await admin.form(`/accounts/${id}/enable`, {});
  assert.equal(en.status, 303);
  await srv.login('leaving', 'leaving-password-1');
  const audit = await srv.getJSON(`/api/v1/audit?entity=account&record=${id}&limit=50`);
  const states = audit.items.filter((a) => a.actor === 'admin').map((a) => afterOf(a).disabled);
  assert.ok(states.includes(true) && states.includes(false), `disable and enable audited: ${states}`);
  // oneself: no button, and the POST is refused
  const adminId = await idOf('admin');
  const own = (await admin.get(`/accounts/${adminId}`)).text;
  assert.doesNotMatch(own, /\/disable"|\/password"/, 'neither disable nor reset on one\'s own page');
  assert.match(own, /<p><a href="\/account">Changer votre mot de passe<\/a><\/p>/, 'one\'s own password is changed on /account');
  const self = await admin.form(`/accounts/${adminId}/disable`, {});
  assert.equal(self.status, 403);
  assert.equal((await admin.get('/accounts')).status, 200, 'still signed in');
  // CSRF
  assert.equal((await admin.form(`/accounts/${id}/disable`, {}, { csrf: false })).status, 403);
  assert.equal((await admin.form(`/accounts/${id}/password`, {}, { csrf: false })).status, 403);
  assert.doesNotMatch((await admin.get(`/accounts/${id}`)).text, /Désactivé/, 'nothing done');
  assert.equal((await admin.get('/accounts/99999')).status, 404);
});

test('every other role is refused (403), the public sent to the sign-in page, a token finds nothing', async () => {
  srv.addUser('other.officer', 'officer');
  srv.addUser('other.focal', 'focal', { country: 'MA' });
  srv.addUser('other.donor', 'donor', { organisation: 4 });
  const adminId = await idOf('admin');
  for (const name of ['other.officer', 'other.focal', 'other.donor']) {
    const s = await srv.login(name, 'user-password-of-the-tests');
    for (const p of ['/accounts', '/accounts/new', `/accounts/${adminId}`]) assert.equal((await s.get(p)).status, 403, `${name} ${p}`);
    for (const p of ['/accounts/new', `/accounts/${adminId}/password`, `/accounts/${adminId}/disable`]) {
      assert.equal((await s.form(p, { name: 'by-' + name.replace('.', '-'), role: 'admin' })).status, 403, `${name} POST ${p}`);
    }
  }
  const v = srv.visitor();
  const r = await v.get('/accounts');
  assert.equal(r.status, 303);
  assert.match(r.headers.get('location'), /^\/login\?next=%2Faccounts/);
  assert.equal((await srv.get('/accounts')).status, 404, 'an API token (R_SESSION rows)');
  assert.doesNotMatch(cli_list(), /^by-/m);
});

test('suivi user add / passwd --one-time: the same rule at the next sign-in', async () => {
  const add = cli(['user', 'add', 'cli.once', '--role', 'officer', '--one-time', '--db', srv.db], { env: { SUIVI_PASSWORD: 'cli-once-password' } });
  assert.equal(add.status, 0, add.stderr);
  const s = srv.visitor();
  assert.equal((await s.login('cli.once', 'cli-once-password')).headers.get('location'), '/account');
  assertError(await s.get('/api/v1/actions'), 403, 'password_change_required');
  assert.equal((await changePassword(s, 'cli-once-password', 'cli-own-password')).status, 303);
  const p = cli(['user', 'passwd', 'cli.once', '--one-time', '--db', srv.db], { env: { SUIVI_PASSWORD: 'cli-again-password' } });
  assert.equal(p.status, 0, p.stderr);
  assert.equal((await srv.visitor().login('cli.once', 'cli-again-password')).headers.get('location'), '/account');
  const plain = cli(['user', 'passwd', 'cli.once', '--db', srv.db], { env: { SUIVI_PASSWORD: 'cli-plain-password' } });
  assert.equal(plain.status, 0, plain.stderr);
  assert.equal((await srv.visitor().login('cli.once', 'cli-plain-password', { next: '/board' })).headers.get('location'), '/board', 'without --one-time: as before');
  assert.notEqual(cli(['token', 'add', 'x', '--one-time', '--db', srv.db], { check: false }).status, 0, 'token takes no --one-time');
});

test('server stops cleanly', () => srv.stop());

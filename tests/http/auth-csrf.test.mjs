// Cross-site request forgery, and what another site can make a signed-in browser do:
// every form POST but the login needs the session's `_csrf` field (missing, wrong,
// another session's, in the query string, or in a body a cross-site form can send as
// text/plain: 403, nothing written, no audit row); the API takes a write with a
// session cookie only with the X-CSRF-Token header (an API token needs none); the
// pages never send a browser to another site (login `next`, language `back`).
// Both backends.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError } from './harness.mjs';
import { makeAccounts, formOf } from './auth-common.mjs';

let srv = null;
let accounts;
let officer; // a signed-in officer (may write)
let donor; // another person's session (the attacker's own, valid)

before(async () => {
  srv = await startServer();
  accounts = makeAccounts(srv);
  officer = await srv.login(accounts.officer.name, accounts.officer.password);
  donor = await srv.login(accounts.donor.name, accounts.donor.password);
});

after(async () => {
  if (srv) await srv.cleanup();
});

const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };

/** The audit trail's newest id (to see that nothing was written). */
async function topAudit() {
  const r = await srv.getJSON(`/api/v1/audit?sort=-id&limit=1&q=${'&q='.repeat(Math.floor(Math.random() * 50))}`);
  return r.items.length ? r.items[0].id : 0;
}

/** The edit form of /actions/1 as the officer's browser would post it, with a change. */
async function editForm(session = officer) {
  const page = await session.get('/actions/1/edit');
  assert.equal(page.status, 200);
  return formOf(page.text, '/actions/1/edit').map(([k, v]) => [k, k === 'title.en' ? 'Forged title' : v]);
}

/** A form body: pairs, urlencoded. */
const encode = (pairs) => new URLSearchParams(pairs).toString();

test('a form without _csrf, or with a wrong one, is refused (403) and changes nothing', async () => {
  const audit0 = await topAudit();
  await srv.baseline();
  const good = await officer.csrfToken();
  assert.ok(good && good.length >= 32, `the session has a CSRF token: ${good}`);
  const other = await donor.csrfToken();
  assert.notEqual(other, good, 'each session its own token');
  const flipped = (good[0] === 'A' ? 'B' : 'A') + good.slice(1);
  const cases = [
    ['no _csrf', false],
    ['an empty _csrf', ''],
    ['another session\'s _csrf', other],
    ['one character changed', flipped],
    ['a prefix of the token', good.slice(0, -1)],
    ['the token and more', `${good}x`],
    ['the session cookie instead of the token', officer.sid],
  ];
  const fields = await editForm();
  for (const [what, csrf] of cases) {
    for (const [p, body] of [['/actions/1/edit', fields], ['/actions/new', fields.filter(([k]) => k !== '_version')], ['/actions/1/delete', [['_version', '1']]]]) {
      const r = await officer.form(p, body, { csrf });
      assert.equal(r.status, 403, `${what}: POST ${p}: ${r.status}`);
      assert.match(r.headers.get('content-type'), /^text\/html/, `${what}: a page`);
    }
  }
  // Signing out and changing the password are forms too.
  for (const [what, csrf] of cases) {
    assert.equal((await officer.form('/logout', {}, { csrf })).status, 403, `${what}: /logout`);
    const pw = await officer.form('/account', { current: accounts.officer.password, new: 'forged-password-1', again: 'forged-password-1' }, { csrf });
    assert.equal(pw.status, 403, `${what}: /account`);
  }
  assert.equal((await officer.get('/api/v1/')).status, 200, 'the session was not ended');
  await srv.unchangedSinceBaseline('after forms without a good _csrf');
  assert.equal(await topAudit(), audit0, 'no audit row');
  // The old password still works, the forged one does not.
  const s = await srv.login(accounts.officer.name, accounts.officer.password);
  await s.logout();
  assert.equal((await srv.visitor().login(accounts.officer.name, 'forged-password-1')).status, 403);
});

test('the token counts only in the form body: not in the query string, not in a text/plain or multipart body', async () => {
  const audit0 = await topAudit();
  await srv.baseline();
  const good = await officer.csrfToken();
  const fields = await editForm();
  const body = encode(fields);
  const tries = [
    ['_csrf in the query string', `/actions/1/edit?_csrf=${encodeURIComponent(good)}`, FORM, body],
    ['text/plain (what a cross-site form may send)', '/actions/1/edit', { 'Content-Type': 'text/plain' }, encode([...fields, ['_csrf', good]])],
    ['multipart/form-data', '/actions/1/edit', { 'Content-Type': 'multipart/form-data; boundary=x' },
      `--x\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${good}\r\n--x--\r\n`],
    ['no Content-Type', '/actions/1/edit', {}, encode([...fields, ['_csrf', good]])],
    ['an X-CSRF-Token header on a form', '/actions/1/edit', { ...FORM, 'X-CSRF-Token': good }, body],
  ];
  for (const [what, p, headers, b] of tries) {
    const r = await officer.request('POST', p, { headers, body: b });
    assert.equal(r.status, 403, `${what}: ${r.status}`);
  }
  await srv.unchangedSinceBaseline('after tokens in the wrong places');
  assert.equal(await topAudit(), audit0, 'no audit row');
  // ... and the right place works: the same form with its _csrf changes the title.
  const ok = await officer.form('/actions/1/edit', fields);
  assert.equal(ok.status, 303, `the officer's own form: ${ok.status} ${ok.text.slice(0, 300)}`);
  assert.equal((await srv.getJSON('/api/v1/actions/1')).title.en, 'Forged title');
});

test('a cross-site form post (the attacker\'s page auto-submits to suivi) is refused', async () => {
  // What the attacker's page can make the browser send: the victim's cookie (were
  // SameSite not honoured), Origin and Referer of the attacker, any form fields but
  // the token it cannot read — or the token of the attacker's own session.
  const audit0 = await topAudit();
  await srv.baseline();
  const evil = { Origin: 'https://evil.example', Referer: 'https://evil.example/page', Cookie: `sid=${officer.sid}` };
  const fields = (await editForm()).filter(([k]) => k !== '_csrf');
  const attackerToken = await donor.csrfToken();
  for (const [p, f] of [['/actions/1/edit', fields], ['/actions/1/delete', [['_version', '2']]], ['/logout', []],
    ['/account', [['current', 'x'], ['new', 'attacker-password'], ['again', 'attacker-password']]]]) {
    for (const extra of [[], [['_csrf', attackerToken]]]) {
      const r = await srv.request('POST', p, { headers: { ...FORM, ...evil }, body: encode([...f, ...extra]), auth: false });
      assert.equal(r.status, 403, `cross-site POST ${p}${extra.length ? ' with the attacker\'s own token' : ''}: ${r.status}`);
    }
  }
  // The API the same way: a "simple" cross-site request (text/plain, no custom header).
  for (const [m, p] of [['POST', '/api/v1/actions'], ['PATCH', '/api/v1/actions/1'], ['DELETE', '/api/v1/actions/1']]) {
    for (const ct of ['text/plain', 'application/x-www-form-urlencoded', 'application/json']) {
      const r = await srv.request(m, p, { headers: { 'Content-Type': ct, ...evil }, body: '{"outcome":1,"title":{"en":"forged"}}', auth: false });
      assert.equal(r.status, 403, `cross-site ${m} ${p} (${ct}): ${r.status} ${r.text.slice(0, 200)}`);
    }
  }
  await srv.unchangedSinceBaseline('after cross-site posts');
  assert.equal(await topAudit(), audit0, 'no audit row');
  assert.equal((await officer.get('/api/v1/')).status, 200, 'the victim is still signed in');
  // The browser would not even send the cookie: SameSite=Lax, and HttpOnly keeps it
  // from the attacker's scripts.
  const s = srv.visitor();
  const r = await s.login(accounts.officer.name, accounts.officer.password);
  const c = r.setCookies.find((x) => x.startsWith('sid='));
  assert.match(c, /;\s*HttpOnly/i);
  assert.match(c, /;\s*SameSite=Lax/i);
  await s.logout();
});

test('API writes with a session cookie need X-CSRF-Token; with an API token they do not', async () => {
  const audit0 = await topAudit();
  const cur = await srv.getJSON('/api/v1/actions/2');
  const body = { percent: (cur.percent + 1) % 100 };
  const good = await officer.csrfToken();
  for (const [what, csrf] of [['no header', false], ['an empty header', ''], ['another session\'s token', await donor.csrfToken()], ['a wrong token', `${good.slice(0, -2)}xx`]]) {
    assertError(await officer.patch('/api/v1/actions/2', body, { csrf }), 403, 'forbidden', `PATCH, ${what}`);
    assertError(await officer.post('/api/v1/actions', { outcome: 1, title: { en: 'x' } }, { csrf }), 403, 'forbidden', `POST, ${what}`);
    assertError(await officer.del('/api/v1/action_updates/1', { csrf }), 403, 'forbidden', `DELETE, ${what}`);
  }
  assert.equal(await topAudit(), audit0, 'no audit row for refused writes');
  same2(await srv.getJSON('/api/v1/actions/2'), cur);
  // Reads need no token.
  assert.equal((await officer.get('/api/v1/actions/2')).status, 200);
  // With the token: done, once.
  const ok = await officer.patch('/api/v1/actions/2', body);
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.percent, body.percent);
  // A donor's token with the donor's session: still not allowed to write (403 by role).
  assertError(await donor.patch('/api/v1/actions/2', { percent: 1 }), 403, 'forbidden', 'the donor, with its token');
  // An API token needs no CSRF token (no cookie is involved).
  const t = await srv.patch('/api/v1/actions/2', { percent: cur.percent }, { auth: accounts.officer.token });
  assert.equal(t.status, 200, t.text);
  // A bearer token with someone else's session cookie: the token decides.
  const mixed = await srv.request('PATCH', '/api/v1/actions/2', {
    json: { percent: 3 }, headers: { Cookie: `sid=${officer.sid}` }, auth: accounts.donor.token,
  });
  assertError(mixed, 403, 'forbidden', 'a donor token with an officer cookie');
});

function same2(a, b) {
  assert.deepEqual(a, b, 'the record is unchanged');
}

// The pages send the browser back to a path of suivi after signing in (`next`) and
// after choosing a language (`back`); never to another site, however the value is
// written.  A browser reads Location as the URL standard says: tabs and newlines are
// dropped, a backslash is a slash.
const ELSEWHERE = ['//evil.example/', '/\\evil.example/', 'https://evil.example/', 'http:evil.example', '\\\\evil.example',
  'javascript:alert(1)', '/\r\n/evil.example', '/\n/evil.example', ' //evil.example', '/%2F/evil.example'];
const ELSEWHERE_TAB = ['/\t/evil.example/', '/\t\\evil.example', '/\\\t/evil.example'];

async function landings(values) {
  const out = [];
  for (const v of values) {
    const s = srv.visitor();
    const login = await s.login(accounts.donor.name, accounts.donor.password, { next: v });
    assert.equal(login.status, 303, `login with next=${JSON.stringify(v)}`);
    const lang = await srv.get(`/lang?set=en&back=${encodeURIComponent(v)}`, { auth: false });
    assert.equal(lang.status, 303, `/lang with back=${JSON.stringify(v)}`);
    for (const [what, r] of [['login next', login], ['lang back', lang]]) {
      const loc = r.headers.get('location');
      const to = new URL(loc, srv.base);
      if (to.origin !== srv.base) out.push(`${what}=${JSON.stringify(v)}: Location ${JSON.stringify(loc)} → ${to.href}`);
    }
    await s.logout();
  }
  return out;
}

test('login `next` and language `back` never lead to another site', async () => {
  assert.deepEqual(await landings(ELSEWHERE), []);
  // A local path is kept, query string included.
  const s = srv.visitor();
  const r = await s.login(accounts.donor.name, accounts.donor.password, { next: '/actions?late=true' });
  assert.equal(r.headers.get('location'), '/actions?late=true');
  await s.logout();
});

// (A tab let through made "/\t/evil.example" //evil.example to a browser: fixed in 47ce7bb.)
test('login `next` and language `back` with a tab inside never lead to another site', async () => {
  assert.deepEqual(await landings(ELSEWHERE_TAB), []);
});

test('server stops cleanly', () => srv.stop());

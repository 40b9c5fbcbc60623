// Personal data stay with staff: a person's e-mail and telephone (F_PRIVATE) never
// reach a focal point or a donor — not in a page reachable from the menu, not in an
// API list, record or CSV, not through a search (q=) that would find a record by
// them, not through a filter or a sort on them.  Signed in through the login form
// (a cookie jar, no browser) and with an API token.  Staff do see them.  Both backends.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, parseCsv } from './harness.mjs';
import { makeAccounts, localLinks } from './auth-common.mjs';

let srv = null;
let accounts;
let person; // the person with contacts, made by the admin
const tag = Math.random().toString(36).slice(2, 8);
const EMAIL = `private.contact.${tag}@example.org`;
const PHONE = `+212 6 99 ${tag.length} 77 ${String(Date.now()).slice(-4)}`;
// What must not show, also in part (a search or an echo could show a piece).
const SECRETS = [EMAIL, `private.contact.${tag}`, PHONE, PHONE.replace(/\s/g, ''), PHONE.slice(-7)];

before(async () => {
  srv = await startServer();
  accounts = makeAccounts(srv);
  const p = await srv.post('/api/v1/persons', { name: `Contact Person ${tag}`, title: { en: 'Head of unit' }, organisation: 1, email: EMAIL, phone: PHONE });
  assert.equal(p.status, 201, p.text);
  person = p.json;
  assert.equal(person.email, EMAIL, 'the admin sees the e-mail it wrote');
  // Linked from a meeting (co-chair) and an organisation's page: pages that show a person.
  const m = await srv.post('/api/v1/meetings', { kind: 'workshop', title: { en: `Workshop ${tag}` }, start_date: '2026-02-02', cochairs: [person.id] });
  assert.equal(m.status, 201, m.text);
});

after(async () => {
  if (srv) await srv.cleanup();
});

/** The secrets found in a response (body and headers). */
function leaks(r) {
  const all = `${r.text}\n${[...r.headers].map(([k, v]) => `${k}: ${v}`).join('\n')}`;
  // Pages escape HTML: '+' and '@' are not escaped, but look for the escaped forms too.
  const html = all.replace(/&#43;/g, '+').replace(/&#64;/g, '@').replace(/%40/g, '@').replace(/%2B/gi, '+');
  return SECRETS.filter((s) => all.includes(s) || html.includes(s));
}

/** Walks the pages reachable from the menu of `/` (and the links of those pages, to
 * `depth` clicks), as the session sees them; answers {visited, found: [{url, what}]}. */
async function walk(session, { depth = 3, max = 1500 } = {}) {
  const seen = new Set();
  const found = [];
  let frontier = ['/'];
  for (let d = 0; d <= depth && frontier.length; d++) {
    const next = [];
    for (const url of frontier) {
      if (seen.has(url) || seen.size >= max) continue;
      seen.add(url);
      const r = await session.get(url);
      const bad = leaks(r);
      if (bad.length) found.push({ url, status: r.status, what: bad });
      if (!/^text\/html/.test(r.headers.get('content-type') || '')) continue;
      for (const href of localLinks(r.text)) {
        const u = new URL(href, 'http://x');
        // Not the language switch nor sign-out; pagination and sort variants of a
        // list once (their rows are the list's).
        if (u.pathname === '/lang' || u.pathname === '/logout' || u.pathname.startsWith('/static/')) continue;
        if (u.searchParams.has('sort') || u.searchParams.has('offset')) continue;
        if (!seen.has(href)) next.push(href);
      }
    }
    frontier = next;
  }
  return { visited: seen, found };
}

for (const role of ['donor', 'focal']) {
  test(`${role}, signed in through the login form: no page reachable from the menu shows the contacts`, async (t) => {
    const s = await srv.login(accounts[role].name, accounts[role].password);
    const { visited, found } = await walk(s);
    t.diagnostic(`${visited.size} pages walked`);
    assert.ok(visited.has(`/persons/${person.id}`), `the walk reached the person's page (${visited.size} pages)`);
    assert.ok(visited.has('/persons'), 'and the list of persons');
    assert.ok([...visited].some((u) => u.startsWith('/api/v1/persons.csv')), 'and the CSV export linked from the list');
    assert.ok(visited.size > 50, `a real walk: ${visited.size} pages`);
    assert.deepEqual(found, [], `${role}: contacts shown on ${found.length} page(s)`);
    // The person's page names the person, without contacts or their labels.
    const page = await s.get(`/persons/${person.id}`);
    assert.equal(page.status, 200);
    assert.match(page.text, new RegExp(`Contact Person ${tag}`));
    assert.doesNotMatch(page.text, /E-mail|Courriel|Telephone|Téléphone/i, 'no e-mail or telephone rows');
    // Searching or filtering by them through the pages finds nothing and echoes nothing.
    for (const q of [EMAIL, `private.contact.${tag}`, PHONE.slice(-7)]) {
      const r = await s.get(`/persons?q=${encodeURIComponent(q)}`);
      assert.equal(r.status, 200);
      assert.doesNotMatch(r.text, new RegExp(`/persons/${person.id}"`), `q=${q} does not find the person`);
    }
    for (const p of [`/persons?email=${encodeURIComponent(EMAIL)}`, `/persons?phone=${encodeURIComponent(PHONE)}`, '/persons?sort=email', '/persons?sort=-phone']) {
      const r = await s.get(p);
      assert.equal(r.status, 400, `${p}: a filter or sort on a private field is not understood (${r.status})`);
    }
    // The forms that would show them are refused.
    assert.equal((await s.get(`/persons/${person.id}/edit`)).status, 403);
  });

  for (const via of ['API token', 'session cookie']) {
    test(`${role} with ${via === "API token" ? "an" : "a"} ${via}: no API list, record, CSV, search, filter or sort gives the contacts`, async () => {
      const s = via === 'API token' ? null : await srv.login(accounts[role].name, accounts[role].password);
      const get = (p) => (s ? s.get(p) : srv.get(p, { auth: accounts[role].token }));
      const idx = await get('/api/v1/');
      assert.equal(idx.status, 200);
      const found = [];
      for (const { name } of idx.json.collections) {
        for (const p of [`/api/v1/${name}?limit=500`, `/api/v1/${name}.csv`]) {
          const r = await get(p);
          assert.equal(r.status, 200, `${p}: ${r.status}`);
          if (leaks(r).length) found.push(p);
        }
      }
      for (const p of [`/api/v1/persons/${person.id}`, '/api/v1/openapi.json', `/api/v1/persons?q=${encodeURIComponent(EMAIL)}`]) {
        const r = await get(p);
        assert.equal(r.status, 200, p);
        if (leaks(r).length) found.push(p);
      }
      assert.deepEqual(found, [], `${role}: contacts in ${found.join(', ')}`);
      const one = (await get(`/api/v1/persons/${person.id}`)).json;
      assert.ok(!('email' in one) && !('phone' in one), `the fields are absent, not null: ${JSON.stringify(one)}`);
      const list = (await get('/api/v1/persons?limit=500')).json.items;
      assert.ok(list.every((x) => !('email' in x) && !('phone' in x)), 'absent from every listed person');
      const csv = parseCsv((await get('/api/v1/persons.csv')).text);
      assert.ok(!csv[0].includes('email') && !csv[0].includes('phone'), `no CSV columns for them: ${csv[0]}`);
      // A search does not find a person by them (which would tell them piece by piece).
      for (const q of [EMAIL, `private.contact.${tag}`, 'example.org', PHONE.slice(-7)]) {
        const r = await get(`/api/v1/persons?q=${encodeURIComponent(q)}`);
        assert.equal(r.status, 200);
        assert.equal(r.json.items.some((x) => x.id === person.id), false, `q=${q} finds the person through a private field`);
      }
      for (const p of [`/api/v1/persons?email=${encodeURIComponent(EMAIL)}`, `/api/v1/persons?phone=${encodeURIComponent(PHONE)}`,
        '/api/v1/persons?email=', '/api/v1/persons.csv?phone=x']) {
        assertError(await get(p), 400, 'bad_query', `${role}: ${p}`);
      }
      for (const p of ['/api/v1/persons?sort=email', '/api/v1/persons?sort=-phone']) {
        assertError(await get(p), 400, 'bad_query', `${role}: ${p}`);
      }
      // The audit trail (before/after hold the whole record) is not theirs to read.
      assertError(await get('/api/v1/audit'), 403, 'forbidden', `${role}: the audit trail`);
      assertError(await get('/api/v1/audit.csv'), 403, 'forbidden', `${role}: the audit trail as CSV`);
    });
  }
}

for (const role of ['admin', 'officer']) {
  test(`${role} sees the contacts: page, record, list, CSV, search, filter`, async () => {
    const s = await srv.login(accounts[role].name, accounts[role].password);
    const page = await s.get(`/persons/${person.id}`);
    assert.equal(page.status, 200);
    assert.ok(page.text.includes(EMAIL) && page.text.includes(PHONE), `${role}: the person's page shows the e-mail and the telephone`);
    const tok = { auth: accounts[role].token };
    const one = (await srv.get(`/api/v1/persons/${person.id}`, tok)).json;
    assert.equal(one.email, EMAIL);
    assert.equal(one.phone, PHONE);
    const csv = (await srv.get('/api/v1/persons.csv', tok)).text;
    assert.ok(csv.includes(EMAIL) && csv.includes(PHONE), `${role}: the CSV has them`);
    const q = (await srv.get(`/api/v1/persons?q=${encodeURIComponent(`private.contact.${tag}`)}`, tok)).json;
    assert.deepEqual(q.items.map((x) => x.id), [person.id], `${role}: q= finds the person by e-mail`);
    const f = (await srv.get(`/api/v1/persons?email=${encodeURIComponent(EMAIL)}`, tok)).json;
    assert.deepEqual(f.items.map((x) => x.id), [person.id], `${role}: a filter on the e-mail`);
    assert.equal((await srv.get('/api/v1/persons?sort=email', tok)).status, 200);
    // The cache holds a staff answer: the next donor asking the same URL does not get it.
    const donor = await srv.get(`/api/v1/persons/${person.id}`, { auth: accounts.donor.token });
    assert.ok(!('email' in donor.json), 'a donor after staff on the same URL: no e-mail (cache keyed by role)');
    const list = await srv.get('/api/v1/persons.csv', { auth: accounts.focal.token });
    assert.ok(!list.text.includes(EMAIL), 'a focal point after staff on the same CSV: no e-mail');
  });
}

test('server stops cleanly', () => srv.stop());

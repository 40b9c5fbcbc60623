// What a visitor without a session sees: the public dashboard (/) with published
// aggregates, the sign-in page, the language switch, static files and /healthz;
// every other link of the dashboard leads to the sign-in page (pages) or answers 401
// (API).  The dashboard says how many actions are late, not which.  Both backends.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError } from './harness.mjs';
import { localLinks } from './auth-common.mjs';

let srv = null;
let visitor;
let late; // the late actions, as the admin reads them

before(async () => {
  srv = await startServer();
  visitor = srv.visitor();
  late = (await srv.getJSON('/api/v1/actions?late=true&limit=500')).items;
  assert.ok(late.length > 0, 'the demo has late actions');
});

after(async () => {
  if (srv) await srv.cleanup();
});

const PUBLIC = new Set(['/', '/login', '/healthz', '/training', '/verify', '/iati.xml']);

test('every link of the public dashboard: public, or to the sign-in page, or 401', async () => {
  const home = await visitor.get('/');
  assert.equal(home.status, 200);
  assert.match(home.text, /href="\/login"/, 'a link to sign in');
  assert.doesNotMatch(home.text, /action="\/logout"/, 'no sign-out form');
  const menu = [...home.text.match(/<nav class="main".*?<\/nav>/s)[0].matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(menu, ['/training', '/verify', '/iati.xml'], 'a visitor\'s menu: what anyone may open');
  const links = localLinks(home.text);
  assert.ok(links.length > 10, `links: ${links.length}`);
  const wrong = [];
  for (const href of links) {
    const u = new URL(href, 'http://x');
    const r = await visitor.get(href);
    if (PUBLIC.has(u.pathname) || u.pathname.startsWith('/static/')) {
      if (r.status !== 200) wrong.push(`${href}: ${r.status}, want 200`);
    } else if (u.pathname === '/lang') {
      if (r.status !== 303) wrong.push(`${href}: ${r.status}, want 303`);
    } else if (u.pathname.startsWith('/api/')) {
      if (r.status !== 401) wrong.push(`${href}: ${r.status}, want 401`);
    } else {
      const loc = r.status === 303 ? new URL(r.headers.get('location'), 'http://x') : null;
      if (!loc || loc.pathname !== '/login' || loc.searchParams.get('next') !== href) wrong.push(`${href}: ${r.status} ${r.headers.get('location')}, want 303 to /login?next=${href}`);
    }
  }
  assert.deepEqual(wrong, []);
  assertError(await visitor.get('/api/v1/actions?late=true'), 401, 'unauthorized', 'the late actions through the API');
});

test('the dashboard counts the late actions for a visitor, and names them only to people signed in', async () => {
  const home = (await visitor.get('/')).text;
  assert.match(home, new RegExp(`<section class="late"><h2>[^<]*<span class="count">\\((?:<bdi dir="ltr">)?${late.length}(?:</bdi>)?\\)</span>`), 'the count');
  for (const a of late) {
    const title = (a.title.fr || a.title.en).slice(0, 40);
    assert.ok(!home.includes(title), `a visitor does not see the late action "${title}"`);
    assert.ok(!home.includes(`href="/actions/${a.id}"`), `nor a link to it`);
  }
  const staff = await srv.login();
  const mine = (await staff.get('/')).text;
  for (const a of late.slice(0, 10)) assert.ok(mine.includes(`href="/actions/${a.id}"`), `signed in: a link to late action ${a.id}`);
});

// (It said "Late actions (4)" and then "No action is late.": fixed in 47ce7bb.)
test('the dashboard does not tell a visitor that no action is late when some are', async () => {
  for (const lang of ['fr', 'en']) {
    const home = (await srv.visitor({ cookies: { lang } }).get('/')).text;
    const section = /<section class="late">.*?<\/section>/s.exec(home)[0];
    assert.match(section, new RegExp(`\\(${late.length}\\)`), `${lang}: the count`);
    assert.doesNotMatch(section.replace(/<[^>]*>/g, ' '), /Aucune action n\S{1,6}est en retard|No action is late/, `${lang}: ${section}`);
  }
});

test('server stops cleanly', () => srv.stop());

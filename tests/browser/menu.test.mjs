// tests/browser/menu.test.mjs — the menu by task and role, in a real Chromium (issue 14):
// (a) each role's menu, from its home page, holds exactly the pages listed here, by
//     group, and every one of them opens for that role (200, no detour to the sign-in
//     page);
// (b) at 390 px: tests/browser/menu-phone.test.mjs;
// (c) the menu's groups fold and open with the keyboard; the page's group is marked;
// (d) the public home names the co-chairs, offers what anyone may open and no count
//     of what only those signed in may see; a signed-in reader's counts are its own;
//     a focal point's home begins with its country, a donor's with its portfolio.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, newContext, assertClean } from './lib.mjs';
import { MENUS } from './menus.mjs';

let srv;
let browser;
const USERS = {
  officer: { name: 'officer.menu', password: 'officer-password-of-the-menu-test' },
  focal: { name: 'focal.menu', password: 'focal-password-of-the-menu-test' },
  donor: { name: 'donor.menu', password: 'donor-password-of-the-menu-test' },
};
let donorOrg;

const stop = useBrowser(async (s, b) => {
  srv = s;
  browser = b;
  const r = await srv.post('/api/v1/organisations', { name: { en: 'Menu Test Donor' }, acronym: 'MTD' });
  assert.equal(r.status, 201, r.text);
  donorOrg = r.json.id;
  const p = await srv.post('/api/v1/programmes', { title: { en: 'Programme of the menu test' }, countries: ['SN'], donors: [donorOrg], status: 'implementation' });
  assert.equal(p.status, 201, p.text);
  srv.addUser(USERS.officer.name, 'officer', { password: USERS.officer.password });
  srv.addUser(USERS.focal.name, 'focal', { country: 'MA', password: USERS.focal.password });
  srv.addUser(USERS.donor.name, 'donor', { organisation: donorOrg, password: USERS.donor.password });
});


async function contextOf(role, opts = {}) {
  if (role === 'public') return newContext(browser, srv, { signIn: false, ...opts });
  return newContext(browser, srv, { signIn: role === 'admin' ? {} : USERS[role], ...opts });
}

/** The menu of the page as { group: [href, …] }. */
const menuOf = (page) => page.evaluate(() => Object.fromEntries([...document.querySelectorAll('nav.main details')]
  .map((d) => [d.querySelector('summary').textContent.trim(), [...d.querySelectorAll('a')].map((a) => a.getAttribute('href'))])));

for (const role of ['public', 'admin', 'officer', 'focal', 'donor']) {
  test(`(a) the ${role}'s menu lists its pages, and each opens`, async () => {
    const ctx = await contextOf(role);
    const page = await ctx.newPage();
    await page.goto(srv.url('/lang?set=en&back=/'));
    assert.deepEqual(await menuOf(page), MENUS[role], `the ${role}'s menu on the home page`);
    for (const href of Object.values(MENUS[role]).flat()) {
      if (href.endsWith('.xml')) { // a file, not a page (Chromium's XML viewer breaks the CSP)
        const x = await ctx.request.get(srv.url(href));
        assert.equal(x.status(), 200, `${role}: GET ${href}`);
        assert.match(x.headers()['content-type'], /xml/);
        continue;
      }
      // opened with the context's cookies, not drawn: the pages-*.test.mjs files draw
      // each page and check its console; here what counts is that the role may open it
      const r = await ctx.request.get(srv.url(href));
      assert.equal(r.status(), 200, `${role}: GET ${href}`);
      assert.notEqual(new URL(r.url()).pathname, '/login', `${role}: ${href} does not send to the sign-in page`);
    }
    assertClean(ctx, `${role}'s menu`);
    await ctx.close();
  });
}

test('(c) a group opens with the keyboard and the page\'s group is marked', async () => {
  const ctx = await contextOf('admin');
  const page = await ctx.newPage();
  await page.goto(srv.url('/lang?set=fr&back=/needs/gaps'));
  const here = page.locator('nav.main details.here');
  assert.equal(await here.count(), 1, 'one group holds the page');
  assert.equal((await here.locator('summary').textContent()).trim(), 'Besoins');
  assert.equal(await here.locator('a[aria-current="page"]').getAttribute('href'), '/needs/gaps');
  const training = page.locator('nav.main details', { hasText: 'Formation' });
  assert.equal(await training.evaluate((d) => d.open), false, 'folded until asked');
  await training.locator('summary').focus();
  await page.keyboard.press('Enter');
  assert.equal(await training.evaluate((d) => d.open), true, 'Enter opens the group');
  assert.ok(await training.getByRole('link', { name: 'Vérifier un certificat' }).isVisible());
  assertClean(ctx, 'the menu with the keyboard');
  await ctx.close();
});

test('(d) the public home names the co-chairs and shows only what anyone may open', async () => {
  const ctx = await contextOf('public');
  const page = await ctx.newPage();
  await page.goto(srv.url('/lang?set=en&back=/'));
  const meta = await page.locator('section.dialogue p.meta').first().textContent();
  assert.match(meta, /Co-chairs: \S/, meta);
  assert.doesNotMatch(meta, /#\d/, `co-chairs by name, not number: ${meta}`);
  const tiles = await page.locator('main section.counts li a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(tiles, ['/training', '/verify', '/iati.xml']);
  assertClean(ctx, 'the public home');
  await ctx.close();

  // a donor's counts are what it may list: its programmes
  const dctx = await contextOf('donor');
  const dpage = await dctx.newPage();
  await dpage.goto(srv.url('/lang?set=en&back=/'));
  const tile = dpage.locator('main section.counts:not(.own) a[href="/programmes"] strong');
  const listed = await dpage.goto(srv.url('/api/v1/programmes')).then((r) => r.json());
  await dpage.goto(srv.url('/'));
  assert.equal(Number(await tile.textContent()), listed.total, 'the home\'s count of programmes is the donor\'s list');
  assert.equal(await dpage.locator('section.own h2').textContent(), 'Your portfolio');
  await dctx.close();

  // a focal point's home begins with its country; each count is what the link lists
  const fctx = await contextOf('focal');
  const fpage = await fctx.newPage();
  await fpage.goto(srv.url('/lang?set=en&back=/'));
  assert.equal(await fpage.locator('section.own h2').textContent(), 'Your country');
  const own = await fpage.locator('section.own li a').evaluateAll((as) => as.map((a) => [a.getAttribute('href'), a.querySelector('strong')?.textContent]));
  assert.deepEqual(own.map(([h]) => h), ['/needs/country/MA', '/sessions?country=MA', '/participants', '/actions?late=true', '/forum/3/evaluate']);
  const sessions = await fpage.goto(srv.url('/api/v1/sessions?country=MA')).then((r) => r.json());
  assert.equal(Number(own[1][1]), sessions.total, 'sessions in its country');
  for (const [href] of own) {
    const r = await fpage.goto(srv.url(href));
    assert.equal(r.status(), 200, `the focal point's ${href}`);
  }
  assertClean(fctx, 'the focal point\'s home');
  await fctx.close();
});

test('server stops cleanly', stop);

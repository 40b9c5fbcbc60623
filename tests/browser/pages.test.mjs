// tests/browser/pages.test.mjs — every kind of page, in each language, in a real
// Chromium: axe-core (WCAG 2.1 A/AA, fails on serious or critical findings),
// <html lang dir>, the weight of the HTML, no console errors, no request elsewhere.
// French is the default; English and Arabic are chosen with the language switch.
// One screenshot of the home page per language goes to build/screenshots/.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launchBrowser, newContext, assertClean, assertLangDir, assertAxe,
  formatViolations, navigate, signIn, LANGS, PAGE_LIMIT, screenshotPath,
} from './lib.mjs';

const PATHS = ['/', '/meetings', '/meetings/1', '/outcomes', '/actions', '/actions?late=true',
  '/actions/1', '/actions/1/edit', '/actions/new', '/countries', '/themes', '/organisations/1',
  '/persons/1', '/action_updates', '/audit', '/audit/1', '/account',
  '/needs/matrix', '/needs/matrix?measure=count', '/needs/country/SN', '/needs/theme/pcve', '/needs/gaps',
  '/needs', '/needs/1', '/needs/new', '/needs/import', '/board', '/board?late=true', '/meetings/1/report',
  '/documents/new', '/catalogue', '/sessions/1', '/sessions/1/results', '/participants/1',
  '/enrolments/1/certificate', '/verify', '/verify/PO-2025-AAAAAAAA',
  '/training', '/training?country=SN&sex=female', '/participants/import',
  '/enrolments/import', '/participants/duplicates',
  '/meetings/2', '/meetings/3', '/meetings/3/badges', '/forum/3/evaluate',
  '/forum/3/evaluate?rater=beneficiary&country=SN', '/forum/3/report',
  '/programmes', '/programmes/1', '/programmes/overview', '/indicators/1', '/transactions', '/programmes/import',
  '/evaluations/1'];

let srv;
let browser;

before(async () => {
  srv = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.cleanup();
});

test('the axe check fails on serious findings (self-check)', async () => {
  const ctx = await newContext(browser, srv);
  const page = await ctx.newPage();
  await page.setContent('<!DOCTYPE html><html lang="en"><head><title>t</title></head>' +
    '<body><main><h1>t</h1><form><input type="text" name="x"></form></main></body></html>');
  await assert.rejects(assertAxe(page, 'an unlabelled field'), /label \[critical\]/);
  await ctx.close();
});

for (const lang of LANGS) {
  describe(`pages in ${lang}`, () => {
    let ctx;
    let page;

    before(async () => {
      // A German browser: its Accept-Language names none of suivi's languages, so the
      // server's default (French) applies until the switch sets the cookie.
      ctx = await newContext(browser, srv, { locale: 'de-DE', signIn: false });
      page = await ctx.newPage();
    });
    after(async () => {
      if (ctx) await ctx.close();
    });

    test(lang === 'fr' ? 'French is the default language' : `the language switch chooses ${lang}`, async () => {
      const resp = await page.goto(srv.url('/'));
      assert.equal(resp.status(), 200);
      if (lang !== 'fr') {
        const link = page.locator(`nav.langs a[hreflang="${lang}"]`);
        assert.equal(await link.count(), 1, `one link to ${lang} in the language menu`);
        const r = await navigate(page, () => link.click());
        assert.equal(r.status(), 200);
        assert.equal(new URL(page.url()).pathname, '/', 'the switch comes back to the page');
        const cookies = await page.context().cookies(srv.base);
        assert.ok(cookies.some((c) => c.name === 'lang' && c.value === lang), `a lang=${lang} cookie: ${JSON.stringify(cookies)}`);
      }
      await assertLangDir(page, lang);
      // The menu marks the current language and does not link to it.
      assert.equal(await page.locator(`nav.langs [aria-current="true"][lang="${lang}"]`).count(), 1,
        'the language menu marks the current language with aria-current');
      assertClean(ctx, `/ in ${lang}`);
    });

    test(`the sign-in page in ${lang} (axe), then signing in`, async (t) => {
      const resp = await page.goto(srv.url('/meetings'));
      assert.equal(new URL(page.url()).pathname, '/login', 'a visitor is sent to the sign-in page');
      assert.equal(new URL(page.url()).searchParams.get('next'), '/meetings', 'which knows where to go back');
      assert.equal(resp.status(), 200);
      await assertLangDir(page, lang, `/login in ${lang}`);
      let minor = await assertAxe(page, `/login in ${lang}`);
      if (minor.length) t.diagnostic(`axe (minor/moderate) on /login in ${lang}:\n${formatViolations(minor)}`);
      // A wrong password: the same page with its message (axe again), 403.
      await page.locator('#in-name').fill('admin');
      await page.locator('#in-password').fill('not the password');
      const bad = await navigate(page, () => page.locator('form[action="/login"] button[type="submit"]').click());
      assert.equal(bad.status(), 403, 'a wrong password');
      await assertLangDir(page, lang, `/login (refused) in ${lang}`);
      assert.equal(await page.locator('[role="alert"]').count(), 1, 'the refusal is announced');
      minor = await assertAxe(page, `/login (refused) in ${lang}`);
      if (minor.length) t.diagnostic(`axe (minor/moderate) on the refused /login in ${lang}:\n${formatViolations(minor)}`);
      ctx.problems = ctx.problems.filter((p) => !/status of 403\b/.test(p)); // Chromium logs the 403
      await signIn(page, srv, { next: '/meetings' });
      await assertLangDir(page, lang, `/meetings after signing in, in ${lang}`);
      assertClean(ctx, `signing in, in ${lang}`);
    });

    for (const p of PATHS) {
      test(`${p}`, async (t) => {
        const resp = await page.goto(srv.url(p), { waitUntil: 'load' });
        assert.ok(resp, `a response for ${p}`);
        assert.equal(resp.status(), 200, `GET ${p} in ${lang}`);
        assert.match(resp.headers()['content-type'] || '', /^text\/html/);
        const html = await resp.body();
        assert.ok(html.length < PAGE_LIMIT, `${p} in ${lang}: ${html.length} bytes of HTML (limit ${PAGE_LIMIT})`);
        await assertLangDir(page, lang, `${p} in ${lang}`);
        const minor = await assertAxe(page, `${p} in ${lang}`);
        if (minor.length) t.diagnostic(`axe (minor/moderate) on ${p} in ${lang}:\n${formatViolations(minor)}`);
        assertClean(ctx, `${p} in ${lang}`);
        if (p === '/') {
          await page.screenshot({ path: screenshotPath(`home-${lang}.png`), fullPage: true });
        }
      });
    }
  });
}

test('server stops cleanly', async () => {
  await browser.close();
  browser = null;
  await srv.stop();
});

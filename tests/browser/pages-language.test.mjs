// tests/browser/pages-language.test.mjs — the language of the pages and the sign-in
// page, in a real Chromium.  French is the default (a German browser names none of
// suivi's languages); the language switch chooses English and Arabic, sets the `lang`
// cookie and comes back to the page; the language menu marks the current language.
// The sign-in page: a visitor is sent to it with where to go back; a wrong password
// gives the same page (403) with its message announced; the right one signs in.  All
// of that in fr, en and ar, with <html lang dir> and no console error or request to
// another host at each step.  axe-core runs on the sign-in page in one language and
// on the refused sign-in in another (the pages-*.test.mjs rotation: axeLang); the
// first test checks that the axe check fails where it should.
//
// The other pages, by family: pages-home (home, reference data, account, audit),
// pages-followup (meetings, actions, the board), pages-needs, pages-training,
// pages-programmes (programmes, events, the forum).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  useBrowser, newContext, assertClean, assertLangDir, assertAxe,
  formatViolations, navigate, signIn, LANGS, axeLang,
} from './lib.mjs';

// Which language runs axe on which of the two templates of the sign-in page.
const AXE = { login: axeLang(2), refused: axeLang(1) }; // ar, en

let srv;
let browser;
const stop = useBrowser((s, b) => { srv = s; browser = b; });

test('the axe check fails on serious findings (self-check)', async () => {
  const ctx = await newContext(browser, srv, { signIn: false });
  const page = await ctx.newPage();
  await page.setContent('<!DOCTYPE html><html lang="en"><head><title>t</title></head>' +
    '<body><main><h1>t</h1><form><input type="text" name="x"></form></main></body></html>');
  await assert.rejects(assertAxe(page, 'an unlabelled field'), /label \[critical\]/);
  await ctx.close();
});

/** axe on the page when it is `lang`'s turn for this template. */
async function axeIf(t, page, lang, template, what) {
  if (AXE[template] !== lang) return;
  const minor = await assertAxe(page, what);
  if (minor.length) t.diagnostic(`axe (minor/moderate) on ${what}:\n${formatViolations(minor)}`);
}

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

    const axeNames = [AXE.login === lang && '/login', AXE.refused === lang && 'the refused /login'].filter(Boolean);
    test(`the sign-in page in ${lang}${axeNames.length ? ` (axe on ${axeNames.join(', ')})` : ''}, then signing in`, async (t) => {
      const resp = await page.goto(srv.url('/meetings'));
      assert.equal(new URL(page.url()).pathname, '/login', 'a visitor is sent to the sign-in page');
      assert.equal(new URL(page.url()).searchParams.get('next'), '/meetings', 'which knows where to go back');
      assert.equal(resp.status(), 200);
      await assertLangDir(page, lang, `/login in ${lang}`);
      await axeIf(t, page, lang, 'login', `/login in ${lang}`);
      // A wrong password: the same page with its message, 403.
      await page.locator('#in-name').fill('admin');
      await page.locator('#in-password').fill('not the password');
      const bad = await navigate(page, () => page.locator('form[action="/login"] button[type="submit"]').click());
      assert.equal(bad.status(), 403, 'a wrong password');
      await assertLangDir(page, lang, `/login (refused) in ${lang}`);
      assert.equal(await page.locator('[role="alert"]').count(), 1, 'the refusal is announced');
      await axeIf(t, page, lang, 'refused', `/login (refused) in ${lang}`);
      ctx.problems = ctx.problems.filter((p) => !/status of 403\b/.test(p)); // Chromium logs the 403
      await signIn(page, srv, { next: '/meetings' });
      await assertLangDir(page, lang, `/meetings after signing in, in ${lang}`);
      assertClean(ctx, `signing in, in ${lang}`);
    });
  });
}

test('server stops cleanly', stop);

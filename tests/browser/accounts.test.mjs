// tests/browser/accounts.test.mjs — accounts in the browser (issue 14, item 8) in a real
// Chromium: the admin makes a focal point through the form (its country picked by name),
// reads the one-time password once; the person signs in with it, lands on the change of
// password and nowhere else until a new one is set, then signs in again.  The list, the
// form, an account's page and the password page: no sideways scrolling at 390 px in
// fr/en/ar, the Arabic right to left, axe without serious findings; screenshots to
// build/screenshots/accounts-*.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useBrowser, newContext, assertClean, assertAxe, assertLangDir, navigate, screenshotPath, LANGS,
} from './lib.mjs';

let srv;
let browser;
const stop = useBrowser((s, b) => { srv = s; browser = b; });

const WIDTHS = [1366, 390];

/** The page is no wider than its window (no sideways scrolling). */
async function assertFits(page, what) {
  const { scroll, inner } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth, inner: window.innerWidth,
  }));
  assert.ok(scroll <= inner, `${what}: ${scroll} px wide in a ${inner} px window`);
}

async function check(page, ctx, name, lang, width, axe) {
  const what = `${name} in ${lang} at ${width} px`;
  await assertLangDir(page, lang, what);
  await assertFits(page, what);
  if (axe) await assertAxe(page, what);
  assertClean(ctx, what);
  await page.screenshot({ path: screenshotPath(`accounts-${name}-${lang}-${width}.png`), fullPage: width === 390 });
}

test('the admin\'s pages in fr/en/ar, at 1366 and 390 px', async () => {
  const ctx = await newContext(browser, srv);
  const page = await ctx.newPage();
  let n = 0;
  for (const lang of LANGS) {
    await page.goto(srv.url(`/lang?set=${lang}&back=/`));
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      // axe once per page in each script's direction (the same markup at either width)
      const axe = (lang === 'ar' && width === 390) || (lang === 'fr' && width === 1366);
      await page.goto(srv.url('/accounts/new'));
      await check(page, ctx, 'new', lang, width, axe);
      await page.locator('#in-name').fill(`focal.${lang}.${width}`);
      await page.locator('#in-role').selectOption('focal');
      await page.locator('#in-country').selectOption('SN');
      const resp = await navigate(page, () => page.locator('form.record-form button[type="submit"]').click());
      assert.equal(resp.status(), 201);
      const pw = (await page.locator('code').textContent()).trim();
      assert.equal(pw.length, 20, 'the one-time password');
      await check(page, ctx, 'created', lang, width, axe);
      await page.goto(srv.url('/accounts'));
      await check(page, ctx, 'list', lang, width, axe);
      await navigate(page, () => page.locator(`a:text-is("focal.${lang}.${width}")`).click());
      assert.match(new URL(page.url()).pathname, /^\/accounts\/\d+$/);
      await check(page, ctx, 'account', lang, width, axe);
      n++;
    }
  }
  assert.equal(n, 6);
  await ctx.close();
});

test('a one-time password leads to the change of password, then to the rest', async () => {
  const admin = await newContext(browser, srv);
  const page = await admin.newPage();
  await page.goto(srv.url('/accounts/new'));
  await page.locator('#in-name').fill('first.browser');
  await page.locator('#in-role').selectOption('donor');
  await page.locator('#in-organisation').selectOption('4');
  await navigate(page, () => page.locator('form.record-form button[type="submit"]').click());
  const pw = (await page.locator('code').textContent()).trim();
  await admin.close();

  const ctx = await newContext(browser, srv, { signIn: false, viewport: { width: 390, height: 844 } });
  const p = await ctx.newPage();
  await p.goto(srv.url('/login?next=/programmes'));
  await p.locator('#in-name').fill('first.browser');
  await p.locator('#in-password').fill(pw);
  await navigate(p, () => p.locator('form button[type="submit"]').click());
  assert.equal(new URL(p.url()).pathname, '/account', 'the change of password first');
  await assertFits(p, 'the account page at 390 px');
  await assertAxe(p, 'the account page with a one-time password');
  await p.screenshot({ path: screenshotPath('accounts-one-time-en-390.png'), fullPage: true });
  await p.goto(srv.url('/programmes'));
  assert.equal(new URL(p.url()).pathname, '/account', 'nowhere else');
  await p.locator('#in-current').fill(pw);
  await p.locator('#in-new').fill('browser-own-password');
  await p.locator('#in-again').fill('browser-own-password');
  await navigate(p, () => p.locator('form.record-form button[type="submit"]').click());
  assert.equal(new URL(p.url()).pathname, '/login');
  await p.locator('#in-name').fill('first.browser');
  await p.locator('#in-password').fill('browser-own-password');
  await navigate(p, () => p.locator('form button[type="submit"]').click());
  await p.goto(srv.url('/programmes'));
  assert.equal(new URL(p.url()).pathname, '/programmes', 'then the rest');
  assertClean(ctx, 'the one-time flow');
  await ctx.close();
});

test('server stops cleanly', () => stop());

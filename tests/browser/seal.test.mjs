// tests/browser/seal.test.mjs — a sealed edition (issue 18, item 3) in a real Chromium:
// the edition's page before the seal (the button, for staff), the seal made through
// it, the page after (the seal's facts, its hash, the key, the download) and the next
// edition's review with where each action stood at the seal.  fr/en/ar at 1366 and
// 390 px: no sideways scrolling, Arabic right to left, axe without serious findings;
// screenshots to build/screenshots/seal-*.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useBrowser, newContext, assertClean, assertAxe, assertLangDir, navigate, screenshotPath, LANGS,
} from './lib.mjs';

const WIDTHS = [1366, 390];
let srv;
let browser;
const stop = useBrowser((s, b) => { srv = s; browser = b; });

async function check(page, ctx, name, lang, width) {
  const what = `${name} in ${lang} at ${width} px`;
  await assertLangDir(page, lang, what);
  const { scroll, inner } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth, inner: window.innerWidth,
  }));
  assert.ok(scroll <= inner, `${what}: ${scroll} px wide in a ${inner} px window`);
  if ((lang === 'ar' && width === 390) || (lang === 'fr' && width === 1366)) await assertAxe(page, what);
  assertClean(ctx, what);
  await page.screenshot({ path: screenshotPath(`seal-${name}-${lang}-${width}.png`), fullPage: width === 390 });
}

test('an edition sealed through its page, the seal shown, and the next edition\'s review against it', async () => {
  const next = await srv.post('/api/v1/meetings', { kind: 'strategic_dialogue', title: { fr: 'Deuxième édition (essai)', en: 'Second edition (test)' }, start_date: '2027-09-26', previous: 1 });
  assert.equal(next.status, 201, next.text);
  const ctx = await newContext(browser, srv);
  const page = await ctx.newPage();
  await page.goto(srv.url('/lang?set=fr&back=/'));
  await page.setViewportSize({ width: 1366, height: 900 });
  await page.goto(srv.url('/meetings/1#seal'));
  await check(page, ctx, 'before', 'fr', 1366);
  const sealed = await navigate(page, () => page.locator('form[action="/meetings/1/seal"] button').click());
  assert.equal(sealed.status(), 200);
  assert.equal(await page.locator('#seal a[href="/meetings/1/seal.json"]').count(), 1);
  for (const lang of LANGS) {
    await page.goto(srv.url(`/lang?set=${lang}&back=/`));
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(srv.url('/meetings/1#seal'));
      await check(page, ctx, 'sealed', lang, width);
      await page.goto(srv.url(`/meetings/${next.json.id}`));
      assert.ok(await page.locator('.at-seal').count() > 0, 'the review says where the actions stood at the seal');
      await check(page, ctx, 'review', lang, width);
    }
  }
  await ctx.close();
});

test('server stops cleanly', stop);

// tests/browser/locks.test.mjs — locked periods (issue 18, item 2) in a real Chromium: a
// programme's period locked through its page's form by an administrator, the section as
// it then reads (the date in the reader's language, the Unlock button for administrators
// only), and a meeting's follow-up locked the same way — fr/en/ar at 1366 and 390 px: no
// sideways scrolling, Arabic right to left, axe without serious findings, the Nu HTML
// checker without errors; screenshots to build/screenshots/locks-*.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useBrowser, newContext, assertReadable, assertHtmlValid, navigate, LANGS,
} from './lib.mjs';
import { Session, USER_PASSWORD } from '../http/harness.mjs';

const WIDTHS = [1366, 390];
let srv;
let browser;
useBrowser((s, b) => { srv = s; browser = b; });

async function check(page, ctx, name, lang, width) {
  const what = `${name} in ${lang} at ${width} px`;
  await assertReadable(page, ctx, what, { lang, width, shot: `locks-${name}-${lang}-${width}.png` });
}

test('a programme and a meeting locked through their pages, as an administrator and an officer read them', async () => {
  const prog = (await srv.getJSON('/api/v1/programmes?limit=1')).items[0].id;
  const ctx = await newContext(browser, srv);
  const page = await ctx.newPage();
  await page.goto(srv.url(`/programmes/${prog}#lock`));
  await page.fill('#lock-as-of', '2025-06-30');
  const done = await navigate(page, () => page.locator(`form[action="/programmes/${prog}/lock"] button`).click());
  assert.equal(done.status(), 200);
  assert.equal(await page.locator('#lock .locked time[datetime="2025-06-30"]').count(), 1);
  await page.goto(srv.url('/meetings/1#lock'));
  await page.fill('#lock-as-of', '2025-03-31');
  await navigate(page, () => page.locator('form[action="/meetings/1/lock"] button').click());
  assert.equal(await page.locator('#lock .locked').count(), 1);
  await ctx.close();

  srv.addUser('locks-officer', 'officer');
  const html = [];
  // the administrator in every language and width; an officer (no Unlock) in one
  for (const [role, who, langs, widths] of [['admin', {}, LANGS, WIDTHS],
    ['officer', { name: 'locks-officer', password: USER_PASSWORD }, ['ar'], [390]]]) {
    const rctx = await newContext(browser, srv, { signIn: who });
    const rpage = await rctx.newPage();
    for (const lang of langs) {
      await rpage.goto(srv.url(`/lang?set=${lang}&back=/`));
      for (const width of widths) {
        await rpage.setViewportSize({ width, height: 900 });
        for (const [name, p, unlock] of [['programme', `/programmes/${prog}`, `/programmes/${prog}/unlock`], ['meeting', '/meetings/1', '/meetings/1/unlock']]) {
          await rpage.goto(srv.url(`${p}#lock`));
          assert.equal(await rpage.locator(`form[action="${unlock}"]`).count(), role === 'admin' ? 1 : 0, `${role}: Unlock`);
          await check(rpage, rctx, `${name}-${role}`, lang, width);
        }
      }
      const cookie = (await rctx.cookies(srv.base)).find((c) => c.name === 'sid');
      const s = new Session(srv, { cookies: { sid: cookie.value, lang } });
      for (const p of [`/programmes/${prog}`, '/meetings/1']) html.push([`${role} ${lang} ${p}`, (await s.get(p)).text]);
    }
    await rctx.close();
  }
  await assertHtmlValid(html);
});

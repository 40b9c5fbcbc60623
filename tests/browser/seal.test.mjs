// tests/browser/seal.test.mjs — a sealed edition (issue 18, item 3) in a real Chromium:
// the edition's page before the seal (the button, for staff), the seal made through
// it, the page after (the seal's facts, its hash, the key, the download) and the next
// edition's review with where each action stood at the seal — as each role that reads
// meetings (administrator, officer, focal point, donor; the public reads none): fr/en/ar
// at 1366 and 390 px for the administrator, the two extremes for the others — no sideways
// scrolling, Arabic right to left, axe without serious findings, the Nu HTML checker
// without errors; screenshots to build/screenshots/seal-*.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useBrowser, newContext, assertReadable, assertHtmlValid, navigate, LANGS,
} from './lib.mjs';
import { Session, USER_PASSWORD } from '../http/harness.mjs';

const WIDTHS = [1366, 390];
let srv;
let browser;
const stop = useBrowser((s, b) => { srv = s; browser = b; });

async function check(page, ctx, name, lang, width) {
  const what = `${name} in ${lang} at ${width} px`;
  assert.equal(new URL(page.url()).pathname.startsWith('/login'), false, `${what}: read, not sent to sign in`);
  await assertReadable(page, ctx, what, { lang, width, shot: `seal-${name}-${lang}-${width}.png` });
}

test('an edition sealed through its page, the seal shown, and the next edition\'s review against it', async () => {
  const next = await srv.post('/api/v1/meetings', { kind: 'strategic_dialogue', title: { fr: 'Deuxième édition (essai)', en: 'Second edition (test)' }, start_date: '2027-09-26', previous: 1 });
  assert.equal(next.status, 201, next.text);
  const ctx = await newContext(browser, srv);
  const page = await ctx.newPage();
  for (const lang of LANGS) { // before the seal: the button, for staff
    await page.goto(srv.url(`/lang?set=${lang}&back=/`));
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(srv.url('/meetings/1#seal'));
      await check(page, ctx, 'before', lang, width);
    }
  }
  const sealed = await navigate(page, () => page.locator('form[action="/meetings/1/seal"] button').click());
  assert.equal(sealed.status(), 200);
  assert.equal(await page.locator('#seal a[href="/meetings/1/seal.json"]').count(), 1);
  await ctx.close();
  // each role that reads meetings: the sealed edition and the next one's review
  srv.addUser('seal-officer', 'officer');
  srv.addUser('seal-focal', 'focal', { country: 'SN' });
  srv.addUser('seal-donor', 'donor', { organisation: 4 });
  const roles = [['admin', {}], ['officer', { name: 'seal-officer', password: USER_PASSWORD }],
    ['focal', { name: 'seal-focal', password: USER_PASSWORD }], ['donor', { name: 'seal-donor', password: USER_PASSWORD }]];
  const html = [];
  // the administrator in every language and width; the other roles (the same page but
  // for staff's buttons) at the two extremes: French at 1366 px, Arabic at 390 px
  for (const [role, who] of roles) {
    const rctx = await newContext(browser, srv, { signIn: who });
    const rpage = await rctx.newPage();
    const every = role === 'admin';
    for (const lang of every ? LANGS : ['fr', 'ar']) {
      await rpage.goto(srv.url(`/lang?set=${lang}&back=/`));
      for (const width of every ? WIDTHS : [lang === 'fr' ? 1366 : 390]) {
        await rpage.setViewportSize({ width, height: 900 });
        await rpage.goto(srv.url('/meetings/1#seal'));
        assert.equal(await rpage.locator('#seal a[href="/meetings/1/seal.json"]').count(), 1, `${role} sees the seal`);
        assert.equal(await rpage.locator('form[action="/meetings/1/seal"]').count(), 0, 'sealed once: no button');
        await check(rpage, rctx, `sealed-${role}`, lang, width);
        await rpage.goto(srv.url(`/meetings/${next.json.id}`));
        assert.ok(await rpage.locator('.at-seal').count() > 0, `${role}: the review says where the actions stood at the seal`);
        await check(rpage, rctx, `review-${role}`, lang, width);
      }
      // the server's bytes, for the Nu HTML checker
      const cookie = (await rctx.cookies(srv.base)).find((c) => c.name === 'sid');
      const s = new Session(srv, { cookies: { sid: cookie.value, lang } });
      for (const p of ['/meetings/1', `/meetings/${next.json.id}`]) html.push([`${role} ${lang} ${p}`, (await s.get(p)).text]);
    }
    await rctx.close();
  }
  await assertHtmlValid(html);
});

test('server stops cleanly', stop);

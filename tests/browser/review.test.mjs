// tests/browser/review.test.mjs — review before it counts (issue 18, item 1) in a real
// Chromium: a focal point's assessments wait in the officer's review queue; the officer
// ticks two and approves them with the queue's button, returns a third from its page
// with a comment; the focal point reads the returned entry and its comment in its own
// queue and on the entry's page — fr/en/ar at 1366 and 390 px: no sideways scrolling,
// Arabic right to left, axe without serious findings, the Nu HTML checker without
// errors; screenshots to build/screenshots/review-*.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, newContext, assertReadable, assertHtmlValid, navigate, LANGS } from './lib.mjs';
import { Session, USER_PASSWORD, todayUTC } from '../http/harness.mjs';

const WIDTHS = [1366, 390];
let srv;
let browser;
useBrowser((s, b) => { srv = s; browser = b; });

async function check(page, ctx, name, lang, width) {
  await assertReadable(page, ctx, `${name} in ${lang} at ${width} px`, { lang, width, shot: `review-${name}-${lang}-${width}.png` });
}

/** Path as ctx's reader, in every language and width (all), or in the two extremes:
 * French at 1366 px, Arabic at 390 px. */
async function everyWay(ctx, page, path, name, html, all = false) {
  for (const lang of all ? LANGS : ['fr', 'ar']) {
    await page.goto(srv.url(`/lang?set=${lang}&back=/`));
    for (const width of all ? WIDTHS : [lang === 'fr' ? 1366 : 390]) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(srv.url(path));
      await check(page, ctx, name, lang, width);
    }
    const cookie = (await ctx.cookies(srv.base)).find((c) => c.name === 'sid');
    html.push([`${name} ${lang}`, (await new Session(srv, { cookies: { sid: cookie.value, lang } }).get(path)).text]);
  }
}

test('the officer\'s queue, a decision on the entry\'s page, and the focal point\'s returned entry', async () => {
  srv.addUser('review-focal', 'focal', { country: 'SN' });
  srv.addUser('review-officer', 'officer');
  const focalToken = srv.addToken('review-focal').token;
  const theme = (await srv.getJSON('/api/v1/needs/latest?country=SN')).items[0].theme;
  const ids = [];
  for (const severity of [4, 3, 2]) {
    const r = await srv.post('/api/v1/needs', { country: 'SN', theme, assessed_on: todayUTC(), severity, source: 'self_assessment',
      description: { fr: `Évaluation ${severity} (essai)` } }, { auth: focalToken });
    assert.equal(r.status, 201, r.text);
    ids.push(r.json.id);
  }
  const html = [];
  const octx = await newContext(browser, srv, { signIn: { name: 'review-officer', password: USER_PASSWORD } });
  const opage = await octx.newPage();
  await everyWay(octx, opage, '/review', 'queue', html, true);
  await opage.goto(srv.url('/review'));
  await opage.check(`input[value="needs:${ids[0]}"]`);
  await opage.check(`input[value="needs:${ids[1]}"]`);
  const done = await navigate(opage, () => opage.locator('button[name="decision"][value="approve"]').click());
  assert.equal(done.status(), 200);
  assert.equal(await opage.locator(`input[value="needs:${ids[0]}"]`).count(), 0, 'approved: out of the queue');
  assert.equal(await opage.locator(`input[value="needs:${ids[2]}"]`).count(), 1);
  await everyWay(octx, opage, `/needs/${ids[2]}`, 'entry', html);
  await opage.goto(srv.url(`/needs/${ids[2]}`));
  await opage.fill('#review-comment', 'Say which mission the figures come from.');
  await navigate(opage, () => opage.locator('#review button[value="return"]').click());
  assert.equal(await opage.locator('#review .tag-review-returned').count(), 1);
  await octx.close();
  const fctx = await newContext(browser, srv, { signIn: { name: 'review-focal', password: USER_PASSWORD } });
  const fpage = await fctx.newPage();
  await everyWay(fctx, fpage, '/review', 'returned', html);
  await everyWay(fctx, fpage, `/needs/${ids[2]}`, 'returned-entry', html);
  assert.equal(await fpage.locator('.review-comment').count(), 1);
  await fctx.close();
  await assertHtmlValid(html);
});

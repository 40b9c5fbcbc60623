// tests/browser/print.test.mjs — every report prints on A4 (issue 14, item 4): in fr,
// en and ar, each report laid out for print (print media, the width of an A4 page
// less its margins) is no wider than the paper, keeps no box that would need
// scrolling on paper, leaves out the menu, the header and the forms, and Chromium
// makes a PDF of it on A4.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, newContext, assertClean, LANGS } from './lib.mjs';

// A4 is 210 mm wide; style.css's @page leaves 15 mm each side: 180 mm at 96 px an inch.
// A table too wide for that (class "landscape") is printed on A4 turned: 267 mm.
const PRINT_WIDTH = Math.floor((180 / 25.4) * 96);
const LANDSCAPE_WIDTH = Math.floor((267 / 25.4) * 96);

let srv;
let browser;
let reports;
const stop = useBrowser(async (s, b) => {
  srv = s;
  browser = b;
  const dialogues = await srv.getJSON('/api/v1/meetings?kind=strategic_dialogue');
  const forums = await srv.getJSON('/api/v1/meetings?kind=forum');
  const programmes = await srv.getJSON('/api/v1/programmes?limit=1');
  assert.ok(dialogues.items.length && forums.items.length && programmes.items.length, 'the demo has a dialogue, a forum and a programme');
  reports = [
    `/meetings/${dialogues.items[0].id}/report`, // the follow-up report of an edition
    `/forum/${forums.items[0].id}/report`,
    '/needs/gaps',
    '/needs/map',
    '/training',
    '/programmes/overview',
    `/programmes/${programmes.items[0].id}`,
  ];
});

/** What would not fit on paper: the page's width, and boxes whose content is cut. */
const overflow = (page, width) => page.evaluate((width) => {
  const found = [];
  if (document.documentElement.scrollWidth > width) found.push(`the page: ${document.documentElement.scrollWidth} px`);
  for (const el of document.querySelectorAll('main *')) {
    const style = getComputedStyle(el);
    if (style.display === 'none' || el.classList.contains('sr-only') || !/(auto|scroll|hidden)/.test(style.overflowX + style.overflowY)) continue;
    if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1) {
      found.push(`${el.tagName.toLowerCase()}.${el.className}: ${el.scrollWidth}×${el.scrollHeight} in ${el.clientWidth}×${el.clientHeight}`);
    }
  }
  return found;
}, width);

for (const lang of LANGS) {
  test(`every report prints on A4, in ${lang}`, async () => {
    const ctx = await newContext(browser, srv, { viewport: { width: PRINT_WIDTH, height: 1100 } });
    const page = await ctx.newPage();
    await page.goto(srv.url(`/lang?set=${lang}&back=/`));
    await page.emulateMedia({ media: 'print' });
    const problems = [];
    for (const p of reports) {
      const r = await page.goto(srv.url(p));
      assert.equal(r.status(), 200, `GET ${p}`);
      const turned = await page.locator('main .landscape').count() > 0;
      if (turned) await page.setViewportSize({ width: LANDSCAPE_WIDTH, height: 1100 });
      for (const o of await overflow(page, turned ? LANDSCAPE_WIDTH : PRINT_WIDTH)) problems.push(`${p}: ${o}`);
      if (turned) await page.setViewportSize({ width: PRINT_WIDTH, height: 1100 });
      const hidden = await page.evaluate(() => [...document.querySelectorAll('header.top, nav.main, footer')]
        .filter((el) => getComputedStyle(el).display !== 'none').map((el) => el.tagName));
      if (hidden.length) problems.push(`${p}: printed ${hidden.join(', ')}`);
      const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
      assert.ok(pdf.subarray(0, 5).toString() === '%PDF-' && pdf.length > 2000, `${p}: a PDF`);
    }
    assert.deepEqual(problems, [], `in ${lang}, on A4:\n${problems.join('\n')}`);
    assertClean(ctx, `printing in ${lang}`);
    await ctx.close();
  });
}

test('server stops cleanly', stop);

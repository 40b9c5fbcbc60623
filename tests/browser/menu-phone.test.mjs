// tests/browser/menu-phone.test.mjs — at 390 px, in fr, en and ar, no page of the
// admin's menu nor a record of each list is wider than the screen: wide tables
// scroll in their own box (issue 14). One test per language, so that each stays far
// from its time limit on a busy machine; apart from menu.test.mjs for the same reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, newContext, assertClean, LANGS } from './lib.mjs';
import { MENUS } from './menus.mjs';

let srv;
let browser;
const stop = useBrowser(async (s, b) => {
  srv = s;
  browser = b;
});
const contextOf = (opts) => newContext(browser, srv, { signIn: {}, ...opts });

const ADMIN_MENU = () => Object.values(MENUS.admin).flat().filter((h) => !h.endsWith('.xml') && !h.startsWith('/api/'));
let records; // a record of each list: the first link to one in its table
// the demo's reports: the dialogue's follow-up (meeting 1) and the forum's (meeting 3)
const REPORTS = ['/meetings/1/report', '/forum/3/report'];

/** A record of each list: the first link to one in the list's table, read from the
 * list's HTML (no need to draw it for that). */
async function recordsOfTheLists(ctx) {
  const found = [];
  for (const href of ADMIN_MENU()) {
    const html = await (await ctx.request.get(srv.url(href))).text();
    const table = html.slice(html.indexOf('<main'));
    const first = [...table.matchAll(/<table[\s\S]*?<\/table>/g)].flatMap((t) => [...t[0].matchAll(/<a\b[^>]*?\shref="([^"]+)"/g)])
      .map((m) => m[1]).find((h) => /^\/[a-z_]+\/[A-Za-z0-9_]+$/.test(h));
    if (first && !found.includes(first)) found.push(first);
  }
  assert.ok(found.length >= 10, `records of the lists: ${found.join(' ')}`);
  return found;
}

LANGS.forEach((lang, li) => {
  test(`(b) at 390 px no page is wider than the screen, in ${lang}`, async () => {
    const ctx = await contextOf({ viewport: { width: 390, height: 844 } });
    const page = await ctx.newPage();
    records = records || await recordsOfTheLists(ctx);
    await page.goto(srv.url(`/lang?set=${lang}&back=/`));
    // every page of the menu; the records each in one language, in turn
    // (and the texts to translate of one collection: a page of long labels; the needs
    // compared with training, reached from the dashboard)
    const pages = ['/', '/account', ...ADMIN_MENU(), ...REPORTS, '/translations?collection=needs&missing=ar', '/training/needs',
      ...records.filter((_, i) => i % LANGS.length === li)];
    const wide = [];
    for (const p of pages) {
      const r = await page.goto(srv.url(p));
      assert.equal(r.status(), 200, `GET ${p} in ${lang}`);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      if (width > 390) wide.push(`${p}: ${width} px`);
    }
    assert.deepEqual(wide, [], `pages wider than a 390 px phone in ${lang}:\n${wide.join('\n')}`);
    assertClean(ctx, `pages at 390 px in ${lang}`);
    await ctx.close();
  });
});

test('server stops cleanly', stop);

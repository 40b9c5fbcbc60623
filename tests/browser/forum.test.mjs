// tests/browser/forum.test.mjs — a donor rates a programme it funds at the forum in a
// real Chromium: signs in, opens the evaluation form, chooses the six scores (with the
// arrow keys inside a radio group, and with the mouse), writes a comment, saves; the
// form then shows what was given, and the forum report, read by the donor and by an
// officer, shows the rating.  axe-core runs on the form and the report in fr, en and ar.
// In Arabic, the numbers of the report's and the training dashboard's tables read left
// to right.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, newContext, assertClean, assertAxe, assertLangDir, navigate, tabTo, LANGS } from './lib.mjs';

const FORUM = 3; // the demo's forum
const CRITERIA = ['relevance', 'coherence', 'effectiveness', 'efficiency', 'impact', 'sustainability'];
const SCORES = [4, 5, 3, 2, 4, 3];

let srv;
let browser;
let programme;
let other;
const DONOR = { name: 'donor.browser', password: 'donor-password-of-the-browser-test' };

async function create(coll, json) {
  const r = await srv.post(`/api/v1/${coll}`, json);
  assert.equal(r.status, 201, `POST ${coll}: ${r.text}`);
  return r.json.id;
}

const stop = useBrowser(async (s, b) => {
  srv = s;
  browser = b;
  const donor = await create('organisations', { name: { en: 'Browser Test Donor', fr: 'Donateur du test' }, acronym: 'BTD' });
  const funder = await create('organisations', { name: { en: 'Another donor' } });
  programme = await create('programmes', { title: { en: 'Coastal surveillance support', fr: 'Appui à la surveillance côtière' }, countries: ['SN'], donors: [donor], status: 'implementation', currency: 'USD', budget: 1000000 });
  other = await create('programmes', { title: { en: 'Programme funded by someone else' }, countries: ['SN'], donors: [funder], status: 'implementation' });
  srv.addUser(DONOR.name, 'donor', { organisation: donor, password: DONOR.password });
});

test('a donor rates a programme it funds; the forum report shows the rating', async () => {
  const ctx = await newContext(browser, srv, { signIn: DONOR });
  const page = await ctx.newPage();
  await page.goto(srv.url('/lang?set=en&back=/'));
  let r = await page.goto(srv.url(`/forum/${FORUM}/evaluate`));
  assert.equal(r.status(), 200);
  assert.equal(await page.locator('ul.rateable li').count(), 1, 'only the programme it funds');
  assert.equal(await page.getByText('Programme funded by someone else').count(), 0);
  await assertAxe(page, 'the list of programmes to rate');
  r = await navigate(page, () => page.getByRole('link', { name: 'Coastal surveillance support' }).click());
  assert.equal(r.status(), 200);
  await assertAxe(page, 'the evaluation form');

  // relevance with the keyboard: Tab into the group, the arrow keys choose
  await tabTo(page, 'input[name="relevance"]');
  await page.keyboard.press('Space'); // the first radio: 1
  for (let i = 1; i < SCORES[0]; i++) await page.keyboard.press('ArrowRight');
  assert.equal(await page.locator(`#relevance-${SCORES[0]}`).isChecked(), true, 'arrow keys move the choice');
  // the others with the mouse, on the labels
  for (let i = 1; i < CRITERIA.length; i++) await page.locator(`label[for="${CRITERIA[i]}-${SCORES[i]}"]`).click();
  await page.getByLabel('Comment').nth(2).fill('Results visible in the ports');
  r = await navigate(page, () => page.getByRole('button', { name: 'Save the ratings' }).click());
  assert.equal(r.status(), 200);
  assert.match(await page.locator('p.notice[role="status"]').textContent(), /saved/);
  assertClean(ctx, 'rating');

  const evs = (await srv.getJSON(`/api/v1/evaluations?meeting=${FORUM}&programme=${programme}`)).items;
  assert.equal(evs.length, 1);
  assert.deepEqual(CRITERIA.map((c) => evs[0][c]), SCORES);
  assert.equal(evs[0].rater, 'donor');
  assert.equal(evs[0].effectiveness_comment, 'Results visible in the ports');

  // the form shows what was given
  await page.goto(srv.url(`/forum/${FORUM}/evaluate?programme=${programme}`));
  for (let i = 0; i < CRITERIA.length; i++) assert.equal(await page.locator(`#${CRITERIA[i]}-${SCORES[i]}`).isChecked(), true);

  // the report, as the donor
  r = await page.goto(srv.url(`/forum/${FORUM}/report`));
  assert.equal(r.status(), 200);
  const sec = page.locator(`#prog-${programme}`);
  for (let i = 0; i < CRITERIA.length; i++) {
    const cells = sec.locator(`tr.c-${CRITERIA[i]} td`);
    assert.equal(await cells.nth(1).getAttribute('data-value'), `${SCORES[i]}.00`, `donors' mean of ${CRITERIA[i]}`);
  }
  assert.equal(await page.locator(`#prog-${other}`).count(), 0, 'not a programme it does not fund');
  assert.equal(await sec.locator('svg.chart title').count(), 1);
  assert.match(await sec.locator('ul.comments').textContent(), /a donor .*Results visible in the ports/);
  await ctx.close();

  // and as an officer (the admin), with the donor named
  const staff = await newContext(browser, srv);
  const p2 = await staff.newPage();
  await p2.goto(srv.url('/lang?set=en&back=/'));
  await p2.goto(srv.url(`/forum/${FORUM}/report`));
  const s2 = p2.locator(`#prog-${programme}`);
  assert.equal(await s2.locator('tr.c-relevance td').nth(1).getAttribute('data-value'), `${SCORES[0]}.00`);
  assert.match(await s2.locator('ul.comments').textContent(), /Browser Test Donor/);
  assertClean(staff, 'the report as an officer');
  await staff.close();
});

test('the form and the report pass axe in fr, en and ar', async () => {
  const ctx = await newContext(browser, srv, { signIn: DONOR });
  const page = await ctx.newPage();
  for (const lang of LANGS) {
    await page.goto(srv.url(`/lang?set=${lang}&back=/`));
    for (const p of [`/forum/${FORUM}/evaluate?programme=${programme}`, `/forum/${FORUM}/report`]) {
      const r = await page.goto(srv.url(p));
      assert.equal(r.status(), 200, `${p} in ${lang}`);
      await assertLangDir(page, lang, `${p} in ${lang}`);
      await assertAxe(page, `${p} in ${lang}`);
    }
  }
  assertClean(ctx, 'the pages in three languages');
  await ctx.close();
});

// Issue 14: in Arabic, every number in a table of the training dashboard and of the
// forum report reads as it is written (its characters left to right on the screen),
// whether isolated by a <bdi> (a sign, a range's ends) or alone in its cell.  Measured
// in the page as Chromium lays it out: each character's box, from a Range.
const NUMBER = /^[+\u2212-]?\d[\d,.\u202f\u00a0\u066b\u066c]*\s?[%\u066a]?$/;
test('in Arabic, the numbers of the dashboard and the forum report read left to right', async () => {
  const ctx = await newContext(browser, srv, { signIn: DONOR });
  const page = await ctx.newPage();
  await page.goto(srv.url('/lang?set=ar&back=/'));
  for (const p of ['/training', `/forum/${FORUM}/report`]) {
    assert.equal((await page.goto(srv.url(p))).status(), 200, p);
    await assertLangDir(page, 'ar', p);
    const found = await page.evaluate((source) => {
      const number = new RegExp(source);
      const out = { checked: 0, reversed: [] };
      // a canary: a signed number left to the text direction is drawn "19.8+"
      const canary = document.querySelector('main table tbody tr').appendChild(document.createElement('td'));
      canary.textContent = '+19.8';
      for (const cell of document.querySelectorAll('main table td')) {
        // each piece of the cell that is a number of its own: a <bdi>'s, else the cell's
        const pieces = cell.querySelector('bdi') ? [...cell.querySelectorAll('bdi')] : [cell];
        for (const el of pieces) {
          const text = el.textContent.trim();
          if (!number.test(text) || text.length < 2) continue;
          const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
          const xs = [];
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            for (let i = 0; i < node.data.length; i++) {
              if (/\s/.test(node.data[i])) continue;
              const r = document.createRange();
              r.setStart(node, i);
              r.setEnd(node, i + 1);
              xs.push(r.getBoundingClientRect().left);
            }
          }
          out.checked++;
          if (xs.some((x, i) => i > 0 && x <= xs[i - 1])) out.reversed.push(text);
        }
      }
      return out;
    }, NUMBER.source);
    assert.ok(found.checked >= 6, `${p}: ${found.checked} numbers checked`);
    assert.deepEqual(found.reversed, ['+19.8'], `${p}: numbers drawn out of order in Arabic (but the canary, +19.8)`);
  }
  assertClean(ctx, 'the Arabic pages');
  await ctx.close();
});

test('server stops cleanly', stop);

// tests/browser/cycle.test.mjs — the annual cycle as an officer lives it, in a real
// Chromium (English, en-US locale): from the first edition's page, open the next
// edition (the preset form, saved); the new edition opens with the review of last
// year's commitments; on the follow-up board, a late action of the first edition gets
// its quick update (done, 100 %, a note); the follow-up report then counts one late
// action fewer and shows the update.  axe runs on the board, the report and the new
// edition.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, newContext, assertClean, assertAxe, navigate } from './lib.mjs';

let srv;
let browser;
const stop = useBrowser((s, b) => { srv = s; browser = b; });

/** The numbers of the actions the report lists as late (its first column). */
const lateListed = (page) => page.locator('section.r-late tbody tr').evaluateAll(
  (rows) => rows.map((r) => Number(r.cells[0].textContent)));

/** The number of late actions the report of meeting 1 states in its heading. */
async function reportLate(page) {
  const r = await page.goto(srv.url('/meetings/1/report'));
  assert.equal(r.status(), 200);
  const text = await page.locator('section.r-late h2 .count').textContent();
  return Number(/\((\d+)\)/.exec(text)[1]);
}

test('open the next edition, update a late action on the board, see the report change', async (t) => {
  const ctx = await newContext(browser, srv);
  const page = await ctx.newPage();
  const lateBefore = (await srv.getJSON('/api/v1/followup?meeting=1&late=true')).items;
  assert.ok(lateBefore.length > 0, 'the demo has late actions in the first edition');
  const target = lateBefore[0];
  let nextId;

  await t.test('the report before: its late actions', async () => {
    assert.equal(await reportLate(page), lateBefore.length);
    assert.ok((await lateListed(page)).includes(target.id), 'the late action is listed');
    await assertAxe(page, 'the follow-up report');
  });

  await t.test('the first edition\'s page opens the next edition', async () => {
    await page.goto(srv.url('/meetings/1'));
    await navigate(page, () => page.locator('#open-next').click());
    assert.equal(new URL(page.url()).pathname, '/meetings/new');
    assert.equal(await page.locator('#in-edition').inputValue(), '2', 'edition 2 preset');
    assert.equal(await page.locator('#in-previous').inputValue(), '1', 'previous edition preset');
    await page.locator('#in-start_date').fill('2025-10-02');
    const resp = await navigate(page, () => page.locator('form.record-form button[type="submit"]').first().click());
    assert.equal(resp.status(), 200, 'saved and shown');
    const m = /\/meetings\/(\d+)$/.exec(new URL(page.url()).pathname);
    assert.ok(m, `the new edition's page: ${page.url()}`);
    nextId = Number(m[1]);
    const review = page.locator('section.review');
    assert.equal(await review.count(), 1, 'the review of last year\'s commitments');
    assert.ok(await review.locator(`a[href="/actions/${target.id}"]`).count() > 0, 'the late action is under review');
    await assertAxe(page, 'the new edition');
  });

  await t.test('the board: the late action updated with quick entry', async () => {
    await page.goto(srv.url('/board?meeting=1&late=true'));
    await assertAxe(page, 'the follow-up board');
    await page.locator(`#qs-${target.id}`).selectOption('done');
    await page.locator(`#qp-${target.id}`).fill('100');
    await page.locator(`#qn-${target.id}`).fill('Completed after the review');
    const resp = await navigate(page, () => page.locator(`#qn-${target.id}`).press('Enter'));
    assert.equal(resp.status(), 200);
    assert.equal(new URL(page.url()).pathname, '/board', 'back on the board');
    const rec = await srv.getJSON(`/api/v1/actions/${target.id}`);
    assert.equal(rec.status, 'done');
    assert.equal(rec.percent, 100);
    assert.equal(rec.late, false);
  });

  await t.test('the report after: one late action fewer, and the review without it', async () => {
    assert.equal(await reportLate(page), lateBefore.length - 1);
    assert.ok(!(await lateListed(page)).includes(target.id), 'no longer late');
    await page.goto(srv.url(`/meetings/${nextId}`));
    assert.equal(await page.locator(`section.review a[href="/actions/${target.id}"]`).count(), 0, 'done: out of the review');
  });
  assertClean(ctx, 'the annual cycle');
  await ctx.close();
});

test('server stops cleanly', stop);

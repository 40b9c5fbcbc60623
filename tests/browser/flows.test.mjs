// tests/browser/flows.test.mjs — what a person does with the pages, in a real Chromium:
// (a) a new action with the keyboard only, through a form with errors;
// (b) the same action edited in two tabs: the second save is refused (412);
// (c) the language switch keeps the page;
// (d) the actions list filtered with its form and sorted by a column header; the pager.
// The browser's locale is en-US, so the pages are in English (Accept-Language).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useBrowser, newContext, assertClean, assertLangDir, assertAxe, navigate,
  tabTo, typeDate, retype,
} from './lib.mjs';

let srv;
let browser;
const stop = useBrowser((s, b) => { srv = s; browser = b; });

/** Chromium logs "Failed to load resource: … status of 422" for a page answered with
 * an error status; that line is expected after a refused form, nothing else is. */
function dropStatusLine(ctx, status) {
  const re = new RegExp(`Failed to load resource: the server responded with a status of ${status}\\b`);
  ctx.problems = ctx.problems.filter((p) => !re.test(p));
}

/** The due date field as the browser holds it: its type, its value (what the form
 * submits) and whether the browser found the typed text unusable. */
const dateState = (page) => page.locator('#in-due_date').evaluate((el) => ({
  type: el.type, value: el.value, badInput: el.validity.badInput,
  formNoValidate: el.form.noValidate,
}));

const focusedId = (page) => page.evaluate(() => document.activeElement && document.activeElement.id);

test('(a) a new action with the keyboard only: errors, then saved', async (t) => {
  const ctx = await newContext(browser, srv);
  const page = await ctx.newPage();
  const title = 'Action saisie au clavier';
  let resp;
  let dateField; // what the browser made of the typed date, for the failure message

  await t.test('fill in the form with an impossible date and percent, submit with Enter', async () => {
    resp = await page.goto(srv.url('/actions/new'));
    assert.equal(resp.status(), 200);
    await tabTo(page, '#in-outcome');
    await page.keyboard.press('ArrowDown'); // the first outcome
    assert.match(await page.locator('#in-outcome').inputValue(), /^\d+$/, 'an outcome chosen with the keyboard');
    await tabTo(page, '#in-title-fr');
    await page.keyboard.type(title);
    await tabTo(page, '#in-due_date');
    await typeDate(page, '2024-02-30');
    dateField = await dateState(page);
    await tabTo(page, '#in-percent');
    await page.keyboard.type('150');
    resp = await navigate(page, () => page.keyboard.press('Enter'));
    assert.equal(resp.status(), 422, 'the refused form answers 422');
    assert.equal(new URL(page.url()).pathname, '/actions/new', 'the same page');
    dropStatusLine(ctx, 422);
  });

  await t.test('the page lists the errors and marks each field', async () => {
    const summary = page.locator('[role="alert"]');
    assert.equal(await summary.count(), 1, 'one error summary with role=alert');
    assert.ok(await summary.isVisible(), 'the summary is visible');
    assert.equal(await page.locator('#in-title-fr').inputValue(), title, 'the typed title is kept');
    const problems = [];
    for (const id of ['in-due_date', 'in-percent']) {
      const field = page.locator(`#${id}`);
      if (await summary.locator(`a[href="#${id}"]`).count() !== 1) problems.push(`the summary has no link to #${id}`);
      if (await field.getAttribute('aria-invalid') !== 'true') problems.push(`#${id} has no aria-invalid="true"`);
      const described = (await field.getAttribute('aria-describedby')) || '';
      const texts = [];
      for (const ref of described.split(/\s+/).filter(Boolean)) {
        const el = page.locator(`[id="${ref}"]`);
        if (await el.count()) texts.push((await el.innerText()).trim());
      }
      if (!texts.some((s) => s.length > 0)) problems.push(`#${id} has no message tied by aria-describedby (${JSON.stringify(described)})`);
    }
    assert.deepEqual(problems, [], `after submitting due date 2024-02-30 and percent 150:\n${problems.join('\n')}\n` +
      `summary: ${JSON.stringify(await summary.innerText())}\n` +
      `the due date field before submitting: ${JSON.stringify(dateField)}`);
    await assertAxe(page, 'the form with errors');
  });

  await t.test('a link of the summary takes the keyboard to its field', async () => {
    await tabTo(page, '[role="alert"] a[href="#in-percent"]');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'in-percent');
    assert.equal(await focusedId(page), 'in-percent');
  });

  await t.test('fix the fields, submit with Enter: the record page says saved', async () => {
    await tabTo(page, '#in-due_date');
    await typeDate(page, '2025-03-15');
    await tabTo(page, '#in-percent');
    await retype(page, '40');
    await tabTo(page, 'form.record-form button[type="submit"]');
    resp = await navigate(page, () => page.keyboard.press('Enter'));
    assert.equal(resp.status(), 200, `saved form lands on a page (${page.url()})`);
    const url = new URL(page.url());
    const m = /^\/actions\/(\d+)$/.exec(url.pathname);
    assert.ok(m, `lands on the record page: ${page.url()}`);
    const status = page.locator('[role="status"]');
    assert.match(await status.innerText(), /saved/i, 'a "saved" notice');
    assert.equal(await page.locator('h1').innerText(), title);
    const rec = await srv.getJSON(`/api/v1/actions/${m[1]}`);
    assert.equal(rec.title.fr, title);
    assert.equal(rec.due_date, '2025-03-15');
    assert.equal(rec.percent, 40);
    await assertAxe(page, 'the record page after saving');
  });

  assertClean(ctx, 'flow (a)');
  await ctx.close();
});

test('(a) an impossible due date alone is refused, not dropped', async () => {
  const ctx = await newContext(browser, srv);
  const page = await ctx.newPage();
  const title = 'Action avec une date impossible';
  await page.goto(srv.url('/actions/new'));
  await tabTo(page, '#in-outcome');
  await page.keyboard.press('ArrowDown');
  await tabTo(page, '#in-title-fr');
  await page.keyboard.type(title);
  await tabTo(page, '#in-due_date');
  await typeDate(page, '2024-02-30');
  const dateField = await dateState(page);
  await tabTo(page, '#in-percent');
  await page.keyboard.type('10');
  const resp = await navigate(page, () => page.keyboard.press('Enter'));
  dropStatusLine(ctx, 422);
  const saved = (await srv.all('actions')).filter((a) => a.title && a.title.fr === title);
  assert.deepEqual(saved.map((a) => ({ id: a.id, due_date: a.due_date })), [],
    `typing 2024-02-30 as the due date must not save the action (answer ${resp.status()} ${page.url()}); ` +
    `the due date field before submitting: ${JSON.stringify(dateField)}`);
  assert.equal(resp.status(), 422);
  assert.equal(await page.locator('#in-due_date').getAttribute('aria-invalid'), 'true');
  assertClean(ctx, 'flow (a), impossible date alone');
  await ctx.close();
});

test('(b) the same action edited in two tabs: the later save gets 412 and keeps the first', async () => {
  const ctx = await newContext(browser, srv);
  const a = await ctx.newPage();
  const b = await ctx.newPage();
  const id = 2;
  const before = await srv.getJSON(`/api/v1/actions/${id}`);
  assert.equal((await a.goto(srv.url(`/actions/${id}/edit`))).status(), 200);
  assert.equal((await b.goto(srv.url(`/actions/${id}/edit`))).status(), 200);

  const fromB = 'Changed in tab B';
  await b.locator('#in-title-en').fill(fromB);
  let resp = await navigate(b, () => b.locator('form.record-form button[type="submit"]').click());
  assert.equal(resp.status(), 200);
  assert.match(new URL(b.url()).pathname, new RegExp(`^/actions/${id}$`), 'B lands on the record');
  assert.match(await b.locator('[role="status"]').innerText(), /saved/i);

  const fromA = 'Changed in tab A';
  await a.locator('#in-title-en').fill(fromA);
  await a.locator('#in-percent').fill('7');
  resp = await navigate(a, () => a.locator('form.record-form button[type="submit"]').click());
  assert.equal(resp.status(), 412, 'the stale save answers 412 Precondition Failed');
  dropStatusLine(ctx, 412);
  const text = await a.locator('main').innerText();
  assert.match(text, /someone else changed this record/i, 'A is told that someone else changed the record');
  await assertLangDir(a, 'en');
  await assertAxe(a, 'the 412 page');

  const now = await srv.getJSON(`/api/v1/actions/${id}`);
  assert.equal(now.title.en, fromB, 'B\'s title is kept');
  assert.equal(now.percent, before.percent, 'A\'s percent was not written');
  assert.equal(now.version, before.version + 1, 'one write only');
  assertClean(ctx, 'flow (b)');
  await ctx.close();
});

test('(c) the language switch keeps the current page', async () => {
  const ctx = await newContext(browser, srv);
  const page = await ctx.newPage();
  const problems = [];
  for (const start of ['/actions/1/edit', '/meetings/1', '/actions?late=true&sort=due_date', '/countries?offset=50']) {
    assert.equal((await page.goto(srv.url(start))).status(), 200);
    for (const lang of ['fr', 'ar', 'en']) {
      const link = page.locator(`nav.langs a[hreflang="${lang}"]`);
      assert.equal(await link.count(), 1, `${start}: a link to ${lang}`);
      const href = await link.getAttribute('href');
      const resp = await navigate(page, () => link.click());
      assert.equal(resp.status(), 200);
      await assertLangDir(page, lang, `${start} after switching to ${lang}`);
      const u = new URL(page.url());
      if (u.pathname + u.search !== start) {
        problems.push(`on ${start}, the link to ${lang} (${href}) leads to ${u.pathname + u.search}`);
        await page.goto(srv.url(start)); // go on from where the person was
      }
    }
  }
  assert.deepEqual(problems, [], `the language switch does not keep the page:\n${problems.join('\n')}`);
  assertClean(ctx, 'flow (c)');
  await ctx.close();
});

/** The cells of a list's column, found by the sort key of its header link. */
async function column(page, key) {
  return page.evaluate((k) => {
    const ths = [...document.querySelectorAll('table.list thead th')];
    const i = ths.findIndex((th) => {
      const a = th.querySelector('a');
      return a && new URL(a.href).searchParams.get('sort')?.replace(/^-/, '') === k;
    });
    if (i < 0) return null;
    return [...document.querySelectorAll('table.list tbody tr')].map((tr) => {
      const c = tr.children[i];
      const time = c.querySelector('time');
      return { text: c.innerText.trim(), date: time ? time.getAttribute('datetime') : null, html: c.innerHTML };
    });
  }, key);
}

test('(d) filter the actions by status with the filter form', async () => {
  const ctx = await newContext(browser, srv);
  const page = await ctx.newPage();
  await page.goto(srv.url('/actions'));
  await page.locator('#f-status').selectOption('done');
  await navigate(page, () => page.locator('form.filters button[type="submit"]').click());
  const u = new URL(page.url());
  assert.equal(u.pathname, '/actions');
  assert.equal(u.searchParams.get('status'), 'done', `the filter is in the address: ${page.url()}`);
  assert.equal(await page.locator('#f-status').inputValue(), 'done', 'the form shows the filter');
  const want = await srv.getJSON('/api/v1/actions?status=done&limit=500');
  assert.ok(want.total > 1, 'the demo has several done actions');
  const status = await column(page, 'status');
  assert.ok(status, 'a status column with a sort link');
  const pager = await page.locator('nav.pager').innerText().catch(() => '');
  assert.equal(status.length, want.total,
    `${u.pathname + u.search} (what the filter form sends) lists ${status.length} actions, ` +
    `GET /api/v1/actions?status=done has ${want.total} (pager: ${JSON.stringify(pager)})`);
  for (const c of status) assert.match(c.html, /tag-done/, `every row is done: ${c.html}`);
  await assertAxe(page, 'the filtered list');
  assertClean(ctx, 'flow (d) filter');
  await ctx.close();
});

test('(d) sort the done actions by due date with the column header', async () => {
  const ctx = await newContext(browser, srv);
  const page = await ctx.newPage();
  await page.goto(srv.url('/actions?status=done'));
  const want = await srv.getJSON('/api/v1/actions?status=done&limit=500');
  const header = page.locator('table.list thead th', { has: page.locator('a[href*="sort=due_date"]') });
  assert.equal(await header.count(), 1, 'a due date header with a sort link');
  await navigate(page, () => header.locator('a').click());
  let u = new URL(page.url());
  assert.equal(u.searchParams.get('sort'), 'due_date');
  assert.equal(u.searchParams.get('status'), 'done', 'sorting keeps the filter');
  const th = page.locator('table.list thead th[aria-sort]');
  assert.equal(await th.count(), 1, 'one sorted column');
  assert.equal(await th.getAttribute('aria-sort'), 'ascending');
  assert.match(await th.locator('a').getAttribute('href'), /sort=-due_date/);
  const dates = (await column(page, 'due_date')).map((c) => c.date);
  assert.equal(dates.length, want.total);
  const given = dates.filter(Boolean);
  assert.deepEqual(given, [...given].sort(), `due dates ascending: ${dates.join(', ')}`);

  await navigate(page, () => th.locator('a').click());
  u = new URL(page.url());
  assert.equal(u.searchParams.get('sort'), '-due_date');
  assert.equal(u.searchParams.get('status'), 'done', 'sorting keeps the filter');
  assert.equal(await page.locator('table.list thead th[aria-sort]').getAttribute('aria-sort'), 'descending');
  const down = (await column(page, 'due_date')).map((c) => c.date).filter(Boolean);
  assert.deepEqual(down, [...down].sort().reverse(), `due dates descending: ${down.join(', ')}`);
  await assertAxe(page, 'the sorted list');
  assertClean(ctx, 'flow (d) sort');
  await ctx.close();
});

test('(d) the pager walks through the 249 countries', async () => {
  const ctx = await newContext(browser, srv);
  const page = await ctx.newPage();
  await page.goto(srv.url('/countries'));
  const seen = [];
  let pages = 0;
  for (;;) {
    pages++;
    const rows = await page.locator('table.list tbody tr').evaluateAll((trs) => trs.map((tr) => tr.innerText.trim()));
    assert.ok(rows.length > 0 && rows.length <= 50, `page ${pages}: ${rows.length} rows`);
    seen.push(...rows);
    const next = page.locator('nav.pager a[rel="next"]');
    if (await next.count() === 0) break;
    await navigate(page, () => next.click());
    assert.ok(pages < 20, 'the pager ends');
  }
  assert.equal(seen.length, 249, 'every country once');
  assert.equal(new Set(seen).size, 249, 'no country twice');
  assert.equal(pages, 5);
  const prev = page.locator('nav.pager a[rel="prev"]');
  assert.equal(await prev.count(), 1, 'the last page links back');
  await navigate(page, () => prev.click());
  assert.equal(new URL(page.url()).searchParams.get('offset'), '150');
  assertClean(ctx, 'flow (d) pager');
  await ctx.close();
});

test('server stops cleanly', stop);

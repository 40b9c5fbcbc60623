// tests/browser/grid.test.mjs — an officer enters a session's results in the grid
// with the keyboard, in a real Chromium (English): values typed, Enter saves the row
// through the API and goes down the column, the arrow keys move between rows, a
// wrong value gets the API's error beside its box (and nothing is stored), a row
// someone else changed is refused; after a reload the values are there.  axe runs on
// the grid, the catalogue, a certificate and /verify (signed out too).  The
// effectiveness dashboard, read before and after, changes with the results entered.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, newContext, assertClean, assertAxe, tabTo, retype } from './lib.mjs';

let srv;
let browser;
let session;
let enrols = [];

const stop = useBrowser(async (s, b) => {
  srv = s;
  browser = b;
  // a session of three participants with nothing entered yet
  const made = await srv.post('/api/v1/sessions', { course: 2, start_date: '2026-09-07', end_date: '2026-09-09', venue: 'Rabat', mode: 'on_site', status: 'running' });
  assert.equal(made.status, 201, made.text);
  session = made.json.id;
  for (const [i, name] of ['Alpha', 'Bravo', 'Charlie'].entries()) {
    const p = await srv.post('/api/v1/participants', { family_name: `${name}grid`, country: 'SN', agency: 'customs', sex: i % 2 ? 'male' : 'female' });
    assert.equal(p.status, 201, p.text);
    const e = await srv.post('/api/v1/enrolments', { participant: p.json.id, session });
    assert.equal(e.status, 201, e.text);
    enrols.push(e.json.id); // the grid lists them by family name: Alpha, Bravo, Charlie
  }
});

const focused = (page) => page.evaluate(() => document.activeElement && document.activeElement.id);
const enrolment = (id) => srv.getJSON(`/api/v1/enrolments/${id}`);

/** The dashboard's totals for the grid's session (Senegal, course 2), as the page
 * shows them: the cells of its first row. */
async function dashboardTotals(page) {
  const r = await page.goto(srv.url('/training?country=SN&course=2'));
  assert.equal(r.status(), 200);
  return page.locator('section:has(#totals) tbody tr').first().locator('td').allTextContents();
}

/** Waits until the row's status says something other than "Saving…". */
async function settled(page, id) {
  await page.waitForFunction((rid) => {
    const s = document.getElementById(`s-${rid}`);
    return s && s.textContent && !/Saving/.test(s.textContent);
  }, id);
  return page.locator(`#s-${id}`).textContent();
}

test('results typed with the keyboard, saved row by row, there after a reload', async (t) => {
  const ctx = await newContext(browser, srv);
  const page = await ctx.newPage();
  const [a, b, c] = enrols;
  const before = await dashboardTotals(page);
  await page.goto(srv.url(`/sessions/${session}/results`));
  await assertAxe(page, 'the results grid');

  await t.test('Tab across the first row, Enter saves it and goes down the column', async () => {
    await tabTo(page, `#in-${a}-days_attended`);
    await retype(page, '3');
    await page.keyboard.press('Tab');
    assert.equal(await focused(page), `in-${a}-pre_score`);
    await retype(page, '45');
    await page.keyboard.press('Tab');
    await retype(page, '80');
    await page.keyboard.press('Tab');
    await retype(page, '4');
    await page.keyboard.press('Tab');
    assert.equal(await focused(page), `in-${a}-completed`);
    await page.keyboard.press('Space');
    await page.keyboard.press('Enter');
    assert.equal(await focused(page), `in-${b}-completed`, 'Enter: the same column, next row');
    assert.match(await settled(page, a), /^Saved/);
    const e = await enrolment(a);
    assert.deepEqual([e.days_attended, e.pre_score, e.post_score, e.satisfaction, e.completed], [3, 45, 80, 4, true]);
    assert.match(e.certificate, /^PO-\d{4}-[0-9A-Z]{8}$/, 'completed: numbered');
    assert.equal(await page.locator(`#row-${a} td.cert a`).textContent(), e.certificate, 'the number shows in the row');
  });

  await t.test('arrow keys move between rows in the same column', async () => {
    await page.locator(`#in-${b}-pre_score`).focus();
    await page.keyboard.press('ArrowDown');
    assert.equal(await focused(page), `in-${c}-pre_score`);
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    assert.equal(await focused(page), `in-${a}-pre_score`);
    await page.keyboard.press('ArrowDown');
    assert.equal(await focused(page), `in-${b}-pre_score`);
  });

  await t.test('the second row down the columns; a wrong score gets the API\'s error and is not stored', async () => {
    await retype(page, '150');
    await page.keyboard.press('Enter'); // saves row b, to c
    assert.equal(await focused(page), `in-${c}-pre_score`);
    assert.match(await settled(page, b), /Not saved/);
    assert.equal(await page.locator(`#in-${b}-pre_score`).getAttribute('aria-invalid'), 'true');
    assert.match(await page.locator(`#e-${b}-pre_score`).textContent(), /100/, 'the range in the message');
    assert.equal((await enrolment(b)).pre_score, null, 'nothing stored');
    // corrected: saved
    await page.locator(`#in-${b}-pre_score`).focus();
    await retype(page, '50');
    await page.keyboard.press('Enter');
    assert.match(await settled(page, b), /^Saved/);
    assert.equal(await page.locator(`#in-${b}-pre_score`).getAttribute('aria-invalid'), null);
    assert.equal((await enrolment(b)).pre_score, 50);
  });

  await t.test('leaving a changed row saves it', async () => {
    await page.locator(`#in-${c}-days_attended`).focus();
    await retype(page, '2');
    await page.keyboard.press('ArrowUp'); // to row b: row c loses the focus
    assert.match(await settled(page, c), /^Saved/);
    assert.equal((await enrolment(c)).days_attended, 2);
  });

  await t.test('a row someone else changed meanwhile is refused, not overwritten', async () => {
    const cur = await enrolment(c);
    const other = await srv.patch(`/api/v1/enrolments/${c}`, { post_score: 66 }, { headers: { 'If-Match': `"${cur.version}"` } });
    assert.equal(other.status, 200);
    await page.locator(`#in-${c}-post_score`).focus();
    await retype(page, '90');
    await page.keyboard.press('Enter');
    assert.match(await settled(page, c), /someone else/);
    assert.equal((await enrolment(c)).post_score, 66, 'their value stands');
  });

  await t.test('after a reload the grid shows what was saved', async () => {
    await page.reload();
    assert.equal(await page.locator(`#in-${a}-pre_score`).inputValue(), '45');
    assert.equal(await page.locator(`#in-${a}-satisfaction`).inputValue(), '4');
    assert.equal(await page.locator(`#in-${a}-completed`).isChecked(), true);
    assert.equal(await page.locator(`#in-${b}-pre_score`).inputValue(), '50');
    assert.equal(await page.locator(`#in-${c}-days_attended`).inputValue(), '2');
    assert.equal(await page.locator(`#in-${c}-post_score`).inputValue(), '66');
    await assertAxe(page, 'the results grid after saves');
  });

  await t.test('the dashboard changed with the results entered', async () => {
    const after = await dashboardTotals(page);
    assert.notDeepEqual(after, before, `the totals moved: ${before.join(' | ')} -> ${after.join(' | ')}`);
    const api = await srv.getJSON('/api/v1/training/summary?country=SN&course=2');
    assert.ok(JSON.stringify(api).length > 2, 'the API has the figures too');
  });

  await t.test('axe: the catalogue, the certificate and /verify', async () => {
    const e = await enrolment(a);
    for (const p of ['/catalogue', `/enrolments/${a}/certificate`, `/verify/${e.certificate}`, '/verify/PO-2025-AAAAAAAA', `/sessions/${session}`]) {
      const r = await page.goto(srv.url(p));
      assert.equal(r.status(), 200, p);
      await assertAxe(page, p);
      if (p.startsWith('/verify/PO-2025')) assert.equal(await page.locator('.verdict.invalid').count(), 1);
    }
  });
  // Chromium logs the refused saves (one 422, one 412) as console errors: those and
  // nothing else (a row is not sent twice)
  const refused = ctx.problems.filter((p) => /status of (422|412) .*\/api\/v1\/enrolments\/\d+/.test(p));
  assert.equal(refused.length, 2, refused.join('\n'));
  ctx.problems = ctx.problems.filter((p) => !refused.includes(p));
  assertClean(ctx, 'the grid');
  await ctx.close();
});

test('/verify signed out, in French and Arabic: axe', async () => {
  const ctx = await newContext(browser, srv, { signIn: false, locale: 'fr-FR' });
  const page = await ctx.newPage();
  const e = await enrolment(enrols[0]);
  await page.goto(srv.url(`/verify/${e.certificate}`));
  assert.equal(await page.locator('.verdict.valid').count(), 1);
  await assertAxe(page, '/verify signed out (fr)');
  await page.goto(srv.url(`/lang?set=ar&back=${encodeURIComponent(`/verify/${e.certificate}`)}`));
  assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
  await assertAxe(page, '/verify signed out (ar)');
  assertClean(ctx, '/verify signed out');
  await ctx.close();
});

test('server stops cleanly', stop);

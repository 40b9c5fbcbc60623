// tests/browser/delete.test.mjs — deleting asks first, and staff can restore, in a
// browser without JavaScript: the record page's Delete opens the confirmation, whose
// button deletes; the deletion's audit entry restores the record.  The confirmation
// (with what goes with the record, and with what stops it), the audit entry's Restore
// and a refused restore in fr, en and ar, at 1366 px and on a 390 px phone: 200, no
// sideways scrolling, <html lang dir>, axe-core (in one language each), screenshots
// in build/screenshots/.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  useBrowser, newContext, navigate, assertAxe, assertClean, assertLangDir, screenshotPath, axeLang, LANGS,
} from './lib.mjs';

let srv;
let browser;
let outcome; // an outcome with two themes, that nothing refers to
let refused; // the audit entry of a deletion whose restore is refused (its organisation is gone)

const stop = useBrowser(async (s, b) => {
  srv = s;
  browser = b;
  const model = await srv.getJSON('/api/v1/outcomes/1');
  const themes = (await srv.getJSON('/api/v1/themes?limit=2')).items.map((t) => t.code);
  outcome = (await srv.post('/api/v1/outcomes', {
    meeting: model.meeting, kind: model.kind, themes, text: { fr: 'Résultat à supprimer', en: 'Outcome to delete', ar: 'نتيجة للحذف' },
  })).json;
  const org = (await srv.post('/api/v1/organisations', { name: { fr: 'Organisation disparue', en: 'Vanished organisation' } })).json;
  const person = (await srv.post('/api/v1/persons', { name: 'Personne orpheline', organisation: org.id })).json;
  assert.equal((await srv.del(`/api/v1/persons/${person.id}`)).status, 204);
  assert.equal((await srv.del(`/api/v1/organisations/${org.id}`)).status, 204);
  refused = (await srv.getJSON(`/api/v1/audit?entity=person&record=${person.id}&action=delete`)).items[0].id;
});

/** Does the page scroll sideways (wider than its viewport)? */
const overflow = (page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

test('without JavaScript: Delete asks first, deletes, and the audit entry restores the record', async () => {
  const ctx = await newContext(browser, srv, { javaScriptEnabled: false, locale: 'en-US' });
  const page = await ctx.newPage();
  await page.goto(srv.url('/lang?set=en&back=/'));
  await page.goto(srv.url(`/outcomes/${outcome.id}`));
  await navigate(page, () => page.locator(`a[href="/outcomes/${outcome.id}/delete"]`).click());
  assert.equal(new URL(page.url()).pathname, `/outcomes/${outcome.id}/delete`);
  assert.equal(await page.locator('h1').textContent(), 'Delete this record?');
  // Cancel goes back, deleting nothing
  await navigate(page, () => page.locator('form.confirm a', { hasText: 'Cancel' }).click());
  assert.equal(new URL(page.url()).pathname, `/outcomes/${outcome.id}`);
  await navigate(page, () => page.locator(`a[href="/outcomes/${outcome.id}/delete"]`).click());
  await navigate(page, () => page.locator('form.confirm button[type="submit"]').click());
  assert.equal(new URL(page.url()).pathname + new URL(page.url()).search, '/outcomes?deleted=1');
  assert.equal((await srv.get(`/api/v1/outcomes/${outcome.id}`)).status, 404, 'deleted');

  const entry = (await srv.getJSON(`/api/v1/audit?entity=outcome&record=${outcome.id}&action=delete`)).items[0];
  await page.goto(srv.url(`/audit/${entry.id}`));
  await navigate(page, () => page.locator(`form[action="/audit/${entry.id}/restore"] button`).click());
  assert.equal(new URL(page.url()).pathname, `/outcomes/${outcome.id}`);
  assert.equal(await page.locator('.notice').textContent(), 'Restored.');
  assert.equal((await srv.get(`/api/v1/outcomes/${outcome.id}`)).status, 200, 'restored');
  assertClean(ctx, 'delete and restore');
  await ctx.close();
});

const PAGES = () => [
  ['delete-goes', `/outcomes/${outcome.id}/delete`, 200],
  ['delete-blocked', '/meetings/1/delete', 200],
  ['restore', `/audit/${refused}`, 200],
];

for (const [width, height] of [[1366, 900], [390, 844]]) {
  for (const lang of LANGS) {
    describe(`${lang} at ${width} px`, () => {
      test('the confirmations and the audit entry\'s Restore', async () => {
        const ctx = await newContext(browser, srv, { viewport: { width, height } });
        const page = await ctx.newPage();
        await page.goto(srv.url(`/lang?set=${lang}&back=/`));
        for (const [name, p, status] of PAGES()) {
          const r = await page.goto(srv.url(p));
          assert.equal(r.status(), status, `${p} in ${lang}`);
          await assertLangDir(page, lang, p);
          assert.ok(await overflow(page) <= 0, `${p} in ${lang} at ${width} px scrolls sideways by ${await overflow(page)} px`);
          if (width === 390 && axeLang(PAGES().findIndex((x) => x[0] === name)) === lang) await assertAxe(page, `${p} in ${lang}`);
          await page.screenshot({ path: screenshotPath(`${name}-${lang}-${width}.png`), fullPage: true });
        }
        // the refused restore (its organisation is gone): 422, said in the page's language
        const r = await navigate(page, () => page.locator(`form[action="/audit/${refused}/restore"] button`).click());
        assert.equal(r.status(), 422);
        // (Chromium logs any 4xx page as a console error: this one is expected)
        ctx.problems = ctx.problems.filter((x) => !x.includes(`/audit/${refused}/restore: Failed to load resource`));
        await assertLangDir(page, lang, 'the refused restore');
        assert.ok(await overflow(page) <= 0, `the refused restore in ${lang} at ${width} px scrolls sideways`);
        if (width === 390 && lang === 'ar') await assertAxe(page, 'the refused restore');
        await page.screenshot({ path: screenshotPath(`restore-refused-${lang}-${width}.png`), fullPage: true });
        assertClean(ctx, `${lang} at ${width} px`);
        await ctx.close();
      });
    });
  }
}

test('server stops cleanly', () => stop());

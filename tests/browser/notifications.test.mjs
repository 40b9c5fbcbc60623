// tests/browser/notifications.test.mjs — the notifications' pages (issue 17) in a real
// Chromium: the administrators' page (the outbox, what was not delivered, the settings,
// the webhooks) with a webhook added through its form and its secret shown once; and
// the page a message's stop link opens, for anyone, from a real message sent by `suivi
// notify run` to a relay on loopback.  fr/en/ar at 1366 and 390 px: no sideways
// scrolling, Arabic right to left, axe without serious findings; screenshots to
// build/screenshots/notifications-*.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { spawn } from 'node:child_process';
import {
  useBrowser, newContext, assertClean, assertAxe, assertLangDir, assertHtmlValid, navigate, screenshotPath, LANGS,
} from './lib.mjs';
import { startSmtp } from '../http/smtp-catcher.mjs';
import { tempDir, sanitizerEnv, assertNoSanitizer, BIN, Session } from '../http/harness.mjs';

const WIDTHS = [1366, 390];
const work = tempDir();
const keyFile = path.join(work, 'suivi.key');
let srv;
let browser;
const stop = useBrowser((s, b) => { srv = s; browser = b; }, { env: { SUIVI_KEY_FILE: keyFile } });

async function assertFits(page, what) {
  const { scroll, inner } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth, inner: window.innerWidth,
  }));
  assert.ok(scroll <= inner, `${what}: ${scroll} px wide in a ${inner} px window`);
}

async function check(page, ctx, name, lang, width, axe) {
  const what = `${name} in ${lang} at ${width} px`;
  await assertLangDir(page, lang, what);
  await assertFits(page, what);
  if (axe) await assertAxe(page, what);
  assertClean(ctx, what);
  await page.screenshot({ path: screenshotPath(`notifications-${name}-${lang}-${width}.png`), fullPage: width === 390 });
}

test('the administrators\' page, and a webhook added through its form, in fr/en/ar at 1366 and 390 px', async () => {
  // something in the outbox: a registration's confirmation waits
  const person = await srv.post('/api/v1/persons', { name: 'Registrant Example', email: 'registrant@example.net', language: 'ar' });
  assert.equal(person.status, 201);
  assert.equal((await srv.post('/api/v1/registrations', { meeting: 2, person: person.json.id, role: 'delegate', country: 'SN' })).status, 201);
  const ctx = await newContext(browser, srv);
  const page = await ctx.newPage();
  let n = 0;
  for (const lang of LANGS) {
    await page.goto(srv.url(`/lang?set=${lang}&back=/`));
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      const axe = (lang === 'ar' && width === 390) || (lang === 'fr' && width === 1366);
      await page.goto(srv.url('/notifications'));
      await check(page, ctx, 'page', lang, width, axe);
      await page.locator('#in-url').fill(`https://receiver.example.org/hooks/${++n}`);
      await page.locator('#in-events').fill('actions.updated needs.created action.late');
      const resp = await navigate(page, () => page.locator('form[action="/notifications/webhooks"] button[type="submit"]').click());
      assert.equal(resp.status(), 201);
      assert.match((await page.locator('code.one-time').textContent()).trim(), /^[A-Za-z0-9_-]{43}$/);
      await check(page, ctx, 'webhook-added', lang, width, axe);
    }
  }
});

/** `suivi notify run` without blocking this process (the relay runs in it). */
function notifyRun(relay) {
  return new Promise((resolve, reject) => {
    const p = spawn(BIN, ['notify', 'run', '--smtp', relay.url, '--mail-from', 'suivi@office.example',
      '--public-url', srv.base, '--db', srv.db], { env: sanitizerEnv({ SUIVI_KEY_FILE: keyFile }), cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    p.stderr.on('data', (d) => { stderr += d; });
    p.on('error', reject);
    p.on('exit', (status) => {
      assertNoSanitizer(stderr, 'suivi notify run');
      assert.equal(status, 0, stderr);
      resolve();
    });
  });
}

test('the page of a message\'s stop link, for anyone, in fr/en/ar at 1366 and 390 px', async () => {
  const relay = await startSmtp();
  try {
    await notifyRun(relay);
    const m = await relay.waitFor((x) => x.envelope.to.includes('registrant@example.net'));
    const link = /<([^>]+)>/.exec(m.headers['list-unsubscribe'])[1];
    assert.ok(link.startsWith(srv.base));
    const ctx = await newContext(browser, srv, { signIn: false }); // anyone: no account
    const page = await ctx.newPage();
    for (const lang of LANGS) {
      await page.goto(srv.url(`/lang?set=${lang}&back=/`));
      for (const width of WIDTHS) {
        await page.setViewportSize({ width, height: 900 });
        const axe = (lang === 'ar' && width === 390) || (lang === 'fr' && width === 1366);
        await page.goto(link);
        await check(page, ctx, 'stop', lang, width, axe);
      }
    }
    // the button stops them, and the next page offers them back
    const resp = await navigate(page, () => page.locator('main form').first().locator('button[type="submit"]').click());
    assert.equal(resp.status(), 200);
    assert.equal(await page.locator('main form input[name="resume"]').count(), 1);
    // the choice of kinds: two ticked, saved, shown ticked
    await page.locator('input[name="want"][value="events"]').check();
    await page.locator('input[name="want"][value="certificates"]').check();
    const saved = await navigate(page, () => page.locator('main form:has(input[name="want"]) button[type="submit"]').click());
    assert.equal(saved.status(), 200);
    assert.equal(await page.locator('main [role="status"]').count(), 1);
    assert.deepEqual(await page.locator('input[name="want"]:checked').evaluateAll((xs) => xs.map((x) => x.value)), ['events', 'certificates']);
    await check(page, ctx, 'stop-chosen', 'ar', 390, true);

    // a reminder's progress link, as its owner's contact person opens it on a phone
    const reminder = relay.messages.find((x) => /\/progress\//.test(x.text || ''));
    assert.ok(reminder, 'a reminder with its progress link');
    const progress = new RegExp(`${srv.base.replace(/[.]/g, '\\.')}(/progress/[A-Za-z0-9_-]+)`).exec(reminder.text)[1];
    for (const lang of LANGS) {
      await page.goto(srv.url(`/lang?set=${lang}&back=/`));
      for (const width of WIDTHS) {
        await page.setViewportSize({ width, height: 900 });
        const axe = (lang === 'ar' && width === 390) || (lang === 'fr' && width === 1366);
        await page.goto(srv.url(progress));
        await check(page, ctx, 'progress', lang, width, axe);
      }
    }
    await page.locator('#in-percent').fill('80');
    await page.locator('#in-note').fill('Deux équipes sur trois sont formées.');
    const sent = await navigate(page, () => page.locator('form.record-form button[type="submit"]').click());
    assert.equal(sent.status(), 200);
    await check(page, ctx, 'progress-sent', 'ar', 390, true);
    await ctx.close();
    // the server's bytes of the three pages, in each language, for the Nu HTML checker
    const admin = await srv.login();
    const html = [];
    for (const lang of LANGS) {
      const anyone = new Session(srv, { cookies: { lang } });
      html.push([`stop ${lang}`, (await anyone.get(link.replace(srv.base, ''))).text]);
      html.push([`progress ${lang}`, (await anyone.get(progress)).text]);
      admin.jar.set('lang', lang);
      html.push([`notifications ${lang}`, (await admin.get('/notifications')).text]);
    }
    await assertHtmlValid(html);
  } finally {
    await relay.stop();
  }
});

test('server stops cleanly', stop);

// tests/browser/lib.mjs — what the browser tests share: the real `suivi serve`
// (tests/http/harness.mjs), Debian's Chromium driven by playwright-core, axe-core,
// and the checks made on every page.
//
//   let srv, browser;
//   const stop = useBrowser((s, b) => { srv = s; browser = b; }); // demo database, loopback port
//   test('…', async () => {
//     const ctx = await newContext(browser, srv);  // records console errors and requests,
//                                                  // signed in as admin through /login
//     const page = await ctx.newPage();
//     …
//   });
//   test('server stops cleanly', stop);
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { startServer, ROOT } from '../http/harness.mjs';
import { CHROMIUM, LAUNCH_OPTIONS } from './chromium.mjs';

export { startServer, ROOT, CHROMIUM };

export const LANGS = ['fr', 'en', 'ar'];
export const PAGE_LIMIT = 60 * 1024; // issue 14 (DESIGN.md §6 said 100 kB): no page over 60 kB before compression
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
export const SCREENSHOTS = path.join(ROOT, 'build', 'screenshots');

/** The browser of a test file: a connection to the run's shared Chromium when tests/run
 * started one (SUIVI_BROWSER_WS, shared-chromium.mjs), else a Chromium of its own.
 * Either way, close() ends it for this file (for a connection, with its contexts). */
export async function launchBrowser() {
  const shared = process.env.SUIVI_BROWSER_WS;
  if (shared) return chromium.connect(shared, { timeout: 60000 });
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: run tools/deps (Debian package chromium)`);
  return chromium.launch(LAUNCH_OPTIONS);
}

/** A new browser context (its own cookies) whose pages are watched: console errors,
 * uncaught exceptions and requests to any other origin than the server's are kept in
 * ctx.problems (and requests elsewhere are aborted, so a test never waits on them).
 * It is signed in (as `signIn.name` / `signIn.password`, default the admin) unless
 * `signIn: false`: through the login page the first time for that account on that
 * server, with the session cookie of that first sign-in afterwards (each sign-in
 * costs an Argon2id hash, up to half a second under the sanitizers). */
export async function newContext(browser, srv, { signIn: who = {}, ...opts } = {}) {
  const ctx = await browser.newContext({
    locale: 'en-US', timezoneId: 'UTC', viewport: { width: 1280, height: 900 }, ...opts,
  });
  ctx.setDefaultTimeout(15000);
  ctx.setDefaultNavigationTimeout(30000);
  const origin = new URL(srv.base).origin;
  ctx.problems = [];
  ctx.foreign = [];
  ctx.on('request', (req) => {
    const u = req.url();
    if (u.startsWith('data:') || u.startsWith('about:')) return;
    if (new URL(u).origin !== origin) ctx.foreign.push(u);
  });
  await ctx.route((url) => url.protocol !== 'data:' && url.origin !== origin, (route) => route.abort());
  ctx.on('page', (page) => watchPage(ctx, page));
  if (who !== false) {
    if (!sessions.has(srv)) sessions.set(srv, new Map());
    const known = sessions.get(srv);
    const name = who.name || 'admin';
    if (known.has(name)) {
      await ctx.addCookies([known.get(name)]);
    } else {
      const page = await ctx.newPage();
      await signIn(page, srv, who);
      await page.close();
      assertClean(ctx, 'signing in');
      known.set(name, (await ctx.cookies(srv.base)).find((c) => c.name === 'sid'));
    }
  }
  return ctx;
}

const sessions = new WeakMap(); // server → account name → the sid cookie of its first sign-in

/** Signs in as a person does: the login page, name and password typed, the button
 * pressed; asserts the 303 back to `next` (default /) and the session cookie. */
export async function signIn(page, srv, { name = 'admin', password = srv.adminPassword, next = '/' } = {}) {
  const resp = await page.goto(srv.url(`/login?next=${encodeURIComponent(next)}`));
  assert.equal(resp.status(), 200, 'the login page');
  await page.locator('#in-name').fill(name);
  await page.locator('#in-password').fill(password);
  const r = await navigate(page, () => page.locator('form[action="/login"] button[type="submit"]').click());
  assert.equal(r.status(), 200, `signed in as ${name}: the page after the login`);
  assert.equal(new URL(page.url()).pathname + new URL(page.url()).search, next, `signed in as ${name}: back to ${next}`);
  const cookies = await page.context().cookies(srv.base);
  const sid = cookies.find((c) => c.name === 'sid');
  assert.ok(sid && sid.httpOnly && sid.sameSite === 'Lax', `a sid cookie, HttpOnly, SameSite=Lax: ${JSON.stringify(cookies)}`);
  assert.equal(await page.locator('header .user a[href="/account"]').count(), 1, 'the user menu names the account');
}

function watchPage(ctx, page) {
  page.on('console', (msg) => {
    if (msg.type() === 'error') {
      const loc = msg.location();
      ctx.problems.push(`console error on ${page.url()}: ${msg.text()}${loc && loc.url ? ` (${loc.url}:${loc.lineNumber})` : ''}`);
    }
  });
  page.on('pageerror', (err) => ctx.problems.push(`uncaught exception on ${page.url()}: ${err.message}`));
}

/** Asserts no console error / exception / foreign request happened since the last call. */
export function assertClean(ctx, what) {
  const problems = ctx.problems.splice(0);
  const foreign = ctx.foreign.splice(0);
  assert.deepEqual(problems, [], `${what}: console errors:\n${problems.join('\n')}`);
  assert.deepEqual(foreign, [], `${what}: requests to another host than the server:\n${foreign.join('\n')}`);
}

/** The language of the page and its direction, from <html>. */
export async function htmlLangDir(page) {
  return page.evaluate(() => ({
    lang: document.documentElement.getAttribute('lang'),
    dir: document.documentElement.getAttribute('dir'),
  }));
}

export async function assertLangDir(page, lang, what = page.url()) {
  const got = await htmlLangDir(page);
  assert.deepEqual(got, { lang, dir: lang === 'ar' ? 'rtl' : 'ltr' }, `${what}: <html lang dir>`);
}

/** Runs axe-core (WCAG 2.0/2.1 A and AA rules); fails on serious or critical findings
 * and answers the lesser ones (for t.diagnostic).  In AxeBuilder's legacy mode: axe
 * runs in the page itself, where the default opens a blank page in the context for
 * each check to merge the results of frames from other origins (suivi's pages have no
 * frames), which doubled the time of a check. */
export async function assertAxe(page, what = page.url()) {
  const result = await new AxeBuilder({ page }).withTags(AXE_TAGS).setLegacyMode(true).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.ok(bad.length === 0, `${what}: axe-core found ${bad.length} serious/critical violation(s):\n${formatViolations(bad)}`);
  return result.violations.filter((v) => !bad.includes(v));
}

export function formatViolations(violations) {
  const lines = [];
  for (const v of violations) {
    lines.push(`- ${v.id} [${v.impact}] ${v.help} — ${v.helpUrl}`);
    for (const n of v.nodes.slice(0, 8)) {
      lines.push(`    target: ${JSON.stringify(n.target)}`);
      lines.push(`      html: ${n.html.slice(0, 200)}`);
      if (n.failureSummary) lines.push(`      ${n.failureSummary.replace(/\n/g, '\n      ').slice(0, 600)}`);
    }
    if (v.nodes.length > 8) lines.push(`    … and ${v.nodes.length - 8} more element(s)`);
  }
  return lines.join('\n');
}

/** Follows a navigation started by `action` (a click, a key press); answers its response. */
export async function navigate(page, action) {
  const [resp] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), action()]);
  return resp;
}

/** Presses Tab until the element matching `selector` has the focus (at most `max`
 * presses); fails when the keyboard cannot reach it. */
export async function tabTo(page, selector, { max = 80, shift = false } = {}) {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((s) => document.activeElement && document.activeElement.matches(s), selector)) return i;
    await page.keyboard.press(shift ? 'Shift+Tab' : 'Tab');
  }
  const at = await page.evaluate(() => document.activeElement && document.activeElement.outerHTML.slice(0, 200));
  assert.fail(`${selector} not reached with ${max} presses of ${shift ? 'Shift+Tab' : 'Tab'} (focus on ${at})`);
}

/** Types a date YYYY-MM-DD into the focused field as a person would: as the text it is
 * in a text field, or into the month/day/year parts of Chromium's date field (en-US
 * order), which accept any day 1–31 whatever the month. */
export async function typeDate(page, iso) {
  const type = await page.evaluate(() => document.activeElement.type);
  if (type === 'date') {
    const [y, m, d] = iso.split('-');
    await page.keyboard.type(m + d + y);
  } else {
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type(iso);
  }
}

/** Replaces the text of the focused text field. */
export async function retype(page, text) {
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type(text);
}

export function screenshotPath(name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return path.join(SCREENSHOTS, name);
}

/** The checks of a page as one reader sees it (`what` names it): its language and
 * direction, no sideways scrolling, axe on Arabic at 390 px and French at 1366 px (the
 * two extremes), nothing logged; then its screenshot `shot` (the whole page at 390 px). */
export async function assertReadable(page, ctx, what, { lang, width, shot }) {
  await assertLangDir(page, lang, what);
  const { scroll, inner } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth, inner: window.innerWidth,
  }));
  assert.ok(scroll <= inner, `${what}: ${scroll} px wide in a ${inner} px window`);
  if ((lang === 'ar' && width === 390) || (lang === 'fr' && width === 1366)) await assertAxe(page, what);
  assertClean(ctx, what);
  await page.screenshot({ path: screenshotPath(shot), fullPage: width === 390 });
}

/** The hooks of a browser test file: before its tests, a server on a demo database
 * (startServer's `options`) and a browser, handed to `ready(srv, browser)`, which
 * may set up more (awaited: the root hooks of a file do not wait for each other, so
 * a file has this one); after them, both stopped whatever happened.  Answers stop(),
 * for the file's last test: it closes the browser and stops the server, asserting a
 * clean exit (no sanitizer report, no 5xx answer). */
export function useBrowser(ready, options = {}) {
  let srv = null;
  let browser = null;
  before(async () => {
    srv = await startServer(options);
    browser = await launchBrowser();
    await ready(srv, browser);
  });
  after(async () => {
    if (browser) await browser.close();
    if (srv) await srv.cleanup();
  });
  return async () => {
    await browser.close();
    browser = null;
    await srv.stop();
  };
}

/** The language whose turn it is to run axe on the i-th page of a list: the languages
 * in rotation (fr, en, ar, fr, …), so that each gets a share of the pages. */
export const axeLang = (i) => LANGS[i % LANGS.length];

/** The tests of one family of pages (the pages-*.test.mjs files): a server on a demo
 * database, one browser and one context signed in as the admin; then, for each
 * language in turn (chosen with /lang?set=), every path of `paths` loaded and
 * checked: 200, HTML under PAGE_LIMIT, <html lang dir>, no console error, no request
 * to another host.  axe-core, the costly check (a second or more a page), runs on
 * each path in one language only, axeLang(its index): a template checked in one
 * language is the same markup in the others but for the words, which the cheap
 * checks see in all three: there the page is read as the server sends it, not drawn
 * (unless a screenshot of it is asked for).  A test whose name ends in "(axe)" ran it.  `screenshots`:
 * paths of which a full-page screenshot per language goes to build/screenshots/
 * (named `${name}-${lang}.png`, from {path: name}). */
export function checkPages(paths, { screenshots = {} } = {}) {
  let srv;
  let browser;
  let ctx;
  let page;
  const stop = useBrowser(async (s, b) => {
    srv = s;
    browser = b;
    ctx = await newContext(browser, srv);
    page = await ctx.newPage();
  });

  for (const lang of LANGS) {
    describe(`pages in ${lang}`, () => {
      before(async () => {
        const r = await page.goto(srv.url(`/lang?set=${lang}&back=/`));
        assert.equal(r.status(), 200, `the language switch to ${lang}`);
        assertClean(ctx, `switching to ${lang}`);
      });

      paths.forEach((p, i) => {
        const axe = axeLang(i) === lang;
        const drawn = axe || screenshots[p];
        test(axe ? `${p} (axe)` : p, async (t) => {
          const what = `${p} in ${lang}`;
          // drawn by Chromium where axe or a screenshot needs it; else read as it is sent
          // (with the context's cookies: its language), which is all the cheap checks need
          const resp = drawn ? await page.goto(srv.url(p), { waitUntil: 'load' }) : await ctx.request.get(srv.url(p));
          assert.ok(resp, `a response for ${p}`);
          assert.equal(resp.status(), 200, `GET ${what}`);
          assert.match(resp.headers()['content-type'] || '', /^text\/html/);
          const html = await resp.body();
          assert.ok(html.length < PAGE_LIMIT, `${what}: ${html.length} bytes of HTML (limit ${PAGE_LIMIT})`);
          if (drawn) {
            await assertLangDir(page, lang, what);
          } else {
            const m = /<html lang="([a-z]+)" dir="(ltr|rtl)"/.exec(html.toString('utf8'));
            assert.deepEqual(m && { lang: m[1], dir: m[2] }, { lang, dir: lang === 'ar' ? 'rtl' : 'ltr' }, `${what}: <html lang dir>`);
          }
          if (axe) {
            const minor = await assertAxe(page, what);
            if (minor.length) t.diagnostic(`axe (minor/moderate) on ${what}:\n${formatViolations(minor)}`);
          }
          assertClean(ctx, what);
          if (screenshots[p]) await page.screenshot({ path: screenshotPath(`${screenshots[p]}-${lang}.png`), fullPage: true });
        });
      });
    });
  }

  test('server stops cleanly', stop);
}

// ---- the Nu HTML checker (vnu.jar, npm vnu-jar, run by Debian's Java) ----

// vnu's schema checks recurse deeply (it asks for a thread stack of 512 KiB or more);
// the JIT's first tier alone, and the serial collector, halve the CPU time of a run
// this short (measured: 6 s instead of 11.5 s of CPU for 483 pages).
const JAVA_FLAGS = ['-Xss4m', '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'];

/** Runs vnu once on the HTML files named; answers its messages (errors only). */
export function vnuMessages(files) {
  const jar = String(createRequire(import.meta.url)('vnu-jar')); // the jar's path
  return new Promise((resolve, reject) => {
    const java = spawn('java', [...JAVA_FLAGS, '-jar', jar, '--errors-only', '--format', 'json', ...files], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    java.stdout.setEncoding('utf8');
    java.stderr.setEncoding('utf8');
    java.stdout.on('data', (d) => { out += d; });
    java.stderr.on('data', (d) => { out += d; }); // the JSON report goes to stderr
    java.on('error', reject);
    java.on('close', (code) => {
      try {
        resolve(JSON.parse(out).messages);
      } catch {
        reject(new Error(`vnu exited ${code} without a JSON report:\n${out.slice(0, 4000)}`));
      }
    });
  });
}

/** vnu finds no error in any of `pages`, [label, html] pairs (the server's bytes). */
export async function assertHtmlValid(pages) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'suivi-vnu-'));
  try {
    const label = new Map();
    const files = pages.map(([what, html], i) => {
      const f = path.join(dir, `page-${i}.html`);
      writeFileSync(f, html);
      label.set(`page-${i}.html`, what);
      return f;
    });
    const errors = (await vnuMessages(files)).filter((m) => m.type !== 'info');
    const lines = errors.map((m) => `${label.get(path.basename(new URL(m.url || 'file:///?').pathname)) || m.url}:${m.lastLine ?? '?'}: ${m.message}`);
    assert.equal(errors.length, 0, `vnu found ${errors.length} error(s):\n${lines.join('\n')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}


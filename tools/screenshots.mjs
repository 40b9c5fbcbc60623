#!/usr/bin/env node
// tools/screenshots.mjs — the README's screenshots, made from the demo (`make screenshots`).
//
// A fresh demo database in a temp folder (`suivi demo`), an officer, a focal point
// (Senegal) and a donor account added with `suivi user add`, `suivi serve` on a free
// loopback port (tests/http/harness.mjs), Debian's Chromium driven by playwright-core
// (tests/browser/lib.mjs, as the browser tests launch it); then a viewport screenshot
// of each main page in fr, en and ar at 1366×860, and a few at 390×844 (a phone), into
// docs/screenshots/NAME-LANG.jpg.  The previous set is removed first, so that the folder
// holds exactly this set; the server and the temp folder go at the end, failed or not.
//
// The pages are found by what they are (the dialogue edition, the forum, the donor
// organisation named in the demo), never by the demo's figures, which change.
//
//   node tools/screenshots.mjs        (SUIVI_BIN: the binary, default build/suivi)
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.resolve(ROOT, process.env.SUIVI_BIN || 'build/suivi');
const OUT = path.join(ROOT, 'docs', 'screenshots');
const CHROMIUM = process.env.SUIVI_CHROMIUM || '/usr/bin/chromium';
const LANGS = ['fr', 'en', 'ar'];
const DESKTOP = { width: 1366, height: 860 };
const PHONE = { width: 390, height: 844 };
const QUALITY = 55; // JPEG: the whole set stays around 3 MB in the repository

// The accounts the pages are seen as, besides the public (not signed in) and the
// demo's admin.  The passwords only live as long as the temp database.
const PASSWORD = 'screenshots-password-of-the-demo';
const ACCOUNTS = {
  officer: ['--role', 'officer'],
  'focal.sn': ['--role', 'focal', '--country', 'SN'],
  // donor: '--organisation ID' added once the donor organisation is found
};

/** A failure told in one line, without a stack (thrown, so that main's finally
 * still stops the server and removes the temp folder). */
class Failure extends Error {}
function fail(msg) {
  throw new Failure(msg);
}

function exitWith(e) {
  console.error(`screenshots: ${e instanceof Failure ? e.message : e.stack || e}`);
  process.exit(1);
}

// What the browser needs, checked before anything starts: a clear message, not a stack.
try {
  if (!existsSync(path.join(ROOT, 'tests', 'browser', 'node_modules', 'playwright-core'))) {
    fail('tests/browser/node_modules (playwright-core) is missing: run make test once');
  }
  if (!existsSync(CHROMIUM)) fail(`${CHROMIUM} is missing: run make test once (it installs Debian's chromium)`);
  if (!existsSync(BIN)) fail(`${BIN} is missing: run make build/suivi (make screenshots does)`);
} catch (e) {
  exitWith(e);
}

// The harness reads SUIVI_BIN when it is first imported.
process.env.SUIVI_BIN = BIN;
const { startServer, launchBrowser, newContext } = await import('../tests/browser/lib.mjs');

/** Runs the suivi command line on the temp database; fails with its stderr. */
function suivi(args, env = {}) {
  const r = spawnSync(BIN, args, { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60000 });
  if (r.status !== 0) fail(`suivi ${args.join(' ')} failed:\n${r.stderr}`);
  return r.stdout;
}

/** Opens the main menu's second group (Follow-up), as a person taps it. */
async function openMenu(page) {
  await page.locator('nav.main details > summary').nth(1).click();
}

/** The pages: [name, account (null: the public), path, a step before the shot].  `ids`: the records
 * found on the running server. */
const desktopPages = (ids) => [
  ['home-public', null, '/'],
  ['home-officer', 'officer', '/'],
  ['board', 'officer', '/board'],
  ['followup-report', 'officer', `/meetings/${ids.dialogue}/report`],
  ['needs-matrix', 'officer', '/needs/matrix'],
  ['needs-map', 'officer', '/needs/map'],
  // from the top, where the dashboard says its figures are sample data (not scrolled to them)
  ['training', 'officer', '/training'],
  ['programmes', 'officer', '/programmes/overview'],
  ['forum-report', 'officer', `/forum/${ids.forum}/report`],
  ['home-focal', 'focal.sn', '/'],
  ['forum-evaluate', 'focal.sn', `/forum/${ids.forum}/evaluate`],
  ['home-donor', 'donor', '/'],
  ['accounts', 'admin', '/accounts'],
];
// On a phone: the home with its menu open, and a list.
const phonePages = () => [
  ['phone-menu', 'officer', '/', openMenu],
  ['phone-actions', 'officer', '/actions'],
];

/** The records the pages show, found on the server by what they are. */
async function findRecords(srv) {
  const meetings = await srv.all('meetings');
  const kind = (k) => meetings.filter((m) => m.kind === k).sort((a, b) => b.start_date.localeCompare(a.start_date))[0];
  const dialogue = kind('strategic_dialogue');
  const forum = kind('forum');
  const organisations = await srv.all('organisations');
  const named = (re) => organisations.find((o) => re.test((o.name && o.name.en) || ''));
  const donor = named(/^Donor A\b/) || named(/donor/i);
  if (!dialogue || !forum || !donor) fail('the demo has no dialogue edition, forum or donor organisation');
  return { dialogue: dialogue.id, forum: forum.id, donor: donor.id };
}

async function shoot(page, srv, lang, [name, account, p, before], size) {
  const now = page.viewportSize();
  if (now.width !== size.width || now.height !== size.height) await page.setViewportSize(size);
  const r = await page.goto(srv.url(p));
  const url = new URL(page.url());
  if (r.status() !== 200 || url.pathname === '/login') {
    fail(`${name} (${p}) as ${account || 'the public'} in ${lang}: ${r.status()} at ${url.pathname}`);
  }
  if (account && await page.locator('header .user a[href="/account"]').count() !== 1) {
    fail(`${name} (${p}): not signed in as ${account}`);
  }
  if (before) await before(page);
  const file = path.join(OUT, `${name}-${lang}.jpg`);
  await page.screenshot({ path: file, type: 'jpeg', quality: QUALITY, animations: 'disabled', caret: 'hide' });
  return file;
}

async function main() {
  const started = Date.now();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'suivi-screenshots-'));
  let srv = null;
  let browser = null;
  try {
    const db = path.join(dir, 'demo.db');
    suivi(['demo', '--db', db], { SUIVI_ADMIN_PASSWORD: PASSWORD });
    srv = await startServer({ db, setup: false, token: true }); // the token: to find records
    const ids = await findRecords(srv);
    const accounts = { ...ACCOUNTS, donor: ['--role', 'donor', '--organisation', String(ids.donor)] };
    for (const [name, args] of Object.entries(accounts)) {
      suivi(['user', 'add', name, ...args, '--db', db], { SUIVI_PASSWORD: PASSWORD });
    }
    browser = await launchBrowser();
    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(OUT, { recursive: true });

    // account → its browser context, signed in once, and the one page it shows
    const contexts = new Map();
    const contextOf = async (account) => {
      if (!contexts.has(account)) {
        const signIn = account ? { name: account, password: PASSWORD } : false;
        const ctx = await newContext(browser, srv, { signIn, viewport: DESKTOP });
        contexts.set(account, { ctx, page: await ctx.newPage() });
      }
      return contexts.get(account);
    };
    const shots = [...desktopPages(ids).map((pg) => [pg, DESKTOP]), ...phonePages().map((pg) => [pg, PHONE])];
    for (const lang of LANGS) {
      for (const [pg, size] of shots) {
        const { ctx, page } = await contextOf(pg[1]);
        await ctx.addCookies([{ name: 'lang', value: lang, url: srv.base }]);
        await shoot(page, srv, lang, pg, size);
      }
    }
    for (const { ctx } of contexts.values()) {
      const problems = [...ctx.problems, ...ctx.foreign];
      if (problems.length) fail(`errors in the pages:\n${problems.join('\n')}`);
    }
    await browser.close();
    browser = null;
    await srv.stop(); // fails on an internal error answered or an unclean exit
    srv = null;
    const files = readdirSync(OUT).filter((f) => f.endsWith('.jpg'));
    const bytes = files.reduce((n, f) => n + statSync(path.join(OUT, f)).size, 0);
    console.log(`screenshots: ${files.length} images, ${(bytes / 1048576).toFixed(1)} MiB in docs/screenshots/ ` +
      `(${((Date.now() - started) / 1000).toFixed(0)} s)`);
  } finally {
    if (browser) await browser.close().catch(() => {});
    if (srv) await srv.cleanup().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
}

await main().catch(exitWith);

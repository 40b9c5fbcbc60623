// Single sign-on through a browser (issue 16): Debian's Chromium signs in to suivi
// with a real OpenID Connect provider — the npm package oidc-provider, the library
// many providers are built on — started here on a loopback port: suivi's button, the
// provider's own sign-in and consent pages, back to suivi signed in.  Both backends
// (this file is an HTTP test); the npm packages are the browser tests' (tests/browser/
// setup, which tests/run runs first).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, Session, dbSql, tempDir, ROOT } from './harness.mjs';

const MODULES = path.join(ROOT, 'tests', 'browser', 'node_modules');
const CLIENT = 'suivi';
const SECRET = 'a-secret-of-the-test-client-0123456789';

let provider, providerServer, srv, browser;

before(async () => {
  assert.ok(existsSync(path.join(MODULES, 'oidc-provider')), 'run tests/browser/setup (npm packages)');
  const { default: Provider } = await import(path.join(MODULES, 'oidc-provider', 'lib', 'index.js'));
  const { chromium } = await import(path.join(MODULES, 'playwright-core', 'index.mjs'));
  const { LAUNCH_OPTIONS } = await import(path.join(ROOT, 'tests', 'browser', 'chromium.mjs'));

  providerServer = http.createServer();
  await new Promise((r) => providerServer.listen(0, '127.0.0.1', r));
  const issuer = `http://127.0.0.1:${providerServer.address().port}`;
  const dir = tempDir();
  const secretFile = path.join(dir, 'secret');
  writeFileSync(secretFile, SECRET, { mode: 0o600 });
  srv = await startServer({
    args: ['--oidc-issuer', issuer, '--oidc-client-id', CLIENT, '--oidc-client-secret-file', secretFile,
      '--oidc-name', 'Ministry ID'],
  });
  provider = new Provider(issuer, {
    clients: [{
      client_id: CLIENT, client_secret: SECRET, redirect_uris: [`${srv.base}/login/oidc/callback`],
      grant_types: ['authorization_code'], response_types: ['code'],
    }],
    // the person is whoever types a login on the provider's page: LOGIN@ministry.example
    findAccount: async (ctx, id) => ({
      accountId: id,
      claims: async () => ({ sub: id, email: `${id}@ministry.example`, email_verified: true, name: `Agent ${id}` }),
    }),
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    conformIdTokenClaims: false, // the address in the ID token itself, not only at /userinfo
    pkce: { required: () => true },
    cookies: { keys: ['a-cookie-key-of-the-tests-only'] },
  });
  providerServer.on('request', provider.callback());
  browser = await chromium.launch(LAUNCH_OPTIONS);
});

after(async () => {
  await browser?.close();
  await srv?.cleanup();
  await new Promise((r) => (providerServer ? providerServer.close(r) : r()));
});

/** Through the provider's own pages: its sign-in form (any login, any password on
 * its development pages), then its consent page. */
async function throughProvider(page, login) {
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('anything');
  await page.locator('button[type="submit"]').click();
  await page.waitForLoadState();
  const consent = page.locator('button[type="submit"]');
  if (new URL(page.url()).port !== String(srv.port) && await consent.count()) await consent.click();
}

test('Chromium signs in through the provider and lands where it was going', async () => {
  srv.addUser('amina', 'officer', { email: 'amina@ministry.example' });
  const ctx = await browser.newContext({ locale: 'en-US' });
  const page = await ctx.newPage();
  await page.goto(`${srv.base}/login?next=%2Fneeds`);
  await page.getByRole('link', { name: 'Sign in with Ministry ID' }).click();
  await page.waitForURL((u) => u.port !== String(srv.port));
  await throughProvider(page, 'amina');
  await page.waitForURL(`${srv.base}/needs`);
  assert.match(await page.locator('header .user').innerText(), /amina/);
  const cookies = await ctx.cookies(srv.base);
  assert.ok(cookies.some((c) => c.name === 'sid' && c.httpOnly), 'signed in');
  assert.ok(!cookies.some((c) => c.name === 'suivi_oidc'), 'the state cookie is spent');
  await ctx.close();
});

test('someone the office does not know gets a clear page and no account', async () => {
  const before = dbSql(srv.db, 'SELECT COUNT(*) FROM account');
  const ctx = await browser.newContext({ locale: 'en-US' });
  const page = await ctx.newPage();
  await page.goto(`${srv.base}/login`);
  await page.getByRole('link', { name: 'Sign in with Ministry ID' }).click();
  await page.waitForURL((u) => u.port !== String(srv.port));
  await throughProvider(page, 'stranger');
  await page.waitForURL((u) => u.pathname === '/login/oidc/callback');
  assert.match(await page.locator('h1').innerText(), /No account/);
  assert.match(await page.locator('main').innerText(), /stranger@ministry\.example/);
  assert.equal(dbSql(srv.db, 'SELECT COUNT(*) FROM account'), before);
  // and the way back to the password form
  await page.getByRole('link', { name: 'Back to the sign-in page' }).click();
  await page.waitForURL(`${srv.base}/login`);
  await ctx.close();
});

test('an admission rule lets a ministry\'s people in at once, with the rule\'s role and country', async () => {
  const admin = await srv.login();
  const r = await admin.form('/accounts/sign-in-rules', { provider: 'sso', kind: 'domain', value: 'ministry.example', admit: '1', role: 'focal', country: 'MA' });
  assert.equal(r.status, 303);
  const ctx = await browser.newContext({ locale: 'fr-FR' });
  const page = await ctx.newPage();
  await page.goto(`${srv.base}/login?next=%2F`);
  await page.locator('a[href^="/login/with/sso"]').click();
  await page.waitForURL((u) => u.port !== String(srv.port));
  await throughProvider(page, 'youssef');
  await page.waitForURL(`${srv.base}/`);
  assert.equal(dbSql(srv.db, "SELECT role || ' ' || country || ' ' || name FROM account WHERE email = 'youssef@ministry.example'"), 'focal MA youssef');
  const s = new Session(srv, { cookies: { sid: (await ctx.cookies(srv.base)).find((c) => c.name === 'sid').value } });
  assert.match((await s.get('/account')).text, /youssef/);
  await ctx.close();
});

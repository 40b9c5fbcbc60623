// HTTPS: `suivi serve --tls-cert PEM --tls-key PEM` answers over TLS (a self-signed
// certificate made here with openssl), and the session cookie it sets is Secure;
// behind a TLS proxy, --behind-tls marks it Secure too; over plain HTTP it is not.
// Over TLS every answer carries Strict-Transport-Security; TLS 1.2 takes only
// forward-secret AEAD suites (issue 12, item 9); plain HTTP on another address
// than loopback warns unless --behind-tls says a proxy terminates TLS.
// Both backends (the database does not matter, the cookie does).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import tls from 'node:tls';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import net from 'node:net';
import { startServer, tempDir, tempDb, cli, assertError, BIN, sanitizerEnv, assertNoSanitizer } from './harness.mjs';

const openssl = spawnSync('openssl', ['version'], { encoding: 'utf8' });
const skip = openssl.status === 0 ? false : 'openssl is not installed';
let dir = null;
let cert;
let key;
const servers = [];

before(() => {
  if (skip) return;
  dir = tempDir();
  cert = path.join(dir, 'cert.pem');
  key = path.join(dir, 'key.pem');
  const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert,
    '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { encoding: 'utf8' });
  assert.equal(r.status, 0, `openssl: ${r.stderr}`);
});

after(async () => {
  for (const s of servers) await s.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function serve(args) {
  const s = await startServer({ args });
  servers.push(s);
  return s;
}

function sidCookie(r) {
  const c = r.setCookies.filter((x) => x.startsWith('sid='));
  assert.equal(c.length, 1, `one sid cookie: ${JSON.stringify(r.setCookies)}`);
  return c[0];
}

test('serve --tls-cert --tls-key answers over HTTPS; the session cookie is Secure', { skip }, async () => {
  const srv = await serve(['--tls-cert', cert, '--tls-key', key]);
  assert.ok(srv.tls, `it says it listens on https: ${srv.stdout}`);
  assert.match(srv.base, /^https:\/\/127\.0\.0\.1:\d+$/);
  const health = await srv.get('/healthz', { auth: false });
  assert.equal(health.text, 'ok\n');
  assert.equal(health.headers.get('strict-transport-security'), 'max-age=31536000');
  assertError(await srv.get('/api/v1/', { auth: false }), 401, 'unauthorized', 'over HTTPS without a token');
  assert.equal((await srv.get('/api/v1/actions/1')).status, 200, 'over HTTPS with the token');
  const v = srv.visitor();
  const r = await v.login('admin', srv.adminPassword, { next: '/actions' });
  assert.equal(r.status, 303);
  const c = sidCookie(r);
  assert.match(c, /;\s*Secure(;|$)/i, `Secure: ${c}`);
  assert.match(c, /;\s*HttpOnly(;|$)/i);
  assert.match(c, /;\s*SameSite=Lax(;|$)/i);
  assert.equal((await v.get('/actions')).status, 200, 'the session works over HTTPS');
  const out = await v.logout();
  assert.match(sidCookie(out), /;\s*Secure/i, 'the cookie that clears it is Secure too');
  // Plain HTTP to the TLS port gets no page.
  const plain = await new Promise((resolve) => {
    const sock = net.connect({ host: '127.0.0.1', port: srv.port });
    let got = '';
    sock.on('connect', () => sock.write('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
    sock.on('data', (d) => { got += d.toString('latin1'); });
    sock.on('error', () => resolve(got));
    sock.on('close', () => resolve(got));
    setTimeout(() => { sock.destroy(); resolve(got); }, 5000);
  });
  assert.doesNotMatch(plain, /^HTTP\/1\.[01] 200/, 'no plain-HTTP answer on the HTTPS port');
  await srv.stop();
});

/** Tries a TLS handshake with the given client options; answers the negotiated
 * {version, cipher} or the error's message. */
function handshake(port, opts) {
  return new Promise((resolve) => {
    const sock = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false, ...opts });
    sock.on('secureConnect', () => {
      const r = { version: sock.getProtocol(), cipher: sock.getCipher().name };
      sock.end();
      resolve(r);
    });
    sock.on('error', (e) => resolve({ error: e.message }));
  });
}

test('TLS 1.2 only with forward-secret AEAD suites, and TLS 1.3', { skip }, async () => {
  const srv = await serve(['--tls-cert', cert, '--tls-key', key]);
  const v13 = await handshake(srv.port, { minVersion: 'TLSv1.3' });
  assert.equal(v13.version, 'TLSv1.3', JSON.stringify(v13));
  const good = await handshake(srv.port, { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-GCM-SHA256' });
  assert.deepEqual(good, { version: 'TLSv1.2', cipher: 'ECDHE-RSA-AES128-GCM-SHA256' });
  const chacha = await handshake(srv.port, { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-CHACHA20-POLY1305' });
  assert.equal(chacha.version, 'TLSv1.2', JSON.stringify(chacha));
  for (const ciphers of ['AES128-GCM-SHA256', 'AES256-SHA256', 'ECDHE-RSA-AES128-SHA', 'ECDHE-RSA-AES256-SHA384']) {
    const r = await handshake(srv.port, { maxVersion: 'TLSv1.2', ciphers });
    assert.ok(r.error, `${ciphers} (no forward secrecy, or no AEAD) is refused: ${JSON.stringify(r)}`);
  }
  await srv.stop();
});

/** Starts serve with args on a new database; answers its stderr once it listens. */
async function serveStderr(args) {
  const d = tempDir();
  const db = tempDb(d);
  assert.equal(cli(['init', '--db', db]).status, 0);
  const proc = spawn(BIN, ['serve', '--db', db, '--port', '0', ...args], { env: sanitizerEnv(), cwd: d });
  let out = '';
  let err = '';
  proc.stdout.on('data', (x) => { out += x; });
  proc.stderr.on('data', (x) => { err += x; });
  for (let i = 0; i < 300 && !/listening/.test(out) && proc.exitCode === null; i++) await new Promise((r) => setTimeout(r, 20));
  assert.match(out, /listening on http:\/\/0\.0\.0\.0:\d+\//);
  const exited = new Promise((r) => proc.on('exit', r));
  proc.kill('SIGTERM');
  assert.equal(await exited, 0);
  assertNoSanitizer(err, 'serve');
  rmSync(d, { recursive: true, force: true });
  return err;
}

test('plain HTTP on another address than loopback warns, unless --behind-tls', async () => {
  assert.match(await serveStderr(['--bind', '0.0.0.0']),
    /warning: serving plain HTTP on 0\.0\.0\.0: passwords and session cookies would cross the network unencrypted/);
  assert.equal(await serveStderr(['--bind', '0.0.0.0', '--behind-tls']), '');
});

test('serve --behind-tls: plain HTTP from the proxy, the cookie Secure', async () => {
  const srv = await serve(['--behind-tls']);
  assert.ok(!srv.tls);
  assert.equal((await srv.get('/healthz', { auth: false })).headers.get('strict-transport-security'), 'max-age=31536000');
  const r = await srv.visitor().login('admin', srv.adminPassword);
  assert.match(sidCookie(r), /;\s*Secure(;|$)/i);
  await srv.stop();
});

test('plain HTTP without --behind-tls: the cookie is not Secure (it could not come back)', async () => {
  const srv = await serve([]);
  assert.equal((await srv.get('/healthz', { auth: false })).headers.get('strict-transport-security'), null);
  const r = await srv.visitor().login('admin', srv.adminPassword);
  assert.doesNotMatch(sidCookie(r), /Secure/i);
  await srv.stop();
});

test('--tls-cert without --tls-key (and the reverse), unreadable or wrong PEM files: a clear refusal', { skip }, () => {
  for (const args of [['--tls-cert', cert], ['--tls-key', key]]) {
    const r = cli(['serve', '--db', path.join(dir, 'x.db'), '--port', '0', ...args]);
    assert.equal(r.status, 2, `${args[0]} alone: usage error (${r.status}) ${r.stderr}`);
    assert.match(r.stderr, /--tls-cert and --tls-key go together/);
  }
  const junk = path.join(dir, 'junk.pem');
  writeFileSync(junk, 'not a certificate\n');
  const db = path.join(dir, 'y.db');
  assert.equal(cli(['init', '--db', db]).status, 0); // serve refuses a database that does not exist
  for (const [c, k] of [[path.join(dir, 'missing.pem'), key], [junk, junk], [key, cert]]) {
    const r = cli(['serve', '--db', db, '--port', '0', '--tls-cert', c, '--tls-key', k]);
    assert.notEqual(r.status, 0, `--tls-cert ${path.basename(c)} --tls-key ${path.basename(k)}: refused`);
    assert.doesNotMatch(r.stdout, /listening/);
    assert.equal(r.stderr.trim().split('\n').length, 1, `one line: ${r.stderr}`);
  }
});

// What one client may take of the server (issue 12, items 2, 3, 8, 10 and 13):
// the body limit is the caller's, identified before any byte of the body (a
// forged cookie lifts nothing) and bodies are not held in memory; one address
// cannot hold every connection, and a request head has a deadline however
// slowly it trickles; an import takes at most 32 MiB (import-limit.test.mjs
// imports 200,000 rows); answers that depend on
// who asks are never cached, static files under content-hashed names are; a
// request whose framing is ambiguous (smuggling) is refused before its body.
// Both backends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { readFileSync } from 'node:fs';
import { useServer, startServer, assertError, BACKEND } from './harness.mjs';

const srv = useServer();
const MiB = 1024 * 1024;

/** The server's resident memory now, in bytes (/proc, Linux). */
function rss(s) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${s.proc.pid}/status`, 'utf8'));
  return Number(m[1]) * 1024;
}

/** Sends a request head, then up to `size` bytes of body as fast as the socket
 * takes them; answers {status, sent} once the server has answered and closed (or
 * the whole body went and the answer came): `sent` is how much body had gone
 * when the answer arrived. */
function pushBody(port, path, headers, size, { localAddress } = {}) {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ port, host: '127.0.0.1', localAddress });
    let sent = 0;
    let sentAtAnswer = null;
    let answer = '';
    const chunk = Buffer.alloc(256 * 1024, 0x41);
    const head = [`POST ${path} HTTP/1.1`, 'Host: 127.0.0.1', `Content-Length: ${size}`,
      ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), '', ''].join('\r\n');
    const pump = () => {
      while (sent < size && sentAtAnswer === null) {
        const n = Math.min(chunk.length, size - sent);
        sent += n;
        if (!sock.write(chunk.subarray(0, n))) return; // wait for 'drain'
      }
    };
    sock.on('connect', () => { sock.write(head); pump(); });
    sock.on('drain', pump);
    sock.on('data', (d) => {
      if (sentAtAnswer === null) sentAtAnswer = sent;
      answer += d.toString('latin1');
    });
    sock.on('error', () => {}); // EPIPE / ECONNRESET once the server has closed
    sock.on('close', () => {
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(answer);
      if (!m) return reject(new Error(`no answer to ${path}: ${JSON.stringify(answer.slice(0, 200))}`));
      resolve({ status: Number(m[1]), sent: sentAtAnswer, answer });
    });
    sock.setTimeout(60000, () => sock.destroy(new Error('no answer within 60 s')));
  });
}

test('20 connections with a forged cookie sending 30 MiB each are refused before their bodies, and the server holds no more memory', async () => {
  const before = rss(srv);
  let peak = before;
  const sampler = setInterval(() => { peak = Math.max(peak, rss(srv)); }, 20);
  const forged = { Cookie: `sid=${'A'.repeat(43)}`, 'Content-Type': 'text/csv' };
  const routes = ['/api/v1/needs/import', '/needs/import', '/api/v1/participants/import', '/api/v1/documents'];
  let answers;
  try {
    answers = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      pushBody(srv.port, routes[i % routes.length], forged, 30 * MiB)));
  } finally {
    clearInterval(sampler);
  }
  peak = Math.max(peak, rss(srv));
  for (const a of answers) {
    assert.ok([401, 413].includes(a.status), `refused: ${a.answer.slice(0, 300)}`);
    assert.ok(a.sent < 30 * MiB, `answered before the body was sent (${a.sent} bytes had gone)`);
  }
  // Bodies in memory are bounded at 2 × 16 MiB by design (body.h); the forged ones
  // hold none.  Before the fix the server kept every body: 600 MiB here.
  assert.ok(peak - before < 32 * MiB, `RSS grew by ${((peak - before) / MiB).toFixed(1)} MiB`);
  await srv.assertAlive();
});

test('an anonymous body over 16 KiB is refused at once; a signed-in one goes through', async () => {
  const r = await pushBody(srv.port, '/api/v1/actions', { 'Content-Type': 'application/json' }, 64 * 1024);
  assert.equal(r.status, 413);
  assert.match(r.answer, /16 KiB/);
  // the same size signed in reaches the handler (which finds it is no JSON)
  const s = await srv.request('POST', '/api/v1/actions', { body: 'x'.repeat(64 * 1024), headers: { 'Content-Type': 'application/json' } });
  assertError(s, 400, 'bad_json', 'a signed-in 64 KiB body reaches the API');
});

test('request headers of 8 KiB are served, a read and a write; a head of 20 KiB is refused with 431', async () => {
  const big = { 'X-Padding': 'p'.repeat(4 * 1024), Cookie: `other=${'c'.repeat(4 * 1024 - 100)}` };
  const r = await srv.request('GET', '/api/v1/actions', { headers: big });
  assert.equal(r.status, 200, 'a read with 8 KiB of headers');
  const w = await srv.request('POST', '/api/v1/organisations', { json: { name: { en: 'Headers of 8 KiB' } }, headers: big });
  assert.equal(w.status, 201, `a write with 8 KiB of headers: ${w.text}`);
  const t = await srv.request('GET', '/api/v1/actions', { headers: { 'X-Padding': 'p'.repeat(20 * 1024) } });
  assert.equal(t.status, 431, 'a head larger than the connection\'s memory');
});

test('a body over an import\'s 32 MiB is refused with 413 and its reason', async () => {
  const r = await pushBody(srv.port, '/api/v1/participants/import',
    { Authorization: `Bearer ${srv.token}`, 'Content-Type': 'text/csv' }, 33 * MiB);
  assert.equal(r.status, 413);
  assert.match(r.answer, /32 MiB/);
});

test('ambiguous framing is refused with 400 before any body: two Content-Length, Content-Length with chunked', async () => {
  let r = await srv.raw('POST /api/v1/actions HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 40\r\n'
    + 'Content-Type: application/json\r\nConnection: close\r\n\r\nhello');
  assertError(r, 400, 'bad_request', 'two Content-Length headers that disagree');
  r = await srv.raw('POST /api/v1/actions HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n'
    + 'Content-Type: application/json\r\nConnection: close\r\n\r\n0\r\n\r\n');
  assertError(r, 400, 'bad_request', 'Content-Length with Transfer-Encoding');
  assert.equal((await srv.getJSON('/api/v1/actions?limit=1')).total > 0, true, 'still serving');
});

test('answers that depend on who asks are not cached; static files under hashed names are, for a year', async () => {
  for (const p of ['/', '/actions', '/api/v1/actions', '/api/v1/actions.csv', '/api/v1/participants.csv', '/training']) {
    const r = await srv.get(p);
    assert.equal(r.status, 200, p);
    assert.equal(r.headers.get('cache-control'), 'no-store', `${p}: ${r.headers.get('cache-control')}`);
  }
  const home = await srv.get('/', { auth: false });
  assert.equal(home.headers.get('cache-control'), 'no-store');
  const css = /<link rel="stylesheet" href="(\/static\/style\.[0-9a-f]{8}\.css)">/.exec(home.text);
  assert.ok(css, 'the page links its stylesheet by a content-hashed name');
  const a = await srv.get(css[1], { auth: false });
  assert.equal(a.status, 200);
  assert.equal(a.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  assert.match(a.headers.get('content-type'), /^text\/css/);
  const plain = await srv.get('/static/style.css', { auth: false });
  assert.equal(plain.text, a.text, 'the plain name serves the same file');
  assert.equal(plain.headers.get('cache-control'), 'no-cache');
  assert.equal((await srv.get('/static/style.00000000.css', { auth: false })).status, 404, 'a stale hash is no file');
});

/** Opens a connection from localAddress that sends the start of a request head
 * and nothing more; answers the socket and whether the server has closed it. */
function slowClient(port, localAddress) {
  const sock = net.connect({ port, host: '127.0.0.1', localAddress });
  const c = { sock, closed: false };
  sock.on('connect', () => sock.write('GET / HTTP/1.1\r\nHost: x\r\n'));
  sock.on('error', () => {});
  sock.on('close', () => { c.closed = true; });
  return c;
}

const settle = (ms) => new Promise((r) => setTimeout(r, ms));

test('1,100 slow connections from one address do not stop another address being served', async () => {
  const slow = Array.from({ length: 1100 }, () => slowClient(srv.port, '127.0.0.1'));
  // wait until every one is either held or refused
  for (let i = 0; i < 200 && slow.some((c) => !c.closed && c.sock.pending); i++) await settle(50);
  await settle(300);
  const held = slow.filter((c) => !c.closed).length;
  assert.ok(held <= 128 + 4, `one address holds at most its cap: ${held} held`);
  const r = await srv.request('GET', '/healthz', { auth: false, localAddress: '127.0.0.2' });
  assert.equal(r.status, 200, 'another address is answered');
  assert.equal(r.text, 'ok\n');
  for (const c of slow) c.sock.destroy();
});

test('a request head trickling a byte at a time is cut at the head deadline', async () => {
  const s = await startServer({ args: ['--head-deadline', '2'] });
  try {
    const sock = net.connect({ port: s.port, host: '127.0.0.1' });
    let closed = false;
    let answer = '';
    sock.on('data', (d) => { answer += d; });
    sock.on('error', () => {});
    sock.on('close', () => { closed = true; });
    const head = 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ' + 'a'.repeat(200);
    // one byte every 200 ms: libmicrohttpd's own 30 s timeout (per read) never fires
    for (let i = 0; i < head.length && !closed; i++) {
      sock.write(head[i]);
      await settle(200);
    }
    assert.ok(closed, 'the connection was closed before the head was complete');
    assert.equal(answer, '', 'and nothing was answered');
    // an ordinary request is untouched
    assert.equal((await s.get('/healthz', { auth: false })).status, 200);
  } finally {
    await s.stop();
  }
});

test('the per-client cap and deadline are options; a bad value is refused', async () => {
  const { cli } = await import('./harness.mjs');
  const r = cli(['serve', '--db', srv.db, '--per-client', '0']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /--per-client takes a number from 1 to 100000/);
  const h = cli(['serve', '--db', srv.db, '--trusted-proxy', 'not-an-address']);
  assert.equal(h.status, 1);
  assert.match(h.stderr, /'not-an-address' is not an IPv4 or IPv6 address/);
});

test(`server stops cleanly (${BACKEND})`, () => srv.stop());

// tests/http/harness.mjs — a real `suivi serve` on a loopback port, for the
// HTTP tests (Node 20, no npm packages).
//
//   const srv = useServer();            // before(): fresh temp db (demo), serve on port 0
//   ...                                 // after(): stop + remove the temp dir
//   test('...', async () => { const r = await srv.get('/api/v1/actions'); ... });
//   test('server stops cleanly', () => srv.stop());  // last test of a file
//
// stop() sends SIGTERM, waits for the exit and fails unless the exit code is 0
// and stderr holds no AddressSanitizer / UBSan / LeakSanitizer report (nor a
// logged 5xx answer); it removes the temp dir.
//
// Backends: with SUIVI_PG set to the base URL of a PostgreSQL cluster
// (postgresql://USER@HOST:PORT, what tests/pg/cluster start prints), each server
// gets a database of its own (CREATE DATABASE suivi_<random>, dropped by stop()
// and cleanup()), and tempDb() gives CLI tests one; without it, SQLite files in a
// temp dir.  BACKEND says which.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { before, after } from 'node:test';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = path.resolve(ROOT, process.env.SUIVI_BIN || 'build/test/suivi');

/** Base URL of the PostgreSQL cluster under test, or '' for SQLite. */
export const PG = (process.env.SUIVI_PG || '').replace(/\/+$/, '');
export const BACKEND = PG ? 'postgresql' : 'sqlite';

export const COLLECTIONS = ['countries', 'themes', 'organisations', 'persons', 'meetings',
  'outcomes', 'actions', 'action_updates'];

// What the sanitizers print when they find something.
const SANITIZER = /ERROR: AddressSanitizer|runtime error|LeakSanitizer|ERROR: UndefinedBehaviorSanitizer|SUMMARY: (Address|UndefinedBehavior|Leak)Sanitizer/;

export function sanitizerEnv(extra = {}) {
  return {
    ...process.env,
    ASAN_OPTIONS: process.env.ASAN_OPTIONS || 'detect_leaks=1',
    UBSAN_OPTIONS: process.env.UBSAN_OPTIONS || 'print_stacktrace=1:halt_on_error=1',
    LANG: 'C.UTF-8',
    ...extra,
  };
}

export function assertNoSanitizer(stderr, what) {
  const m = SANITIZER.exec(stderr);
  assert.ok(!m, `${what}: sanitizer report on stderr:\n${stderr.slice(Math.max(0, m ? m.index - 200 : 0), (m ? m.index : 0) + 4000)}`);
}

/** Runs the CLI synchronously; returns {status, stdout, stderr}; checks for sanitizer output. */
export function cli(args, { env = {}, cwd, input, check = true } = {}) {
  const r = spawnSync(BIN, args, {
    env: sanitizerEnv(env), cwd: cwd || os.tmpdir(), input, encoding: 'buffer', timeout: 60000,
    maxBuffer: 64 << 20,
  });
  const out = {
    status: r.status, signal: r.signal, stdoutBytes: r.stdout,
    stdout: r.stdout ? r.stdout.toString('utf8') : '',
    stderr: r.stderr ? r.stderr.toString('utf8') : '',
  };
  if (r.error) throw new Error(`suivi ${args.join(' ')}: ${r.error.message}`); // e.g. ENOENT, ETIMEDOUT
  if (check) {
    assertNoSanitizer(out.stderr, `suivi ${args.join(' ')}`);
    assert.equal(out.signal, null, `suivi ${args.join(' ')} killed by ${out.signal}:\n${out.stderr}`);
  }
  return out;
}

export function tempDir() {
  return mkdtempSync(path.join(os.tmpdir(), 'suivi-http-'));
}

// ---- PostgreSQL databases ---------------------------------------------------------

/** Runs SQL with psql on the cluster at base (its maintenance database); throws
 * with psql's message on failure; answers stdout (unaligned, tuples only). */
export function psql(sql, base = PG) {
  assert.ok(base, 'psql(): no PostgreSQL cluster (SUIVI_PG is not set)');
  const r = spawnSync('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', `${base}/postgres`, '-c', sql], {
    encoding: 'utf8', timeout: 60000, env: { ...process.env, PGCONNECT_TIMEOUT: '10' },
  });
  if (r.error) throw new Error(`psql: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`psql -c ${JSON.stringify(sql)}: exit ${r.status}: ${r.stderr.trim()}`);
  return r.stdout;
}

/** Creates an empty database on the cluster at base; answers its URL. */
export function createDatabase(base = PG) {
  const name = `suivi_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  psql(`CREATE DATABASE ${name}`, base);
  return `${base}/${name}`;
}

/** Drops the database a createDatabase() URL names (connections or not). */
export function dropDatabase(url) {
  const m = /^(postgres(?:ql)?:\/\/[^/]+)\/(suivi_[a-z0-9_]+)$/.exec(url);
  assert.ok(m, `dropDatabase(${url}): not a database of createDatabase()`);
  psql(`DROP DATABASE IF EXISTS ${m[2]} WITH (FORCE)`, m[1]);
}

const madeDbs = new Set();
/** A new, empty database for a CLI test: a file NAME.db in dir (which need not
 * exist yet) with SQLite, a new database on SUIVI_PG with PostgreSQL (dropped by
 * dropTempDbs(), or when the test process exits). */
export function tempDb(dir, name = 'test') {
  if (!PG) return path.join(dir, `${name}.db`);
  const url = createDatabase();
  madeDbs.add(url);
  return url;
}

/** Drops every database tempDb() made (errors are reported, not thrown). */
export function dropTempDbs() {
  for (const url of madeDbs) {
    try { dropDatabase(url); } catch (e) { process.stderr.write(`harness: ${e.message}\n`); }
    madeDbs.delete(url);
  }
}
process.on('exit', dropTempDbs);

// ---- servers ---------------------------------------------------------------------------

/** Starts `suivi serve` on a fresh database: `demo` (default) or `init`, or on an
 * existing database `db` as it is (`setup: false`, the default when db is given;
 * the server then does not drop it).  `env` adds to the server's environment. */
export async function startServer({ init = false, db = null, setup = db === null, env = {} } = {}) {
  const dir = tempDir();
  let own = null;
  if (db === null) {
    db = tempDb(dir);
    if (PG) { madeDbs.delete(db); own = db; } // the server drops it at stop()
  }
  try {
    if (setup) {
      const made = cli([init ? 'init' : 'demo', '--db', db]);
      assert.equal(made.status, 0, `suivi ${init ? 'init' : 'demo'} failed:\n${made.stderr}`);
    }
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    if (own) dropDatabase(own);
    throw e;
  }
  const proc = spawn(BIN, ['serve', '--db', db, '--port', '0', '--bind', '127.0.0.1'], {
    env: sanitizerEnv(env), cwd: dir, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const srv = new Server(proc, dir, db, own);
  await srv._ready();
  return srv;
}

/** Registers before/after hooks for one server per test file; returns a handle whose
 * methods forward to the running Server. */
export function useServer(opts = {}) {
  const handle = {};
  let s = null;
  before(async () => {
    s = await startServer(opts);
    Object.setPrototypeOf(handle, s);
  });
  after(async () => {
    if (s) await s.cleanup();
  });
  return handle;
}

class Server {
  constructor(proc, dir, db, ownDb = null) {
    this.proc = proc;
    this.dir = dir;
    this.db = db; // a SQLite path or a postgresql:// URL: what --db was given
    this.ownDb = ownDb; // a PostgreSQL database to drop when the server stops
    this.stdout = '';
    this.stderr = '';
    this.exit = null; // {code, signal} once exited
    this.stopped = false;
    proc.stdout.setEncoding('utf8');
    proc.stderr.setEncoding('utf8');
    proc.stdout.on('data', (d) => { this.stdout += d; });
    proc.stderr.on('data', (d) => { this.stderr += d; });
    this.exited = new Promise((resolve) => {
      proc.on('exit', (code, signal) => { this.exit = { code, signal }; resolve(this.exit); });
    });
  }

  async _ready() {
    const deadline = Date.now() + 15000;
    while (Date.now() < deadline) {
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)\//.exec(this.stdout);
      if (m) {
        this.port = Number(m[1]);
        this.base = `http://127.0.0.1:${this.port}`;
        return;
      }
      if (this.exit) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await this.cleanup().catch(() => {});
    throw new Error(`server did not start (exit ${JSON.stringify(this.exit)}):\nstdout: ${this.stdout}\nstderr: ${this.stderr}`);
  }

  url(p) {
    return this.base + p;
  }

  /** fetch() with a JSON body when `json` is given; returns {status, headers, text, json, body}. */
  async request(method, p, { json, body, headers = {} } = {}) {
    const h = { ...headers };
    let payload = body;
    if (json !== undefined) {
      payload = typeof json === 'string' ? json : JSON.stringify(json);
      if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) h['Content-Type'] = 'application/json';
    }
    const res = await fetch(this.url(p), { method, headers: h, body: payload });
    const buf = Buffer.from(await res.arrayBuffer());
    const text = buf.toString('utf8');
    let parsed;
    try { parsed = text.length ? JSON.parse(text) : undefined; } catch { parsed = undefined; }
    return { status: res.status, headers: res.headers, text, body: buf, json: parsed };
  }

  get(p, opts) { return this.request('GET', p, opts); }
  post(p, json, opts = {}) { return this.request('POST', p, { ...opts, json }); }
  patch(p, json, opts = {}) { return this.request('PATCH', p, { ...opts, json }); }
  del(p, opts) { return this.request('DELETE', p, opts); }

  /** GET that must answer 200 with JSON; returns the parsed body. */
  async getJSON(p) {
    const r = await this.get(p);
    assert.equal(r.status, 200, `GET ${p}: ${r.status} ${r.text.slice(0, 500)}`);
    return r.json;
  }

  /** Every item of a collection list (all pages of 500), with extra query text. */
  async all(collection, query = '') {
    const items = [];
    let total = null;
    for (let offset = 0; total === null || offset < total; offset += 500) {
      const page = await this.getJSON(`/api/v1/${collection}?${query ? query + '&' : ''}limit=500&offset=${offset}`);
      total = page.total;
      items.push(...page.items);
      if (page.items.length === 0) break;
    }
    return items;
  }

  /** Sends bytes over a plain socket; answers the first HTTP response parsed. */
  raw(bytes, { timeout = 10000 } = {}) {
    return rawExchange(this.port, bytes, timeout);
  }

  /** Builds and sends a request over a plain socket (Connection: close). The path is
   * sent byte for byte, as given; `headers` override the defaults. */
  rawRequest(method, target, { headers = {}, body, chunked = false, timeout } = {}) {
    const b = body === undefined ? null : Buffer.isBuffer(body) ? body : Buffer.from(body);
    const h = { Host: `127.0.0.1:${this.port}`, Connection: 'close', ...headers };
    const has = (name) => Object.keys(h).some((k) => k.toLowerCase() === name);
    if (b && chunked && !has('transfer-encoding')) h['Transfer-Encoding'] = 'chunked';
    if (b && !chunked && !has('content-length')) h['Content-Length'] = String(b.length);
    let head = `${method} ${target} HTTP/1.1\r\n`;
    for (const [k, v] of Object.entries(h)) head += `${k}: ${v}\r\n`;
    const parts = [Buffer.from(head + '\r\n', 'latin1')];
    if (b && chunked) {
      const CH = 64 * 1024;
      for (let i = 0; i < b.length; i += CH) {
        const c = b.subarray(i, i + CH);
        parts.push(Buffer.from(c.length.toString(16) + '\r\n'), c, Buffer.from('\r\n'));
      }
      parts.push(Buffer.from('0\r\n\r\n'));
    } else if (b) {
      parts.push(b);
    }
    return this.raw(Buffer.concat(parts), { timeout });
  }

  /** The process is running and answers. */
  async assertAlive() {
    assert.equal(this.exit, null, `server exited: ${JSON.stringify(this.exit)}\n${this.stderr}`);
    const r = await this.get('/api/v1/');
    assert.equal(r.status, 200, 'server answers GET /api/v1/');
    assertNoSanitizer(this.stderr, 'server');
  }

  /** Every record of every collection through the API (limit=500, every page, the
   * response cache bypassed), plus a dump of the database file when the sqlite3
   * shell is installed (SQLite only: null with PostgreSQL). */
  async snapshot() {
    const snap = {};
    this._nonce = (this._nonce || 0) + 1;
    for (const c of COLLECTIONS) {
      const items = [];
      let total = null;
      for (let offset = 0; total === null || offset < total; offset += 500) {
        // The GET cache is keyed on the query as given: the leading q= (an empty
        // search, i.e. no search) repeated `nonce` times makes every snapshot's key new.
        const bust = 'q=&'.repeat(this._nonce);
        const page = await this.getJSON(`/api/v1/${c}?${bust}limit=500&offset=${offset}`);
        assert.equal(page.limit, 500);
        assert.equal(page.offset, offset);
        total = page.total;
        items.push(...page.items);
        if (page.items.length === 0) break;
      }
      assert.equal(items.length, total, `${c}: every page read`);
      snap[c] = items;
    }
    snap.sqlite = PG ? null : dumpDb(this.db);
    return snap;
  }

  /** Asserts that the process is alive and that the data equal `before`. */
  async assertUnchanged(before, what = '') {
    await this.assertAlive();
    const now = await this.snapshot();
    for (const c of COLLECTIONS) {
      const a = before[c], b = now[c];
      if (isDeepStrictEqual(a, b)) continue;
      const key = (r) => JSON.stringify(r.id ?? r.code);
      const was = new Map(a.map((r) => [key(r), r]));
      const is = new Map(b.map((r) => [key(r), r]));
      const diffs = [];
      for (const [k, r] of was) if (!is.has(k)) diffs.push(`deleted ${k}`);
      for (const [k, r] of is) {
        if (!was.has(k)) diffs.push(`added ${JSON.stringify(r).slice(0, 200)}`);
        else if (!isDeepStrictEqual(was.get(k), r)) diffs.push(`changed ${k}: ${JSON.stringify(was.get(k)).slice(0, 200)} -> ${JSON.stringify(r).slice(0, 200)}`);
      }
      assert.fail(`${what}: the stored ${c} changed: ${diffs.slice(0, 5).join('; ') || 'order'}`);
    }
    if (now.sqlite !== before.sqlite) {
      const x = before.sqlite.split('\n'), y = now.sqlite.split('\n');
      const gone = x.filter((l) => !y.includes(l)).slice(0, 3), added = y.filter((l) => !x.includes(l)).slice(0, 3);
      assert.fail(`${what}: the database file changed: -${JSON.stringify(gone)} +${JSON.stringify(added)}`);
    }
  }

  /** Remembers the data as they are now (for unchangedSinceBaseline). */
  async baseline() {
    this._base = await this.snapshot();
  }

  /** Asserts alive and data equal to the baseline; after a failure the baseline
   * becomes the current data, so that one bug does not fail every later check. */
  async unchangedSinceBaseline(what = '') {
    if (!this._base) await this.baseline();
    try {
      await this.assertUnchanged(this._base, what);
    } catch (e) {
      if (!this.exit) this._base = await this.snapshot().catch(() => this._base);
      throw e;
    }
  }

  /** SIGTERM; asserts exit code 0 and no sanitizer report (nor a 5xx answer other
   * than those in `allow`, e.g. [503] for a test that stops the database); removes
   * the temp dir and drops the server's own database. */
  async stop({ allow = [] } = {}) {
    if (!this.exit) {
      this.proc.kill('SIGTERM');
      const t = setTimeout(() => { if (!this.exit) this.proc.kill('SIGKILL'); }, 20000);
      await this.exited;
      clearTimeout(t);
    }
    this.stopped = true;
    try {
      assertNoSanitizer(this.stderr, 'server');
      const five = [...this.stderr.matchAll(/^suivi: .* answered (5\d\d)$/mg)].find((m) => !allow.includes(Number(m[1])));
      assert.ok(!five, `the server answered an internal error during the tests: ${five && five[0]}`);
      assert.deepEqual(this.exit, { code: 0, signal: null },
        `server exit after SIGTERM: ${JSON.stringify(this.exit)}\nstderr:\n${this.stderr.slice(-4000)}`);
    } finally {
      this._remove();
    }
  }

  _remove() {
    rmSync(this.dir, { recursive: true, force: true });
    if (this.ownDb) {
      const db = this.ownDb;
      this.ownDb = null;
      dropDatabase(db);
    }
  }

  /** Stops (without assertions), removes the temp dir and drops the server's own database. */
  async cleanup() {
    if (!this.exit) {
      this.proc.kill('SIGTERM');
      const t = setTimeout(() => { if (!this.exit) this.proc.kill('SIGKILL'); }, 20000);
      await this.exited;
      clearTimeout(t);
    }
    this._remove();
  }
}

let sqlite3Shell;
function dumpDb(db) {
  if (sqlite3Shell === undefined) {
    const r = spawnSync('sqlite3', ['-version'], { encoding: 'utf8' });
    sqlite3Shell = r.status === 0;
  }
  if (!sqlite3Shell || !existsSync(db)) return null;
  const r = spawnSync('sqlite3', [db, '.dump'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, `sqlite3 .dump: ${r.stderr}`);
  return r.stdout;
}

/** One exchange over node:net: write bytes, read until the server closes (or the first
 * complete response arrived, or timeout).  Answers {status, headers (lower-case names),
 * body (Buffer), text, json, rawHead, closed, error}. */
export function rawExchange(port, bytes, timeout = 10000) {
  return new Promise((resolve) => {
    const chunks = [];
    let done = false;
    let error = null;
    const sock = net.connect({ host: '127.0.0.1', port });
    const finish = (why) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      resolve({ ...parseResponse(Buffer.concat(chunks)), end: why, error });
    };
    const timer = setTimeout(() => finish('timeout'), timeout);
    sock.on('connect', () => {
      sock.write(bytes, (err) => { if (err) error = err.code || String(err); });
    });
    sock.on('data', (d) => {
      chunks.push(d);
      const p = parseResponse(Buffer.concat(chunks));
      if (p.complete) finish('complete');
    });
    sock.on('error', (err) => { error = err.code || String(err); });
    sock.on('close', () => finish('closed'));
  });
}

export function parseResponse(buf) {
  const out = { status: null, headers: {}, body: Buffer.alloc(0), text: '', json: undefined, complete: false, rawHead: '' };
  const sep = buf.indexOf('\r\n\r\n');
  if (sep < 0) return out;
  const head = buf.subarray(0, sep).toString('latin1');
  out.rawHead = head;
  const lines = head.split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0]);
  out.status = m ? Number(m[1]) : null;
  for (const l of lines.slice(1)) {
    const i = l.indexOf(':');
    if (i > 0) out.headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
  }
  let rest = buf.subarray(sep + 4);
  if (/chunked/i.test(out.headers['transfer-encoding'] || '')) {
    const parts = [];
    let ok = false;
    for (;;) {
      const e = rest.indexOf('\r\n');
      if (e < 0) break;
      const n = parseInt(rest.subarray(0, e).toString('latin1'), 16);
      if (Number.isNaN(n)) break;
      if (n === 0) { ok = true; break; }
      if (rest.length < e + 2 + n + 2) break;
      parts.push(rest.subarray(e + 2, e + 2 + n));
      rest = rest.subarray(e + 2 + n + 2);
    }
    out.body = Buffer.concat(parts);
    out.complete = ok;
  } else if (out.headers['content-length'] !== undefined) {
    const n = Number(out.headers['content-length']);
    out.body = rest.subarray(0, n);
    out.complete = rest.length >= n;
  } else {
    out.body = rest;
  }
  out.text = out.body.toString('utf8');
  try { out.json = out.text ? JSON.parse(out.text) : undefined; } catch { /* not JSON */ }
  return out;
}

/** Asserts the error envelope of docs/API.md; answers the error object. */
export function assertError(r, status, code, what = '') {
  const ctx = `${what} -> ${r.status} ${String(r.text).slice(0, 600)}`;
  assert.equal(r.status, status, ctx);
  assert.ok(r.json && typeof r.json === 'object', `JSON error body: ${ctx}`);
  assert.ok(r.json.error && typeof r.json.error === 'object', `error envelope: ${ctx}`);
  assert.equal(r.json.error.code, code, ctx);
  assert.equal(typeof r.json.error.message, 'string', ctx);
  assert.ok(r.json.error.message.length > 0, ctx);
  return r.json.error;
}

/** Asserts a 422 with a message for each of `fields` (and answers the fields object). */
export function assertInvalid(r, fields, what = '') {
  const err = assertError(r, 422, 'invalid', what);
  assert.ok(err.fields && typeof err.fields === 'object', `fields in ${what}: ${r.text}`);
  for (const f of fields) {
    assert.equal(typeof err.fields[f], 'string', `a message for field '${f}' in ${what}: ${r.text}`);
    assert.ok(err.fields[f].length > 0, `non-empty message for '${f}'`);
  }
  return err.fields;
}

/** Today in UTC, YYYY-MM-DD (what the server uses for `late`). */
export function todayUTC() {
  return new Date().toISOString().slice(0, 10);
}

/** RFC 4180 CSV to rows of cells (CRLF or LF line ends, quoted cells). */
export function parseCsv(text) {
  const rows = [];
  let row = [], cell = '', i = 0, q = false;
  while (i < text.length) {
    const ch = text[i];
    if (q) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i += 2; continue; }
      if (ch === '"') { q = false; i++; continue; }
      cell += ch; i++; continue;
    }
    if (ch === '"') { q = true; i++; continue; }
    if (ch === ',') { row.push(cell); cell = ''; i++; continue; }
    if (ch === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i += 2; continue; }
    if (ch === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; continue; }
    cell += ch; i++;
  }
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

function short(v) {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 300 ? `${s.slice(0, 300)}… (${Array.isArray(v) ? v.length + ' items' : s.length + ' chars'})` : s;
}

/** deepStrictEqual with a short one-line message: "what: got X, want Y". */
export function same(actual, expected, what) {
  assert.deepEqual(actual, expected, `${what}: got ${short(actual)}, want ${short(expected)}`);
}

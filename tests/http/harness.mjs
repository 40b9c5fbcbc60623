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
// Authentication: every server's database gets the first admin `admin` with the
// password ADMIN_PASSWORD (srv.adminPassword; cli() gives SUIVI_ADMIN_PASSWORD to
// init and demo) and an admin API token (srv.token, `suivi token add admin`).
// srv.request() and its shorthands send `Authorization: Bearer <srv.token>` unless
// told `{auth: false}`, given another token (`{auth: 'suivi_…'}`) or an explicit
// Authorization header; raw() and rawRequest() insert that header after the request
// line unless `{auth: false}`.  srv.addUser() / srv.addToken() make accounts and
// tokens with the CLI; srv.login() signs in through the login form and answers a
// Session (a cookie jar of one server) whose requests carry the `sid` cookie.
//
// Backends: with SUIVI_PG set to the base URL of a PostgreSQL cluster
// (postgresql://USER@HOST:PORT, what tests/pg/cluster start prints), each server
// gets a database of its own (CREATE DATABASE suivi_<random>, dropped by stop()
// and cleanup()), and tempDb() gives CLI tests one; without it, SQLite files in a
// temp dir.  BACKEND says which.
import { spawn, spawnSync } from 'node:child_process';
import http from 'node:http';
import https from 'node:https';
import {
  mkdtempSync, rmSync, existsSync, statSync, readFileSync, writeFileSync, renameSync, copyFileSync,
} from 'node:fs';
import { createHash } from 'node:crypto';
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

/** The password of the first admin of every database the harness makes. */
export const ADMIN_PASSWORD = 'admin-password-of-the-tests';
/** The password srv.addUser() gives unless told another. */
export const USER_PASSWORD = 'user-password-of-the-tests';

export const COLLECTIONS = ['countries', 'themes', 'organisations', 'persons', 'meetings',
  'outcomes', 'actions', 'action_updates'];

// What the sanitizers print when they find something.
const SANITIZER = /ERROR: AddressSanitizer|runtime error|LeakSanitizer|ERROR: UndefinedBehaviorSanitizer|SUMMARY: (Address|UndefinedBehavior|Leak)Sanitizer/;

export function sanitizerEnv(extra = {}) {
  return {
    ...process.env,
    ASAN_OPTIONS: process.env.ASAN_OPTIONS || 'detect_leaks=1:quarantine_size_mb=32', // as tests/run says why
    UBSAN_OPTIONS: process.env.UBSAN_OPTIONS || 'print_stacktrace=1:halt_on_error=1',
    LSAN_OPTIONS: process.env.LSAN_OPTIONS || `suppressions=${path.join(ROOT, 'tests/lsan.supp')}`,
    LANG: 'C.UTF-8',
    ...extra,
  };
}

export function assertNoSanitizer(stderr, what) {
  const m = SANITIZER.exec(stderr);
  assert.ok(!m, `${what}: sanitizer report on stderr:\n${stderr.slice(Math.max(0, m ? m.index - 200 : 0), (m ? m.index : 0) + 4000)}`);
}

// A set-up call's sanitizer options: LeakSanitizer's scan at exit is half the cost of
// a short command under AddressSanitizer (90 → 50 ms for `token add`), and the
// harness makes hundreds of accounts and tokens; the commands are run with it where
// they are what is tested (auth-cli, cli, accounts), and every server keeps it.
function setUpEnv(env) {
  const asan = (env.ASAN_OPTIONS ?? process.env.ASAN_OPTIONS ?? 'detect_leaks=1:quarantine_size_mb=32')
    .replace(/(^|:)detect_leaks=[^:]*/, '');
  return { ...env, ASAN_OPTIONS: `${asan}${asan ? ':' : ''}detect_leaks=0` };
}

/** Runs the CLI synchronously; returns {status, stdout, stderr}; checks for sanitizer
 * output.  `setUp`: the call only prepares a test (an account, a token), without
 * LeakSanitizer (setUpEnv). */
export function cli(args, { env = {}, cwd, input, check = true, setUp = false } = {}) {
  const r = spawnSync(BIN, args, {
    env: sanitizerEnv({ SUIVI_ADMIN_PASSWORD: ADMIN_PASSWORD, ...(setUp ? setUpEnv(env) : env) }), cwd: cwd || os.tmpdir(), input, encoding: 'buffer', timeout: 60000,
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

/** The one line a command wrote on stderr (a clear message, ended by a newline). */
export function oneLine(r, what) {
  const lines = r.stderr.split('\n').filter((l) => l.length > 0);
  assert.equal(lines.length, 1, `${what}: exactly one line on stderr, got:\n${r.stderr}`);
  assert.ok(r.stderr.endsWith('\n'), `${what}: the line ends with a newline`);
  assert.ok(lines[0].length > 10 && lines[0].length < 300, `${what}: a clear line: ${lines[0]}`);
  return lines[0];
}

/** `suivi copy --from FROM --to TO`, which must succeed and say it verified the copy. */
export function copyInstallation(from, to) {
  const r = cli(['copy', '--from', from, '--to', to]);
  assert.equal(r.status, 0, `suivi copy --from ${from} --to ${to}: exit ${r.status}\n${r.stderr}`);
  assert.match(r.stdout, /verified/, `suivi copy says it verified the copy:\n${r.stdout}`);
  return r;
}

export function tempDir() {
  return mkdtempSync(path.join(os.tmpdir(), 'suivi-http-'));
}

/** For a test file whose tests make folders and databases: answers fresh(), which
 * makes a temp folder; after the file's tests, the folders are removed and the
 * databases tempDb() made are dropped. */
export function useTempDirs() {
  const dirs = [];
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    dropTempDbs();
  });
  return () => {
    const d = tempDir();
    dirs.push(d);
    return d;
  };
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

/** Runs SQL statements on the database db (a server's srv.db, or tempDb()'s), beside
 * whatever has it open: with psql on PostgreSQL, the sqlite3 shell on SQLite (waiting
 * up to 10 s for a lock); fails the test on an error; answers the output, trimmed
 * (unaligned, tuples only on PostgreSQL). */
export function dbSql(db, statements) {
  const r = PG
    ? spawnSync('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', db, '-c', statements], { encoding: 'utf8', timeout: 60000 })
    : spawnSync('sqlite3', ['-cmd', '.timeout 10000', db, statements], { encoding: 'utf8', timeout: 60000 });
  assert.equal(r.status, 0, `${statements}: ${r.stderr}`);
  return r.stdout.trim();
}

/** Creates a database on the cluster at base, empty or a copy of the database
 * `template` (a URL of createDatabase(), no one connected to it); answers its URL. */
export function createDatabase(base = PG, template = null) {
  const name = `suivi_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  psql(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${dbName(template)}` : ''}`, base);
  return `${base}/${name}`;
}

const dbName = (url) => {
  const m = /^(postgres(?:ql)?:\/\/[^/]+)\/(suivi_[a-z0-9_]+)$/.exec(url);
  assert.ok(m, `${url}: not a database of createDatabase()`);
  return m[2];
};

/** Drops the database a createDatabase() URL names (connections or not). */
export function dropDatabase(url) {
  psql(`DROP DATABASE IF EXISTS ${dbName(url)} WITH (FORCE)`, url.slice(0, url.lastIndexOf('/')));
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

// ---- databases made once, copied for each server -----------------------------------------

// `suivi demo` takes 1–3 s of CPU under the sanitizers and nearly every test file
// starts a server on a demo database.  The database a server starts on (demo or init,
// with the harness's admin token) is made once and copied for each server: a copy of
// the file with SQLite, CREATE DATABASE … TEMPLATE with PostgreSQL.  A copy holds
// what `suivi demo` made, byte for byte; only its times (created_at, the audit
// trail's) are older, by at most the length of the run.  The originals are kept in
// SUIVI_TEST_CACHE, a folder that tests/run makes for one run (and removes, with
// the cluster their PostgreSQL copies live in), so that the files of the run share
// them; without it, in a folder of this process's own, removed when it exits.

let ownCache = null;
function cacheDir() {
  if (process.env.SUIVI_TEST_CACHE) return process.env.SUIVI_TEST_CACHE;
  if (!ownCache) {
    ownCache = mkdtempSync(path.join(os.tmpdir(), 'suivi-cache-'));
    process.on('exit', () => rmSync(ownCache, { recursive: true, force: true }));
  }
  return ownCache;
}

const seeds = new Map(); // key → {db, token}: the originals this process knows

/** The original to copy for a server's fresh database: {db, token (or null)}.  Keyed
 * by what it is made of (the binary, init or demo, a token or not, the backend);
 * listed in the cache folder as KEY.json, written whole (a rename) once the database
 * is ready, so that a file that reads it finds a complete original. */
function seed(init, token) {
  const st = statSync(BIN);
  const key = createHash('sha1').update(JSON.stringify([BIN, st.size, st.mtimeMs, init, token, PG])).digest('hex').slice(0, 16);
  if (seeds.has(key)) return seeds.get(key);
  const list = path.join(cacheDir(), `${key}.json`);
  let entry = existsSync(list) ? JSON.parse(readFileSync(list, 'utf8')) : null;
  if (!entry) {
    // Two files may make the same original at once: each its own, the last listed wins.
    const db = PG ? createDatabase() : path.join(mkdtempSync(path.join(cacheDir(), 'seed-')), 'seed.db');
    if (PG && !process.env.SUIVI_TEST_CACHE) { // dropped when this process exits
      process.on('exit', () => { try { dropDatabase(db); } catch { /* the cluster is gone */ } });
    }
    const made = cli([init ? 'init' : 'demo', '--db', db]);
    assert.equal(made.status, 0, `suivi ${init ? 'init' : 'demo'} failed:\n${made.stderr}`);
    entry = { db, token: token ? adminToken(db) : null };
    // the whole database is in its file once suivi closed it (copySeed copies that)
    assert.ok(PG || !existsSync(`${db}-wal`), `${db}-wal left behind by suivi`);
    writeFileSync(`${list}.${process.pid}`, JSON.stringify(entry));
    renameSync(`${list}.${process.pid}`, list);
  }
  seeds.set(key, entry);
  return entry;
}

/** A copy of the original database of seed(): NAME.db in dir (SQLite) or a new
 * database on SUIVI_PG. */
function copySeed(entry, dir, name = 'test') {
  if (PG) return createDatabase(PG, entry.db);
  const db = path.join(dir, `${name}.db`);
  copyFileSync(entry.db, db);
  return db;
}

/** A new database for a CLI test as `suivi demo --db` makes it (a copy, see seed()):
 * NAME.db in dir with SQLite, a new database on SUIVI_PG (dropped by dropTempDbs(),
 * or when the test process exits) with PostgreSQL. */
export function demoDb(dir, name = 'test') {
  const db = copySeed(seed(false, false), dir, name);
  if (PG) madeDbs.add(db);
  return db;
}

// ---- servers ---------------------------------------------------------------------------

/** Starts `suivi serve` on a fresh database: `demo` (default) or `init`, or on an
 * existing database `db` as it is (`setup: false`, the default when db is given;
 * the server then does not drop it).  `env` adds to the server's environment,
 * `args` to its command line (e.g. ['--behind-tls'], or --tls-cert/--tls-key: the
 * server is then reached over https, certificates not checked).  Unless `token:
 * false`, an admin API token is made first (srv.token); a database without an
 * account `admin` (a copy: accounts do not move) gets one, with ADMIN_PASSWORD. */
export async function startServer({ init = false, db = null, setup = db === null, env = {}, args = [], token = true } = {}) {
  const dir = tempDir();
  let own = null;
  let tok = null;
  try {
    if (db === null && setup) {
      const original = seed(init, token); // a copy of `suivi demo` or `init` (see seed())
      db = copySeed(original, dir);
      if (PG) own = db; // the server drops it at stop()
      if (token) tokenOf.set(db, original.token);
    } else if (db === null) {
      db = tempDb(dir);
      if (PG) { madeDbs.delete(db); own = db; }
    } else if (setup) {
      const made = cli([init ? 'init' : 'demo', '--db', db]);
      assert.equal(made.status, 0, `suivi ${init ? 'init' : 'demo'} failed:\n${made.stderr}`);
    }
    if (token) {
      tok = tokenOf.get(db) || adminToken(db); // one per database: each leaves an audit row
      tokenOf.set(db, tok);
    }
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    if (own) dropDatabase(own);
    throw e;
  }
  const proc = spawn(BIN, ['serve', '--db', db, '--port', '0', '--bind', '127.0.0.1', ...args], {
    env: sanitizerEnv(env), cwd: dir, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const srv = new Server(proc, dir, db, own);
  srv.token = tok;
  await srv._ready();
  return srv;
}

const tokenOf = new Map(); // database → the admin token the harness made for it

/** An admin API token for the database db (an account `admin` made when missing). */
function adminToken(db) {
  let t = cli(['token', 'add', 'admin', '--db', db, '--label', 'harness'], { setUp: true });
  if (t.status !== 0 && /no such account/.test(t.stderr)) {
    const u = cli(['user', 'add', 'admin', '--role', 'admin', '--db', db], { env: { SUIVI_PASSWORD: ADMIN_PASSWORD }, setUp: true });
    assert.equal(u.status, 0, `suivi user add admin failed:\n${u.stderr}`);
    t = cli(['token', 'add', 'admin', '--db', db, '--label', 'harness'], { setUp: true });
  }
  assert.equal(t.status, 0, `suivi token add admin failed:\n${t.stderr}`);
  const tok = t.stdout.trim();
  assert.match(tok, /^suivi_[A-Za-z0-9_-]{20,}$/, `suivi token add prints the token alone: ${JSON.stringify(t.stdout)}`);
  return tok;
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
    this.token = null; // the admin API token request() sends
    this.adminPassword = ADMIN_PASSWORD;
    this.writes = []; // every write request() and sessions made: {method, path, status, actor}
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
      const m = /listening on (https?):\/\/127\.0\.0\.1:(\d+)\//.exec(this.stdout);
      if (m) {
        this.port = Number(m[2]);
        this.tls = m[1] === 'https';
        this.base = `${m[1]}://127.0.0.1:${this.port}`;
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

  /** The Authorization header to add: none when `auth` is false or headers has one. */
  _auth(headers, auth) {
    if (auth === false || Object.keys(headers).some((k) => k.toLowerCase() === 'authorization')) return null;
    const tok = typeof auth === 'string' ? auth : this.token;
    return tok ? `Bearer ${tok}` : null;
  }

  /** One HTTP exchange (node:http, or node:https without certificate checks when the
   * server speaks TLS), redirects not followed; returns {status, headers (a Headers),
   * setCookies (array), text, json, body}.  `json` gives a JSON body; `auth` as for
   * _auth(); `localAddress` the client address (127.0.0.x) the server sees. */
  async request(method, p, { json, body, headers = {}, auth, localAddress, actor, timeout } = {}) {
    const h = { ...headers };
    let payload = body;
    if (json !== undefined) {
      payload = typeof json === 'string' ? json : JSON.stringify(json);
      if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) h['Content-Type'] = 'application/json';
    }
    const a = this._auth(h, auth);
    if (a) h.Authorization = a;
    const r = await httpExchange(this.url(p), { method, headers: h, body: payload, localAddress, timeout });
    this._wrote(method, p, r, actor !== undefined ? actor : a ? this._tokenActor(auth) : null);
    return r;
  }

  /** Who a token acts for, as far as this Server knows (its own, addToken()'s). */
  _tokenActor(auth) {
    const tok = typeof auth === 'string' ? auth : this.token;
    if (tok === this.token) return 'admin';
    return (this._tokens || new Map()).get(tok) || null;
  }

  /** Keeps a successful write (2xx; 303 for a page form) for audit checks. */
  _wrote(method, p, r, actor) {
    if (method === 'GET' || method === 'HEAD' || p.startsWith('/login') || p.startsWith('/logout')) return;
    if ((r.status >= 200 && r.status < 300) || (r.status === 303 && !p.startsWith('/api/'))) {
      this.writes.push({ method, path: p, status: r.status, actor, location: r.headers.get('location'), json: r.json });
    }
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

  /** Sends bytes over a plain socket; answers the first HTTP response parsed.  The
   * admin token's Authorization header goes in after the request line unless `auth`
   * is false or the bytes' head already has one. */
  raw(bytes, { timeout = 10000, auth } = {}) {
    const a = auth === false ? null : this._auth({}, auth);
    const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes, 'latin1');
    const eol = buf.indexOf('\r\n');
    const headEnd = buf.indexOf('\r\n\r\n');
    const head = buf.subarray(0, headEnd < 0 ? buf.length : headEnd).toString('latin1');
    if (a && eol >= 0 && !/\r\nauthorization\s*:/i.test(head)) {
      bytes = Buffer.concat([buf.subarray(0, eol + 2), Buffer.from(`Authorization: ${a}\r\n`, 'latin1'), buf.subarray(eol + 2)]);
    }
    return rawExchange(this.port, bytes, timeout);
  }

  /** Builds and sends a request over a plain socket (Connection: close). The path is
   * sent byte for byte, as given; `headers` override the defaults (the admin token's
   * Authorization among them, unless `auth: false`). */
  rawRequest(method, target, { headers = {}, body, chunked = false, timeout, auth } = {}) {
    const b = body === undefined ? null : Buffer.isBuffer(body) ? body : Buffer.from(body);
    const h = { Host: `127.0.0.1:${this.port}`, Connection: 'close', ...headers };
    const a = this._auth(h, auth);
    if (a) h.Authorization = a;
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
    return this.raw(Buffer.concat(parts), { timeout, auth: false });
  }

  // ---- accounts, tokens, sessions ---------------------------------------------------

  /** `suivi user add NAME --role ROLE [--country CC] [--organisation ID]` with
   * SUIVI_PASSWORD; answers the password. */
  addUser(name, role, { country, organisation, email, password = USER_PASSWORD } = {}) {
    const args = ['user', 'add', name, '--role', role, '--db', this.db];
    if (country) args.push('--country', country);
    if (email) args.push('--email', email);
    if (organisation) args.push('--organisation', String(organisation));
    const r = cli(args, { env: { SUIVI_PASSWORD: password }, setUp: true });
    assert.equal(r.status, 0, `suivi ${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
    return password;
  }

  /** An account made with addUser(name, role, opts), signed in through the login form and
   * given an API token: {session, token}. */
  async member(name, role, opts = {}) {
    const password = this.addUser(name, role, opts);
    return { session: await this.login(name, password), token: this.addToken(name).token };
  }

  /** `suivi token add NAME`; answers {token, id}. */
  addToken(name, label = 'test') {
    const r = cli(['token', 'add', name, '--db', this.db, '--label', label], { setUp: true });
    assert.equal(r.status, 0, `suivi token add ${name}: exit ${r.status}\n${r.stderr}`);
    const token = r.stdout.trim();
    assert.match(token, /^suivi_[A-Za-z0-9_-]{20,}$/, `the token alone on stdout: ${JSON.stringify(r.stdout)}`);
    const m = /token (\d+) for/.exec(r.stderr);
    assert.ok(m, `suivi token add names the token's number on stderr: ${r.stderr}`);
    (this._tokens ||= new Map()).set(token, name);
    return { token, id: Number(m[1]) };
  }

  /** A Session with no cookie yet (a visitor). */
  visitor(opts = {}) {
    return new Session(this, opts);
  }

  /** Signs in through the login form; answers the Session (fails unless 303 with a sid cookie). */
  async login(name = 'admin', password = this.adminPassword, opts = {}) {
    const s = new Session(this, opts);
    const r = await s.login(name, password, opts);
    assert.equal(r.status, 303, `login as ${name}: ${r.status} ${r.text.slice(0, 300)}`);
    assert.ok(s.sid, `login as ${name}: a sid cookie (${JSON.stringify(r.setCookies)})`);
    return s;
  }

  /** The process is running and answers. */
  async assertAlive() {
    assert.equal(this.exit, null, `server exited: ${JSON.stringify(this.exit)}\n${this.stderr}`);
    const r = await this.get('/api/v1/');
    assert.equal(r.status, 200, 'server answers GET /api/v1/');
    assertNoSanitizer(this.stderr, 'server');
  }

  /** Every record of every collection through the API (limit=500, every page, the
   * response cache bypassed), plus (SQLite only: null with PostgreSQL) a hash of the
   * database's bytes and, when the sqlite3 shell is installed, a dump of it. */
  async snapshot() {
    return this._state({ dump: true });
  }

  /** What snapshot() answers; the dump only with `dump` (assertUnchanged compares
   * hashes, and dumps only to say what differs); the collections `only` (default all). */
  async _state({ dump, only = COLLECTIONS }) {
    this._nonce = (this._nonce || 0) + 1;
    // The GET cache is keyed on the query as given: the leading q= (an empty search,
    // i.e. no search) repeated `nonce` times makes every snapshot's key new.
    const bust = 'q=&'.repeat(this._nonce);
    // side by side: the server answers two at a time
    const lists = await Promise.all(only.map((c) => this._every(c, bust)));
    const snap = Object.fromEntries(only.map((c, i) => [c, lists[i]]));
    snap.sqliteHash = PG ? null : hashDb(this.db);
    snap.sqlite = PG || !dump ? null : dumpDb(this.db);
    return snap;
  }

  /** Every record of a collection, page after page (`query` first in each). */
  async _every(c, query) {
    const items = [];
    let total = null;
    for (let offset = 0; total === null || offset < total; offset += 500) {
      const page = await this.getJSON(`/api/v1/${c}?${query}limit=500&offset=${offset}`);
      assert.equal(page.limit, 500);
      assert.equal(page.offset, offset);
      total = page.total;
      items.push(...page.items);
      if (page.items.length === 0) break;
    }
    assert.equal(items.length, total, `${c}: every page read`);
    return items;
  }

  /** Asserts that the process is alive and that the data equal `before` (a
   * snapshot()): the database's hash (SQLite) and, through the API, the collections
   * `only` (default all). */
  async assertUnchanged(before, what = '', only = COLLECTIONS) {
    await this.assertAlive();
    const now = await this._state({ dump: false, only });
    for (const c of only) {
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
    if (now.sqliteHash !== before.sqliteHash) {
      const x = (before.sqlite || '').split('\n'), y = (dumpDb(this.db) || '').split('\n');
      const gone = x.filter((l) => !y.includes(l)).slice(0, 3), added = y.filter((l) => !x.includes(l)).slice(0, 3);
      assert.fail(gone.length || added.length
        ? `${what}: the database file changed: -${JSON.stringify(gone)} +${JSON.stringify(added)}`
        : `${what}: the database file's bytes changed, not its rows: something was written`);
    }
  }

  /** Remembers the data as they are now (for unchangedSinceBaseline). */
  async baseline() {
    this._base = await this.snapshot();
  }

  /** Asserts alive and data equal to the baseline (the collections `only`, default
   * all, as assertUnchanged); after a failure the baseline becomes the current data,
   * so that one bug does not fail every later check. */
  async unchangedSinceBaseline(what = '', only = COLLECTIONS) {
    if (!this._base) await this.baseline();
    try {
      await this.assertUnchanged(this._base, what, only);
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

/** A signed-in browser without a browser: the cookies one server set (sid, lang), and
 * the session's CSRF token (read from the pages' `_csrf` fields).
 *
 *   const s = await srv.login('donor1', USER_PASSWORD);
 *   await s.get('/persons');                       // Cookie: sid=…
 *   await s.form('/actions/1/edit', {...});        // a form POST, with _csrf
 *   await s.patch('/api/v1/actions/1', {...});     // X-CSRF-Token sent (csrf: false: not)
 */
export class Session {
  constructor(srv, { localAddress, cookies = {} } = {}) {
    this.srv = srv;
    this.localAddress = localAddress;
    this.jar = new Map(Object.entries(cookies));
    this.csrf = null;
    this.name = null; // who signed in
  }

  get sid() { return this.jar.get('sid') || null; }
  set sid(v) { if (v === null) this.jar.delete('sid'); else this.jar.set('sid', v); }

  cookieHeader() {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  /** Keeps what Set-Cookie headers say (Max-Age=0: forgotten). */
  _keep(setCookies) {
    for (const c of setCookies) {
      const [pair, ...attrs] = c.split(';');
      const i = pair.indexOf('=');
      const k = pair.slice(0, i).trim(), v = pair.slice(i + 1).trim();
      if (attrs.some((a) => /^\s*max-age\s*=\s*0\s*$/i.test(a)) || v === '') this.jar.delete(k);
      else this.jar.set(k, v);
    }
  }

  /** One request with this session's cookies (no Authorization header).  For a write
   * to /api/ the session's CSRF token goes in X-CSRF-Token unless `csrf: false` (or
   * another value is given). */
  async request(method, p, { json, body, headers = {}, csrf, record = true, timeout } = {}) {
    const h = { ...headers };
    if (this.jar.size && !Object.keys(h).some((k) => k.toLowerCase() === 'cookie')) h.Cookie = this.cookieHeader();
    const write = method !== 'GET' && method !== 'HEAD';
    if (write && p.startsWith('/api/') && csrf !== false) {
      const t = typeof csrf === 'string' ? csrf : await this.csrfToken();
      if (t) h['X-CSRF-Token'] = t;
    }
    let payload = body;
    if (json !== undefined) {
      payload = typeof json === 'string' ? json : JSON.stringify(json);
      if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) h['Content-Type'] = 'application/json';
    }
    const r = await httpExchange(this.srv.url(p), { method, headers: h, body: payload, localAddress: this.localAddress, timeout });
    this._keep(r.setCookies);
    if (record) this.srv._wrote(method, p, r, this.name);
    return r;
  }

  get(p, opts) { return this.request('GET', p, opts); }
  post(p, json, opts = {}) { return this.request('POST', p, { ...opts, json }); }
  patch(p, json, opts = {}) { return this.request('PATCH', p, { ...opts, json }); }
  del(p, opts) { return this.request('DELETE', p, opts); }

  /** The session's CSRF token, read once from a page's hidden _csrf field. */
  async csrfToken() {
    if (this.csrf) return this.csrf;
    if (!this.sid) return null;
    const r = await this.request('GET', '/account', { record: false });
    const m = /name="_csrf" value="([^"]*)"/.exec(r.text);
    this.csrf = m ? m[1] : null;
    return this.csrf;
  }

  /** A form POST (application/x-www-form-urlencoded).  fields: an object (arrays give
   * repeated names) or [name, value] pairs.  `_csrf` is added from the session unless
   * `csrf: false`, or as given when a string. */
  async form(p, fields = {}, { csrf, headers = {}, timeout } = {}) {
    const params = new URLSearchParams();
    const pairs = Array.isArray(fields) ? fields : Object.entries(fields).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]]));
    for (const [k, v] of pairs) params.append(k, v === null || v === undefined ? '' : String(v));
    if (csrf !== false && !params.has('_csrf')) {
      const t = typeof csrf === 'string' ? csrf : await this.csrfToken();
      if (t !== null) params.append('_csrf', t);
    }
    return this.request('POST', p, {
      body: params.toString(), headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers }, timeout,
    });
  }

  /** Posts the login form (name, password, next); keeps the cookie it sets. */
  async login(name, password, { next = '/' } = {}) {
    const r = await this.form('/login', { name, password, next }, { csrf: false });
    if (r.status === 303) {
      this.name = name;
      this.csrf = null;
    }
    return r;
  }

  /** POST /logout with the session's _csrf. */
  logout() {
    return this.form('/logout', {});
  }
}

/** One exchange with node:http(s) (no redirect followed, a new connection each
 * time, certificates not checked); answers {status, headers (a fetch Headers),
 * setCookies, text, json, body}. */
export function httpExchange(url, { method = 'GET', headers = {}, body, localAddress, timeout = 60000 } = {}) {
  const u = new URL(url);
  const lib = u.protocol === 'https:' ? https : http;
  const payload = body === undefined || body === null ? null : Buffer.isBuffer(body) ? body : Buffer.from(body);
  const h = { ...headers };
  if (payload && !Object.keys(h).some((k) => k.toLowerCase() === 'content-length')) h['Content-Length'] = String(payload.length);
  return new Promise((resolve, reject) => {
    const req = lib.request({
      host: u.hostname, port: u.port, path: u.pathname + u.search, method, headers: h, agent: false,
      localAddress, rejectUnauthorized: false, timeout,
    }, (res) => {
      const chunks = [];
      res.on('data', (d) => chunks.push(d));
      res.on('error', reject);
      res.on('end', () => {
        const buf = Buffer.concat(chunks);
        const hdrs = new Headers();
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          try { hdrs.append(res.rawHeaders[i], res.rawHeaders[i + 1]); } catch { /* a value Headers refuses */ }
        }
        const text = buf.toString('utf8');
        let parsed;
        try { parsed = text.length ? JSON.parse(text) : undefined; } catch { parsed = undefined; }
        resolve({ status: res.statusCode, headers: hdrs, setCookies: res.headers['set-cookie'] || [], text, body: buf, json: parsed });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${url}: no answer in ${timeout} ms`)));
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

let sqlite3Shell;
/** The sqlite3 shell's output for a command on the database file db, or null
 * without the shell (or the file). */
function sqlite3(db, command) {
  if (sqlite3Shell === undefined) {
    const r = spawnSync('sqlite3', ['-version'], { encoding: 'utf8' });
    sqlite3Shell = r.status === 0;
  }
  if (!sqlite3Shell || !existsSync(db)) return null;
  const r = spawnSync('sqlite3', [db, command], { encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, `sqlite3 ${command}: ${r.stderr}`);
  return r.stdout;
}

const dumpDb = (db) => sqlite3(db, '.dump');
// A hash of the database's bytes: its file and its write-ahead log (the wal-index,
// -shm, is memory the connections share, not data).  A write that commits changes one
// of them, a read neither; stricter than a hash of the rows, and read here rather than
// by a sqlite3 process for each check (the checks after each bad request were the
// costliest part of some files).  The dump says what differs.
function hashDb(db) {
  if (!existsSync(db)) return null;
  const h = createHash('sha1').update(readFileSync(db));
  if (existsSync(`${db}-wal`)) h.update(readFileSync(`${db}-wal`));
  return h.digest('hex');
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

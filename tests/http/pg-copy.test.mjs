// `suivi copy --from DB --to DB` moves a whole installation between SQLite and
// PostgreSQL, both ways: afterwards every collection has the same records on both
// sides — compared here through the API of a server on each side, version,
// created_at and updated_at included, and through the CSV export — and the command
// verifies that itself and says so (a line with "verified", exit 0).
// PostgreSQL only: skipped unless SUIVI_PG is set (tests/run sets it).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { PG, COLLECTIONS, cli, tempDir, createDatabase, dropDatabase, startServer, same, copyInstallation as copy } from './harness.mjs';

const skip = PG ? false : 'PostgreSQL only (SUIVI_PG is not set)';
// Every collection the API has, the read-only audit trail included: it moves too.
const ALL = [...COLLECTIONS, 'audit'];

const dirs = [];
const dbs = [];
const servers = [];
after(async () => {
  for (const s of servers) await s.cleanup();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  for (const db of dbs) dropDatabase(db);
});

function newDir() {
  const d = tempDir();
  dirs.push(d);
  return d;
}
function newPg() {
  const db = createDatabase();
  dbs.push(db);
  return db;
}
async function serve(db) {
  const s = await startServer({ db });
  servers.push(s);
  return s;
}
async function stopped(s) {
  servers.splice(servers.indexOf(s), 1);
  await s.stop();
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function created(srv, collection, body) {
  const r = await srv.post(`/api/v1/${collection}`, body);
  assert.equal(r.status, 201, `POST ${collection}: ${r.status} ${r.text}`);
  return r.json;
}
async function patched(srv, collection, key, body) {
  const cur = await srv.get(`/api/v1/${collection}/${key}`);
  assert.equal(cur.status, 200, `GET ${collection}/${key}`);
  const r = await srv.patch(`/api/v1/${collection}/${key}`, body, { headers: { 'If-Match': cur.headers.get('etag') } });
  assert.equal(r.status, 200, `PATCH ${collection}/${key}: ${r.status} ${r.text}`);
  return r.json;
}
async function deleted(srv, collection, key) {
  const r = await srv.del(`/api/v1/${collection}/${key}`);
  assert.equal(r.status, 204, `DELETE ${collection}/${key}: ${r.status} ${r.text}`);
}

// Writes through the API so that the data are not just a fresh demo: versions above
// 1, updated_at after created_at, gaps in ids (the last id of a collection
// deleted), link rows (cochairs, delegations, themes), text that tests quoting.
async function history(srv, tag) {
  const tricky = `${tag}: "quoted", comma, semi;colon, it's, back\\slash, tab\there,\nnew line, émoji 🌍, عربي`;
  const t = await created(srv, 'themes', { code: `copy_${tag}`, name: { fr: `Thème ${tag}`, en: tricky, ar: 'موضوع' } });
  const c = await created(srv, 'countries', { code: tag === 'sqlite' ? 'XK' : 'XZ', iso3: tag === 'sqlite' ? 'XKX' : 'XZZ', m49: '999', name: { en: `Country ${tag}` } });
  const o = await created(srv, 'organisations', { name: { en: tricky, fr: `Organisation ${tag}` }, acronym: `O-${tag}`, type: '21', country: c.code });
  const p = await created(srv, 'persons', { name: `Person ${tag}`, title: { en: 'Head' }, organisation: o.id });
  const m = await created(srv, 'meetings', { kind: 'workshop', title: { fr: `Atelier ${tag}`, ar: 'ورشة' }, start_date: '2025-05-05',
    end_date: '2025-05-06', venue: 'Rabat', country: 'MA', cochairs: [p.id, 1], delegations: [o.id, 2], edition: 2 });
  const out = await created(srv, 'outcomes', { meeting: m.id, number: 1, kind: 'commitment', text: { en: tricky }, themes: [t.code, 'maritime_security'] });
  const a1 = await created(srv, 'actions', { outcome: out.id, owner: o.id, title: { en: `Action ${tag}` }, due_date: '2020-01-01', status: 'in_progress', percent: 5 });
  const a2 = await created(srv, 'actions', { outcome: out.id, title: { en: `Doomed ${tag}` } });
  await created(srv, 'action_updates', { action: a1.id, date: '2025-06-01', note: { fr: `Note ${tag}` }, percent: 30 });
  await sleep(1100); // updated_at (seconds) after created_at
  await patched(srv, 'actions', a1.id, { percent: 45, title: { en: `Action ${tag}`, fr: `Action ${tag} (fr)` } });
  await patched(srv, 'actions', a1.id, { status: 'in_progress', percent: 50 });
  await patched(srv, 'meetings', m.id, { venue: 'Dakar', cochairs: [p.id] });
  await patched(srv, 'countries', 'SN', { name: { fr: 'Sénégal', en: 'Senegal', ar: 'السنغال' } });
  await patched(srv, 'themes', t.code, { name: { en: `Theme ${tag}` } });
  await deleted(srv, 'actions', a2.id); // the highest action id: a gap at the end
  return { deletedAction: a2.id };
}

/** Every record of every collection through the API, and every CSV export. */
async function contents(srv) {
  const snap = await srv.snapshot();
  delete snap.sqlite;
  snap.audit = await srv.all('audit', 'q=&q=&q=&q=');
  const csv = {};
  for (const c of ALL) {
    const r = await srv.get(`/api/v1/${c}.csv?q=&q=&q=`); // not from the cache of an earlier read
    assert.equal(r.status, 200, `GET /api/v1/${c}.csv`);
    csv[c] = r.text;
  }
  return { records: snap, csv };
}

// Accounts and API tokens are not collections: a server on a copy gets its own admin
// and token (tests/http/harness.mjs), which leave audit rows of their own after the
// copied ones.  Those are set aside before comparing.
const ACCESS = ['account', 'api_token'];
function withoutLaterAccess(got, want) {
  const top = Math.max(0, ...want.records.audit.map((r) => r.id));
  const later = got.records.audit.filter((r) => r.id > top);
  for (const r of later) assert.ok(ACCESS.includes(r.entity), `an audit row after the copied ones that is not about access: ${JSON.stringify(r).slice(0, 300)}`);
  const lines = want.csv.audit.split('\n').length;
  return {
    records: { ...got.records, audit: got.records.audit.filter((r) => r.id <= top) },
    csv: { ...got.csv, audit: got.csv.audit.split('\n').slice(0, lines - 1).join('\n') + (lines > 1 ? '\n' : '') },
  };
}

function assertSameContents(got, want, what) {
  got = withoutLaterAccess(got, want);
  for (const c of ALL) {
    assert.equal(got.records[c].length, want.records[c].length, `${what}: number of ${c}`);
    const byKey = (rs) => new Map(rs.map((r) => [String(r.id ?? r.code), r]));
    const g = byKey(got.records[c]);
    for (const [k, r] of byKey(want.records[c])) same(g.get(k), r, `${what}: ${c} ${k}`);
    same(got.records[c].map((r) => r.id ?? r.code), want.records[c].map((r) => r.id ?? r.code), `${what}: ${c} in the same order`);
    assert.equal(got.csv[c], want.csv[c], `${what}: the CSV of ${c} is the same`);
  }
}


let sqliteFile = null; // the installation copied to PostgreSQL
let sqliteContents = null;
let sqliteMaxAction = 0; // the highest action id the SQLite installation ever used
let pgDb = null; // ... and its copy
let pgMaxAction = 0;
let backFile = null; // the copy back to SQLite

test('copy SQLite → PostgreSQL: every collection the same, through the API and the CSV', { skip }, async () => {
  sqliteFile = path.join(newDir(), 'source.db');
  assert.equal(cli(['demo', '--db', sqliteFile]).status, 0);
  const src = await serve(sqliteFile);
  const h = await history(src, 'sqlite');
  sqliteMaxAction = h.deletedAction;
  sqliteContents = await contents(src);
  assert.ok(sqliteContents.records.actions.some((a) => a.version > 2), 'versions above 1 to copy');
  assert.ok(sqliteContents.records.audit.length > 300, 'an audit trail to copy');
  await stopped(src);

  pgDb = newPg();
  const r = copy(sqliteFile, pgDb);
  const dst = await serve(pgDb);
  assertSameContents(await contents(dst), sqliteContents, 'PostgreSQL after the copy');
  await stopped(dst);
  // The source is left as it was.
  const again = await serve(sqliteFile);
  assertSameContents(await contents(again), sqliteContents, 'the SQLite source after the copy');
  await stopped(again);
  assert.equal(r.status, 0);
});

test('after a copy to PostgreSQL, new records get new ids (never one used before)', { skip }, async () => {
  assert.ok(pgDb, 'the copy above ran');
  const dst = await serve(pgDb);
  const before = await dst.all('actions');
  const x = await created(dst, 'actions', { outcome: 1, title: { en: 'After the copy' } });
  assert.ok(x.id > Math.max(...before.map((a) => a.id)), `a new id: ${x.id}`);
  assert.ok(x.id > sqliteMaxAction, `id ${x.id} was used (and deleted) in the source: ids are never reused`);
  const t = await created(dst, 'themes', { code: 'after_copy', name: { en: 'After' } });
  assert.equal(t.code, 'after_copy');
  assertError409(await dst.post('/api/v1/countries', { code: 'SN', iso3: 'SEN', m49: '686', name: { en: 'Again' } }));
  await stopped(dst);
});

function assertError409(r) {
  assert.equal(r.status, 409, `a copied key is taken: ${r.status} ${r.text}`);
}

test('copy PostgreSQL → SQLite: every collection the same, through the API and the CSV', { skip }, async () => {
  assert.ok(pgDb, 'the copy above ran');
  const src = await serve(pgDb);
  const h = await history(src, 'pg');
  pgMaxAction = h.deletedAction;
  const want = await contents(src);
  await stopped(src);

  const file = path.join(newDir(), 'back.db');
  copy(pgDb, file);
  assert.ok(existsSync(file), 'the SQLite file was made');
  backFile = file;
  const dst = await serve(file);
  assertSameContents(await contents(dst), want, 'SQLite after the copy back');
  await stopped(dst);
});

test('after a copy to SQLite, new records get new ids (never one used before)', { skip }, async () => {
  assert.ok(backFile, 'the copy above ran');
  const dst = await serve(backFile);
  const before = await dst.all('actions');
  const x = await created(dst, 'actions', { outcome: 1, title: { en: 'After the copy back' } });
  assert.ok(x.id > Math.max(...before.map((a) => a.id)), `a new id: ${x.id}`);
  assert.ok(x.id > pgMaxAction, `id ${x.id} was used (and deleted) in the source: ids are never reused`);
  await stopped(dst);
});

test('copy into a database that holds data is refused, with one line, and changes nothing', { skip }, async () => {
  assert.ok(pgDb && sqliteFile, 'the copies above ran');
  const before = {};
  for (const c of ALL) before[c] = cli(['export', 'csv', c, '--db', pgDb]).stdout;
  const r = cli(['copy', '--from', sqliteFile, '--to', pgDb]);
  assert.notEqual(r.status, 0, 'copy into a non-empty database');
  assert.doesNotMatch(r.stdout, /verified/);
  const lines = r.stderr.split('\n').filter((l) => l.length);
  assert.equal(lines.length, 1, `one line on stderr:\n${r.stderr}`);
  for (const c of ALL) assert.equal(cli(['export', 'csv', c, '--db', pgDb]).stdout, before[c], `${c} unchanged`);
  // An initialised database (reference data) is not empty either.
  const init = newPg();
  assert.equal(cli(['init', '--db', init]).status, 0);
  const i = cli(['copy', '--from', sqliteFile, '--to', init]);
  assert.notEqual(i.status, 0, 'copy into an initialised database');
});

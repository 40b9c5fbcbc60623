// A list exported as CSV, edited in a spreadsheet and imported back (issue 15, item 3):
// `suivi import COLLECTION FILE [--dry-run]`, POST /api/v1/COLLECTION/import
// [?dry_run=true] and the import pages' "Check without importing".  A row with an id
// updates exactly that record, unless the record changed since the export (its
// version: refused on that row's line, nothing written); a row without one is
// created; labels, computed columns and times are accepted and not written; a
// dry run counts and writes nothing.  Both backends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { useServer, useTempDirs, cli, demoDb, parseCsv, assertError } from './harness.mjs';

const srv = useServer();
const fresh = useTempDirs();

const csvPost = (p, text, opts = {}) => srv.request('POST', p, {
  body: Buffer.from(text, 'utf8'), headers: { 'Content-Type': 'text/csv; charset=utf-8' }, ...opts,
});

/** A CSV text from rows (arrays of cells), quoted where needed. */
function toCsv(rows) {
  const cell = (v) => (/[",;\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  return rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** The CSV export of a collection as rows, and the index of each column. */
function exported(db, collection) {
  const r = cli(['export', 'csv', collection, '--db', db]);
  assert.equal(r.status, 0, r.stderr);
  const rows = parseCsv(r.stdout);
  const col = Object.fromEntries(rows[0].map((h, i) => [h, i]));
  return { rows, col, text: r.stdout };
}

function importFile(db, collection, text, ...flags) {
  const file = path.join(fresh(), `${collection}.csv`);
  writeFileSync(file, text);
  return cli(['import', collection, file, '--db', db, ...flags]);
}

test('an export imported back as it is changes nothing: every row unchanged, for every collection', async () => {
  for (const c of ['countries', 'themes', 'organisations', 'persons', 'meetings', 'outcomes', 'actions',
    'needs', 'programmes', 'courses', 'sessions', 'participants', 'enrolments']) {
    const before = await srv.get(`/api/v1/${c}.csv`);
    assert.equal(before.status, 200);
    const rows = parseCsv(before.text).length - 1;
    const r = await csvPost(`/api/v1/${c}/import`, before.text);
    assert.equal(r.status, 200, `${c}: ${r.text.slice(0, 500)}`);
    assert.equal(r.json.created, 0, c);
    assert.equal(r.json.updated, 0, c);
    assert.equal(r.json.unchanged, rows, c);
    assert.equal((await srv.get(`/api/v1/${c}.csv?q=`)).text, before.text, `${c}: the export is the same after the import`);
  }
});

test('needs: two rows edited and one added; the dry run writes nothing, the import exactly that', () => {
  const db = demoDb(fresh(), 'edit');
  const { rows, col, text } = exported(db, 'needs');
  const edited = rows.map((r) => [...r]);
  edited[1][col.severity] = edited[1][col.severity] === '5' ? '4' : '5';
  edited[2][col.description_en] = ''; // an emptied cell clears the text
  const added = [...rows[1]];
  added[col.id] = '';
  added[col.version] = '';
  added[col.assessed_on] = '2026-11-30';
  added[col.label] = 'whatever the label column says: not read';
  edited.push(added);
  const file = toCsv(edited);

  const dry = importFile(db, 'needs', file, '--dry-run');
  assert.equal(dry.status, 0, dry.stderr);
  assert.match(dry.stdout, /dry run, nothing written: 1 needs assessments would be created, 2 updated, \d+ unchanged/);
  assert.equal(exported(db, 'needs').text, text, 'a dry run writes nothing');

  const r = importFile(db, 'needs', file);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`1 needs assessments created, 2 updated, ${rows.length - 3} unchanged`));
  const after = exported(db, 'needs');
  assert.equal(after.rows.length, rows.length + 1);
  const byId = new Map(after.rows.slice(1).map((x) => [x[col.id], x]));
  for (const row of rows.slice(1)) {
    const now = byId.get(row[col.id]);
    const changed = row === rows[1] || row === rows[2];
    assert.equal(now[col.version], changed ? String(Number(row[col.version]) + 1) : row[col.version], `need ${row[col.id]}: version`);
  }
  assert.equal(byId.get(rows[1][col.id])[col.severity], edited[1][col.severity]);
  assert.equal(byId.get(rows[2][col.id])[col.description_en], '');
  assert.equal(byId.get(rows[2][col.id])[col.description_fr], rows[2][col.description_fr], 'the other languages stay');
  const audit = cli(['audit', '--entity', 'needs', '--db', db]);
  assert.equal((audit.stdout.match(/\bupdate\b/g) || []).length, 2, `two update entries:\n${audit.stdout.slice(-2000)}`);

  // The same file again: its two edited rows are now stale (their version is the old one).
  const stale = importFile(db, 'needs', file);
  assert.equal(stale.status, 1);
  assert.match(stale.stderr, /needs\.csv:2: version has changed since this file was exported/);
  assert.match(stale.stderr, /needs\.csv:3: version has changed since this file was exported/);
  assert.match(stale.stderr, /nothing imported: 2 problems/);
  assert.equal(exported(db, 'needs').text, after.text, 'a refused file writes nothing, not even its good rows');
});

test('a row naming a record that does not exist, or with a bad version, is refused on its line', () => {
  const db = demoDb(fresh(), 'bad');
  const { rows, col } = exported(db, 'actions');
  const bad = [rows[0], [...rows[1]], [...rows[2]]];
  bad[1][col.id] = '999999';
  bad[2][col.version] = 'two';
  const r = importFile(db, 'actions', toCsv(bad));
  assert.equal(r.status, 1);
  assert.match(r.stderr, /actions\.csv:2: id refers to a record that does not exist: 999999/);
  assert.match(r.stderr, /actions\.csv:3: version must be a positive integer/);
  // A file that names its records may give some columns only; a new row in it still
  // needs the required ones.
  const part = importFile(db, 'actions', `id,percent\r\n${rows[1][col.id]},40\r\n,40\r\n`);
  assert.equal(part.status, 1);
  assert.match(part.stderr, /actions\.csv:3: outcome is required/);
  assert.doesNotMatch(part.stderr, /actions\.csv:2:/);
  // Blanks around a number, as spreadsheets leave them, are not part of it.
  const spaced = importFile(db, 'actions', `id,version,percent\r\n ${rows[1][col.id]} , ${rows[1][col.version]} ,41\r\n`);
  assert.equal(spaced.status, 0, spaced.stderr);
  assert.match(spaced.stdout, /0 actions created, 1 updated, 0 unchanged/);
});

test('reference data by code: a country named by its code is updated, not created again', () => {
  const db = demoDb(fresh(), 'code');
  const { rows, col } = exported(db, 'countries');
  const sn = rows.findIndex((x) => x[col.code] === 'SN');
  const edited = [rows[0], [...rows[sn]]];
  edited[1][col.name_ar] = 'جمهورية السنغال';
  const r = importFile(db, 'countries', toCsv(edited));
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /0 countries created, 1 updated, 0 unchanged/);
  const now = exported(db, 'countries');
  assert.equal(now.rows.find((x) => x[col.code] === 'SN')[col.name_ar], 'جمهورية السنغال');
});

test('a text the export guarded against formulas (=…) comes back as it was', () => {
  const db = demoDb(fresh(), 'formula');
  const { rows, col } = exported(db, 'persons');
  const edited = [rows[0], [...rows[1]]];
  edited[1][col.phone] = '+212 5 37 00 00 00';
  assert.equal(importFile(db, 'persons', toCsv(edited)).status, 0);
  const once = exported(db, 'persons');
  const row = once.rows.find((x) => x[col.id] === rows[1][col.id]);
  assert.equal(row[col.phone], "'+212 5 37 00 00 00", 'the export guards the cell');
  const again = importFile(db, 'persons', once.text);
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, /0 persons created, 0 updated, \d+ unchanged/, 'the guard is not taken for a change');
});

// ---- the API -----------------------------------------------------------------------------------

test('API: POST /api/v1/actions/import?dry_run=true counts; without it, updates; a stale row is a 422 on its line', async () => {
  const csv = await srv.get('/api/v1/actions.csv');
  assert.equal(csv.status, 200);
  const rows = parseCsv(csv.text);
  const col = Object.fromEntries(rows[0].map((h, i) => [h, i]));
  const edited = [rows[0], [...rows[1]], [...rows[2]]];
  edited[1][col.percent] = String((Number(edited[1][col.percent]) + 7) % 100);
  const text = toCsv(edited);

  const dry = await csvPost('/api/v1/actions/import?dry_run=true', text);
  assert.equal(dry.status, 200, dry.text);
  assert.deepEqual(dry.json, { imported: 0, rows: 2, created: 0, updated: 1, unchanged: 1, dry_run: true });
  assert.equal((await srv.getJSON(`/api/v1/actions/${rows[1][col.id]}`)).version, Number(rows[1][col.version]));

  const r = await csvPost('/api/v1/actions/import?name=actions-edited.csv', text);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { imported: 1, rows: 2, created: 0, updated: 1, unchanged: 1, dry_run: false });
  const now = await srv.getJSON(`/api/v1/actions/${rows[1][col.id]}`);
  assert.equal(now.percent, Number(edited[1][col.percent]));
  assert.equal(now.version, Number(rows[1][col.version]) + 1);

  const stale = await csvPost('/api/v1/actions/import', text);
  assertError(stale, 422, 'invalid');
  assert.equal(stale.json.error.rows.length, 1);
  assert.deepEqual({ ...stale.json.error.rows[0], message: undefined },
    { line: 2, field: 'version', column: 'version', message: undefined });

  assertError(await csvPost('/api/v1/actions/import?dry_run=perhaps', text), 400, 'bad_query');
  // written by suivi only; made by uploading files; an update's percentage goes to its action
  for (const c of ['audit', 'documents', 'action_updates']) {
    assertError(await csvPost(`/api/v1/${c}/import`, 'id\r\n1\r\n'), 405, 'method_not_allowed', `${c} are not imported`);
  }
});

test('API: a donor may not import actions; a focal point may not update another country\'s need', async () => {
  srv.addUser('rt.donor', 'donor', { organisation: 5 });
  const donor = srv.addToken('rt.donor').token;
  const r = await csvPost('/api/v1/actions/import', 'id,percent\r\n1,50\r\n', { auth: donor });
  assertError(r, 403, 'forbidden');
  srv.addUser('rt.focal', 'focal', { country: 'MA' });
  const focal = srv.addToken('rt.focal').token;
  const other = (await srv.all('needs', 'country=SN'))[0];
  assert.ok(other, 'a need of Senegal');
  const f = await csvPost('/api/v1/needs/import', `id,version,severity\r\n${other.id},${other.version},1\r\n`, { auth: focal });
  assertError(f, 422, 'invalid');
  assert.equal(f.json.error.rows[0].line, 2, JSON.stringify(f.json));
  assert.equal((await srv.getJSON(`/api/v1/needs/${other.id}`)).severity, other.severity, 'unchanged');
});

// ---- the page -----------------------------------------------------------------------------------

test('page: "Check without importing" says what would change, in the reader\'s language, and writes nothing', async () => {
  const admin = await srv.login('admin', srv.adminPassword, { cookies: { lang: 'fr' } });
  const csv = await srv.get('/api/v1/needs.csv');
  const rows = parseCsv(csv.text);
  const col = Object.fromEntries(rows[0].map((h, i) => [h, i]));
  const edited = [rows[0], [...rows[1]]];
  edited[1][col.reference] = 'Checked on the page';
  const text = toCsv(edited);
  const page = await admin.get('/needs/import');
  assert.match(page.text, /Vérifier sans importer/);
  const check = await admin.form('/needs/import', { csv: text, name: 'needs.csv', dry_run: 'true' });
  assert.equal(check.status, 200, check.text.slice(0, 500));
  assert.match(check.text, /rien n’est encore enregistré\s*: 0 enregistrements seraient créés, 1 modifiés et 0 laissés inchangés/);
  assert.match(check.text, /Checked on the page/, 'the text comes back in the form, for Import');
  assert.notEqual((await srv.getJSON(`/api/v1/needs/${rows[1][col.id]}`)).reference, 'Checked on the page');
  const done = await admin.form('/needs/import', { csv: text, name: 'needs.csv' });
  assert.equal(done.status, 200);
  assert.match(done.text, /0 enregistrements créés, 1 modifiés et 0 laissés inchangés/);
  assert.equal((await srv.getJSON(`/api/v1/needs/${rows[1][col.id]}`)).reference, 'Checked on the page');
});

test('page: every list that can be imported links to its import page, which checks, then imports', async () => {
  const admin = await srv.login();
  const list = await admin.get('/actions');
  assert.match(list.text, /<a href="\/actions\/import">/, 'the list links to its import');
  assert.doesNotMatch((await admin.get('/audit')).text, /href="\/audit\/import"/, 'not the audit trail');
  const form = await admin.get('/actions/import');
  assert.equal(form.status, 200);
  assert.match(form.text, /<form method="post" action="\/actions\/import"/);
  const one = (await srv.all('actions'))[0];
  const text = `id,version,percent\r\n${one.id},${one.version},${(one.percent + 3) % 100}\r\n`;
  const check = await admin.form('/actions/import', { csv: text, dry_run: 'true' });
  assert.equal(check.status, 200);
  assert.match(check.text, /role="status" class="ok"/);
  assert.equal((await srv.getJSON(`/api/v1/actions/${one.id}`)).version, one.version, 'a check writes nothing');
  const done = await admin.form('/actions/import', { csv: text });
  assert.equal(done.status, 200);
  assert.match(done.text, /href="\/actions"/, 'the way back to the list');
  assert.equal((await srv.getJSON(`/api/v1/actions/${one.id}`)).percent, (one.percent + 3) % 100);
  const bad = await admin.form('/actions/import', { csv: text }); // the same file again: stale
  assert.equal(bad.status, 422);
  assert.match(bad.text, /<td>2<\/td><td>version<\/td>/, 'the problem on its line and column');
  assert.equal((await admin.get('/documents/import')).status, 405);
  srv.addUser('rt.donor.page', 'donor', { organisation: 5 });
  const donor = await srv.login('rt.donor.page', 'user-password-of-the-tests');
  assert.equal((await donor.get('/actions/import')).status, 403);
});

test('sets of references come back as the export joins them (;), a new country by its code is created, a conflict is told on its line', () => {
  const db = demoDb(fresh(), 'sets');
  const p = exported(db, 'programmes');
  const edited = [p.rows[0], [...p.rows[1]]];
  edited[1][p.col.countries] = 'BF;ML';
  const r = importFile(db, 'programmes', toCsv(edited));
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /0 programmes created, 1 updated, 0 unchanged/);
  const now = exported(db, 'programmes').rows.find((x) => x[p.col.id] === p.rows[1][p.col.id]);
  assert.equal(now[p.col.countries], 'BF;ML', 'the set as edited');
  const added = [p.rows[0], [...p.rows[1]]];
  added[1][p.col.id] = '';
  added[1][p.col.version] = '';
  added[1][p.col.iati_identifier] = 'XX-SAMPLE-ROUND-TRIP-1';
  added[1][p.col.countries] = 'SN;MA';
  const n = importFile(db, 'programmes', toCsv(added));
  assert.equal(n.status, 0, n.stderr);
  const made = exported(db, 'programmes').rows.find((x) => x[p.col.iati_identifier] === 'XX-SAMPLE-ROUND-TRIP-1');
  assert.ok(made, 'a new programme');
  assert.equal(made[p.col.countries], 'MA;SN', 'with its set');

  const c = importFile(db, 'countries', 'code,iso3,m49,name_fr,name_en\r\nXK,XKX,999,Kosovo (exemple),Kosovo (sample)\r\n');
  assert.equal(c.status, 0, c.stderr);
  assert.match(c.stdout, /1 countries imported/);
  assert.ok(exported(db, 'countries').rows.some((x) => x[0] === 'XK'), 'created with its code');

  // An enrolment moved onto the participant and session of another: the pair is unique.
  const en = exported(db, 'enrolments');
  const clash = [en.rows[0], [...en.rows[2]]];
  clash[1][en.col.participant] = en.rows[1][en.col.participant];
  clash[1][en.col.session] = en.rows[1][en.col.session];
  const before = cli(['export', 'csv', 'enrolments', '--db', db]).stdout;
  const u = importFile(db, 'enrolments', toCsv(clash));
  assert.equal(u.status, 1);
  assert.match(u.stderr, /enrolments\.csv:2: .*(conflicts with another record|already enrolled)/, u.stderr);
  assert.equal(cli(['export', 'csv', 'enrolments', '--db', db]).stdout, before, 'nothing written');

  const guarded = exported(db, 'persons');
  const q = [guarded.rows[0], [...guarded.rows[1]]];
  q[1][guarded.col.phone] = "'quoted on purpose";
  assert.equal(importFile(db, 'persons', toCsv(q)).status, 0);
  const again = exported(db, 'persons');
  assert.equal(again.rows[1][guarded.col.phone], "''quoted on purpose", 'a leading apostrophe is guarded too');
  const back = importFile(db, 'persons', again.text);
  assert.match(back.stdout, /0 persons created, 0 updated, \d+ unchanged/, 'and comes back as it was');
});

// Spreadsheet export (issue 15, items 1 and 6): GET /api/v1/COLLECTION.xlsx (what the
// list shows, filtered) and `suivi export xlsx COLLECTION`, read back by a real
// spreadsheet library (Debian's python3-openpyxl, xlsx-read.py): the CSV's columns,
// typed cells (numbers, dates, times, yes/no), the header frozen and filtered, a sheet
// named by the collection in the reader's language, right to left in Arabic.  Both
// backends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { useServer, useTempDirs, cli, parseCsv, ROOT } from './harness.mjs';

const srv = useServer();
const fresh = useTempDirs();
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** What openpyxl reads in the workbook bytes. */
function read(bytes) {
  const file = path.join(fresh(), 'book.xlsx');
  writeFileSync(file, bytes);
  const r = spawnSync('/usr/bin/python3', [path.join(ROOT, 'tests/http/xlsx-read.py'), file], { encoding: 'utf8' });
  assert.equal(r.status, 0, `openpyxl could not read the workbook: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** A typed cell as the CSV writes its value. */
function asCsv(c) {
  if (c === null) return '';
  if ('b' in c) return c.b ? 'true' : 'false';
  if ('n' in c) return String(c.n);
  if ('d' in c) return c.d;
  if ('t' in c) return `${c.t}Z`;
  return c.s;
}

test('GET /api/v1/needs.xlsx: the CSV\'s columns and rows, typed, header frozen and filtered', async () => {
  const [x, c] = [await srv.get('/api/v1/needs.xlsx?country=MA'), await srv.get('/api/v1/needs.csv?country=MA')];
  assert.equal(x.status, 200, x.text);
  assert.equal(x.headers.get('content-type'), XLSX);
  assert.match(x.headers.get('content-disposition'), /attachment; filename="needs\.xlsx"/);
  const book = read(x.body);
  assert.equal(book.sheets.length, 1);
  const [sheet] = book.sheets;
  const csv = parseCsv(c.text);
  assert.ok(csv.length > 2, 'Morocco has needs in the demo');
  assert.deepEqual(sheet.rows[0].map(asCsv), csv[0], 'the same header');
  assert.equal(sheet.rows.length, csv.length, 'the same rows (the filter applied)');
  assert.equal(sheet.freeze, 'A2', 'the header row stays in view');
  const last = String.fromCharCode(64 + csv[0].length);
  assert.equal(sheet.filter, `A1:${last}${csv.length}`, 'a filter over the whole table');
  assert.equal(sheet.rtl, false);
  assert.equal(sheet.title, 'Évaluations des besoins', 'the sheet is named in the reader\'s language (French by default)');
  const col = Object.fromEntries(csv[0].map((h, i) => [h, i]));
  for (let r = 1; r < csv.length; r++) {
    const row = sheet.rows[r];
    assert.deepEqual(row.map(asCsv), csv[r].map((v) => v.replace(/^'(?=[=+\-@])/, '')), `row ${r} holds the CSV's values`);
    assert.ok('n' in row[col.id] && 'n' in row[col.severity] && 'n' in row[col.version], 'numbers are numbers');
    assert.ok('d' in row[col.assessed_on], 'a date is a date');
    assert.ok('t' in row[col.created_at], 'a time is a date and time');
    assert.ok('b' in row[col.sample], 'yes/no is a boolean');
    assert.ok('s' in row[col.country], 'a code is text');
  }
});

test('an amount of money is followed by its written form: the reader\'s in a CSV, its currency\'s format in a sheet', async () => {
  const prog = await srv.post('/api/v1/programmes', { title: { en: 'Money format test' }, budget: 123456789, currency: 'USD', sample: true });
  assert.equal(prog.status, 201, prog.text);
  const tx = await srv.post('/api/v1/transactions', { programme: prog.json.id, kind: 'commitment', date: '2026-01-15', amount: 1500000, currency: 'XOF', sample: true });
  assert.equal(tx.status, 201, tx.text);
  const csv = parseCsv((await srv.request('GET', `/api/v1/programmes.csv?q=Money+format`, { headers: { Cookie: 'lang=fr' } })).text);
  const at = csv[0].indexOf('budget_label');
  assert.equal(csv[0][at - 1], 'currency', 'after the currency');
  assert.equal(csv[1][at], '1\u202f234\u202f567,89\u00a0USD');
  const sheet = read((await srv.get(`/api/v1/programmes.xlsx?q=Money+format`)).body).sheets[0];
  assert.deepEqual(sheet.rows[1][sheet.rows[0].findIndex((c) => c.s === 'budget_label')], { n: 1234567.89, f: '#,##0.00 "USD"' });
  assert.deepEqual(sheet.rows[1][sheet.rows[0].findIndex((c) => c.s === 'budget')], { n: 123456789 }, 'the amount itself in minor units, as the API');
  const txs = read((await srv.get(`/api/v1/transactions.xlsx?programme=${prog.json.id}`)).body).sheets[0];
  assert.deepEqual(txs.rows[1][txs.rows[0].findIndex((c) => c.s === 'amount_label')], { n: 1500000, f: '#,##0 "XOF"' }, 'a currency without minor unit');
});

test('in Arabic the sheet reads right to left and the labels are Arabic', async () => {
  const s = srv.visitor({ cookies: { lang: 'ar' } });
  const x = await s.request('GET', '/api/v1/actions.xlsx', { headers: { Authorization: `Bearer ${srv.token}` } });
  assert.equal(x.status, 200);
  const [sheet] = read(x.body).sheets;
  assert.equal(sheet.rtl, true);
  assert.match(sheet.title, /[\u0600-\u06FF]/, `an Arabic sheet name: ${sheet.title}`);
  const col = sheet.rows[0].findIndex((c) => c && c.s === 'outcome_label');
  assert.ok(sheet.rows.slice(1).some((r) => r[col] && /[\u0600-\u06FF]/.test(r[col].s)), 'Arabic labels');
});

test('suivi export xlsx writes the same workbook as the API; a focal point exports only its country', async () => {
  const file = path.join(fresh(), 'actions.xlsx');
  const r = cli(['export', 'xlsx', 'actions', '--db', srv.db, '--out', file]);
  assert.equal(r.status, 0, r.stderr);
  const cliRows = read(readFileSync(file)).sheets[0].rows;
  const apiRows = read((await srv.get('/api/v1/actions.xlsx')).body).sheets[0].rows;
  assert.deepEqual(cliRows, apiRows);

  srv.addUser('xlsx.focal', 'focal', { country: 'SN' });
  const focal = srv.addToken('xlsx.focal').token;
  const mine = await srv.request('GET', '/api/v1/needs.xlsx', { auth: focal });
  assert.equal(mine.status, 200);
  const rows = read(mine.body).sheets[0].rows;
  const country = rows[0].findIndex((c) => c && c.s === 'country');
  assert.ok(rows.length > 1);
  assert.ok(rows.slice(1).every((row) => row[country].s === 'SN'), 'only Senegal\'s needs');

  const bad = cli(['export', 'xlsx', 'nothing', '--db', srv.db]);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /no collection named 'nothing'/);
  assert.equal((await srv.get('/api/v1/nothing.xlsx')).status, 404);
});

test('the list pages offer the export to Excel, with the list\'s filter', async () => {
  const admin = await srv.login();
  const page = await admin.get('/needs?country=MA');
  assert.equal(page.status, 200);
  assert.match(page.text, /href="\/api\/v1\/needs\.xlsx\?[^"]*country=MA[^"]*" download>/);
});

test('the follow-up board and the gap analysis have Excel twins of their CSV files, linked from their pages', async () => {
  for (const [file, page, sheet] of [['/board', '/board?status=in_progress', 'Tableau de suivi'], ['/needs/gaps', '/needs/gaps', 'Analyse des lacunes']]) {
    const query = file === '/board' ? '?status=in_progress' : '';
    const c = await srv.get(`${file}.csv${query}`);
    const x = await srv.get(`${file}.xlsx${query}`);
    assert.equal(x.status, 200, `${file}.xlsx: ${x.text.slice(0, 200)}`);
    assert.equal(x.headers.get('content-type'), XLSX);
    const csv = parseCsv(c.text.replace(/^\uFEFF/, ''));
    const [s] = read(x.body).sheets;
    assert.ok(csv.length > 1, `${file}: rows in the demo`);
    assert.deepEqual(s.rows.map((r) => r.map(asCsv)), csv, `${file}: the same table as the CSV`);
    assert.equal(s.title, sheet);
    assert.equal(s.freeze, 'A2');
    const admin = await srv.login();
    assert.match((await admin.get(page)).text, new RegExp(`href="${file.replace('/', '\\/')}\\.xlsx[^"]*" download>`));
  }
});

test('every figure of the training dashboard has an Excel twin, as the public sees it (rounded, small groups hidden)', async () => {
  const visitor = srv.visitor();
  for (const figure of ['totals', 'country', 'sex', 'theme', 'year', 'course', 'agency']) {
    const c = await visitor.get(`/training/${figure}.csv?year=2025`);
    const x = await visitor.get(`/training/${figure}.xlsx?year=2025`);
    assert.equal(x.status, 200, `${figure}: ${x.status}`);
    const [sheet] = read(x.body).sheets;
    // (a number is the CSV's to the decimals the CSV writes: 16.0 there is 16 here)
    const csv = parseCsv(c.text.replace(/^\uFEFF/, ''));
    assert.deepEqual(sheet.rows.map((r, i) => r.map((cell, j) => (cell && 'n' in cell && Number(csv[i][j]) === cell.n ? csv[i][j] : asCsv(cell)))),
      csv, `${figure}: the CSV's table`);
    const col = sheet.rows[0].findIndex((h) => h.s === 'enrolments');
    assert.ok(sheet.rows.slice(1).every((r) => r[col] === null || 'n' in r[col]), `${figure}: counts are numbers`);
  }
  assert.equal((await visitor.get('/training/needs.xlsx')).status, 403, 'the needs are not public');
  const page = await visitor.get('/training');
  assert.match(page.text, /href="\/training\/country\.xlsx\?[^"]*" download>/);
});

test('the needs matrix as CSV and XLSX: a row per country, a column per theme, the latest severity', async () => {
  const c = await srv.get('/needs/matrix.csv');
  const x = await srv.get('/needs/matrix.xlsx');
  assert.equal(c.status, 200);
  assert.equal(x.status, 200);
  const csv = parseCsv(c.text.replace(/^\uFEFF/, ''));
  const themes = (await srv.all('themes')).map((t) => t.code);
  assert.deepEqual(csv[0].slice(2).sort(), [...themes].sort(), 'a column per theme');
  assert.equal(csv.length - 1, 54, 'a row per African State');
  const [sheet] = read(x.body).sheets;
  assert.deepEqual(sheet.rows.map((r) => r.map(asCsv)), csv);
  const latest = await srv.getJSON('/api/v1/needs/latest?country=SN');
  const sn = csv.find((r) => r[0] === 'SN');
  for (const cell of latest.items || latest.cells || []) {
    if (cell.theme && cell.severity) assert.equal(sn[csv[0].indexOf(cell.theme)], String(cell.severity), `SN ${cell.theme}`);
  }
  const admin = await srv.login();
  assert.match((await admin.get('/needs/matrix')).text, /href="\/needs\/matrix\.xlsx" download>/);
});

test('HXL: ?hxl=true puts a row of hashtags under the header of needs, programmes, gaps and figures; imports skip it', async () => {
  const needs = parseCsv((await srv.get('/api/v1/needs.csv?hxl=true')).text);
  const col = Object.fromEntries(needs[0].map((h, i) => [h, i]));
  assert.equal(needs[1][col.country], '#country+code');
  assert.equal(needs[1][col.country_label], '#country+name');
  assert.equal(needs[1][col.theme], '#sector+code');
  assert.equal(needs[1][col.severity], '#severity');
  assert.equal(needs[1][col.description_ar], '#description+i_ar');
  assert.ok(/^\d+$/.test(needs[2][col.id]), 'then the records');
  const back = await srv.request('POST', '/api/v1/needs/import?dry_run=true', {
    body: Buffer.from((await srv.get('/api/v1/needs.csv?hxl=true')).text), headers: { 'Content-Type': 'text/csv' },
  });
  assert.equal(back.status, 200, back.text.slice(0, 300));
  assert.equal(back.json.unchanged, needs.length - 2, 'the hashtag row is not a record');
  const programmes = parseCsv((await srv.get('/api/v1/programmes.csv?hxl=true')).text);
  assert.equal(programmes[1][programmes[0].indexOf('donors')], '#org+funder+code');
  const [gaps] = read((await srv.get('/needs/gaps.xlsx?hxl=true')).body).sheets;
  assert.deepEqual(gaps.rows[1].slice(0, 3), [{ s: '#meta+id' }, { s: '#country+code' }, { s: '#country+name' }]);
  assert.ok('n' in gaps.rows[2][0], 'a number under its hashtag');
  const figure = parseCsv((await srv.get('/training/theme.csv?hxl=true')).text.replace(/^\uFEFF/, ''));
  assert.deepEqual(figure[1].slice(0, 3), ['#sector+code', '#sector+name', '#reached+persons']);
  assert.equal((await srv.get('/training/theme.csv?hxl=maybe')).status, 400);
  assert.equal((await srv.get('/api/v1/needs.csv?hxl=maybe')).status, 400);
  const cliHxl = cli(['export', 'csv', 'needs', '--hxl', '--db', srv.db]);
  assert.equal(parseCsv(cliHxl.stdout)[1][col.country], '#country+code');
});

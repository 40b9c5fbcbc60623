// CSV import of needs assessments (import.c, import_http.c, cmd_import.c):
// POST /api/v1/needs/import, the page /needs/import and `suivi import needs`.
// What spreadsheets export is accepted (BOM, Windows-1252, ';', CRLF, quotes,
// dd/mm/yyyy, countries by name); an import is all or nothing, and every bad
// row is reported by line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { useServer, assertError, cli, tempDir, BACKEND } from './harness.mjs';

const srv = useServer();

const csvPost = (p, text, opts = {}) => srv.request('POST', p, {
  body: Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8'),
  headers: { 'Content-Type': 'text/csv; charset=utf-8', ...(opts.headers || {}) },
  ...opts,
});

async function needs(query = '') {
  return srv.all('needs', query);
}

async function total() {
  return (await srv.getJSON('/api/v1/needs?limit=0')).total;
}

// Windows-1252 bytes of a JS string (the letters these tests use).
function cp1252(s) {
  const map = { '’': 0x92, '–': 0x96, '€': 0x80 };
  return Buffer.from([...s].map((c) => map[c] ?? c.charCodeAt(0)));
}

test('a spreadsheet export (BOM, ;, CRLF, quotes, dd/mm/yyyy, names) is imported, one audit entry', async () => {
  const before = await total();
  const auditBefore = (await srv.all('audit', 'entity=need')).length;
  const text = '\uFEFFPays;Thème;Date;Gravité;Source;Statut;Description (FR);Description (EN);Référence;Sample\r\n' +
    'Maroc;maritime_security;05/03/2024;4;expert_mission;;"Côtes ; ports, et ""zones"" franches";Ports;Mission 12/2024;oui\r\n' +
    'Sénégal;Sécurité maritime;2024-01-31;2;self_assessment;being_addressed;"Deux\r\nlignes";;;\r\n' +
    'MA;border_security;1/2/2023;5;Other;met;;;;non\r\n' +
    ';;;;;;;;;\r\n\r\n';
  const r = await csvPost('/api/v1/needs/import?name=needs-2024.csv', text);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { imported: 3, rows: 3, created: 3, updated: 0, unchanged: 0, dry_run: false });
  assert.equal(await total(), before + 3);
  const ma = (await needs('country=MA&theme=maritime_security')).find((n) => n.assessed_on === '2024-03-05');
  assert.ok(ma, 'the Moroccan row is there');
  assert.equal(ma.severity, 4);
  assert.equal(ma.source, 'expert_mission');
  assert.equal(ma.status, 'open', 'an empty status takes the default');
  assert.deepEqual(ma.description, { fr: 'Côtes ; ports, et "zones" franches', en: 'Ports' });
  assert.equal(ma.reference, 'Mission 12/2024');
  assert.equal(ma.sample, true);
  const sn = (await needs('country=SN')).find((n) => n.assessed_on === '2024-01-31');
  assert.ok(sn, 'Sénégal by its French name');
  assert.equal(sn.theme, 'maritime_security', 'theme by its French name');
  assert.equal(sn.status, 'being_addressed');
  assert.deepEqual(sn.description, { fr: 'Deux\nlignes' });
  const b = (await needs('country=MA&theme=border_security')).find((n) => n.assessed_on === '2023-02-01');
  assert.ok(b, 'd/m/yyyy');
  assert.equal(b.source, 'other');
  assert.equal(b.sample, false);
  const audit = await srv.all('audit', 'entity=need');
  const entry = audit.filter((a) => a.record === 'import').pop();
  assert.ok(entry, 'one audit entry for the import');
  assert.equal(entry.action, 'create');
  assert.deepEqual(JSON.parse(entry.after), { import: 'needs-2024.csv', rows: 3 });
  assert.equal(audit.length, auditBefore + 1, 'no audit entry per row: one for the import');
});

test('Windows-1252 bytes ("Côte d’Ivoire" from a French Excel) are read as such', async () => {
  const body = cp1252('pays;thème;date;gravité;source;description_fr\r\n' +
    'Côte d’Ivoire;border_security;02/01/2024;3;un_assessment;Frontière – nord\r\n');
  const r = await csvPost('/api/v1/needs/import', body);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { imported: 1, rows: 1, created: 1, updated: 0, unchanged: 0, dry_run: false });
  const ci = (await needs('country=CI')).find((n) => n.assessed_on === '2024-01-02');
  assert.ok(ci);
  assert.deepEqual(ci.description, { fr: 'Frontière – nord' });
});

test('one bad row among good ones: nothing is written, every bad line is reported', async () => {
  const before = await total();
  const text = 'country,theme,assessed_on,severity,source\n' +
    'MA,maritime_security,2024-01-01,3,other\n' +         // line 2: good
    'XX,maritime_security,2024-01-01,3,other\n' +         // line 3: no such country
    'MA,maritime_security,"2024-01-02",3,other\n' +       // line 4: good
    'MA,nope,31/02/2024,9,whoever\n' +                     // line 5: four problems
    'MA,maritime_security,2999-01-01,1,other\n' +         // line 6: in the future
    '"MA\nMA",maritime_security,2024-01-01,,other\n' +    // line 7 (two lines): bad country, no severity
    'MA,maritime_security,2024-01-01,2,other\n';          // line 9: good
  const r = await csvPost('/api/v1/needs/import', text);
  const err = assertError(r, 422, 'invalid', 'bad rows');
  assert.equal(await total(), before, 'nothing was written');
  const lines = err.rows.map((x) => `${x.line}:${x.field}`);
  assert.deepEqual(lines, ['3:country', '5:theme', '5:assessed_on', '5:severity', '5:source',
    '6:assessed_on', '7:country', '7:severity']);
  assert.equal(err.problems, 8);
  assert.match(err.message, /8 problems in 4 of 7 rows/);
  for (const x of err.rows) assert.ok(x.message.length > 0);
  assert.match(err.rows[0].message, /does not exist: XX/);
  assert.match(err.rows[3].message, /not between 1–5/);
});

test('bad headers and bad CSV are reported before any row', async () => {
  let r = await csvPost('/api/v1/needs/import', 'country;colour;severity\nMA;red;1\n');
  let err = assertError(r, 422, 'invalid');
  const got = err.rows.map((x) => `${x.line}:${x.column ?? x.field}`).sort();
  assert.deepEqual(got, ['1:assessed_on', '1:colour', '1:source', '1:theme']);
  r = await csvPost('/api/v1/needs/import', 'country,theme,assessed_on,severity,source\nMA,maritime_security,2024-01-01,3,"other\n');
  err = assertError(r, 422, 'invalid');
  assert.equal(err.rows.length, 1);
  assert.equal(err.rows[0].line, 2);
  assert.match(err.rows[0].message, /not valid CSV: a quoted field opened here is never closed/);
  r = await csvPost('/api/v1/needs/import', '');
  err = assertError(r, 422, 'invalid');
  assert.match(err.rows[0].message, /empty/);
});

test('the API route: POST only, text/csv only, writers only; bodies over 1 MiB are taken', async () => {
  assertError(await srv.get('/api/v1/needs/import'), 405, 'method_not_allowed');
  assertError(await srv.post('/api/v1/needs/import', { country: 'MA' }), 415, 'unsupported_media_type');
  srv.addUser('donor-imp', 'donor');
  const donor = await srv.login('donor-imp', 'user-password-of-the-tests');
  const r = await donor.request('POST', '/api/v1/needs/import', { body: 'country\nMA\n', headers: { 'Content-Type': 'text/csv' } });
  assertError(r, 403, 'forbidden');
  // 20,000 rows, some 1.4 MiB: over the 1 MiB of other routes; several batches
  const before = await total();
  let text = 'country;theme;assessed_on;severity;source;reference\n';
  for (let i = 0; i < 20000; i++) text += `MA;border_security;2020-01-01;${1 + (i % 5)};other;bulk row number ${i} of the big file\n`;
  assert.ok(text.length > 1024 * 1024);
  const big = await csvPost('/api/v1/needs/import?name=big.csv', text);
  assert.equal(big.status, 200, big.text.slice(0, 500));
  assert.deepEqual(big.json, { imported: 20000, rows: 20000, created: 20000, updated: 0, unchanged: 0, dry_run: false });
  assert.equal(await total(), before + 20000);
  const last = await srv.getJSON('/api/v1/needs?reference=' + encodeURIComponent('bulk row number 19999 of the big file'));
  assert.equal(last.total, 1);
  assert.equal(last.items[0].severity, 5);
});

test('a focal point imports its own country only, through the API and the page', async () => {
  srv.addUser('focal-ma-imp', 'focal', { country: 'MA' });
  const fp = await srv.login('focal-ma-imp', 'user-password-of-the-tests');
  const before = await total();
  const mixed = 'country,theme,assessed_on,severity,source\nMA,maritime_security,2024-05-01,2,self_assessment\n' +
    'Algérie,maritime_security,2024-05-01,2,self_assessment\n';
  let r = await fp.request('POST', '/api/v1/needs/import', { body: mixed, headers: { 'Content-Type': 'text/csv' } });
  const err = assertError(r, 422, 'invalid');
  assert.deepEqual(err.rows.map((x) => [x.line, x.field]), [[3, 'country']]);
  // (issue 13: the message of any write by a focal point outside its country)
  assert.match(err.rows[0].message, /must be your own country: MA/);
  assert.equal(await total(), before);
  const own = 'country,theme,assessed_on,severity,source\nMaroc,maritime_security,2024-05-01,2,self_assessment\n';
  r = await fp.request('POST', '/api/v1/needs/import', { body: own, headers: { 'Content-Type': 'text/csv' } });
  assert.equal(r.status, 200, r.text);
  // the page, as a form (what the text area or import.js sends)
  r = await fp.form('/needs/import', { csv: mixed, name: 'mixed.csv' });
  assert.equal(r.status, 422);
  assert.match(r.text, /<td>3<\/td><td>country<\/td>/);
  r = await fp.form('/needs/import', { csv: own.replace('2024-05-01', '2024-05-02'), name: 'own.csv' });
  assert.equal(r.status, 200, r.text.slice(0, 500));
  assert.match(r.text, /1 /);
  assert.equal(await total(), before + 2);
  const mine = await fp.request('GET', '/api/v1/needs?limit=500');
  assert.ok(mine.json.items.every((n) => n.country === 'MA'));
});

test('the page: a form with labels and the CSRF field; the report in the user language', async () => {
  const admin = await srv.login();
  let r = await admin.get('/needs/import');
  assert.equal(r.status, 200);
  assert.match(r.text, /<label for="import-csv">/);
  assert.match(r.text, /<textarea id="import-csv" name="csv"/);
  assert.match(r.text, /<label for="import-file">/);
  assert.match(r.text, /name="_csrf" value="[^"]+"/);
  const script = /<script src="(\/static\/import\.[0-9a-f]{8}\.js)"><\/script>/.exec(r.text);
  assert.ok(script, 'the page loads import.js by its content-hashed name');
  const js = await admin.get(script[1]);
  assert.equal(js.status, 200);
  assert.match(js.headers.get('content-type'), /javascript/);
  // without the CSRF field the form is refused
  r = await admin.form('/needs/import', { csv: 'country\n' }, { csrf: false });
  assert.equal(r.status, 403);
  const before = await total();
  r = await admin.form('/needs/import', { csv: 'country,theme,assessed_on,severity,source\nZZ,maritime_security,2024-01-01,1,other\n' });
  assert.equal(r.status, 422);
  assert.match(r.text, /<td>2<\/td><td>country<\/td><td>[^<]*ZZ<\/td>/);
  assert.match(r.text, /ZZ<\/textarea>|ZZ,maritime_security/, 'the text comes back for correction');
  assert.equal(await total(), before);
  const visitor = srv.visitor();
  r = await visitor.get('/needs/import');
  assert.equal(r.status, 303, 'visitors are sent to the login page');
});

test('suivi import needs: exit status and messages', async () => {
  const dir = tempDir();
  try {
    const good = path.join(dir, 'good.csv');
    const bad = path.join(dir, 'bad.csv');
    writeFileSync(good, 'country;theme;assessed_on;severity;source\r\nMA;maritime_security;01/06/2024;3;other\r\nSN;border_security;2024-06-02;1;other\r\n');
    writeFileSync(bad, 'country;theme;assessed_on;severity;source\nMA;maritime_security;01/06/2024;3;other\nMA;maritime_security;01/13/2024;3;other\nQQ;maritime_security;2024-06-01;7;other\n');
    const before = await total();
    let r = cli(['import', 'needs', bad, '--db', srv.db]);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /bad\.csv:3: assessed_on must be a real date/);
    assert.match(r.stderr, /bad\.csv:4: country refers to a record that does not exist: QQ/);
    assert.match(r.stderr, /bad\.csv:4: severity is \d+, not between 1–5/);
    assert.match(r.stderr, /nothing imported: 3 problems in 2 of 3 rows/);
    assert.equal(r.stdout, '');
    assert.equal(await total(), before);
    r = cli(['import', 'needs', good, '--db', srv.db]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /good\.csv: 2 needs assessments imported/);
    assert.doesNotMatch(r.stderr, /importing/, 'no progress bar when stderr is not a terminal');
    assert.equal(await srv.getJSON('/api/v1/needs?limit=0').then((j) => j.total), before + 2);
    r = cli(['import', 'needs', '-', '--db', srv.db], { input: Buffer.from('country,theme,assessed_on,severity,source\nMA,maritime_security,2024-06-03,3,other\n') });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /stdin: 1 needs assessments imported/);
    r = cli(['import', 'people', good, '--db', srv.db]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /import knows needs, participants, enrolments and the collections \(actions, persons, \.\.\.\), not 'people'/);
    r = cli(['import', 'needs', path.join(dir, 'missing.csv'), '--db', srv.db]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /cannot open .*missing\.csv/);
    r = cli(['import', '--help']);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /suivi import needs\|participants\|enrolments\|COLLECTION FILE\.csv/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// A file of 10⁴ rows or more into a table not much larger: on SQLite the import drops
// the table's non-unique indexes and makes them again before its commit (faster than
// inserting at random places).  What a reader sees is the same; a failed import
// leaves the indexes as they were.
test('a large file reads like a small one; a large bad file changes nothing, indexes included', async () => {
  const dir = tempDir();
  const indexes = () => (BACKEND === 'sqlite'
    ? spawnSync('sqlite3', [srv.db, "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'need' ORDER BY name"], { encoding: 'utf8' }).stdout
    : null);
  try {
    const rows = 30000;
    const lines = ['country,theme,assessed_on,severity,source,reference'];
    for (let i = 0; i < rows; i++) {
      lines.push(`${['MA', 'SN', 'CI'][i % 3]},${['maritime_security', 'border_security'][i % 2]},20${String(10 + (i % 14)).padStart(2, '0')}-0${1 + (i % 9)}-1${i % 10},${1 + (i % 5)},other,"Large file, row ${i}, ${'x'.repeat(60)}"`);
    }
    const good = path.join(dir, 'large.csv');
    writeFileSync(good, `${lines.join('\n')}\n`);
    const bad = path.join(dir, 'large-bad.csv');
    writeFileSync(bad, `${lines.join('\n')}\nMA,maritime_security,2024-02-30,3,other,the last row is bad\n`);
    const before = await total();
    const idx = indexes();
    if (idx !== null) assert.match(idx, /need_cell/, 'the index of the matrix is there');
    let r = cli(['import', 'needs', bad, '--db', srv.db]);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`large-bad\\.csv:${rows + 2}: assessed_on must be a real date`));
    assert.equal(await total(), before, 'nothing imported');
    assert.equal(indexes(), idx, 'the indexes are as they were');
    r = cli(['import', 'needs', good, '--db', srv.db]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`large\\.csv: ${rows} needs assessments imported`));
    assert.equal(await total(), before + rows);
    assert.equal(indexes(), idx, 'the indexes are made again');
    const sn = await srv.getJSON('/api/v1/needs?country=SN&reference=Large%20file%2C%20row%2029998%2C%20' + 'x'.repeat(60));
    assert.equal(sn.total, 1, 'a row reads back by its fields');
    const cell = (await srv.getJSON('/api/v1/needs/latest?country=SN')).items.find((c) => c.theme === 'maritime_security');
    assert.ok(cell, 'the matrix reads the new assessments');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('server stops cleanly', () => srv.stop());

// Spreadsheet import (issue 15, items 2, 3 and 6): wherever CSV is imported, an Excel
// workbook (.xlsx) is too, told apart by its content — from the command line, the API
// and the import pages.  The workbooks are written by a real spreadsheet library
// (Debian's python3-openpyxl, xlsx-write.py) with French headers, dates, accents, a
// merged title row and several sheets; suivi's own export comes back as updates; a
// problem is named by its sheet and cell; a zip bomb or a damaged file is refused with
// a clear message and nothing written.  Both backends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import zlib from 'node:zlib';
import { useServer, useTempDirs, cli, parseCsv, ROOT } from './harness.mjs';

const srv = useServer();
const fresh = useTempDirs();
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A workbook written by openpyxl from spec (xlsx-write.py); its path. */
function workbook(spec) {
  const dir = fresh();
  const file = path.join(dir, 'book.xlsx');
  writeFileSync(path.join(dir, 'spec.json'), JSON.stringify(spec));
  const r = spawnSync('/usr/bin/python3', [path.join(ROOT, 'tests/http/xlsx-write.py'), file, path.join(dir, 'spec.json')],
    { encoding: 'utf8' });
  assert.equal(r.status, 0, `openpyxl could not write the workbook: ${r.stderr}`);
  return file;
}

/** Cells of the first sheet of the workbook at file changed by openpyxl. */
function edit(file, cells) {
  const r = spawnSync('/usr/bin/python3', [path.join(ROOT, 'tests/http/xlsx-write.py'), '--edit', file, JSON.stringify(cells)],
    { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

const HEADER = ['Pays', 'Thème', 'Date', 'Gravité', 'Source', 'Description (FR)', 'Description (AR)'];
let serial = 0;
/** Needs with French headers under a merged title; unique descriptions. */
function needsSheet(title, rows) {
  return { title, rows: [['Évaluation des besoins — échantillon'], HEADER, ...rows], merge: ['A1:G1'], formats: { C3: 'DD/MM/YYYY' } };
}
function need(country, date, severity = 3) {
  serial += 1;
  return [country, 'border_security', date, severity, 'expert_mission', `Contrôle aux frontières n° ${serial} (exemple)`, 'أمن الحدود'];
}

async function post(file, query = '') {
  return srv.request('POST', `/api/v1/needs/import${query}`, { body: readFileSync(file), headers: { 'Content-Type': XLSX } });
}

/** The needs whose French description holds text, as the CSV export gives them. */
async function needsWith(text) {
  const r = await srv.get('/api/v1/needs.csv');
  assert.equal(r.status, 200, r.text);
  const [head, ...rows] = parseCsv(r.text);
  return rows.map((row) => Object.fromEntries(head.map((h, i) => [h, row[i]])))
    .filter((n) => n.description_fr.includes(text));
}

test('suivi import needs BOOK.xlsx: French headers, date cells and text dates, accents, Arabic, a merged title', async () => {
  const rows = [need('Sénégal', { date: '2026-03-14' }), need('MA', '15/03/2026', 4), need('Cabo Verde', { date: '2025-12-31' }, 2)];
  const file = workbook({ sheets: [needsSheet('Besoins', rows)] });
  const dry = cli(['import', 'needs', file, '--db', srv.db, '--dry-run']);
  assert.match(dry.stdout, /dry run, nothing written: 3 needs assessments would be created/);
  const r = cli(['import', 'needs', file, '--db', srv.db]);
  assert.match(r.stdout, /3 needs assessments imported/);
  const got = new Map();
  for (const row of rows) {
    const [n] = await needsWith(row[5]);
    assert.ok(n, `${row[5]} was imported`);
    got.set(row[0], n);
    assert.equal(n.description_ar, 'أمن الحدود');
    assert.equal(n.theme, 'border_security');
  }
  assert.equal(got.get('Sénégal').country, 'SN');
  assert.equal(got.get('Sénégal').assessed_on, '2026-03-14', 'a date cell in a DD/MM/YYYY format');
  assert.equal(got.get('MA').assessed_on, '2026-03-15', 'a date typed as text');
  assert.equal(got.get('MA').severity, '4');
  assert.equal(got.get('Cabo Verde').assessed_on, '2025-12-31', 'a date cell in the default format');
});

test('dates of a workbook in the 1904 system, and booleans, read as their values', async () => {
  const row = need('TN', { date: '2024-02-29' });
  const file = workbook({ epoch1904: true, sheets: [{ title: 'Feuil1', rows: [[...HEADER, 'Exemple'], [...row, { bool: true }]] }] });
  const r = await post(file);
  assert.equal(r.status, 200, r.text);
  const [n] = await needsWith(row[5]);
  assert.equal(n.assessed_on, '2024-02-29');
  assert.equal(n.sample, 'true');
});

test('a problem is named by its sheet and cell; nothing is written', async () => {
  const rows = [need('SN', { date: '2026-01-10' }), need('ZZ', { date: '2026-01-11' }), need('MA', 'hier', 9)];
  const file = workbook({ sheets: [needsSheet('Besoins', rows)] });
  const r = await post(file);
  assert.equal(r.status, 422, r.text);
  const cells = r.json.error.rows.map((e) => `${e.sheet}!${e.cell}`).sort();
  assert.deepEqual(cells, ['Besoins!A4', 'Besoins!C5', 'Besoins!D5']);
  for (const e of r.json.error.rows) assert.equal(e.line, Number(e.cell.slice(1)), 'the line is the row');
  assert.deepEqual(await needsWith(rows[0][5]), [], 'all or nothing');
  const c = cli(['import', 'needs', file, '--db', srv.db], { check: false });
  assert.equal(c.status, 1);
  assert.match(c.stderr, /book\.xlsx:Besoins!A4: Pays \(country\) /);
  assert.match(c.stderr, /book\.xlsx:Besoins!D5: Gravité \(severity\) /);
});

test('the sheet is chosen by name, else the first; an unknown one is named with the sheets there are', async () => {
  const row = need('GH', { date: '2026-02-02' });
  const file = workbook({ sheets: [{ title: 'Lisez-moi', rows: [['Remplir la feuille Besoins']] }, needsSheet('Besoins', [row])] });
  let r = await post(file);
  assert.equal(r.status, 422);
  assert.equal(r.json.error.rows[0].cell, 'A1', 'the first sheet was read');
  r = await post(file, '?sheet=Autre');
  assert.equal(r.status, 422);
  assert.match(r.json.error.rows[0].message, /no sheet named “Autre” \(its sheets: “Lisez-moi”, “Besoins”\)/);
  r = await post(file, '?sheet=Besoins');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.created, 1);
  const c = cli(['import', 'needs', file, '--db', srv.db, '--sheet', 'Besoins', '--dry-run']);
  assert.match(c.stdout, /1 needs assessments would be created/);
});

test('round trip: an XLSX export edited in a spreadsheet comes back as updates; a stale row is refused', async () => {
  const file = path.join(fresh(), 'actions.xlsx');
  writeFileSync(file, (await srv.get('/api/v1/actions.xlsx')).body);
  const fresh1 = path.join(fresh(), 'actions-1.xlsx');
  writeFileSync(fresh1, readFileSync(file));
  const header = JSON.parse(spawnSync('/usr/bin/python3', ['-c',
    'import openpyxl,json,sys; ws=openpyxl.load_workbook(sys.argv[1]).worksheets[0]; print(json.dumps([c.value for c in ws[1]]))', file],
  { encoding: 'utf8' }).stdout);
  const col = String.fromCharCode(65 + header.indexOf('title_en'));
  edit(fresh1, { [`${col}2`]: 'Edited in a spreadsheet (sample)' });
  let r = await srv.request('POST', '/api/v1/actions/import', { body: readFileSync(fresh1), headers: { 'Content-Type': XLSX } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.updated, 1);
  assert.equal(r.json.created, 0);
  assert.ok(r.json.unchanged > 1);
  // the same row from the first export is older than the record now
  edit(file, { [`${col}2`]: 'A second edit on an old copy' });
  r = await srv.request('POST', '/api/v1/actions/import', { body: readFileSync(file), headers: { 'Content-Type': XLSX } });
  assert.equal(r.status, 422, r.text);
  assert.equal(r.json.error.rows[0].line, 2);
  assert.match(r.json.error.rows[0].message, /changed since/);
});

/** A ZIP archive (stored or deflated entries) from {name: text}. */
function zip(entries, { deflate = true } = {}) {
  const locals = [], centrals = [];
  let offset = 0;
  for (const [name, text] of Object.entries(entries)) {
    const data = Buffer.from(text);
    const packed = deflate ? zlib.deflateRawSync(data) : data;
    const n = Buffer.from(name);
    const crc = zlib.crc32 ? zlib.crc32(data) : 0;
    const head = Buffer.alloc(30);
    head.writeUInt32LE(0x04034b50, 0); head.writeUInt16LE(20, 4); head.writeUInt16LE(deflate ? 8 : 0, 8);
    head.writeUInt32LE(crc >>> 0, 14); head.writeUInt32LE(packed.length, 18); head.writeUInt32LE(data.length, 22);
    head.writeUInt16LE(n.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); central.writeUInt16LE(20, 6);
    central.writeUInt16LE(deflate ? 8 : 0, 10); central.writeUInt32LE(crc >>> 0, 16);
    central.writeUInt32LE(packed.length, 20); central.writeUInt32LE(data.length, 24); central.writeUInt16LE(n.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(head, n, packed);
    centrals.push(central, n);
    offset += 30 + n.length + packed.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(centrals.length / 2, 8); end.writeUInt16LE(centrals.length / 2, 10);
  end.writeUInt32LE(dir.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

const BOOK = '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
  + 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
  + '<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>';
const RELS = '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
  + '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
  + 'Target="worksheets/sheet1.xml"/></Relationships>';
function sheet(padding = '') {
  return `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${padding}`
    + '<row r="1"><c r="A1" t="inlineStr"><is><t>country</t></is></c></row></sheetData></worksheet>';
}

test('a zip bomb, a damaged workbook and a ZIP that is no workbook are refused, each with its reason', async () => {
  const cases = [
    [zip({ 'xl/workbook.xml': BOOK, 'xl/_rels/workbook.xml.rels': RELS, 'xl/worksheets/sheet1.xml': sheet(' '.repeat(4 << 20)) }),
      /xl\/worksheets\/sheet1\.xml expands \d+ times \(a zip bomb\?\)/],
    [Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(200, 7)]), /not an XLSX workbook/],
    [zip({ 'word/document.xml': '<document/>' }), /lacks its part xl\/workbook\.xml/],
    [zip({ 'xl/workbook.xml': BOOK, 'xl/_rels/workbook.xml.rels': RELS, 'xl/worksheets/sheet1.xml': '<worksheet><sheetData><row>' }),
      /sheet1\.xml is not well-formed XML/],
  ];
  for (const [bytes, reason] of cases) {
    const r = await srv.request('POST', '/api/v1/needs/import', { body: bytes, headers: { 'Content-Type': XLSX } });
    assert.equal(r.status, 422, r.text);
    assert.match(r.json.error.rows[0].message, /^the spreadsheet cannot be read: /);
    assert.match(r.json.error.rows[0].message, reason);
  }
  // a small workbook of the same making is read (the refusals are not the maker's fault)
  const ok = zip({ 'xl/workbook.xml': BOOK, 'xl/_rels/workbook.xml.rels': RELS, 'xl/worksheets/sheet1.xml': sheet('') });
  const r = await srv.request('POST', '/api/v1/needs/import?dry_run=true', { body: ok, headers: { 'Content-Type': XLSX } });
  assert.equal(r.status, 422);
  assert.ok(r.json.error.rows.some((e) => e.field === 'theme' && /required column/.test(e.message)), r.text);
});

test('a merged cell stands in each cell it covers; prefixed element names are read as any', async () => {
  const rows = [need('ML', { date: '2026-05-01' }), need(null, { date: '2026-05-02' })];
  const file = workbook({ sheets: [{ title: 'Besoins', rows: [HEADER, ...rows], merge: ['A2:A3'] }] });
  let r = await post(file);
  assert.equal(r.status, 200, r.text);
  assert.equal((await needsWith(rows[1][5]))[0].country, 'ML', 'the country merged over two rows is each row\'s');
  const ns = 'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
  const cells = (row, values) => values.map((v, i) => `<x:c r="${String.fromCharCode(65 + i)}${row}" t="inlineStr"><x:is><x:t>${v}</x:t></x:is></x:c>`).join('');
  const text = `Namespaced ${serial += 1} (exemple)`;
  const sheetXml = `<x:worksheet ${ns}><x:sheetData><x:row r="1">${cells(1, ['country', 'theme', 'assessed_on', 'severity', 'source', 'description_fr'])}</x:row>`
    + `<x:row r="2">${cells(2, ['', 'border_security', '2026-05-03', '2', 'other', text])}</x:row>`
    + `<x:row r="3">${cells(3, ['', 'border_security', '2026-05-04', '2', 'other', `${text} bis`])}</x:row>`
    + '</x:sheetData><x:mergeCells count="1"><x:mergeCell ref="A2:A3"/></x:mergeCells></x:worksheet>';
  const fixed = sheetXml.replace('<x:c r="A2" t="inlineStr"><x:is><x:t></x:t></x:is></x:c>', '<x:c r="A2" t="inlineStr"><x:is><x:t>NE</x:t></x:is></x:c>');
  const book = zip({ 'xl/workbook.xml': BOOK, 'xl/_rels/workbook.xml.rels': RELS, 'xl/worksheets/sheet1.xml': fixed });
  r = await srv.request('POST', '/api/v1/needs/import', { body: book, headers: { 'Content-Type': XLSX } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.created, 2);
  assert.deepEqual((await needsWith(text)).map((n) => n.country), ['NE', 'NE']);
});

/** A multipart/form-data body from [name, value] and [name, {filename, bytes}]. */
function multipart(fields) {
  const boundary = `----suivi${Date.now()}`;
  const parts = [];
  for (const [name, v] of fields) {
    if (typeof v === 'string') {
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${v}\r\n`));
    } else {
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${v.filename}"\r\n`
        + `Content-Type: ${XLSX}\r\n\r\n`), v.bytes, Buffer.from('\r\n'));
    }
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), type: `multipart/form-data; boundary=${boundary}` };
}

test('the import page takes a workbook: a check keeps it for Import; problems are named by cell', async () => {
  const admin = await srv.login();
  admin.jar.set('lang', 'en');
  const page = await admin.get('/needs/import');
  assert.match(page.text, /enctype="multipart\/form-data"/);
  assert.match(page.text, /<input type="file" id="import-file" name="file" accept="[^"]*\.xlsx/);
  assert.match(page.text, /<input type="text" id="import-sheet" name="sheet"/);
  const csrf = await admin.csrfToken();
  const row = need('NE', { date: '2026-04-01' });
  const bytes = readFileSync(workbook({ sheets: [needsSheet('Besoins', [row])] }));
  let m = multipart([['_csrf', csrf], ['csv', ''], ['sheet', ''], ['dry_run', 'true'], ['file', { filename: 'besoins.xlsx', bytes }]]);
  let r = await admin.request('POST', '/needs/import', { body: m.body, headers: { 'Content-Type': m.type } });
  assert.equal(r.status, 200, r.text);
  assert.match(r.text, /1 records would be created/);
  const kept = /<input type="hidden" name="workbook" value="([^"]+)">/.exec(r.text);
  assert.ok(kept, 'the checked workbook goes back with the form');
  assert.match(r.text, /besoins\.xlsx/);
  assert.deepEqual(await needsWith(row[5]), [], 'a check writes nothing');
  m = multipart([['_csrf', csrf], ['csv', ''], ['sheet', ''], ['workbook', kept[1]], ['name', 'besoins.xlsx']]);
  r = await admin.request('POST', '/needs/import', { body: m.body, headers: { 'Content-Type': m.type } });
  assert.equal(r.status, 200, r.text);
  assert.match(r.text, /1 needs assessments imported/);
  assert.equal((await needsWith(row[5])).length, 1);
  const bad = readFileSync(workbook({ sheets: [needsSheet('Besoins', [need('ZZ', { date: '2026-04-02' })])] }));
  m = multipart([['_csrf', csrf], ['csv', ''], ['sheet', 'Besoins'], ['file', { filename: 'b.xlsx', bytes: bad }]]);
  r = await admin.request('POST', '/needs/import', { body: m.body, headers: { 'Content-Type': m.type } });
  assert.equal(r.status, 422);
  assert.match(r.text, /<td>Besoins!A3<\/td><td>Pays<\/td>/);
  // the pasted CSV of before still works through the same page
  r = await admin.form('/needs/import', { csv: 'country,theme,assessed_on,severity,source\nZZ,maritime_security,2024-01-01,1,other\n' });
  assert.equal(r.status, 422);
  assert.match(r.text, /<td>2<\/td><td>country<\/td>/);
});

test('participants come from a workbook as from CSV', async () => {
  const file = workbook({ sheets: [{ title: 'Participants', rows: [
    ['Nom', 'Prénoms', 'Pays', 'Date de naissance', 'sample'],
    ['Diallo-Exemple', 'Aïssatou', 'SN', { date: '1990-05-17' }, { bool: true }],
  ] }] });
  const r = await srv.request('POST', '/api/v1/participants/import', { body: readFileSync(file), headers: { 'Content-Type': XLSX } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.created, 1);
  const [head, ...rows] = parseCsv((await srv.get('/api/v1/participants.csv')).text);
  const p = rows.map((row) => Object.fromEntries(head.map((h, i) => [h, row[i]]))).find((x) => x.family_name === 'Diallo-Exemple');
  assert.equal(p.given_names, 'Aïssatou');
  assert.equal(p.birth_date, '1990-05-17');
  assert.equal(p.country, 'SN');
});

/** What openpyxl reads of a template: sheets, header, notes, drop-downs, codes, direction. */
function readTemplate(file) {
  const py = `
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws, codes = wb.worksheets[0], wb.worksheets[1]
print(json.dumps({
  "sheets": wb.sheetnames,
  "header": [c.value for c in ws[1]],
  "notes": {c.column_letter: c.comment.text for c in ws[1] if c.comment},
  "lists": {str(d.sqref): d.formula1 for d in ws.data_validations.dataValidation},
  "codes": [[c.value for c in row] for row in codes.iter_rows()],
  "rtl": bool(ws.sheet_view.rightToLeft),
}))`;
  const r = spawnSync('/usr/bin/python3', ['-c', py, file], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

test('the import template: each column explained in the reader\'s language, drop-downs, codes; filled in, it imports', async () => {
  const fr = srv.visitor({ cookies: { lang: 'fr' } });
  assert.equal((await fr.get('/needs/import/template.xlsx')).status, 303, 'visitors are sent to sign in');
  const file = path.join(fresh(), 'template.xlsx');
  const r = await srv.request('GET', '/needs/import/template.xlsx', { headers: { Cookie: 'lang=fr' } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.headers.get('content-type'), XLSX);
  assert.match(r.headers.get('content-disposition'), /attachment; filename="needs-template\.xlsx"/);
  writeFileSync(file, r.body);
  const t = readTemplate(file);
  assert.deepEqual(t.sheets, ['Évaluations des besoins', 'Codes']);
  assert.deepEqual(t.header.slice(0, 5), ['country', 'theme', 'assessed_on', 'severity', 'source']);
  assert.match(t.notes.A, /^Pays\nObligatoire\. Choisissez dans la liste/);
  assert.match(t.notes.C, /Une date/);
  assert.equal(t.lists['A2:A1001'], "'Codes'!$A$2:$A$" + (t.codes.filter((row) => row[0]).length));
  const countries = t.codes.slice(1).map((row) => row[0]).filter(Boolean);
  assert.ok(countries.includes('SN') && countries.includes('MA'));
  const sources = t.codes.slice(1).map((row) => row[t.codes[0].indexOf('source')]).filter(Boolean);
  assert.deepEqual(sources, ['self_assessment', 'expert_mission', 'un_assessment', 'other']);
  // filled in as a person would, it imports
  const text = `From the template ${serial += 1} (exemple)`;
  const col = (name) => String.fromCharCode(65 + t.header.indexOf(name));
  edit(file, { [`${col('country')}2`]: 'SN', [`${col('theme')}2`]: 'border_security', [`${col('assessed_on')}2`]: { date: '2026-06-01' },
    [`${col('severity')}2`]: 2, [`${col('source')}2`]: 'other', [`${col('description_fr')}2`]: text });
  const imp = await srv.request('POST', '/api/v1/needs/import', { body: readFileSync(file), headers: { 'Content-Type': XLSX } });
  assert.equal(imp.status, 200, imp.text);
  assert.equal(imp.json.created, 1);
  assert.equal((await needsWith(text))[0].assessed_on, '2026-06-01');
  // in Arabic: the sheets read right to left, the notes are Arabic
  const ar = await srv.request('GET', '/enrolments/import/template.xlsx', { headers: { Cookie: 'lang=ar' } });
  writeFileSync(file, ar.body);
  const ta = readTemplate(file);
  assert.equal(ta.rtl, true);
  assert.deepEqual(ta.sheets, ['التسجيلات', 'الرموز']);
  assert.match(ta.notes.A, /إلزامي/);
  const page = await srv.request('GET', '/actions/import', { headers: { Cookie: 'lang=en' } });
  assert.match(page.text, /<a href="\/actions\/import\/template\.xlsx" download>Workbook to fill in \(Excel\)<\/a>/);
});

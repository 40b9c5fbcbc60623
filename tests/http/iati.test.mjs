// IATI 2.03 export and import (iati.c, iati_parse.c, store_iati.c, iati_http.c,
// cmd_iati.c): GET /iati.xml (public: the published programmes) and `suivi export
// iati` (every programme) write a file that
// validates against the official schema (tests/data/iati-schema: an unmodified copy
// of ../shared/iati/schema) and says what the API says; `suivi import iati` reads
// the official example and a crafted 2.01 file, lists what it leaves out with line
// numbers, is all or nothing, idempotent and XXE-safe; export → import into an
// empty database → export gives the same bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { useServer, cli, tempDir, tempDb, ROOT, Session } from './harness.mjs';
import { xmllint, validates } from './iati-common.mjs';

const srv = useServer();
const EXAMPLE = path.join(ROOT, 'tests/data/iati/activity-standard-example-annotated.xml');
const NOW = '2026-02-03T04:05:06Z';
const dir = tempDir();
if (!process.env.IATI_KEEP) process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

// The string value of an XPath expression over the file.
function xpath(file, expr) {
  const r = xmllint(['--nonet', '--xpath', `string(${expr})`, file]);
  return r.status === 0 ? r.stdout.replace(/\n$/, '') : '';
}

function count(file, expr) {
  return Number(xpath(file, `count(${expr})`));
}

async function created(collection, body) {
  const r = await srv.post(`/api/v1/${collection}`, body);
  assert.equal(r.status, 201, `POST ${collection}: ${r.status} ${r.text}`);
  return r.json;
}

// A programme of our own, with all that the export writes.
let prog, donor, donor2, impl;
async function fixture() {
  if (prog) return;
  donor = await created('organisations', { name: { en: 'Donor & Partners <Test>', fr: 'Donateur & associés' }, type: '10', iati_ref: 'XM-TEST-DONOR' });
  donor2 = await created('organisations', { name: { en: 'Second donor' }, type: '21' });
  impl = await created('organisations', { name: { fr: 'Bureau de programme (test)', en: 'Programme office (test)' }, type: '40', iati_ref: 'XM-TEST-IMPL' });
  prog = await created('programmes', {
    iati_identifier: 'XM-TEST-IMPL-P1',
    title: { fr: 'Sécurité « maritime » & côtière', en: 'Maritime & coastal security', ar: 'الأمن البحري' },
    description: { en: 'Line one\nline two "quoted"', fr: 'Description' },
    implementer: impl.id, donors: [donor.id, donor2.id], countries: ['MA', 'SN', 'CI'], themes: ['maritime_security', 'pcve', 'criminal_justice'],
    start_date: '2025-01-01', end_date: '2026-12-31', status: 'implementation', budget: 125000050, currency: 'USD',
    published: true,
  });
  await created('transactions', { programme: prog.id, kind: 'incoming_funds', date: '2025-01-15', amount: 50000000, currency: 'USD', provider: donor.id, receiver: impl.id, reference: 'IN-1', description: { en: 'First tranche' } });
  await created('transactions', { programme: prog.id, kind: 'commitment', date: '2025-02-01', amount: 30000000, currency: 'EUR', provider: impl.id });
  await created('transactions', { programme: prog.id, kind: 'disbursement', date: '2025-03-01', amount: 1234567, currency: 'USD' });
  await created('transactions', { programme: prog.id, kind: 'expenditure', date: '2025-04-01', amount: -505, currency: 'USD' });
  const res = await created('results', { programme: prog.id, level: 'outcome', title: { en: 'Better maritime security', fr: 'Meilleure sécurité maritime' } });
  const ind = await created('indicators', { result: res.id, title: { en: 'Officers trained' }, measure: 'unit', ascending: true, baseline_year: 2024, baseline: 10 });
  const pd = { indicator: ind.id, start_date: '2025-01-01', end_date: '2025-12-31' };
  await created('periods', { ...pd, target: 100, actual: 80, comment: { en: 'On track' } });
  await created('periods', { ...pd, sex: 'female', target: 50, actual: 35 });
  await created('periods', { ...pd, sex: 'male', target: 50, actual: 45 });
  await created('periods', { ...pd, country: 'MA', target: 60, actual: 50 });
  const res2 = await created('results', { programme: prog.id, level: 'output', title: { en: 'No indicator yet' } });
  assert.ok(res2.id);
}

async function download(p = '/iati.xml', opts = { auth: false }) {
  const r = await srv.get(p, opts);
  assert.equal(r.status, 200, `GET ${p}: ${r.status} ${r.text.slice(0, 300)}`);
  assert.match(r.headers.get('content-type'), /^application\/xml/);
  return r;
}

test('GET /iati.xml, signed out, validates against the IATI 2.03 schema; so does the API route', async () => {
  await fixture();
  const r = await download();
  const f = path.join(dir, 'public.xml');
  writeFileSync(f, r.body ?? r.text);
  validates(f);
  assert.match(r.text, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<iati-activities version="2.03" generated-datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"/);
  // The demo's sample programmes that staff published are in it, marked as such; the
  // one in the pipeline is not (iati-publish.test.mjs tries the rest).
  const samples = (await srv.all('programmes')).filter((p) => p.sample);
  assert.ok(samples.some((p) => p.published) && samples.some((p) => !p.published), 'the demo publishes some sample programmes');
  for (const p of samples) {
    const re = new RegExp(`<iati-activity [^>]*suivi:sample="1">\n<iati-identifier>${p.iati_identifier}</iati-identifier>`);
    assert.equal(re.test(r.text), p.published, `${p.iati_identifier}: published ${p.published}`);
  }
  const a = await download('/api/v1/iati.xml');
  assert.ok(a.text.includes('<iati-identifier>XM-TEST-IMPL-P1</iati-identifier>'));
  const post = await srv.request('POST', '/iati.xml', { auth: false });
  assert.notEqual(post.status, 200, 'the file is read only');
});

test('the programmes list links to the IATI files: the public one and staff\'s own', async () => {
  const r = await srv.get('/programmes', { headers: { 'Accept-Language': 'en' } });
  assert.equal(r.status, 200);
  assert.match(r.text, /<a href="\/iati.xml\?published=true">/);
  assert.match(r.text, /<a href="\/iati.xml">[^<]*not for publication/);
});

test('the export says what the API says: identifiers, amounts, languages, organisations, sectors, results', async () => {
  await fixture();
  const f = path.join(dir, 'cli.xml');
  const e = cli(['export', 'iati', '--db', srv.db, '--out', f], { env: { SUIVI_IATI_NOW: NOW } });
  assert.equal(e.status, 0, e.stderr);
  validates(f);
  const xml = readFileSync(f, 'utf8');
  assert.ok(xml.includes(`generated-datetime="${NOW}"`));
  const progs = await srv.all('programmes');
  assert.equal(count(f, '//iati-activity'), progs.length, 'one activity per programme');
  const A = "//iati-activity[iati-identifier='XM-TEST-IMPL-P1']";
  assert.equal(count(f, A), 1);
  assert.equal(xpath(f, `${A}/@default-currency`), 'USD');
  assert.equal(xpath(f, `${A}/title/narrative[@xml:lang='fr']`), 'Sécurité « maritime » & côtière');
  assert.equal(xpath(f, `${A}/title/narrative[@xml:lang='ar']`), 'الأمن البحري');
  assert.equal(xpath(f, `${A}/description/narrative[@xml:lang='en']`), 'Line one\nline two "quoted"');
  assert.equal(xpath(f, `${A}/participating-org[@role='1'][@ref='XM-TEST-DONOR']/narrative[@xml:lang='en']`), 'Donor & Partners <Test>');
  assert.equal(xpath(f, `${A}/participating-org[@role='1'][@ref='XM-TEST-DONOR']/@type`), '10');
  assert.equal(count(f, `${A}/participating-org[@role='1']`), 2);
  assert.equal(xpath(f, `${A}/participating-org[@role='4']/@ref`), 'XM-TEST-IMPL');
  assert.equal(xpath(f, `${A}/activity-status/@code`), '2', 'implementation');
  assert.equal(xpath(f, `${A}/activity-date[@type='2']/@iso-date`), '2025-01-01', 'started: actual start');
  assert.equal(xpath(f, `${A}/activity-date[@type='3']/@iso-date`), '2026-12-31', 'not ended: planned end');
  assert.equal(xpath(f, `sum(${A}/recipient-country/@percentage)`), '100');
  assert.equal(count(f, `${A}/recipient-country`), 3);
  assert.equal(xpath(f, `sum(${A}/sector[@vocabulary='1']/@percentage)`), '100');
  for (const dac of ['15210', '15220', '15130']) assert.equal(count(f, `${A}/sector[@vocabulary='1'][@code='${dac}']`), 1, dac);
  assert.equal(count(f, `${A}/sector[@vocabulary='99']`), 3);
  assert.equal(xpath(f, `${A}/budget/value`), '1250000.50');
  assert.equal(xpath(f, `${A}/budget/value/@value-date`), '2025-01-01');
  const txns = (await srv.all('transactions', `programme=${prog.id}`)).sort((x, y) => x.date.localeCompare(y.date));
  assert.equal(count(f, `${A}/transaction`), txns.length);
  const codes = { incoming_funds: '1', commitment: '2', disbursement: '3', expenditure: '4' };
  txns.forEach((t, i) => {
    const T = `${A}/transaction[${i + 1}]`;
    assert.equal(xpath(f, `${T}/transaction-type/@code`), codes[t.kind]);
    assert.equal(xpath(f, `${T}/transaction-date/@iso-date`), t.date);
    const minor = Math.abs(t.amount);
    assert.equal(xpath(f, `${T}/value`), `${t.amount < 0 ? '-' : ''}${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`);
    assert.equal(xpath(f, `${T}/value/@currency`), t.currency === 'USD' ? '' : t.currency);
  });
  assert.equal(xpath(f, `${A}/transaction[1]/provider-org/@ref`), 'XM-TEST-DONOR');
  assert.equal(xpath(f, `${A}/transaction[1]/receiver-org/@ref`), 'XM-TEST-IMPL');
  assert.equal(xpath(f, `${A}/transaction[1]/@ref`), 'IN-1');
  assert.equal(count(f, `${A}/result`), 1, 'a result without an indicator is left out (the schema wants one)');
  const I = `${A}/result[@type='2']/indicator[@measure='1']`;
  assert.equal(xpath(f, `${I}/baseline/@year`), '2024');
  assert.equal(xpath(f, `${I}/period/target[not(dimension)]/@value`), '100');
  assert.equal(xpath(f, `${I}/period/actual[not(dimension)]/@value`), '80');
  assert.equal(xpath(f, `${I}/period/actual[dimension[@name='sex'][@value='female']]/@value`), '35');
  assert.equal(xpath(f, `${I}/period/actual[dimension[@name='sex'][@value='male']]/@value`), '45');
  assert.equal(xpath(f, `${I}/period/actual[dimension[@name='country'][@value='MA']]/@value`), '50');
  assert.equal(xpath(f, `${I}/period/actual[not(dimension)]/comment/narrative`), 'On track');
});

test('a computed indicator is exported with the figures the training records give; CFA francs without decimals', async () => {
  await fixture();
  // a programme paid in CFA francs (no minor unit: amounts are whole francs)
  const xof = await created('programmes', { iati_identifier: 'XM-TEST-IMPL-XOF', title: { fr: 'Programme en francs CFA' }, status: 'implementation', currency: 'XOF', budget: 1500000, start_date: '2025-01-01', end_date: '2025-12-31', countries: ['SN'] });
  await created('transactions', { programme: xof.id, kind: 'commitment', date: '2025-01-10', amount: 1500000, currency: 'XOF' });
  const f = path.join(dir, 'computed.xml');
  const e = cli(['export', 'iati', '--db', srv.db, '--out', f], { env: { SUIVI_IATI_NOW: NOW } });
  assert.equal(e.status, 0, e.stderr);
  validates(f);
  const X = "//iati-activity[iati-identifier='XM-TEST-IMPL-XOF']";
  assert.equal(xpath(f, `${X}/budget/value`), '1500000');
  assert.equal(xpath(f, `${X}/transaction/value`), '1500000');
  // every computed indicator of the demo: its periods' actuals as the results module
  // computes them for readers who are not staff (the file is public: sdc.h)
  const computed = (await srv.all('indicators')).filter((i) => i.computed !== 'manual');
  assert.ok(computed.length > 0, 'the demo has computed indicators');
  srv.addUser('iati_focal', 'focal', { country: 'MA' });
  const reader = { auth: srv.addToken('iati_focal').token };
  let checked = 0;
  for (const ind of computed) {
    const vals = (await srv.get(`/api/v1/indicators/${ind.id}/values`, reader)).json;
    const total = (vals.periods || vals.items || []).find((p) => !p.sex && !p.country);
    const I = `//indicator[title/narrative[@xml:lang='en']='${ind.title.en}']/period[period-start/@iso-date='${total && total.start_date}']`;
    if (total && total.suppressed) { // too few people to publish: no actual at all
      assert.equal(count(f, `${I}/actual[not(dimension)]`), 0, `${ind.title.en}: no actual for a small group`);
      checked++;
      continue;
    }
    if (!total || total.actual === null || total.actual === undefined) continue;
    assert.equal(xpath(f, `${I}/actual[not(dimension)]/@value`), String(total.actual), `${ind.title.en}: exported actual`);
    checked++;
  }
  assert.ok(checked > 0, 'a computed actual was compared');
  const x2 = path.join(dir, 'xof.db');
  rmSync(x2, { force: true });
});

// The same import over HTTP: POST /api/v1/iati/import (staff) and the page
// /programmes/import (a file upload, staff).
const HTTP_FILE = `<?xml version="1.0" encoding="UTF-8"?>
<iati-activities version="2.03">
 <iati-activity default-currency="XOF" xml:lang="fr">
  <iati-identifier>XX-HTTP-001</iati-identifier>
  <title><narrative>Programme importé par le web</narrative></title>
  <activity-status code="2"/>
  <recipient-country code="SN"/>
  <recipient-region code="298"/>
  <transaction><transaction-type code="2"/><transaction-date iso-date="2025-01-01"/><value value-date="2025-01-01">2500000</value></transaction>
 </iati-activity>
</iati-activities>
`;

function multipart(parts) {
  const boundary = '----suiviIatiTest';
  const chunks = [];
  for (const p of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"`;
    if (p.filename) head += `; filename="${p.filename}"\r\nContent-Type: application/xml`;
    chunks.push(Buffer.from(`${head}\r\n\r\n`), Buffer.from(p.value), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), type: `multipart/form-data; boundary=${boundary}` };
}

test('POST /api/v1/iati/import: staff import a file, its report in JSON; others may not; bad files change nothing', async () => {
  const xml = (body, opts = {}) => srv.request('POST', '/api/v1/iati/import?name=web.xml', { body: Buffer.from(body), headers: { 'Content-Type': 'application/xml' }, ...opts });
  const focal = srv.addUser('iati.focal', 'focal', { country: 'SN' });
  assert.ok(focal);
  const focalToken = srv.addToken('iati.focal').token;
  const before = await snapshot();
  assert.equal((await xml(HTTP_FILE, { auth: focalToken })).status, 403, 'a focal point may not');
  assert.equal((await srv.request('POST', '/api/v1/iati/import', { body: Buffer.from(HTTP_FILE), headers: { 'Content-Type': 'text/csv' } })).status, 415);
  assert.equal((await srv.get('/api/v1/iati/import')).status, 405);
  const bad = await xml('<iati-activities version="2.03"><iati-activity>');
  assert.equal(bad.status, 422, bad.text);
  assert.ok(bad.json.error.line >= 1 && bad.json.error.problem, bad.text);
  assert.deepEqual(await snapshot(), before, 'refused imports change nothing');
  const r = await xml(HTTP_FILE);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.activities, 1);
  assert.equal(r.json.programmes_created, 1);
  assert.equal(r.json.transactions, 1);
  assert.ok(r.json.left_out.some((x) => /recipient region 298/.test(x.message) && x.line === 8), r.text);
  const p = (await srv.all('programmes')).find((x) => x.iati_identifier === 'XX-HTTP-001');
  assert.ok(p, 'the programme is there');
  const t = await srv.all('transactions', `programme=${p.id}`);
  assert.equal(t.length, 1);
  assert.equal(t[0].amount, 2500000, 'CFA francs: whole francs');
  const again = await xml(HTTP_FILE);
  assert.equal(again.status, 200);
  assert.equal(again.json.programmes_created, 0);
  assert.equal(again.json.programmes_seen, 1);
  assert.equal(again.json.transactions, 0, 'idempotent');
});

test('the page /programmes/import: a staff upload with its report; a donor may not', async () => {
  const s = await srv.login();
  const form = await s.get('/programmes/import');
  assert.equal(form.status, 200);
  assert.match(form.text, /enctype="multipart\/form-data"/);
  assert.match(form.text, /<label for="iati-file">/);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)[1];
  const file = HTTP_FILE.replaceAll('XX-HTTP-001', 'XX-HTTP-PAGE');
  const m = multipart([{ name: '_csrf', value: csrf }, { name: 'file', filename: 'page.xml', value: file }]);
  const r = await s.request('POST', '/programmes/import', { body: m.body, headers: { 'Content-Type': m.type } });
  assert.equal(r.status, 200, r.text.slice(0, 500));
  assert.match(r.text, /class="ok"/);
  assert.match(r.text, /recipient region 298/, 'what was left out, with its line');
  assert.ok((await srv.all('programmes')).some((x) => x.iati_identifier === 'XX-HTTP-PAGE'));
  const list = await s.get('/programmes');
  assert.ok(list.text.includes('href="/programmes/import"'), 'staff find the import from the list');
  const noCsrf = multipart([{ name: 'file', filename: 'page.xml', value: file.replaceAll('XX-HTTP-PAGE', 'XX-HTTP-NOCSRF') }]);
  assert.equal((await s.request('POST', '/programmes/import', { body: noCsrf.body, headers: { 'Content-Type': noCsrf.type } })).status, 403, 'a form without the CSRF token');
  const broken = multipart([{ name: '_csrf', value: csrf }, { name: 'file', filename: 'bad.xml', value: '<iati-activities' }]);
  const b = await s.request('POST', '/programmes/import', { body: broken.body, headers: { 'Content-Type': broken.type } });
  assert.equal(b.status, 422);
  assert.match(b.text, /role="alert"/);
  const pw = srv.addUser('iati.donor', 'donor');
  const donor = new Session(srv);
  await donor.login('iati.donor', pw);
  assert.equal((await donor.get('/programmes/import')).status, 403);
  assert.ok(!(await donor.get('/programmes')).text.includes('href="/programmes/import"'), 'no link for a donor');
});

function importFile(db, file, check = true) {
  const r = cli(['import', 'iati', file, '--db', db]);
  if (check) assert.equal(r.status, 0, `import of ${file}: ${r.stderr}`);
  return r;
}

async function snapshot() {
  const out = {};
  for (const c of ['programmes', 'transactions', 'organisations', 'results', 'indicators', 'periods']) out[c] = await srv.all(c);
  out.audit = (await srv.getJSON('/api/v1/audit?limit=0')).total;
  return out;
}

test('the official example imports; what is left out is listed with its line', async () => {
  const r = importFile(srv.db, EXAMPLE);
  assert.match(r.stdout, /1 programmes created/);
  assert.match(r.stderr, /activity-standard-example-annotated\.xml:\d+: left out: recipient region 489/);
  assert.match(r.stderr, /:\d+: left out: participating organisation of role 2/);
  const p = (await srv.all('programmes')).find((x) => x.iati_identifier === 'AA-AAA-123456789-ABC123');
  assert.ok(p, 'the programme is there');
  assert.equal(p.title.en, 'Activity title');
  assert.equal(p.title.fr, "Titre de l'activité");
  assert.equal(p.start_date, '2012-04-28');
  const t = await srv.all('transactions', `programme=${p.id}`);
  assert.equal(t.length, 1);
  assert.equal(t[0].amount, 100000);
  assert.equal(t[0].currency, 'EUR');
  const orgs = await srv.all('organisations');
  assert.ok(orgs.some((o) => o.iati_ref === 'BB-BBB-123456789'), 'a funding organisation created with its identifier');
  // Not published: in staff's file, not in the public one until staff publish it.
  const has = (r) => r.text.includes('<iati-identifier>AA-AAA-123456789-ABC123</iati-identifier>');
  assert.ok(has(await download('/iati.xml', {})), 'staff\'s file follows writes (no stale cache)');
  assert.ok(!has(await download()), 'an imported programme is not published');
  assert.equal((await srv.patch(`/api/v1/programmes/${p.id}`, { published: true })).status, 200);
  assert.ok(has(await download()), 'the public file follows writes (no stale cache)');
});

const CRAFTED = `<?xml version="1.0" encoding="UTF-8"?>
<iati-activities version="2.01">
 <iati-activity default-currency="EUR" xml:lang="es">
  <iati-identifier>XX-CRAFT-201</iati-identifier>
  <title><narrative>Título solamente en español</narrative></title>
  <participating-org role="1" ref="XM-TEST-DONOR"><narrative xml:lang="en">Matched by identifier</narrative></participating-org>
  <participating-org role="1"><narrative xml:lang="en">Second donor</narrative></participating-org>
  <participating-org role="4" type="999"><narrative xml:lang="fr">Nouvel exécutant</narrative></participating-org>
  <activity-status code="42"/>
  <recipient-country code="SN"/>
  <recipient-country code="ZZ"/>
  <recipient-region code="298"/>
  <sector code="15220"/>
  <sector code="99999"/>
  <transaction><transaction-type code="11"/><transaction-date iso-date="2020-01-01"/><value value-date="2020-01-01">5</value></transaction>
  <transaction><transaction-type code="3"/><transaction-date iso-date="2020-02-01"/><value currency="XYZ" value-date="2020-02-01">5</value></transaction>
  <transaction><transaction-type code="3"/><transaction-date iso-date="2020-03-01"/><value value-date="2020-03-01">12.5</value></transaction>
  <transaction><transaction-type code="4"/><value value-date="2020-04-01">7.25</value>
   <provider-org ref="XM-TEST-IMPL"/></transaction>
 </iati-activity>
 <iati-activity>
  <title><narrative>No identifier</narrative></title>
 </iati-activity>
</iati-activities>
`;

test('a 2.01 file with missing parts and unknown codes: recorded where it can be, the rest reported', async () => {
  const f = path.join(dir, 'crafted.xml');
  writeFileSync(f, CRAFTED);
  const before = await srv.all('organisations');
  const r = importFile(srv.db, f);
  assert.match(r.stdout, /1 programmes created/);
  for (const re of [/crafted\.xml:15: left out: transaction of type 11/, /crafted\.xml:16: left out: unknown currency 'XYZ'/,
    /:12: left out: recipient region 298/, /:9: left out: unknown activity status/, /:8: left out: unknown organisation type '999'/,
    /recipient country ZZ unknown/, /sector 99999 has no theme/, /:5: left out: title: no French, English or Arabic text/,
    /:21: left out: activity without a usable iati-identifier/]) {
    assert.match(r.stderr, re);
  }
  const p = (await srv.all('programmes')).find((x) => x.iati_identifier === 'XX-CRAFT-201');
  assert.ok(p);
  assert.deepEqual(p.title, { en: 'Título solamente en español' });
  assert.equal(p.currency, 'EUR');
  assert.deepEqual(p.countries, ['SN']);
  assert.deepEqual(p.themes, ['pcve'], '15220 → the theme mapped to it');
  assert.ok(p.donors.includes(donor.id), 'matched by identifier');
  assert.ok(p.donors.includes(donor2.id), 'matched by name');
  const after = await srv.all('organisations');
  assert.equal(after.length, before.length + 1, 'one new organisation: the implementer');
  assert.equal(after.find((o) => o.id === p.implementer).name.fr, 'Nouvel exécutant');
  const t = (await srv.all('transactions', `programme=${p.id}`)).sort((x, y) => x.date.localeCompare(y.date));
  assert.deepEqual(t.map((x) => [x.kind, x.date, x.amount, x.currency]), [
    ['disbursement', '2020-03-01', 1250, 'EUR'], ['expenditure', '2020-04-01', 725, 'EUR']]);
  assert.equal(t[1].provider, impl.id);
});

test('the same file twice: the second import changes nothing (rows, versions, audit)', async () => {
  const f = path.join(dir, 'crafted.xml');
  writeFileSync(f, CRAFTED);
  importFile(srv.db, f);
  const before = await snapshot();
  const r = importFile(srv.db, f);
  assert.match(r.stdout, /0 programmes created, 1 already there; 0 transactions, 0 results and 0 organisations added/);
  assert.deepEqual(await snapshot(), before);
  importFile(srv.db, EXAMPLE);
  assert.deepEqual(await snapshot(), before);
});

test('all or nothing: a malformed file changes nothing', async () => {
  const before = await snapshot();
  const good = CRAFTED.replace('XX-CRAFT-201', 'XX-CRAFT-NEW');
  for (const [name, text] of [
    ['broken.xml', good.replace('</iati-activities>', '<iati-activity><title></iati-activity></iati-activities>')],
    ['truncated.xml', good.slice(0, good.length - 40)],
    ['not-iati.xml', '<?xml version="1.0"?><html><body/></html>'],
    ['v1.xml', good.replace('version="2.01"', 'version="1.05"')],
    ['empty.xml', ''],
    ['binary.xml', '\u0000\u0001garbage'],
  ]) {
    const f = path.join(dir, name);
    writeFileSync(f, text);
    const r = importFile(srv.db, f, false);
    assert.equal(r.status, 1, `${name}: ${r.stdout}`);
    assert.match(r.stderr, new RegExp(`${name.replace('.', '\\.')}:\\d+: .*nothing imported`), name);
  }
  assert.deepEqual(await snapshot(), before);
});

test('an external entity is not expanded (XXE), nor an internal one', async () => {
  const secret = path.join(dir, 'secret.txt');
  writeFileSync(secret, 'TOP-SECRET-CONTENT');
  const f = path.join(dir, 'xxe.xml');
  writeFileSync(f, `<?xml version="1.0"?>
<!DOCTYPE iati-activities [<!ENTITY xxe SYSTEM "file://${secret}"><!ENTITY lol "lollollol">]>
<iati-activities version="2.03"><iati-activity><iati-identifier>XX-XXE-1</iati-identifier>
<title><narrative xml:lang="en">Before &xxe; &lol; after</narrative></title></iati-activity></iati-activities>`);
  const r = importFile(srv.db, f, false);
  assert.ok(!/TOP-SECRET/.test(r.stdout + r.stderr));
  const p = (await srv.all('programmes')).find((x) => x.iati_identifier === 'XX-XXE-1');
  if (p) {
    assert.ok(!JSON.stringify(p).includes('TOP-SECRET'), 'the file was not read');
    assert.ok(!JSON.stringify(p).includes('lollol'), 'no entity substituted');
  }
});

test('export → import into an empty database → export: the same bytes', async () => {
  await fixture();
  const f1 = path.join(dir, 'rt1.xml'), f2 = path.join(dir, 'rt2.xml');
  const env = { SUIVI_IATI_NOW: NOW };
  assert.equal(cli(['export', 'iati', '--db', srv.db, '--out', f1], { env }).status, 0);
  const db = tempDb(dir, 'roundtrip');
  assert.equal(cli(['init', '--db', db]).status, 0);
  const r = importFile(db, f1);
  assert.equal(r.stderr, '', 'an export has nothing to leave out');
  assert.equal(cli(['export', 'iati', '--db', db, '--out', f2], { env }).status, 0);
  const a = readFileSync(f1, 'utf8'), b = readFileSync(f2, 'utf8');
  assert.ok(a.includes('XM-TEST-IMPL-P1'));
  assert.equal(b, a);
});

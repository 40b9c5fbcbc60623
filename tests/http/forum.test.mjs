// Events and the forum (DESIGN M5): registrations, attendance (one form, one
// transaction), badges; the forum evaluation form as a focal point, a donor and
// staff (scoping, upsert, validation); the forum report's means and execution rate
// against values computed here from the sheets and transactions made here; the
// `suivi report forum` CLI; the report as PDF (read back with poppler) and as a workbook
// (read back with openpyxl), for each reader as the page.  Both backends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { useServer, Session, cli, tempDir, ROOT } from './harness.mjs';

const srv = useServer();
const CRITERIA = ['relevance', 'coherence', 'effectiveness', 'efficiency', 'impact', 'sustainability'];
const ids = {};
const s = {}; // sessions

async function create(coll, json) {
  const r = await srv.post(`/api/v1/${coll}`, json);
  assert.equal(r.status, 201, `POST ${coll}: ${r.status} ${r.text.slice(0, 400)}`);
  return r.json.id;
}

async function session(name, role, opts = {}) {
  const password = srv.addUser(name, role, opts);
  const x = new Session(srv);
  assert.equal((await x.login(name, password)).status, 303);
  x.jar.set('lang', 'en');
  return x;
}

function sheet(programme, scores, extra = {}) {
  const f = { programme, ...extra };
  CRITERIA.forEach((c, i) => { f[c] = scores[i]; });
  return f;
}

test('setup: events, programmes, transactions and accounts', async () => {
  ids.conf = await create('meetings', { kind: 'conference', title: { en: 'Test conference', fr: 'Conférence test' }, start_date: '2026-03-02' });
  ids.forum = await create('meetings', { kind: 'forum', title: { en: 'Test forum', fr: 'Forum test' }, start_date: '2026-05-04', edition: 2 });
  ids.d1 = await create('organisations', { name: { en: 'Donor One' }, acronym: 'D1' });
  ids.d2 = await create('organisations', { name: { en: 'Donor Two' }, acronym: 'D2' });
  ids.p1 = await create('persons', { name: 'Awa Testperson', organisation: ids.d1 });
  ids.p2 = await create('persons', { name: 'Brahim Testperson' });
  ids.p3 = await create('persons', { name: 'Chloé Testperson' });
  const prog = (title, countries, donors) => create('programmes', {
    title: { en: title }, countries, donors, status: 'implementation', budget: 100000000, currency: 'USD',
  });
  ids.pa = await prog('Programme A', ['SN', 'MA'], [ids.d1]);
  ids.pb = await prog('Programme B', ['SN'], [ids.d2]);
  ids.pc = await prog('Programme C', ['CI'], [ids.d1]);
  const tx = (kind, amount, currency = 'USD') => create('transactions', { programme: ids.pa, kind, date: '2026-01-15', amount, currency });
  await tx('commitment', 50000000);
  await tx('disbursement', 20000000);
  await tx('expenditure', 5000000);
  await tx('disbursement', 99999, 'EUR'); // another currency: not counted
  // one manual indicator, halfway from its baseline to its target
  const result = await create('results', { programme: ids.pa, level: 'output', title: { en: 'Officers trained' } });
  const ind = await create('indicators', { result, title: { en: 'Officers certified' }, measure: 'unit', ascending: true, baseline: 0, computed: 'manual' });
  await create('periods', { indicator: ind, start_date: '2020-01-01', end_date: '2020-12-31', target: 10, actual: 5 });
  s.officer = await session('officer.forum', 'officer');
  s.sn = await session('focal.sn', 'focal', { country: 'SN' });
  s.ma = await session('focal.ma', 'focal', { country: 'MA' });
  s.d1 = await session('donor.d1', 'donor', { organisation: ids.d1 });
});

// ---- events ----------------------------------------------------------------------------

test('an officer registers people on a conference page, one person once', async () => {
  const page = await s.officer.get(`/meetings/${ids.conf}`);
  assert.equal(page.status, 200);
  assert.match(page.text, /id="registrations"/);
  assert.match(page.text, new RegExp(`action="/meetings/${ids.conf}/register"`));
  let r = await s.officer.form(`/meetings/${ids.conf}/register`, { person: ids.p1, country: 'SN', role: 'speaker' });
  assert.equal(r.status, 303, r.text.slice(0, 300));
  r = await s.officer.form(`/meetings/${ids.conf}/register`, { person: '', person_number: ids.p2, country: 'MA', role: 'delegate' });
  assert.equal(r.status, 303, r.text.slice(0, 300));
  r = await s.officer.form(`/meetings/${ids.conf}/register`, { person: ids.p1, country: 'SN', role: 'delegate' });
  assert.equal(r.status, 409, 'the same person twice');
  r = await s.officer.form(`/meetings/${ids.conf}/register`, { person_number: '99999999', role: 'delegate' });
  assert.equal(r.status, 422, 'an unknown person');
  r = await s.officer.form(`/meetings/${ids.conf}/register`, { person: ids.p3, role: 'delegate' }, { csrf: false });
  assert.equal(r.status, 403, 'no CSRF token');
  const regs = await srv.all('registrations', `meeting=${ids.conf}`);
  assert.equal(regs.length, 2);
  const awa = regs.find((x) => x.person === ids.p1);
  assert.equal(awa.organisation, ids.d1, "the person's own organisation by default");
  assert.equal(awa.role, 'speaker');
  assert.ok(regs.every((x) => x.attended === false));
  ids.rAwa = awa.id;
  ids.rBrahim = regs.find((x) => x.person === ids.p2).id;
});

test('attendance of many at once, in one transaction', async () => {
  let r = await s.officer.form(`/meetings/${ids.conf}/attendance`, [['reg', ids.rAwa], ['reg', ids.rBrahim], ['attended', ids.rAwa]]);
  assert.equal(r.status, 303, r.text.slice(0, 300));
  let regs = await srv.all('registrations', `meeting=${ids.conf}`);
  assert.equal(regs.find((x) => x.id === ids.rAwa).attended, true);
  assert.equal(regs.find((x) => x.id === ids.rBrahim).attended, false);
  // A registration of another meeting in the form: nothing is saved.
  ids.rForum = await create('registrations', { meeting: ids.forum, person: ids.p3, country: 'CI', role: 'observer' });
  r = await s.officer.form(`/meetings/${ids.conf}/attendance`, [['reg', ids.rAwa], ['reg', ids.rBrahim], ['attended', ids.rBrahim],
    ['reg', ids.rForum], ['attended', ids.rForum]]);
  assert.equal(r.status, 422);
  regs = await srv.all('registrations', `meeting=${ids.conf}`);
  assert.equal(regs.find((x) => x.id === ids.rAwa).attended, true, 'unchanged');
  assert.equal(regs.find((x) => x.id === ids.rBrahim).attended, false, 'unchanged: the whole form was refused');
  assert.equal((await srv.getJSON(`/api/v1/registrations/${ids.rForum}`)).attended, false);
  // a focal point may not
  r = await s.sn.form(`/meetings/${ids.conf}/attendance`, [['reg', ids.rBrahim], ['attended', ids.rBrahim]]);
  assert.equal(r.status, 403);
});

test('counts by role and by country, attended against registered', async () => {
  const page = await s.officer.get(`/meetings/${ids.conf}`);
  assert.match(page.text, /2 registered, 1 attended\./);
  assert.match(page.text, /<tr><th scope="row">speaker<\/th><td class="num">1<\/td><td class="num">1<\/td><\/tr>/);
  assert.match(page.text, /<tr><th scope="row">delegate<\/th><td class="num">1<\/td><td class="num">0<\/td><\/tr>/);
  assert.match(page.text, /Senegal<\/th><td class="num">1<\/td><td class="num">1<\/td>/);
  // a focal point sees the counts and its own country's registrations only
  const sn = await s.sn.get(`/meetings/${ids.conf}`);
  assert.equal(sn.status, 200);
  assert.match(sn.text, /2 registered, 1 attended\./);
  assert.ok(sn.text.includes('Awa Testperson'));
  assert.ok(!sn.text.includes('Brahim Testperson'), "another country's registration");
  assert.ok(!sn.text.includes('/badges'), 'no badges link');
  // a donor sees the counts only
  const d = await s.d1.get(`/meetings/${ids.conf}`);
  assert.match(d.text, /2 registered, 1 attended\./);
  assert.ok(!d.text.includes('Awa Testperson'));
});

test('badges: staff only, A4 page and CSV', async () => {
  const r = await s.officer.get(`/meetings/${ids.conf}/badges`);
  assert.equal(r.status, 200);
  assert.equal((r.text.match(/<li class="badge /g) || []).length, 2);
  assert.match(r.text, /<p class="badge-name">Awa Testperson<\/p><p class="badge-org">Donor One<\/p><p class="badge-country">Senegal<\/p><p class="badge-role">speaker<\/p>/);
  assert.match(r.text, /href="\/static\/forum\.[0-9a-f]{8}\.css"/);
  const csv = await s.officer.get(`/meetings/${ids.conf}/badges.csv`);
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /^text\/csv/);
  assert.ok(csv.text.startsWith('person,name,organisation,acronym,country,country_name,role,attended\r\n'));
  assert.ok(csv.text.includes(`${ids.p1},Awa Testperson,Donor One,D1,SN,Senegal,speaker,true\r\n`), csv.text);
  for (const who of [s.sn, s.d1]) {
    assert.equal((await who.get(`/meetings/${ids.conf}/badges`)).status, 403);
    assert.equal((await who.get(`/meetings/${ids.conf}/badges.csv`)).status, 403);
  }
  assert.equal((await s.officer.get('/meetings/99999999/badges')).status, 404);
});

test("a conference's outcomes reach the follow-up board filtered by that meeting", async () => {
  const o = await create('outcomes', { meeting: ids.conf, kind: 'decision', text: { en: 'Conference decision' } });
  await create('actions', { outcome: o, title: { en: 'Conference follow-up action' }, due_date: '2027-01-01' });
  const board = await s.officer.get(`/board?meeting=${ids.conf}`);
  assert.equal(board.status, 200);
  assert.ok(board.text.includes('Conference follow-up action'));
  const api = await srv.getJSON(`/api/v1/followup?meeting=${ids.conf}`);
  assert.equal(api.total, 1);
});

// ---- the evaluation form ------------------------------------------------------------------

const count = async () => (await srv.all('evaluations', `meeting=${ids.forum}`)).length;

test('a focal point sees the programmes of its country only; a non-forum is 404', async () => {
  const r = await s.sn.get(`/forum/${ids.forum}/evaluate`);
  assert.equal(r.status, 200);
  assert.ok(r.text.includes('Programme A') && r.text.includes('Programme B'));
  assert.ok(!r.text.includes('Programme C'));
  assert.equal((await s.sn.get(`/forum/${ids.conf}/evaluate`)).status, 404);
  assert.equal((await s.sn.get('/forum/99999999/evaluate')).status, 404);
  const form = await s.sn.get(`/forum/${ids.forum}/evaluate?programme=${ids.pa}`);
  assert.equal(form.status, 200);
  for (const c of CRITERIA) {
    for (let i = 1; i <= 5; i++) assert.match(form.text, new RegExp(`<input type="radio" name="${c}" id="${c}-${i}" value="${i}"><label for="${c}-${i}">`));
    assert.match(form.text, new RegExp(`<label for="${c}_comment">`));
  }
  assert.match(form.text, /name="_csrf"/);
  assert.equal((await s.sn.get(`/forum/${ids.forum}/evaluate?programme=${ids.pc}`)).status, 403);
});

test('a focal point saves a sheet as its country; another country or programme is refused', async () => {
  let r = await s.sn.form(`/forum/${ids.forum}/evaluate`, sheet(ids.pa, [4, 3, 4, 2, 3, 5], { relevance_comment: 'Useful to our coast guard' }));
  assert.equal(r.status, 303, r.text.slice(0, 500));
  let evs = await srv.all('evaluations', `meeting=${ids.forum}`);
  assert.equal(evs.length, 1);
  assert.equal(evs[0].country, 'SN');
  assert.equal(evs[0].rater, 'beneficiary');
  assert.equal(evs[0].relevance, 4);
  r = await s.sn.form(`/forum/${ids.forum}/evaluate`, sheet(ids.pa, [1, 1, 1, 1, 1, 1], { rater: 'beneficiary', country: 'MA' }));
  assert.equal(r.status, 403, 'as another country');
  r = await s.sn.form(`/forum/${ids.forum}/evaluate`, sheet(ids.pc, [1, 1, 1, 1, 1, 1]));
  assert.equal(r.status, 403, 'a programme of another country');
  r = await s.sn.form(`/forum/${ids.forum}/evaluate`, sheet(ids.pa, [1, 1, 1, 1, 1, 1], { rater: 'donor', organisation: ids.d1 }));
  assert.equal(r.status, 403, 'as a donor');
  r = await s.sn.form(`/forum/${ids.forum}/evaluate`, sheet(ids.pa, [1, 1, 1, 1, 1, 1]), { csrf: false });
  assert.equal(r.status, 403, 'no CSRF token');
  evs = await srv.all('evaluations', `meeting=${ids.forum}`);
  assert.equal(evs.length, 1);
  assert.equal(evs[0].relevance, 4, 'nothing saved');
});

test('saving again updates the sheet (no duplicate) and the form shows what was given', async () => {
  let form = await s.sn.get(`/forum/${ids.forum}/evaluate?programme=${ids.pa}`);
  assert.match(form.text, /<input type="radio" name="relevance" id="relevance-4" value="4" checked>/);
  assert.match(form.text, /Useful to our coast guard<\/textarea>/);
  const version = /name="_version" value="(\d+)"/.exec(form.text)[1];
  const r = await s.sn.form(`/forum/${ids.forum}/evaluate`, sheet(ids.pa, [5, 4, 4, 3, 3, 4], { _version: version, relevance_comment: 'Very useful' }));
  assert.equal(r.status, 303, r.text.slice(0, 500));
  const evs = await srv.all('evaluations', `meeting=${ids.forum}`);
  assert.equal(evs.length, 1);
  assert.equal(evs[0].relevance, 5);
  assert.equal(evs[0].relevance_comment, 'Very useful');
  form = await s.sn.get(`/forum/${ids.forum}/evaluate`);
  assert.match(form.text, /rated/);
  // a stale version is refused
  const stale = await s.sn.form(`/forum/${ids.forum}/evaluate`, sheet(ids.pa, [1, 1, 1, 1, 1, 1], { _version: version }));
  assert.equal(stale.status, 412);
  assert.equal((await srv.all('evaluations', `meeting=${ids.forum}`))[0].relevance, 5);
});

test('field errors are shown next to the fields and nothing is saved', async () => {
  const f = sheet(ids.pa, ['', 3, 3, 9, 3, 3]);
  const r = await s.ma.form(`/forum/${ids.forum}/evaluate`, f);
  assert.equal(r.status, 422);
  assert.match(r.text, /<fieldset class="criterion" id="c-relevance" aria-invalid="true"[^>]*>.*?<p class="field-error" id="e-relevance">/s);
  assert.match(r.text, /<fieldset class="criterion" id="c-efficiency" aria-invalid="true"[^>]*>.*?<p class="field-error" id="e-efficiency">/s);
  assert.match(r.text, /<input type="radio" name="coherence" id="coherence-3" value="3" checked>/, 'what was given stays');
  assert.equal(await count(), 1);
});

test('a donor rates the programmes it funds only', async () => {
  const list = await s.d1.get(`/forum/${ids.forum}/evaluate`);
  assert.equal(list.status, 200);
  assert.ok(list.text.includes('Programme A') && list.text.includes('Programme C'));
  assert.ok(!list.text.includes('Programme B'));
  let r = await s.d1.form(`/forum/${ids.forum}/evaluate`, sheet(ids.pa, [3, 3, 2, 2, 2, 3], { impact_comment: 'Too early to say' }));
  assert.equal(r.status, 303, r.text.slice(0, 500));
  r = await s.d1.form(`/forum/${ids.forum}/evaluate`, sheet(ids.pb, [1, 1, 1, 1, 1, 1]));
  assert.equal(r.status, 403, 'a programme it does not fund');
  // nor through the API
  r = await s.d1.post('/api/v1/evaluations', { meeting: ids.forum, programme: ids.pb, rater: 'donor', organisation: ids.d1, ...Object.fromEntries(CRITERIA.map((c) => [c, 1])) });
  assert.equal(r.status, 422);
  const evs = await srv.all('evaluations', `meeting=${ids.forum}`);
  assert.equal(evs.length, 2);
  assert.ok(evs.some((e) => e.rater === 'donor' && e.organisation === ids.d1 && e.programme === ids.pa));
});

test('staff enter a sheet on behalf of a country', async () => {
  const choose = await s.officer.get(`/forum/${ids.forum}/evaluate`);
  assert.equal(choose.status, 200);
  assert.match(choose.text, /name="rater" value="beneficiary"/);
  const list = await s.officer.get(`/forum/${ids.forum}/evaluate?rater=beneficiary&country=MA`);
  assert.ok(list.text.includes('Programme A') && !list.text.includes('Programme B'));
  const r = await s.officer.form(`/forum/${ids.forum}/evaluate`, sheet(ids.pa, [2, 4, 3, 3, 4, 2], { rater: 'beneficiary', country: 'MA' }));
  assert.equal(r.status, 303, r.text.slice(0, 500));
  assert.equal(await count(), 3);
});

// ---- the report -----------------------------------------------------------------------------

function section(html, id) {
  const i = html.indexOf(`<section class="r-programme" id="prog-${id}">`);
  assert.ok(i >= 0, `section of programme ${id}`);
  return html.slice(i, html.indexOf('</section>', i));
}

function expectedMeans(evs, programme, rater) {
  const mine = evs.filter((e) => e.programme === programme && e.rater === rater);
  return CRITERIA.map((c) => (mine.reduce((a, e) => a + e[c], 0) / mine.length).toFixed(2));
}

function shownMeans(sec) {
  return CRITERIA.map((c) => {
    const m = new RegExp(`<tr class="c-${c}"><th scope="row">[^<]+</th><td class="num" data-value="([0-9.]+)">[^<]+</td><td class="num"(?: data-value="([0-9.]+)")?>`).exec(sec);
    assert.ok(m, `row of ${c}`);
    return [m[1], m[2]];
  });
}

test('the forum report shows the means of the sheets and the execution rate of the transactions', async () => {
  const evs = await srv.all('evaluations', `meeting=${ids.forum}`);
  const ben = expectedMeans(evs, ids.pa, 'beneficiary');
  const don = expectedMeans(evs, ids.pa, 'donor');
  assert.deepEqual(ben, ['3.50', '4.00', '3.50', '3.00', '3.50', '3.00']);
  const r = await s.officer.get(`/forum/${ids.forum}/report`);
  assert.equal(r.status, 200);
  const sec = section(r.text, ids.pa);
  assert.deepEqual(shownMeans(sec), CRITERIA.map((c, i) => [ben[i], don[i]]));
  assert.match(sec, /Beneficiaries \(n = 2\)/);
  assert.match(sec, /Donors \(n = 1\)/);
  // (20,000,000 + 5,000,000) / 50,000,000: the EUR disbursement is another currency
  assert.match(sec, /<tr class="execution"><th scope="row">[^<]+<\/th><td class="num" data-value="50\.0">50%<\/td>/);
  assert.match(sec, /USD 500,000\.00/);
  // results_programme_achievement: (5 - 0) / (10 - 0)
  assert.match(sec, /<tr class="achievement"><th scope="row">[^<]+<\/th><td class="num" data-value="50\.0">50% <span class="n">\(1\/1\)<\/span><\/td>/);
  assert.match(sec, /<svg class="chart" role="img"/);
  // staff read comments with their author
  assert.match(sec, /Senegal \(beneficiary\) : <q>Very useful<\/q>/);
  assert.match(sec, /Donor One \(donor\) : <q>Too early to say<\/q>/);
  assert.match(r.text, /@page|forum\.[0-9a-f]{8}\.css/);
});

test('a donor sees only the programmes it funds, comments unattributed', async () => {
  const r = await s.d1.get(`/forum/${ids.forum}/report`);
  assert.equal(r.status, 200);
  assert.ok(r.text.includes(`id="prog-${ids.pa}"`));
  assert.ok(r.text.includes(`id="prog-${ids.pc}"`));
  assert.ok(!r.text.includes(`id="prog-${ids.pb}"`));
  const sec = section(r.text, ids.pa);
  assert.match(sec, /a beneficiary state \(beneficiary\) : <q>Very useful<\/q>/);
  assert.ok(!/Senegal \(beneficiary\)/.test(sec));
  const sn = await s.sn.get(`/forum/${ids.forum}/report`);
  assert.equal(sn.status, 200);
  assert.ok(sn.text.includes(`id="prog-${ids.pb}"`), 'a focal point sees every programme');
  assert.equal((await s.sn.get(`/forum/${ids.conf}/report`)).status, 404);
  assert.equal((await srv.visitor().get(`/forum/${ids.forum}/report`)).status, 303, 'visitors sign in first');
});

test('suivi report forum writes the file', async () => {
  const dir = tempDir();
  const out = path.join(dir, 'forum.html');
  const r = cli(['report', 'forum', '--meeting', String(ids.forum), '--lang', 'en', '--out', out, '--db', srv.db]);
  assert.equal(r.status, 0, r.stderr);
  const html = readFileSync(out, 'utf8');
  assert.match(html, /^<!DOCTYPE html>\n<html lang="en" dir="ltr">/);
  const evs = await srv.all('evaluations', `meeting=${ids.forum}`);
  assert.deepEqual(shownMeans(section(html, ids.pa)).map((x) => x[0]), expectedMeans(evs, ids.pa, 'beneficiary'));
  assert.ok(html.includes(`id="prog-${ids.pb}"`), 'the command line sees everything');
  const bad = cli(['report', 'forum', '--meeting', String(ids.conf), '--db', srv.db]);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /no forum/);
});

// ---- the report as PDF and as a workbook ------------------------------------------------------

function run(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** The PDF's text and fonts; its first page rendered. */
function readPdf(bytes) {
  const dir = tempDir();
  const file = path.join(dir, 'r.pdf');
  writeFileSync(file, bytes);
  run('pdftoppm', ['-r', '50', '-png', '-f', '1', '-l', '1', file, path.join(dir, 'p')]);
  return { text: run('pdftotext', ['-enc', 'UTF-8', file, '-']), fonts: run('pdffonts', [file]) };
}

/** What openpyxl reads in a workbook: its sheets by title, each an array of rows. */
function readBook(bytes) {
  const file = path.join(tempDir(), 'r.xlsx');
  writeFileSync(file, bytes);
  const out = JSON.parse(run('/usr/bin/python3', [path.join(ROOT, 'tests/http/xlsx-read.py'), file]));
  return Object.fromEntries(out.sheets.map((sh) => [sh.title, sh]));
}

/** GET path as session x reading lang. */
async function inLang(x, lang, p) {
  x.jar.set('lang', lang);
  try {
    return await x.get(p);
  } finally {
    x.jar.set('lang', 'en');
  }
}

const value = (c) => (c === null ? null : c.n ?? c.s ?? c.d ?? c.b);

test('GET /forum/ID/report.xlsx: a sheet per table, typed cells, the same figures as the page', async () => {
  const page = await s.officer.get(`/forum/${ids.forum}/report`);
  for (const ext of ['pdf', 'xlsx']) assert.ok(page.text.includes(`href="/forum/${ids.forum}/report.${ext}"`), `the page links to its ${ext}`);
  const r = await s.officer.get(`/forum/${ids.forum}/report.xlsx`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.match(r.headers.get('content-disposition'), /^attachment; filename="forum-report-\d+\.xlsx"$/);
  const book = readBook(r.body);
  assert.deepEqual(Object.keys(book), ['Report', 'Programmes at a glance', 'Mean scores by criterion',
    'Effectiveness evidence', 'Open needs it answers', 'Comments']);
  assert.match(value(book.Report.rows[0][0]), /^Forum report — Test forum$/);
  for (const sh of Object.values(book).slice(1)) assert.equal(sh.freeze, 'A2', `${sh.title}: header frozen`);
  const evs = await srv.all('evaluations', `meeting=${ids.forum}`);
  const ben = expectedMeans(evs, ids.pa, 'beneficiary').map((m) => Math.round(Number(m) * 10) / 10);
  const scores = book['Mean scores by criterion'].rows.filter((row) => value(row[0]) === 'Programme A');
  assert.deepEqual(scores.map((row) => value(row[2])), ben, 'the beneficiaries\' means, one decimal');
  assert.deepEqual(scores[0][2], { n: ben[0], f: '0.0' });
  assert.deepEqual(scores[0][3], { n: 2 }, 'from two sheets');
  const head = book['Effectiveness evidence'].rows[0].map(value);
  const evidence = Object.fromEntries(head.map((h, i) => [h, book['Effectiveness evidence'].rows.find((row) => value(row[0]) === 'Programme A')[i]]));
  assert.deepEqual(evidence['Funding execution rate'], { n: 0.5, f: '0%' }, '(20,000,000 + 5,000,000) / 50,000,000');
  assert.deepEqual(evidence.Committed, { n: 500000, f: '#,##0.00 "USD"' }, 'money in its currency\'s format');
  assert.deepEqual(evidence['Indicator achievement'], { n: 0.5, f: '0%' });
  const programmes = book['Programmes at a glance'].rows.slice(1).map((row) => value(row[0]));
  for (const p of ['Programme A', 'Programme B', 'Programme C']) assert.ok(programmes.includes(p), `${p} in ${programmes}`);
  const comments = book.Comments.rows.map((row) => row.map(value).join(' | '));
  assert.ok(comments.some((c) => /^Programme A \| \w+ \| Senegal \| beneficiary \| Very useful$/.test(c)), comments.join('\n'));
});

test('the report as a workbook for a donor: its programmes only, comments unattributed; in Arabic, right to left', async () => {
  const book = readBook((await s.d1.get(`/forum/${ids.forum}/report.xlsx`)).body);
  const programmes = book['Programmes at a glance'].rows.slice(1).map((row) => value(row[0]));
  assert.deepEqual(programmes.sort(), ['Programme A', 'Programme C'], 'the programmes it funds');
  const comments = book.Comments.rows.map((row) => row.map(value).join(' | '));
  assert.ok(comments.some((c) => c.includes('a beneficiary state | beneficiary | Very useful')), comments.join('\n'));
  assert.ok(!comments.some((c) => c.includes('Senegal')));
  const sheets = Object.values(readBook((await inLang(s.d1, 'ar', `/forum/${ids.forum}/report.xlsx`)).body));
  assert.ok(sheets.every((sh) => sh.rtl), 'every sheet right to left');
  assert.equal(sheets[0].title, 'التقرير');
});

test('GET /forum/ID/report.pdf: the tables and charts of the page, fonts embedded, in French, English and Arabic', async () => {
  const en = await s.officer.get(`/forum/${ids.forum}/report.pdf`);
  assert.equal(en.status, 200, en.text);
  assert.equal(en.headers.get('content-type'), 'application/pdf');
  const pdf = readPdf(en.body);
  for (const t of ['Forum report — Test forum', 'Programmes at a glance', 'Programme A', 'Beneficiaries (n = 2)',
    'Donors (n = 1)', 'Relevance', 'Sustainability', 'USD 500,000.00', 'Effectiveness evidence', 'Very useful', 'Senegal'])
    assert.ok(pdf.text.includes(t), `${t} in:\n${pdf.text}`);
  for (const line of pdf.fonts.split('\n').slice(2).filter(Boolean)) assert.match(line, /\byes\s+yes\s+yes\b/, `embedded, subset, with its map: ${line}`);
  const fr = readPdf((await inLang(s.officer, 'fr', `/forum/${ids.forum}/report.pdf`)).body);
  assert.ok(fr.text.includes('Rapport du forum — Forum test'), fr.text);
  assert.match(fr.text, /500\s000,00\sUSD/, 'French amounts');
  const ar = readPdf((await inLang(s.officer, 'ar', `/forum/${ids.forum}/report.pdf`)).body);
  assert.ok(ar.text.includes('تقرير المنتدى'), ar.text);
  assert.match(ar.fonts, /Arabic|Amiri/);
  const donor = readPdf((await s.d1.get(`/forum/${ids.forum}/report.pdf`)).body);
  assert.ok(!donor.text.includes('Programme B'), 'a donor: the programmes it funds');
  assert.ok(!donor.text.includes('Senegal'), 'comments unattributed');
  assert.equal((await s.sn.get(`/forum/${ids.conf}/report.pdf`)).status, 404, 'not a forum');
  assert.equal((await srv.visitor().get(`/forum/${ids.forum}/report.pdf`)).status, 303, 'visitors sign in first');
});

test('a long comment is cut at 1,000 characters in the files, as on the page, so that its row fits a page', async () => {
  const evs = await srv.all('evaluations', `meeting=${ids.forum}`);
  const ev = evs.find((e) => e.programme === ids.pc) || evs[0];
  const long = `${'Long comment. '.repeat(200)}END`;
  const r = await srv.patch(`/api/v1/evaluations/${ev.id}`, { coherence_comment: long });
  assert.equal(r.status, 200, r.text);
  const book = readBook((await s.officer.get(`/forum/${ids.forum}/report.xlsx`)).body);
  const cell = book.Comments.rows.map((row) => value(row[4])).find((c) => c && c.startsWith('Long comment.'));
  assert.ok(cell, 'the comment in the workbook');
  assert.equal([...cell].length, 1001, 'its first 1,000 characters and an ellipsis');
  assert.ok(cell.endsWith('…') && !cell.includes('END'));
  const pdf = readPdf((await s.officer.get(`/forum/${ids.forum}/report.pdf`)).body);
  assert.ok(pdf.text.includes('Long comment.') && !pdf.text.includes('END'), 'cut in the PDF too');
  const html = (await s.officer.get(`/forum/${ids.forum}/report`)).text;
  assert.ok(html.includes('Long comment.') && !html.includes('END'), 'as the page');
});

test('suivi report forum --format pdf|xlsx writes the files', () => {
  const dir = tempDir();
  for (const format of ['pdf', 'xlsx']) {
    const out = path.join(dir, `forum.${format}`);
    const r = cli(['report', 'forum', '--meeting', String(ids.forum), '--lang', 'en', '--format', format, '--out', out, '--db', srv.db]);
    assert.equal(r.status, 0, r.stderr);
    const bytes = readFileSync(out);
    if (format === 'pdf') assert.ok(readPdf(bytes).text.includes('Programme B'), 'the command line sees everything');
    else assert.ok(book_has(readBook(bytes), 'Programme B'));
  }
  const bad = cli(['report', 'forum', '--meeting', String(ids.forum), '--format', 'odt', '--db', srv.db], { check: false });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--format takes html, pdf or xlsx/);
});

function book_has(book, text) {
  return Object.values(book).some((sh) => sh.rows.some((row) => row.some((c) => value(c) === text)));
}

test('server stops cleanly', () => srv.stop());

// PDFs (issue 15, items 4 and 5): certificates with a signed QR code, event badges and the
// follow-up report (and the same report as a workbook).  Certificates: one enrolment's
// certificate and a session's, read back with poppler (pdftotext, pdffonts, pdftoppm)
// and zbar (zbarimg); a participant's Arabic name comes out shaped, in an Arabic font,
// in logical order; the QR code decodes to the verification address, whose Ed25519
// signature a third party checks with the published key and Node's own crypto, without
// suivi; an altered address is refused.  Staff only.  Both backends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, readFileSync } from 'node:fs';
import crypto from 'node:crypto';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { useServer, useTempDirs, cli, USER_PASSWORD, ROOT } from './harness.mjs';

const srv = useServer();
const fresh = useTempDirs();

function run(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** The PDF's text, its fonts, and what zbarimg reads on its first page at 150 dpi. */
function readPdf(bytes) {
  const dir = fresh();
  const file = path.join(dir, 'c.pdf');
  writeFileSync(file, bytes);
  const text = run('pdftotext', ['-enc', 'UTF-8', file, '-']);
  const fonts = run('pdffonts', [file]);
  const pages = Number(/Pages:\s+(\d+)/.exec(run('pdfinfo', [file]))[1]);
  run('pdftoppm', ['-r', '150', '-png', '-f', '1', '-l', '1', file, path.join(dir, 'p')]);
  const qr = spawnSync('zbarimg', ['-q', '--raw', path.join(dir, 'p-1.png')], { encoding: 'utf8' });
  assert.equal(qr.status, 0, `zbarimg found no code: ${qr.stderr}`);
  return { text, fonts, pages, qr: qr.stdout.trim() };
}

let arabic; // an enrolment whose participant has an Arabic name
test('set up: a participant named in Arabic script completes a session', async () => {
  const p = await srv.post('/api/v1/participants', { family_name: 'العلوي', given_names: 'فاطمة', country: 'MA', sample: true });
  assert.equal(p.status, 201, p.text);
  const e = await srv.post('/api/v1/enrolments', { participant: p.json.id, session: 1, days_attended: 5, completed: true, sample: true });
  assert.equal(e.status, 201, e.text);
  assert.match(e.json.certificate, /^PO-\d{4}-[0-9A-Z]{8}$/);
  arabic = e.json;
});

test('GET /enrolments/ID/certificate.pdf: bilingual text, the Arabic name in logical order, embedded fonts, a QR code', async () => {
  const r = await srv.get(`/enrolments/${arabic.id}/certificate.pdf`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.headers.get('content-type'), 'application/pdf');
  const pdf = readPdf(r.body);
  assert.equal(pdf.pages, 1);
  assert.match(pdf.text, /Certificat de formation/);
  assert.match(pdf.text, /Certificate of training/);
  assert.ok(pdf.text.includes('فاطمة العلوي'), `the Arabic name, in logical order:\n${pdf.text}`);
  assert.ok(pdf.text.includes(arabic.certificate));
  assert.match(pdf.text, /Délivré le \d+ \S+ \d{4} \/ Issued on \d+ \S+ \d{4}/, 'the date of issue');
  assert.match(pdf.fonts, /NotoSans-Regular/);
  assert.match(pdf.fonts, /Arabic|Amiri/, 'an Arabic font for the name');
  for (const line of pdf.fonts.split('\n').slice(2).filter(Boolean)) assert.match(line, /\byes\s+yes\s+yes\b/, `embedded, subset, with its map: ${line}`);
  const url = new URL(pdf.qr);
  assert.equal(url.pathname, `/verify/${arabic.certificate}`);
  assert.deepEqual([...url.searchParams.keys()], ['course', 'start', 'end', 'sig']);
  assert.ok(!/فاطمة|العلوي/.test(decodeURIComponent(pdf.qr)), 'no name in the code');
});

test('the QR code\'s signature holds for anyone with the published key, and /verify says so; altered, it does not', async () => {
  const r = await srv.get(`/enrolments/${arabic.id}/certificate.pdf`);
  const url = new URL(readPdf(r.body).qr);
  const key = await srv.visitor().get('/.well-known/suivi-certificate-key');
  assert.equal(key.status, 200);
  const x = /^ed25519-base64url (\S+)$/m.exec(key.text)[1];
  const q = url.searchParams;
  const number = decodeURIComponent(url.pathname.split('/').pop());
  const message = `suivi certificate 1\n${number}\n${q.get('course')}\n${q.get('start')}\n${q.get('end')}\n`;
  const pub = crypto.createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
  assert.ok(crypto.verify(null, Buffer.from(message), pub, Buffer.from(q.get('sig'), 'base64url')), 'checked without suivi');
  assert.ok(!crypto.verify(null, Buffer.from(message.replace(q.get('end'), '2099-01-01')), pub, Buffer.from(q.get('sig'), 'base64url')));
  const visitor = srv.visitor({ cookies: { lang: 'en' } });
  let page = await visitor.get(url.pathname + url.search);
  assert.equal(page.status, 200);
  assert.match(page.text, /The signature of the QR code holds/);
  assert.ok(!page.text.includes('العلوي'), 'the public page shows no name');
  const api = await visitor.get(`/api/v1${url.pathname}${url.search}`);
  assert.equal(api.json.valid, true);
  assert.equal(api.json.signature, true);
  const altered = new URLSearchParams(q);
  altered.set('end', '2099-01-01');
  page = await visitor.get(`${url.pathname}?${altered}`);
  assert.match(page.text, /The signature of the QR code does not hold/);
  assert.match(page.text, /class="verdict invalid"/);
  const forged = new URLSearchParams(q);
  forged.set('sig', Buffer.alloc(64, 1).toString('base64url'));
  assert.equal((await visitor.get(`/api/v1${url.pathname}?${forged}`)).json.signature, false);
});

test('GET /sessions/ID/certificates.pdf: a page per certificate of the session', async () => {
  const r = await srv.get('/sessions/1/certificates.pdf');
  assert.equal(r.status, 200, r.text);
  const list = await srv.get('/api/v1/enrolments?session=1&completed=true&limit=500');
  const pdf = readPdf(r.body);
  assert.equal(pdf.pages, list.json.items.filter((e) => e.certificate).length);
  for (const e of list.json.items) if (e.certificate) assert.ok(pdf.text.includes(e.certificate), e.certificate);
});

test('certificates are for staff; none for an enrolment not completed', async () => {
  srv.addUser('focal-pdf', 'focal', { country: 'MA' });
  const s = await srv.login('focal-pdf', USER_PASSWORD);
  for (const p of [`/enrolments/${arabic.id}/certificate.pdf`, '/sessions/1/certificates.pdf']) {
    assert.equal((await s.get(p)).status, 403, p);
    assert.equal((await srv.visitor().get(p)).status, 303, p);
  }
  const open = await srv.post('/api/v1/enrolments', { participant: arabic.participant, session: 2, completed: false });
  assert.equal(open.status, 201, open.text);
  assert.equal((await srv.get(`/enrolments/${open.json.id}/certificate.pdf`)).status, 404);
  assert.equal((await srv.get('/enrolments/999999/certificate.pdf')).status, 404);
});

test('GET /meetings/ID/badges.pdf: eight badges to an A4 page, each registration\'s name, for staff', async () => {
  const regs = await srv.get('/api/v1/registrations?meeting=2&limit=500');
  assert.ok(regs.json.items.length > 0, 'the demo registers people at meeting 2');
  const r = await srv.request('GET', '/meetings/2/badges.pdf', { headers: { Cookie: 'lang=fr' } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.headers.get('content-type'), 'application/pdf');
  const dir = fresh();
  writeFileSync(path.join(dir, 'b.pdf'), r.body);
  const pages = Number(/Pages:\s+(\d+)/.exec(run('pdfinfo', [path.join(dir, 'b.pdf')]))[1]);
  assert.equal(pages, Math.ceil(regs.json.items.length / 8));
  const text = run('pdftotext', ['-enc', 'UTF-8', path.join(dir, 'b.pdf'), '-']);
  for (const g of regs.json.items) {
    const person = await srv.get(`/api/v1/persons/${g.person}`);
    assert.ok(text.includes(person.json.name), `${person.json.name} has a badge`);
  }
  assert.match(text, /Conférence/, 'the event\'s title in the reader\'s language');
  const s = await srv.login('focal-pdf', USER_PASSWORD);
  assert.equal((await s.get('/meetings/2/badges.pdf')).status, 403);
  assert.equal((await srv.get('/meetings/999999/badges.pdf')).status, 404);
});

test('the follow-up report as PDF: page and CLI, the same figures as the printable page', async () => {
  const html = await srv.request('GET', '/meetings/1/report', { headers: { Cookie: 'lang=en' } });
  const late = /Late actions <span class="count">\((\d+)\)<\/span>/.exec(html.text)[1];
  const r = await srv.request('GET', '/meetings/1/report.pdf', { headers: { Cookie: 'lang=en' } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.headers.get('content-type'), 'application/pdf');
  const dir = fresh();
  writeFileSync(path.join(dir, 'r.pdf'), r.body);
  const text = run('pdftotext', ['-enc', 'UTF-8', path.join(dir, 'r.pdf'), '-']);
  assert.match(text, /Follow-up report — /);
  assert.ok(text.includes(`Late actions (${late})`), `the late actions, as the page counts them (${late})`);
  for (const section of ['Follow-up by outcome', 'Progress since the previous edition', 'Open actions over time',
    'Gap analysis', 'Serious needs (severity 4 or 5', 'Gaps by country', 'do not imply official endorsement'])
    assert.ok(text.includes(section), `${section} in the PDF`);
  assert.match(run('pdffonts', [path.join(dir, 'r.pdf')]), /NotoSans/);
  run('pdftoppm', ['-r', '40', '-png', path.join(dir, 'r.pdf'), path.join(dir, 'page')]);
  const visitor = srv.visitor();
  assert.equal((await visitor.get('/meetings/1/report.pdf')).status, (await visitor.get('/meetings/1/report')).status,
    'the same readers as the page');
  assert.equal((await srv.get('/meetings/999999/report.pdf')).status, 404);
  const file = path.join(dir, 'cli.pdf');
  const c = cli(['report', 'followup', '--meeting', '1', '--lang', 'ar', '--format', 'pdf', '--out', file, '--db', srv.db]);
  assert.equal(c.status, 0, c.stderr);
  const ar = run('pdftotext', ['-enc', 'UTF-8', file, '-']);
  assert.match(ar, /تقرير المتابعة/, 'in Arabic');
  assert.ok(!/<bdi/.test(ar), 'numbers as plain text');
  const bad = cli(['report', 'followup', '--meeting', '1', '--format', 'odt', '--db', srv.db], { check: false });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--format takes html, pdf or xlsx/);
});

/** What openpyxl reads in a workbook: its sheets by title. */
function readBook(bytes) {
  const file = path.join(fresh(), 'r.xlsx');
  writeFileSync(file, bytes);
  const out = JSON.parse(run('/usr/bin/python3', [path.join(ROOT, 'tests/http/xlsx-read.py'), file]));
  return Object.fromEntries(out.sheets.map((sh) => [sh.title, sh]));
}

test('the follow-up report as a workbook: a sheet per table, typed, the page\'s figures; page and CLI', async () => {
  const html = await srv.request('GET', '/meetings/1/report', { headers: { Cookie: 'lang=en' } });
  const late = Number(/Late actions <span class="count">\((\d+)\)<\/span>/.exec(html.text)[1]);
  assert.ok(html.text.includes('href="/meetings/1/report.xlsx" download'), 'the page links to it');
  const r = await srv.request('GET', '/meetings/1/report.xlsx', { headers: { Cookie: 'lang=en' } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.match(r.headers.get('content-disposition'), /^attachment; filename="followup-report-1\.xlsx"$/);
  const book = readBook(r.body);
  assert.deepEqual(Object.keys(book), ['Report', 'Summary', 'Follow-up by outcome', 'Late actions', 'Open actions by date',
    'Gaps by theme', 'Gap analysis']);
  const summary = Object.fromEntries(book.Summary.rows.slice(1).map((row) => [row[0].s, row[1]]));
  assert.deepEqual(summary['Late (past due, neither done nor dropped)'], { n: late }, 'as the page counts them');
  assert.equal(summary['Mean percent done'].f, '0%', 'a percentage as one');
  assert.equal(book['Late actions'].rows.length - 1, Math.min(late, 100));
  assert.ok(book['Late actions'].rows.slice(1).every((row) => 'd' in row[3]), 'due dates as dates');
  assert.ok(book['Open actions by date'].rows.slice(1).every((row) => 'd' in row[0] && 'n' in row[1]));
  const gaps = book['Gap analysis'].rows.slice(1);
  const api = await srv.getJSON('/api/v1/needs/latest?gaps=true');
  assert.equal(gaps.length, api.total, 'the gaps of the gap analysis');
  assert.ok(gaps.every((row) => 'n' in row[2] && row[2].n >= 4 && 'd' in row[3]), 'severities as numbers, dates as dates');
  const file = path.join(fresh(), 'cli.xlsx');
  const c = cli(['report', 'followup', '--meeting', '1', '--lang', 'ar', '--format', 'xlsx', '--out', file, '--db', srv.db]);
  assert.equal(c.status, 0, c.stderr);
  const ar = Object.values(readBook(readFileSync(file)));
  assert.equal(ar[0].title, 'التقرير');
  assert.ok(ar.every((sh) => sh.rtl), 'right to left in Arabic');
});

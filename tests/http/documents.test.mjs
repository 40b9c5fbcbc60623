// Documents attached to meetings, outcomes, actions and programmes (docs/API.md, "Documents"):
// uploads as multipart/form-data and as a raw body, the type read from the content,
// the content store on disk (one file per distinct content), the 20 MiB limit,
// downloads (type, safe name, exact bytes), who may upload and fetch, the audit
// trail, deletes that remove a file once no row holds it, and the record pages'
// "Documents" section and upload form.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { useServer, assertError, PG } from './harness.mjs';
import { pdf, multipart } from './docs-common.mjs';

const srv = useServer();
const MiB = 1024 * 1024;

// ---- files built here ---------------------------------------------------------------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A 1×1 PNG (signature, IHDR, IDAT, IEND with their CRCs). */
function png() {
  const chunk = (type, data) => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(1, 0); ihdr.writeUInt32BE(1, 4); ihdr[8] = 8; ihdr[9] = 2;
  return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(Buffer.from([0, 200, 30, 30]))), chunk('IEND', Buffer.alloc(0))]);
}

/** A ZIP of stored entries [[name, text]] in the order given. */
function zip(entries) {
  const locals = [], centrals = [];
  let off = 0;
  for (const [name, text] of entries) {
    const n = Buffer.from(name, 'utf8'), d = Buffer.from(text, 'utf8'), crc = crc32(d);
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0); lh.writeUInt16LE(20, 4); lh.writeUInt32LE(crc, 14);
    lh.writeUInt32LE(d.length, 18); lh.writeUInt32LE(d.length, 22); lh.writeUInt16LE(n.length, 26);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0); ch.writeUInt16LE(20, 4); ch.writeUInt16LE(20, 6); ch.writeUInt32LE(crc, 16);
    ch.writeUInt32LE(d.length, 20); ch.writeUInt32LE(d.length, 24); ch.writeUInt16LE(n.length, 28);
    ch.writeUInt32LE(off, 42);
    locals.push(lh, n, d);
    centrals.push(ch, n);
    off += 30 + n.length + d.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(entries.length, 8); end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(off, 16);
  return Buffer.concat([...locals, cd, end]);
}

function docx(text = 'Procès-verbal') {
  return zip([
    ['[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'],
    ['_rels/.rels', '<?xml version="1.0"?><Relationships/>'],
    ['word/document.xml', `<?xml version="1.0"?><w:document><w:body><w:p><w:r><w:t>${text}</w:t></w:r></w:p></w:body></w:document>`],
  ]);
}

function odt() {
  return zip([['mimetype', 'application/vnd.oasis.opendocument.text'], ['content.xml', '<office:document-content/>']]);
}

function sha256(buf) {
  return crypto.createHash('sha256').update(buf).digest('hex');
}

// ---- the server's documents folder ----------------------------------------------------

/** Where the server keeps files: next to the SQLite file, ./suivi-docs (its working
 * folder) with PostgreSQL. */
function docsDir() {
  return PG ? path.join(srv.dir, 'suivi-docs') : `${srv.db}.docs`;
}

function storedFiles() {
  const out = [];
  const walk = (d) => {
    if (!existsSync(d)) return;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(path.relative(docsDir(), p));
    }
  };
  walk(docsDir());
  return out.sort();
}

function fileOf(hex) {
  return path.join(docsDir(), hex.slice(0, 2), hex.slice(2, 4), hex);
}

// ---- helpers -------------------------------------------------------------------------------

async function upload(fields, file, { filename = 'file.pdf', type = 'application/pdf', auth, session } = {}) {
  const parts = Object.entries(fields).map(([name, value]) => ({ name, value: String(value) }));
  if (file) parts.push({ name: 'file', filename, data: file, type });
  const m = multipart(parts);
  const opts = { body: m.body, headers: { 'Content-Type': m.type } };
  return session ? session.request('POST', '/api/v1/documents', opts) : srv.request('POST', '/api/v1/documents', { ...opts, auth });
}

async function rawUpload(query, file, { contentType = 'application/octet-stream', auth } = {}) {
  return srv.request('POST', `/api/v1/documents?${new URLSearchParams(query)}`, { body: file, headers: { 'Content-Type': contentType }, auth });
}

async function total() {
  return (await srv.get('/api/v1/documents?limit=0')).json.total;
}

// ---- uploads --------------------------------------------------------------------------------

test('a PDF uploaded as multipart/form-data: 201 with the record, the file on disk by its SHA-256', async () => {
  const bytes = pdf();
  const r = await upload({ meeting: 1, title_fr: 'Communiqué conjoint', title_en: 'Joint communiqué' }, bytes, { filename: 'communique.pdf' });
  assert.equal(r.status, 201, r.text);
  const d = r.json;
  assert.ok(Number.isInteger(d.id) && d.id > 0);
  assert.equal(r.headers.get('location'), `/api/v1/documents/${d.id}`);
  assert.equal(d.meeting, 1);
  assert.equal(d.outcome, null);
  assert.equal(d.action, null);
  assert.deepEqual(d.title, { fr: 'Communiqué conjoint', en: 'Joint communiqué' });
  assert.equal(d.filename, 'communique.pdf');
  assert.equal(d.media_type, 'application/pdf');
  assert.equal(d.size, bytes.length);
  assert.equal(d.sha256, sha256(bytes));
  assert.equal(d.version, 1);
  assert.ok(existsSync(fileOf(d.sha256)), `the file at ${fileOf(d.sha256)}`);
  assert.deepEqual(readFileSync(fileOf(d.sha256)), bytes, 'the stored bytes are the uploaded ones');
  assert.ok(!storedFiles().some((f) => path.basename(f).startsWith('.tmp')), 'no temporary file left');
  const again = await srv.getJSON(`/api/v1/documents/${d.id}`);
  assert.deepEqual(again, d);
});

test('a PNG as a raw body: the type comes from the content, not the Content-Type sent', async () => {
  const bytes = png();
  const r = await rawUpload({ action: 2, title_en: 'Photo of the signing', filename: 'signing.png' }, bytes, { contentType: 'text/plain' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.action, 2);
  assert.equal(r.json.media_type, 'image/png');
  assert.equal(r.json.filename, 'signing.png');
  assert.equal(r.json.size, bytes.length);
});

test('office documents: DOCX (OOXML) and ODT (OpenDocument) are recognised by their entries', async () => {
  const w = await upload({ outcome: 1, title_en: 'Minutes' }, docx(), { filename: 'minutes.docx', type: 'application/octet-stream' });
  assert.equal(w.status, 201, w.text);
  assert.equal(w.json.media_type, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
  assert.equal(w.json.outcome, 1);
  const o = await upload({ outcome: 1, title_en: 'Report' }, odt(), { filename: 'report.odt' });
  assert.equal(o.status, 201, o.text);
  assert.equal(o.json.media_type, 'application/vnd.oasis.opendocument.text');
  // A name whose extension does not fit the content gets the right one added.
  const p = await upload({ meeting: 1, title_en: 'Mislabelled' }, pdf(), { filename: 'report.docx' });
  assert.equal(p.status, 201, p.text);
  assert.equal(p.json.filename, 'report.docx.pdf');
});

test('the same bytes uploaded twice: two documents, one file on disk', async () => {
  const bytes = pdf();
  const before = storedFiles();
  const a = await upload({ meeting: 1, title_en: 'First copy' }, bytes);
  const b = await rawUpload({ action: 1, title_en: 'Second copy' }, bytes);
  assert.equal(a.status, 201, a.text);
  assert.equal(b.status, 201, b.text);
  assert.notEqual(a.json.id, b.json.id);
  assert.equal(a.json.sha256, b.json.sha256);
  const after = storedFiles();
  assert.equal(after.length, before.length + 1, `one new file: ${JSON.stringify(after.filter((f) => !before.includes(f)))}`);
  assert.ok(after.includes(path.join(a.json.sha256.slice(0, 2), a.json.sha256.slice(2, 4), a.json.sha256)));
});

test('what is not a PDF, an office document or an image is refused with 415, whatever its name', async () => {
  const n = await total();
  const files = storedFiles();
  const cases = [
    ['a text file named .pdf', Buffer.from('Just some text, not a PDF at all.\n'), 'report.pdf'],
    ['HTML named .png', Buffer.from('<!doctype html><script>alert(1)</script>'), 'photo.png'],
    ['a plain ZIP named .docx', zip([['readme.txt', 'hello']]), 'minutes.docx'],
    ['an executable named .doc', Buffer.concat([Buffer.from('MZ'), crypto.randomBytes(200)]), 'minutes.doc'],
  ];
  for (const [what, bytes, filename] of cases) {
    const r = await upload({ meeting: 1, title_en: what }, bytes, { filename });
    const err = assertError(r, 415, 'unsupported_media_type', what);
    assert.match(err.message, /PDF/, `${what}: the message says what is accepted`);
  }
  const raw = await rawUpload({ meeting: 1, title_en: 'JSON' }, Buffer.from('{"title":{"en":"x"},"meeting":1}'), { contentType: 'application/json' });
  assertError(raw, 415, 'unsupported_media_type', 'a JSON body (documents are made by uploading a file)');
  assert.equal(await total(), n, 'no row added');
  assert.deepEqual(storedFiles(), files, 'no file written');
});

test('the size limit: 20 MiB is accepted, one byte more is 413; other routes keep 1 MiB', async () => {
  const head = pdf();
  const exact = Buffer.concat([head, Buffer.alloc(20 * MiB - head.length, 0x20)]);
  const ok = await rawUpload({ meeting: 1, title_en: 'Exactly 20 MiB' }, exact);
  assert.equal(ok.status, 201, ok.text.slice(0, 300));
  assert.equal(ok.json.size, 20 * MiB);
  const over = Buffer.concat([exact, Buffer.from(' ')]);
  const r = await rawUpload({ meeting: 1, title_en: 'One byte too many' }, over);
  assertError(r, 413, 'too_large', '20 MiB + 1 as a raw body');
  const mp = await upload({ meeting: 1, title_en: 'Too large in a form' }, over);
  assertError(mp, 413, 'too_large', '20 MiB + 1 in a form');
  const huge = await rawUpload({ meeting: 1, title_en: 'Far too large' }, Buffer.alloc(22 * MiB, 0x41));
  assertError(huge, 413, 'too_large', '22 MiB (over the route body limit)');
  const big = await srv.request('POST', '/api/v1/actions', { body: Buffer.alloc(MiB + 10, 0x20), headers: { 'Content-Type': 'application/json' } });
  assertError(big, 413, 'too_large', '1 MiB + 10 to another collection');
});

test('download: the sniffed type, an attachment with a safe name, nosniff, the exact bytes', async () => {
  const bytes = pdf();
  const up = await upload({ meeting: 1, title_en: 'To download' }, bytes, { filename: 'Communiqué final.pdf' });
  assert.equal(up.status, 201, up.text);
  assert.equal(up.json.filename, 'Communiqué final.pdf');
  const r = await srv.get(`/api/v1/documents/${up.json.id}/content`);
  assert.equal(r.status, 200, r.text.slice(0, 200));
  assert.equal(r.headers.get('content-type'), 'application/pdf');
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(r.headers.get('content-disposition'),
    'attachment; filename="Communiqu_ final.pdf"; filename*=UTF-8\'\'Communiqu%C3%A9%20final.pdf');
  assert.deepEqual(r.body, bytes);
  const img = await rawUpload({ action: 3, title_en: 'Image' }, png(), { contentType: 'application/pdf' });
  const g = await srv.get(`/api/v1/documents/${img.json.id}/content`);
  assert.equal(g.headers.get('content-type'), 'image/png');
  assert.deepEqual(g.body, png());
  const head = await srv.request('HEAD', `/api/v1/documents/${up.json.id}/content`);
  assert.equal(head.status, 200);
  assertError(await srv.get('/api/v1/documents/999999/content'), 404, 'not_found', 'no such document');
  assertError(await srv.get('/api/v1/documents/abc/content'), 404, 'not_found', 'a key that is no number');
  assertError(await srv.request('PUT', `/api/v1/documents/${up.json.id}/content`, { body: 'x' }), 405, 'method_not_allowed', 'PUT content');
});

test('file names with quotes, CR LF, paths, dots and bidi controls are made safe', async () => {
  const cases = [
    ['../../etc/pass"wd\r\nX-Evil: 1.pdf', 'pass_wd__X-Evil_ 1.pdf'],
    ['C:\\Users\\amina\\Desktop\\rapport.pdf', 'rapport.pdf'],
    ['..', 'document.pdf'],
    ['.hidden.pdf', 'hidden.pdf'],
    ['minutes', 'minutes.pdf'],
    ['evil\u202Efdp.exe', 'evil_fdp.exe.pdf'],
    ["it's;50%.pdf", 'it_s_50_.pdf'],
  ];
  for (const [given, want] of cases) {
    const r = await rawUpload({ meeting: 1, title_en: 'Names', filename: given }, pdf());
    assert.equal(r.status, 201, `${JSON.stringify(given)}: ${r.text}`);
    assert.equal(r.json.filename, want, `${JSON.stringify(given)} is kept as`);
    const g = await srv.get(`/api/v1/documents/${r.json.id}/content`);
    const cd = g.headers.get('content-disposition');
    assert.ok(/^attachment; filename="[^"\\\r\n/]*"; filename\*=UTF-8''[A-Za-z0-9!#$&+\-.^_`|~%]*$/.test(cd), `${JSON.stringify(given)}: ${cd}`);
    assert.equal(g.headers.get('x-evil'), null, 'no header injected');
  }
  // In a multipart form a browser writes a quote as %22 and CR LF as %0D%0A.
  const m = await upload({ meeting: 1, title_en: 'Form name' }, pdf(), { filename: 'a%22b%0D%0A/..\\c.pdf' });
  assert.equal(m.status, 201, m.text);
  assert.equal(m.json.filename, 'c.pdf');
});

test('validation: one parent, a title, a file; unknown parents and fields; nothing left on disk', async () => {
  const n = await total();
  const files = storedFiles();
  const bytes = pdf();
  const none = await upload({ title_en: 'No parent' }, bytes);
  assert.equal(none.status, 422, none.text);
  assert.ok(none.json.error.fields.meeting, none.text);
  const two = await upload({ meeting: 1, action: 1, title_en: 'Two parents' }, bytes);
  assert.equal(two.status, 422, two.text);
  assert.ok(two.json.error.fields.action, two.text);
  const untitled = await upload({ meeting: 1 }, bytes);
  assert.equal(untitled.status, 422);
  assert.ok(untitled.json.error.fields.title, untitled.text);
  const nofile = await upload({ meeting: 1, title_en: 'No file' }, null);
  assert.equal(nofile.status, 422);
  assert.ok(nofile.json.error.fields.file, nofile.text);
  const unknown = await upload({ meeting: 99999, title_en: 'Unknown meeting' }, bytes);
  assert.equal(unknown.status, 422, unknown.text);
  assert.ok(unknown.json.error.fields.meeting, unknown.text);
  const extra = await upload({ meeting: 1, title_en: 'Extra', colour: 'red' }, bytes);
  assert.equal(extra.status, 422);
  assert.ok(extra.json.error.fields.colour, extra.text);
  const readonly = await upload({ meeting: 1, title_en: 'Read-only', sha256: '0'.repeat(64) }, bytes);
  assert.equal(readonly.status, 422, 'sha256 cannot be given');
  const bad = await srv.request('POST', '/api/v1/documents', { body: '--x\r\nnot a part', headers: { 'Content-Type': 'multipart/form-data; boundary=x' } });
  assertError(bad, 400, 'bad_query', 'a malformed multipart body');
  assert.equal(await total(), n, 'no row added');
  assert.deepEqual(storedFiles(), files, 'the file of a refused upload is not kept');
});

// ---- who may do what ---------------------------------------------------------------------

test('nobody signed in gets 401; focal points and donors read documents but cannot upload (403)', async () => {
  const up = await upload({ meeting: 1, title_en: 'Visible to every signed-in role' }, pdf());
  assert.equal(up.status, 201, up.text);
  const id = up.json.id;
  assertError(await srv.get(`/api/v1/documents/${id}/content`, { auth: false }), 401, 'unauthorized', 'public download');
  assertError(await upload({ meeting: 1, title_en: 'x' }, pdf(), { auth: false }), 401, 'unauthorized', 'public upload');
  // Without credentials an upload route keeps the ordinary 1 MiB body limit.
  const anon = await srv.request('POST', '/api/v1/documents?meeting=1&title_en=x', { body: Buffer.concat([pdf(), Buffer.alloc(2 * MiB)]), auth: false });
  assertError(anon, 413, 'too_large', 'an anonymous 2 MiB upload');
  const focalPassword = srv.addUser('docs-focal', 'focal', { country: 'SN' });
  srv.addUser('docs-donor', 'donor');
  const focal = srv.addToken('docs-focal').token;
  const donor = srv.addToken('docs-donor').token;
  const n = await total();
  for (const [who, tok] of [['focal', focal], ['donor', donor]]) {
    assertError(await upload({ meeting: 1, title_en: 'x' }, pdf(), { auth: tok }), 403, 'forbidden', `${who} upload`);
    assertError(await rawUpload({ meeting: 1, title_en: 'x' }, pdf(), { auth: tok }), 403, 'forbidden', `${who} raw upload`);
    assertError(await srv.del(`/api/v1/documents/${id}`, { auth: tok }), 403, 'forbidden', `${who} delete`);
    const g = await srv.get(`/api/v1/documents/${id}/content`, { auth: tok });
    assert.equal(g.status, 200, `${who} reads a meeting's document: ${g.text.slice(0, 200)}`);
  }
  assert.equal(await total(), n);
  // A page upload by a focal point's session is refused too.
  const s = await srv.login('docs-focal', focalPassword);
  const page = await s.get('/meetings/1');
  assert.equal(page.status, 200);
  assert.ok(page.text.includes('id="documents"'), 'the focal point sees the documents');
  assert.ok(!page.text.includes('action="/documents/upload"'), 'but no upload form');
});

test('a browser session uploads through the API only with its CSRF token', async () => {
  const s = await srv.login();
  const m = multipart([{ name: 'meeting', value: '1' }, { name: 'title_en', value: 'Session' }, { name: 'file', filename: 's.pdf', data: pdf() }]);
  const no = await s.request('POST', '/api/v1/documents', { body: m.body, headers: { 'Content-Type': m.type }, csrf: false });
  assertError(no, 403, 'forbidden', 'no X-CSRF-Token');
  const yes = await s.request('POST', '/api/v1/documents', { body: m.body, headers: { 'Content-Type': m.type } });
  assert.equal(yes.status, 201, yes.text);
});

// ---- the audit trail and deletes -------------------------------------------------------------

test('each upload and delete is in the audit trail', async () => {
  const up = await upload({ action: 1, title_en: 'Audited' }, pdf());
  assert.equal(up.status, 201);
  const id = String(up.json.id);
  const rows = (await srv.getJSON(`/api/v1/audit?entity=document&record=${id}`)).items;
  assert.equal(rows.length, 1, JSON.stringify(rows));
  assert.equal(rows[0].action, 'create');
  assert.equal(rows[0].actor, 'admin');
  const after = JSON.parse(rows[0].after);
  assert.equal(after.sha256, up.json.sha256);
  assert.equal(after.filename, up.json.filename);
  assert.equal((await srv.del(`/api/v1/documents/${id}`)).status, 204);
  const all = (await srv.getJSON(`/api/v1/audit?entity=document&record=${id}&sort=id`)).items;
  assert.deepEqual(all.map((a) => a.action), ['create', 'delete']);
});

test('delete: the file stays while another document holds the same bytes, then goes', async () => {
  const bytes = pdf();
  const a = await upload({ meeting: 1, title_en: 'Copy A' }, bytes);
  const b = await upload({ outcome: 2, title_en: 'Copy B' }, bytes);
  const file = fileOf(a.json.sha256);
  assert.ok(existsSync(file));
  assertError(await srv.del(`/api/v1/documents/${a.json.id}`, { headers: { 'If-Match': '"7"' } }), 412, 'precondition_failed', 'stale If-Match');
  assert.equal((await srv.del(`/api/v1/documents/${a.json.id}`, { headers: { 'If-Match': '"1"' } })).status, 204);
  assert.ok(existsSync(file), 'still held by B');
  assertError(await srv.get(`/api/v1/documents/${a.json.id}/content`), 404, 'not_found', 'the deleted document');
  const g = await srv.get(`/api/v1/documents/${b.json.id}/content`);
  assert.deepEqual(g.body, bytes);
  assert.equal((await srv.del(`/api/v1/documents/${b.json.id}`)).status, 204);
  assert.ok(!existsSync(file), 'removed with the last document that held it');
  assertError(await srv.del(`/api/v1/documents/${b.json.id}`), 404, 'not_found', 'deleted twice');
});

test('the generic collection lists, filters and patches documents (not their files)', async () => {
  const up = await upload({ action: 4, title_en: 'Listed' }, pdf(), { filename: 'listed.pdf' });
  const list = await srv.getJSON('/api/v1/documents?action=4');
  assert.ok(list.items.some((d) => d.id === up.json.id));
  // (issue 13: the file's read-only fields named with other values are refused
  // naming them — no longer silently ignored; with their own values accepted)
  const ro = await srv.patch(`/api/v1/documents/${up.json.id}`, { title: { fr: 'Listé' }, sha256: 'f'.repeat(64), filename: 'x.exe' });
  assert.equal(ro.status, 422, ro.text);
  assert.deepEqual(Object.keys(ro.json.error.fields).sort(), ['filename', 'sha256']);
  const p = await srv.patch(`/api/v1/documents/${up.json.id}`, { title: { fr: 'Listé' }, sha256: up.json.sha256, filename: 'listed.pdf' });
  assert.equal(p.status, 200, p.text);
  assert.deepEqual(p.json.title, { en: 'Listed', fr: 'Listé' });
  assert.equal(p.json.sha256, up.json.sha256, 'read-only fields do not change');
  assert.equal(p.json.filename, 'listed.pdf');
  const moved = await srv.patch(`/api/v1/documents/${up.json.id}`, { action: null, meeting: 1 });
  assert.equal(moved.status, 200, moved.text);
  const both = await srv.patch(`/api/v1/documents/${up.json.id}`, { action: 4 });
  assert.equal(both.status, 422, 'one parent only');
});

// ---- pages ------------------------------------------------------------------------------------

test('a meeting page lists its documents; staff get the upload form, which works with _csrf only', async () => {
  const up = await upload({ meeting: 2, title_en: 'Shown on the page' }, pdf(), { filename: 'shown.pdf' });
  const s = await srv.login();
  const page = await s.get('/meetings/2');
  assert.equal(page.status, 200);
  assert.ok(page.text.includes('Shown on the page'), 'the title is listed');
  assert.ok(page.text.includes(`href="/api/v1/documents/${up.json.id}/content"`), 'with its download link');
  assert.match(page.text, /<form method="post" action="\/documents\/upload" enctype="multipart\/form-data"/);
  assert.match(page.text, /<input type="hidden" name="meeting" value="2">/);
  const csrf = await s.csrfToken();
  const n = await total();
  const bytes = pdf();
  const form = (withCsrf) => multipart([
    ...(withCsrf ? [{ name: '_csrf', value: csrf }] : []),
    { name: 'meeting', value: '2' }, { name: 'title.fr', value: 'Procès-verbal' }, { name: 'title.en', value: '' },
    { name: 'title.ar', value: '' }, { name: 'file', filename: 'pv.pdf', data: bytes, type: 'application/pdf' },
  ]);
  const bad = form(false);
  const refused = await s.request('POST', '/documents/upload', { body: bad.body, headers: { 'Content-Type': bad.type } });
  assert.equal(refused.status, 403, 'no _csrf in the multipart body');
  assert.equal(await total(), n);
  const good = form(true);
  const r = await s.request('POST', '/documents/upload', { body: good.body, headers: { 'Content-Type': good.type } });
  assert.equal(r.status, 303, r.text.slice(0, 500));
  assert.equal(r.headers.get('location'), '/meetings/2?saved=1#documents');
  assert.equal(await total(), n + 1);
  const shown = await s.get('/meetings/2');
  assert.ok(shown.text.includes('Procès-verbal'));
  // A refused file is explained on a page, with the status.
  const txt = multipart([{ name: '_csrf', value: csrf }, { name: 'meeting', value: '2' }, { name: 'title.en', value: 't' },
    { name: 'file', filename: 'x.pdf', data: Buffer.from('plain text') }]);
  const t415 = await s.request('POST', '/documents/upload', { body: txt.body, headers: { 'Content-Type': txt.type } });
  assert.equal(t415.status, 415);
  assert.match(t415.text, /role="alert"/);
  // The generic new form cannot make a document without a file.
  const generic = await s.form('/documents/new', { 'title.en': 'No file', meeting: '2' });
  assert.equal(generic.status, 415);
  assert.equal(await total(), n + 1);
  const newPage = await s.get('/documents/new?action=3');
  assert.equal(newPage.status, 200);
  assert.match(newPage.text, /name="action" value="3"/);
  // The document's own page offers its file; a page delete removes the file too.
  const docPage = await s.get(`/documents/${up.json.id}`);
  assert.ok(docPage.text.includes(`/api/v1/documents/${up.json.id}/content`));
  const del = await s.form(`/documents/${up.json.id}/delete`, { _version: '1' });
  assert.equal(del.status, 303);
  assert.ok(!existsSync(fileOf(up.json.sha256)), 'the file went with its only document');
});

test('server stops cleanly', () => srv.stop());

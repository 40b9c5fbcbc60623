// Who sees a document is who sees the record it belongs to (issue 12, item 1).  The
// attack reproduced: donor B, whose organisation does not fund programme X, got X's
// document from /api/v1/documents?programme=X, the /documents page, q= search,
// documents.csv and both downloads, while X itself was 404 to it.  Now every read of
// documents (lists, filters, search, CSV, the record and its pages, the download, the
// "Documents" section of the parent's page) answers as the parent does, and an upload
// accepts every parent a PATCH accepts (programmes too: API multipart and raw body,
// the page form).  Both backends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, parseCsv, same, Session } from './harness.mjs';
import { pdf, multipart } from './docs-common.mjs';

const srv = useServer();
const TAG = `leak${process.pid}`; // in every title here: what q= searches for
let A, B; // two donor organisations
let PX, PY; // programme X, funded by A only; programme Y, funded by B
let DX, DY, DM; // documents: of X, of Y, of meeting 1
let donorB, donorA, focal; // {token, session}

async function create(coll, body) {
  const r = await srv.post(`/api/v1/${coll}`, body);
  assert.equal(r.status, 201, `${coll}: ${r.text}`);
  return r.json.id;
}

async function account(name, role, extra) {
  const password = srv.addUser(name, role, extra);
  const session = new Session(srv);
  assert.equal((await session.login(name, password)).status, 303, `${name} signs in`);
  return { token: srv.addToken(name).token, session };
}

/** A multipart upload by the admin (the API route). */
async function uploadForm(fields) {
  const m = multipart([...Object.entries(fields).map(([name, value]) => ({ name, value: String(value) })),
    { name: 'file', filename: 'x.pdf', data: pdf(), type: 'application/pdf' }]);
  return srv.request('POST', '/api/v1/documents', { body: m.body, headers: { 'Content-Type': m.type } });
}

const ids = (items) => items.map((d) => d.id).sort((a, b) => a - b);

/** A document uploaded to meeting 1, then moved to programme `prog` by PATCH (as the
 * attack found them: the upload took no programme then, a PATCH did). */
async function documentOf(prog, title) {
  const up = await uploadForm({ meeting: 1, title_en: title });
  assert.equal(up.status, 201, up.text);
  if (!prog) return up.json.id;
  const r = await srv.patch(`/api/v1/documents/${up.json.id}`, { meeting: null, programme: prog });
  assert.equal(r.status, 200, r.text);
  return up.json.id;
}

test('setup: programme X funded by A, Y by B; a document on each and one on a meeting', async () => {
  A = await create('organisations', { name: { en: 'Donor A of the documents test' }, type: '10' });
  B = await create('organisations', { name: { en: 'Donor B of the documents test' }, type: '10' });
  PX = await create('programmes', { title: { en: 'Programme X' }, donors: [A], status: 'implementation' });
  PY = await create('programmes', { title: { en: 'Programme Y' }, donors: [B], status: 'implementation' });
  DX = await documentOf(PX, `${TAG} secret of X`);
  DY = await documentOf(PY, `${TAG} report of Y`);
  DM = await documentOf(null, `${TAG} minutes of meeting 1`);
  donorB = await account('docs.donor.b', 'donor', { organisation: B });
  donorA = await account('docs.donor.a', 'donor', { organisation: A });
  focal = await account('docs.focal', 'focal', { country: 'SN' });
});

test('donor B: X is 404, and so is everything of its document, wherever it is asked for', async () => {
  const b = donorB.token;
  assert.equal((await srv.get(`/api/v1/programmes/${PX}`, { auth: b })).status, 404, 'the programme itself');
  // the list filtered on the programme, the whole list, search, the CSV
  const byProg = await srv.get(`/api/v1/documents?programme=${PX}`, { auth: b });
  assert.equal(byProg.status, 200);
  same(byProg.json, { items: [], total: 0, limit: 50, offset: 0 }, '?programme=X');
  const list = await srv.get('/api/v1/documents?limit=500', { auth: b });
  assert.ok(!ids(list.json.items).includes(DX), 'the list');
  assert.ok(ids(list.json.items).includes(DY) && ids(list.json.items).includes(DM), 'with what B may see');
  assert.equal(list.json.total, list.json.items.length, 'the total counts what is listed');
  same(ids((await srv.get(`/api/v1/documents?q=${TAG}`, { auth: b })).json.items), [DY, DM].sort((x, y) => x - y), 'q=');
  const csv = await srv.get('/api/v1/documents.csv', { auth: b });
  assert.equal(csv.status, 200);
  const rows = parseCsv(csv.text.replace(/^\uFEFF/, '')).slice(1);
  assert.ok(!rows.some((r) => Number(r[0]) === DX), 'documents.csv');
  assert.ok(!csv.text.includes('secret of X'), 'documents.csv: not its title either');
  // the record and its file
  assert.equal((await srv.get(`/api/v1/documents/${DX}`, { auth: b })).status, 404, 'the record');
  const dl = await srv.get(`/api/v1/documents/${DX}/content`, { auth: b });
  assert.equal(dl.status, 404, 'the download with a token');
  assert.ok(!dl.text.includes('%PDF'));
  // the pages, with a browser session
  const s = donorB.session;
  assert.equal((await s.get(`/programmes/${PX}`)).status, 404, 'the programme page');
  for (const p of ['/documents', `/documents?programme=${PX}`, `/documents?q=${TAG}`, '/documents?limit=500']) {
    const r = await s.get(p);
    assert.equal(r.status, 200, p);
    assert.ok(!r.text.includes('secret of X') && !r.text.includes(`/documents/${DX}"`), `${p} lists nothing of X`);
  }
  assert.equal((await s.get(`/documents/${DX}`)).status, 404, 'the document page');
  const edit = await s.get(`/documents/${DX}/edit`);
  assert.ok([403, 404].includes(edit.status), `the edit page: ${edit.status}`);
  assert.ok(!edit.text.includes('secret of X'));
  const sdl = await s.get(`/api/v1/documents/${DX}/content`);
  assert.equal(sdl.status, 404, 'the download link of the pages, with the session');
  // what B funds: its document and the programme page's section
  assert.equal((await srv.get(`/api/v1/documents/${DY}/content`, { auth: b })).status, 200, 'Y\'s document');
  const py = await s.get(`/programmes/${PY}`);
  assert.equal(py.status, 200);
  assert.ok(py.text.includes('id="documents"') && py.text.includes('report of Y'), 'Y\'s page lists its documents');
  assert.ok(!py.text.includes('action="/documents/upload"'), 'but a donor gets no upload form');
});

test('donor A sees X\'s document everywhere; a focal point sees every programme\'s (public data)', async () => {
  const a = donorA.token;
  same(ids((await srv.get(`/api/v1/documents?programme=${PX}`, { auth: a })).json.items), [DX], 'A: ?programme=X');
  assert.ok(!ids((await srv.get('/api/v1/documents?limit=500', { auth: a })).json.items).includes(DY), 'A: not Y\'s');
  assert.equal((await srv.get(`/api/v1/documents/${DX}/content`, { auth: a })).status, 200);
  const px = await donorA.session.get(`/programmes/${PX}`);
  assert.ok(px.text.includes('secret of X'), 'X\'s page lists its document');
  assert.equal((await donorA.session.get(`/documents/${DX}`)).status, 200);
  const f = focal.token;
  same(ids((await srv.get(`/api/v1/documents?q=${TAG}`, { auth: f })).json.items), [DX, DY, DM].sort((x, y) => x - y), 'focal point');
  assert.equal((await srv.get(`/api/v1/documents/${DX}/content`, { auth: f })).status, 200);
  assert.equal((await srv.get(`/api/v1/documents?programme=${PX}`, { auth: false })).status, 401, 'nobody');
});

test('an upload names a programme like any other parent, and refuses what PATCH refuses', async () => {
  const raw = await srv.request('POST', `/api/v1/documents?programme=${PX}&title_en=${TAG}+raw+to+X&filename=x.pdf`,
    { body: pdf(), headers: { 'Content-Type': 'application/pdf' } });
  assert.equal(raw.status, 201, `a raw upload to a programme: ${raw.text}`);
  assert.equal(raw.json.programme, PX);
  const form = await uploadForm({ programme: PX, title_en: `${TAG} form to X` });
  assert.equal(form.status, 201, `a multipart upload to a programme: ${form.text}`);
  for (const id of [raw.json.id, form.json.id]) {
    assert.equal((await srv.get(`/api/v1/documents/${id}`, { auth: donorB.token })).status, 404, 'X\'s: hidden from B');
    assert.equal((await srv.get(`/api/v1/documents/${id}`, { auth: donorA.token })).status, 200, 'and shown to A');
  }
  const unknown = await uploadForm({ programme: 999999, title_en: 'nowhere' });
  assert.equal(unknown.status, 422, unknown.text);
  assert.ok(unknown.json.error.fields.programme, unknown.text);
  const two = await uploadForm({ programme: PX, meeting: 1, title_en: 'two parents' });
  assert.equal(two.status, 422, two.text);
});

test('the page form uploads to a programme and returns to its page; /documents/new offers programmes', async () => {
  const s = await srv.login();
  const page = await s.get(`/programmes/${PX}`);
  assert.match(page.text, new RegExp(`<input type="hidden" name="programme" value="${PX}">`), 'the upload form of a programme page');
  const fresh = await s.get('/documents/new');
  assert.match(fresh.text, /<input type="number" min="1" id="doc-programme" name="programme"/);
  const m = multipart([{ name: '_csrf', value: await s.csrfToken() }, { name: 'programme', value: String(PX) },
    { name: 'title.en', value: `${TAG} page upload` }, { name: 'file', filename: 'p.pdf', data: pdf(), type: 'application/pdf' }]);
  const r = await s.request('POST', '/documents/upload', { body: m.body, headers: { 'Content-Type': m.type } });
  assert.equal(r.status, 303, r.text.slice(0, 400));
  assert.equal(r.headers.get('location'), `/programmes/${PX}?saved=1#documents`);
  const docs = await srv.all('documents', `programme=${PX}`);
  assert.ok(docs.some((d) => d.title.en === `${TAG} page upload`));
  const b = await srv.get(`/api/v1/documents?q=page%20upload`, { auth: donorB.token });
  assert.equal(b.json.total, 0, 'hidden from B like the rest of X');
});

test('server stops cleanly', () => srv.stop());

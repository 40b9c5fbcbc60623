// Publishing to IATI is deliberate (issue 12, item 5).  The attack reproduced: the
// public /iati.xml carried every programme, with the descriptions, transaction
// references, results and comments of programmes a donor gets 404 on.  Now the public
// file (signed out, or ?published=true) carries the programmes staff marked
// `published` only; a signed-in reader's export holds what it may read (a donor: the
// programmes it funds; the others: every programme, labelled not for publication);
// only staff set `published`; the public file is kept between writes and answered with
// ETag / Last-Modified and 304, and changes after a write that changes it.  `suivi
// export iati` gives every programme, --published the public file.  Both backends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { useServer, cli, tempDir, same, Session } from './harness.mjs';
import { validates } from './iati-common.mjs';

const srv = useServer();
const dir = tempDir();
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const SECRET = `SECRET${process.pid}`; // in every text of the unpublished programme
let X, Y; // donor organisations
let U, P; // U: funded by X, not published, every text secret; P: funded by Y, published
let donorY, donorX, focal; // API tokens
let ifile = 0;

async function create(coll, body, opts) {
  const r = await srv.post(`/api/v1/${coll}`, body, opts);
  assert.equal(r.status, 201, `${coll}: ${r.text}`);
  return r.json;
}

/** GET of an IATI file; with `valid`, checked against the schema. */
async function iati(p, opts = {}, { valid = false } = {}) {
  const r = await srv.get(p, opts);
  assert.equal(r.status, 200, `GET ${p}: ${r.status} ${r.text.slice(0, 300)}`);
  assert.match(r.headers.get('content-type'), /^application\/xml/);
  if (valid) {
    const f = path.join(dir, `file${++ifile}.xml`);
    writeFileSync(f, r.text);
    validates(f);
  }
  return r;
}

const ids = (xml) => [...xml.matchAll(/<iati-identifier>([^<]*)<\/iati-identifier>/g)].map((m) => m[1]).sort();

test('setup: an unpublished programme with secrets in every text, a published one', async () => {
  X = (await create('organisations', { name: { en: 'Donor X of the IATI test' }, type: '10' })).id;
  Y = (await create('organisations', { name: { en: 'Donor Y of the IATI test' }, type: '10' })).id;
  U = await create('programmes', {
    iati_identifier: 'XM-TEST-U', title: { en: `${SECRET} title` }, description: { en: `${SECRET} description` },
    donors: [X], countries: ['SN'], status: 'implementation', start_date: '2025-01-01', end_date: '2026-12-31',
  });
  await create('transactions', { programme: U.id, kind: 'disbursement', date: '2025-02-01', amount: 100, currency: 'USD', reference: `${SECRET}-REF`, description: { en: `${SECRET} transaction` } });
  const res = await create('results', { programme: U.id, level: 'output', title: { en: `${SECRET} result` }, description: { en: `${SECRET} result description` } });
  const ind = await create('indicators', { result: res.id, title: { en: `${SECRET} indicator` } });
  await create('periods', { indicator: ind.id, start_date: '2025-01-01', end_date: '2025-12-31', target: 5, actual: 3, comment: { en: `${SECRET} comment` } });
  P = await create('programmes', { iati_identifier: 'XM-TEST-P', title: { en: 'Published programme' }, donors: [Y], countries: ['MA'], status: 'implementation' });
  // (staff publish P; the assertions are the tests': the setup also runs where there is
  // no such field, so that the attack below is what fails there)
  await srv.patch(`/api/v1/programmes/${P.id}`, { published: true });
  srv.addUser('iati.donor.y', 'donor', { organisation: Y });
  srv.addUser('iati.donor.x', 'donor', { organisation: X });
  srv.addUser('iati.focal', 'focal', { country: 'SN' });
  donorY = srv.addToken('iati.donor.y').token;
  donorX = srv.addToken('iati.donor.x').token;
  focal = srv.addToken('iati.focal').token;
});

test('the public file: published programmes only, nothing of the others; valid IATI', async () => {
  assert.equal((await srv.get(`/api/v1/programmes/${U.id}`, { auth: donorY })).status, 404, 'U is 404 to donor Y');
  for (const r of [await iati('/iati.xml', { auth: false }), await iati('/api/v1/iati.xml', { auth: false })]) {
    assert.ok(!r.text.includes(SECRET), 'the public file: nothing of the programme donor Y gets 404 on');
  }
  assert.equal((await srv.getJSON(`/api/v1/programmes/${U.id}`)).published, false, 'not published unless staff say so');
  assert.equal((await srv.getJSON(`/api/v1/programmes/${P.id}`)).published, true);
  const published = (await srv.all('programmes')).filter((p) => p.published).map((p) => p.iati_identifier).sort();
  for (const [p, opts] of [['/iati.xml', { auth: false }], ['/api/v1/iati.xml', { auth: false }],
    ['/iati.xml?published=true', {}], ['/iati.xml?published=true', { auth: donorY }], ['/api/v1/iati.xml?published=1', { auth: focal }]]) {
    const r = await iati(p, opts, { valid: p === '/iati.xml' });
    assert.ok(!r.text.includes(SECRET), `${p}: nothing of the unpublished programme`);
    same(ids(r.text), published, `${p}: the published programmes`);
    assert.ok(ids(r.text).includes('XM-TEST-P'));
    assert.equal(r.headers.get('x-suivi-programmes'), 'published');
    assert.match(r.headers.get('content-disposition'), /filename="iati-activities.xml"/);
  }
  assert.equal((await srv.get('/iati.xml?published=maybe', { auth: false })).status, 400);
});

test('a signed-in reader\'s export follows the reader: a donor its funded programmes, staff every one', async () => {
  const y = await iati('/iati.xml', { auth: donorY }, { valid: true });
  assert.equal(y.headers.get('x-suivi-programmes'), 'funded');
  assert.match(y.headers.get('cache-control'), /private/);
  assert.ok(!y.text.includes(SECRET), 'donor Y: nothing of U');
  same(ids(y.text), ['XM-TEST-P'], 'donor Y: what it funds');
  assert.match(y.text, /<!-- suivi: the programmes your organisation funds/);
  const x = await iati('/api/v1/iati.xml', { auth: donorX });
  same(ids(x.text), ['XM-TEST-U'], 'donor X: U, unpublished, with its texts');
  assert.ok(x.text.includes(`${SECRET}-REF`) && x.text.includes(`${SECRET} comment`));
  const all = await iati('/iati.xml', {}, { valid: true });
  assert.equal(all.headers.get('x-suivi-programmes'), 'all');
  assert.match(all.headers.get('content-disposition'), /iati-activities-all.xml/);
  assert.match(all.text, /<!-- suivi: every programme, published to IATI or not: not for publication -->/);
  const progs = await srv.all('programmes');
  assert.equal(ids(all.text).length, progs.length, 'staff: every programme');
  assert.ok(progs.some((p) => !p.published) && all.text.includes(SECRET), 'the unpublished ones too');
  const f = await iati('/iati.xml', { auth: focal });
  assert.equal(f.headers.get('x-suivi-programmes'), 'all', 'focal points read every programme');
  // a browser session gets the same as its token
  const pw = srv.addUser('iati.donor.y2', 'donor', { organisation: Y });
  const s = new Session(srv);
  await s.login('iati.donor.y2', pw);
  const sy = await s.get('/iati.xml');
  same(ids(sy.text), ids(y.text), 'donor Y\'s session');
  const page = await s.get('/programmes', { headers: { 'Accept-Language': 'en' } });
  assert.match(page.text, /<a href="\/iati.xml\?published=true">/);
  assert.match(page.text, /<a href="\/iati.xml">[^<]*your organisation/);
});

test('only staff set published: a donor or a focal point is refused, and nothing changes', async () => {
  for (const tok of [donorY, focal]) {
    const before = await srv.getJSON(`/api/v1/programmes/${U.id}`);
    const r = await srv.patch(`/api/v1/programmes/${U.id}`, { published: true }, { auth: tok });
    assert.ok([403, 404, 422].includes(r.status), `PATCH published: ${r.status}`);
    const c = await srv.post('/api/v1/programmes', { title: { en: 'Self-published' }, published: true }, { auth: tok });
    assert.ok([403, 422].includes(c.status), `POST published: ${c.status}`);
    same(await srv.getJSON(`/api/v1/programmes/${U.id}`), before, 'U as it was');
  }
  assert.ok(!(await iati('/iati.xml', { auth: false })).text.includes(SECRET));
  // the field is in the OpenAPI document and in the form, with its help
  const spec = await srv.getJSON('/api/v1/openapi.json');
  assert.equal(spec.components.schemas.programme.properties.published.type, 'boolean');
  const form = await (await srv.login()).get(`/programmes/${U.id}/edit`, { headers: { 'Accept-Language': 'en' } });
  assert.match(form.text, /name="published"/);
  assert.match(form.text, /public IATI file/);
});

test('ETag and Last-Modified: 304 while the file is the same; a write that changes it changes them', async () => {
  const first = await iati('/iati.xml', { auth: false });
  const etag = first.headers.get('etag'), lm = first.headers.get('last-modified');
  assert.match(etag, /^W\/"[0-9a-f]{32}"$/);
  assert.match(lm, /^[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT$/);
  assert.match(first.headers.get('cache-control'), /public/);
  const inm = await srv.get('/iati.xml', { auth: false, headers: { 'If-None-Match': etag } });
  assert.equal(inm.status, 304);
  assert.equal(inm.text, '');
  assert.equal(inm.headers.get('etag'), etag);
  assert.equal((await srv.get('/iati.xml', { auth: false, headers: { 'If-None-Match': `"other", ${etag.slice(2)}` } })).status, 304, 'a list, compared weakly');
  assert.equal((await srv.get('/iati.xml', { auth: false, headers: { 'If-None-Match': '"other"' } })).status, 200);
  assert.equal((await srv.get('/iati.xml', { auth: false, headers: { 'If-Modified-Since': lm } })).status, 304);
  assert.equal((await srv.get('/iati.xml', { auth: false, headers: { 'If-Modified-Since': 'Thu, 01 Jan 1970 00:00:00 GMT' } })).status, 200);
  const head = await srv.request('HEAD', '/iati.xml', { auth: false });
  assert.equal(head.status, 200);
  assert.equal(head.headers.get('etag'), etag);
  // a write that does not change the public file keeps it (and its tag) ...
  await create('themes', { code: `iatitest${process.pid}`, name: { en: 'A theme of the IATI test' } });
  const same1 = await iati('/iati.xml', { auth: false });
  assert.equal(same1.headers.get('etag'), etag, 'an unrelated write');
  assert.equal(same1.text, first.text);
  // ... one that does changes it
  const r = await srv.patch(`/api/v1/programmes/${P.id}`, { title: { en: 'Published programme, renamed' } });
  assert.equal(r.status, 200);
  const after = await iati('/iati.xml', { auth: false });
  assert.notEqual(after.headers.get('etag'), etag);
  assert.ok(after.text.includes('Published programme, renamed'));
  assert.equal((await srv.get('/iati.xml', { auth: false, headers: { 'If-None-Match': etag } })).status, 200, 'the old tag is stale');
  // publishing U puts it in; unpublishing takes it out again
  assert.equal((await srv.patch(`/api/v1/programmes/${U.id}`, { published: true })).status, 200);
  assert.ok((await iati('/iati.xml', { auth: false })).text.includes(`${SECRET}-REF`), 'published: in the public file');
  assert.equal((await srv.patch(`/api/v1/programmes/${U.id}`, { published: false })).status, 200);
  assert.ok(!(await iati('/iati.xml', { auth: false })).text.includes(SECRET), 'unpublished: out again');
});

test('suivi export iati: every programme; --published: the public file', async () => {
  const all = path.join(dir, 'all.xml'), pub = path.join(dir, 'pub.xml');
  const env = { SUIVI_IATI_NOW: '2026-02-03T04:05:06Z' };
  assert.equal(cli(['export', 'iati', '--db', srv.db, '--out', all], { env }).status, 0);
  const e = cli(['export', 'iati', '--published', '--db', srv.db, '--out', pub], { env });
  assert.equal(e.status, 0, e.stderr);
  validates(pub);
  const a = readFileSync(all, 'utf8'), p = readFileSync(pub, 'utf8');
  assert.ok(a.includes(SECRET) && !p.includes(SECRET));
  same(ids(p), ids((await iati('/iati.xml', { auth: false })).text), 'the same programmes as the public file');
  const bad = cli(['export', 'csv', 'programmes', '--published', '--db', srv.db]);
  assert.equal(bad.status, 2, 'a CSV export has no --published');
});

test('server stops cleanly', () => srv.stop());

// Row scoping (DESIGN §2): a focal point reads and writes its own country's needs
// assessments only — in lists, CSV, search, single records, the needs pages and their
// API, and every kind of write — and donors see none.  What another country's rows
// hold never reaches the focal point, and its refused writes change nothing.  Both
// backends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, assertError, parseCsv, same, Session } from './harness.mjs';

const srv = useServer();
let focal; // {token, session}: focal point of Morocco
let donor;
let mine; // an MA assessment
let theirs; // an assessment of another country (Algeria)

async function account(name, role, country) {
  const password = srv.addUser(name, role, { country });
  const session = new Session(srv);
  assert.equal((await session.login(name, password)).status, 303, `${name} signs in`);
  return { token: srv.addToken(name).token, session };
}

test('setup: a focal point of Morocco, a donor, and assessments of two countries', async () => {
  focal = await account('focal.ma', 'focal', 'MA');
  donor = await account('donor.x', 'donor');
  mine = (await srv.all('needs', 'country=MA'))[0];
  theirs = (await srv.all('needs', 'country=DZ'))[0];
  assert.ok(mine && theirs, 'the demo has assessments of MA and DZ');
});

test('lists, CSV, search and filters hold the focal point\'s country only', async () => {
  const all = await srv.all('needs');
  const ma = all.filter((n) => n.country === 'MA');
  assert.ok(all.length > ma.length, 'other countries exist');
  const r = await srv.get('/api/v1/needs?limit=500', { auth: focal.token });
  assert.equal(r.status, 200);
  assert.equal(r.json.total, ma.length, 'total counts MA rows only');
  same(r.json.items.map((n) => n.id).sort((a, b) => a - b), ma.map((n) => n.id).sort((a, b) => a - b), 'the MA rows');
  const dz = await srv.get('/api/v1/needs?country=DZ', { auth: focal.token });
  assert.equal(dz.json.total, 0, 'filtering on another country finds nothing');
  const q = await srv.get('/api/v1/needs?q=sample&limit=500', { auth: focal.token });
  assert.ok(q.json.items.every((n) => n.country === 'MA'), 'search stays in MA');
  const csv = await srv.get('/api/v1/needs.csv', { auth: focal.token });
  assert.equal(csv.status, 200);
  const rows = parseCsv(csv.text.replace(/^\uFEFF/, ''));
  const col = rows[0].indexOf('country');
  assert.ok(col >= 0);
  assert.equal(rows.length - 1, ma.length, 'CSV rows');
  assert.ok(rows.slice(1).every((row) => row[col] === 'MA'), 'CSV holds MA only');
});

test('another country\'s record does not exist for the focal point (404), in the API and pages', async () => {
  assertError(await srv.get(`/api/v1/needs/${theirs.id}`, { auth: focal.token }), 404, 'not_found');
  assert.equal((await srv.get(`/api/v1/needs/${mine.id}`, { auth: focal.token })).status, 200);
  assert.equal((await focal.session.get(`/needs/${theirs.id}`)).status, 404, 'record page');
  assert.equal((await focal.session.get(`/needs/${theirs.id}/edit`)).status, 404, 'edit page');
  assert.equal((await focal.session.get('/needs/country/DZ')).status, 404, 'country page of another country');
  assert.equal((await focal.session.get('/needs/country/MA')).status, 200);
  const list = await focal.session.get('/needs?limit=500');
  assert.equal(list.status, 200);
  assert.ok(!list.text.includes(`href="/needs/${theirs.id}"`), 'the list page does not link the other record');
});

test('the needs pages and /api/v1/needs/latest show the focal point\'s country only', async () => {
  const latest = await srv.get('/api/v1/needs/latest', { auth: focal.token });
  assert.equal(latest.status, 200);
  assert.ok(latest.json.total > 0);
  assert.ok(latest.json.items.every((c) => c.country === 'MA'), 'latest cells of MA only');
  const other = await srv.get('/api/v1/needs/latest?country=DZ', { auth: focal.token });
  assert.equal(other.json.total, 0, 'asking for another country gives nothing');
  const adminDz = await srv.getJSON('/api/v1/needs/latest?country=DZ');
  assert.ok(adminDz.total > 0, 'staff see Algeria');
  for (const p of ['/needs/matrix', '/needs/gaps', '/needs/theme/border_security', '/needs/gaps.csv']) {
    const r = await focal.session.get(p);
    assert.equal(r.status, 200, p);
    assert.ok(!r.text.includes('/needs/country/DZ') && !r.text.includes('Algérie'), `${p}: nothing of Algeria`);
    if (p.endsWith('.csv')) assert.ok(!/\bDZ\b/.test(r.text), `${p}: no Algerian row`);
  }
  const m = await focal.session.get('/needs/matrix');
  assert.match(m.text, /href="\/needs\/country\/MA"/, 'the matrix holds Morocco');
});

test('the focal point writes its own country\'s assessments, and only those', async () => {
  const body = { country: 'MA', theme: 'border_security', assessed_on: '2026-01-15', severity: 3, source: 'self_assessment' };
  const ok = await srv.post('/api/v1/needs', body, { auth: focal.token });
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.json.country, 'MA');
  const before = await srv.snapshot();
  const bad = await srv.post('/api/v1/needs', { ...body, country: 'DZ' }, { auth: focal.token });
  assert.equal(bad.status, 422, bad.text);
  assert.ok(bad.json.error.fields.country, 'the country field is refused');
  const move = await srv.patch(`/api/v1/needs/${ok.json.id}`, { country: 'DZ' }, { auth: focal.token });
  assert.equal(move.status, 422, 'cannot move a record to another country');
  assertError(await srv.patch(`/api/v1/needs/${theirs.id}`, { severity: 1 }, { auth: focal.token }), 404, 'not_found');
  assertError(await srv.del(`/api/v1/needs/${theirs.id}`, { auth: focal.token }), 404, 'not_found');
  // the same through the pages
  const form = await focal.session.form('/needs/new', { ...body, country: 'DZ', severity: '2' });
  assert.equal(form.status, 422, 'the new form refuses another country');
  assert.equal((await focal.session.form(`/needs/${theirs.id}/delete`, {})).status, 404, 'delete form');
  assert.equal((await focal.session.form(`/needs/${theirs.id}/edit`, { severity: '1' })).status, 404, 'edit form');
  same(await srv.snapshot(), before, 'the refused writes changed nothing');
  // the new form starts on the focal point's country
  const page = await focal.session.get('/needs/new');
  assert.match(page.text, /<option value="MA" selected/, 'country preset to MA');
  assert.equal((await srv.patch(`/api/v1/needs/${ok.json.id}`, { severity: 4 }, { auth: focal.token })).status, 200);
  assert.equal((await srv.del(`/api/v1/needs/${ok.json.id}`, { auth: focal.token })).status, 204);
});

test('donors and the public see no needs assessment', async () => {
  for (const p of ['/api/v1/needs', '/api/v1/needs/latest', `/api/v1/needs/${mine.id}`, '/api/v1/needs.csv']) {
    assertError(await srv.get(p, { auth: donor.token }), 403, 'forbidden', `donor ${p}`);
    assert.equal((await srv.get(p, { auth: false })).status, 401, `public ${p}`);
  }
  for (const p of ['/needs', '/needs/matrix', '/needs/gaps', '/needs/country/MA', `/needs/${mine.id}`]) {
    assert.equal((await donor.session.get(p)).status, 403, `donor page ${p}`);
  }
  const home = await donor.session.get('/');
  assert.equal(home.status, 200);
  assert.ok(!/sev-[1-5]/.test(home.text), 'no severity on the donor\'s home page');
});

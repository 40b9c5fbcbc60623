// A donor's scope (DESIGN §2): a donor reads the programmes its organisation funds
// in full — the programme, its transactions, in-kind support, results, indicators and
// periods — and nothing of the others: not in lists, CSV, search or filters, not as a
// record (404 in the API and on pages).  It writes its own forum ratings only: as its
// organisation, on a programme it funds; its refused writes change nothing.  Focal
// points read every programme (public data) and rate as their own country.  A donor
// account without an organisation sees no programme.  Both backends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, parseCsv, same, Session } from './harness.mjs';

const srv = useServer();
const ids = (items) => items.map((x) => x.id).sort((a, b) => a - b);
let X, Y; // two donor organisations
let PA, PB, PC; // funded by X, by Y, by both
let dx, dy, dnone, focal; // {token, session}
const made = { transactions: {}, contributions: {}, results: {}, indicators: {}, periods: {} };

async function account(name, role, { country, organisation } = {}) {
  const password = srv.addUser(name, role, { country, organisation });
  const session = new Session(srv);
  assert.equal((await session.login(name, password)).status, 303, `${name} signs in`);
  return { token: srv.addToken(name).token, session };
}

async function create(coll, body) {
  const r = await srv.post(`/api/v1/${coll}`, body);
  assert.equal(r.status, 201, `${coll}: ${r.text}`);
  return r.json.id;
}

/** A programme funded by `donors`, with one record of each collection hanging from it. */
async function programme(title, donors) {
  const p = await create('programmes', { title: { en: title }, donors, countries: ['MA', 'SN'], status: 'implementation', budget: 100000, currency: 'USD' });
  made.transactions[p] = await create('transactions', { programme: p, kind: 'commitment', date: '2025-01-01', amount: 5000, currency: 'USD', provider: donors[0] });
  made.contributions[p] = await create('contributions', { programme: p, provider: 1, kind: 'premises', value: 100 });
  made.results[p] = await create('results', { programme: p, level: 'output', title: { en: `${title}: result` } });
  made.indicators[p] = await create('indicators', { result: made.results[p], title: { en: `${title}: indicator` } });
  made.periods[p] = await create('periods', { indicator: made.indicators[p], start_date: '2025-01-01', end_date: '2025-12-31', target: 10 });
  return p;
}

const SHEET = { relevance: 4, coherence: 3, effectiveness: 4, efficiency: 3, impact: 3, sustainability: 2 };

test('setup: two donors, programmes funded by one, the other and both', async () => {
  X = await create('organisations', { name: { en: 'Donor X of the scope test' }, type: '10' });
  Y = await create('organisations', { name: { en: 'Donor Y of the scope test' }, type: '10' });
  PA = await programme('Scope A', [X]);
  PB = await programme('Scope B', [Y]);
  PC = await programme('Scope C', [X, Y]);
  dx = await account('donor.x', 'donor', { organisation: X });
  dy = await account('donor.y', 'donor', { organisation: Y });
  dnone = await account('donor.none', 'donor');
  focal = await account('focal.ma', 'focal', { country: 'MA' });
});

test('a donor lists, exports, searches and filters the programmes it funds only', async () => {
  const r = await srv.get('/api/v1/programmes?limit=500', { auth: dx.token });
  assert.equal(r.status, 200);
  same(ids(r.json.items), [PA, PC], 'the programmes X funds');
  assert.equal(r.json.total, 2, 'the total counts them only');
  const csv = parseCsv((await srv.get('/api/v1/programmes.csv', { auth: dx.token })).text.replace(/^\uFEFF/, ''));
  same(csv.slice(1).map((row) => Number(row[0])).sort((a, b) => a - b), [PA, PC], 'CSV');
  assert.equal((await srv.get('/api/v1/programmes?q=Scope%20B', { auth: dx.token })).json.total, 0, 'search finds no other programme');
  same(ids((await srv.get(`/api/v1/programmes?donors=${Y}`, { auth: dx.token })).json.items), [PC], 'filter on the other donor: the shared one only');
  const page = await dx.session.get('/programmes');
  assert.equal(page.status, 200);
  assert.ok(page.text.includes('Scope A') && page.text.includes('Scope C') && !page.text.includes('Scope B'), 'the list page');
  // the other donor, the other way round
  same(ids((await srv.get('/api/v1/programmes?limit=500', { auth: dy.token })).json.items), [PB, PC], 'the programmes Y funds');
});

test('what hangs from a programme follows it: transactions, in-kind support, results, indicators, periods', async () => {
  for (const coll of Object.keys(made)) {
    const r = await srv.get(`/api/v1/${coll}?limit=500`, { auth: dx.token });
    assert.equal(r.status, 200, coll);
    same(ids(r.json.items), [made[coll][PA], made[coll][PC]].sort((a, b) => a - b), `${coll} of the funded programmes`);
    assert.equal((await srv.get(`/api/v1/${coll}/${made[coll][PB]}`, { auth: dx.token })).status, 404, `${coll}: another's record`);
    assert.equal((await srv.get(`/api/v1/${coll}/${made[coll][PA]}`, { auth: dx.token })).status, 200, `${coll}: its own`);
    assert.equal((await dx.session.get(`/${coll}/${made[coll][PB]}`)).status, 404, `${coll}: another's record page`);
  }
});

test('another donor\'s programme does not exist for a donor: API, pages', async () => {
  const r = await srv.get(`/api/v1/programmes/${PB}`, { auth: dx.token });
  assert.equal(r.status, 404);
  assert.ok(!r.text.includes('Scope B'), 'the answer tells nothing of it');
  assert.equal((await dx.session.get(`/programmes/${PB}`)).status, 404, 'its page');
  assert.equal((await dx.session.get(`/programmes/${PA}`)).status, 200, 'a funded programme\'s page');
  assert.equal((await srv.get(`/api/v1/programmes/${PA}`, { auth: dx.token })).status, 200);
});

test('a funded programme\'s page names nothing the donor may not read (needs) nor another\'s records', async () => {
  const need = await create('needs', { country: 'DZ', theme: 'pcve', assessed_on: '2024-05-01', severity: 5, source: 'other', description: { en: 'Confidential need of the scope test' } });
  assert.equal((await srv.patch(`/api/v1/programmes/${PA}`, { needs: [need] })).status, 200);
  const page = await dx.session.get(`/programmes/${PA}`);
  assert.equal(page.status, 200);
  assert.ok(!page.text.includes('Confidential need of the scope test'), 'no need\'s description');
  assert.ok(!page.text.includes(`href="/needs/${need}"`), 'no link to it');
  const focalPage = await focal.session.get(`/programmes/${PA}`);
  assert.equal(focalPage.status, 200);
  assert.ok(!focalPage.text.includes('Confidential need of the scope test'), 'nor another country\'s need for a focal point');
  // (the need is named by its label — country, theme, date — not by its description)
  const staff = await srv.get(`/programmes/${PA}`);
  assert.ok(staff.text.includes(`href="/needs/${need}"`), 'staff see it');
});

test('a donor account without an organisation sees no programme', async () => {
  const r = await srv.get('/api/v1/programmes', { auth: dnone.token });
  assert.equal(r.status, 200);
  assert.equal(r.json.total, 0);
  assert.equal((await srv.get(`/api/v1/programmes/${PA}`, { auth: dnone.token })).status, 404);
});

test('focal points read every programme (public data)', async () => {
  const r = await srv.get('/api/v1/programmes?limit=500', { auth: focal.token });
  for (const p of [PA, PB, PC]) assert.ok(r.json.items.some((x) => x.id === p), `programme ${p}`);
});

test('a donor rates, as its organisation, the programmes it funds — and nothing else', async () => {
  const forum = (await srv.all('meetings', 'kind=forum'))[0].id;
  const before = await srv.all('evaluations');
  const other = await srv.post('/api/v1/evaluations', { meeting: forum, programme: PB, rater: 'donor', organisation: X, ...SHEET }, { auth: dx.token });
  assert.equal(other.status, 422, 'a programme it does not fund');
  assert.ok(other.json.error.fields.programme, other.text);
  const as = await srv.post('/api/v1/evaluations', { meeting: forum, programme: PA, rater: 'donor', organisation: Y, ...SHEET }, { auth: dx.token });
  assert.equal(as.status, 422, 'as another organisation');
  assert.ok(as.json.error.fields.organisation, as.text);
  const asCountry = await srv.post('/api/v1/evaluations', { meeting: forum, programme: PA, rater: 'beneficiary', country: 'MA', ...SHEET }, { auth: dx.token });
  assert.equal(asCountry.status, 422, 'as a beneficiary state');
  same(await srv.all('evaluations'), before, 'refused ratings change nothing');

  const own = await srv.post('/api/v1/evaluations', { meeting: forum, programme: PA, rater: 'donor', organisation: X, ...SHEET }, { auth: dx.token });
  assert.equal(own.status, 201, own.text);
  const twice = await srv.post('/api/v1/evaluations', { meeting: forum, programme: PA, rater: 'donor', organisation: X, ...SHEET }, { auth: dx.token });
  assert.equal(twice.status, 409, 'one sheet per donor, programme and forum');
  const move = await srv.patch(`/api/v1/evaluations/${own.json.id}`, { organisation: Y }, { auth: dx.token });
  assert.equal(move.status, 422, 'cannot be moved to another organisation');
  assert.equal((await srv.patch(`/api/v1/evaluations/${own.json.id}`, { impact: 5 }, { auth: dx.token })).status, 200, 'its own sheet changes');

  // The sheets a donor reads are its own; the other donor and the focal point do not see it.
  same(ids((await srv.get('/api/v1/evaluations?limit=500', { auth: dx.token })).json.items), [own.json.id], 'X reads its sheet only');
  assert.equal((await srv.get(`/api/v1/evaluations/${own.json.id}`, { auth: dy.token })).status, 404, 'Y does not');
  assert.equal((await srv.get(`/api/v1/evaluations/${own.json.id}`, { auth: focal.token })).status, 404, 'nor the focal point');
  assert.equal((await srv.del(`/api/v1/evaluations/${own.json.id}`, { auth: dy.token })).status, 404, 'nor deletes it');
});

test('a focal point rates as its own country, any programme', async () => {
  const forum = (await srv.all('meetings', 'kind=forum'))[0].id;
  const r = await srv.post('/api/v1/evaluations', { meeting: forum, programme: PB, rater: 'beneficiary', country: 'MA', ...SHEET }, { auth: focal.token });
  assert.equal(r.status, 201, r.text);
  const sn = await srv.post('/api/v1/evaluations', { meeting: forum, programme: PB, rater: 'beneficiary', country: 'SN', ...SHEET }, { auth: focal.token });
  assert.equal(sn.status, 422, 'not as another country');
  assert.ok(sn.json.error.fields.country, sn.text);
  const seen = (await srv.get('/api/v1/evaluations?limit=500', { auth: focal.token })).json.items;
  assert.ok(seen.length > 0 && seen.every((e) => e.country === 'MA'), 'the focal point reads its country\'s sheets');
});

test('a rating sheet is of a forum, by a beneficiary of the programme or by one of its donors — whoever types it', async () => {
  const forum = (await srv.all('meetings', 'kind=forum'))[0].id;
  const conference = (await srv.all('meetings', 'kind=conference'))[0].id;
  const PD = await create('programmes', { title: { en: 'Scope D' }, donors: [X], countries: ['DZ'], status: 'implementation' });
  const before = await srv.all('evaluations');
  const tries = [
    ['a focal point, a programme not for its country', focal.token, { programme: PD, rater: 'beneficiary', country: 'MA' }, 'programme'],
    ['staff, for a country the programme does not benefit', undefined, { programme: PD, rater: 'beneficiary', country: 'MA' }, 'programme'],
    ['staff, for a donor that does not fund it', undefined, { programme: PA, rater: 'donor', organisation: Y }, 'programme'],
    ['staff, at a conference', undefined, { meeting: conference, programme: PA, rater: 'beneficiary', country: 'MA' }, 'meeting'],
  ];
  for (const [what, auth, body, field] of tries) {
    const r = await srv.post('/api/v1/evaluations', { meeting: forum, ...SHEET, ...body }, auth ? { auth } : {});
    assert.equal(r.status, 422, `${what}: ${r.text}`);
    assert.ok(r.json.error.fields[field], `${what}: on ${field}: ${r.text}`);
  }
  same(await srv.all('evaluations'), before, 'nothing saved');
  const ok = await srv.post('/api/v1/evaluations', { meeting: forum, ...SHEET, programme: PD, rater: 'beneficiary', country: 'DZ' });
  assert.equal(ok.status, 201, `staff, for a beneficiary of it: ${ok.text}`);
  const moved = await srv.patch(`/api/v1/evaluations/${ok.json.id}`, { country: 'MA' });
  assert.equal(moved.status, 422, 'nor moved to a country it does not benefit');
});

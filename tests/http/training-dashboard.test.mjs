// The training effectiveness dashboard (issue 6): every figure of
// GET /api/v1/training/summary against the test's own computation from the
// enrolments, participants, sessions and courses read through the API; filters;
// CSV exports; the 95 % interval; small groups hidden from non-staff; a focal
// point's own country; and the summaries (kept on write) equal to a GROUP BY
// from scratch after writes of every kind (GET /api/v1/training/check).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, USER_PASSWORD, same } from './harness.mjs';
import { DIMS, coursesAndSessions, create as createWith, enrolmentBody, figures, patch as patchWith, small, trainingRecords }
  from './training-common.mjs';

const srv = useServer();

const create = (collection, body) => createWith(srv, collection, body);
const patch = (collection, id, body) => patchWith(srv, collection, id, body);

// ---- the test's own computation (training-common.mjs) ---------------------------------

async function expected(filter = {}) {
  return figures(await trainingRecords(srv), filter);
}

function assertGroup(got, want, what) {
  assert.ok(!got.suppressed, `${what}: not suppressed for staff`);
  assert.equal(got.people, want.people, `${what}: people`);
  assert.equal(got.enrolments, want.enrolments, `${what}: enrolments`);
  assert.equal(got.completed, want.completed, `${what}: completed`);
  assert.equal(got.person_days, want.person_days, `${what}: person-days`);
  assert.equal(got.gain.n, want.n, `${what}: gain n`);
  assert.equal(got.gain.sum, want.g, `${what}: Σ gain`);
  assert.equal(got.gain.sum_squares, want.g2, `${what}: Σ gain²`);
  assert.equal(got.satisfaction.n, want.ns, `${what}: satisfaction n`);
  assert.equal(got.satisfaction.sum, want.ss, `${what}: Σ satisfaction`);
  if (want.enrolments) assert.ok(Math.abs(got.completion_rate - want.completed / want.enrolments) < 1e-4, `${what}: completion rate`);
  if (want.n >= 2) {
    const mean = want.g / want.n;
    const sd = Math.sqrt((want.g2 - want.g * want.g / want.n) / (want.n - 1));
    const half = 1.96 * sd / Math.sqrt(want.n);
    assert.ok(Math.abs(got.gain.mean - mean) < 1e-3, `${what}: mean gain ${got.gain.mean} vs ${mean}`);
    assert.ok(Math.abs(got.gain.ci95[0] - (mean - half)) < 1e-3, `${what}: CI low`);
    assert.ok(Math.abs(got.gain.ci95[1] - (mean + half)) < 1e-3, `${what}: CI high`);
  }
}

async function assertSummary(filter = {}) {
  const q = new URLSearchParams(filter).toString();
  const got = await srv.getJSON(`/api/v1/training/summary${q ? '?' + q : ''}`);
  const want = await expected(filter);
  assertGroup(got.totals, want.totals, `totals ${q}`);
  for (const d of DIMS) {
    const w = want.by(d);
    const g = got[`by_${d}`];
    assert.deepEqual(g.map((x) => x.key).sort(), [...w.keys()].sort(), `by_${d} ${q}: the groups`);
    for (const x of g) assertGroup(x, w.get(x.key), `by_${d}=${x.key} ${q}`);
  }
  return got;
}

async function assertConsistent(what) {
  const c = await srv.getJSON('/api/v1/training/check');
  assert.equal(c.consistent, true, `${what}: summaries equal a GROUP BY from scratch (${JSON.stringify(c)})`);
  assert.equal(c.differences, 0);
}

// ---- data -----------------------------------------------------------------------------

const ids = { courses: [], sessions: [], participants: [], enrolments: [] };

test('set up: courses, sessions, participants and enrolments through the API', async () => {
  Object.assign(ids, await coursesAndSessions(srv));
  // DJ: a country of the test's people only (the demo's generated participants
  // come from 16 other states: src/cmd/cmd_training.c), so a small group
  const countries = ['SN', 'SN', 'SN', 'SN', 'SN', 'SN', 'SN', 'ML', 'ML', 'DJ'];
  for (let i = 0; i < countries.length; i++)
    ids.participants.push((await create('participants', { family_name: `Testeur${i}`, country: countries[i],
      agency: i % 3 ? 'police' : 'customs', sex: i % 4 ? 'male' : 'female' })).id);
  let k = 0;
  for (const p of ids.participants)
    for (const s of ids.sessions.slice(0, 1 + (p % 3)))
      ids.enrolments.push((await create('enrolments', enrolmentBody(++k, p, s))).id);
  await assertConsistent('after creating');
});

test('every figure equals the test\'s own computation (admin)', async () => {
  const got = await assertSummary();
  assert.equal(got.small_cells_hidden, false);
  assert.match(got.method.ci95, /1\.96/);
});

test('filters: country; country and sex; theme and year; course; agency', async () => {
  await assertSummary({ country: 'SN' });
  await assertSummary({ country: 'SN', sex: 'male' });
  await assertSummary({ theme: 'border_security', year: '2024' });
  await assertSummary({ course: String(ids.courses[1]) });
  await assertSummary({ agency: 'customs' });
});

test('bad filters are refused with 400', async () => {
  for (const q of ['year=24', 'country=sen', 'sex=other', 'course=x', 'agency=army']) {
    const r = await srv.get(`/api/v1/training/summary?${q}`);
    assert.equal(r.status, 400, q);
    assert.equal(r.json.error.code, 'bad_query');
  }
});

test('writes of every kind keep the summaries equal to a GROUP BY from scratch', async () => {
  // grid-like PATCHes of results
  await patch('enrolments', ids.enrolments[0], { post_score: 99, satisfaction: 5, completed: true, days_attended: 4 });
  await patch('enrolments', ids.enrolments[1], { completed: false, pre_score: null });
  await assertConsistent('after result PATCHes');
  // a participant moves country, agency and sex: its enrolments move with it
  await patch('participants', ids.participants[0], { country: 'ML', sex: 'female', agency: 'prison' });
  await assertConsistent('after a participant PATCH');
  // a session changes year (and so who was first trained when)
  await patch('sessions', ids.sessions[0], { start_date: '2025-01-15' });
  await assertConsistent('after a session PATCH');
  // a course changes theme
  await patch('courses', ids.courses[1], { theme: 'maritime_security' });
  await assertConsistent('after a course PATCH');
  // an enrolment moves to another participant, another is deleted
  const mover = await create('participants', { family_name: 'Nouveau', country: 'DJ', sex: 'female' });
  await patch('enrolments', ids.enrolments[2], { participant: mover.id });
  const r = await srv.del(`/api/v1/enrolments/${ids.enrolments[3]}`);
  assert.equal(r.status, 204, r.text);
  await assertConsistent('after a move and a delete');
  await assertSummary();
  await assertSummary({ country: 'ML' });
});

test('CSV exports: one per figure, with the filters', async () => {
  const r = await srv.get('/training/country.csv?sex=male', { auth: false });
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /text\/csv/);
  const lines = r.text.replace(/^\uFEFF/, '').trim().split(/\r\n/);
  assert.match(lines[0], /^country,name,people,enrolments,completed,completion_rate,person_days,gain_n,gain_mean,gain_ci95_low,gain_ci95_high/);
  const admin = await srv.get('/training/year.csv');
  const want = (await expected()).by('year');
  const rows = admin.text.replace(/^\uFEFF/, '').trim().split(/\r\n/).slice(1).map((l) => l.split(','));
  assert.deepEqual(rows.map((x) => x[0]).sort(), [...want.keys()].sort());
  for (const x of rows) assert.equal(Number(x[3]), want.get(x[0]).enrolments, `year ${x[0]} enrolments in CSV`);
  for (const f of ['totals', 'agency', 'sex', 'theme', 'course', 'needs'])
    assert.equal((await srv.get(`/training/${f}.csv`)).status, 200, f);
  assert.equal((await srv.get('/training/nothing.csv')).status, 404);
});

// The public's figures by statistical disclosure control (sdc.h): the attack on them
// is tests/http/training-privacy.test.mjs; here, what each published figure is.
test('the public sees the aggregates, with groups under 5 hidden and counts rounded to 5', async () => {
  const r = await srv.get('/api/v1/training/summary', { auth: false });
  assert.equal(r.status, 200);
  const got = r.json;
  assert.equal(got.small_cells_hidden, true);
  assert.equal(got.method.disclosure_control.applied, true);
  assert.equal(got.method.disclosure_control.base, 5);
  const want = await expected();
  const dj = got.by_country.find((x) => x.key === 'DJ');
  assert.ok(dj && dj.suppressed && dj.enrolments === undefined, 'DJ (the test\'s two people) is hidden');
  for (const x of [got.totals, ...got.by_country]) {
    const w = x === got.totals ? want.totals : want.by('country').get(x.key);
    assert.equal(!!x.suppressed, small(w), `country ${x.key}`);
    if (small(w)) continue;
    for (const [k, v] of [['people', x.people], ['enrolments', x.enrolments], ['completed', x.completed],
      ['person_days', x.person_days], ['n', x.gain.n], ['ns', x.satisfaction.n]]) {
      assert.equal(v % 5, 0, `country ${x.key} ${k}: ${v} is a multiple of 5`);
      assert.ok(Math.abs(v - w[k]) < 5, `country ${x.key} ${k}: ${v} within 4 of ${w[k]}`);
    }
    assert.equal(x.gain.sum, undefined, 'no sum of gains');
    assert.equal(x.gain.sum_squares, undefined, 'no sum of squares');
    assert.equal(x.satisfaction.sum, undefined, 'no sum of ratings');
    if (w.n >= 10) assert.ok(Math.abs(x.gain.mean - w.g / w.n) <= 0.05 + 1e-9, `country ${x.key}: mean gain to 0.1`);
    else assert.equal(x.gain.mean, null, `country ${x.key}: no mean gain over ${w.n} scores`);
    if (w.enrolments >= 10) assert.equal(x.completion_rate, Math.min(1, Math.round(100 * x.completed / x.enrolments) / 100),
      `country ${x.key}: the completion rate from the rounded counts`);
  }
  assert.equal(got.needs, undefined, 'the public does not see needs');
  const page = await srv.get('/training', { auth: false });
  assert.equal(page.status, 200);
  assert.match(page.text, /<svg/);
  assert.ok(page.text.length < 100 * 1024, `page ${page.text.length} bytes`);
  assert.equal((await srv.get('/api/v1/training/check', { auth: false })).status, 401);
});

test('a focal point sees its own country only', async () => {
  await srv.addUser('focal_sn', 'focal', { country: 'SN' });
  const s = await srv.login('focal_sn', USER_PASSWORD);
  const r = await s.get('/api/v1/training/summary?country=ML');
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.filters, { country: 'SN' });
  assert.deepEqual(r.json.by_country.map((x) => x.key), ['SN']);
  assert.ok(Array.isArray(r.json.needs), 'a focal point sees the needs comparison');
  for (const n of r.json.needs) assert.equal(n.country, 'SN');
  const page = await s.get('/training');
  assert.equal(page.status, 200);
});

// /training/needs: the open serious needs and whether training answered them (issue 14:
// out of the dashboard, which stays under 60 kB).  Its figures are the summary's
// needs (the API), summed up by country when they are many, one by one for a country.
test('the needs page: by country, then one country\'s needs; for those who may read needs', async () => {
  const s = await srv.login();
  const all = (await srv.getJSON('/api/v1/training/summary')).needs;
  assert.ok(all.length > 30, `the demo's open serious needs: ${all.length}`);
  const dash = (await s.get('/training')).text;
  assert.match(dash, /<a href="\/training\/needs">/, 'the dashboard leads to it');
  const page = await s.get('/training/needs', { headers: { 'Accept-Language': 'en' } });
  assert.equal(page.status, 200);
  const rows = [...page.text.matchAll(/<tr><th scope="row"><a href="\/training\/needs\?country=([A-Z]{2})">[^<]+<\/a><\/th><td>(\d+)<\/td><td>(\d+)<\/td><\/tr>/g)]
    .map((m) => [m[1], Number(m[2]), Number(m[3])]);
  const byCountry = new Map();
  for (const n of all) {
    const c = byCountry.get(n.country) || [n.country, 0, 0];
    c[1]++;
    c[2] += n.trained ? 1 : 0;
    byCountry.set(n.country, c);
  }
  same(rows.map((r) => r[0]).sort(), [...byCountry.keys()].sort(), 'a row per country with open serious needs');
  for (const r of rows) same(r, byCountry.get(r[0]), `${r[0]}: open needs, and those trained for`);
  const [country] = rows.find((r) => r[1] >= 2);
  const one = await s.get(`/training/needs?country=${country}`, { headers: { 'Accept-Language': 'en' } });
  const listed = [...one.text.matchAll(/<a href="\/needs\/(\d+)">\d<\/a><\/td><td>\d+<\/td><td>(yes|no)<\/td>/g)].map((m) => [Number(m[1]), m[2] === 'yes']);
  same(listed.sort((a, b) => a[0] - b[0]), all.filter((n) => n.country === country).map((n) => [n.need, n.trained]).sort((a, b) => a[0] - b[0]),
    `${country}: its needs one by one`);
  assert.match(one.text, /<a href="\/training\/needs\.csv\?country=[A-Z]{2}" download>/, 'the CSV of what is shown');

  await srv.addUser('focal_ml_needs', 'focal', { country: country });
  const focal = await srv.login('focal_ml_needs', USER_PASSWORD);
  const own = await focal.get('/training/needs?country=SN');
  assert.equal(own.status, 200);
  const theirs = [...own.text.matchAll(/<a href="\/needs\/(\d+)">/g)].map((m) => Number(m[1])).sort((a, b) => a - b);
  same(theirs, all.filter((n) => n.country === country).map((n) => n.need).sort((a, b) => a - b), 'a focal point: its own country\'s, whatever it asks');
  const visitor = await srv.get('/training/needs', { auth: false });
  assert.equal(visitor.status, 303, 'the public: to the sign-in page');
  assert.doesNotMatch((await srv.get('/training', { auth: false })).text, /\/training\/needs"/, 'and no link to it');
});

// The method of disclosure control and its parameters, stated on the page in each language.
const METHOD = { fr: /multiple de 5.*moins de 5 inscriptions.*au moins 10 enregistrements/s,
  en: /multiple of 5.*fewer than 5 enrolments.*at least 10 records/s, ar: /مضاعف للعدد 5.*أقل من 5 تسجيلات.*10 سجلات/s };

test('the page in fr, en and ar, with the method of disclosure control', async () => {
  for (const lang of ['fr', 'en', 'ar']) {
    const r = await srv.get(`/training?country=SN`, { headers: { 'Accept-Language': lang }, auth: false });
    assert.equal(r.status, 200);
    assert.match(r.text, new RegExp(`<html lang="${lang}"`));
    assert.match(r.text, METHOD[lang], `${lang}: the method and its parameters`);
    assert.match((await srv.get('/training', { headers: { 'Accept-Language': lang } })).text, METHOD[lang], `${lang}: staff too`);
  }
});

test('server stops cleanly', () => srv.stop());

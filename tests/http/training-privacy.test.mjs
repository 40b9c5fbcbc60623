// Figures published to readers who are not staff are safe against differencing
// (issue 12, item 4; sdc.h).  An attacker script: a small known dataset is made
// through the API as admin — among it two women of one country whose knowledge
// gains are 11 and −4, and other small groups — then the public, a donor and a
// focal point read every figure of the training dashboard (JSON and CSV) under
// every filter offered (none, each single value of each dimension, and pairs),
// and for every figure with hidden groups try the total minus the groups shown,
// for the counts and for the sum of gains (mean × n).  No hidden count may come
// out, nor a value: the values consistent with what is published must be more
// than one, and no sum appears.  The same attack on the staff's exact figures
// does recover them (so the attack itself works).  Also: the same cell by two
// routes gives the same figures; the record key appears nowhere; the other pages
// with training counts (sessions, programmes, indicators, the forum report, the
// home page) publish them the same way; and migration 11 gives the records of an
// existing database their keys.  Both backends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { useServer, startServer, cli, tempDir, tempDb, parseCsv, PG, USER_PASSWORD, dbSql } from './harness.mjs';
import { DIMS, coursesAndSessions, create as createWith, enrolmentBody, figures, patch, small, trainingRecords }
  from './training-common.mjs';

const srv = useServer({ init: true });

const create = (collection, body, on = srv) => createWith(on, collection, body);

// ---- the dataset ---------------------------------------------------------------------------

const ids = { courses: [], sessions: [], women: [] };

// Countries and their people: SN a large group, ML eight people of whom two women
// (gains 11 and −4), NE three people and CI one (hidden by country).
const PEOPLE = [
  ...Array.from({ length: 12 }, (_, i) => ({ country: 'SN', sex: i % 2 ? 'male' : 'female', agency: i % 3 ? 'police' : 'customs' })),
  ...Array.from({ length: 6 }, (_, i) => ({ country: 'ML', sex: 'male', agency: i % 2 ? 'police' : 'gendarmerie' })),
  { country: 'ML', sex: 'female', agency: 'police', gain: 11 },
  { country: 'ML', sex: 'female', agency: 'police', gain: -4 },
  ...Array.from({ length: 3 }, () => ({ country: 'NE', sex: 'male', agency: 'customs' })),
  { country: 'CI', sex: 'female', agency: 'judiciary' },
];

test('set up: a small known dataset through the API (admin)', async () => {
  Object.assign(ids, await coursesAndSessions(srv));
  let k = 0;
  for (const [i, p] of PEOPLE.entries()) {
    const who = await create('participants', { family_name: `Privé${i}`, country: p.country, sex: p.sex, agency: p.agency });
    if (p.gain !== undefined) { // one enrolment, in the 2024 finance session
      ids.women.push(who.id);
      await create('enrolments', { participant: who.id, session: ids.sessions[1], days_attended: 3, pre_score: 50,
        post_score: 50 + p.gain, satisfaction: p.gain > 0 ? 4 : 2, completed: true });
      continue;
    }
    for (const s of ids.sessions.slice(0, 1 + (i % 3 === 0 ? 2 : 1))) await create('enrolments', enrolmentBody(++k, who.id, s, 6));
  }
  assert.equal((await srv.getJSON('/api/v1/training/check')).consistent, true);
});

// ---- the readers ----------------------------------------------------------------------------

const readers = {}; // role → {auth} for srv.get ({auth: false}: the public)

test('the readers: the public, a donor, a focal point of Mali; and the admin', async () => {
  const org = await create('organisations', { name: { en: 'A donor' }, type: '10' });
  srv.addUser('donor_p', 'donor', { organisation: org.id });
  srv.addUser('focal_ml', 'focal', { country: 'ML' });
  readers.public = { auth: false };
  readers.donor = { auth: srv.addToken('donor_p').token };
  readers.focal = { auth: srv.addToken('focal_ml').token };
  readers.admin = {};
});

// ---- the attack ------------------------------------------------------------------------------

const COUNTS = [['people', (g) => g.people], ['enrolments', (g) => g.enrolments], ['completed', (g) => g.completed],
  ['person_days', (g) => g.person_days], ['n', (g) => g.gain.n], ['ns', (g) => g.satisfaction.n]];

// The filters offered: none, each value of each dimension in the data (and one absent),
// and (pairs: true) each pair of values of two dimensions.
function filters(records, { pairs = true } = {}) {
  const values = Object.fromEntries(DIMS.map((d) => [d, [...new Set(records.rows.map((r) => r[d]))].filter((v) => v !== '')]));
  values.agency.push('prison'); // offered, no one in it
  const out = [{}];
  for (const d of DIMS) for (const v of values[d]) out.push({ [d]: v });
  for (let i = 0; i < DIMS.length && pairs; i++)
    for (let j = i + 1; j < DIMS.length; j++)
      for (const a of values[DIMS[i]]) for (const b of values[DIMS[j]]) out.push({ [DIMS[i]]: a, [DIMS[j]]: b });
  return out;
}

// The sums of gains consistent with a published group, for one who knows the method:
// n within ±4 of the published count (and at least 10 when a mean is published), the
// mean within ±0.05.  [lo, hi], or null when nothing bounds it (no mean published).
function gainSumBounds(g, exact) {
  if (exact) return [g.gain.sum, g.gain.sum];
  if (g.gain.mean === null) return null;
  const lo = Math.max(10, g.gain.n - 4), hi = g.gain.n + 4;
  const m0 = g.gain.mean - 0.05, m1 = g.gain.mean + 0.05;
  return [Math.min(lo * m0, hi * m0), Math.max(lo * m1, hi * m1)];
}

// One reader's attack on one filter's summary: every figure with hidden groups, the
// total minus the shown groups.  Answers what it found, to be judged by the caller:
// [{what, count, estimate, truth}] and [{what, bounds: [lo, hi] | null, truth}].
function attack(got, want, exact) {
  const counts = [], values = [], pairs = [];
  // (staff see every group: the attack on their figures takes as hidden the groups
  // hidden from the others)
  const isHidden = (d, g) => (exact ? small(d ? want.by(d).get(g.key) : want.totals) : g.suppressed);
  for (const d of DIMS) {
    const groups = got[`by_${d}`];
    const hidden = groups.filter((g) => isHidden(d, g));
    if (!hidden.length || isHidden(null, got.totals)) continue;
    const shown = groups.filter((g) => !isHidden(d, g));
    const truth = hidden.map((g) => want.by(d).get(g.key));
    const what = `by_${d} hidden ${hidden.map((g) => g.key).join('+')}`;
    for (const [name, f] of COUNTS) {
      const estimate = f(got.totals) - shown.reduce((s, g) => s + f(g), 0);
      counts.push({ what: `${what} ${name}`, estimate, truth: truth.reduce((s, t) => s + t[name], 0) });
    }
    let bounds = gainSumBounds(got.totals, exact);
    for (const g of shown) {
      const b = gainSumBounds(g, exact);
      bounds = bounds && b ? [bounds[0] - b[1], bounds[1] - b[0]] : null;
    }
    values.push({ what: `${what} Σ gain`, bounds, truth: truth.reduce((s, t) => s + t.g, 0) });
    if (exact && hidden.length === 1 && truth[0].n === 2) {
      // two people: their gains from the sum and the sum of squares, a + b = s, a² + b² = q
      const s = bounds[0], q = got.totals.gain.sum_squares - shown.reduce((t, g) => t + g.gain.sum_squares, 0);
      const root = Math.sqrt(2 * q - s * s);
      pairs.push({ what, gains: [(s - root) / 2, (s + root) / 2], truth: [...truth[0].gains].sort((a, b) => a - b) });
    }
  }
  return { counts, values, pairs };
}

function query(f) {
  const q = new URLSearchParams(f).toString();
  return q ? `?${q}` : '';
}

const CSV_COLS = { people: 2, enrolments: 3, completed: 4, person_days: 6, n: 7, ns: 11 };

// The CSV of every figure says what the JSON says (the attack on one is the attack on both).
async function csvAgrees(reader, f, got, role) {
  for (const d of ['totals', ...DIMS]) {
    const r = await srv.get(`/training/${d}.csv${query(f)}`, reader);
    assert.equal(r.status, 200, `${role} ${d}.csv${query(f)}`);
    const [head, ...rows] = parseCsv(r.text.replace(/^\uFEFF/, '').trim());
    assert.ok(!/sum/.test(head.join(',')), `${role}: no sum in the CSV header`);
    const groups = d === 'totals' ? [got.totals] : got[`by_${d}`];
    assert.equal(rows.length, groups.length, `${role} ${d}.csv${query(f)}: the groups of the JSON`);
    for (const [i, g] of groups.entries()) {
      if (g.suppressed) { assert.match(rows[i][13], /suppressed/); continue; }
      for (const [name, f2] of COUNTS) assert.equal(Number(rows[i][CSV_COLS[name]]), f2(g), `${role} ${d}.csv ${name}`);
      if (g.gain.mean !== null) assert.equal(Number(rows[i][8]), g.gain.mean, `${role} ${d}.csv mean gain`);
    }
  }
}

const seen = { checked: 0, valuesChecked: 0 };

for (const role of ['public', 'donor', 'focal']) {
  test(`the attack fails on what ${role === 'public' ? 'the public' : `a ${role}`} reads: JSON and CSV, every filter`, async () => {
    const records = await trainingRecords(srv);
    const reader = readers[role];
    // (a donor reads what the public reads, a focal point its own country: pairs
    // once, for the public)
    for (const f of filters(records, { pairs: role === 'public' })) {
      const r = await srv.get(`/api/v1/training/summary${query(f)}`, reader);
      assert.equal(r.status, 200, `${role} ${query(f)}: ${r.text.slice(0, 200)}`);
      const got = r.json;
      const want = figures(records, got.filters); // (a focal point's filter is its country)
      const { counts, values } = attack(got, want, false);
      for (const c of counts) {
        if (c.truth % 5 === 0) continue; // published unchanged by design: nothing tells the attacker so
        assert.notEqual(c.estimate, c.truth, `${role} ${query(f)} ${c.what}: the hidden count is recovered`);
        assert.ok(c.estimate % 5 === 0, `${c.what}: ${c.estimate}, a multiple of 5`);
        seen.checked++;
      }
      for (const v of values) {
        if (!v.bounds) continue; // a group without a published mean: nothing to subtract
        const candidates = Math.floor(v.bounds[1]) - Math.ceil(v.bounds[0]) + 1;
        assert.ok(v.bounds[0] <= v.truth && v.truth <= v.bounds[1], `${role} ${query(f)} ${v.what}: the truth is among the candidates`);
        assert.ok(candidates > 1, `${role} ${query(f)} ${v.what}: ${candidates} candidate(s) ${JSON.stringify(v.bounds)}`);
        seen.valuesChecked++;
      }
      assert.ok(!/"sum(_squares)?"/.test(r.text), `${role} ${query(f)}: no sums published`);
      assert.equal(got.method.disclosure_control.applied, true);
      for (const g of [got.totals, ...DIMS.flatMap((d) => got[`by_${d}`])])
        if (!g.suppressed) for (const [name, fn] of COUNTS) assert.ok(fn(g) % 5 === 0, `${role} ${query(f)} ${name}: ${fn(g)}, a multiple of 5`);
      if (Object.keys(f).length <= (role === 'public' ? 1 : 0)) await csvAgrees(reader, f, got, role);
    }
  });
}

test('the attack itself works: on the staff\'s exact figures it recovers the hidden counts and both gains', async () => {
  const records = await trainingRecords(srv);
  let counts = 0, pairs = 0;
  for (const f of filters(records)) {
    const got = await srv.getJSON(`/api/v1/training/summary${query(f)}`);
    assert.equal(got.method.disclosure_control.applied, false);
    const want = figures(records, got.filters);
    const found = attack(got, want, true);
    for (const c of found.counts) {
      assert.equal(c.estimate, c.truth, `admin ${query(f)} ${c.what}`);
      counts++;
    }
    for (const v of found.values) assert.equal(v.bounds[0], v.truth, `admin ${query(f)} ${v.what}`);
    for (const p of found.pairs) {
      assert.deepEqual(p.gains, p.truth, `admin ${query(f)} ${p.what}: both gains`);
      if (p.truth.join() === '-4,11') pairs++; // the two women of Mali
    }
  }
  assert.ok(counts > 100 && pairs >= 1, `the attack had something to recover (${counts} counts, ${pairs} pairs)`);
  assert.ok(seen.checked > 100 && seen.valuesChecked > 10,
    `the readers' attack was tried (${seen.checked} counts, ${seen.valuesChecked} sums)`);
});

test('the same cell by two routes, and asked twice, gives the same figures', async () => {
  const same = (a, b, what) => {
    for (const [name, f] of COUNTS) assert.equal(f(a), f(b), `${what}: ${name}`);
    for (const k of ['completion_rate', 'pre_mean', 'post_mean']) assert.equal(a[k], b[k], `${what}: ${k}`);
    assert.deepEqual(a.gain, b.gain, `${what}: gain`);
    assert.deepEqual(a.satisfaction, b.satisfaction, `${what}: satisfaction`);
  };
  for (const reader of [readers.public, readers.donor]) {
    const all = (await srv.get('/api/v1/training/summary', reader)).json;
    for (const c of ['SN', 'ML']) {
      const row = all.by_country.find((g) => g.key === c);
      const one = (await srv.get(`/api/v1/training/summary?country=${c}`, reader)).json;
      same(row, one.totals, `${c}: by_country without a filter and the totals of ?country=${c}`);
      same(one.by_country[0], one.totals, `${c}: its row and its total`);
    }
    const a = (await srv.get('/api/v1/training/summary?country=SN', reader)).json.by_sex.find((g) => g.key === 'male');
    const b = (await srv.get('/api/v1/training/summary?sex=male', reader)).json.by_country.find((g) => g.key === 'SN');
    same(a, b, 'the men of Senegal by sex and by country');
    same(all.totals, (await srv.get('/api/v1/training/summary', reader)).json.totals, 'asked twice');
  }
  const focal = (await srv.get('/api/v1/training/summary', readers.focal)).json;
  const pub = (await srv.get('/api/v1/training/summary?country=ML', readers.public)).json;
  same(focal.totals, pub.totals, 'a focal point\'s country and the public\'s same filter');
});

test('the record key appears in no answer, CSV, page, OpenAPI, filter, sort or audit entry (admin)', async () => {
  const e = (await srv.all('enrolments'))[0], p = (await srv.all('participants'))[0];
  const texts = [];
  for (const path of [`/api/v1/enrolments/${e.id}`, `/api/v1/participants/${p.id}`, '/api/v1/enrolments?limit=5',
    '/api/v1/participants?limit=5', '/api/v1/enrolments.csv', '/api/v1/participants.csv', '/api/v1/openapi.json',
    `/enrolments/${e.id}`, `/participants/${p.id}`, `/enrolments/${e.id}/edit`, `/participants/${p.id}/edit`, '/enrolments',
    '/participants', `/api/v1/audit?entity=enrolment&record=${e.id}`, `/api/v1/audit?entity=participant&record=${p.id}`,
    `/sessions/${e.session}`, `/sessions/${e.session}/results`, '/training', '/training/totals.csv']) {
    const r = await srv.get(path);
    assert.equal(r.status, 200, `${path}: ${r.status}`);
    texts.push(r.text);
    assert.ok(!/rkey|record.key/i.test(r.text), `${path} names the record key`);
  }
  assert.ok(texts.some((t) => t.includes(`"id":${e.id}`)), 'the enrolment was read');
  for (const q of ['rkey=1', 'sort=rkey', 'sort=-rkey'])
    assert.equal((await srv.get(`/api/v1/enrolments?${q}`)).status, 400, `?${q} is refused`);
  const made = await srv.post('/api/v1/enrolments', { participant: p.id, session: ids.sessions[2], rkey: 7 });
  assert.equal(made.status, 422, `a create naming rkey: ${made.text}`);
  assert.ok(made.json.error.fields.rkey, 'rkey: not a field');
  const cur = await srv.getJSON(`/api/v1/enrolments/${e.id}`);
  const r = await srv.patch(`/api/v1/enrolments/${e.id}`, { rkey: 7 }, { headers: { 'If-Match': `"${cur.version}"` } });
  assert.equal(r.status, 422, `a patch naming rkey: ${r.text}`);
});

// ---- the other pages with figures about trained people ------------------------------------

const other = {};

test('set up: a programme funded by the donor, its sessions, an indicator, a forum', async () => {
  const org = (await srv.all('organisations')).find((o) => o.name.en === 'A donor');
  other.prog = (await create('programmes', { title: { en: 'Programme privé' }, donors: [org.id], countries: ['SN', 'ML', 'NE', 'CI'],
    status: 'implementation', currency: 'EUR' })).id;
  for (const s of ids.sessions) await patch(srv, 'sessions', s, { programme: other.prog });
  const result = await create('results', { programme: other.prog, level: 'output', title: { en: 'Officials trained' } });
  other.ind = (await create('indicators', { result: result.id, title: { en: 'People trained' }, computed: 'people_trained' })).id;
  const period = { indicator: other.ind, start_date: '2023-01-01', end_date: '2024-12-31' };
  await create('periods', { ...period, target: 40 });
  for (const sex of ['female', 'male']) await create('periods', { ...period, sex, target: 20 });
  for (const country of ['SN', 'ML', 'CI']) await create('periods', { ...period, country, target: 10 });
  other.forum = (await create('meetings', { kind: 'forum', title: { en: 'Forum' }, start_date: '2025-06-01' })).id;
});

// "N" as shown: a number, or null for "fewer than 5: not shown".
function shownNumber(html, re, what) {
  const m = re.exec(html);
  assert.ok(m, `${what}: ${re} in the page`);
  return /fewer than 5/.test(m[1]) ? null : Number(m[1].replace(/\s/g, ''));
}

function assertPublished(got, truth, what) {
  if (got === null) return assert.ok(truth > 0 && truth < 5, `${what}: hidden, ${truth} is 1 to 4`);
  assert.ok(got % 5 === 0 && Math.abs(got - truth) < 5, `${what}: ${got} published for ${truth}`);
}

test('sessions, programme, indicator, forum report and home page: counts of people as the dashboard publishes them', async () => {
  const records = await trainingRecords(srv);
  const en = { 'Accept-Language': 'en' };
  const pages = async (path, re, truth, what) => {
    assertPublished(shownNumber((await srv.get(path, { ...readers.donor, headers: en })).text, re, what), truth, `donor ${what}`);
    assert.equal(shownNumber((await srv.get(path, { headers: en })).text, re, what), truth, `admin ${what}`);
  };
  for (const s of ids.sessions) { // the session's page
    const rows = records.rows.filter((r) => r.e.session === s);
    await pages(`/sessions/${s}`, /Enrolled:\s*<strong>([^<]+)</, rows.length, `session ${s} enrolled`);
  }
  const all = figures(records).totals;
  const trained = new Set(records.rows.filter((r) => r.e.completed).map((r) => r.e.participant)).size;
  await pages(`/programmes/${other.prog}`, /class="people-trained">([^<]+)</, trained, 'programme people trained');
  await pages(`/forum/${other.forum}/report`, /People trained<\/th><td class="num">([^<]+)</, trained, 'forum report people trained');
  // the indicator's values, total and cells
  const vals = (await srv.get(`/api/v1/indicators/${other.ind}/values`, readers.donor)).json;
  const exact = await srv.getJSON(`/api/v1/indicators/${other.ind}/values`);
  const period = vals.periods[0], exactPeriod = exact.periods[0];
  assert.equal(exactPeriod.actual, trained, 'admin: the exact total');
  assertPublished(period.actual, trained, 'donor indicator total');
  for (const [i, c] of period.disaggregation.entries()) {
    const truth = exactPeriod.disaggregation[i].actual;
    if (c.suppressed) assert.ok(truth > 0 && truth < 5 || exactPeriod.disaggregation[i].enrolments < 5, `${c.sex || c.country}: hidden`);
    else assertPublished(c.actual, truth, `donor indicator ${c.sex || c.country}`);
  }
  assert.ok(period.disaggregation.find((c) => c.country === 'CI').suppressed, 'the one person of Côte d\'Ivoire is hidden');
  // the public home counts nothing a visitor may not open: the dashboard is where it
  // reads the training figures (published as above); staff see the exact counts
  const home = (await srv.get('/', { auth: false, headers: en })).text;
  assert.doesNotMatch(home, /<strong>\d+<\/strong> (Enrolments|Participants)/, 'no count of people on the public home');
  assert.match(home, /href="\/training"/, 'the public home leads to the training dashboard');
  assert.equal(shownNumber((await srv.get('/', { headers: en })).text, /<strong>(\d+)<\/strong> Enrolments/, 'home'), all.enrolments);
});

// ---- migration 11 on a database made before it ----------------------------------------------

// What migration 11 adds, taken away again: the database as the program before it made it.
const KEY_COLUMNS = ['key_enrolments', 'key_completed', 'key_scores', 'key_sat', 'key_people'];
const SUMMARIES = ['training_cell', 'tsum_ycast', 'tsum_ycst', 'tsum_ycas', 'tsum_yast', 'tsum_yst', 'tsum_ystk', 'tsum_cytk', 'training_delta'];

const sql = dbSql;

test('migration 11 gives the records of an existing database their keys (migrated from 9, with 10)', async () => {
  const dir = tempDir();
  const db = tempDb(dir, 'old');
  assert.equal(cli(['init', '--db', db]).status, 0);
  const before = await startServer({ db });
  try { // some training records, then the database as it was before migration 11
    const { sessions } = await coursesAndSessions(before);
    for (let i = 0, k = 0; i < 8; i++) {
      const p = await create('participants', { family_name: `Ancien${i}`, country: i % 2 ? 'SN' : 'ML' }, before);
      for (const s of sessions.slice(0, 1 + (i % 3))) await create('enrolments', enrolmentBody(++k, p.id, s), before);
    }
  } finally {
    await before.stop();
  }
  const latest = sql(db, 'SELECT MAX(version) FROM schema_migration');
  const downgrade = ['ALTER TABLE enrolment DROP COLUMN rkey', 'ALTER TABLE participant DROP COLUMN rkey',
    ...SUMMARIES.flatMap((t) => KEY_COLUMNS.map((c) => `ALTER TABLE ${t} DROP COLUMN ${c}`)),
    'ALTER TABLE programme DROP COLUMN published', // migration 10 (IATI publishing)
    'ALTER TABLE account DROP COLUMN must_change', 'ALTER TABLE account DROP COLUMN last_login_at', // 12 (accounts)
    'DROP TABLE signing_key', // 13 (certificate signatures)
    'DROP TABLE sign_in', 'ALTER TABLE session DROP COLUMN client', // 14 (one's own sign-ins)
    'DROP TABLE password_reset', // 15 (password reset links)
    'DROP TABLE totp', 'DROP TABLE recovery_code', 'DROP TABLE twofa_role', // 16 (two-factor sign-in)
    'ALTER TABLE session DROP COLUMN pending',
    'DROP TABLE oidc_state', 'DROP TABLE oidc_identity', 'DROP TABLE oidc_rule', 'DROP TABLE oidc_request', // 17 (single sign-on)
    'DROP TABLE oidc_trust_mfa', 'ALTER TABLE session DROP COLUMN provider_mfa', 'DROP INDEX account_email',
    'ALTER TABLE account DROP COLUMN email',
    'ALTER TABLE participant DROP COLUMN language', 'ALTER TABLE notify_optout DROP COLUMN kinds', // 19 (certificates, choices)
    'DROP TABLE seal', // 20 (sealed editions)
    'DROP TABLE period_lock', // 21 (locked periods)
    'DROP INDEX need_review', 'DROP INDEX action_update_review', 'DROP INDEX indicator_period_review', // 22 (review)
    ...['need', 'action_update', 'indicator_period'].flatMap((t) => ['review_state', 'review_comment', 'submitted_at', 'submitted_by']
      .map((c) => `ALTER TABLE ${t} DROP COLUMN ${c}`)),
    'ALTER TABLE action_update DROP COLUMN status',
    'DROP TABLE outbox', 'DROP TABLE notify_setting', 'DROP TABLE notify_optout', 'DROP TABLE webhook', // 18 (notifications)
    'DROP TABLE progress_link',
    'ALTER TABLE person DROP COLUMN language', 'ALTER TABLE account DROP COLUMN language',
    'DELETE FROM schema_migration WHERE version >= 10'];
  sql(db, downgrade.join('; '));
  assert.equal(sql(db, 'SELECT MAX(version) FROM schema_migration'), '9');
  const old = await startServer({ db });
  try {
    assert.equal(sql(db, 'SELECT MAX(version) FROM schema_migration'), latest, 'every migration again');
    const [n, keyed, distinct] = sql(db, 'SELECT COUNT(*), COUNT(rkey), COUNT(DISTINCT rkey) FROM enrolment').split('|').map(Number);
    assert.ok(n === 15 && keyed === n && distinct > n - 2, `every enrolment has a random key (${n}, ${keyed}, ${distinct})`);
    assert.equal(Number(sql(db, 'SELECT COUNT(*) FROM participant WHERE rkey IS NULL OR rkey < 0 OR rkey >= 2147483648')), 0);
    assert.equal((await old.getJSON('/api/v1/training/check')).consistent, true, 'the summaries with their key sums');
    const pub = (await old.get('/api/v1/training/summary', { auth: false })).json;
    assert.equal(pub.method.disclosure_control.applied, true);
    assert.ok(pub.totals.enrolments % 5 === 0 && Math.abs(pub.totals.enrolments - n) < 5, 'published by the method');
    // a record written after the migration gets its key from the column's default
    const e = (await old.all('enrolments'))[0];
    const mine = await old.post('/api/v1/participants', { family_name: 'Nouvelle', country: 'SN' });
    assert.equal(mine.status, 201);
    const made = await old.post('/api/v1/enrolments', { participant: mine.json.id, session: e.session });
    assert.equal(made.status, 201, made.text);
    assert.notEqual(sql(db, `SELECT rkey FROM enrolment WHERE id = ${made.json.id}`), '');
    assert.notEqual(sql(db, `SELECT rkey FROM participant WHERE id = ${mine.json.id}`), '');
    assert.equal((await old.getJSON('/api/v1/training/check')).consistent, true);
  } finally {
    await old.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('server stops cleanly', () => srv.stop());

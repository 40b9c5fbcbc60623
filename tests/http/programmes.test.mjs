// Programme pages, money and the results framework (issue 7 part 1–2): a programme
// made through the API with transactions in its own currency and another, in-kind
// support, sessions with enrolments under it, results → indicators (one manual, one
// of each computed kind) → periods with sex and country rows.  The page shows the
// right sums, chart, map, needs, sessions, in-kind apart; the values API computes
// the figures the records give (expected values computed here from the records, not
// typed); who may see what (donors: only what they fund).  Both backends.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './harness.mjs';
import { makeAccounts } from './auth-common.mjs';

let srv = null;
let accounts;
const web = {}; // role -> Session
const tag = Math.random().toString(36).slice(2, 8);
const ids = {};

const post = async (coll, body) => {
  const r = await srv.post(`/api/v1/${coll}`, body);
  assert.equal(r.status, 201, `POST ${coll}: ${r.text}`);
  return r.json;
};

// What the records below hold, kept to compute the expected figures.
const PERIODS = [
  { start_date: '2025-01-01', end_date: '2025-06-30' },
  { start_date: '2025-07-01', end_date: '2025-12-31' },
];
const SESSIONS = [
  { start_date: '2025-03-03', end_date: '2025-03-07', status: 'completed', ours: true },
  { start_date: '2025-06-28', end_date: '2025-07-02', status: 'completed', ours: true }, // ends in period 2
  { start_date: '2025-04-01', end_date: '2025-04-03', status: 'cancelled', ours: true }, // left out
  { start_date: '2025-02-10', end_date: '2025-02-12', status: 'completed', ours: false }, // another programme's
];
const PEOPLE = [
  { sex: 'female', country: 'MA' }, { sex: 'male', country: 'MA' }, { sex: 'female', country: 'SN' },
  { sex: 'male', country: 'SN' }, { sex: 'female', country: 'CI' },
];
// [person, session, completed, pre, post]
const ENROLMENTS = [
  [0, 0, true, 40, 75], [1, 0, true, 50, 60], [2, 0, false, 30, null], [3, 0, true, null, 80],
  [4, 0, true, 55, 90], [0, 1, true, 60, 61], [2, 1, true, 20, 70], [3, 1, false, 45, 40],
  [1, 2, false, 10, 20], [4, 3, true, 10, 100], [1, 3, true, 0, 100],
];

/** The expected figure of kind for a period (and a sex or country), from the records. */
function expected(kind, period, { sex, country } = {}) {
  const rows = ENROLMENTS.filter(([p, s]) => {
    const ses = SESSIONS[s];
    const end = ses.end_date || ses.start_date;
    return ses.ours && ses.status !== 'cancelled' && end >= period.start_date && end <= period.end_date &&
      (!sex || PEOPLE[p].sex === sex) && (!country || PEOPLE[p].country === country);
  });
  const round = (x) => Math.sign(x) * Math.round(Math.abs(x)); // halves away from zero
  if (kind === 'people_trained') return { actual: new Set(rows.filter((r) => r[2]).map((r) => r[0])).size, n: rows.length };
  if (kind === 'completion_rate') {
    return rows.length ? { actual: round((rows.filter((r) => r[2]).length * 100) / rows.length), n: rows.length } : { actual: null, n: 0 };
  }
  const scored = rows.filter((r) => r[3] !== null && r[4] !== null);
  return scored.length ? { actual: round(scored.reduce((a, r) => a + r[4] - r[3], 0) / scored.length), n: scored.length } : { actual: null, n: 0 };
}

const TX = [
  { kind: 'incoming_funds', amount: 200000000, currency: 'EUR' },
  { kind: 'commitment', amount: 250000000, currency: 'EUR' },
  { kind: 'commitment', amount: 50000000, currency: 'EUR' },
  { kind: 'disbursement', amount: 100000000, currency: 'EUR' },
  { kind: 'expenditure', amount: 50075, currency: 'EUR' },
  { kind: 'commitment', amount: 12345678, currency: 'USD' }, // another currency: apart
];
const BUDGET = 500000000;

before(async () => {
  srv = await startServer();
  accounts = makeAccounts(srv);
  const org = (en, acronym) => post('organisations', { name: { en: `${en} ${tag}`, fr: `${en} ${tag}` }, acronym: `${acronym}${tag}`.slice(0, 40) });
  ids.funder = (await org('Funding Agency', 'FA')).id;
  ids.other = (await org('Other Donor', 'OD')).id;
  ids.host = (await org('Host Ministry', 'HM')).id;
  srv.addUser(`donor-a-${tag}`, 'donor', { organisation: ids.funder, password: `pw-A-${tag}-long-enough` });
  srv.addUser(`donor-b-${tag}`, 'donor', { organisation: ids.other, password: `pw-B-${tag}-long-enough` });
  for (const role of ['officer', 'focal']) web[role] = await srv.login(accounts[role].name, accounts[role].password);
  web.funder = await srv.login(`donor-a-${tag}`, `pw-A-${tag}-long-enough`);
  web.outsider = await srv.login(`donor-b-${tag}`, `pw-B-${tag}-long-enough`);
  for (const s of Object.values(web)) s.jar.set('lang', 'en'); // the assertions read English
  ids.funderToken = srv.addToken(`donor-a-${tag}`).token;
  ids.outsiderToken = srv.addToken(`donor-b-${tag}`).token;

  ids.needMA = (await post('needs', { country: 'MA', theme: 'maritime_security', assessed_on: '2024-05-01', severity: 4, source: 'expert_mission', description: { en: `Need MA ${tag}` } })).id;
  ids.needSN = (await post('needs', { country: 'SN', theme: 'maritime_security', assessed_on: '2024-05-02', severity: 2, source: 'expert_mission', description: { en: `Need SN ${tag}` } })).id;
  const course = await post('courses', { title: { en: `Course ${tag}`, fr: `Cours ${tag}` }, theme: 'maritime_security', days: 5 });
  const prog = await post('programmes', {
    title: { en: `Programme ${tag}`, fr: `Programme ${tag}` }, implementer: ids.host, donors: [ids.funder],
    countries: ['MA', 'SN'], needs: [ids.needMA, ids.needSN], courses: [course.id], start_date: '2025-01-01',
    end_date: '2026-12-31', status: 'implementation', budget: BUDGET, currency: 'EUR',
  });
  ids.prog = prog.id;
  const otherProg = await post('programmes', { title: { en: `Other programme ${tag}` }, donors: [ids.other], currency: 'USD' });
  ids.otherProg = otherProg.id;
  for (const t of TX) await post('transactions', { ...t, programme: ids.prog, date: '2025-02-01', provider: ids.funder });
  await post('contributions', { programme: ids.prog, provider: ids.host, kind: 'premises', value: 2500000, currency: 'MAD', description: { en: `Offices ${tag}` } });
  ids.sessions = [];
  for (const s of SESSIONS) {
    const { ours, ...body } = s;
    ids.sessions.push((await post('sessions', { ...body, course: course.id, venue: `Venue ${tag}`, programme: ours ? ids.prog : ids.otherProg })).id);
  }
  ids.people = [];
  for (const [i, p] of PEOPLE.entries()) ids.people.push((await post('participants', { family_name: `Person${i}${tag}`, ...p })).id);
  for (const [p, s, completed, pre, post_] of ENROLMENTS) {
    const body = { participant: ids.people[p], session: ids.sessions[s], completed, days_attended: completed ? 5 : 1 };
    if (pre !== null) body.pre_score = pre;
    if (post_ !== null) body.post_score = post_;
    await post('enrolments', body);
  }
  const result = await post('results', { programme: ids.prog, level: 'output', title: { en: `Officials trained ${tag}` } });
  ids.result = result.id;
  ids.ind = {};
  for (const [kind, extra] of [['manual', { baseline: 2 }], ['people_trained', { baseline: 0 }], ['completion_rate', { measure: 'percentage', baseline: 50 }], ['knowledge_gain', {}]]) {
    ids.ind[kind] = (await post('indicators', { result: ids.result, title: { en: `Indicator ${kind} ${tag}` }, computed: kind, ...extra })).id;
  }
  for (const p of PERIODS) {
    await post('periods', { indicator: ids.ind.manual, ...p, target: 10, actual: 7 });
    await post('periods', { indicator: ids.ind.people_trained, ...p, target: 8 });
    for (const sex of ['female', 'male']) await post('periods', { indicator: ids.ind.people_trained, ...p, sex, target: 4 });
    for (const country of ['MA', 'SN']) await post('periods', { indicator: ids.ind.people_trained, ...p, country, target: 3 });
    await post('periods', { indicator: ids.ind.completion_rate, ...p, target: 90 });
    await post('periods', { indicator: ids.ind.knowledge_gain, ...p, target: 25 });
  }
});

after(async () => {
  if (srv && process.env.SHOW_STDERR) console.error(srv.stderr);
  if (srv) await srv.cleanup();
});

test('the indicator values API computes each kind from the training records', async () => {
  for (const kind of ['people_trained', 'completion_rate', 'knowledge_gain']) {
    const v = await srv.getJSON(`/api/v1/indicators/${ids.ind[kind]}/values`);
    assert.equal(v.computed, kind);
    assert.equal(v.programme, ids.prog);
    assert.equal(v.periods.length, PERIODS.length);
    for (const [i, p] of PERIODS.entries()) {
      const got = v.periods[i];
      assert.equal(got.start_date, p.start_date);
      const e = expected(kind, p);
      assert.equal(got.actual, e.actual, `${kind} period ${i}`);
      assert.equal(got.computed, true);
      assert.equal(got.enrolments, e.n, `${kind} period ${i}: enrolments counted`);
      if (e.actual !== null) {
        const base = kind === 'completion_rate' ? 50 : 0;
        const target = { people_trained: 8, completion_rate: 90, knowledge_gain: 25 }[kind];
        assert.ok(Math.abs(got.progress - (e.actual - base) / (target - base)) < 1e-3, `${kind} progress ${got.progress}`);
      }
      if (kind === 'people_trained') {
        assert.equal(got.disaggregation.length, 4);
        for (const d of got.disaggregation) {
          const ex = expected(kind, p, { sex: d.sex, country: d.country });
          assert.equal(d.actual, ex.actual, `${kind} ${d.sex || d.country} period ${i}`);
          assert.equal(d.target, d.sex ? 4 : 3);
        }
        assert.deepEqual(got.disaggregation.map((d) => d.sex || d.country), ['female', 'male', 'MA', 'SN']);
      }
    }
  }
  // the records give non-trivial figures (the test would be empty otherwise)
  assert.ok(expected('people_trained', PERIODS[0]).actual >= 3);
  assert.ok(expected('knowledge_gain', PERIODS[1]).actual > 0);
  const m = await srv.getJSON(`/api/v1/indicators/${ids.ind.manual}/values`);
  assert.equal(m.periods[0].actual, 7);
  assert.equal(m.periods[0].computed, false);
  assert.ok(Math.abs(m.periods[0].progress - (7 - 2) / (10 - 2)) < 1e-3);
  assert.equal((await srv.post(`/api/v1/indicators/${ids.ind.manual}/values`, {})).status, 405);
  assert.equal((await srv.get('/api/v1/indicators/999999999/values')).status, 404);
});

/** The <section class="NAME"> of a page. */
function section(html, name) {
  const i = html.indexOf(`<section class="${name}">`);
  return i < 0 ? '' : html.slice(i, html.indexOf('</section>', i));
}

const money = (minor, cur) => {
  const s = (Math.abs(minor) / 100).toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${cur} ${minor < 0 ? '-' : ''}${s}`;
};
const sum = (kind) => TX.filter((t) => t.kind === kind && t.currency === 'EUR').reduce((a, t) => a + t.amount, 0);

test('the programme page: funding sums, chart, execution rate, other currencies and in-kind apart', async () => {
  const r = await web.officer.get(`/programmes/${ids.prog}`);
  assert.equal(r.status, 200, r.text.slice(0, 300));
  const html = r.text;
  const funding = html.slice(html.indexOf('class="funding"'), html.indexOf('class="in-kind"'));
  for (const [label, v] of [['Budget', BUDGET], ['Committed', sum('commitment')], ['Disbursed', sum('disbursement')], ['Spent', sum('expenditure')], ['Incoming funds', sum('incoming_funds')]]) {
    assert.ok(funding.includes(`<th scope="row">${label}</th><td class="num">${money(v, 'EUR')}</td>`), `${label} ${money(v, 'EUR')} in the table`);
    assert.ok(funding.includes(`>${money(v, 'EUR')}</text>`), `${label} in the chart`);
  }
  assert.match(funding, /<svg class="chart"[^>]*role="img"/);
  const rate = Math.round(((sum('disbursement') + sum('expenditure')) * 100) / sum('commitment'));
  assert.match(funding, new RegExp(`Execution rate:</strong> ${rate}%`));
  // the USD commitment is shown apart, not summed
  assert.ok(funding.includes(money(12345678, 'USD')), 'the USD commitment is listed');
  assert.match(funding, /Transactions in other currencies/);
  assert.ok(!funding.includes(money(sum('commitment') + 12345678, 'EUR')));
  const inkind = html.slice(html.indexOf('class="in-kind"'), html.indexOf('class="countries"'));
  assert.ok(inkind.includes('MAD 25,000.00'), 'in-kind value formatted');
  assert.match(inkind, /Not cash/);
  assert.ok(!funding.includes('25,000.00'));
  // in French and Arabic too (the catalogues have the strings)
  const fr = await web.officer.get(`/programmes/${ids.prog}`, { headers: { Cookie: `sid=${web.officer.sid}; lang=fr` } });
  assert.match(fr.text, /<h2>Financement<\/h2>/);
  assert.match(fr.text, /Taux d'exécution/);
  const ar = await web.officer.get(`/indicators/${ids.ind.people_trained}`, { headers: { Cookie: `sid=${web.officer.sid}; lang=ar` } });
  assert.match(ar.text, /<html lang="ar" dir="rtl"/);
  assert.match(ar.text, /محسوب من <bdi dir="ltr">\d+<\/bdi> تسجيلًا/);
});

test('the programme page: map, needs, sessions, results framework', async () => {
  const html = (await web.officer.get(`/programmes/${ids.prog}`)).text;
  assert.match(html, /class="map-state map-MA map-c0"/);
  assert.match(html, /class="map-state map-SN map-c0"/);
  assert.match(html, /class="map-state map-DZ map-nodata"/);
  const needs = section(html, 'programme-needs');
  assert.ok(needs.includes(`href="/needs/${ids.needMA}"`) && needs.includes(`href="/needs/${ids.needSN}"`));
  assert.match(needs, /<td class="num">4<\/td>/, 'the severity of the need of Morocco');
  for (const [i, s] of SESSIONS.entries()) assert.equal(html.includes(`href="/sessions/${ids.sessions[i]}"`), s.ours, `session ${i}`);
  const trained = new Set(ENROLMENTS.filter(([, s, c]) => c && SESSIONS[s].ours).map((e) => e[0])).size;
  assert.match(html, new RegExp(`class="people-trained">${trained}<`));
  for (const kind of Object.keys(ids.ind)) assert.ok(html.includes(`href="/indicators/${ids.ind[kind]}"`), kind);
  assert.match(html, /<svg[^>]*role="img" aria-label="Progress to target: \d+%"/);
  assert.ok(!/ style="/.test(html), 'no inline style attribute (CSP)');
  assert.ok(html.length < 100000, `page under 100 kB (${html.length})`);
  // a focal point of Morocco sees the programme and its own country's need only
  const focal = await web.focal.get(`/programmes/${ids.prog}`);
  assert.equal(focal.status, 200);
  const fneeds = section(focal.text, 'programme-needs');
  assert.ok(fneeds.includes(`href="/needs/${ids.needMA}"`) && !fneeds.includes(`href="/needs/${ids.needSN}"`));
});

test('the indicator page: periods, computed actuals, disaggregation, progress bar', async () => {
  const r = await web.officer.get(`/indicators/${ids.ind.people_trained}`);
  assert.equal(r.status, 200);
  const e = expected('people_trained', PERIODS[0]);
  assert.ok(r.text.includes(`computed from ${e.n} enrolments`), 'says how many enrolments');
  assert.match(r.text, /Disaggregation/);
  assert.match(r.text, /<svg[^>]*aria-label="Progress to target: \d+%"/);
  const m = await web.officer.get(`/indicators/${ids.ind.manual}`);
  assert.ok(!m.text.includes('computed from'));
});

test('donors: the funder sees the programme, another donor gets 404 everywhere', async () => {
  assert.equal((await web.funder.get(`/programmes/${ids.prog}`)).status, 200);
  assert.equal((await srv.get(`/api/v1/programmes/${ids.prog}`, { auth: ids.funderToken })).status, 200);
  assert.equal((await srv.get(`/api/v1/indicators/${ids.ind.people_trained}/values`, { auth: ids.funderToken })).status, 200);
  const page = (await web.funder.get(`/programmes/${ids.prog}`)).text;
  const dneeds = section(page, 'programme-needs');
  assert.ok(dneeds && !dneeds.includes('href="/needs/'), 'donors do not see needs assessments in the section');
  assert.equal((await web.outsider.get(`/programmes/${ids.prog}`)).status, 404);
  assert.equal((await web.outsider.get(`/indicators/${ids.ind.people_trained}`)).status, 404);
  assert.equal((await srv.get(`/api/v1/programmes/${ids.prog}`, { auth: ids.outsiderToken })).status, 404);
  assert.equal((await srv.get(`/api/v1/indicators/${ids.ind.people_trained}/values`, { auth: ids.outsiderToken })).status, 404);
  // the overview lists what each may see
  const all = (await web.officer.get('/programmes/overview')).text;
  assert.ok(all.includes(`Programme ${tag}`) && all.includes(`Other programme ${tag}`));
  const funder = await web.funder.get('/programmes/overview');
  assert.equal(funder.status, 200);
  assert.ok(funder.text.includes(`Programme ${tag}`) && !funder.text.includes(`Other programme ${tag}`));
  assert.ok(funder.text.includes(money(BUDGET, 'EUR')));
  const outsider = (await web.outsider.get('/programmes/overview')).text;
  assert.ok(!outsider.includes(`>Programme ${tag}<`) && outsider.includes(`Other programme ${tag}`));
});

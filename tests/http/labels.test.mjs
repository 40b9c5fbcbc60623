// Labels (DESIGN §6, issue 13 item 4): a record is shown by its label — the
// registry's label rule — never by its number alone: a session by its course's title,
// its city and dates, an enrolment by its participant and session, an indicator period
// by its indicator, dates and disaggregation, a need by its country, theme and date, a
// participant by its name and country (staff), a transaction by its programme, kind,
// date and amount, a forum rating by its programme, rater and forum, a progress update
// by its action and date.  On record pages (heading and <title>), in list pages, in
// select boxes (no two options alike), in CSV (a label column beside each reference)
// and in the API (?labels=1: _label and _labels), in the reader's language; and never
// showing what the reader may not see: a donor learns nothing of a need through a
// label, a focal point nothing of another country's need nor any participant's name.
// Both backends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, parseCsv, same, Session } from './harness.mjs';
import { formOf } from './auth-common.mjs';

const srv = useServer();
const R = {}; // the records made by setup
let donor, focal; // {token, session}

async function create(coll, body) {
  const r = await srv.post(`/api/v1/${coll}`, body);
  assert.equal(r.status, 201, `${coll}: ${r.text}`);
  return r.json.id;
}

async function account(name, role, opts) {
  const password = srv.addUser(name, role, opts);
  const session = new Session(srv);
  assert.equal((await session.login(name, password)).status, 303, `${name} signs in`);
  return { token: srv.addToken(name).token, session };
}

/** Text of HTML: tags dropped, entities read, Unicode isolates dropped. */
function text(html) {
  return html.replace(/<[^>]*>/g, '').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>').replace(/&amp;/g, '&').replace(/[\u2068\u2069]/g, '');
}

const h1 = (html) => text(/<h1>([\s\S]*?)<\/h1>/.exec(html)?.[1] ?? '');
const title = (html) => text(/<title>([\s\S]*?) — suivi<\/title>/.exec(html)?.[1] ?? '');

/** The options of <select id="ID"> of a page: [{value, text}]. */
function options(html, id) {
  const m = new RegExp(`<select id="${id}"[^>]*>([\\s\\S]*?)</select>`).exec(html);
  assert.ok(m, `a select #${id}`);
  return [...m[1].matchAll(/<option value="([^"]*)"[^>]*>([\s\S]*?)<\/option>/g)]
    .filter((o) => o[1] !== '').map((o) => ({ value: o[1], text: text(o[2]) }));
}

function distinct(opts, what) {
  const seen = new Map();
  for (const o of opts) {
    assert.ok(!seen.has(o.text), `${what}: options ${seen.get(o.text)} and ${o.value} both read "${o.text}"`);
    seen.set(o.text, o.value);
  }
}

/** A CSV export as objects keyed by column name. */
async function csv(path, opts) {
  const r = await srv.get(path, opts);
  assert.equal(r.status, 200, `${path}: ${r.status} ${r.text.slice(0, 300)}`);
  const [head, ...rows] = parseCsv(r.text);
  return { head, rows: rows.map((row) => Object.fromEntries(head.map((h, i) => [h, row[i]]))) };
}

// What the labels of the records of setup read, in French unless said.
const L = {
  s1: 'Enquêtes étiquetées — Rabat, 10–14 mars 2025',
  s1en: 'Labelled investigations — Rabat, 10–14 March 2025',
  s4: 'Enquêtes étiquetées — Dakar, 28 mars 2025 – 2 avril 2025',
  p1: 'Labelle, Amina (Maroc, Police)',
  p2: 'Labelle, Amina (Sénégal, Douanes)',
  e1: 'Labelle, Amina (Maroc, Police) — Enquêtes étiquetées (Rabat, 10–14 mars 2025)',
  n1: 'Maroc, Sécurité maritime — 3 février 2025',
  n2: 'Sénégal, Sécurité et gestion des frontières — 3 février 2025',
  t1: 'Programme étiqueté — décaissement, 6 mai 2025, 12\u202f345,67\u00a0USD',
  total: 'Personnes étiquetées (Résultat étiqueté) — 1 janvier 2025 – 31 décembre 2025',
  ev: 'Programme étiqueté — bénéficiaire, Maroc — Forum étiqueté (20 novembre 2025)',
  au: 'Action étiquetée — 8 juillet 2025',
};

test('setup: a course and its sessions, participants, an enrolment, needs, a programme and its records, a forum rating, a progress update', async () => {
  const org = await create('organisations', { name: { fr: 'Bailleur étiqueté', en: 'Labelled donor' }, acronym: 'BE', type: '10' });
  R.course = await create('courses', { title: { fr: 'Enquêtes étiquetées', en: 'Labelled investigations' } });
  R.s1 = await create('sessions', { course: R.course, venue: 'Rabat', start_date: '2025-03-10', end_date: '2025-03-14' });
  R.s2 = await create('sessions', { course: R.course, venue: 'Rabat', start_date: '2025-06-02', end_date: '2025-06-04' });
  R.s3 = await create('sessions', { course: R.course, venue: 'Rabat', start_date: '2025-03-10', end_date: '2025-03-14' }); // s1's twin
  R.s4 = await create('sessions', { course: R.course, venue: 'Dakar', start_date: '2025-03-28', end_date: '2025-04-02' });
  const person = { family_name: 'Labelle', given_names: 'Amina', sex: 'female' };
  R.p1 = await create('participants', { ...person, country: 'MA', agency: 'police' });
  R.p2 = await create('participants', { ...person, country: 'SN', agency: 'customs' });
  R.p3 = await create('participants', { ...person, country: 'MA', agency: 'police' }); // p1's namesake
  R.e1 = await create('enrolments', { participant: R.p1, session: R.s1 });
  const need = { assessed_on: '2025-02-03', severity: 4, source: 'expert_mission', description: { en: 'Secret need of the label test' } };
  R.n1 = await create('needs', { ...need, country: 'MA', theme: 'maritime_security' });
  R.n2 = await create('needs', { ...need, country: 'SN', theme: 'border_security' });
  R.prog = await create('programmes', { title: { fr: 'Programme étiqueté', en: 'Labelled programme' }, donors: [org], countries: ['MA', 'SN'],
    needs: [R.n1, R.n2], currency: 'USD' });
  R.t1 = await create('transactions', { programme: R.prog, kind: 'disbursement', date: '2025-05-06', amount: 1234567, currency: 'USD' });
  R.result = await create('results', { programme: R.prog, level: 'output', title: { fr: 'Résultat étiqueté' } });
  R.indicator = await create('indicators', { result: R.result, title: { fr: 'Personnes étiquetées', en: 'Labelled people' } });
  const period = { indicator: R.indicator, start_date: '2025-01-01', end_date: '2025-12-31' };
  R.total = await create('periods', { ...period, target: 10 });
  R.female = await create('periods', { ...period, sex: 'female', target: 5 });
  R.male = await create('periods', { ...period, sex: 'male', target: 5 });
  R.forum = await create('meetings', { kind: 'forum', title: { fr: 'Forum étiqueté' }, start_date: '2025-11-20' });
  R.ev = await create('evaluations', { meeting: R.forum, programme: R.prog, rater: 'beneficiary', country: 'MA',
    relevance: 4, coherence: 4, effectiveness: 3, efficiency: 3, impact: 3, sustainability: 2 });
  const outcome = (await srv.getJSON('/api/v1/outcomes?limit=1')).items[0].id;
  R.action = await create('actions', { outcome, title: { fr: 'Action étiquetée' } });
  R.au = await create('action_updates', { action: R.action, date: '2025-07-08', note: { fr: 'Avancée' }, percent: 10 });
  donor = await account('donor.labels', 'donor', { organisation: org });
  focal = await account('focal.labels', 'focal', { country: 'MA' });
});

test('API ?labels=1: each record has its label and those of the records it refers to, in one answer', async () => {
  const one = async (coll, id, q = '') => (await srv.getJSON(`/api/v1/${coll}/${id}?labels=1${q}`));
  let r = await one('sessions', R.s1);
  same([r._label, r._labels.course], [L.s1, 'Enquêtes étiquetées'], 'a session: its course, city and dates');
  same((await one('sessions', R.s4))._label, L.s4, 'a session over two months');
  r = await one('enrolments', R.e1);
  same([r._label, r._labels.participant, r._labels.session], [L.e1, L.p1, L.s1], 'an enrolment: its participant and session');
  same((await one('participants', R.p1))._label, L.p1, 'a participant (staff): name, country');
  same((await one('needs', R.n1))._label, L.n1, 'a need: country, theme, date');
  r = await one('transactions', R.t1);
  same([r._label, r._labels.programme], [L.t1, 'Programme étiqueté'], 'a transaction: programme, kind, date, amount');
  same((await one('evaluations', R.ev))._label, L.ev, 'a forum rating: programme, rater, forum');
  r = await one('action_updates', R.au);
  same([r._label, r._labels.action], [L.au, 'Action étiquetée'], 'a progress update: action, date');
  same((await one('periods', R.total))._label, L.total, 'the total of a period');
  same([(await one('periods', R.female))._label, (await one('periods', R.male))._label], [`${L.total}, Femme`, `${L.total}, Homme`],
    'the cells of its disaggregation');
  r = await one('programmes', R.prog);
  same(r._labels.needs, [L.n1, L.n2], 'a set of references: a list in the order of the keys');
  // lists: the same labels, and without labels=1 the records are as they were
  const list = await srv.getJSON(`/api/v1/enrolments?labels=1&participant=${R.p1}`);
  same(list.items.map((x) => x._label), [L.e1], 'a list with labels');
  const plain = await srv.getJSON(`/api/v1/enrolments/${R.e1}`);
  assert.ok(!('_label' in plain) && !('_labels' in plain), 'no labels unless asked for');
  assert.equal((await srv.get('/api/v1/sessions?labels=maybe')).status, 400, 'labels takes 1 or 0');
  // the caller's language
  r = (await srv.get(`/api/v1/sessions/${R.s1}?labels=1`, { headers: { 'Accept-Language': 'en' } })).json;
  same(r._label, L.s1en, 'in English');
  r = (await srv.get(`/api/v1/sessions/${R.s1}?labels=1`, { headers: { 'Accept-Language': 'ar' } })).json;
  assert.match(r._label, /^Enquêtes étiquetées — Rabat، 10–14 [\u0600-\u06ff/]+ 2025$/, `in Arabic: ${r._label}`);
  const doc = await srv.getJSON('/api/v1/openapi.json');
  same(doc.components.schemas.training_session['x-suivi-label'], 'course — venue, start_date~end_date', 'the rule is published');
});

test('record pages: the heading and the title are the record\'s label; references are named by theirs', async () => {
  const s = await srv.login();
  const pages = [['sessions', R.s1, L.s1], ['enrolments', R.e1, L.e1], ['periods', R.female, `${L.total}, Femme`],
    ['needs', R.n1, L.n1], ['participants', R.p1, L.p1], ['transactions', R.t1, L.t1], ['evaluations', R.ev, L.ev],
    ['action_updates', R.au, L.au]];
  for (const [coll, id, label] of pages) {
    const r = await s.get(`/${coll}/${id}`);
    assert.equal(r.status, 200, `/${coll}/${id}`);
    same([h1(r.text), title(r.text)], [label, label], `/${coll}/${id}`);
  }
  const e = (await s.get(`/enrolments/${R.e1}`)).text;
  assert.ok(e.includes(`<a href="/participants/${R.p1}">Labelle, Amina (Maroc, Police)</a>`), 'the participant, by name');
  assert.match(e, new RegExp(`<a href="/sessions/${R.s1}">Enquêtes étiquetées — Rabat, 10–<time datetime="2025-03-14">14 mars 2025</time></a>`),
    'the session, by course, city and dates');
  const list = (await s.get(`/enrolments?participant=${R.p1}`)).text;
  assert.ok(text(list).includes(L.p1) && text(list).includes(L.s1), 'the list names them too');
  const prog = (await s.get(`/programmes/${R.prog}`)).text;
  assert.ok(text(prog).includes(`${L.n1}, ${L.n2}`), 'a set of references, each by its label');
  // Arabic: the page's language, and what runs the other way isolated
  const ar = (await s.get(`/sessions/${R.s1}`, { headers: { Cookie: `${s.cookieHeader()}; lang=ar` } })).text;
  assert.match(ar, /<h1><span lang="fr" dir="ltr">Enquêtes étiquetées<\/span> — <bdi>Rabat<\/bdi>، <bdi>10–<time datetime="2025-03-14">14 [^<]+ 2025<\/time><\/bdi><\/h1>/,
    'Arabic: the French title marked as such, the city and the dates isolated');
});

test('a record\'s page shows the records that refer to it as a small table: each by its label, with the columns its label does not say', async () => {
  const s = await srv.login();
  const course = (await s.get(`/courses/${R.course}`)).text;
  const table = /<section class="related"><h2>Sessions de formation[\s\S]*?<\/section>/.exec(course)?.[0];
  assert.ok(table, 'the course\'s sessions have their section');
  const heads = [...table.matchAll(/<th scope="col">([^<]*)<\/th>/g)].map((m) => m[1]);
  assert.equal(heads[0], 'Session de formation', 'first the record, by its label');
  assert.ok(!heads.includes('Cours') && !heads.includes('Lieu'), `neither the course (the page's record) nor the venue (in the label): ${heads}`);
  for (const id of [R.s1, R.s2, R.s3, R.s4]) assert.ok(table.includes(`<th scope="row"><a href="/sessions/${id}">`), `session ${id}, linked`);
  assert.ok(text(table).includes(L.s1), 'by its label');
  assert.ok(!/<td>#\d+<\/td>/.test(table), 'references in the table by name, never #number');
  // a record whose own sections list some of what refers to it: not listed twice
  const programme = (await s.get(`/programmes/${R.prog}`)).text;
  const tx = /<section class="related"><h2>Transactions[\s\S]*?<\/section>/.exec(programme)?.[0] ?? '';
  assert.ok(tx.includes(`<a href="/transactions/${R.t1}">`), 'the programme\'s transactions (its funding section gives sums)');
  assert.doesNotMatch(programme, /<section class="related"><h2>(Documents|Résultats|Sessions de formation|Soutien en nature)/,
    'what its own sections list, not again in a generic list');
});

test('country pickers: the African States first, then the others; a focal point is offered its own country only', async () => {
  const s = await srv.login();
  const form = (await s.get('/needs/new')).text;
  const select = /<select id="in-country"[\s\S]*?<\/select>/.exec(form)?.[0] ?? '';
  const groups = [...select.matchAll(/<optgroup label="([^"]*)">([\s\S]*?)<\/optgroup>/g)];
  assert.deepEqual(groups.map((g) => g[1]), ['États africains', 'Autres pays et territoires'], 'two groups, the African States first');
  const codes = (g) => [...g[2].matchAll(/<option value="([A-Z]{2})"/g)].map((m) => m[1]);
  const african = codes(groups[0]);
  assert.equal(african.length, 54, 'the 54 African UN Member States');
  assert.ok(african.includes('MA') && african.includes('SN') && !african.includes('FR'));
  assert.ok(codes(groups[1]).includes('FR') && !codes(groups[1]).includes('MA'), 'the others after');
  const own = (await focal.session.get('/needs/new')).text;
  const mine = /<select id="in-country"[\s\S]*?<\/select>/.exec(own)?.[0] ?? '';
  assert.deepEqual([...mine.matchAll(/<option value="([^"]*)"/g)].map((m) => m[1]), ['MA'], 'a focal point of Morocco: Morocco only, no empty choice');
  assert.match(mine, /<option value="MA" selected>/);
});

test('CSV: a label column beside the key and beside each reference', async () => {
  const e = await csv(`/api/v1/enrolments.csv?participant=${R.p1}`);
  same(e.head.slice(0, 6), ['id', 'label', 'participant', 'participant_label', 'session', 'session_label'], 'enrolments.csv columns');
  same([e.rows[0].label, e.rows[0].participant_label, e.rows[0].session_label], [L.e1, L.p1, L.s1], 'an enrolment');
  const p = await csv(`/api/v1/periods.csv?indicator=${R.indicator}`);
  same(p.rows.map((x) => x.label), [L.total, `${L.total}, Femme`, `${L.total}, Homme`], 'periods: distinct labels');
  same((await csv(`/api/v1/transactions.csv?programme=${R.prog}`)).rows.map((x) => [x.label, x.programme_label]),
    [[L.t1, 'Programme étiqueté']], 'a transaction');
  same((await csv(`/api/v1/evaluations.csv?programme=${R.prog}`)).rows.map((x) => [x.label, x.meeting_label, x.country_label]),
    [[L.ev, 'Forum étiqueté — 20 novembre 2025', 'Maroc']], 'a forum rating');
  same((await csv(`/api/v1/action_updates.csv?action=${R.action}`)).rows.map((x) => [x.label, x.action_label]),
    [[L.au, 'Action étiquetée']], 'a progress update');
  same((await csv(`/api/v1/needs.csv?country=MA&assessed_on=2025-02-03`)).rows.map((x) => [x.label, x.country_label, x.theme_label]),
    [[L.n1, 'Maroc', 'Sécurité maritime']], 'a need');
  same((await csv(`/api/v1/programmes.csv?id=${R.prog}`)).rows.map((x) => x.needs_label), [`${L.n1}; ${L.n2}`], 'a set: labels joined with "; "');
  // in the caller's language, whatever was asked before (the response cache knows the language)
  const en = await csv(`/api/v1/sessions.csv?id=${R.s1}`, { headers: { 'Accept-Language': 'en' } });
  same(en.rows.map((x) => [x.label, x.course_label]), [[L.s1en, 'Labelled investigations']], 'in English');
});

test('a donor learns nothing of a need through a label: null in the API, its number only on pages and in CSV', async () => {
  const r = await srv.get(`/api/v1/programmes/${R.prog}?labels=1`, { auth: donor.token });
  assert.equal(r.status, 200);
  same(r.json._labels.needs, [null, null], 'the needs it funds programmes for: no labels');
  same(r.json._labels.donors, ['Bailleur étiqueté (BE)'], 'what it may read is named');
  const page = (await donor.session.get(`/programmes/${R.prog}`)).text;
  assert.equal((await donor.session.get(`/programmes/${R.prog}`)).status, 200);
  assert.ok(page.includes(`#${R.n1}`) && page.includes(`#${R.n2}`), 'the needs by their numbers');
  assert.doesNotMatch(page, /Sécurité maritime — 3|Secret need|href="\/needs\//, 'nothing of the needs: no name, no link');
  const c = await csv(`/api/v1/programmes.csv?id=${R.prog}`, { auth: donor.token });
  same(c.rows.map((x) => x.needs_label), [`#${R.n1}; #${R.n2}`], 'CSV: numbers only');
  const all = await srv.get(`/api/v1/programmes?labels=1&limit=500`, { auth: donor.token });
  assert.doesNotMatch(all.text, /Secret need|Sécurité maritime — 3 février/, 'nor in any list');
});

test('a focal point: another country\'s need has no label, and no participant is named', async () => {
  const r = await srv.get(`/api/v1/programmes/${R.prog}?labels=1`, { auth: focal.token });
  same(r.json._labels.needs, [L.n1, null], 'its own country\'s need named, not Senegal\'s');
  const page = (await focal.session.get(`/programmes/${R.prog}`)).text;
  assert.ok(page.includes(`<a href="/needs/${R.n1}">`) && page.includes(`#${R.n2}`), 'linked and named, or a number only');
  assert.doesNotMatch(page, /Sénégal, Sécurité et gestion des frontières/, 'nothing of the other need');
  const list = await srv.get('/api/v1/participants?labels=1&limit=500', { auth: focal.token });
  assert.equal(list.status, 200);
  assert.ok(list.json.items.length >= 2, 'it reads its country\'s participants');
  for (const p of list.json.items) assert.match(p._label, new RegExp(`^Participant ${p.id} \\(Maroc`), `no name: ${p._label}`);
  same(list.json.items.find((p) => p.id === R.p1)._label, `Participant ${R.p1} (Maroc, Police)`, 'number, country, agency');
  const pp = await focal.session.get(`/participants/${R.p1}`);
  same(h1(pp.text), `Participant ${R.p1} (Maroc, Police)`, 'the page\'s heading');
  for (const p of [`/participants/${R.p1}`, '/participants', '/api/v1/participants.csv', `/api/v1/participants/${R.p1}?labels=1`,
    `/api/v1/evaluations?labels=1`]) {
    const x = p.startsWith('/api/') ? await srv.get(p, { auth: focal.token }) : await focal.session.get(p);
    assert.equal(x.status, 200, p);
    assert.doesNotMatch(x.text, /Labelle|Amina/, `${p}: no participant's name`);
  }
  assert.equal((await srv.get(`/api/v1/participants/${R.p2}?labels=1`, { auth: focal.token })).status, 404, 'another country\'s: none');
  assert.equal((await srv.get('/api/v1/sessions?labels=1', { auth: false })).status, 401, 'the public: nothing');
});

test('beyond 300 records, a reference is typed by its number, its label beside it (no box of an arbitrary few)', async () => {
  const rows = ['family_name,given_names,country,sex,agency'];
  for (let i = 0; i < 300; i++) rows.push(`Nombreux${i},Label,SN,male,police`);
  const imp = await srv.request('POST', '/api/v1/participants/import', { body: rows.join('\n') + '\n', headers: { 'Content-Type': 'text/csv' } });
  assert.equal(imp.status, 200, imp.text.slice(0, 300));
  const s = await srv.login();
  const edit = (await s.get(`/enrolments/${R.e1}/edit`)).text;
  assert.doesNotMatch(edit, /<select id="in-participant"/, 'no select of participants');
  assert.ok(edit.includes(`<input type="text" inputmode="numeric" id="in-participant" name="participant" value="${R.p1}"> ` +
    `<span class="current">${L.p1}</span>`), 'a number box, the participant named beside it');
  assert.match(edit, /<select id="in-session"/, 'a select where the records are few');
  const list = (await s.get(`/enrolments?participant=${R.p1}`)).text;
  assert.ok(list.includes(`id="f-participant" name="participant" value="${R.p1}"> <span class="current">${L.p1}</span>`), 'the filter too');
  const r = await s.request('POST', `/enrolments/${R.e1}/edit`, { body: new URLSearchParams({ _csrf: await s.csrfToken(), _version: '1',
    participant: String(R.p2), session: String(R.s1) }).toString(), headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  assert.equal(r.status, 303, `the form is sent with the number typed: ${r.status} ${r.text.slice(0, 300)}`);
  same((await srv.getJSON(`/api/v1/enrolments/${R.e1}`)).participant, R.p2, 'and saved');
});

// A set of references to a collection of more than 300 records (the demo's 600-odd needs
// for a programme): their numbers typed in one box, separated by commas or spaces,
// each named beside it; the set saved as typed, and emptied when the box is.
test('beyond 300 records, a set of references is typed as numbers, each named beside the box', async () => {
  const needs = await srv.all('needs');
  assert.ok(needs.length > 300, `${needs.length} needs`);
  const [a, b] = [needs[0].id, needs[needs.length - 1].id];
  const p = await srv.post('/api/v1/programmes', { title: { en: 'Programme of many needs' }, countries: ['SN'], needs: [a] });
  assert.equal(p.status, 201, p.text);
  const s = await srv.login();
  const edit = (await s.get(`/programmes/${p.json.id}/edit`, { headers: { 'Accept-Language': 'en' } })).text;
  assert.doesNotMatch(edit, /<select id="in-needs"/, 'no select of needs');
  const label = (await srv.get(`/api/v1/needs/${a}?labels=1`, { headers: { 'Accept-Language': 'en' } })).json._label;
  const named = /id="in-needs" name="needs" value="(\d+)"> <span class="current">(.*?)<\/span>/.exec(edit);
  assert.ok(named, 'a box holding the number, and the need named beside it');
  same([Number(named[1]), named[2].replace(/<[^>]+>/g, '').replace(/&#39;/g, "'")], [a, label], 'the number and the need\'s label');
  assert.match(edit, /<a href="\/needs">The numbers are in the list<\/a>/, 'and where to find the numbers');
  // the form as the page gives it, the box typed in
  const send = async (needsTyped) => {
    const html = (await s.get(`/programmes/${p.json.id}/edit`)).text;
    const pairs = formOf(html, `/programmes/${p.json.id}/edit`).map(([k, v]) => [k, k === 'needs' ? needsTyped : v]);
    const r = await s.form(`/programmes/${p.json.id}/edit`, pairs);
    assert.equal(r.status, 303, `needs "${needsTyped}": ${r.status} ${r.text.slice(0, 300)}`);
    return (await srv.getJSON(`/api/v1/programmes/${p.json.id}`)).needs.slice().sort((x, y) => x - y);
  };
  const both = [a, b].sort((x, y) => x - y);
  same(await send(`${a}, ${b}`), both, 'two numbers, a comma and a space between');
  same(await send(` ${b}  ${a} `), both, 'spaces alone between them');
  same(await send(''), [], 'an empty box: none');
});

test('server stops cleanly (exit 0, no sanitizer report)', async () => {
  await srv.stop();
});

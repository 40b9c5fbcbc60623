// Review before it counts (issue 18, item 1): what a focal point assesses, what an owner
// reports by link and an indicator period's actual value entered by someone other than
// staff are submitted; an officer approves them or returns them with a comment; staff
// entries are approved at once.  Only approved records count — the needs matrix, the
// map's data, the gap analysis, the results, the IATI file, and what donors and the
// public read — and each step is audited and told by e-mail (the outbox).  The
// authorisation of every decision by every role, the queue (oldest first, several
// approved at once) and the submitter's correction and resubmission.  Both backends.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, dbSql, assertError, USER_PASSWORD, todayUTC } from './harness.mjs';

let srv, focal, officer, officerToken, focalToken, donorToken, focalOther;
before(async () => {
  srv = await startServer();
  ({ session: focal, token: focalToken } = await srv.member('rv-focal', 'focal', { country: 'SN', email: 'focal.sn@example.org' }));
  focalOther = (await srv.member('rv-focal-gh', 'focal', { country: 'GH' })).session;
  ({ session: officer, token: officerToken } = await srv.member('rv-officer', 'officer', { email: 'officer@example.org' }));
  donorToken = (await srv.member('rv-donor', 'donor', { organisation: 4 })).token;
});
after(async () => { await srv?.stop(); });

const en = { headers: { 'Accept-Language': 'en' } };
const ok = (r, status, what) => { assert.equal(r.status, status, `${what}: ${r.status} ${r.text.slice(0, 400)}`); return r.json; };
const sql = (q) => dbSql(srv.db, q);

/** A cell of Senegal's needs that has an assessment today, and its latest. */
async function senegalCell() {
  const cells = (await srv.getJSON('/api/v1/needs/latest?country=SN')).items;
  assert.ok(cells.length > 0, 'the demo assesses Senegal');
  return cells[0];
}

test('a focal point\'s assessment waits for an officer before it counts in the matrix and the gaps', async () => {
  const cell = await senegalCell();
  const body = { country: 'SN', theme: cell.theme, assessed_on: todayUTC(), severity: 5, source: 'self_assessment',
    status: 'open', description: { fr: 'Évaluation de la revue' }, review_state: 'approved' };
  const mine = ok(await srv.post('/api/v1/needs', body, { auth: focalToken }), 201, 'the focal point assesses');
  assert.equal(mine.review_state, 'submitted', 'a writer cannot set its own state');
  assert.ok(!('submitted_by' in mine), 'who submitted is staff\'s to read');
  assert.equal((await srv.getJSON(`/api/v1/needs/${mine.id}`)).submitted_by, 'rv-focal');
  assert.match(mine.submitted_at, /^\d{4}-\d\d-\d\dT/);
  // it counts nowhere yet: the latest picture, the gaps, the matrix page keep the approved one
  const latestOf = async () => (await srv.getJSON(`/api/v1/needs/latest?country=SN&theme=${cell.theme}`)).items[0].id;
  assert.equal(await latestOf(), cell.id);
  assert.ok(!(await srv.getJSON('/api/v1/needs/latest?gaps=true')).items.some((n) => n.id === mine.id));
  assert.doesNotMatch((await srv.get('/needs/matrix')).text, new RegExp(`href="/needs/${mine.id}"`));
  assert.doesNotMatch((await srv.get('/needs/gaps')).text, new RegExp(`href="/needs/${mine.id}"`));
  // its submitter sees it as it is; so does staff; another country's focal point does not
  assert.equal(ok(await srv.get(`/api/v1/needs/${mine.id}`, { auth: focalToken }), 200, 'own').review_state, 'submitted');
  assert.equal((await focalOther.get(`/needs/${mine.id}`)).status, 404);
  // a writer cannot change the state: a patch of it is refused
  const err = assertError(await srv.patch(`/api/v1/needs/${mine.id}`, { review_state: 'approved' }, { auth: focalToken }), 422, 'invalid');
  assert.match(err.fields.review_state, /cannot be changed/);
  // the officers hear of it, once a day, by e-mail
  assert.match(await sql(`SELECT template || ' ' || recipient FROM outbox WHERE template = 'review_waiting' ORDER BY id`),
    /review_waiting officer@example\.org/);

  // approved: it is the cell's latest, and a gap (severity 5, open, nothing addresses it)
  const approved = ok(await srv.post(`/api/v1/needs/${mine.id}/approve`, {}, { auth: officerToken }), 200, 'approve');
  assert.equal(approved.review_state, 'approved');
  assert.equal(await latestOf(), mine.id);
  assert.ok((await srv.getJSON('/api/v1/needs/latest?gaps=true')).items.some((n) => n.id === mine.id));
  assert.match((await srv.get('/needs/matrix')).text, new RegExp(`href="/needs/${mine.id}"`));
  assertError(await srv.post(`/api/v1/needs/${mine.id}/approve`, {}, { auth: officerToken }), 409, 'conflict');
  assert.equal(await sql(`SELECT actor || ' ' || action FROM audit WHERE entity = 'need' AND record = '${mine.id}' ORDER BY id`),
    'rv-focal create\nrv-officer approve');
  // through the pages too: the new form submits, the edit form submits again
  const made = await focal.form('/needs/new', { country: 'SN', theme: cell.theme, assessed_on: todayUTC(), severity: '3',
    source: 'self_assessment' });
  assert.equal(made.status, 303, made.text.slice(0, 300));
  const pageId = Number(/\/needs\/(\d+)/.exec(made.headers.get('location'))[1]);
  assert.equal(await sql(`SELECT review_state || ' ' || submitted_by FROM need WHERE id = ${pageId}`), 'submitted rv-focal');
  ok(await srv.post(`/api/v1/needs/${pageId}/approve`, {}, { auth: officerToken }), 200, 'approve');
  const edited = await focal.form(`/needs/${pageId}/edit`, { country: 'SN', theme: cell.theme, assessed_on: todayUTC(),
    severity: '4', source: 'self_assessment', status: 'open' });
  assert.equal(edited.status, 303, (/<div class="error-summary[\s\S]*?<\/div>/.exec(edited.text) || [edited.text.slice(0, 300)])[0]);
  assert.equal(await sql(`SELECT review_state || ' ' || severity FROM need WHERE id = ${pageId}`), 'submitted 4');
  // staff's own assessment is approved at once
  const staffs = ok(await srv.post('/api/v1/needs', { ...body, severity: 2 }), 201, 'staff assess');
  assert.equal(staffs.review_state, 'approved');
  assert.equal(staffs.submitted_by, null);
});

test('returned with a comment, corrected by its submitter, submitted again, then approved', async () => {
  const cell = await senegalCell();
  const mine = ok(await srv.post('/api/v1/needs', { country: 'SN', theme: cell.theme, assessed_on: todayUTC(), severity: 4,
    source: 'self_assessment' }, { auth: focalToken }), 201, 'assess');
  let err = assertError(await srv.post(`/api/v1/needs/${mine.id}/return`, {}, { auth: officerToken }), 422, 'invalid');
  assert.ok(err.fields.comment, 'a return says why');
  assertError(await srv.post(`/api/v1/needs/${mine.id}/return`, { comment: 42 }, { auth: officerToken }), 400, 'bad_json');
  const back = ok(await srv.post(`/api/v1/needs/${mine.id}/return`, { comment: 'Give the mission report as the reference.' },
    { auth: officerToken }), 200, 'return');
  assert.deepEqual([back.review_state, back.review_comment], ['returned', 'Give the mission report as the reference.']);
  assertError(await srv.post(`/api/v1/needs/${mine.id}/return`, { comment: 'again' }, { auth: officerToken }), 409, 'conflict');
  // the submitter hears of it, and reads the comment on its page and in its queue
  assert.match(await sql(`SELECT recipient || ' ' || params FROM outbox WHERE template = 'review_returned'`),
    new RegExp(`focal\\.sn@example\\.org \\{"collection":"needs","key":"${mine.id}"\\}`));
  let page = await focal.get(`/needs/${mine.id}`, en);
  assert.match(page.text, /<section id="review"/);
  assert.match(page.text, /Returned for correction/);
  assert.match(page.text, /Give the mission report as the reference\./);
  assert.match(page.text, new RegExp(`href="/needs/${mine.id}/edit"`), 'a way to correct it');
  assert.doesNotMatch(page.text, /name="decision"/, 'no decision for a focal point');
  const queue = await focal.get('/review', en);
  assert.equal(queue.status, 200);
  assert.match(queue.text, /Returned for correction/);
  assert.match(queue.text, new RegExp(`href="/needs/${mine.id}#review"`));
  assert.doesNotMatch(queue.text, /name="item"/);
  // corrected: submitted again, the comment kept for the reviewer
  const again = ok(await srv.patch(`/api/v1/needs/${mine.id}`, { reference: 'Mission report, March' }, { auth: focalToken }), 200, 'correct');
  assert.equal(again.review_state, 'submitted');
  // the officer approves it from its page
  page = await officer.get(`/needs/${mine.id}`, en);
  assert.match(page.text, new RegExp(`action="/needs/${mine.id}/review"`));
  assert.equal((await focal.form(`/needs/${mine.id}/review`, { decision: 'approve' })).status, 403);
  const r = await officer.form(`/needs/${mine.id}/review`, { decision: 'approve', comment: 'Thank you.' });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), `/needs/${mine.id}#review`);
  const now = (await srv.getJSON(`/api/v1/needs/${mine.id}`));
  assert.deepEqual([now.review_state, now.review_comment], ['approved', 'Thank you.']);
  assert.equal(await sql(`SELECT action FROM audit WHERE entity = 'need' AND record = '${mine.id}' ORDER BY id`),
    'create\nreturn\nupdate\napprove');
  // a return from the page needs its comment
  const other = ok(await srv.post('/api/v1/needs', { country: 'SN', theme: cell.theme, assessed_on: todayUTC(), severity: 1,
    source: 'self_assessment' }, { auth: focalToken }), 201, 'assess');
  const refused = await officer.form(`/needs/${other.id}/review`, { decision: 'return', comment: '' }, en);
  assert.equal(refused.status, 422);
  assert.match(refused.text, /A comment is required to return an entry/);
});

test('the queue: oldest first, several approved at once; who may decide, and who reads what waits', async () => {
  const cell = await senegalCell();
  const make = async (severity) => ok(await srv.post('/api/v1/needs', { country: 'SN', theme: cell.theme, assessed_on: todayUTC(),
    severity, source: 'self_assessment' }, { auth: focalToken }), 201, 'assess').id;
  const first = await make(3);
  const second = await make(2);
  await sql(`UPDATE need SET submitted_at = '2020-01-01T00:00:00Z' WHERE id = ${second}`); // the oldest
  let page = await officer.get('/review', en);
  assert.equal(page.status, 200);
  const at = (id) => page.text.indexOf(`value="needs:${id}"`);
  assert.ok(at(second) > 0 && at(first) > at(second), 'oldest first');
  // the authorisation of a decision, by role (a submitted need of the focal point's country)
  const third = await make(1);
  assertError(await srv.post(`/api/v1/needs/${third}/approve`, {}, { auth: false }), 401, 'unauthorized');
  assertError(await srv.post(`/api/v1/needs/${third}/approve`, {}, { auth: focalToken }), 403, 'forbidden');
  assertError(await srv.post(`/api/v1/needs/${third}/approve`, {}, { auth: donorToken }), 403, 'forbidden');
  assertError(await srv.post(`/api/v1/needs/${third}/return`, { comment: 'x' }, { auth: focalToken }), 403, 'forbidden');
  assertError(await srv.post(`/api/v1/countries/SN/approve`, {}), 404, 'not_found');
  assertError(await srv.post('/api/v1/needs/999999/approve', {}), 404, 'not_found');
  assert.equal((await (await srv.login('rv-donor', USER_PASSWORD)).get('/review')).status, 403, 'a donor has no queue');
  assert.equal((await focal.form('/review', { item: `needs:${third}`, decision: 'approve' })).status, 403);
  // several at once, from the queue
  const done = await officer.form('/review', { item: [`needs:${first}`, `needs:${second}`, `needs:${third}`], decision: 'approve',
    comment: '' });
  assert.equal(done.status, 303, done.text.slice(0, 300));
  assert.equal(await sql(`SELECT COUNT(*) FROM need WHERE id IN (${first}, ${second}, ${third}) AND review_state = 'approved'`), '3');
  page = await officer.get('/review?done=1', en);
  assert.match(page.text, /the entries ticked are reviewed/);
  assert.doesNotMatch(page.text, new RegExp(`value="needs:${first}"`));
  // returning several at once asks a comment too; given, each goes back to its submitter
  const fourth = await make(2);
  assert.equal((await officer.form('/review', { item: [`needs:${fourth}`], decision: 'return', comment: '' })).status, 422);
  assert.equal((await officer.form('/review', { item: [`needs:${fourth}`], decision: 'return', comment: 'Which mission?' })).status, 303);
  assert.equal(await sql(`SELECT review_state || ' ' || review_comment FROM need WHERE id = ${fourth}`), 'returned Which mission?');
  assert.equal(await sql(`SELECT COUNT(*) FROM audit WHERE entity = 'need' AND action = 'approve' AND actor = 'rv-officer' `
    + `AND record IN ('${first}', '${second}', '${third}')`), '3');
});

test('an indicator period counts once approved: the results and the IATI file leave out the others', async () => {
  const prog = (await srv.getJSON('/api/v1/programmes?limit=1')).items[0].id;
  const result = ok(await srv.post('/api/v1/results', { programme: prog, level: 'output', title: { en: 'Review test' } }), 201, 'result');
  const ind = ok(await srv.post('/api/v1/indicators', { result: result.id, title: { en: 'Review test indicator' } }), 201, 'indicator');
  const period = ok(await srv.post('/api/v1/periods', { indicator: ind.id, start_date: '2025-01-01', end_date: '2025-12-31',
    target: 123457, actual: 987654 }), 201, 'period');
  assert.equal(period.review_state, 'approved', 'staff\'s values count at once');
  const iati = async () => (await srv.get('/api/v1/iati.xml')).text;
  assert.match(await iati(), /value="987654"/);
  // as if someone other than staff had entered it (no such writer yet): submitted
  await sql(`UPDATE indicator_period SET review_state = 'submitted', submitted_at = '2026-01-01T00:00:00Z', `
    + `submitted_by = 'someone' WHERE id = ${period.id}`);
  // (a write through suivi, that keeps its state, so that the files kept between writes are made again)
  ok(await srv.patch(`/api/v1/periods/${period.id}`, { comment: { en: 'Staff\'s note' } }), 200, 'a staff note');
  assert.doesNotMatch(await iati(), /value="987654"/, 'the IATI file publishes approved values only');
  const values = await srv.getJSON(`/api/v1/indicators/${ind.id}/values`);
  assert.ok(!JSON.stringify(values).includes('987654'), 'nor do the results');
  // what waits is not read by those who did not write it
  assert.equal((await srv.get(`/api/v1/periods/${period.id}`, { auth: focalToken })).status, 404);
  assert.equal((await srv.get(`/api/v1/periods/${period.id}`, { auth: officerToken })).status, 200);
  assert.ok(!(await srv.getJSON(`/api/v1/periods?indicator=${ind.id}`)).items.every((p) => p.review_state === 'approved'));
  const focalList = ok(await srv.get(`/api/v1/periods?indicator=${ind.id}`, { auth: focalToken }), 200, 'focal list');
  assert.equal(focalList.total, 0);
  ok(await srv.post(`/api/v1/periods/${period.id}/approve`, { comment: null }, { auth: officerToken }), 200, 'approve');
  assert.match(await iati(), /value="987654"/);
  assert.equal((await srv.get(`/api/v1/periods/${period.id}`, { auth: focalToken })).status, 200);
});

test('a report approved after a newer one moves its action no more: the newest approved says where it stands', async () => {
  const action = (await srv.getJSON('/api/v1/actions?status=in_progress&limit=1')).items[0].id;
  const older = ok(await srv.post('/api/v1/action_updates', { action, date: '2026-11-01', note: { en: 'Older' }, percent: 15 }), 201, 'older');
  ok(await srv.post('/api/v1/action_updates', { action, date: '2026-11-20', note: { en: 'Newer' }, percent: 35 }), 201, 'newer');
  assert.equal((await srv.getJSON(`/api/v1/actions/${action}`)).percent, 35);
  // the older one, as if it had come by link and waited
  await sql(`UPDATE action_update SET review_state = 'submitted', submitted_by = 'link:owner@example.org' WHERE id = ${older.id}`);
  ok(await srv.patch(`/api/v1/actions/${action}`, { due_date: '2027-06-30' }), 200, 'a write that moves the change counter');
  // the link holder's address is staff's only
  const seen = ok(await srv.get(`/api/v1/action_updates/${older.id}`, { auth: officerToken }), 200, 'officer');
  assert.equal(seen.submitted_by, 'link:owner@example.org');
  ok(await srv.post(`/api/v1/action_updates/${older.id}/approve`, {}, { auth: officerToken }), 200, 'approve the older');
  assert.equal((await srv.getJSON(`/api/v1/actions/${action}`)).percent, 35, 'the newer report stands');
  const read = ok(await srv.get(`/api/v1/action_updates/${older.id}`, { auth: focalToken }), 200, 'focal reads it approved');
  assert.ok(!('submitted_by' in read), 'who submitted it is not a focal point\'s to read');
  // an entry in a locked period waits: the queue decides the others and says so
  const meeting = (await srv.getJSON(`/api/v1/outcomes/${(await srv.getJSON(`/api/v1/actions/${action}`)).outcome}`)).meeting;
  await sql(`UPDATE action_update SET review_state = 'submitted' WHERE id = ${older.id}`);
  ok(await srv.post(`/api/v1/meetings/${meeting}/lock`, { as_of: '2099-12-31' }), 200, 'lock');
  const cell = await senegalCell();
  const need = ok(await srv.post('/api/v1/needs', { country: 'SN', theme: cell.theme, assessed_on: todayUTC(), severity: 2,
    source: 'self_assessment' }, { auth: focalToken }), 201, 'assess').id;
  const r = await officer.form('/review', { item: [`action_updates:${older.id}`, `needs:${need}`], decision: 'approve' });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/review?done=1&locked=1');
  assert.match((await officer.get(r.headers.get('location'), en)).text, /fall in a locked period/);
  assert.equal(await sql(`SELECT review_state FROM action_update WHERE id = ${older.id}`), 'submitted');
  assert.equal(await sql(`SELECT review_state FROM need WHERE id = ${need}`), 'approved');
  assertError(await srv.post(`/api/v1/action_updates/${older.id}/approve`, {}, { auth: officerToken }), 409, 'locked');
  assert.equal((await srv.del(`/api/v1/meetings/${meeting}/lock`)).status, 204);
});

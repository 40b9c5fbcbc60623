// Locked reporting periods (issue 18, item 2): staff lock a programme's reporting period
// or a meeting's follow-up as of a date; the records dated up to it (a programme's
// funding transactions and indicator periods, a meeting's actions' progress updates)
// then refuse every change — through the API, the pages and imports — with 409 naming
// the lock, until an administrator unlocks it; an officer may lock or move a lock later,
// never earlier.  Every lock and unlock is audited.  Both backends.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, dbSql, assertError } from './harness.mjs';

let srv, officer, focal, donor, officerToken, focalToken;
before(async () => {
  srv = await startServer();
  ({ session: officer, token: officerToken } = await srv.member('lock-officer', 'officer'));
  ({ session: focal, token: focalToken } = await srv.member('lock-focal', 'focal', { country: 'SN' }));
  donor = (await srv.member('lock-donor', 'donor', { organisation: 4 })).session;
});
after(async () => { await srv?.stop(); });

const en = { headers: { 'Accept-Language': 'en' } };
const ok = (r, status, what) => { assert.equal(r.status, status, `${what}: ${r.status} ${r.text.slice(0, 400)}`); return r.json; };

test('a programme locked as of a date: its transactions and indicator periods dated up to it refuse every change', async () => {
  const prog = (await srv.getJSON('/api/v1/programmes?limit=1')).items[0].id;
  const tx = ok(await srv.post('/api/v1/transactions', { programme: prog, kind: 'disbursement', date: '2025-03-01',
    amount: 1000, currency: 'USD', sample: true }), 201, 'a transaction');
  const result = ok(await srv.post('/api/v1/results', { programme: prog, level: 'output', title: { en: 'Lock test' } }), 201, 'result');
  const ind = ok(await srv.post('/api/v1/indicators', { result: result.id, title: { en: 'Lock test indicator' } }), 201, 'indicator');
  const period = ok(await srv.post('/api/v1/periods', { indicator: ind.id, start_date: '2025-01-01', end_date: '2025-06-30',
    target: 10, actual: 4 }), 201, 'period');
  const later = ok(await srv.post('/api/v1/periods', { indicator: ind.id, start_date: '2025-07-01', end_date: '2025-12-31',
    target: 10 }), 201, 'a later period');

  assert.deepEqual(ok(await srv.get(`/api/v1/programmes/${prog}/lock`), 200, 'GET'), { programme: prog, locked: false });
  // focal points and donors may not lock
  assertError(await srv.post(`/api/v1/programmes/${prog}/lock`, { as_of: '2025-06-30' }, { auth: focalToken }), 403, 'forbidden');
  assert.equal((await focal.form(`/programmes/${prog}/lock`, { as_of: '2025-06-30' })).status, 403);
  assert.equal((await donor.form(`/programmes/${prog}/lock`, { as_of: '2025-06-30' })).status, 403);
  assertError(await srv.post(`/api/v1/programmes/${prog}/lock`, { as_of: '30/06/2025' }, { auth: officerToken }), 422, 'invalid');
  assertError(await srv.post('/api/v1/programmes/999999/lock', { as_of: '2025-06-30' }, { auth: officerToken }), 404, 'not_found');
  const lock = ok(await srv.post(`/api/v1/programmes/${prog}/lock`, { as_of: '2025-06-30' }, { auth: officerToken }), 200, 'officer locks');
  assert.equal(lock.locked, true);
  assert.equal(lock.as_of, '2025-06-30');
  assert.equal(lock.locked_by, 'lock-officer');
  assert.deepEqual(ok(await srv.get(`/api/v1/programmes/${prog}/lock`, { auth: focalToken }), 200, 'focal reads it'), lock);

  // the transaction dated in the period: no change, no delete
  let err = assertError(await srv.patch(`/api/v1/transactions/${tx.id}`, { amount: 2000 }), 409, 'locked');
  assert.match(err.fields.date, /locked as of 2025-06-30/);
  err = assertError(await srv.del(`/api/v1/transactions/${tx.id}`), 409, 'locked');
  assert.match(err.message, /locked as of 2025-06-30/);
  // none added in it; one after it is, and cannot be moved into it
  err = assertError(await srv.post('/api/v1/transactions', { programme: prog, kind: 'disbursement', date: '2025-06-30',
    amount: 5, currency: 'USD' }), 409, 'locked');
  assert.match(err.fields.date, /reporting period/);
  const tx2 = ok(await srv.post('/api/v1/transactions', { programme: prog, kind: 'disbursement', date: '2025-07-01',
    amount: 5, currency: 'USD', sample: true }), 201, 'after the lock');
  assertError(await srv.patch(`/api/v1/transactions/${tx2.id}`, { date: '2025-06-01' }), 409, 'locked');
  ok(await srv.patch(`/api/v1/transactions/${tx2.id}`, { amount: 6 }), 200, 'a change after the lock');
  // the indicator period that ended in it; not the later one
  err = assertError(await srv.patch(`/api/v1/periods/${period.id}`, { actual: 9 }), 409, 'locked');
  assert.match(err.fields.end_date, /locked as of/);
  ok(await srv.patch(`/api/v1/periods/${later.id}`, { actual: 3 }), 200, 'the later period');
  assert.equal((await srv.getJSON(`/api/v1/periods/${period.id}`)).actual, 4, 'nothing written');
  // an import of a transaction in the period: refused whole, the row named
  const csv = `programme,kind,date,amount,currency\n${prog},disbursement,2025-07-02,7,USD\n${prog},disbursement,2025-05-02,7,USD\n`;
  const imp = await srv.request('POST', '/api/v1/transactions/import', { body: csv, headers: { 'Content-Type': 'text/csv' } });
  assert.equal(imp.status, 422, imp.text);
  assert.match(imp.text, /locked as of 2025-06-30/);
  assert.equal((await srv.all('transactions', `programme=${prog}`)).filter((t) => t.amount === 7).length, 0, 'nothing imported');
  // a row that changes a locked transaction: refused on its row too
  const v = (await srv.getJSON(`/api/v1/transactions/${tx.id}`)).version;
  const upd = await srv.request('POST', '/api/v1/transactions/import', { body: `id,version,amount\n${tx.id},${v},3000\n`,
    headers: { 'Content-Type': 'text/csv' } });
  assert.equal(upd.status, 422, upd.text);
  assert.match(upd.text, /locked as of 2025-06-30/);
  assert.equal((await srv.getJSON(`/api/v1/transactions/${tx.id}`)).amount, 1000);

  // an officer moves the lock later, never earlier; an administrator does both and unlocks
  assertError(await srv.post(`/api/v1/programmes/${prog}/lock`, { as_of: '2025-01-31' }, { auth: officerToken }), 403, 'forbidden');
  ok(await srv.post(`/api/v1/programmes/${prog}/lock`, { as_of: '2025-07-31' }, { auth: officerToken }), 200, 'later');
  assertError(await srv.patch(`/api/v1/transactions/${tx2.id}`, { amount: 8 }), 409, 'locked');
  assertError(await srv.del(`/api/v1/programmes/${prog}/lock`, { auth: officerToken }), 403, 'forbidden');
  ok(await srv.post(`/api/v1/programmes/${prog}/lock`, { as_of: '2025-02-28' }), 200, 'the administrator moves it earlier');
  ok(await srv.patch(`/api/v1/transactions/${tx2.id}`, { amount: 8 }), 200, 'free again');
  assert.equal((await srv.del(`/api/v1/programmes/${prog}/lock`)).status, 204);
  assert.equal((await srv.del(`/api/v1/programmes/${prog}/lock`)).status, 204, 'unlocking what is not locked: done');
  ok(await srv.patch(`/api/v1/periods/${period.id}`, { actual: 9 }), 200, 'unlocked');
  ok(await srv.patch(`/api/v1/transactions/${tx.id}`, { amount: 2000 }), 200, 'unlocked');
  assert.equal(await dbSql(srv.db, `SELECT actor || ' ' || action || ' ' || COALESCE(before, '-') || ' ' || COALESCE(after, '-') FROM audit `
    + `WHERE entity = 'programme' AND record = '${prog}' AND action IN ('lock', 'unlock') ORDER BY id`),
  ['lock-officer lock - {"as_of":"2025-06-30"}',
    'lock-officer lock {"as_of":"2025-06-30"} {"as_of":"2025-07-31"}',
    'admin lock {"as_of":"2025-07-31"} {"as_of":"2025-02-28"}',
    'admin unlock {"as_of":"2025-02-28"} -'].join('\n'));
});

test('a meeting\'s follow-up locked on its page: progress updates dated up to it refuse changes, in the pages too', async () => {
  const outcome = (await srv.getJSON('/api/v1/outcomes?meeting=1&limit=1')).items[0].id;
  const action = (await srv.getJSON(`/api/v1/actions?outcome=${outcome}&limit=1`)).items[0].id;
  const upd = ok(await srv.post('/api/v1/action_updates', { action, date: '2025-02-10', note: { en: 'Before the lock' } }), 201, 'update');
  let page = await officer.get('/meetings/1', en);
  assert.match(page.text, /<section id="lock"/);
  assert.match(page.text, /action="\/meetings\/1\/lock"/, 'staff may lock');
  assert.doesNotMatch(page.text, /\/meetings\/1\/unlock/);
  assert.doesNotMatch((await focal.get('/meetings/1', en)).text, /id="lock"/, 'nothing to see while unlocked');
  assert.equal((await focal.form('/meetings/1/lock', { as_of: '2025-03-31' })).status, 403);
  const bad = await officer.form('/meetings/1/lock', { as_of: 'soon' }, en);
  assert.equal(bad.status, 422);
  assert.match(bad.text, /Give the date/);
  const r = await officer.form('/meetings/1/lock', { as_of: '2025-03-31' });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/meetings/1#lock');
  page = await focal.get('/meetings/1', en);
  assert.match(page.text, /Locked as of <time datetime="2025-03-31">31 March 2025<\/time> \(by <bdi>lock-officer<\/bdi>\)/);
  assert.match(page.text, /progress updates dated up to that day can no longer be changed/);
  assert.doesNotMatch(page.text, /action="\/meetings\/1\/lock"/, 'a focal point has no form');
  assert.doesNotMatch((await officer.get('/meetings/1', en)).text, /\/meetings\/1\/unlock/, 'an officer does not unlock');
  const admin = await srv.login();
  assert.match((await admin.get('/meetings/1', en)).text, /action="\/meetings\/1\/unlock"/);

  // the update: refused by the API and by its page's form, and its delete
  assertError(await srv.patch(`/api/v1/action_updates/${upd.id}`, { note: { en: 'Rewritten' } }), 409, 'locked');
  const edit = await admin.form(`/action_updates/${upd.id}/edit`, { action: String(action), date: '2025-02-10', 'note.en': 'Rewritten' }, en);
  assert.equal(edit.status, 409, edit.text.slice(0, 300));
  assert.match(edit.text, /falls in the edition&#39;s follow-up, locked as of 2025-03-31|falls in the edition's follow-up, locked as of 2025-03-31/);
  const del = await admin.form(`/action_updates/${upd.id}/delete`, {}, en);
  assert.equal(del.status, 409);
  assert.match(del.text, /locked as of <time datetime="2025-03-31">31 March 2025<\/time>/);
  assertError(await srv.post('/api/v1/action_updates', { action, date: '2025-03-31', note: { en: 'Backdated' } }), 409, 'locked');
  ok(await srv.post('/api/v1/action_updates', { action, date: '2025-04-01', note: { en: 'After the lock' } }), 201, 'after it');
  assert.equal((await srv.getJSON(`/api/v1/action_updates/${upd.id}`)).note.en, 'Before the lock');

  // locked up to a day to come: the board's quick entry, dated today, is refused on its date
  assert.equal((await admin.form('/meetings/1/lock', { as_of: '2099-12-31' })).status, 303);
  const act = (await srv.getJSON(`/api/v1/actions/${action}`));
  const quick = await admin.form('/board', { action, version: act.version, was: act.status, status: act.status, percent: 55,
    note: 'Quick' }, en);
  assert.equal(quick.status, 409, quick.text.slice(0, 300));
  assert.match(quick.text, /locked as of 2099-12-31/);
  assert.doesNotMatch(quick.text, /database/i);
  assert.equal((await srv.getJSON(`/api/v1/actions/${action}`)).percent, act.percent, 'nothing written');
  assert.equal((await admin.form('/meetings/1/lock', { as_of: '2025-03-31' })).status, 303, 'an administrator moves it back');
  assert.equal((await officer.form('/meetings/1/unlock', {})).status, 403);
  assert.equal((await admin.form('/meetings/1/unlock', {})).status, 303);
  ok(await srv.patch(`/api/v1/action_updates/${upd.id}`, { note: { en: 'Rewritten' } }), 200, 'unlocked');
  assert.deepEqual(ok(await srv.get('/api/v1/meetings/1/lock'), 200, 'GET'), { meeting: 1, locked: false });
  assert.equal(await dbSql(srv.db, `SELECT actor || ' ' || action FROM audit WHERE entity = 'meeting' AND record = '1' `
    + `AND action IN ('lock', 'unlock') ORDER BY id`), 'lock-officer lock\nadmin lock\nadmin lock\nadmin unlock');
});

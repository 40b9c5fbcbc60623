// One write path (issue 13, items 2 and 3): a write that changes nothing
// writes nothing, through the API and through a page's form (same version,
// same updated_at, no audit row, the record answered); a read-only field named
// with another value than the record's is refused naming it (422), with the
// same value accepted; the answer of a write is the record as written.  Both
// backends (SUIVI_PG).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, assertError } from './harness.mjs';
import { formOf } from './auth-common.mjs';

const srv = useServer();

/** The newest audit row's id. */
async function newestAudit() {
  const r = await srv.getJSON('/api/v1/audit?sort=-id&limit=1');
  return r.items.length ? r.items[0].id : 0;
}

async function action(fields = {}) {
  const r = await srv.post('/api/v1/actions', { outcome: 1, title: { fr: 'Action', en: 'Action' }, due_date: '2030-01-01', ...fields });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

test('a PATCH that changes nothing writes nothing: same version, same time, no audit row, the record answered', async () => {
  const a = await action({ owner: 1, courses: [] });
  const top = await newestAudit();
  const gen = (await srv.get('/api/v1/actions/' + a.id)).headers.get('etag');
  for (const patch of [
    {},
    { percent: a.percent },
    { title: { en: 'Action' } },                 // one language, the same text
    { title: { fr: 'Action', en: 'Action', ar: null } }, // an absent language cleared
    { status: 'planned', owner: 1, courses: [] },
    { due_date: '2030-01-01', late: false, id: a.id, version: a.version, created_at: a.created_at, updated_at: a.updated_at },
  ]) {
    const r = await srv.patch(`/api/v1/actions/${a.id}`, patch, { headers: { 'If-Match': `"${a.version}"` } });
    assert.equal(r.status, 200, `${JSON.stringify(patch)}: ${r.text}`);
    assert.deepEqual(r.json, a, JSON.stringify(patch));
    assert.equal(r.headers.get('etag'), gen);
  }
  assert.deepEqual(await srv.getJSON(`/api/v1/actions/${a.id}`), a);
  assert.equal(await newestAudit(), top, 'no audit row');
  // a real change, then the same again: one row, one version
  const c = await srv.patch(`/api/v1/actions/${a.id}`, { percent: 10 });
  assert.equal(c.json.version, a.version + 1);
  const again = await srv.patch(`/api/v1/actions/${a.id}`, { percent: 10 });
  assert.deepEqual(again.json, c.json);
  const rows = (await srv.getJSON('/api/v1/audit?sort=-id&limit=5')).items.filter((x) => x.id > top);
  assert.deepEqual(rows.map((x) => [x.entity, x.action, x.record]), [['action', 'update', String(a.id)]]);
});

test('a form saved unchanged writes nothing either', async () => {
  const a = await action();
  const s = await srv.login();
  const top = await newestAudit();
  const edit = await s.get(`/actions/${a.id}/edit`);
  assert.equal(edit.status, 200);
  const r = await s.form(`/actions/${a.id}/edit`, formOf(edit.text, `/actions/${a.id}/edit`));
  assert.equal(r.status, 303, r.text.slice(0, 500));
  assert.deepEqual(await srv.getJSON(`/api/v1/actions/${a.id}`), a);
  assert.equal(await newestAudit(), top, 'no audit row');
});

test('a progress update that leaves its action\'s percentage as it is does not touch the action', async () => {
  const a = await action({ percent: 40 });
  const top = await newestAudit();
  const u = await srv.post('/api/v1/action_updates', { action: a.id, date: '2026-01-01', note: { en: 'still 40' }, percent: 40 });
  assert.equal(u.status, 201, u.text);
  assert.deepEqual(await srv.getJSON(`/api/v1/actions/${a.id}`), a);
  const rows = (await srv.getJSON('/api/v1/audit?sort=-id&limit=5')).items.filter((x) => x.id > top);
  assert.deepEqual(rows.map((x) => x.entity), ['action_update']);
});

test('a read-only field named with another value is refused, naming it; with its own value, accepted', async () => {
  const a = await action();
  const p = await srv.post('/api/v1/participants', { family_name: 'Keyed', country: 'MA' });
  assert.equal(p.status, 201, p.text);
  const top = await newestAudit();
  for (const [field, other] of [
    ['id', a.id + 1000], ['id', 'x'], ['version', a.version + 1], ['version', '1'], ['created_at', '2000-01-01T00:00:00Z'],
    ['updated_at', 7], ['late', !a.late], ['late', 'no'],
  ]) {
    const r = await srv.patch(`/api/v1/actions/${a.id}`, { percent: 5, [field]: other });
    assertError(r, 422, 'invalid', `${field}: ${JSON.stringify(other)}`);
    assert.deepEqual(Object.keys(r.json.error.fields), [field], r.text);
    assert.match(r.json.error.fields[field], /cannot be changed/);
  }
  // a record key is nobody's to name, whatever the value
  const k = await srv.patch(`/api/v1/participants/${p.json.id}`, { rkey: 1 });
  assertError(k, 422, 'invalid', 'rkey');
  assert.ok(k.json.error.fields.rkey, k.text);
  // the key of a code record
  const c = await srv.patch('/api/v1/countries/SN', { code: 'SX' });
  assertError(c, 422, 'invalid', 'code');
  assert.ok(c.json.error.fields.code);
  assert.equal(await newestAudit(), top, 'refused: no audit row');
  assert.deepEqual(await srv.getJSON(`/api/v1/actions/${a.id}`), a);
  // the same values: accepted, and only the writable field changes
  const ok = await srv.patch(`/api/v1/actions/${a.id}`, { ...a, percent: 5 });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.percent, 5);
  assert.equal(ok.json.version, a.version + 1);
  assert.equal(ok.json.created_at, a.created_at);
});

test('the answer of a write is the record as written, as a GET then gives it', async () => {
  const m = await srv.post('/api/v1/meetings', { kind: 'forum', title: { en: 'Answered' }, start_date: '2026-02-02', cochairs: [2, 1], delegations: [1] });
  assert.equal(m.status, 201, m.text);
  assert.deepEqual(m.json, await srv.getJSON(`/api/v1/meetings/${m.json.id}`));
  assert.deepEqual(m.json.cochairs, [1, 2], 'a set in key order, as lists give it');
  const p = await srv.patch(`/api/v1/meetings/${m.json.id}`, { cochairs: [3, 1], venue: 'Dakar' });
  assert.equal(p.status, 200, p.text);
  const g = await srv.get(`/api/v1/meetings/${m.json.id}`);
  assert.deepEqual(p.json, g.json);
  assert.equal(p.headers.get('etag'), g.headers.get('etag'));
  const a = await action({ due_date: '2001-01-01' });
  assert.equal(a.late, true, 'computed fields in the answer');
  const d = await srv.patch(`/api/v1/actions/${a.id}`, { status: 'done' });
  assert.equal(d.json.late, false);
  assert.deepEqual(d.json, await srv.getJSON(`/api/v1/actions/${a.id}`));
  // a participant's private fields are in a staff writer's answer
  const part = await srv.post('/api/v1/participants', { family_name: 'Answer', given_names: 'Private', country: 'SN', email: 'a@example.org' });
  assert.equal(part.json.email, 'a@example.org');
  assert.equal(part.json.rkey, undefined, 'the record key is nobody\'s');
});

test('server stops cleanly', () => srv.stop());

// The audit trail: every write through the API leaves exactly one matching
// row (who, when, the record before and after), a refused write leaves none,
// and nothing in the API changes or deletes audit rows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, cli } from './harness.mjs';

const srv = useServer();

async function trail() {
  return (await srv.getJSON('/api/v1/audit?limit=500&sort=-id')).items;
}

/** The audit rows written since `before` (the rows of an earlier trail()). */
async function since(before) {
  const top = before.length ? before[0].id : 0;
  return (await trail()).filter((r) => r.id > top).reverse();
}

const record = (json) => JSON.parse(json);

test('create, update and delete each leave exactly one row with before and after', async () => {
  let t0 = await trail();
  const c = await srv.post('/api/v1/organisations', { name: { fr: 'Audit org', en: 'Audit org' } });
  assert.equal(c.status, 201);
  let rows = await since(t0);
  assert.equal(rows.length, 1, JSON.stringify(rows));
  assert.equal(rows[0].action, 'create');
  assert.equal(rows[0].entity, 'organisation');
  assert.equal(rows[0].record, String(c.json.id));
  assert.equal(rows[0].actor, 'admin'); // the API token's user
  assert.equal(rows[0].before, null);
  assert.deepEqual(record(rows[0].after), c.json);
  assert.match(rows[0].at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);

  t0 = await trail();
  const p = await srv.patch(`/api/v1/organisations/${c.json.id}`, { acronym: 'AO' });
  assert.equal(p.status, 200);
  rows = await since(t0);
  assert.equal(rows.length, 1);
  assert.equal(rows[0].action, 'update');
  assert.deepEqual(record(rows[0].before), c.json);
  assert.deepEqual(record(rows[0].after), p.json);

  t0 = await trail();
  const d = await srv.del(`/api/v1/organisations/${c.json.id}`);
  assert.equal(d.status, 204);
  rows = await since(t0);
  assert.equal(rows.length, 1);
  assert.equal(rows[0].action, 'delete');
  assert.deepEqual(record(rows[0].before), p.json);
  assert.equal(rows[0].after, null);
});

test('a progress update that moves its action leaves a row for each record it changed', async () => {
  const t0 = await trail();
  const before = await srv.getJSON('/api/v1/actions/3');
  const u = await srv.post('/api/v1/action_updates', { action: 3, date: '2026-01-15', note: { en: 'half way' }, percent: 55 });
  assert.equal(u.status, 201);
  const rows = await since(t0);
  assert.deepEqual(rows.map((r) => [r.action, r.entity]), [['create', 'action_update'], ['update', 'action']]);
  assert.deepEqual(record(rows[1].before), before);
  assert.equal(record(rows[1].after).percent, 55);
});

test('refused writes leave no audit row', async () => {
  const t0 = await trail();
  const tries = [
    await srv.post('/api/v1/actions', { outcome: 1, title: { en: 'x' }, due_date: '2024-02-30' }), // 422
    await srv.post('/api/v1/actions', { outcome: 9999, title: { en: 'x' } }),                   // 422 (reference)
    await srv.patch('/api/v1/actions/1', { percent: 7 }, { headers: { 'If-Match': '"999"' } }),  // 412
    await srv.del('/api/v1/outcomes/1'),                                                        // 409
    await srv.post('/api/v1/themes', { code: 'maritime_security', name: { en: 'dup' } }),       // 409
    await srv.post('/api/v1/actions', '{"outcome": 1,'),                                        // 400
  ];
  assert.deepEqual(tries.map((r) => r.status), [422, 422, 412, 409, 409, 400]);
  assert.deepEqual(await since(t0), []);
});

test('the audit trail cannot be written, changed or deleted through the API or pages', async () => {
  const t0 = await trail();
  const id = t0[0].id;
  for (const r of [
    await srv.post('/api/v1/audit', { actor: 'me' }),
    await srv.patch(`/api/v1/audit/${id}`, { actor: 'me' }),
    await srv.del(`/api/v1/audit/${id}`),
  ]) {
    assert.equal(r.status, 405, r.text);
    assert.equal(r.json.error.code, 'method_not_allowed');
  }
  // A form with the admin's session and its CSRF token: refused all the same (the
  // pages answer 403 or 405 here, the API 405); a form without the token: 403.
  const admin = await srv.login();
  for (const p of ['/audit/new', `/audit/${id}/edit`, `/audit/${id}/delete`]) {
    const r = await admin.form(p, { actor: 'me', _version: '1' });
    assert.ok([403, 404, 405].includes(r.status), `${p} with the admin's session: ${r.status}`);
    const bare = await srv.request('POST', p, { headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'actor=me' });
    assert.equal(bare.status, 403, `${p} without a CSRF token: ${bare.status}`);
  }
  for (const p of ['/audit/new', `/audit/${id}/edit`]) {
    const r = await admin.get(p);
    assert.ok([403, 404, 405].includes(r.status), `GET ${p}: ${r.status}`);
  }
  const page = await admin.get(`/audit/${id}`);
  assert.equal(page.status, 200);
  assert.doesNotMatch(page.text, /\/delete"|\/edit"/, 'no edit or delete on an audit entry');
  assert.deepEqual(await trail(), t0);
});

test('suivi audit prints the trail in order, filtered by collection, user and date', async () => {
  const c = await srv.post('/api/v1/themes', { code: 'audit_cli', name: { en: 'Audit CLI' } });
  assert.equal(c.status, 201);
  const all = cli(['audit', '--db', srv.db, '--entity', 'themes']).stdout;
  const lines = all.split('\n').filter((l) => /^\d{4}-/.test(l));
  assert.ok(lines.length >= 13, all.slice(0, 300)); // 12 themes from init, then ours
  assert.match(lines.at(-1), /admin\s+create theme\/audit_cli$/);
  const mine = cli(['audit', '--db', srv.db, '--user', 'admin', '--entity', 'theme']).stdout;
  assert.match(mine, /create theme\/audit_cli/);
  assert.doesNotMatch(mine, /create theme\/maritime_security/);
  const future = cli(['audit', '--db', srv.db, '--since', '2999-01-01']).stdout;
  assert.equal(future, '');
  const bad = cli(['audit', '--db', srv.db, '--entity', 'nosuch'], { check: false });
  assert.equal(bad.status, 2);
});

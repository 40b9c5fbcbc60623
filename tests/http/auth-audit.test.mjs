// Audit completeness: every write this file makes — through the API with an API
// token and with a session cookie, through the pages' forms, by several people,
// and with the command line — leaves exactly one audit row naming the record, the
// change and who made it (the account's name; `cli:LOGIN` for the command line), in
// the order of the writes; refused writes (role, CSRF, validation, precondition,
// conflict) leave none.  The harness keeps every successful write a server answered
// (srv.writes), so the check covers every write of the file, not a chosen few.
// Both backends.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, cli, same } from './harness.mjs';
import { makeAccounts, registry, formOf, overlay } from './auth-common.mjs';

let srv = null;
let accounts;
let colls;
let top0 = 0; // the newest audit row before this file's writes
const cliOps = []; // {entity, action, what}: the command line's writes, in order
const LOGIN = 'auditor'; // $USER of the command line here

before(async () => {
  srv = await startServer();
  accounts = makeAccounts(srv);
  colls = await registry(srv);
  top0 = await newestAudit();
  srv.writes.length = 0; // from here on
});

after(async () => {
  if (srv) await srv.cleanup();
});

async function newestAudit() {
  const r = await srv.getJSON(`/api/v1/audit?sort=-id&limit=1&q=&q=${'&q='.repeat(Math.floor(Math.random() * 40))}`);
  return r.items.length ? r.items[0].id : 0;
}

function ok(r, status, what) {
  assert.equal(r.status, status, `${what}: ${r.status} ${r.text.slice(0, 300)}`);
  return r;
}

test('writes through the API with API tokens (admin, officer)', async () => {
  for (const who of ['admin', 'officer']) {
    const auth = accounts[who].token;
    const o = ok(await srv.post('/api/v1/organisations', { name: { en: `Org of ${who}` }, acronym: 'OA' }, { auth }), 201, 'create');
    ok(await srv.patch(`/api/v1/organisations/${o.json.id}`, { acronym: 'OB' }, { auth, headers: { 'If-Match': `"${o.json.version}"` } }), 200, 'patch');
    const p = ok(await srv.post('/api/v1/persons', { name: `Person of ${who}`, organisation: o.json.id, email: `${who}@example.org`, phone: '+1 555' }, { auth }), 201, 'person');
    const m = ok(await srv.post('/api/v1/meetings', { kind: 'forum', title: { en: `Forum of ${who}` }, start_date: '2026-04-04', cochairs: [p.json.id], delegations: [o.json.id] }, { auth }), 201, 'meeting');
    ok(await srv.patch(`/api/v1/meetings/${m.json.id}`, { cochairs: [], delegations: [1] }, { auth }), 200, 'meeting links');
    ok(await srv.del(`/api/v1/meetings/${m.json.id}`, { auth }), 204, 'delete meeting');
    ok(await srv.del(`/api/v1/persons/${p.json.id}`, { auth }), 204, 'delete person');
    ok(await srv.del(`/api/v1/organisations/${o.json.id}`, { auth }), 204, 'delete organisation');
    ok(await srv.post('/api/v1/themes', { code: `audit_${who}`, name: { en: 'Audited' } }, { auth }), 201, 'theme');
    // (each writer's own value: a write that changes nothing leaves no row, issue 13)
    ok(await srv.patch(`/api/v1/countries/SN`, { m49_region: `Western Africa (${who})` }, { auth }), 200, 'country');
    // A progress update with a percent also changes its action: two rows.
    ok(await srv.post('/api/v1/action_updates', { action: 2, date: '2026-04-05', note: { en: `by ${who}` }, percent: who === 'admin' ? 35 : 40 }, { auth }), 201, 'update');
  }
});

test('writes through the API with session cookies (X-CSRF-Token)', async () => {
  const s = await srv.login(accounts.officer.name, accounts.officer.password);
  const a = ok(await s.post('/api/v1/actions', { outcome: 1, title: { en: 'Session action' } }), 201, 'create');
  ok(await s.patch(`/api/v1/actions/${a.json.id}`, { status: 'in_progress' }), 200, 'patch');
  ok(await s.del(`/api/v1/actions/${a.json.id}`), 204, 'delete');
  const admin = await srv.login();
  ok(await admin.post('/api/v1/outcomes', { meeting: 1, kind: 'decision', text: { en: 'Session outcome' }, themes: ['maritime_security'] }), 201, 'outcome');
});

test('writes through the pages\' forms', async () => {
  for (const who of ['officer', 'admin']) {
    const s = await srv.login(accounts[who].name, accounts[who].password);
    const blank = await s.get('/organisations/new');
    const made = ok(await s.form('/organisations/new', overlay(formOf(blank.text, '/organisations/new'), [['name.en', `Form org of ${who}`]])), 303, 'form new');
    const id = /^\/organisations\/(\d+)\?saved=1$/.exec(made.headers.get('location'))[1];
    const edit = await s.get(`/organisations/${id}/edit`);
    ok(await s.form(`/organisations/${id}/edit`, overlay(formOf(edit.text, `/organisations/${id}/edit`), [['acronym', 'FORM']])), 303, 'form edit');
    const v = (await srv.getJSON(`/api/v1/organisations/${id}`)).version;
    ok(await s.form(`/organisations/${id}/delete`, { _version: String(v) }), 303, 'form delete');
    const t = await s.get('/themes/new');
    ok(await s.form('/themes/new', overlay(formOf(t.text, '/themes/new'), [['code', `form_${who}`], ['name.fr', 'Par formulaire']])), 303, 'theme form');
    const a = await s.get('/actions/3/edit');
    const status = (await srv.getJSON('/api/v1/actions/3')).status === 'done' ? 'dropped' : 'done';
    ok(await s.form('/actions/3/edit', overlay(formOf(a.text, '/actions/3/edit'), [['status', status]])), 303, 'action form');
  }
});

test('a password change through /account is audited, without the password', async () => {
  srv.addUser('changer', 'donor', { password: 'changer-password-0' });
  const s = await srv.login('changer', 'changer-password-0');
  ok(await s.form('/account', { current: 'changer-password-0', new: 'changer-password-1', again: 'changer-password-1' }), 303, 'password');
});

test('the command line\'s writes are audited as cli:LOGIN', () => {
  const env = { USER: LOGIN, SUIVI_PASSWORD: 'cli-made-password' };
  const run = (args, entity, action) => {
    const r = cli([...args, '--db', srv.db], { env });
    assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
    cliOps.push({ entity, action, what: args.join(' '), login: LOGIN });
    return r;
  };
  run(['user', 'add', 'clifocal', '--role', 'focal', '--country', 'SN'], 'account', 'create');
  const t = run(['token', 'add', 'clifocal'], 'api_token', 'create');
  const id = /token (\d+) for/.exec(t.stderr)[1];
  run(['token', 'revoke', id], 'api_token', 'delete');
  run(['user', 'passwd', 'clifocal'], 'account', 'update');
  run(['user', 'disable', 'clifocal'], 'account', 'update');
});

test('refused writes leave no row', async () => {
  const before = srv.writes.length;
  const top = await newestAudit();
  const donor = await srv.login(accounts.donor.name, accounts.donor.password);
  const officer = await srv.login(accounts.officer.name, accounts.officer.password);
  const tries = [
    srv.post('/api/v1/actions', { outcome: 1, title: { en: 'x' } }, { auth: accounts.donor.token }), // 403 role
    srv.patch('/api/v1/actions/1', { percent: 1 }, { auth: accounts.focal.token }), // 403 role
    donor.del('/api/v1/action_updates/1'), // 403 role
    donor.form('/actions/new', { outcome: '1', 'title.en': 'x', status: 'planned', percent: '0' }), // 403 role
    officer.patch('/api/v1/actions/1', { percent: 2 }, { csrf: false }), // 403 CSRF
    officer.form('/actions/1/delete', { _version: '1' }, { csrf: false }), // 403 CSRF
    srv.post('/api/v1/actions', { outcome: 1 }), // 422
    srv.patch('/api/v1/actions/1', { percent: 3 }, { headers: { 'If-Match': '"999"' } }), // 412
    srv.del('/api/v1/outcomes/1'), // 409
    srv.post('/api/v1/themes', { code: 'maritime_security', name: { en: 'dup' } }), // 409
    srv.post('/api/v1/audit', { actor: 'me' }), // 405
    srv.post('/api/v1/actions', { outcome: 1, title: { en: 'x' } }, { auth: false }), // 401
    officer.form('/account', { current: 'wrong-password', new: 'whatever-password', again: 'whatever-password' }), // 403
  ];
  const statuses = [];
  for (const t of tries) statuses.push((await t).status);
  assert.deepEqual(statuses, [403, 403, 403, 403, 403, 403, 422, 412, 409, 409, 405, 401, 403]);
  assert.equal(srv.writes.length, before, 'none of them counted as a write');
  assert.equal(await newestAudit(), top, 'no audit row');
});

/** The audit rows a write should have left: [{entity, action, record?}]. */
function rowsOf(w) {
  const byName = new Map(colls.map((c) => [c.name, c]));
  let m = /^\/api\/v1\/([a-z_]+)(?:\/([^/?]+))?(?:\?.*)?$/.exec(w.path);
  let c, action, record;
  if (m) {
    c = byName.get(m[1]);
    action = { POST: 'create', PATCH: 'update', DELETE: 'delete' }[w.method];
    record = m[2] ? decodeURIComponent(m[2]) : String(w.json[c.key]);
  } else if (w.path === '/account') {
    return [{ entity: 'account', action: 'update' }];
  } else {
    m = /^\/([a-z_]+)\/([^/?]+)(?:\/(edit|delete))?$/.exec(w.path);
    assert.ok(m, `a write to a page I know: ${w.method} ${w.path}`);
    c = byName.get(m[1]);
    if (m[2] === 'new') {
      action = 'create';
      record = decodeURIComponent(/^\/[a-z_]+\/([^/?]+)\?saved=1$/.exec(w.location)[1]);
    } else {
      action = m[3] === 'delete' ? 'delete' : 'update';
      record = decodeURIComponent(m[2]);
    }
  }
  assert.ok(c, `a collection for ${w.path}`);
  const rows = [{ entity: c.entity, action, record }];
  // A progress update given a percent writes it to its action too (same transaction).
  if (c.name === 'action_updates' && action !== 'delete' && w.json && w.json.percent !== null && w.json.percent !== undefined) {
    rows.push({ entity: 'action', action: 'update', record: String(w.json.action) });
  }
  return rows;
}

test('every write of this file left exactly one matching audit row, by its author, in order', async () => {
  const rows = await srv.all('audit', `q=&q=&q=${'&q='.repeat(Math.floor(Math.random() * 40))}&sort=id`);
  const mine = rows.filter((r) => r.id > top0);
  assert.ok(srv.writes.length >= 35, `the writes of this file were kept: ${srv.writes.length}`);
  const want = [];
  for (const w of srv.writes) {
    assert.ok(w.actor, `who made ${w.method} ${w.path} is known`);
    for (const r of rowsOf(w)) want.push({ ...r, actor: w.actor, what: `${w.method} ${w.path}` });
  }
  // The command line's rows, and the harness's (the accounts of before()) are
  // accounted for separately: they are not HTTP writes.
  const http = mine.filter((r) => !r.actor.startsWith('cli:'));
  const byCli = mine.filter((r) => r.actor.startsWith('cli:'));
  const got = http.map((r) => ({ entity: r.entity, action: r.action, record: r.record, actor: r.actor }));
  const exp = want.map(({ what, ...r }) => (r.record === undefined ? { ...r, record: got.find((g) => g.entity === r.entity && g.action === r.action && g.actor === r.actor)?.record } : r));
  same(got, exp, 'the audit rows of the HTTP writes, in order');
  // Each row holds the record as the API answered it (after) — private fields too.
  for (const w of srv.writes.filter((x) => x.path.startsWith('/api/') && x.method !== 'DELETE')) {
    const [first] = rowsOf(w);
    const row = http.find((r) => r.entity === first.entity && r.record === first.record && r.action === first.action &&
      JSON.stringify(JSON.parse(r.after)) === JSON.stringify(w.json));
    assert.ok(row, `a row whose "after" is the answer of ${w.method} ${w.path}`);
  }
  // No password hash in any row about an account.
  for (const r of mine.filter((x) => x.entity === 'account')) {
    assert.doesNotMatch(`${r.before} ${r.after}`, /argon2|password/i, `no password in audit row ${r.id}`);
  }
  // The command line: one row per command, by cli:LOGIN, in order.
  const cliRows = byCli.map((r) => ({ entity: r.entity, action: r.action, actor: r.actor }));
  same(cliRows.filter((r) => r.actor === `cli:${LOGIN}`), cliOps.filter((o) => o.login).map((o) => ({ entity: o.entity, action: o.action, actor: `cli:${LOGIN}` })),
    'the command line\'s rows');
  // Each test's own accounts (addUser/addToken with the test runner's login) are all
  // there is besides.
  for (const r of byCli.filter((x) => x.actor !== `cli:${LOGIN}`)) {
    assert.ok(['account', 'api_token'].includes(r.entity) && r.action === 'create', `a harness row: ${JSON.stringify(r).slice(0, 200)}`);
  }
});

test('server stops cleanly', () => srv.stop());

// Webhooks (issue 17, item 5): an administrator registers an address and its events;
// each write queues its event in its own transaction (a write refused queues nothing);
// `suivi notify run` posts them from the same outbox as the e-mail, signed with the
// webhook's secret (HMAC-SHA256 of "TIME.BODY"), which a receiver started here checks;
// a receiver that fails is tried again; the deliveries are shown to administrators; a
// webhook removed receives nothing more.  Both backends.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import crypto from 'node:crypto';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { startServer, dbSql, tempDir, sanitizerEnv, assertNoSanitizer, BIN, USER_PASSWORD } from './harness.mjs';

const NOW = Date.UTC(2026, 11, 10, 9) / 1000;
let srv, receiver, got = [], answer = 200, keyFile, work;

before(async () => {
  receiver = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      got.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(answer, { 'Content-Type': 'text/plain' });
      res.end('thanks');
    });
  });
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
  work = tempDir();
  keyFile = path.join(work, 'suivi.key');
  srv = await startServer({ env: { SUIVI_KEY_FILE: keyFile } });
});
after(async () => {
  await srv?.stop();
  await new Promise((r) => receiver?.close(r));
});

const hookUrl = () => `http://127.0.0.1:${receiver.address().port}/hooks/suivi`;

/** `suivi notify run` without blocking this process (the receiver runs in it). */
function run(now) {
  const args = ['notify', 'run', '--smtp', 'smtp://127.0.0.1:9', '--mail-from', 'suivi@office.example',
    '--public-url', 'https://suivi.office.example', '--db', srv.db];
  return new Promise((resolve, reject) => {
    const p = spawn(BIN, args, { env: sanitizerEnv({ SUIVI_KEY_FILE: keyFile, SUIVI_NOTIFY_NOW: String(now) }), cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    p.stdout.on('data', (d) => { stdout += d; });
    p.stderr.on('data', (d) => { stderr += d; });
    p.on('error', reject);
    p.on('exit', (status) => {
      assertNoSanitizer(stderr, 'suivi notify run');
      assert.equal(status, 0, stderr);
      resolve(stdout);
    });
  });
}

function verify(d, secret) {
  const m = /^t=(\d+),sha256=([0-9a-f]{64})$/.exec(d.headers['x-suivi-signature']);
  assert.ok(m, d.headers['x-suivi-signature']);
  const want = crypto.createHmac('sha256', secret).update(`${m[1]}.${d.body}`).digest('hex');
  return crypto.timingSafeEqual(Buffer.from(want), Buffer.from(m[2]));
}

let secret, admin;

test('an administrator registers a webhook and sees its secret once; officers may not; bad addresses and events are refused', async () => {
  admin = await srv.login();
  // the e-mail is not this file's: the demo's reminders off
  assert.equal((await admin.form('/notifications/settings', { due_days: '7', max_tries: '8' })).status, 303);
  const en = { headers: { 'Accept-Language': 'en' } };
  let r = await admin.form('/notifications/webhooks', { url: 'ftp://example.org/x', events: 'actions.created' }, en);
  assert.equal(r.status, 422);
  assert.match(r.text, /http:\/\/ or https:\/\//);
  r = await admin.form('/notifications/webhooks', { url: hookUrl(), events: 'actions.exploded' }, en);
  assert.equal(r.status, 422);
  r = await admin.form('/notifications/webhooks', { url: hookUrl(), events: 'audits.created' });
  assert.equal(r.status, 422, 'the audit trail is no event');
  srv.addUser('hook-officer', 'officer');
  const officer = await srv.login('hook-officer', USER_PASSWORD);
  assert.equal((await officer.form('/notifications/webhooks', { url: hookUrl(), events: 'actions.created' })).status, 403);

  r = await admin.form('/notifications/webhooks', { url: hookUrl(), events: 'actions.created, actions.updated registrations.created action.late' });
  assert.equal(r.status, 201, r.text.slice(0, 300));
  secret = /<code class="one-time" dir="ltr">([A-Za-z0-9_-]{43})<\/code>/.exec(r.text)[1];
  const page = await admin.get('/notifications', en);
  assert.ok(page.text.includes(hookUrl()));
  assert.match(page.text, /actions\.created actions\.updated registrations\.created action\.late/);
  assert.ok(!page.text.includes(secret), 'the secret is shown once only');
  const sealed = await dbSql(srv.db, 'SELECT secret FROM webhook');
  assert.ok(!sealed.includes(secret), 'kept sealed');
  assert.match(await dbSql(srv.db, `SELECT action FROM audit WHERE entity = 'webhook'`), /create/);
});

test('a write queues its event in its own transaction; the receiver gets it signed, naming the record and no more', async () => {
  let r = await srv.post('/api/v1/actions', { outcome: 1, title: { en: 'A webhook test action' }, due_date: '2027-06-30' });
  assert.equal(r.status, 201, r.text);
  const id = r.json.id;
  r = await srv.patch(`/api/v1/actions/${id}`, { percent: 10 });
  assert.ok(r.status === 200, r.text);
  // not subscribed: nothing
  assert.equal((await srv.post('/api/v1/persons', { name: 'Nobody Hooked' })).status, 201);
  // refused (the same registration twice): nothing queued for the second
  assert.equal((await srv.post('/api/v1/registrations', { meeting: 2, person: 3, role: 'delegate', country: 'MA' })).status >= 400, true);
  assert.equal(await dbSql(srv.db, `SELECT COUNT(*) FROM outbox WHERE kind = 'webhook'`), '2');

  got = [];
  const out = await run(NOW);
  assert.match(out, /messages sent/);
  const mine = got.filter((d) => JSON.parse(d.body).collection === 'actions' && JSON.parse(d.body).id === String(id));
  assert.deepEqual(mine.map((d) => d.headers['x-suivi-event']), ['actions.created', 'actions.updated']);
  for (const d of mine) {
    assert.equal(d.method, 'POST');
    assert.equal(d.url, '/hooks/suivi');
    assert.equal(d.headers['content-type'], 'application/json');
    assert.ok(verify(d, secret), 'the signature checks with the secret');
    assert.ok(!verify(d, secret.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))), 'and not with another');
    const body = JSON.parse(d.body);
    assert.deepEqual(Object.keys(body).sort(), ['at', 'collection', 'delivery', 'event', 'id']);
    assert.equal(String(body.delivery), d.headers['x-suivi-delivery']);
    assert.ok(!d.body.includes('webhook test action'), 'the record\'s content is not in the body');
  }
  // the demo's late actions, once each
  const late = got.filter((d) => d.headers['x-suivi-event'] === 'action.late');
  assert.equal(late.length, 4);
  assert.deepEqual(late.map((d) => JSON.parse(d.body).id).sort(), ['11', '5', '6', '8']);
  got = [];
  await run(NOW + 86400);
  assert.equal(got.length, 0, 'nothing twice');
});

test('a receiver that fails is tried again; the deliveries are on the administrators\' page', async () => {
  answer = 500;
  got = [];
  const r = await srv.post('/api/v1/actions', { outcome: 1, title: { en: 'Another' } });
  assert.equal(r.status, 201);
  try {
    assert.match(await run(NOW + 2 * 86400), /1 to try again/);
    assert.equal(got.length, 1);
  } finally {
    answer = 200;
  }
  const page = await admin.get('/notifications', { headers: { 'Accept-Language': 'en' } });
  assert.match(page.text, /the receiver answered HTTP 500/);
  assert.match(await run(NOW + 2 * 86400 + 600), /1 messages sent/);
  assert.equal(got.length, 2);
  assert.equal(got[0].headers['x-suivi-delivery'], got[1].headers['x-suivi-delivery'], 'the same delivery');
  assert.ok(verify(got[1], secret));
});

test('an import queues each record\'s created event, in its transaction; an import refused queues none', async () => {
  const r = await admin.form('/notifications/webhooks', { url: hookUrl(), events: 'participants.created' });
  assert.equal(r.status, 201, r.text.slice(0, 300));
  const importSecret = /<code class="one-time" dir="ltr">([A-Za-z0-9_-]{43})<\/code>/.exec(r.text)[1];
  const csv = (rows) => srv.request('POST', '/api/v1/participants/import',
    { body: ['family_name,given_names,country,sex,agency', ...rows].join('\n') + '\n', headers: { 'Content-Type': 'text/csv' } });
  // refused (an unknown country on the second row): nothing written, nothing queued
  const before = await dbSql(srv.db, `SELECT COUNT(*) FROM outbox WHERE kind = 'webhook'`);
  assert.equal((await csv(['Hooked,One,SN,male,police', 'Hooked,Two,XX,female,police'])).status, 422);
  assert.equal(await dbSql(srv.db, `SELECT COUNT(*) FROM outbox WHERE kind = 'webhook'`), before);
  const ok = await csv(['Hooked,One,SN,male,police', 'Hooked,Two,GH,female,police', 'Hooked,Three,CI,male,customs']);
  assert.equal(ok.status, 200, ok.text.slice(0, 300));
  const ids = (await dbSql(srv.db, `SELECT id FROM participant WHERE family_name = 'Hooked' ORDER BY id`)).trim().split('\n');
  assert.equal(ids.length, 3);
  got = [];
  await run(NOW + 5 * 86400);
  const mine = got.filter((d) => d.headers['x-suivi-event'] === 'participants.created');
  assert.deepEqual(mine.map((d) => JSON.parse(d.body).id), ids, 'one event per record, in order');
  for (const d of mine) {
    assert.ok(verify(d, importSecret));
    assert.deepEqual(Object.keys(JSON.parse(d.body)).sort(), ['at', 'collection', 'delivery', 'event', 'id']);
    assert.ok(!d.body.includes('Hooked'), 'no personal data in the body');
  }
});

test('a webhook removed receives nothing more, not even what waited', async () => {
  answer = 503;
  got = [];
  assert.equal((await srv.post('/api/v1/actions', { outcome: 1, title: { en: 'Waits' } })).status, 201);
  try {
    await run(NOW + 3 * 86400);
  } finally {
    answer = 200;
  }
  const page = await admin.get('/notifications');
  const id = /action="\/notifications\/webhooks\/(\d+)\/delete"/.exec(page.text)[1];
  assert.equal((await admin.form(`/notifications/webhooks/${id}/delete`, {})).status, 303);
  assert.equal((await admin.form(`/notifications/webhooks/${id}/delete`, {})).status, 404);
  assert.equal((await srv.post('/api/v1/actions', { outcome: 1, title: { en: 'After' } })).status, 201);
  got = [];
  await run(NOW + 4 * 86400);
  assert.equal(got.length, 0);
  assert.match(await dbSql(srv.db, `SELECT last_error FROM outbox WHERE kind = 'webhook' AND given_up_at IS NOT NULL`), /the webhook was removed/);
  assert.match(await dbSql(srv.db, `SELECT action FROM audit WHERE entity = 'webhook' ORDER BY id`), /delete/);
});

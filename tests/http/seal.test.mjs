// Sealed editions (issue 18, item 3): staff seal a strategic dialogue edition when it
// closes — its outcomes, actions and their status that day, as canonical JSON with its
// SHA-256 and an Ed25519 signature by the installation's key; the seal is published on
// the edition's page with the public key; the next edition's review shows where each
// action stood at the seal; `suivi seal verify FILE KEY` checks it offline and refuses a
// tampered one.  Both backends.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import crypto from 'node:crypto';
import path from 'node:path';
import { startServer, cli, tempDir, dbSql, USER_PASSWORD } from './harness.mjs';

let srv, work;
before(async () => { srv = await startServer(); work = tempDir(); });
after(async () => { await srv?.stop(); });

const en = { headers: { 'Accept-Language': 'en' } };
let file, key, keyHex;

test('staff seal the demo\'s first edition once; others may not; only a strategic dialogue is sealed', async () => {
  srv.addUser('seal-focal', 'focal', { country: 'SN' });
  const focal = await srv.login('seal-focal', USER_PASSWORD);
  assert.equal((await focal.form('/meetings/1/seal', {})).status, 403);
  srv.addUser('seal-donor', 'donor', { organisation: 4 });
  assert.equal((await (await srv.login('seal-donor', USER_PASSWORD)).form('/meetings/1/seal', {})).status, 403);
  const admin = await srv.login();
  let page = await admin.get('/meetings/1', en);
  assert.match(page.text, /<section id="seal"/);
  assert.match(page.text, /action="\/meetings\/1\/seal"/, 'staff see the button');
  assert.doesNotMatch((await focal.get('/meetings/1', en)).text, /id="seal"/, 'nothing to see before the seal');
  // a conference is no edition of the dialogue
  const conf = await admin.form('/meetings/2/seal', {}, en);
  assert.equal(conf.status, 422);
  assert.match(conf.text, /Only an edition of the strategic dialogue is sealed/);
  srv.addUser('seal-officer', 'officer');
  const officer = await srv.login('seal-officer', USER_PASSWORD);
  const r = await officer.form('/meetings/1/seal', {});
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/meetings/1#seal');
  const again = await admin.form('/meetings/1/seal', {}, en);
  assert.equal(again.status, 409);
  assert.match(again.text, /sealed already/);
  assert.equal((await srv.post('/api/v1/meetings/1/seal', {})).status, 409, 'the API says the same');
  assert.match(await dbSql(srv.db, `SELECT actor || '|' || action FROM audit WHERE entity = 'seal' AND record = '1'`), /^seal-officer\|create$/);

  page = await focal.get('/meetings/1', en);
  assert.match(page.text, /Sealed on/);
  assert.match(page.text, /href="\/meetings\/1\/seal\.json"/);
  const dl = await focal.get('/meetings/1/seal.json');
  assert.equal(dl.status, 200);
  assert.match(dl.headers.get('content-disposition'), /attachment; filename="seal-1\.json"/);
  file = dl.text;
  assert.equal((await srv.get('/api/v1/meetings/1/seal')).text, file, 'the API gives the same file');
  const none = await srv.get('/api/v1/meetings/2/seal');
  assert.equal(none.status, 200);
  assert.deepEqual(none.json, { meeting: 2, sealed: false });
  // its key is the installation's published one
  const published = (await srv.visitor().get('/.well-known/suivi-certificate-key')).text;
  key = /^ed25519-base64url (\S+)$/m.exec(published)[1];
  keyHex = /^ed25519-hex ([0-9a-f]{64})$/m.exec(published)[1];
  assert.equal(JSON.parse(file).public_key, key);
  assert.ok(page.text.includes(key));
  assert.ok(page.text.includes(`suivi seal verify seal-1.json ${keyHex}`), 'the command, with the key in hex');
});

test('the seal holds the edition as it stood: canonical JSON, its SHA-256, an Ed25519 signature', async () => {
  const f = JSON.parse(file);
  assert.equal(f.format, 'suivi-seal-1');
  assert.equal(f.meeting, 1);
  assert.equal(crypto.createHash('sha256').update(f.snapshot).digest('hex'), f.sha256);
  const snap = JSON.parse(f.snapshot);
  assert.equal(f.snapshot, canonical(snap), 'sorted keys, no spaces');
  assert.equal(snap.meeting.kind, 'strategic_dialogue');
  assert.equal(snap.sealed_at, f.sealed_at);
  const actions = snap.outcomes.flatMap((o) => o.actions);
  const api = (await srv.getJSON('/api/v1/actions?limit=500')).items;
  const outcomes = new Set((await srv.getJSON('/api/v1/outcomes?meeting=1&limit=500')).items.map((o) => o.id));
  const mine = api.filter((a) => outcomes.has(a.outcome));
  assert.equal(actions.length, mine.length, 'every action of the edition');
  for (const a of mine) {
    const s = actions.find((x) => x.id === a.id);
    assert.equal(s.status, a.status);
    assert.equal(s.percent, a.percent);
  }
  // the signature, checked here with Node's own Ed25519
  const pub = crypto.createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(f.public_key, 'base64url')]), format: 'der', type: 'spki' });
  assert.ok(crypto.verify(null, Buffer.from(`suivi seal 1\n${f.snapshot}`), pub, Buffer.from(f.signature, 'base64url')));
});

/** JSON with sorted keys and no spaces (what the seal's snapshot is). */
function canonical(v) {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

test('suivi seal verify: valid with the published key; refused when the snapshot, the hash or the key is not the seal\'s', async () => {
  const write = (name, text) => { const p = path.join(work, name); writeFileSync(p, text); return p; };
  const good = write('seal-1.json', file);
  // the key in hex (base64url may begin with '-', which the command line takes for an option)
  let r = cli(['seal', 'verify', good, keyHex]);
  assert.equal(r.status, 0, r.stderr);
  if (!key.startsWith('-')) assert.equal(cli(['seal', 'verify', good, key]).status, 0, 'or in base64url');
  assert.match(r.stdout, /is a valid seal of meeting 1, sealed at \d{4}-\d\d-\d\dT[\d:]+Z: \d+ outcomes, \d+ follow-up actions/);
  assert.match(r.stdout, new RegExp(`SHA-256 of the snapshot: ${JSON.parse(file).sha256}`));
  r = cli(['seal', 'verify', good]);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /compare it with the installation's/);
  const f = JSON.parse(file);
  // a status rewritten in the snapshot
  const changed = { ...f, snapshot: f.snapshot.replace('"status":"done"', '"status":"planned"') };
  assert.notEqual(changed.snapshot, f.snapshot);
  r = cli(['seal', 'verify', write('changed.json', JSON.stringify(changed))]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /not a valid seal: the snapshot was changed/);
  // ... with its hash recomputed: the signature gives it away
  changed.sha256 = crypto.createHash('sha256').update(changed.snapshot).digest('hex');
  r = cli(['seal', 'verify', write('rehashed.json', JSON.stringify(changed))]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /the signature does not verify/);
  // ... and signed again with a key of one's own: not the installation's
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ed25519');
  changed.signature = crypto.sign(null, Buffer.from(`suivi seal 1\n${changed.snapshot}`), privateKey).toString('base64url');
  changed.public_key = publicKey.export({ format: 'der', type: 'spki' }).subarray(12).toString('base64url');
  const forged = write('forged.json', JSON.stringify(changed));
  assert.equal(cli(['seal', 'verify', forged]).status, 0, 'whole and signed by the key it names');
  r = cli(['seal', 'verify', forged, keyHex]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /signed with another key than the one given/);
  // not a seal at all
  for (const [name, text] of [['empty.json', ''], ['array.json', '[]'], ['other.json', '{"format":"x"}'], ['short.json', JSON.stringify({ ...f, signature: 'AAAA' })],
    ['nul.json', JSON.stringify({ ...f, snapshot: `${f.snapshot}\u0000{"more":1}` })]]) {
    r = cli(['seal', 'verify', write(name, text)]);
    assert.equal(r.status, 1, name);
    assert.match(r.stderr, /is not a valid seal: /, name);
  }
  r = cli(['seal', 'verify', path.join(work, 'missing.json')]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /cannot read/);
  assert.equal(cli(['seal', 'check', good]).status, 2);
});

test('the next edition\'s review shows where each open action stood at the seal', async () => {
  const admin = await srv.login();
  const next = await srv.post('/api/v1/meetings', { kind: 'strategic_dialogue', title: { en: 'Second edition (test)' }, start_date: '2027-09-26', previous: 1 });
  assert.equal(next.status, 201, next.text);
  // an action moves after the seal
  const f = JSON.parse(file);
  const open = JSON.parse(f.snapshot).outcomes.flatMap((o) => o.actions).find((a) => a.status === 'in_progress' || a.status === 'planned');
  assert.ok(open, 'an open action in the seal');
  assert.equal((await srv.patch(`/api/v1/actions/${open.id}`, { percent: Math.min(99, open.percent + 1) })).status, 200);
  const page = await admin.get(`/meetings/${next.json.id}`, en);
  assert.equal(page.status, 200);
  assert.match(page.text, /It was sealed on/);
  const item = page.text.slice(page.text.indexOf(`href="/actions/${open.id}"`));
  const at = /<p class="meta at-seal">At the seal of <time datetime="\d{4}-\d\d-\d\d">[^<]+<\/time>: <span class="tag tag-(\w+)">[^<]+<\/span> ([^<]*)/.exec(item);
  assert.ok(at, item.slice(0, 800));
  assert.equal(at[1], open.status);
  assert.match(at[2], new RegExp(`^${open.percent}\\s?%`));
});

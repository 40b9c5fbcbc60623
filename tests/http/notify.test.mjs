// Notifications (issue 17): the outbox written in the transaction of the change,
// `suivi notify run` and the server's sender delivering through a real SMTP relay on
// loopback (npm smtp-server, smtp-catcher.mjs): the reminders of the demo's actions to
// their owners' contact persons in each one's language, with their headers; each once,
// then weekly; the officers' digest; a registration's confirmation with its calendar
// invitation; a kill -9 between the commit and the sending; a relay that refuses, the
// tries, the administrators' page; the signed link that stops messages.  Both backends.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { startServer, Session, dbSql, demoDb, tempDir, cli, sanitizerEnv, assertNoSanitizer, BIN, USER_PASSWORD } from './harness.mjs';
import { startSmtp, smtpServerInstalled, parseCalendar } from './smtp-catcher.mjs';

const FROM = 'suivi@office.example';
const PUBLIC = 'https://suivi.office.example';
// 10 December 2026, 09:00 UTC: the demo's action 3 (due 15 December) is due in 5
// days; actions 5, 6, 8 and 11 are late
const NOW = Date.UTC(2026, 11, 10, 9) / 1000;
const WEEK = 7 * 86400;

let smtp, srv, keyFile, work;

before(async () => {
  assert.ok(smtpServerInstalled(), 'run tests/browser/setup (npm packages)');
  smtp = await startSmtp();
  // one key for the server and `suivi notify` (with PostgreSQL there is no DB.key
  // beside the database: every process of an installation names the same file)
  work = tempDir();
  keyFile = path.join(work, 'suivi.key');
  srv = await startServer({ env: { SUIVI_KEY_FILE: keyFile } });
});
after(async () => {
  await srv?.stop();
  await smtp?.stop();
});

/** `suivi notify ARGS` without blocking this process (the relay runs in it). */
function notify(args, { env = {} } = {}) {
  return new Promise((resolve, reject) => {
    const p = spawn(BIN, ['notify', ...args], {
      env: sanitizerEnv({ SUIVI_KEY_FILE: keyFile, ...env }), cwd: work, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '', stderr = '';
    p.stdout.on('data', (d) => { stdout += d; });
    p.stderr.on('data', (d) => { stderr += d; });
    p.on('error', reject);
    p.on('exit', (status) => {
      assertNoSanitizer(stderr, `suivi notify ${args.join(' ')}`);
      resolve({ status, stdout, stderr });
    });
  });
}

function run(db, now, relay = smtp.url, extra = []) {
  return notify(['run', '--smtp', relay, '--mail-from', FROM, '--public-url', PUBLIC, '--db', db, ...extra],
    { env: { SUIVI_NOTIFY_NOW: String(now) } });
}

async function runOk(db, now, relay) {
  const r = await run(db, now, relay);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

const to = (addr) => (m) => m.envelope.to.includes(addr);

test('notify run sends the demo\'s reminders to each owner\'s contact person, in their language, with their headers; once', async () => {
  const out = await runOk(srv.db, NOW);
  assert.match(out, /5 reminders and digests queued; 5 messages sent, 0 to try again, 0 given up/);
  assert.equal(smtp.messages.length, 5);

  // French: the action due in five days, to the ministry's contact
  const fr = smtp.messages.filter(to('suivi.maec@example.org'));
  assert.equal(fr.length, 1);
  const m = fr[0];
  assert.match(m.subject, /^Rappel/);
  assert.match(m.subject, /15 décembre 2026/);
  assert.equal(m.headers['content-language'], 'fr');
  assert.match(m.headers.date, /^[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d \+0000$/);
  assert.match(m.headers['message-id'], /^<suivi\.\d+\.\d+@office\.example>$/);
  assert.equal(m.headers.from, '"suivi" <suivi@office.example>');
  assert.equal(m.headers['auto-submitted'], 'auto-generated');
  assert.match(m.headers['list-unsubscribe'], /^<https:\/\/suivi\.office\.example\/notifications\/stop\?address=suivi\.maec%40example\.org&sig=[A-Za-z0-9_-]{43}>$/);
  assert.equal(m.headers['list-unsubscribe-post'], 'List-Unsubscribe=One-Click');
  assert.deepEqual(m.types.map((t) => t.split(';')[0]), ['text/plain', 'text/html']);
  assert.match(m.text, /Contact Exemple Quatre/);
  assert.match(m.text, /https:\/\/suivi\.office\.example\/actions\/3\n/);
  assert.match(m.html, /<html lang="fr" dir="ltr">/);
  assert.match(m.html, /<a href="https:\/\/suivi\.office\.example\/actions\/3">/);
  assert.equal(m.envelope.from, FROM);
  // no one else's personal data: the other contacts' names and addresses are not in it
  assert.doesNotMatch(m.text + m.html, /followup\.unoct|programme\.office|Contact Example Five|Contact Exemple Six/);

  // English and Arabic: the late actions, to UNOCT's and the Programme Office's contacts
  const en = smtp.messages.filter(to('followup.unoct@example.org'));
  assert.equal(en.length, 2);
  for (const x of en) {
    assert.match(x.subject, /^Late: /);
    assert.equal(x.headers['content-language'], 'en');
    assert.match(x.text, /^Hello Contact Example Five,/);
  }
  const ar = smtp.messages.filter(to('programme.office@example.org'));
  assert.equal(ar.length, 2);
  for (const x of ar) {
    assert.equal(x.headers['content-language'], 'ar');
    assert.match(x.html, /<html lang="ar" dir="rtl">/);
    assert.match(x.subject, /[\u0600-\u06FF]/, 'an Arabic subject');
  }

  // once: a second run the same day sends nothing
  assert.match(await runOk(srv.db, NOW + 3600), /0 reminders and digests queued; 0 messages sent/);
  assert.equal(smtp.messages.length, 5);
});

test('a week later: the late actions again, and the one that fell due since', async () => {
  const before = smtp.messages.length;
  assert.match(await runOk(srv.db, NOW + WEEK), /5 reminders and digests queued; 5 messages sent/);
  const fresh = smtp.messages.slice(before);
  const fr = fresh.filter(to('suivi.maec@example.org'));
  assert.equal(fr.length, 1);
  assert.match(fr[0].subject, /^En retard/, 'action 3 is late now');
  assert.equal(fresh.filter(to('followup.unoct@example.org')).length, 2);
  // a day later: nothing more (the next is a week on)
  assert.match(await runOk(srv.db, NOW + WEEK + 86400), /0 reminders and digests queued; 0 messages sent/);
});

test('a reminder\'s progress link: its owner reports without an account; refused tampered, withdrawn or expired', async () => {
  const links = smtp.messages.filter(to('followup.unoct@example.org')).map((m) => {
    const u = /https:\/\/suivi\.office\.example(\/progress\/[A-Za-z0-9_-]{20,})\n/.exec(m.text);
    const a = /\/actions\/(\d+)\n/.exec(m.text);
    assert.ok(u && a, m.text);
    assert.ok(m.html.includes(`href="${PUBLIC}${u[1]}"`));
    return { path: u[1], action: Number(a[1]) };
  });
  assert.ok(links.length >= 2);
  const { path: link, action } = links[0];
  const visitor = new Session(srv, { cookies: { lang: 'en' } });
  const page = await visitor.get(link);
  assert.equal(page.status, 200);
  assert.match(page.text, /Progress of a follow-up action/);
  assert.match(page.text, /followup\.unoct@example\.org/);
  assert.match(page.text, /name="note"/);
  const form = { 'Content-Type': 'application/x-www-form-urlencoded' };
  const send = (fields, p = link) => visitor.request('POST', p, { body: new URLSearchParams(fields).toString(), headers: form });
  assert.equal((await send({ status: 'in_progress', percent: '150', note: 'x' })).status, 422);
  assert.equal((await send({ status: 'in_progress', percent: '50', note: '  ' })).status, 422);
  assert.equal((await send({ status: 'finished', percent: '50', note: 'x' })).status, 422);
  const was = (await srv.get(`/api/v1/actions/${action}`)).json;
  const ok = await send({ status: 'in_progress', percent: '60', note: 'Half of the plan is done.', note_lang: 'en' });
  assert.equal(ok.status, 200, ok.text.slice(0, 300));
  assert.match(ok.text, /Progress recorded/);
  assert.match(ok.text, /checks it before it counts/);
  // submitted for review (issue 18): the action moves once an officer approves the update
  let rec = (await srv.get(`/api/v1/actions/${action}`)).json;
  assert.deepEqual([rec.percent, rec.status], [was.percent, was.status], 'nothing counts before the review');
  const updates = (await srv.get(`/api/v1/action_updates?action=${action}`)).json.items;
  const sent = updates.find((u) => u.note.en === 'Half of the plan is done.' && u.percent === 60);
  assert.ok(sent, JSON.stringify(updates));
  assert.deepEqual([sent.review_state, sent.status, sent.submitted_by], ['submitted', 'in_progress', 'link:followup.unoct@example.org']);
  assert.equal((await srv.post(`/api/v1/action_updates/${sent.id}/approve`, {})).status, 200);
  rec = (await srv.get(`/api/v1/actions/${action}`)).json;
  assert.equal(rec.percent, 60);
  assert.equal(rec.status, 'in_progress');
  assert.match(await dbSql(srv.db, `SELECT DISTINCT actor FROM audit WHERE entity = 'action_update' AND actor LIKE 'link:%'`),
    /^link:followup\.unoct@example\.org$/);
  // with a document (the form is sent as multipart/form-data): attached to the action
  const multipart = (fields, file) => {
    const fd = new FormData();
    for (const [k, v] of Object.entries(fields)) fd.append(k, v);
    if (file) fd.append('file', new Blob([file.bytes], { type: file.type }), file.name);
    return fetch(srv.url(link), { method: 'POST', body: fd, headers: { Cookie: 'lang=en' } });
  };
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
  const refused = await multipart({ status: 'in_progress', percent: '70', note: 'With a text file', note_lang: 'en' },
    { bytes: Buffer.from('just text'), type: 'text/plain', name: 'notes.txt' });
  assert.equal(refused.status, 422);
  assert.match(await refused.text(), /not a PDF, an office document/);
  assert.equal((await srv.get(`/api/v1/actions/${action}`)).json.percent, 60, 'a refused file: nothing recorded');
  const withFile = await multipart({ status: 'in_progress', percent: '70', note: 'The minutes are attached.', note_lang: 'en' },
    { bytes: pdf, type: 'application/pdf', name: 'minutes-march.pdf' });
  assert.equal(withFile.status, 200, (await withFile.text()).slice(0, 300));
  assert.equal((await srv.get(`/api/v1/actions/${action}`)).json.percent, 60, 'waits for the review');
  const second = (await srv.get(`/api/v1/action_updates?action=${action}&review_state=submitted`)).json.items;
  assert.equal(second.length, 1);
  assert.equal((await srv.post(`/api/v1/action_updates/${second[0].id}/approve`, {})).status, 200);
  assert.equal((await srv.get(`/api/v1/actions/${action}`)).json.percent, 70);
  // one returned: the owner is told at the link's address, and the action does not move
  assert.equal((await send({ status: 'done', percent: '100', note: 'All done.', note_lang: 'en' })).status, 200);
  const third = (await srv.get(`/api/v1/action_updates?action=${action}&review_state=submitted`)).json.items[0];
  assert.equal(third.status, 'done');
  assert.equal((await srv.post(`/api/v1/action_updates/${third.id}/return`, { comment: 'Attach the final report.' })).status, 200);
  assert.equal((await srv.get(`/api/v1/actions/${action}`)).json.percent, 70);
  assert.match(await dbSql(srv.db, `SELECT recipient FROM outbox WHERE template = 'review_returned'`), /^followup\.unoct@example\.org$/);
  await runOk(srv.db, NOW); // (the reminders went at NOW: only the return is new)
  const back = await smtp.waitFor((m) => to('followup.unoct@example.org')(m) && /^Returned for correction/.test(m.subject));
  assert.match(back.text, /Attach the final report\./);
  assert.match(back.text, /Send a corrected report with the link of the reminder you received\./);
  const docs = (await srv.get(`/api/v1/documents?action=${action}`)).json.items;
  const doc = docs.find((d) => d.filename === 'minutes-march.pdf');
  assert.ok(doc, JSON.stringify(docs));
  assert.equal(doc.media_type, 'application/pdf');
  assert.match(doc.title.en, /^Document sent with the progress report of /);
  const content = await srv.get(`/api/v1/documents/${doc.id}/content`);
  assert.equal(content.status, 200);
  assert.match(await dbSql(srv.db, `SELECT actor FROM audit WHERE entity = 'document' AND record = '${doc.id}'`), /^link:followup\.unoct@example\.org/);
  // a link altered is no link
  const altered = link.slice(0, -1) + (link.endsWith('A') ? 'B' : 'A');
  assert.equal((await visitor.get(altered)).status, 404);
  assert.equal((await send({ status: 'done', percent: '100', note: 'x' }, altered)).status, 404);
  // withdrawn by an officer: gone
  srv.addUser('links-officer', 'officer');
  const officer = await srv.login('links-officer', USER_PASSWORD);
  const list = await officer.get('/progress-links', { headers: { 'Accept-Language': 'en' } });
  assert.equal(list.status, 200);
  assert.match(list.text, /followup\.unoct@example\.org/);
  // the first message's link is the action's first for that address
  const first = (a) => `SELECT id FROM progress_link WHERE action = ${a} AND email = 'followup.unoct@example.org' ORDER BY id LIMIT 1`;
  const id = await dbSql(srv.db, first(action));
  assert.ok(/^\d+$/.test(id), `the link's row (${id})`);
  assert.equal((await officer.form(`/progress-links/${id}/revoke`, {})).status, 303);
  assert.equal((await visitor.get(link)).status, 410);
  assert.equal((await send({ status: 'done', percent: '100', note: 'x' })).status, 410);
  assert.equal((await officer.form(`/progress-links/${id}/revoke`, {})).status, 404);
  assert.match(await dbSql(srv.db, `SELECT actor FROM audit WHERE entity = 'progress_link' AND record = '${id}'`), /links-officer/);
  // donors and focal points have no such page
  srv.addUser('links-donor', 'donor', { organisation: 4 });
  assert.equal((await (await srv.login('links-donor', USER_PASSWORD)).get('/progress-links')).status, 403);
  // expired: gone too
  const other = links.find((l) => l.action !== action);
  dbSql(srv.db, `UPDATE progress_link SET expires_at = 1 WHERE id = (${first(other.action)})`);
  assert.equal((await visitor.get(other.path)).status, 410);
});

test('an action done is reminded of no more', async () => {
  const r = await srv.patch('/api/v1/actions/11', { status: 'done', percent: 100 });
  assert.equal(r.status, 200, r.text);
  const before = smtp.messages.length;
  await runOk(srv.db, NOW + 2 * WEEK);
  const fresh = smtp.messages.slice(before);
  assert.ok(fresh.length > 0);
  assert.ok(!fresh.some((m) => /\/actions\/11\n/.test(m.text)), 'no reminder of action 11');
});

test('the officers\' weekly digest of late actions, to each officer with an address', async () => {
  srv.addUser('digest-officer', 'officer', { email: 'officer@office.example' });
  srv.addUser('digest-donor', 'donor', { email: 'donor@office.example', organisation: 4 });
  // the language one signs in with is that of one's messages
  srv.addUser('digest-officer-en', 'officer', { email: 'officer.en@office.example' });
  const signed = await new Session(srv, { cookies: { lang: 'en' } }).login('digest-officer-en', USER_PASSWORD);
  assert.equal(signed.status, 303);
  const before = smtp.messages.length;
  await runOk(srv.db, NOW + 3 * WEEK);
  const fresh = smtp.messages.slice(before);
  const d = fresh.filter(to('officer@office.example'));
  assert.equal(d.length, 1);
  assert.match(d[0].subject, /actions sont en retard/);
  const en = fresh.filter(to('officer.en@office.example'));
  assert.equal(en.length, 1);
  assert.match(en[0].subject, /^Follow-up: \d+ actions are late$/);
  assert.match(d[0].text, /https:\/\/suivi\.office\.example\/actions\?late=true/);
  assert.match(d[0].text, /\/actions\/5\n/);
  assert.ok(!fresh.some((m) => to('donor@office.example')(m) && /en retard/.test(m.subject)), 'donors get no officers\' digest');
  // once a week
  await runOk(srv.db, NOW + 3 * WEEK + 86400);
  assert.equal(smtp.messages.filter(to('officer@office.example')).length, 1);
});

test('monthly summaries: a focal point\'s of its country\'s news, a donor\'s of its programmes; once a month', async () => {
  srv.addUser('summary-focal', 'focal', { country: 'SN', email: 'focal.sn@ministry.example' });
  srv.addUser('summary-focal-quiet', 'focal', { country: 'KE', email: 'focal.ke@ministry.example' });
  srv.addUser('summary-donor', 'donor', { organisation: 4, email: 'donor.a@donor.example' });
  // a need assessed, and an open action that answers it
  const action = await srv.post('/api/v1/actions', { outcome: 1, title: { fr: 'Appui aux postes frontières (exemple)' }, status: 'planned', due_date: '2027-03-01' });
  assert.equal(action.status, 201, action.text);
  const need = await srv.post('/api/v1/needs', { country: 'SN', theme: 'border_security', assessed_on: '2026-12-01', severity: 4, source: 'self_assessment', description: { fr: 'Contrôle des frontières (exemple)' }, actions: [action.json.id] });
  assert.equal(need.status, 201, need.text);
  // a forum next month: Senegal's two programmes to rate there, one rated already
  const forum = await srv.post('/api/v1/meetings', { kind: 'forum', title: { en: 'Forum 2027 (test)', fr: 'Forum 2027 (essai)' }, start_date: '2027-01-20', venue: 'Rabat' });
  assert.equal(forum.status, 201, forum.text);
  const programmes = (await srv.getJSON('/api/v1/programmes?limit=100')).items.filter((p) => (p.countries || []).includes('SN'));
  assert.equal(programmes.length, 2, 'the demo\'s two programmes for Senegal');
  const scores = { relevance: 4, coherence: 4, effectiveness: 3, efficiency: 3, impact: 3, sustainability: 3 };
  const rated = await srv.post('/api/v1/evaluations', { meeting: forum.json.id, programme: programmes[0].id, rater: 'beneficiary', country: 'SN', ...scores });
  assert.equal(rated.status, 201, rated.text);
  const before = smtp.messages.length;
  await runOk(srv.db, NOW);
  const fresh = smtp.messages.slice(before);
  const focal = fresh.filter(to('focal.sn@ministry.example'));
  assert.equal(focal.length, 1);
  assert.match(focal[0].subject, /Sénégal/);
  assert.match(focal[0].text, new RegExp(`/needs/${need.json.id}\\n`));
  assert.match(focal[0].text, /\/needs\/country\/SN\n/);
  // the open actions that concern it, in the account's language (French: it never signed in)
  assert.match(focal[0].text, /Actions de suivi en cours qui concernent Sénégal\u00a0: [1-9]/);
  assert.ok(focal[0].text.includes(`- Appui aux postes frontières (exemple) (—; échéance le 1 mars 2027)\n  ${PUBLIC}/actions/${action.json.id}\n`), focal[0].text);
  // the sheets it has still to fill: one programme of two
  assert.match(focal[0].text, /Fiches d’évaluation du Forum que Sénégal doit encore remplir\u00a0: 1\./);
  assert.ok(focal[0].text.includes(`- Forum 2027 (essai) (20 janvier 2027; programmes à évaluer\u00a0: 1)\n  ${PUBLIC}/forum/${forum.json.id}/evaluate\n`), focal[0].text);
  assert.ok(focal[0].html.includes(`href="${PUBLIC}/forum/${forum.json.id}/evaluate"`));
  assert.equal(fresh.filter(to('focal.ke@ministry.example')).length, 0, 'no news, no summary');
  const donor = fresh.filter(to('donor.a@donor.example'));
  assert.equal(donor.length, 1);
  assert.match(donor[0].text, /\/programmes\/\d+\n/);
  // once a month
  await runOk(srv.db, NOW + 3 * 86400);
  assert.equal(smtp.messages.filter(to('focal.sn@ministry.example')).length, 1);
  assert.equal(smtp.messages.filter(to('donor.a@donor.example')).length, 1);
});

async function newPerson(email, language) {
  const r = await srv.post('/api/v1/persons', { name: `Participant ${email}`, email, language, organisation: 4 });
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}

test('a registration queues its confirmation in its own transaction; the invitation (.ics) parses', async () => {
  const person = await newPerson('registrant@example.net', 'en');
  const r = await srv.post('/api/v1/registrations', { meeting: 2, person, role: 'delegate', country: 'SN' });
  assert.equal(r.status, 201, r.text);
  const rows = await dbSql(srv.db, `SELECT template, recipient, lang FROM outbox WHERE template = 'registration' AND recipient = 'registrant@example.net'`);
  assert.equal(rows.trim().split('\n').length, 1, rows);
  assert.match(rows, /registration\|registrant@example\.net\|en/);
  // the same registration again is refused: nothing more queued
  const again = await srv.post('/api/v1/registrations', { meeting: 2, person, role: 'delegate', country: 'SN' });
  assert.ok(again.status >= 400 && again.status < 500, `${again.status}`);
  const count = await dbSql(srv.db, `SELECT COUNT(*) FROM outbox WHERE recipient = 'registrant@example.net'`);
  assert.equal(count.trim(), '1');

  await runOk(srv.db, NOW + 3 * WEEK + 2 * 86400);
  const m = await smtp.waitFor(to('registrant@example.net'));
  assert.match(m.subject, /^Registration confirmed: Conference on maritime security/);
  assert.ok(m.types.some((t) => t.startsWith('text/calendar; charset=UTF-8; method=REQUEST')), m.types.join());
  const ics = m.ics;
  const lines = ics.split('\r\n');
  assert.equal(lines.at(-1), '', 'every line ends in CRLF');
  for (const l of lines) assert.ok(Buffer.byteLength(l) <= 75, `a line of ${Buffer.byteLength(l)} bytes: ${l}`);
  const unfolded = ics.replace(/\r\n /g, '');
  const prop = (name) => new RegExp(`^${name}[;:](.*)$`, 'm').exec(unfolded)?.[1];
  assert.equal(lines[0], 'BEGIN:VCALENDAR');
  assert.equal(prop('VERSION'), '2.0');
  assert.equal(prop('METHOD'), 'REQUEST');
  assert.equal(prop('DTSTART'), 'VALUE=DATE:20241201');
  assert.equal(prop('DTEND'), 'VALUE=DATE:20241202', 'the day after the last (exclusive)');
  assert.match(prop('UID'), /^meeting-2-registration-\d+@office\.example$/);
  assert.match(prop('DTSTAMP'), /^\d{8}T\d{6}Z$/);
  assert.match(prop('SUMMARY'), /^LANGUAGE=en:Conference on maritime security/);
  assert.equal(prop('ATTENDEE'), 'ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;RSVP=FALSE:mailto:registrant@example.net');
  assert.equal(prop('ORGANIZER'), 'mailto:suivi@office.example');
  assert.equal(lines.filter((l) => l === 'BEGIN:VEVENT').length, 1);
  assert.equal(lines.at(-2), 'END:VCALENDAR');
  // and as a calendar program reads it
  const cal = await parseCalendar(ics);
  assert.equal(cal.name, 'vcalendar');
  assert.equal(cal.getFirstPropertyValue('method'), 'REQUEST');
  const events = cal.getAllSubcomponents('vevent');
  assert.equal(events.length, 1);
  const ev = events[0];
  assert.match(ev.getFirstPropertyValue('summary'), /^Conference on maritime security/);
  const start = ev.getFirstPropertyValue('dtstart'), end = ev.getFirstPropertyValue('dtend');
  assert.equal(start.isDate, true, 'a whole day');
  assert.equal(start.toString(), '2024-12-01');
  assert.equal(end.toString(), '2024-12-02');
  assert.equal(ev.getFirstPropertyValue('attendee'), 'mailto:registrant@example.net');
  assert.equal(ev.getFirstPropertyValue('organizer'), 'mailto:suivi@office.example');
  assert.match(ev.getFirstPropertyValue('uid'), /^meeting-2-registration-\d+@office\.example$/);
});

/** Only the confirmations on (the demo's reminders are not the next tests'), tries as given. */
async function confirmationsOnly(admin, tries = '8') {
  const r = await admin.form('/notifications/settings', { due_days: '7', confirmations: '1', max_tries: tries });
  assert.equal(r.status, 303);
}

test('the day before an event, each registrant with an address is reminded, once, in their language', async () => {
  const meeting = await srv.post('/api/v1/meetings', { kind: 'workshop', title: { en: 'Workshop on border security', fr: 'Atelier sur la sécurité des frontières' }, start_date: '2026-12-11', end_date: '2026-12-12', venue: 'Dakar' });
  assert.equal(meeting.status, 201, meeting.text);
  const person = await newPerson('workshop@example.net', 'fr');
  assert.equal((await srv.post('/api/v1/registrations', { meeting: meeting.json.id, person, role: 'delegate', country: 'SN' })).status, 201);
  const before = smtp.messages.length;
  await runOk(srv.db, NOW); // 10 December: the workshop begins tomorrow
  const mine = smtp.messages.slice(before).filter(to('workshop@example.net'));
  assert.deepEqual(mine.map((m) => m.subject.split(/\s:/)[0]).sort(), ['Demain', 'Inscription confirmée']);
  const reminder = mine.find((m) => m.subject.startsWith('Demain'));
  assert.match(reminder.subject, /Atelier sur la sécurité des frontières/);
  assert.match(reminder.text, /commence demain/);
  assert.match(reminder.ics, /DTSTART;VALUE=DATE:20261211/);
  assert.match(reminder.ics, /DTEND;VALUE=DATE:20261213/);
  await runOk(srv.db, NOW + 3600);
  assert.equal(smtp.messages.filter(to('workshop@example.net')).length, 2, 'once');
});

test('a completed enrolment sends its participant the certificate as PDF, once, in their language; not when turned off', async () => {
  const admin = await srv.login();
  const settings = async (on) => assert.equal((await admin.form('/notifications/settings',
    { due_days: '7', max_tries: '8', ...(on ? { certificates: '1' } : {}) })).status, 303);
  await settings(true);
  const session = (await srv.getJSON('/api/v1/sessions?limit=1')).items[0].id;
  const participant = async (email, language) => {
    const r = await srv.post('/api/v1/participants', { family_name: 'Diallo', given_names: 'Aminata', email, country: 'SN', language });
    assert.equal(r.status, 201, r.text);
    return r.json.id;
  };
  // made completed at once, and completed later: each queued once, with the change
  const first = await participant('trainee1@example.net', 'ar');
  const made = await srv.post('/api/v1/enrolments', { participant: first, session, completed: true, days_attended: 3 });
  assert.equal(made.status, 201, made.text);
  const second = await participant('trainee2@example.net', 'en');
  const later = await srv.post('/api/v1/enrolments', { participant: second, session });
  assert.equal(later.status, 201, later.text);
  assert.equal((await dbSql(srv.db, `SELECT COUNT(*) FROM outbox WHERE recipient = 'trainee2@example.net'`)).trim(), '0', 'not completed: nothing');
  assert.equal((await srv.patch(`/api/v1/enrolments/${later.json.id}`, { completed: true })).status, 200);
  assert.equal((await srv.patch(`/api/v1/enrolments/${later.json.id}`, { days_attended: 4 })).status, 200);
  const queued = await dbSql(srv.db, `SELECT recipient, lang FROM outbox WHERE template = 'certificate' ORDER BY id`);
  assert.deepEqual(queued.trim().split('\n'), ['trainee1@example.net|ar', 'trainee2@example.net|en']);

  await runOk(srv.db, NOW + 3 * WEEK + 3 * 86400);
  const m = await smtp.waitFor(to('trainee2@example.net'));
  const number = (await srv.getJSON(`/api/v1/enrolments/${later.json.id}`)).certificate;
  assert.match(number, /\S/);
  assert.match(m.subject, /^Your certificate: /);
  assert.match(m.text, /^Hello Aminata Diallo,/);
  assert.ok(m.text.includes(`number ${number}`), m.text);
  assert.ok(m.text.includes(`${PUBLIC}/verify/${number}`), 'the address that checks it');
  assert.equal(m.files.length, 1);
  assert.equal(m.files[0].type.split(';')[0], 'application/pdf');
  assert.equal(m.files[0].name, `certificate-${number}.pdf`);
  assert.equal(m.files[0].bytes.subarray(0, 5).toString('latin1'), '%PDF-');
  assert.match(m.files[0].bytes.subarray(-8).toString('latin1'), /%%EOF\s*$/);
  // staff download the same certificate (the PDF itself is the certificates' tests')
  const pdf = await admin.get(`/enrolments/${later.json.id}/certificate.pdf`);
  assert.equal(pdf.status, 200);
  const arabic = await smtp.waitFor(to('trainee1@example.net'));
  assert.match(arabic.subject, /^شهادتك: /);
  assert.match(arabic.headers['content-language'], /^ar$/);
  assert.match(arabic.html, /dir="rtl"/);
  assert.equal(arabic.files[0].bytes.subarray(0, 5).toString('latin1'), '%PDF-');
  // the certificate's number verifies
  const verify = await srv.visitor().get(`/verify/${encodeURIComponent(number)}`, { headers: { 'Accept-Language': 'en' } });
  assert.equal(verify.status, 200);
  await runOk(srv.db, NOW + 3 * WEEK + 3 * 86400 + 3600);
  assert.equal(smtp.messages.filter(to('trainee2@example.net')).length, 1, 'once');

  // turned off: a completed enrolment queues nothing
  await settings(false);
  const third = await participant('trainee3@example.net', 'fr');
  assert.equal((await srv.post('/api/v1/enrolments', { participant: third, session, completed: true })).status, 201);
  assert.equal((await dbSql(srv.db, `SELECT COUNT(*) FROM outbox WHERE recipient = 'trainee3@example.net'`)).trim(), '0');
});

test('a relay that refuses for now: tried again later, given up after the set tries, shown to administrators, sent again on demand', async () => {
  const admin = await srv.login();
  await confirmationsOnly(admin, '2'); // two tries at most
  const person = await newPerson('refused@example.net', 'fr');
  assert.equal((await srv.post('/api/v1/registrations', { meeting: 3, person, role: 'observer', country: 'MA' })).status, 201);
  smtp.refuse(451);
  try {
    let out = await runOk(srv.db, NOW + 4 * WEEK);
    assert.match(out, /1 to try again/);
    const status = await notify(['status', '--db', srv.db]);
    assert.match(status.stdout, /1 to try again/);
    assert.match(status.stdout, /refused@example\.net/);
    // its next try is later: an immediate run does not try it
    out = await runOk(srv.db, NOW + 4 * WEEK + 10);
    assert.match(out, /0 messages sent, 0 to try again, 0 given up/);
    // two hours later: the second try fails too, and it is given up
    out = await runOk(srv.db, NOW + 4 * WEEK + 7200);
    assert.match(out, /1 given up/);
  } finally {
    smtp.refuse(null);
  }
  const page = await admin.get('/notifications', { headers: { 'Accept-Language': 'en' } });
  assert.equal(page.status, 200);
  assert.match(page.text, /refused@example\.net/);
  assert.match(page.text, /Registration confirmation/);
  assert.match(page.text, /the relay answered: 451 refused by the test relay/);
  const id = /action="\/notifications\/(\d+)\/retry"/.exec(page.text)[1];
  // officers see none of it
  srv.addUser('notify-officer', 'officer');
  const officer = await srv.login('notify-officer', USER_PASSWORD);
  assert.equal((await officer.get('/notifications')).status, 403);
  assert.equal((await officer.form(`/notifications/${id}/retry`, {})).status, 403);
  // sent again: delivered at the next run
  assert.equal((await admin.form(`/notifications/${id}/retry`, {})).status, 303);
  await runOk(srv.db, NOW + 4 * WEEK + 7300);
  await smtp.waitFor(to('refused@example.net'));
  const audit = await dbSql(srv.db, `SELECT COUNT(*) FROM audit WHERE entity = 'outbox' AND record = '${id}'`);
  assert.equal(audit.trim(), '1');
});

test('a relay that refuses an address for good (5xx): given up at once', async () => {
  const person = await newPerson('never@example.net', 'en');
  assert.equal((await srv.post('/api/v1/registrations', { meeting: 3, person, role: 'observer', country: 'MA' })).status, 201);
  await confirmationsOnly(await srv.login());
  smtp.refuse(550);
  try {
    assert.match(await runOk(srv.db, NOW + 5 * WEEK), /0 to try again, 1 given up/);
  } finally {
    smtp.refuse(null);
  }
  const status = await notify(['status', '--db', srv.db]);
  assert.match(status.stdout, /never@example\.net .*given up/);
});

test('settings: administrators only, in range, audited; reminders off queue none', async () => {
  const admin = await srv.login();
  const page = await admin.get('/notifications', { headers: { 'Accept-Language': 'en' } });
  assert.match(page.text, /name="due_days" value="7"/);
  assert.match(page.text, /This server sends no messages itself/);
  assert.equal((await admin.form('/notifications/settings', { due_days: '0', max_tries: '8' })).status, 422);
  assert.equal((await admin.form('/notifications/settings', { due_days: '7', max_tries: '21' })).status, 422);
  assert.equal((await admin.form('/notifications/settings', { due_days: '7', max_tries: '8', confirmations: '1' })).status, 303);
  const audit = await dbSql(srv.db, `SELECT record FROM audit WHERE entity = 'notify_setting' AND after LIKE '%"reminders":0%'`);
  assert.equal(audit.trim(), 'reminders');
  const before = smtp.messages.length;
  assert.match(await runOk(srv.db, NOW + 6 * WEEK), /0 reminders and digests queued/);
  assert.equal(smtp.messages.length, before);
  assert.equal((await admin.form('/notifications/settings', { reminders: '1', digests: '1', confirmations: '1', due_days: '7', max_tries: '8' })).status, 303);
});

test('the link in every message stops them: signed, one click (RFC 8058), and back again', async () => {
  const m = smtp.messages.find(to('followup.unoct@example.org'));
  const link = /<([^>]+)>/.exec(m.headers['list-unsubscribe'])[1];
  const local = link.replace(PUBLIC, '');
  const visitor = new Session(srv, { cookies: { lang: 'en' } });
  const page = await visitor.get(local);
  assert.equal(page.status, 200);
  assert.match(page.text, /followup\.unoct@example\.org/);
  assert.match(page.text, /Receive no more messages/);
  // a forged or altered link does nothing
  assert.equal((await visitor.get(local.replace(/sig=./, 'sig=A'))).status, 404);
  assert.equal((await visitor.get(local.replace('followup.unoct', 'other'))).status, 404);
  const form = { 'Content-Type': 'application/x-www-form-urlencoded' };
  assert.equal((await visitor.request('POST', local.replace(/sig=./, 'sig=A'), { body: 'List-Unsubscribe=One-Click', headers: form })).status, 404);
  // the mail program's one click
  const click = await visitor.request('POST', local, { body: 'List-Unsubscribe=One-Click', headers: form });
  assert.equal(click.status, 200, click.text.slice(0, 300));
  assert.match(click.text, /will send no more messages/);
  const before = smtp.messages.length;
  await runOk(srv.db, NOW + 7 * WEEK);
  const fresh = smtp.messages.slice(before);
  assert.ok(fresh.length > 0, 'the others still receive theirs');
  assert.ok(!fresh.some(to('followup.unoct@example.org')), 'none to the address that asked');
  const audit = await dbSql(srv.db, `SELECT actor FROM audit WHERE entity = 'notify_optout'`);
  assert.match(audit, /link:followup\.unoct@example\.org/);
  // back again
  const back = await visitor.request('POST', local, { body: 'resume=1', headers: form });
  assert.equal(back.status, 200);
  await runOk(srv.db, NOW + 8 * WEEK);
  assert.ok(smtp.messages.slice(before + fresh.length).some(to('followup.unoct@example.org')));
});

test('the same link lets its recipient choose the kinds they receive: the unticked ones are queued no more', async () => {
  const person = await newPerson('choosy@example.net', 'en');
  const meeting = async (title) => {
    const m = await srv.post('/api/v1/meetings', { kind: 'workshop', title: { en: title }, start_date: '2027-02-01', venue: 'Accra' });
    assert.equal(m.status, 201, m.text);
    return m.json.id;
  };
  const register = async (title) => assert.equal((await srv.post('/api/v1/registrations',
    { meeting: await meeting(title), person, role: 'delegate', country: 'GH' })).status, 201);
  const queued = async () => Number(await dbSql(srv.db, `SELECT COUNT(*) FROM outbox WHERE recipient = 'choosy@example.net'`));
  await register('Workshop one');
  await runOk(srv.db, NOW + 7 * WEEK + 86400);
  const m = await smtp.waitFor(to('choosy@example.net'));
  assert.match(m.text, /Choose the messages suivi sends you, or stop them: https:/);
  const local = /<([^>]+)>/.exec(m.headers['list-unsubscribe'])[1].replace(PUBLIC, '');
  const visitor = new Session(srv, { cookies: { lang: 'en' } });
  const ticked = (html) => [...html.matchAll(/name="want" value="(\w+)"( checked)?/g)].filter((x) => x[2]).map((x) => x[1]);
  let page = await visitor.get(local);
  assert.equal(page.status, 200);
  assert.deepEqual(ticked(page.text), ['reminders', 'summaries', 'events', 'certificates', 'reviews']);
  // events unticked
  const form = { 'Content-Type': 'application/x-www-form-urlencoded' };
  const choose = (wanted) => visitor.request('POST', local, {
    body: new URLSearchParams([['choose', '1'], ...wanted.map((w) => ['want', w])]).toString(), headers: form });
  page = await choose(['reminders', 'summaries', 'certificates', 'reviews']);
  assert.equal(page.status, 200);
  assert.match(page.text, /role="status">Your choices are saved for this address:/);
  assert.deepEqual(ticked(page.text), ['reminders', 'summaries', 'certificates', 'reviews']);
  assert.deepEqual(ticked((await visitor.get(local)).text), ['reminders', 'summaries', 'certificates', 'reviews']);
  const before = await queued();
  await register('Workshop two');
  assert.equal(await queued(), before, 'no confirmation: events are unticked');
  const audit = await dbSql(srv.db, `SELECT actor, after FROM audit WHERE entity = 'notify_optout' AND record = 'choosy@example.net'`);
  assert.match(audit, /link:choosy@example\.net\|\{"stopped":"events"\}/);
  // a forged signature changes nothing
  assert.equal((await visitor.request('POST', local.replace(/sig=./, 'sig=A'), { body: 'choose=1', headers: form })).status, 404);
  // everything ticked again: received again
  page = await choose(['reminders', 'summaries', 'events', 'certificates', 'reviews']);
  assert.deepEqual(ticked(page.text), ['reminders', 'summaries', 'events', 'certificates', 'reviews']);
  await register('Workshop three');
  assert.equal(await queued(), before + 1);
  // nothing ticked is everything stopped: the page offers them back
  page = await choose([]);
  assert.match(page.text, /name="resume"/);
  assert.deepEqual(ticked(page.text), []);
});

test('a relay that asks for a password gets the one in --smtp; a wrong one is said', async () => {
  const guarded = await startSmtp({ auth: { user: 'suivi', pass: 'p@ss word' } });
  try {
    const dir = tempDir();
    const db = demoDb(dir, 'auth');
    const good = `smtp://suivi:${encodeURIComponent('p@ss word')}@127.0.0.1:${guarded.port}`;
    let r = await run(db, NOW, `smtp://suivi:wrong@127.0.0.1:${guarded.port}`);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /0 messages sent, 5 to try again/);
    const status = await notify(['status', '--db', db]);
    assert.match(status.stdout, /the relay answered: 535/);
    assert.doesNotMatch(status.stdout, /wrong/, 'the password is not shown');
    r = await run(db, NOW + 3 * 3600, good);
    assert.match(r.stdout, /5 messages sent/);
    assert.equal(guarded.messages.length, 5);
  } finally {
    await guarded.stop();
  }
});

test('the command line says what is wrong with a relay, a From address or a public address', async () => {
  const bad = [
    [['run', '--db', srv.db], /needs the relay/],
    [['run', '--smtp', 'http://x', '--mail-from', FROM, '--public-url', PUBLIC, '--db', srv.db], /smtp:\/\/ or smtps:\/\//],
    [['run', '--smtp', smtp.url, '--mail-from', 'not an address', '--public-url', PUBLIC, '--db', srv.db], /--mail-from/],
    [['run', '--smtp', smtp.url, '--mail-from', FROM, '--db', srv.db], /--public-url/],
    [['send', '--db', srv.db], /run and status/],
  ];
  for (const [args, msg] of bad) {
    const r = cli(['notify', ...args]);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, msg);
  }
  const s = cli(['serve', '--smtp', smtp.url, '--db', srv.db, '--port', '0']);
  assert.equal(s.status, 2);
  assert.match(s.stderr, /--mail-from/);
});

test('kill -9 between the commit and the sending: the message goes after the restart, once', async () => {
  const relay = await startSmtp();
  const dir = tempDir();
  const db = demoDb(dir, 'crash');
  let a = await startServer({ db });
  let b = null;
  try {
    // the demo's reminders are not this test's: off
    const admin = await a.login();
    assert.equal((await admin.form('/notifications/settings', { due_days: '7', max_tries: '8', confirmations: '1' })).status, 303);
    const r = await a.post('/api/v1/persons', { name: 'Crash Test', email: 'crash@example.net', language: 'fr' });
    assert.equal(r.status, 201);
    assert.equal((await a.post('/api/v1/registrations', { meeting: 3, person: r.json.id, role: 'observer', country: 'MA' })).status, 201);
    a.proc.kill('SIGKILL'); // committed, not sent: this server had no relay
    await a.exited;
    b = await startServer({ db, args: ['--smtp', relay.url, '--mail-from', FROM, '--public-url', PUBLIC] });
    const m = await relay.waitFor(to('crash@example.net'));
    assert.match(m.subject, /^Inscription confirmée/);
    // once: another round of the sender, and a run, add nothing
    assert.match(await runOk(db, Date.now() / 1000 | 0, relay.url), /0 messages sent/);
    const sent = await dbSql(db, `SELECT COUNT(*) FROM outbox WHERE recipient = 'crash@example.net' AND sent_at IS NOT NULL`);
    assert.equal(sent.trim(), '1');
    assert.equal(relay.messages.filter(to('crash@example.net')).length, 1);
  } finally {
    await b?.stop();
    a._remove();
    await relay.stop();
  }
});

// last: its reminders go to every late action's contacts at a date of its own
test('a reminder tried again carries the same progress link as its first try: one link per message', async () => {
  const admin = await srv.login();
  assert.equal((await admin.form('/notifications/settings', { reminders: '1', due_days: '7', max_tries: '8' })).status, 303);
  const org = await srv.post('/api/v1/organisations', { name: { en: 'Retry test office' } });
  assert.equal(org.status, 201, org.text);
  assert.equal((await srv.post('/api/v1/persons', { name: 'Retry Contact', email: 'retry@example.net', language: 'en', organisation: org.json.id })).status, 201);
  const action = await srv.post('/api/v1/actions', { outcome: 1, title: { en: 'Retried action' }, owner: org.json.id, due_date: '2027-01-03', status: 'in_progress' });
  assert.equal(action.status, 201, action.text);
  const at = Date.UTC(2026, 11, 31, 9) / 1000; // 3 days before it is due
  smtp.refuse(451);
  try {
    assert.match(await runOk(srv.db, at), /[1-9]\d* to try again/);
  } finally {
    smtp.refuse(null);
  }
  const first = smtp.refused.find(to('retry@example.net'));
  assert.ok(first, 'the relay saw the first try');
  await runOk(srv.db, at + 7200);
  const sent = await smtp.waitFor(to('retry@example.net'));
  const link = (m) => /\/progress\/[A-Za-z0-9_-]{20,}/.exec(m.text)?.[0];
  assert.ok(link(sent));
  assert.equal(link(sent), link(first), 'the same link');
  const kept = await dbSql(srv.db, `SELECT COUNT(*) FROM progress_link WHERE email = 'retry@example.net'`);
  assert.equal(kept.trim(), '1');
  assert.equal((await srv.visitor().get(link(sent))).status, 200);
});

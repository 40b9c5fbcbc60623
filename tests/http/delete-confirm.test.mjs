// Deleting asks first, and staff can restore (issue 14, item 3; item 7's /verify).
//
// The record page's Delete is a link to GET /{collection}/{key}/delete: a page that
// names the record by its label, says what goes with it (its own sets' link rows)
// or what stops the deletion (every record that refers to it: then no button),
// and POSTs to the same address.  A deletion's audit entry offers Restore to staff
// while the record does not exist again; the restore goes through the write path
// (a reference gone is refused) and is audited as a restore.  /verify takes a
// certificate number in any case, with or without spaces and dashes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, USER_PASSWORD } from './harness.mjs';

const srv = useServer();

let admin; // the admin's browser session
const sessions = {};

/** A session in language lang (the lang cookie the language switch sets). */
async function signIn(name, lang) {
  const s = name === 'admin' ? await srv.login() : await srv.login(name, USER_PASSWORD);
  if (lang) s.jar.set('lang', lang);
  return s;
}

/** The latest audit entry of `action` on record `key` of `entity`. */
async function entry(entity, key, action) {
  const r = await srv.getJSON(`/api/v1/audit?entity=${entity}&record=${key}&action=${action}&sort=-id&limit=1`);
  assert.equal(r.items.length, 1, `an audit entry ${action} of ${entity} ${key}`);
  return r.items[0];
}

const hasForm = (html, action) => new RegExp(`<form method="post" action="${action.replace(/[/?]/g, '\\$&')}"`).test(html);

let outcome; // a new outcome with two themes and nothing that refers to it

test('the record page links to the confirmation; the confirmation names what goes with the record', async () => {
  admin = await signIn('admin', 'en');
  const model = await srv.getJSON('/api/v1/outcomes/1');
  const themes = (await srv.getJSON('/api/v1/themes?limit=2')).items.map((t) => t.code);
  const made = await srv.post('/api/v1/outcomes', {
    meeting: model.meeting, kind: model.kind, themes, text: { fr: 'Résultat à supprimer', en: 'Outcome to delete' },
  });
  assert.equal(made.status, 201, made.text);
  outcome = made.json;

  const page = await admin.get(`/outcomes/${outcome.id}`);
  assert.equal(page.status, 200);
  assert.ok(page.text.includes(`href="/outcomes/${outcome.id}/delete"`), 'Delete is a link to the confirmation');
  assert.ok(!hasForm(page.text, `/outcomes/${outcome.id}/delete`), 'no one-click delete on the record page');

  const c = await admin.get(`/outcomes/${outcome.id}/delete`);
  assert.equal(c.status, 200, c.text.slice(0, 500));
  assert.match(c.text, /<h1>Delete this record\?<\/h1>/);
  assert.ok(c.text.includes('Outcome to delete'), 'the record by its label');
  assert.match(c.text, /What goes with it/);
  assert.match(c.text, /<strong>Themes<\/strong> <span class="count">\(2\)<\/span><ul class="names">/, 'its links, counted');
  for (const t of themes) assert.ok(c.text.includes(`href="/themes/${t}"`), `the theme ${t} named and linked`);
  assert.ok(hasForm(c.text, `/outcomes/${outcome.id}/delete`), 'the form posts to the same address');
  assert.match(c.text, /name="_csrf" value="[^"]+"/, 'with the CSRF token');
  assert.ok(c.text.includes(`name="_version" value="${outcome.version}"`), 'and the version read');
  assert.match(c.text, new RegExp(`<a class="button secondary" href="/outcomes/${outcome.id}">Cancel</a>`), 'Cancel goes back');

  for (const [lang, heading, dir] of [['fr', 'Supprimer cet enregistrement ?', ''], ['ar', 'حذف هذا السجل؟', ' dir="rtl"']]) {
    const s = await signIn('admin', lang);
    const r = await s.get(`/outcomes/${outcome.id}/delete`);
    assert.equal(r.status, 200);
    assert.ok(r.text.includes(`<html lang="${lang}"${dir}`), `${lang}: the page's language`);
    assert.ok(r.text.includes(heading), `${lang}: ${heading}`);
  }
});

test('a record others refer to: the page says which, with counts and names, and offers no button', async () => {
  const outcomes = (await srv.getJSON('/api/v1/outcomes?meeting=1&limit=500')).items;
  assert.ok(outcomes.length > 0);
  const c = await admin.get('/meetings/1/delete');
  assert.equal(c.status, 200);
  assert.match(c.text, /class="blockers"/);
  assert.match(c.text, /This record cannot be deleted/);
  assert.match(c.text, new RegExp(`<strong>Outcomes</strong> — Meeting <span class="count">\\(${outcomes.length}\\)`));
  assert.ok(c.text.includes(`href="/outcomes/${outcomes[0].id}"`), 'the first outcomes named and linked');
  assert.ok(!hasForm(c.text, '/meetings/1/delete'), 'no Delete button');
  assert.ok(c.text.includes('href="/meetings/1"'), 'a way back');
  // the POST keeps its answer: a conflict, the record page saying why
  const r = await admin.form('/meetings/1/delete', { _version: '1' });
  assert.equal(r.status, 409);
  assert.match(r.text, /other records refer to it|refer to it/i);
  assert.equal((await srv.get('/api/v1/meetings/1')).status, 200, 'still there');
});

test('the confirmation is for writers only', async () => {
  srv.addUser('dc-focal', 'focal', { country: 'SN' });
  srv.addUser('dc-donor', 'donor', { organisation: 1 });
  for (const name of ['dc-focal', 'dc-donor']) {
    const s = await signIn(name, 'en');
    assert.equal((await s.get(`/outcomes/${outcome.id}/delete`)).status, 403, `${name}: GET`);
    assert.ok(!(await s.get(`/outcomes/${outcome.id}`)).text.includes('/delete"'), `${name}: no Delete link`);
    sessions[name] = s;
  }
  assert.equal((await admin.get('/outcomes/999999/delete')).status, 404, 'no such record');
});

test('the confirmation deletes; the deletion\'s audit entry restores the record with its number', async () => {
  const c = await admin.get(`/outcomes/${outcome.id}/delete`);
  const version = /name="_version" value="(\d+)"/.exec(c.text)[1];
  const d = await admin.form(`/outcomes/${outcome.id}/delete`, { _version: version });
  assert.equal(d.status, 303);
  assert.equal(d.headers.get('location'), '/outcomes?deleted=1');
  assert.equal((await srv.get(`/api/v1/outcomes/${outcome.id}`)).status, 404, 'deleted');

  const del = await entry('outcome', outcome.id, 'delete');
  const audit = await admin.get(`/audit/${del.id}`);
  assert.equal(audit.status, 200);
  assert.ok(hasForm(audit.text, `/audit/${del.id}/restore`), 'Restore on the deletion\'s entry');
  assert.doesNotMatch(audit.text, /\/delete"|\/edit"/, 'still no edit or delete of the entry itself');

  const r = await admin.form(`/audit/${del.id}/restore`, {});
  assert.equal(r.status, 303, r.text.slice(0, 800));
  assert.equal(r.headers.get('location'), `/outcomes/${outcome.id}?restored=1`);
  const back = await admin.get(r.headers.get('location'));
  assert.equal(back.status, 200);
  assert.match(back.text, /Restored\./);
  const again = await srv.getJSON(`/api/v1/outcomes/${outcome.id}`);
  for (const k of ['id', 'meeting', 'kind', 'text', 'themes']) assert.deepEqual(again[k], outcome[k], k);

  const restore = await entry('outcome', outcome.id, 'restore');
  assert.ok(restore.id > del.id);
  assert.equal(restore.actor, 'admin');
  assert.equal(restore.before, null);
  assert.equal(JSON.parse(restore.after).id, outcome.id);

  // the record exists again: no Restore, a link to it; a second restore is refused
  const after = await admin.get(`/audit/${del.id}`);
  assert.ok(!hasForm(after.text, `/audit/${del.id}/restore`), 'no Restore once it exists');
  assert.ok(after.text.includes(`href="/outcomes/${outcome.id}"`), 'a link to the record');
  const twice = await admin.form(`/audit/${del.id}/restore`, {});
  assert.equal(twice.status, 409);
  assert.match(twice.text, /exists again/);
  const api = await srv.post(`/api/v1/audit/${del.id}/restore`, {});
  assert.equal(api.status, 409);
  assert.equal(api.json.error.code, 'conflict');
});

test('POST /api/v1/audit/{id}/restore: 201 with the record; a reference gone is refused and says which', async () => {
  const org = await srv.post('/api/v1/organisations', { name: { fr: 'Org restaurée', en: 'Restored org' } });
  assert.equal(org.status, 201);
  const person = await srv.post('/api/v1/persons', { name: 'Personne Restaurée', organisation: org.json.id });
  assert.equal(person.status, 201, person.text);
  assert.equal((await srv.del(`/api/v1/persons/${person.json.id}`)).status, 204);
  assert.equal((await srv.del(`/api/v1/organisations/${org.json.id}`)).status, 204);
  const delPerson = await entry('person', person.json.id, 'delete');
  const delOrg = await entry('organisation', org.json.id, 'delete');

  const refused = await srv.post(`/api/v1/audit/${delPerson.id}/restore`, {});
  assert.equal(refused.status, 422, refused.text);
  assert.match(refused.json.error.fields.organisation, /does not exist/);
  const page = await admin.form(`/audit/${delPerson.id}/restore`, {});
  assert.equal(page.status, 422);
  assert.match(page.text, /Organisation: refers to a record that does not exist/);
  assert.ok(page.text.includes(`href="/audit/${delPerson.id}"`), 'a way back');
  assert.equal((await srv.get(`/api/v1/persons/${person.json.id}`)).status, 404, 'nothing written');

  const o = await srv.post(`/api/v1/audit/${delOrg.id}/restore`, {});
  assert.equal(o.status, 201, o.text);
  assert.equal(o.headers.get('location'), `/api/v1/organisations/${org.json.id}`);
  assert.equal(o.json.id, org.json.id);
  assert.deepEqual(o.json.name, org.json.name);
  const p = await srv.post(`/api/v1/audit/${delPerson.id}/restore`, {});
  assert.equal(p.status, 201, p.text);
  assert.equal(p.json.organisation, org.json.id);
  assert.equal((await entry('person', person.json.id, 'restore')).actor, 'admin');
});

test('a restored enrolment keeps its certificate number: the printed certificate stays valid', async () => {
  const e = (await srv.getJSON('/api/v1/enrolments?completed=true&limit=50')).items.find((x) => x.certificate);
  assert.equal((await srv.del(`/api/v1/enrolments/${e.id}`)).status, 204);
  assert.equal((await srv.get(`/api/v1/verify/${e.certificate}`, { auth: false })).json.valid, false, 'not valid once deleted');
  const r = await srv.post(`/api/v1/audit/${(await entry('enrolment', e.id, 'delete')).id}/restore`, {});
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.certificate, e.certificate);
  for (const k of ['participant', 'session', 'completed', 'pre_score', 'post_score']) assert.deepEqual(r.json[k], e[k], k);
  assert.equal((await srv.get(`/api/v1/verify/${e.certificate}`, { auth: false })).json.valid, true, 'valid again');
});

test('restore refusals: roles that may not, entries that are no deletion, numbers that are no entry', async () => {
  const del = await srv.del(`/api/v1/outcomes/${outcome.id}`);
  assert.equal(del.status, 204);
  const e = await entry('outcome', outcome.id, 'delete');
  for (const name of ['dc-focal', 'dc-donor']) {
    const s = sessions[name];
    assert.equal((await s.form(`/audit/${e.id}/restore`, {})).status, 403, `${name}: page`);
    assert.equal((await s.post(`/api/v1/audit/${e.id}/restore`, {})).status, 403, `${name}: API`);
    assert.ok(!(await s.get(`/audit/${e.id}`)).text.includes('/restore"'), `${name}: no Restore`);
  }
  assert.equal((await srv.get(`/api/v1/outcomes/${outcome.id}`)).status, 404, 'still deleted');
  const create = await entry('outcome', outcome.id, 'create');
  const r = await srv.post(`/api/v1/audit/${create.id}/restore`, {});
  assert.equal(r.status, 409);
  assert.match(r.json.error.message, /no deletion/);
  assert.ok(!hasForm((await admin.get(`/audit/${create.id}`)).text, `/audit/${create.id}/restore`), 'no Restore on a create');
  assert.equal((await srv.post('/api/v1/audit/99999999/restore', {})).status, 404);
  // an officer (staff) may: the record comes back
  srv.addUser('dc-officer', 'officer');
  const officer = await signIn('dc-officer', 'en');
  assert.equal((await officer.form(`/audit/${e.id}/restore`, {})).status, 303);
  assert.equal((await entry('outcome', outcome.id, 'restore')).actor, 'dc-officer');
  // deleted again: the older deletion no longer restores (a state since changed), the latest does
  assert.equal((await srv.del(`/api/v1/outcomes/${outcome.id}`)).status, 204);
  const latest = await entry('outcome', outcome.id, 'delete');
  const old = await srv.post(`/api/v1/audit/${e.id}/restore`, {});
  assert.equal(old.status, 409);
  assert.match(old.json.error.message, /deleted again since/);
  const oldPage = await officer.get(`/audit/${e.id}`);
  assert.ok(!hasForm(oldPage.text, `/audit/${e.id}/restore`), 'no Restore on the older deletion');
  assert.ok(oldPage.text.includes(`href="/audit/${latest.id}"`), 'a link to the latest entry');
  assert.ok(hasForm((await officer.get(`/audit/${latest.id}`)).text, `/audit/${latest.id}/restore`), 'Restore on the latest');
  assert.equal((await srv.post(`/api/v1/audit/${latest.id}/restore`, {})).status, 201);
});

test('/verify and GET /api/v1/verify/{number}: any case, with or without spaces and dashes', async () => {
  const e = (await srv.getJSON('/api/v1/enrolments?completed=true&limit=50')).items.find((x) => x.certificate);
  assert.ok(e, 'a completed enrolment with its number');
  const n = e.certificate; // PO-2025-XXXXXXXX
  const visitor = srv.visitor();
  for (const typed of [n, n.toLowerCase(), n.replaceAll('-', ''), n.replaceAll('-', ' '), ` ${n.slice(0, 7)} ${n.slice(8, 12)}-${n.slice(12)} `,
    n.replaceAll('-', '\u2013'), n.toLowerCase().replaceAll('-', '')]) {
    const page = await visitor.get(`/verify?number=${encodeURIComponent(typed)}`);
    assert.match(page.text, /class="verdict valid"/, JSON.stringify(typed));
    assert.ok(page.text.includes(`value="${n}"`), `${JSON.stringify(typed)}: the number as printed`);
    const api = await srv.get(`/api/v1/verify/${encodeURIComponent(typed)}`, { auth: false });
    assert.equal(api.status, 200);
    assert.equal(api.json.valid, true, JSON.stringify(typed));
    assert.equal(api.json.number, n);
  }
  for (const bad of [`${n}X`, n.slice(0, -1), 'PO-2025-AAAAAAAA', 'nonsense']) {
    const api = await srv.get(`/api/v1/verify/${encodeURIComponent(bad)}`, { auth: false });
    assert.equal(api.json.valid, false, bad);
  }
});

test('server stops cleanly', () => srv.stop());

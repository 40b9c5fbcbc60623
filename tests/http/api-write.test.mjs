// Writing through the JSON API (docs/API.md): POST, PATCH (merge, If-Match),
// DELETE (referrers, If-Match), the action_update → action percent rule, the
// computed `late`, and text stored verbatim.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, COLLECTIONS, assertError, todayUTC, same } from './harness.mjs';

const srv = useServer();

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

function daysFromToday(n) {
  const d = new Date(`${todayUTC()}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

async function create(collection, body) {
  const r = await srv.post(`/api/v1/${collection}`, body);
  assert.equal(r.status, 201, `POST ${collection}: ${r.status} ${r.text}`);
  return r;
}

async function counts() {
  const out = {};
  for (const c of COLLECTIONS) out[c] = (await srv.getJSON(`/api/v1/${c}?limit=0`)).total;
  return out;
}

// ---- POST ------------------------------------------------------------------------

test('POST answers 201 with the record, a Location and an ETag', async () => {
  const r = await create('actions', { outcome: 2, owner: 3, title: { fr: 'Une action', en: 'An action' },
    due_date: '2030-01-15', status: 'in_progress', percent: 10 });
  const a = r.json;
  assert.ok(Number.isInteger(a.id) && a.id > 14, `server-assigned id ${a.id}`);
  assert.equal(r.headers.get('location'), `/api/v1/actions/${a.id}`);
  assert.equal(r.headers.get('etag'), '"1"');
  assert.equal(a.version, 1);
  assert.match(a.created_at, ISO_UTC);
  assert.equal(a.updated_at, a.created_at);
  assert.deepEqual(a.title, { fr: 'Une action', en: 'An action' });
  assert.equal(a.outcome, 2);
  assert.equal(a.owner, 3);
  assert.equal(a.due_date, '2030-01-15');
  assert.equal(a.status, 'in_progress');
  assert.equal(a.percent, 10);
  assert.equal(a.late, false);
  const g = await srv.get(r.headers.get('location'));
  assert.equal(g.status, 200);
  assert.deepEqual(g.json, a);
  assert.equal(g.headers.get('etag'), '"1"');
  const list = await srv.getJSON(`/api/v1/actions?owner=3&status=in_progress`);
  assert.ok(list.items.some((x) => x.id === a.id), 'the new record is in the (cached) list');
});

test('POST applies the defaults: status planned, percent 0, sample false, absent fields null', async () => {
  const { json: a } = await create('actions', { outcome: 1, title: { en: 'Defaults' } });
  assert.equal(a.status, 'planned');
  assert.equal(a.percent, 0);
  assert.equal(a.sample, false);
  assert.equal(a.owner, null);
  assert.equal(a.due_date, null);
  assert.equal(a.source, null);
  assert.deepEqual(a.title, { en: 'Defaults' }, 'absent languages omitted');
});

test('POST ignores read-only fields (id, version, created_at, updated_at, late)', async () => {
  const { json: a } = await create('actions', { id: 2, version: 99, created_at: '2000-01-01T00:00:00Z',
    updated_at: '2000-01-01T00:00:00Z', late: true, outcome: 1, title: { en: 'Read-only' }, due_date: '2099-01-01' });
  assert.notEqual(a.id, 2);
  assert.equal(a.version, 1);
  assert.notEqual(a.created_at, '2000-01-01T00:00:00Z');
  assert.equal(a.late, false);
  const two = await srv.getJSON('/api/v1/actions/2');
  assert.notEqual(two.title.en, 'Read-only', 'action 2 untouched');
});

test('POST on every collection', async () => {
  const c = await create('countries', { code: 'XK', iso3: 'XKX', m49: '999', name: { fr: 'Kosovo', en: 'Kosovo' } });
  assert.equal(c.headers.get('location'), '/api/v1/countries/XK');
  assert.equal(c.json.un_african_member, false);
  assert.equal(c.json.m49_region, null);
  const t = await create('themes', { code: 'test_theme_1', name: { fr: 'Thème', en: 'Theme' } });
  assert.equal(t.headers.get('location'), '/api/v1/themes/test_theme_1');
  const o = await create('organisations', { name: { en: 'Org' }, acronym: 'ORG', type: '21', country: 'SN' });
  assert.equal(o.json.country, 'SN');
  const p = await create('persons', { name: 'A Person', title: { en: 'Director' }, organisation: o.json.id });
  assert.equal(p.json.organisation, o.json.id);
  const m = await create('meetings', { kind: 'workshop', title: { fr: 'Atelier' }, start_date: '2025-05-05',
    end_date: '2025-05-06', venue: 'Dakar', country: 'SN', cochairs: [p.json.id, 1], delegations: [o.json.id],
    framework: { en: 'Atlantic African States Process' }, summary: { ar: 'ملخص' }, edition: 3 });
  same([...m.json.cochairs].sort((x, y) => x - y), [1, p.json.id].sort((x, y) => x - y), 'cochairs');
  same(m.json.delegations, [o.json.id], 'delegations');
  assert.deepEqual(m.json.summary, { ar: 'ملخص' });
  const out = await create('outcomes', { meeting: m.json.id, number: 1, kind: 'commitment',
    text: { en: 'Commit' }, themes: ['maritime_security', 'test_theme_1'] });
  same([...out.json.themes].sort(), ['maritime_security', 'test_theme_1'], 'themes');
  const f = await srv.getJSON('/api/v1/outcomes?themes=test_theme_1');
  same(f.items.map((x) => x.id), [out.json.id], 'themes filter finds the new outcome');
  const a = await create('actions', { outcome: out.json.id, owner: o.json.id, title: { en: 'Do' } });
  const u = await create('action_updates', { action: a.json.id, date: '2025-06-01', note: { fr: 'Note' } });
  assert.equal(u.json.percent, null);
  // a record read back from the API can be created again as it is (read-only fields ignored)
  const copy = { ...u.json };
  const again = await create('action_updates', copy);
  assert.notEqual(again.json.id, u.json.id);
});

test('POST with an existing key answers 409 conflict and changes nothing', async () => {
  const before = await srv.snapshot();
  assertError(await srv.post('/api/v1/countries', { code: 'MA', name: { en: 'Other' } }), 409, 'conflict', 'MA');
  assertError(await srv.post('/api/v1/themes', { code: 'maritime_security', name: { en: 'x' } }), 409, 'conflict', 'theme');
  await srv.assertUnchanged(before, 'POST duplicate key');
});

test('text is stored verbatim: SQL metacharacters, quotes, Unicode, read back identically', async () => {
  const before = await counts();
  const texts = [
    "Robert'); DROP TABLE action;--",
    '" OR 1=1 --',
    "' OR '1'='1",
    '%_\\%\\_ LIKE \'%\'',
    '1; DELETE FROM country; SELECT * FROM sqlite_master',
    '<script>alert("x")</script> &amp; &lt;',
    'tab\tnewline\ncarriage\r\nback\\slash /slash',
    'Arabic مرحبا, emoji 🛰️👩🏽‍⚖️, CJK 漢字, combining é',
    '\u202eRTL override\u200b zero width',
  ];
  const made = [];
  for (const t of texts) {
    const { json: a } = await create('actions', { outcome: 3, title: { fr: t, en: t, ar: t }, source: t });
    made.push(a.id);
    assert.equal(a.title.fr, t);
    const g = await srv.getJSON(`/api/v1/actions/${a.id}`);
    assert.deepEqual(g.title, { fr: t, en: t, ar: t });
    assert.equal(g.source, t);
  }
  const { json: p } = await create('persons', { name: "O'Brien \"Bobby\" Tables; DROP TABLE person;--" });
  assert.equal((await srv.getJSON(`/api/v1/persons/${p.id}`)).name, "O'Brien \"Bobby\" Tables; DROP TABLE person;--");
  // tables intact: every collection answers, with the counts expected
  const after = await counts();
  same(after, { ...before, actions: before.actions + texts.length, persons: before.persons + 1 }, 'counts');
  // and the search finds the literal text
  const r = await srv.getJSON(`/api/v1/actions?q=${encodeURIComponent("DROP TABLE action;--")}`);
  assert.ok(r.items.some((x) => x.id === made[0]));
  const csv = await srv.get('/api/v1/actions.csv');
  assert.equal(csv.status, 200);
  assert.ok(csv.text.includes("Robert'); DROP TABLE action;--"));
});

// ---- PATCH -----------------------------------------------------------------------

test('PATCH changes only the fields given; multilingual text is merged per language', async () => {
  const { json: a } = await create('actions', { outcome: 1, owner: 2, title: { fr: 'Titre', en: 'Title', ar: 'عنوان' },
    due_date: '2031-01-01', percent: 5 });
  const r = await srv.patch(`/api/v1/actions/${a.id}`, { title: { en: 'x' } });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.title, { fr: 'Titre', en: 'x', ar: 'عنوان' }, 'fr and ar kept');
  assert.equal(r.json.version, 2);
  assert.equal(r.headers.get('etag'), '"2"');
  for (const k of ['outcome', 'owner', 'due_date', 'status', 'percent', 'sample', 'source', 'created_at', 'id']) {
    assert.deepEqual(r.json[k], a[k], `${k} unchanged`);
  }
  assert.ok(r.json.updated_at >= a.updated_at);
  const g = await srv.get(`/api/v1/actions/${a.id}`);
  assert.deepEqual(g.json, r.json);
  assert.equal(g.headers.get('etag'), '"2"');
  // scalar fields: set and clear
  const s = await srv.patch(`/api/v1/actions/${a.id}`, { status: 'done', percent: 100, owner: null, due_date: null });
  assert.equal(s.status, 200, s.text);
  assert.equal(s.json.status, 'done');
  assert.equal(s.json.owner, null);
  assert.equal(s.json.due_date, null);
  assert.equal(s.json.version, 3);
  assert.deepEqual(s.json.title, r.json.title);
});

test('PATCH of a list field replaces the list; other lists unchanged', async () => {
  const { json: m } = await create('meetings', { kind: 'forum', title: { en: 'F' }, start_date: '2025-01-01',
    cochairs: [1, 2], delegations: [1, 2, 3] });
  const r = await srv.patch(`/api/v1/meetings/${m.id}`, { cochairs: [2] });
  assert.equal(r.status, 200, r.text);
  same(r.json.cochairs, [2], 'cochairs');
  same([...r.json.delegations].sort(), [1, 2, 3], 'delegations');
  const e = await srv.patch(`/api/v1/meetings/${m.id}`, { cochairs: [] });
  same(e.json.cochairs, [], 'emptied');
});

// (issue 13: sending it back changes nothing, so it writes nothing: the same
// version and time; before, every PATCH moved them)
test('a record read from the API can be sent back as it is with PATCH', async () => {
  const g = await srv.get('/api/v1/meetings/1');
  const r = await srv.patch('/api/v1/meetings/1', g.json, { headers: { 'If-Match': g.headers.get('etag') } });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, g.json);
  assert.equal(r.headers.get('etag'), g.headers.get('etag'));
  const c = await srv.get('/api/v1/countries/SN');
  const rc = await srv.patch('/api/v1/countries/SN', c.json);
  assert.equal(rc.status, 200, rc.text);
  assert.deepEqual(rc.json.name, c.json.name);
});

test('PATCH with the current ETag in If-Match answers 200', async () => {
  const { json: a } = await create('actions', { outcome: 1, title: { en: 'If-Match' } });
  const r = await srv.patch(`/api/v1/actions/${a.id}`, { percent: 30 }, { headers: { 'If-Match': '"1"' } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.percent, 30);
  assert.equal(r.headers.get('etag'), '"2"');
  const w = await srv.patch(`/api/v1/actions/${a.id}`, { percent: 31 }, { headers: { 'If-Match': '*' } });
  assert.equal(w.status, 200, w.text);
});

test('PATCH with a stale If-Match answers 412 and changes nothing', async () => {
  const { json: a } = await create('actions', { outcome: 1, title: { fr: 'Périmé', en: 'Stale' } });
  await srv.patch(`/api/v1/actions/${a.id}`, { percent: 1 });
  const cur = await srv.get(`/api/v1/actions/${a.id}`);
  assert.equal(cur.headers.get('etag'), '"2"');
  const before = await srv.snapshot();
  for (const tag of ['"1"', '"3"', '"0"', '"999"', 'W/"1"']) {
    const r = await srv.patch(`/api/v1/actions/${a.id}`, { title: { en: 'changed' }, percent: 99 },
      { headers: { 'If-Match': tag } });
    assertError(r, 412, 'precondition_failed', `If-Match ${tag}`);
  }
  await srv.assertUnchanged(before, 'stale PATCH');
  const g = await srv.get(`/api/v1/actions/${a.id}`);
  assert.deepEqual(g.json, cur.json);
});

test('PATCH of an unknown record answers 404', async () => {
  const before = await srv.snapshot();
  assertError(await srv.patch('/api/v1/actions/99999', { percent: 1 }), 404, 'not_found', 'PATCH 99999');
  assertError(await srv.patch('/api/v1/countries/QQ', { name: { en: 'x' } }), 404, 'not_found', 'PATCH QQ');
  await srv.assertUnchanged(before, 'PATCH unknown');
});

// (issue 13: read-only fields named with the record's own values are accepted;
// with other values the PATCH is refused, naming them — before, silently ignored)
test('PATCH accepts read-only fields with their values, refuses others; the key of a code record cannot change', async () => {
  const { json: a } = await create('actions', { outcome: 1, title: { en: 'RO' } });
  const r = await srv.patch(`/api/v1/actions/${a.id}`, { id: a.id, version: a.version, created_at: a.created_at, percent: 2 });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.id, a.id);
  assert.equal(r.json.version, 2);
  assert.equal(r.json.created_at, a.created_at);
  const w = await srv.patch(`/api/v1/actions/${a.id}`, { id: 1, version: 77, created_at: '1999-01-01T00:00:00Z', percent: 3 });
  assertError(w, 422, 'invalid', 'PATCH read-only');
  assert.deepEqual(Object.keys(w.json.error.fields).sort(), ['created_at', 'id', 'version']);
  const before = await srv.snapshot();
  const k = await srv.patch('/api/v1/countries/SN', { code: 'XX' });
  assert.equal(k.status, 422, k.text);
  await srv.assertUnchanged(before, 'PATCH code');
});

// ---- DELETE ----------------------------------------------------------------------

test('DELETE answers 204, then the record is gone (404)', async () => {
  const { json: a } = await create('actions', { outcome: 1, title: { en: 'To delete' } });
  const n = (await srv.getJSON('/api/v1/actions?limit=0')).total;
  const r = await srv.del(`/api/v1/actions/${a.id}`);
  assert.equal(r.status, 204);
  assert.equal(r.text, '');
  assertError(await srv.get(`/api/v1/actions/${a.id}`), 404, 'not_found', 'GET deleted');
  assertError(await srv.del(`/api/v1/actions/${a.id}`), 404, 'not_found', 'DELETE again');
  assert.equal((await srv.getJSON('/api/v1/actions?limit=0')).total, n - 1);
  const { json: t } = await create('themes', { code: 'gone', name: { en: 'Gone' } });
  assert.equal((await srv.del(`/api/v1/themes/${t.code}`)).status, 204);
  assertError(await srv.get('/api/v1/themes/gone'), 404, 'not_found', 'theme gone');
});

test('DELETE of a record with its own lists removes it (meeting with cochairs)', async () => {
  const { json: m } = await create('meetings', { kind: 'forum', title: { en: 'Del' }, start_date: '2025-01-01', cochairs: [1] });
  assert.equal((await srv.del(`/api/v1/meetings/${m.id}`)).status, 204);
  const f = await srv.getJSON('/api/v1/meetings?cochairs=1');
  assert.ok(!f.items.some((x) => x.id === m.id));
  // person 1 is still referred to by meeting 1 only
  assertError(await srv.del('/api/v1/persons/1'), 409, 'conflict', 'person 1');
});

test('DELETE of a record others refer to answers 409 and deletes nothing', async () => {
  const before = await srv.snapshot();
  for (const u of ['/api/v1/outcomes/1', '/api/v1/meetings/1', '/api/v1/actions/14', '/api/v1/organisations/1',
    '/api/v1/persons/2', '/api/v1/countries/MA', '/api/v1/themes/maritime_security', '/api/v1/countries/US']) {
    const r = await srv.del(u);
    assertError(r, 409, 'conflict', `DELETE ${u}`);
  }
  await srv.assertUnchanged(before, 'DELETE with referrers');
});

test('DELETE with a stale If-Match answers 412; with the current one 204', async () => {
  const { json: a } = await create('actions', { outcome: 1, title: { en: 'Del If-Match' } });
  await srv.patch(`/api/v1/actions/${a.id}`, { percent: 3 });
  const before = await srv.snapshot();
  assertError(await srv.del(`/api/v1/actions/${a.id}`, { headers: { 'If-Match': '"1"' } }), 412,
    'precondition_failed', 'stale DELETE');
  await srv.assertUnchanged(before, 'stale DELETE');
  const r = await srv.del(`/api/v1/actions/${a.id}`, { headers: { 'If-Match': '"2"' } });
  assert.equal(r.status, 204);
});

test('DELETE of an unknown record answers 404', async () => {
  const before = await srv.snapshot();
  assertError(await srv.del('/api/v1/actions/99999'), 404, 'not_found', 'DELETE 99999');
  assertError(await srv.del('/api/v1/countries/QQ'), 404, 'not_found', 'DELETE QQ');
  await srv.assertUnchanged(before, 'DELETE unknown');
});

// ---- action_update → action.percent ------------------------------------------

test('an action_update with percent sets the action percent (and bumps its version)', async () => {
  const { json: a } = await create('actions', { outcome: 2, title: { en: 'Progress' }, percent: 0 });
  const { json: u } = await create('action_updates', { action: a.id, date: '2025-01-10', note: { en: 'half' }, percent: 50 });
  assert.equal(u.percent, 50);
  const g = await srv.get(`/api/v1/actions/${a.id}`);
  assert.equal(g.json.percent, 50);
  assert.equal(g.json.version, 2);
  assert.equal(g.headers.get('etag'), '"2"');
  // the list (cached before) shows it too
  const l = await srv.getJSON('/api/v1/actions?percent=50');
  assert.ok(l.items.some((x) => x.id === a.id));
  // without percent, the action is left as it is
  await create('action_updates', { action: a.id, date: '2025-01-11', note: { en: 'no figure' } });
  const g2 = await srv.getJSON(`/api/v1/actions/${a.id}`);
  assert.equal(g2.percent, 50);
  assert.equal(g2.version, 2);
  // PATCH of the update's percent also sets the action's
  const p = await srv.patch(`/api/v1/action_updates/${u.id}`, { percent: 70 });
  assert.equal(p.status, 200, p.text);
  assert.equal((await srv.getJSON(`/api/v1/actions/${a.id}`)).percent, 70);
});

test('a refused action_update changes neither the update list nor the action (one transaction)', async () => {
  const { json: a } = await create('actions', { outcome: 2, title: { en: 'Atomic' }, percent: 10 });
  const before = await srv.snapshot();
  for (const body of [
    { action: a.id, date: '2025-02-30', note: { en: 'bad date' }, percent: 90 },
    { action: a.id, date: '2025-02-01', note: { de: 'x' }, percent: 90 },
    { action: a.id, date: '2025-02-01', percent: 90 },
    { action: a.id, date: '2025-02-01', note: { en: 'x' }, percent: 101 },
    { action: 99999, date: '2025-02-01', note: { en: 'x' }, percent: 90 },
  ]) {
    const r = await srv.post('/api/v1/action_updates', body);
    assertError(r, 422, 'invalid', JSON.stringify(body));
  }
  await srv.assertUnchanged(before, 'refused action_update');
  assert.equal((await srv.getJSON(`/api/v1/actions/${a.id}`)).percent, 10);
});

test('changing only the note of an old update does not reset the action percent', async () => {
  // the percent of an update is "given" when the request gives it (docs/API.md)
  const { json: a } = await create('actions', { outcome: 2, title: { en: 'Old note' } });
  const { json: u1 } = await create('action_updates', { action: a.id, date: '2025-03-01', note: { en: 'first' }, percent: 20 });
  await create('action_updates', { action: a.id, date: '2025-04-01', note: { en: 'second' }, percent: 60 });
  assert.equal((await srv.getJSON(`/api/v1/actions/${a.id}`)).percent, 60);
  const r = await srv.patch(`/api/v1/action_updates/${u1.id}`, { note: { en: 'first, typo fixed' } });
  assert.equal(r.status, 200, r.text);
  assert.equal((await srv.getJSON(`/api/v1/actions/${a.id}`)).percent, 60,
    'PATCH {note} of an older update must not put its old percent back on the action');
});

// ---- late -------------------------------------------------------------------------

test('late is computed, never taken from input', async () => {
  const past = daysFromToday(-3), future = daysFromToday(30);
  const { json: a } = await create('actions', { outcome: 1, title: { en: 'Late' }, due_date: past, late: false });
  assert.equal(a.late, true, 'past due, planned: late');
  const { json: b } = await create('actions', { outcome: 1, title: { en: 'On time' }, due_date: future, late: true });
  assert.equal(b.late, false, 'future due: not late');
  const { json: c } = await create('actions', { outcome: 1, title: { en: 'No date' }, late: true });
  assert.equal(c.late, false, 'no due date: not late');
  const { json: d } = await create('actions', { outcome: 1, title: { en: 'Today' }, due_date: todayUTC() });
  assert.equal(d.late, false, 'due today: not yet late');
  const p = await srv.patch(`/api/v1/actions/${b.id}`, { late: false, percent: 1 }); // (its own value: accepted)
  assert.equal(p.status, 200, p.text);
  assert.equal(p.json.late, false);
  const q = await srv.patch(`/api/v1/actions/${b.id}`, { late: true }); // (issue 13: refused, not ignored)
  assertError(q, 422, 'invalid', 'PATCH late');
  assert.ok(q.json.error.fields.late, q.text);
  const l = await srv.getJSON('/api/v1/actions?late=true&limit=500');
  assert.ok(l.items.some((x) => x.id === a.id));
  assert.ok(!l.items.some((x) => x.id === b.id));
  for (const st of ['done', 'dropped']) {
    const r = await srv.patch(`/api/v1/actions/${a.id}`, { status: st });
    assert.equal(r.json.late, false, `${st}: not late`);
  }
  const r = await srv.patch(`/api/v1/actions/${a.id}`, { status: 'in_progress' });
  assert.equal(r.json.late, true);
  const csv = await srv.get(`/api/v1/actions.csv?late=true`);
  assert.ok(csv.text.split('\r\n').some((line) => line.startsWith(`${a.id},`)));
});

test('server stops cleanly (exit 0, no sanitizer report)', async () => {
  await srv.stop();
});

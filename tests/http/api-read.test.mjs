// Reading the JSON API (docs/API.md): lists, filters, sort, paging, search,
// one record, reference data, demo content, OpenAPI and CSV.  The database is
// the demo and nothing here writes to it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, COLLECTIONS, assertError, todayUTC, cli, parseCsv, same } from './harness.mjs';

const srv = useServer();

const COUNTS = {
  countries: 249, themes: 12, organisations: 5, persons: 8, meetings: 3, // (2 + 3: the sample donors and delegates + 3: the owners' fictitious contacts)
  outcomes: 5, actions: 14, action_updates: 13,
};
const KEY = (c) => (c === 'countries' || c === 'themes' ? 'code' : 'id');
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const ATLANTIC = ['AO', 'BJ', 'CD', 'CG', 'CI', 'CM', 'CV', 'GA', 'GH', 'GM', 'GN', 'GQ', 'GW',
  'LR', 'MA', 'MR', 'NA', 'NG', 'SL', 'SN', 'ST', 'TG', 'ZA'];

const keys = (items, k = 'id') => items.map((x) => x[k]);
const sortedNum = (a) => [...a].sort((x, y) => x - y);

test('GET /api/v1/ lists every collection the role may read, with its href', async () => {
  for (const p of ['/api/v1/', '/api/v1']) {
    const idx = await srv.getJSON(p); // as admin (the harness's token)
    assert.ok(Array.isArray(idx.collections), p);
    const names = idx.collections.map((c) => c.name);
    assert.deepEqual([...names].sort(), [...COLLECTIONS, 'needs', 'documents', 'courses', 'sessions', 'participants', 'enrolments', 'audit', 'programmes', 'transactions', 'contributions', 'results', 'indicators', 'periods', 'evaluations', 'registrations'].sort(), p); // audit: the read-only trail
    for (const c of idx.collections) assert.equal(c.href, `/api/v1/${c.name}`);
  }
  // Officers read the audit trail too; focal points read their needs assessments;
  // donors neither (aggregates only).
  for (const [name, role, extra] of [
    ['reader.officer', 'officer', ['needs', 'documents', 'courses', 'sessions', 'participants', 'enrolments', 'audit', 'programmes', 'transactions', 'contributions', 'results', 'indicators', 'periods', 'evaluations', 'registrations']],
    ['reader.focal', 'focal', ['needs', 'documents', 'courses', 'sessions', 'participants', 'programmes', 'transactions', 'contributions', 'results', 'indicators', 'periods', 'evaluations', 'registrations']],
    ['reader.donor', 'donor', ['documents', 'courses', 'sessions', 'programmes', 'transactions', 'contributions', 'results', 'indicators', 'periods', 'evaluations']]]) {
    srv.addUser(name, role, { country: role === 'focal' ? 'MA' : undefined });
    const idx = await srv.get('/api/v1/', { auth: srv.addToken(name).token });
    assert.equal(idx.status, 200, role);
    assert.deepEqual(idx.json.collections.map((c) => c.name).sort(), [...COLLECTIONS, ...extra].sort(), `the index as ${role}`);
  }
  assertError(await srv.get('/api/v1/', { auth: false }), 401, 'unauthorized', 'the index without credentials');
});

test('list envelope: items, total, limit 50, offset 0 on every collection', async () => {
  for (const c of COLLECTIONS) {
    const r = await srv.get(`/api/v1/${c}`);
    assert.equal(r.status, 200, c);
    assert.match(r.headers.get('content-type'), /^application\/json/, c);
    assert.deepEqual(Object.keys(r.json).sort(), ['items', 'limit', 'offset', 'total'], c);
    assert.equal(r.json.total, COUNTS[c], `${c} total`);
    assert.equal(r.json.limit, 50, c);
    assert.equal(r.json.offset, 0, c);
    assert.equal(r.json.items.length, Math.min(50, COUNTS[c]), c);
  }
});

test('every record has version, created_at, updated_at (and id for integer keys)', async () => {
  for (const c of COLLECTIONS) {
    for (const rec of await srv.all(c)) {
      assert.ok(Number.isInteger(rec.version) && rec.version >= 1, `${c} version`);
      assert.match(rec.created_at, ISO_UTC, `${c} created_at`);
      assert.match(rec.updated_at, ISO_UTC, `${c} updated_at`);
      if (KEY(c) === 'id') assert.ok(Number.isInteger(rec.id) && rec.id >= 1, `${c} id`);
    }
  }
});

// docs/API.md: meetings and progress updates newest first, the rest by key.
const NEWEST_FIRST = { meetings: 'start_date', action_updates: 'date' };

test('default order: newest first for meetings and updates, else the key ascending', async () => {
  for (const c of COLLECTIONS) {
    const items = await srv.all(c);
    const k = keys(items, KEY(c));
    const by = NEWEST_FIRST[c];
    const want = by
      ? [...items].sort((a, b) => (a[by] === b[by] ? a.id - b.id : a[by] < b[by] ? 1 : -1)).map((r) => r.id)
      : KEY(c) === 'id' ? sortedNum(k) : [...k].sort();
    same(k, want, `${c}: default order`);
  }
});

test('multilingual text omits absent languages', async () => {
  // organisation 3 has no Arabic name in the demo
  const o = await srv.getJSON('/api/v1/organisations/3');
  assert.deepEqual(Object.keys(o.name).sort(), ['en', 'fr']);
  for (const c of COLLECTIONS) {
    for (const rec of await srv.all(c)) {
      for (const v of Object.values(rec)) {
        if (v && typeof v === 'object' && !Array.isArray(v)) {
          for (const [l, t] of Object.entries(v)) {
            assert.ok(['fr', 'en', 'ar'].includes(l), `${c}: language key ${l}`);
            assert.equal(typeof t, 'string', `${c}: ${l} is text, not null`);
          }
        }
      }
    }
  }
});

// ---- filters ---------------------------------------------------------------

test('filter on an enum: actions?status=done', async () => {
  const all = await srv.all('actions');
  for (const st of ['planned', 'in_progress', 'done', 'dropped']) {
    const r = await srv.getJSON(`/api/v1/actions?status=${st}`);
    const want = all.filter((a) => a.status === st);
    assert.equal(r.total, want.length, st);
    assert.deepEqual(keys(r.items), keys(want), st);
  }
  const m = await srv.getJSON('/api/v1/meetings?kind=strategic_dialogue');
  assert.deepEqual(keys(m.items), [1]);
});

test('filter on an integer reference: ?owner=3, ?meeting=1, ?action=14', async () => {
  const all = await srv.all('actions');
  const r = await srv.getJSON('/api/v1/actions?owner=3');
  assert.deepEqual(keys(r.items), keys(all.filter((a) => a.owner === 3)));
  assert.ok(r.total > 0);
  const o = await srv.getJSON('/api/v1/outcomes?meeting=1');
  assert.equal(o.total, 5);
  const u = await srv.getJSON('/api/v1/action_updates?action=14');
  assert.deepEqual(sortedNum(keys(u.items)), [1, 2]);
  const none = await srv.getJSON('/api/v1/outcomes?meeting=3');
  assert.equal(none.total, 0);
  assert.deepEqual(none.items, []);
});

test('filter on a code reference: organisations?country=MA', async () => {
  const r = await srv.getJSON('/api/v1/organisations?country=MA');
  assert.deepEqual(keys(r.items), [1, 3]);
  const m = await srv.getJSON('/api/v1/meetings?country=US');
  assert.deepEqual(keys(m.items), [1]);
});

test('filter on booleans: un_african_member, atlantic_african_state, sample', async () => {
  const t = await srv.getJSON('/api/v1/countries?un_african_member=true&limit=500');
  assert.equal(t.total, 54);
  assert.ok(t.items.every((c) => c.un_african_member === true));
  const f = await srv.getJSON('/api/v1/countries?un_african_member=false&limit=500');
  assert.equal(f.total, 249 - 54);
  assert.ok(f.items.every((c) => c.un_african_member === false));
  const a = await srv.getJSON('/api/v1/countries?atlantic_african_state=true&limit=500');
  assert.equal(a.total, 23);
  const s = await srv.getJSON('/api/v1/actions?sample=true');
  assert.equal(s.total, 14);
  const ns = await srv.getJSON('/api/v1/actions?sample=false');
  assert.equal(ns.total, 0);
});

test('filter on a date and on an integer: ?due_date=, ?percent=', async () => {
  const all = await srv.all('actions');
  const r = await srv.getJSON('/api/v1/actions?due_date=2025-03-31');
  assert.deepEqual(keys(r.items), keys(all.filter((a) => a.due_date === '2025-03-31')));
  assert.ok(r.total >= 2);
  const m = await srv.getJSON('/api/v1/meetings?start_date=2024-09-26');
  assert.deepEqual(keys(m.items), [1]);
  const p = await srv.getJSON('/api/v1/actions?percent=100');
  assert.deepEqual(keys(p.items), keys(all.filter((a) => a.percent === 100)));
  const e = await srv.getJSON('/api/v1/meetings?edition=1');
  assert.deepEqual(keys(e.items), [1]);
});

test('filter on text: countries?m49_region=Northern Africa, ?code=MA', async () => {
  const r = await srv.getJSON('/api/v1/countries?m49_region=Northern%20Africa');
  assert.ok(r.total >= 6);
  assert.ok(r.items.some((c) => c.code === 'MA'));
  assert.ok(r.items.every((c) => c.m49_region === 'Northern Africa'));
  const one = await srv.getJSON('/api/v1/countries?code=MA');
  assert.deepEqual(keys(one.items, 'code'), ['MA']);
  const p = await srv.getJSON('/api/v1/persons?name=Nasser%20Bourita');
  assert.deepEqual(keys(p.items), [1]);
});

test('filter on a set of references: outcomes?themes=maritime_security', async () => {
  const r = await srv.getJSON('/api/v1/outcomes?themes=maritime_security');
  assert.deepEqual(keys(r.items), [4]);
  assert.ok(r.items[0].themes.includes('maritime_security'));
  const none = await srv.getJSON('/api/v1/outcomes?themes=victims');
  assert.equal(none.total, 0);
  const m = await srv.getJSON('/api/v1/meetings?cochairs=2');
  assert.deepEqual(keys(m.items), [1]);
  const d = await srv.getJSON('/api/v1/meetings?delegations=1');
  assert.deepEqual(keys(d.items), [1]);
});

test('late is computed: past due_date and not done/dropped; ?late=true / false', async () => {
  const today = todayUTC();
  const all = await srv.all('actions');
  for (const a of all) {
    const want = a.due_date !== null && a.due_date < today && a.status !== 'done' && a.status !== 'dropped';
    assert.equal(a.late, want, `action ${a.id} (due ${a.due_date}, ${a.status})`);
  }
  const t = await srv.getJSON('/api/v1/actions?late=true');
  assert.deepEqual(keys(t.items), keys(all.filter((a) => a.late)));
  const f = await srv.getJSON('/api/v1/actions?late=false');
  assert.deepEqual(keys(f.items), keys(all.filter((a) => !a.late)));
  assert.equal(t.total + f.total, 14);
  // dropped (14) and done (12) actions past their due date are never late
  const a14 = await srv.getJSON('/api/v1/actions/14');
  assert.equal(a14.status, 'dropped');
  assert.equal(a14.late, false);
  const both = await srv.getJSON('/api/v1/actions?late=true&status=in_progress');
  assert.deepEqual(keys(both.items), keys(all.filter((a) => a.late && a.status === 'in_progress')));
});

test('filters combine with AND', async () => {
  const all = await srv.all('actions');
  const r = await srv.getJSON('/api/v1/actions?status=in_progress&owner=3');
  assert.deepEqual(keys(r.items), keys(all.filter((a) => a.status === 'in_progress' && a.owner === 3)));
});

// ---- sort ------------------------------------------------------------------

test('sort=field ascending and sort=-field descending', async () => {
  const asc = (await srv.getJSON('/api/v1/actions?sort=due_date')).items;
  const d = asc.map((a) => a.due_date);
  assert.deepEqual(d, [...d].sort());
  const desc = (await srv.getJSON('/api/v1/actions?sort=-due_date')).items;
  const dd = desc.map((a) => a.due_date);
  assert.deepEqual(dd, [...dd].sort().reverse());
  const p = (await srv.getJSON('/api/v1/actions?sort=-percent')).items.map((a) => a.percent);
  assert.deepEqual(p, [...p].sort((x, y) => y - x));
  const ids = keys((await srv.getJSON('/api/v1/actions?sort=-id')).items);
  assert.deepEqual(ids, sortedNum(ids).reverse());
  const codes = keys((await srv.getJSON('/api/v1/countries?sort=-code&limit=3')).items, 'code');
  assert.deepEqual(codes, ['ZW', 'ZM', 'ZA']);
  const ms = (await srv.getJSON('/api/v1/meetings?sort=start_date')).items;
  assert.deepEqual(keys(ms), [1, 3, 2]);
});

test('sort: ties are broken by the key ascending', async () => {
  const items = (await srv.getJSON('/api/v1/actions?sort=status')).items;
  for (let i = 1; i < items.length; i++) {
    if (items[i].status === items[i - 1].status) assert.ok(items[i].id > items[i - 1].id);
    else assert.ok(items[i].status > items[i - 1].status);
  }
});

test('sort: records with null come last, ascending and descending', async () => {
  // meeting 1 has edition 1; meetings 2 and 3 have none
  const asc = (await srv.getJSON('/api/v1/meetings?sort=edition')).items;
  assert.deepEqual(asc.map((m) => m.edition), [1, null, null]);
  assert.deepEqual(keys(asc), [1, 2, 3]);
  const desc = (await srv.getJSON('/api/v1/meetings?sort=-edition')).items;
  assert.deepEqual(desc.map((m) => m.edition), [1, null, null]);
  const ve = (await srv.getJSON('/api/v1/meetings?sort=-venue')).items.map((m) => m.venue);
  assert.deepEqual(ve, ['Rabat', 'New York', null]);
  const va = (await srv.getJSON('/api/v1/meetings?sort=venue')).items.map((m) => m.venue);
  assert.deepEqual(va, ['New York', 'Rabat', null]);
  const acr = (await srv.getJSON('/api/v1/organisations?sort=acronym')).items.map((o) => o.acronym);
  assert.deepEqual(acr, ['DA', 'DB', 'UNOCT', null, null]);
});

test('sort on the computed late field', async () => {
  const items = (await srv.getJSON('/api/v1/actions?sort=-late')).items;
  const l = items.map((a) => a.late);
  const n = l.filter(Boolean).length;
  assert.deepEqual(l, [...Array(n).fill(true), ...Array(l.length - n).fill(false)]);
});

// ---- paging ----------------------------------------------------------------

test('limit: ?limit=2, ?limit=0, ?limit=100000 is capped at 500', async () => {
  const two = await srv.getJSON('/api/v1/countries?limit=2');
  assert.equal(two.items.length, 2);
  assert.equal(two.limit, 2);
  assert.equal(two.total, 249);
  const zero = await srv.getJSON('/api/v1/countries?limit=0');
  assert.equal(zero.items.length, 0);
  assert.equal(zero.total, 249);
  const big = await srv.getJSON('/api/v1/countries?limit=100000');
  assert.equal(big.limit, 500);
  assert.equal(big.items.length, 249);
  const five = await srv.getJSON('/api/v1/countries?limit=500');
  assert.equal(five.limit, 500);
  assert.equal(five.items.length, 249);
  const huge = await srv.getJSON('/api/v1/actions?limit=9223372036854775807');
  assert.equal(huge.limit, 500);
});

test('offset: pages follow each other and cover the list exactly once', async () => {
  const all = keys(await srv.all('countries'), 'code');
  const seen = [];
  for (let off = 0; off < 249; off += 50) {
    const p = await srv.getJSON(`/api/v1/countries?limit=50&offset=${off}`);
    assert.equal(p.offset, off);
    assert.equal(p.total, 249);
    seen.push(...keys(p.items, 'code'));
  }
  assert.deepEqual(seen, all);
  const tail = await srv.getJSON('/api/v1/countries?limit=10&offset=240');
  assert.equal(tail.items.length, 9);
  const past = await srv.getJSON('/api/v1/countries?offset=1000');
  assert.equal(past.items.length, 0);
  assert.equal(past.total, 249);
  assert.equal(past.offset, 1000);
  const sortedPage = await srv.getJSON('/api/v1/actions?sort=-id&limit=3&offset=3');
  assert.deepEqual(keys(sortedPage.items), [11, 10, 9]);
});

// ---- q search --------------------------------------------------------------

function textOf(rec, fields) {
  return fields.map((f) => {
    const v = rec[f];
    if (v && typeof v === 'object') return Object.values(v).join('\n');
    return v ?? '';
  }).join('\n');
}

test('q: case-insensitive substring over the text fields', async () => {
  const ma = await srv.getJSON('/api/v1/countries?q=MAROC');
  assert.deepEqual(keys(ma.items, 'code'), ['MA']);
  const en = await srv.getJSON('/api/v1/countries?q=morocco');
  assert.deepEqual(keys(en.items, 'code'), ['MA']);
  const ar = await srv.getJSON(`/api/v1/countries?q=${encodeURIComponent('المغرب')}`);
  assert.deepEqual(keys(ar.items, 'code'), ['MA']);
  const p = await srv.getJSON('/api/v1/persons?q=bOuRiTa');
  assert.deepEqual(keys(p.items), [1]);
  const acr = await srv.getJSON('/api/v1/organisations?q=unoct');
  assert.ok(keys(acr.items).includes(2));
  const all = await srv.all('actions');
  const f = await srv.getJSON('/api/v1/actions?q=forum');
  const want = all.filter((a) => textOf(a, ['title']).toLowerCase().includes('forum'));
  assert.ok(want.length > 0);
  assert.deepEqual(keys(f.items), keys(want));
  const none = await srv.getJSON('/api/v1/actions?q=zzzzqqqq');
  assert.equal(none.total, 0);
  const empty = await srv.getJSON('/api/v1/actions?q=');
  assert.equal(empty.total, 14);
  const combo = await srv.getJSON('/api/v1/actions?q=forum&status=done');
  assert.deepEqual(keys(combo.items), keys(want.filter((a) => a.status === 'done')));
});

test('q: case-insensitive also for accented letters (états finds États)', async () => {
  const all = await srv.all('actions');
  const want = all.filter((a) => textOf(a, ['title']).toLowerCase().includes('états'));
  assert.ok(want.length > 0, 'the demo has "États" in titles');
  const r = await srv.getJSON(`/api/v1/actions?q=${encodeURIComponent('états')}`);
  same(keys(r.items), keys(want), 'q=états');
  const up = await srv.getJSON(`/api/v1/actions?q=${encodeURIComponent('ÉTATS')}`);
  same(keys(up.items), keys(want), 'q=ÉTATS');
});

test('q: % and _ are plain characters, not wildcards', async () => {
  for (const q of ['%', '_', '%%', 'M_roc', 'Ma%c']) {
    const r = await srv.getJSON(`/api/v1/countries?q=${encodeURIComponent(q)}&limit=500`);
    const want = (await srv.all('countries')).filter((c) => textOf(c, ['name']).toLowerCase().includes(q.toLowerCase()));
    same(keys(r.items, 'code'), keys(want, 'code'), `q=${q}`);
  }
});

// ---- bad query parameters --------------------------------------------------

test('unknown parameter and bad values answer 400 bad_query', async () => {
  const bad = [
    'actions?foo=1', 'actions?Status=done', 'actions?limit=-1', 'actions?limit=abc',
    'actions?limit=1.5', 'actions?offset=-5', 'actions?offset=x',
    'actions?status=bogus', 'actions?owner=abc', 'actions?owner=1.5', 'actions?late=maybe',
    'actions?due_date=2024-02-30', 'actions?due_date=2023-02-29', 'actions?due_date=31/12/2024',
    'actions?percent=lots', 'actions?sort=nosuch', 'actions?sort=-nosuch', 'actions?sort=-',
    'countries?un_african_member=yes', 'meetings?kind=party', 'meetings?sort=cochairs',
    'actions?title=x', 'outcomes?version=1', 'actions?created_at=2024-01-01',
  ];
  for (const u of bad) {
    const r = await srv.get(`/api/v1/${u}`);
    assertError(r, 400, 'bad_query', u);
  }
  // also on the CSV list
  assertError(await srv.get('/api/v1/actions.csv?foo=1'), 400, 'bad_query', 'csv foo');
  assertError(await srv.get('/api/v1/actions.csv?status=bogus'), 400, 'bad_query', 'csv status');
});

test('a blank filter value filters nothing (a blank box of a filter form)', async () => {
  const all = await srv.getJSON('/api/v1/actions');
  for (const qs of ['status=', 'owner=', 'due_date=', 'late=', 'limit=', 'offset=', 'sort=', 'q=', 'status=&owner=&q=']) {
    const r = await srv.getJSON(`/api/v1/actions?${qs}`);
    assert.deepEqual(r, all, qs);
  }
  const t = await srv.getJSON('/api/v1/outcomes?themes=');
  assert.equal(t.total, 5);
});

test('an unknown parameter answers 400 also when its value is blank', async () => {
  for (const u of ['actions?foo=', 'actions?status=done&nosuch=', 'countries?Code=', 'actions.csv?foo=']) {
    assertError(await srv.get(`/api/v1/${u}`), 400, 'bad_query', u);
  }
});

// ---- one record ------------------------------------------------------------

test('GET one record answers it with an ETag "<version>"', async () => {
  for (const [c, k] of [['actions', '1'], ['countries', 'MA'], ['themes', 'maritime_security'],
    ['meetings', '1'], ['persons', '2'], ['organisations', '3'], ['outcomes', '4'], ['action_updates', '13']]) {
    const r = await srv.get(`/api/v1/${c}/${k}`);
    assert.equal(r.status, 200, `${c}/${k}`);
    assert.match(r.headers.get('content-type'), /^application\/json/);
    assert.equal(String(r.json[KEY(c)]), k);
    assert.equal(r.headers.get('etag'), `"${r.json.version}"`, `${c}/${k} ETag`);
    const inList = (await srv.all(c)).find((x) => String(x[KEY(c)]) === k);
    assert.deepEqual(r.json, inList, `${c}/${k} same as in the list`);
  }
});

test('GET unknown record, collection or route answers 404 not_found', async () => {
  for (const u of ['/api/v1/actions/9999', '/api/v1/countries/ZZ', '/api/v1/countries/ma',
    '/api/v1/themes/nosuch', '/api/v1/nosuch', '/api/v1/nosuch/1', '/api/v1/actions/1/extra',
    '/api/v1/actions/', '/api/v1/nosuch.csv', '/api/v1/actions.csv/1', '/api/v1/Actions',
    '/api/v1/actions.csv/1']) {
    const r = await srv.get(u);
    assertError(r, 404, 'not_found', u);
  }
  // outside /api/v1/ the 404 may be a page
  for (const u of ['/api/v2/actions', '/api/v1x', '/nosuch']) assert.equal((await srv.get(u)).status, 404, u);
});

test('GET /healthz answers ok', async () => {
  const r = await srv.get('/healthz');
  assert.equal(r.status, 200, `healthz: ${r.status} ${r.text}`);
  assert.equal(r.text.trim(), 'ok');
});

// ---- reference data ----------------------------------------------------------

test('countries: 249, exactly 54 African UN Member States, exactly the 23 Atlantic African States', async () => {
  const all = await srv.all('countries');
  assert.equal(all.length, 249);
  const african = all.filter((c) => c.un_african_member);
  assert.equal(african.length, 54);
  const atlantic = all.filter((c) => c.atlantic_african_state).map((c) => c.code).sort();
  assert.deepEqual(atlantic, ATLANTIC);
  for (const c of atlantic) assert.ok(african.some((a) => a.code === c), `${c} is African`);
  for (const c of all) {
    assert.match(c.code, /^[A-Z]{2}$/);
    assert.match(c.iso3, /^[A-Z]{3}$/, c.code);
    assert.match(c.m49, /^\d{3}$/, c.code);
    for (const l of ['fr', 'en', 'ar']) assert.ok(c.name[l] && c.name[l].length > 0, `${c.code} name.${l}`);
  }
  for (const c of african) {
    assert.ok(['Northern Africa', 'Western Africa', 'Middle Africa', 'Eastern Africa', 'Southern Africa']
      .includes(c.m49_region), `${c.code} region ${c.m49_region}`);
  }
  const ma = await srv.getJSON('/api/v1/countries/MA');
  assert.deepEqual(ma.name, { fr: 'Maroc', en: 'Morocco', ar: 'المغرب' });
  assert.equal(ma.iso3, 'MAR');
  assert.equal(ma.m49, '504');
  assert.equal(ma.un_african_member, true);
  assert.equal(ma.atlantic_african_state, true);
  assert.equal(ma.m49_region, 'Northern Africa');
  const fr = await srv.getJSON('/api/v1/countries/FR');
  assert.equal(fr.un_african_member, false);
  assert.equal(fr.m49_region, null);
});

test('themes: 12, each named in French and English', async () => {
  const all = await srv.all('themes');
  assert.equal(all.length, 12);
  for (const t of all) {
    assert.match(t.code, /^[a-z0-9_]{1,40}$/);
    assert.ok(t.name.fr && t.name.en, `${t.code} bilingual`);
    assert.notEqual(t.name.fr, t.name.en, `${t.code}: French differs from English`);
  }
  const m = await srv.getJSON('/api/v1/themes/maritime_security');
  assert.equal(m.name.en, 'Maritime security');
  assert.equal(m.name.fr, 'Sécurité maritime');
});

// ---- demo content -------------------------------------------------------------

test('demo: the first strategic dialogue, its 5 outcomes and its co-chairs', async () => {
  const m = await srv.getJSON('/api/v1/meetings/1');
  assert.equal(m.kind, 'strategic_dialogue');
  assert.equal(m.edition, 1);
  assert.equal(m.start_date, '2024-09-26');
  assert.ok(m.title.fr && m.title.en);
  const outs = await srv.getJSON('/api/v1/outcomes?meeting=1');
  assert.equal(outs.total, 5);
  assert.deepEqual(outs.items.map((o) => o.number), [1, 2, 3, 4, 5]);
  for (const o of outs.items) assert.ok(o.text.fr && o.text.en, `outcome ${o.id} bilingual`);
  assert.equal(m.cochairs.length, 2);
  const names = [];
  for (const id of m.cochairs) names.push((await srv.getJSON(`/api/v1/persons/${id}`)).name);
  assert.deepEqual(names.sort(), ['Nasser Bourita', 'Vladimir Voronkov']);
  const d = await srv.getJSON('/api/v1/meetings?kind=strategic_dialogue');
  assert.equal(d.total, 1);
});

test('demo: every action belongs to an outcome; every update to an action', async () => {
  const outs = new Set(keys(await srv.all('outcomes')));
  const acts = await srv.all('actions');
  for (const a of acts) assert.ok(outs.has(a.outcome), `action ${a.id}`);
  const ids = new Set(keys(acts));
  for (const u of await srv.all('action_updates')) assert.ok(ids.has(u.action), `update ${u.id}`);
});

// ---- OpenAPI -------------------------------------------------------------------

test('/api/v1/openapi.json is OpenAPI 3.1.0 with a path for every collection', async () => {
  const r = await srv.get('/api/v1/openapi.json');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^application\/json/);
  const doc = JSON.parse(r.text); // valid JSON
  assert.equal(doc.openapi, '3.1.0');
  assert.ok(doc.info && doc.info.title && doc.info.version);
  for (const c of COLLECTIONS) {
    const list = doc.paths[`/${c}`];
    assert.ok(list && list.get && list.post, `/${c}`);
    const one = doc.paths[`/${c}/{key}`];
    assert.ok(one && one.get && one.patch && one.delete, `/${c}/{key}`);
    assert.ok(doc.paths[`/${c}.csv`]?.get, `/${c}.csv`);
  }
  // every $ref resolves
  const refs = [];
  (function walk(v) {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) (k === '$ref' ? refs.push(x) : walk(x));
  })(doc);
  for (const ref of new Set(refs)) {
    assert.match(ref, /^#\//);
    let node = doc;
    for (const part of ref.slice(2).split('/')) node = node?.[part];
    assert.ok(node, `$ref ${ref} resolves`);
  }
  // the action schema knows late is read-only
  assert.equal(doc.components.schemas.action.properties.late.readOnly, true);
});

// ---- CSV -------------------------------------------------------------------------

test('CSV: /api/v1/actions.csv has a header row and one line per record', async () => {
  const r = await srv.get('/api/v1/actions.csv');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/csv/);
  const rows = parseCsv(r.text);
  const head = rows[0];
  for (const col of ['id', 'outcome', 'owner', 'due_date', 'status', 'percent', 'late']) assert.ok(head.includes(col), col);
  assert.equal(rows.length, 1 + 14);
  for (const row of rows.slice(1)) assert.equal(row.length, head.length);
  const ids = rows.slice(1).map((x) => Number(x[head.indexOf('id')]));
  assert.deepEqual(ids, keys(await srv.all('actions')));
  // the whole collection, whatever limit says
  for (const c of COLLECTIONS) {
    const x = await srv.get(`/api/v1/${c}.csv`);
    assert.equal(x.status, 200, c);
    assert.equal(parseCsv(x.text).length, 1 + COUNTS[c], `${c}.csv rows`);
  }
  const a = parseCsv((await srv.get('/api/v1/actions.csv?limit=1')).text);
  assert.ok(a.length >= 2);
});

test('CSV: filters apply (?status=done, ?late=true, ?themes=)', async () => {
  const all = await srv.all('actions');
  const r = await srv.get('/api/v1/actions.csv?status=done');
  assert.equal(r.status, 200);
  const rows = parseCsv(r.text);
  const st = rows[0].indexOf('status');
  assert.equal(rows.length - 1, all.filter((a) => a.status === 'done').length);
  assert.ok(rows.slice(1).every((x) => x[st] === 'done'));
  const l = parseCsv((await srv.get('/api/v1/actions.csv?late=true')).text);
  assert.equal(l.length - 1, all.filter((a) => a.late).length);
  const t = parseCsv((await srv.get('/api/v1/outcomes.csv?themes=maritime_security')).text);
  assert.equal(t.length, 2);
  const c = parseCsv((await srv.get('/api/v1/countries.csv?atlantic_african_state=true')).text);
  assert.equal(c.length, 1 + 23);
  const s = parseCsv((await srv.get('/api/v1/actions.csv?sort=-id&owner=3')).text);
  same(s.slice(1).map((x) => Number(x[0])), all.filter((a) => a.owner === 3).map((a) => a.id).reverse(), 'csv sort=-id&owner=3');
});

test('CSV: `suivi export csv actions --db F` prints the same bytes as /api/v1/actions.csv', async () => {
  for (const c of ['actions', 'countries', 'meetings', 'outcomes']) {
    const http = await srv.get(`/api/v1/${c}.csv`);
    const out = cli(['export', 'csv', c, '--db', srv.db]);
    assert.equal(out.status, 0, out.stderr);
    assert.ok(Buffer.compare(out.stdoutBytes, http.body) === 0, `${c}: CLI and HTTP CSV differ`);
  }
});

test('server stops cleanly (exit 0, no sanitizer report)', async () => {
  await srv.stop();
});

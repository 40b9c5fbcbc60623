// The needs assessment (DESIGN M3): the latest picture (matrix), a country's history, a
// theme across countries, and the gap analysis — each checked against what the test
// computes itself from every assessment of /api/v1/needs.  Both backends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, parseCsv, same, todayUTC, assertError } from './harness.mjs';

const srv = useServer();

/** The latest assessment of each country × theme cell on `asOf`, computed here. */
function latest(needs, asOf = todayUTC()) {
  const cells = new Map();
  for (const n of needs) {
    if (n.assessed_on > asOf) continue;
    const k = `${n.country}|${n.theme}`;
    const c = cells.get(k);
    if (!c || n.assessed_on > c.assessed_on || (n.assessed_on === c.assessed_on && n.id > c.id)) cells.set(k, n);
  }
  return cells;
}

const ACTIVE = new Set(['planned', 'in_progress']);

async function gapsComputed() {
  const needs = await srv.all('needs');
  const actions = new Map((await srv.all('actions')).map((a) => [a.id, a]));
  // a programme under way or about to be addresses the needs it names
  const answered = new Set((await srv.all('programmes')).filter((p) => ['pipeline', 'implementation'].includes(p.status)).flatMap((p) => p.needs));
  return [...latest(needs).values()]
    .filter((n) => n.severity >= 4 && n.status !== 'met' && !answered.has(n.id) && !(n.actions || []).some((id) => ACTIVE.has(actions.get(id).status)))
    .map((n) => n.id).sort((a, b) => a - b);
}

test('the demo holds sample assessments of many African states, all marked sample', async () => {
  const needs = await srv.all('needs');
  assert.ok(needs.length > 300, `${needs.length} assessments`);
  assert.ok(needs.every((n) => n.sample === true), 'every demo assessment is sample data');
  assert.ok(new Set(needs.map((n) => n.country)).size >= 50, 'most of the 54 states');
  const page = await srv.get('/needs/matrix');
  assert.match(page.text, /class="notice"/, 'the matrix says it shows sample values');
});

test('/api/v1/needs/latest: one row per cell, the latest on the day asked', async () => {
  const needs = await srv.all('needs');
  for (const asOf of [undefined, '2025-06-01', '2024-12-31', '2000-01-01']) {
    const want = [...latest(needs, asOf).values()].map((n) => n.id).sort((a, b) => a - b);
    const r = await srv.getJSON(`/api/v1/needs/latest${asOf ? `?as_of=${asOf}` : ''}`);
    same(r.items.map((c) => c.id).sort((a, b) => a - b), want, `latest cells as of ${asOf || 'today'}`);
    assert.equal(r.total, want.length);
  }
  assertError(await srv.get('/api/v1/needs/latest?as_of=2025-02-30'), 400, 'bad_query');
  assertError(await srv.get('/api/v1/needs/latest?gaps=maybe'), 400, 'bad_query');
  assertError(await srv.get('/api/v1/needs/latest?country=%22x'), 400, 'bad_query');
  assert.equal((await srv.post('/api/v1/needs/latest', {})).status, 405);
});

test('the matrix page shows each cell\'s latest severity and links it', async () => {
  const needs = await srv.all('needs');
  const cells = latest(needs);
  const page = await srv.get('/needs/matrix');
  assert.equal(page.status, 200);
  for (const n of [...cells.values()].slice(0, 40)) {
    assert.match(page.text, new RegExp(`<td class="sev sev-${n.severity}"><a href="/needs/${n.id}">${n.severity}`), `cell ${n.country} ${n.theme}`);
  }
  const superseded = needs.find((n) => cells.get(`${n.country}|${n.theme}`).id !== n.id);
  assert.ok(superseded, 'the demo has history');
  assert.ok(!page.text.includes(`href="/needs/${superseded.id}"`), 'an older assessment is not in the latest picture');
  const old = await srv.get('/needs/matrix?as_of=2024-12-31');
  const cellsOld = latest(needs, '2024-12-31');
  assert.equal((old.text.match(/<td class="sev sev-/g) || []).length, cellsOld.size, 'cells on 31 December 2024');
  assert.ok(Buffer.byteLength(page.text) < 100 * 1024, 'under 100 kB');
});

test('a country page holds every assessment of the country, by theme over time', async () => {
  const needs = (await srv.all('needs', 'country=SN'));
  const page = await srv.get('/needs/country/SN');
  assert.equal(page.status, 200);
  for (const n of needs) assert.ok(page.text.includes(`href="/needs/${n.id}"`), `assessment ${n.id}`);
  const themes = new Set(needs.map((n) => n.theme));
  assert.equal((page.text.match(/<tr><th scope="row">/g) || []).length, themes.size, 'one row per theme');
  assert.equal((await srv.get('/needs/country/XX')).status, 404);
});

test('a theme page lists the latest assessment of each country on that theme', async () => {
  const cells = [...latest(await srv.all('needs')).values()].filter((n) => n.theme === 'pcve');
  const page = await srv.get('/needs/theme/pcve');
  assert.equal(page.status, 200);
  assert.equal((page.text.match(/<tr><th scope="row"><a href="\/needs\/country\//g) || []).length, cells.length);
  for (const n of cells) assert.ok(page.text.includes(`href="/needs/${n.id}"`), `${n.country}`);
  assert.equal((await srv.get('/needs/theme/nothing')).status, 404);
});

test('gap analysis: serious open needs that no active action or programme addresses', async () => {
  const want = await gapsComputed();
  assert.ok(want.length > 0, 'the demo has gaps');
  const api = await srv.getJSON('/api/v1/needs/latest?gaps=true');
  same(api.items.map((c) => c.id).sort((a, b) => a - b), want, 'API gaps');
  const page = await srv.get('/needs/gaps');
  for (const id of want) assert.ok(page.text.includes(`href="/needs/${id}"`), `gap ${id} on the page`);
  const csv = parseCsv((await srv.get('/needs/gaps.csv')).text.replace(/^\uFEFF/, ''));
  same(csv.slice(1).map((r) => Number(r[0])).sort((a, b) => a - b), want, 'CSV gaps');
  assert.deepEqual(csv[0], ['id', 'country', 'country_name', 'theme', 'theme_name', 'severity', 'assessed_on', 'status', 'sample']);

  // Linking a running action closes the gap; a done action does not; "met" does.
  const [first, second] = want;
  const gap = await srv.getJSON(`/api/v1/needs/${first}`);
  const running = (await srv.all('actions', 'status=in_progress'))[0];
  const done = (await srv.all('actions', 'status=done'))[0];
  assert.equal((await srv.patch(`/api/v1/needs/${first}`, { actions: [done.id] })).status, 200);
  assert.ok((await srv.getJSON('/api/v1/needs/latest?gaps=true')).items.some((c) => c.id === first), 'a done action does not address it');
  assert.equal((await srv.patch(`/api/v1/needs/${first}`, { actions: [running.id] })).status, 200);
  assert.equal((await srv.patch(`/api/v1/needs/${second}`, { status: 'met' })).status, 200);
  const after = await srv.getJSON('/api/v1/needs/latest?gaps=true');
  assert.ok(!after.items.some((c) => c.id === first || c.id === second), 'addressed and met needs are no gap');
  same(after.items.map((c) => c.id).sort((a, b) => a - b), await gapsComputed(), 'the gaps as computed');
  // A newer, milder assessment of the same cell supersedes the gap.
  const third = want[2];
  const n3 = await srv.getJSON(`/api/v1/needs/${third}`);
  const newer = await srv.post('/api/v1/needs', { country: n3.country, theme: n3.theme, assessed_on: todayUTC(), severity: 2, source: 'expert_mission' });
  assert.equal(newer.status, 201, newer.text);
  assert.ok(!(await srv.getJSON('/api/v1/needs/latest?gaps=true')).items.some((c) => c.id === third), 'superseded');
  assert.equal(gap.country.length, 2);
});

test('an assessment cannot be dated in the future, nor have a severity outside 1–5', async () => {
  const r = await srv.post('/api/v1/needs', { country: 'MA', theme: 'pcve', assessed_on: '2026-01-01', severity: 6, source: 'nope' });
  assert.equal(r.status, 422);
  for (const f of ['severity', 'source']) assert.ok(r.json.error.fields[f], f);
  const future = await srv.post('/api/v1/needs', { country: 'MA', theme: 'pcve', assessed_on: '2999-01-01', severity: 3, source: 'other' });
  assert.equal(future.status, 422);
  assert.ok(future.json.error.fields.assessed_on, 'a date in the future is refused');
});

test('the needs pages speak the reader\'s language', async () => {
  for (const [lang, word, eh] of [['fr', 'Maroc', 'Sahara occidental'], ['en', 'Morocco', 'Western Sahara'], ['ar', 'المغرب', 'الصحراء الغربية']]) {
    const r = await srv.get('/needs/matrix', { headers: { 'Accept-Language': lang } });
    assert.match(r.text, new RegExp(`<html lang="${lang}"`));
    assert.ok(r.text.includes(word), `${lang}: ${word}`);
    const map = await srv.get('/needs/map', { headers: { 'Accept-Language': lang } });
    assert.ok(map.text.includes(`<title>${eh}</title>`), `${lang}: the map names Western Sahara as ${eh}`);
  }
});

test('gap analysis: a programme under way answers a need, a closed one does not', async () => {
  const want = await gapsComputed();
  const need = want[want.length - 1];
  const p = await srv.post('/api/v1/programmes', { title: { en: 'Gap test programme' }, status: 'closed', needs: [need] });
  assert.equal(p.status, 201, p.text);
  assert.ok((await srv.getJSON('/api/v1/needs/latest?gaps=true')).items.some((c) => c.id === need), 'a closed programme does not address it');
  assert.equal((await srv.patch(`/api/v1/programmes/${p.json.id}`, { status: 'implementation' })).status, 200);
  const after = await srv.getJSON('/api/v1/needs/latest?gaps=true');
  assert.ok(!after.items.some((c) => c.id === need), 'a programme under way addresses it');
  same(after.items.map((c) => c.id).sort((a, b) => a - b), await gapsComputed(), 'the gaps as computed');
  assert.ok(!(await srv.get('/needs/gaps')).text.includes(`href="/needs/${need}"`), 'nor is it on the gaps page');
});

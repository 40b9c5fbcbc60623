// The needs map as the United Nations draws it (issue 14, item 6): Western Sahara the whole
// territory south of 27°40'N behind one dashed line, Morocco north of it; the UN's notes
// in fr/en/ar; a measure that varies (open serious needs in four classes, or one
// theme's severity, chosen with a GET form); and a table of the same values beside the
// map, checked against what the test computes from /api/v1/needs/latest.  Both backends.
//
// Geography is placed on the map by the generator's own projection
// (`node tools/gen-map.mjs --project LON,LAT …`), so the checks are of the shapes'
// projected extent, not of pixels.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { useServer, ROOT, same } from './harness.mjs';

const srv = useServer();

const PARALLEL = 27 + 40 / 60;
const SERIOUS = 4; // NEED_GAP_SEVERITY (src/store/store_needs.h)

/** Points [lon, lat] projected into the map's viewBox. */
function project(...pts) {
  const out = execFileSync(process.execPath, [path.join(ROOT, 'tools', 'gen-map.mjs'), '--project',
    ...pts.map(([lon, lat]) => `${lon},${lat}`)], { encoding: 'utf8' });
  return JSON.parse(out);
}

/** The rings of an SVG path written as gen-map writes them: "M x y l dx dy … z". */
function rings(d) {
  return d.split('M').filter(Boolean).map((sub) => {
    const nums = sub.replace(/z$/, '').replace('l', ' ').match(/-?\d+/g).map(Number);
    const pts = [[nums[0], nums[1]]];
    for (let i = 2; i + 1 < nums.length; i += 2) {
      const [x, y] = pts[pts.length - 1];
      pts.push([x + nums[i], y + nums[i + 1]]);
    }
    return pts;
  });
}

function box(rs) {
  const all = rs.flat();
  return { x0: Math.min(...all.map((p) => p[0])), y0: Math.min(...all.map((p) => p[1])),
    x1: Math.max(...all.map((p) => p[0])), y1: Math.max(...all.map((p) => p[1])) };
}

/** Even-odd point in polygon over all rings. */
function inside(rs, [x, y]) {
  let inn = false;
  for (const r of rs) {
    for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
      const [xi, yi] = r[i], [xj, yj] = r[j];
      if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inn = !inn;
    }
  }
  return inn;
}

/** The element of one state in the SVG: its class list, title and path. */
function state(html, iso2) {
  const m = html.match(new RegExp(`<(a|g)[^>]*class="map-state map-${iso2} ([^"]*)"><title>([^<]*)</title>(?:<path d="([^"]*)")?`));
  assert.ok(m, `the map holds ${iso2}`);
  return { cls: m[2], title: m[3], d: m[4] };
}

/** The table beside the map: code → shown value (a number, or null: no assessment). */
function tableValues(html) {
  const out = new Map();
  for (const m of html.matchAll(/<td class="map-value" data-code="([A-Z]{2})">(?:<bdi>(\d+)<\/bdi>|[^<]*)<\/td>/g))
    out.set(m[1], m[2] === undefined ? null : Number(m[2]));
  return out;
}

async function page(url, lang = 'en') {
  const r = await srv.get(url, { headers: { 'Accept-Language': lang } });
  assert.equal(r.status, 200, `${url}: ${r.status}`);
  return r.text;
}

test('Western Sahara is the whole territory south of 27°40\'N, Morocco ends there, one dashed line', async () => {
  const html = await page('/needs/map');
  const eh = rings(state(html, 'EH').d), ma = rings(state(html, 'MA').d), mr = rings(state(html, 'MR').d);
  const [line, south, lagouira, boujdour, dakhla, smara, tan] = project(
    [-13.2, PARALLEL], [-17.05, 21], [-17.05, 20.8], [-14.3, 26.1], [-15.6, 23.9], [-11.7, 26.7], [-11.1, 28.4]);
  // The parallel as it projects (a slight curve), and where it passes at x.
  const parallel = project(...Array.from({ length: 31 }, (_, k) => [-18 + k * 0.5, PARALLEL]));
  const yAt = (x) => {
    const k = parallel.findIndex((p) => p[0] >= x);
    if (k <= 0) return parallel[k < 0 ? parallel.length - 1 : 0][1];
    const [a, c] = [parallel[k - 1], parallel[k]];
    return a[1] + ((c[1] - a[1]) * (x - a[0])) / (c[0] - a[0]);
  };
  const b = box(eh);
  assert.ok(eh.flat().every(([x, y]) => y >= yAt(x) - 1.5), 'EH: nothing north of 27°40\'N');
  assert.ok(Math.abs(b.y0 - line[1]) <= 2, `EH starts at the parallel (y ${b.y0} vs ${line[1].toFixed(1)})`);
  assert.ok(b.y1 >= south[1] - 2, `EH reaches 21°N (y ${b.y1} vs ${south[1].toFixed(1)})`);
  assert.ok(b.x0 <= lagouira[0] + 2, `EH reaches the Atlantic at Lagouira (x ${b.x0} vs ${lagouira[0].toFixed(1)})`);
  assert.ok(Math.abs(b.x0 - box(mr).x0) <= 3, 'as far west as Mauritania\'s Cap Blanc');
  // The coast between 21°N and 27°40'N is Western Sahara's, not Morocco's: the strip
  // east of the berm (Natural Earth's de facto line) would hold none of these.
  for (const [what, p] of [['Boujdour', boujdour], ['Dakhla', dakhla], ['Smara', smara]]) {
    assert.ok(inside(eh, p), `${what} is in Western Sahara`);
    assert.ok(!inside(ma, p), `${what} is not in Morocco`);
  }
  assert.ok(inside(ma, tan) && !inside(eh, tan), 'Tan-Tan, north of the line, is in Morocco');
  const south_ = ma.flat().filter(([x, y]) => y > yAt(x) + 1.5);
  assert.deepEqual(south_, [], 'Morocco does not go south of the parallel');
  assert.ok(box(ma).y1 <= Math.max(...parallel.map((p) => p[1])) + 1);
  // One dashed line: the boundary with Morocco, along the parallel.
  const dashed = [...html.matchAll(/<path d="([^"]*)" stroke="[^"]*" stroke-width="[^"]*" stroke-dasharray=/g)];
  assert.equal(dashed.length, 1, 'one dashed boundary');
  assert.equal((html.match(/stroke-dasharray=/g) || []).length, 1);
  const d = box(rings(dashed[0][1]));
  assert.ok(rings(dashed[0][1])[0].every(([x, y]) => Math.abs(y - yAt(x)) <= 1.5), 'the dashed line follows 27°40\'N');
  const top = eh.flat().filter(([x, y]) => y <= yAt(x) + 1.5).map((p) => p[0]);
  assert.ok(Math.abs(d.x0 - Math.min(...top)) <= 1 && Math.abs(d.x1 - Math.max(...top)) <= 1,
    'it runs from the coast to the tripoint with Algeria: the whole of Western Sahara\'s northern edge');
  // Not one of the 54: no colour, no "no assessment", no row in the table, no link.
  assert.match(state(html, 'EH').cls, /map-territory/);
  assert.doesNotMatch(state(html, 'EH').cls, /map-nodata|map-c\d/);
  assert.ok(!tableValues(html).has('EH'));
  assert.ok(!html.includes('href="/needs/country/EH"'));
});

test('the UN\'s notes under the map, in fr, en and ar', async () => {
  const words = {
    en: ['do not imply official endorsement or acceptance by the United Nations', 'Dashed line', 'Western Sahara', 'Abyei'],
    fr: ['n\'impliquent ni reconnaissance ni acceptation officielle de la part de l\'Organisation des Nations Unies', 'trait discontinu', 'Sahara occidental', 'Abyei'],
    ar: ['لا تعني إقرارًا أو قبولًا رسميًا من جانب الأمم المتحدة', 'الخط المتقطع', 'الصحراء الغربية', 'أبيي'],
  };
  for (const [lang, want] of Object.entries(words)) {
    for (const url of ['/needs/map', '/needs/theme/pcve', '/']) {
      const html = await page(url, lang);
      const notes = html.match(/<p class="map-notes">(.*?)<\/p>/s);
      assert.ok(notes, `${lang} ${url}: the notes`);
      for (const w of want) assert.ok(notes[1].includes(w), `${lang} ${url}: «${w}»`);
    }
  }
});

/** Open serious needs per African state, computed here from the latest cells. */
async function seriousComputed() {
  const cells = (await srv.getJSON('/api/v1/needs/latest')).items;
  const out = new Map();
  for (const c of cells) {
    const n = out.get(c.country) || 0;
    out.set(c.country, n + (c.severity >= SERIOUS && c.status !== 'met' ? 1 : 0));
  }
  return { cells, out };
}

const seriousClass = (v) => (v <= 1 ? v : v <= 3 ? 2 : 3);

test('by default, open serious needs in four classes; the table holds the map\'s values', async () => {
  const html = await page('/needs/map');
  const { out } = await seriousComputed();
  const table = tableValues(html);
  const members = (await srv.all('countries', 'un_african_member=true')).map((c) => c.code);
  same([...table.keys()].sort(), members.sort(), 'one row per African Member State');
  for (const code of members) {
    const want = out.has(code) ? out.get(code) : null;
    assert.equal(table.get(code), want, `${code}: the table`);
    const s = state(html, code);
    if (want === null) {
      assert.match(s.cls, /map-nodata/, `${code}: no assessment on the map`);
      assert.match(s.title, /no assessment/);
    } else {
      assert.match(s.cls, new RegExp(`map-c${seriousClass(want)}\\b`), `${code}: class of ${want}`);
      assert.ok(s.title.endsWith(`: ${want}`), `${code}: the title says ${want}: ${s.title}`);
    }
  }
  const classes = new Set([...table.values()].filter((v) => v !== null).map(seriousClass));
  assert.ok(classes.size >= 3, `the measure varies: classes ${[...classes]}`);
  assert.ok(html.includes('<a href="/needs/country/MA"'), 'each country links to its page');
  assert.ok(html.includes('>No assessment</text>') || !members.some((c) => !out.has(c)), 'the legend says no assessment');
});

test('the chooser shows one theme\'s severity instead, without JavaScript', async () => {
  const base = await page('/needs/map');
  assert.match(base, /<form method="get" action="\/needs\/map"[^>]*>.*<select id="measure" name="measure" class="map-measure">.*<option value="pcve">/s);
  const html = await page('/needs/map?measure=pcve');
  assert.match(html, /<option value="pcve" selected>/);
  const { cells } = await seriousComputed();
  const sev = new Map(cells.filter((c) => c.theme === 'pcve').map((c) => [c.country, c.severity]));
  const table = tableValues(html);
  let changed = 0;
  for (const [code, v] of table) {
    assert.equal(v, sev.has(code) ? sev.get(code) : null, `${code}: pcve severity`);
    const s = state(html, code);
    assert.match(s.cls, v === null ? /map-nodata/ : new RegExp(`map-c${v - 1}\\b`), `${code}: class`);
    if (s.cls !== state(base, code).cls) changed++;
  }
  assert.ok(changed > 0, 'the chooser changes the classes');
  assert.equal((html.match(/<rect x="\d+" y="\d+" width="28"/g) || []).length, 6, 'five severities and no assessment');
  // An unknown measure is the default one.
  same(tableValues(await page('/needs/map?measure=nope')), tableValues(base), 'unknown measure');
});

test('Arabic: the legend mirrors, numbers isolated', async () => {
  const html = await page('/needs/map', 'ar');
  assert.match(html, /<g class="map-legend" direction="rtl">/);
  assert.match(html, /<td class="map-value" data-code="[A-Z]{2}"><bdi>\d+<\/bdi><\/td>/);
  assert.ok(html.includes('\u2066' + '2–3' + '\u2069'), 'the range 2–3 isolated in the legend');
  assert.ok(html.includes('<title>الصحراء الغربية</title>'));
});

test('the page stays light', async () => {
  for (const lang of ['fr', 'en', 'ar']) {
    for (const url of ['/needs/map', '/needs/map?measure=pcve', '/needs/theme/pcve', '/']) {
      const size = Buffer.byteLength(await page(url, lang));
      assert.ok(size <= 60 * 1024, `${lang} ${url}: ${size} bytes`);
    }
  }
});

test('server stops cleanly', () => srv.stop());

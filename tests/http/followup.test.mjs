// The follow-up board (/board, /board.csv, /api/v1/followup, quick entry) and the
// follow-up report (/meetings/ID/report, `suivi report followup`).  Expected
// figures are derived here from the plain collections of the API
// (/api/v1/actions, /outcomes, /action_updates), not from the code under test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { useServer, cli, parseCsv, todayUTC, same, assertError, USER_PASSWORD } from './harness.mjs';

const srv = useServer();

const STATUSES = ['planned', 'in_progress', 'done', 'dropped'];

async function world() {
  const actions = await srv.all('actions');
  const outcomes = new Map((await srv.all('outcomes')).map((o) => [o.id, o]));
  const updates = await srv.all('action_updates');
  return { actions, outcomes, updates };
}

const sorted = (xs) => [...xs].sort((a, b) => a - b);

/** The ids the board shows (rows id="a-N"), in page order. */
function pageIds(html) {
  return [...html.matchAll(/<tr id="a-(\d+)">/g)].map((m) => Number(m[1]));
}

// Each filter with the rule it stands for, over an action and its outcome.
const FILTERS = [
  ['meeting=1', (a, o) => o.meeting === 1],
  ['meeting=2', (a, o) => o.meeting === 2],
  ['outcome=2', (a) => a.outcome === 2],
  ['owner=3', (a) => a.owner === 3],
  ['theme=maritime_security', (a, o) => o.themes.includes('maritime_security')],
  ['theme=pcve', (a, o) => o.themes.includes('pcve')],
  ['status=in_progress', (a) => a.status === 'in_progress'],
  ['status=dropped', (a) => a.status === 'dropped'],
  ['late=true', (a) => a.late],
  ['late=false', (a) => !a.late],
  ['due_after=2025-06-30', (a) => a.due_date !== null && a.due_date >= '2025-06-30'],
  ['due_before=2025-03-31', (a) => a.due_date !== null && a.due_date <= '2025-03-31'],
  ['owner=2&status=done', (a) => a.owner === 2 && a.status === 'done'],
  ['meeting=1&late=true&due_before=2025-12-31', (a, o) => o.meeting === 1 && a.late && a.due_date <= '2025-12-31'],
];

test('each board filter narrows the API, the page and the CSV to the same actions', async () => {
  // the demo's outcomes are all the dialogue's: one of the conference's, with an action
  const o = await srv.post('/api/v1/outcomes', { meeting: 2, kind: 'decision', text: { en: 'Conference outcome' }, themes: ['maritime_security'] });
  assert.equal(o.status, 201, o.text);
  const a = await srv.post('/api/v1/actions', { outcome: o.json.id, owner: 3, title: { en: 'Conference action' }, due_date: '2025-05-01', status: 'in_progress', percent: 5 });
  assert.equal(a.status, 201, a.text);
  const w = await world();
  for (const [qs, rule] of FILTERS) {
    const want = sorted(w.actions.filter((a) => rule(a, w.outcomes.get(a.outcome))).map((a) => a.id));
    assert.ok(want.length > 0 && want.length < w.actions.length, `${qs} narrows the demo (${want.length})`);
    const api = await srv.getJSON(`/api/v1/followup?${qs}&limit=500`);
    same(sorted(api.items.map((x) => x.id)), want, `API ${qs}`);
    assert.equal(api.total, want.length, `total ${qs}`);
    const page = await srv.get(`/board?${qs}`);
    assert.equal(page.status, 200, `page ${qs}`);
    same(sorted(pageIds(page.text)), want, `page ${qs}`);
    const csv = await srv.get(`/board.csv?${qs}`);
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type'), /^text\/csv/);
    const rows = parseCsv(csv.text);
    assert.equal(rows[0][0], 'id');
    same(sorted(rows.slice(1).map((r) => Number(r[0]))), want, `CSV ${qs}`);
  }
});

test('the API rows carry the action fields as /api/v1/actions has them', async () => {
  const u = await srv.post('/api/v1/actions', { outcome: 4, owner: 1, title: { en: 'Undated action' } });
  assert.equal(u.status, 201);
  const w = await world();
  const api = await srv.getJSON('/api/v1/followup?limit=500');
  assert.equal(api.items.length, w.actions.length);
  for (const a of w.actions) {
    const x = api.items.find((i) => i.id === a.id);
    for (const k of ['title', 'outcome', 'owner', 'due_date', 'status', 'percent', 'late', 'version']) same(x[k], a[k], `action ${a.id} ${k}`);
    assert.equal(x.meeting, w.outcomes.get(a.outcome).meeting);
  }
  // due date order, undated last
  const dues = api.items.map((x) => x.due_date);
  const dated = dues.filter((d) => d !== null);
  same(dated, [...dated].sort(), 'ordered by due date');
  assert.ok(dues.indexOf(null) > 0 && dues.slice(dues.indexOf(null)).every((d) => d === null), 'undated last');
  assert.equal(api.items[api.items.length - 1].id, u.json.id);
});

test('counts by status equal the rows, for every filter', async () => {
  for (const [qs] of [['', null], ...FILTERS]) {
    const api = await srv.getJSON(`/api/v1/followup?${qs}&limit=500`);
    for (const s of STATUSES) assert.equal(api.counts[s], api.items.filter((x) => x.status === s).length, `${qs} ${s}`);
    assert.equal(api.counts.late, api.items.filter((x) => x.late).length, `${qs} late`);
    assert.equal(api.total, STATUSES.reduce((n, s) => n + api.counts[s], 0), `${qs} total`);
    // the page's summary bar says the same
    const html = (await srv.get(`/board?${qs}`)).text;
    for (const s of [...STATUSES, 'late']) {
      const m = new RegExp(`<li class="tag-${s}"><a [^>]*><strong>(\\d+)</strong>`).exec(html);
      assert.ok(m, `summary ${s} on /board?${qs}`);
      assert.equal(Number(m[1]), api.counts[s], `page summary ${qs} ${s}`);
    }
  }
});

test('filters that are not understood: 400 on the API and the page', async () => {
  for (const qs of ['status=late', 'late=yes', 'meeting=abc', 'owner=-1', 'due_after=2025-02-30', 'theme=Bad%20Theme', 'limit=501', 'colour=red']) {
    assertError(await srv.get(`/api/v1/followup?${qs}`), 400, 'bad_query', qs);
  }
  for (const qs of ['status=late', 'due_before=31/12/2025', 'outcome=0']) {
    assert.equal((await srv.get(`/board?${qs}`)).status, 400, `/board?${qs}`);
    assert.equal((await srv.get(`/board.csv?${qs}`)).status, 400, `/board.csv?${qs}`);
  }
});

test('25 actions a page; the CSV and the API have every filtered one', async () => {
  for (let i = 0; i < 55; i++) {
    const r = await srv.post('/api/v1/actions', { outcome: 3, owner: 1, title: { en: `Paged action ${i}` }, due_date: '2031-01-01' });
    assert.equal(r.status, 201);
  }
  const qs = 'owner=1&due_after=2031-01-01';
  const pages = [await srv.get(`/board?${qs}`)];
  for (let n = 0; n < 2; n++) {
    const next = /<a rel="next" href="([^"]+)"/.exec(pages[n].text);
    assert.ok(next, `a next page link on page ${n + 1}`);
    pages.push(await srv.get(next[1].replace(/&amp;/g, '&')));
  }
  same(pages.map((p) => pageIds(p.text).length), [25, 25, 5], 'rows per page');
  assert.ok(!/<a rel="next"/.test(pages[2].text), 'no page after the last');
  assert.equal(new Set(pages.flatMap((p) => pageIds(p.text))).size, 55);
  assert.equal(parseCsv((await srv.get(`/board.csv?${qs}`)).text).length, 56);
  const api = await srv.getJSON(`/api/v1/followup?${qs}&limit=20&offset=40`);
  assert.equal(api.total, 55);
  assert.equal(api.items.length, 15);
  assert.equal(api.limit, 20);
  assert.equal(api.offset, 40);
});

test('quick entry: a percent and a note make an update dated today, shown in the timeline', async () => {
  const admin = await srv.login();
  const before = await srv.getJSON('/api/v1/actions/8');
  const r = await admin.form('/board?owner=2', { action: 8, version: before.version, was: before.status, status: before.status, percent: 65, note: 'Noted on the board' });
  assert.equal(r.status, 303, r.text.slice(0, 500));
  assert.match(r.headers.get('location'), /^\/board\?owner=2&saved=8#a-8$/);
  const ups = await srv.all('action_updates', 'action=8');
  const mine = ups.find((u) => Object.values(u.note).includes('Noted on the board'));
  assert.ok(mine, 'the update exists');
  assert.equal(mine.date, todayUTC());
  assert.equal(mine.percent, 65);
  const after = await srv.getJSON('/api/v1/actions/8');
  assert.equal(after.percent, 65);
  assert.equal(after.status, before.status);
  const page = (await admin.get('/board?owner=2')).text;
  const row = page.slice(page.indexOf('<tr id="a-8">'), page.indexOf('</tr>', page.indexOf('<tr id="a-8">')));
  assert.match(row, /Noted on the board/);
  assert.match(row, new RegExp(`<time datetime="${todayUTC()}">`));
  assert.match(row, /<details class="timeline"><summary>[^<]*\(3\)<\/summary>/, 'three updates now');
});

test('quick entry: a percent alone gets a note saying so; a status change with it moves the status too', async () => {
  const admin = await srv.login();
  const before = await srv.getJSON('/api/v1/actions/6');
  const r = await admin.form('/board', { action: 6, version: before.version, was: 'in_progress', status: 'done', percent: 100, note: '' });
  assert.equal(r.status, 303, r.text.slice(0, 500));
  const after = await srv.getJSON('/api/v1/actions/6');
  assert.equal(after.status, 'done');
  assert.equal(after.percent, 100);
  const ups = await srv.all('action_updates', 'action=6');
  const mine = ups.find((u) => u.date === todayUTC() && u.percent === 100);
  assert.ok(mine && Object.values(mine.note).join(' ').includes('100'), `a generated note: ${JSON.stringify(mine)}`);
});

test('quick entry: the status alone is a PATCH, without an update', async () => {
  const admin = await srv.login();
  const n = (await srv.all('action_updates')).length;
  const before = await srv.getJSON('/api/v1/actions/9');
  const r = await admin.form('/board?status=planned', { action: 9, version: before.version, was: 'planned', status: 'in_progress', percent: '', note: '' });
  assert.equal(r.status, 303);
  const after = await srv.getJSON('/api/v1/actions/9');
  assert.equal(after.status, 'in_progress');
  assert.equal(after.version, before.version + 1);
  assert.equal((await srv.all('action_updates')).length, n, 'no update');
  // a stale version is refused, nothing changes
  const stale = await admin.form('/board', { action: 9, version: before.version, was: 'in_progress', status: 'dropped' });
  assert.equal(stale.status, 412);
  assert.equal((await srv.getJSON('/api/v1/actions/9')).status, 'in_progress');
});

test('quick entry: an invalid percent shows the error in the row and changes nothing', async () => {
  const admin = await srv.login();
  for (const percent of ['150', 'abc', '-3']) {
    const n = (await srv.all('action_updates')).length;
    const before = await srv.getJSON('/api/v1/actions/5');
    const r = await admin.form('/board?owner=3', { action: 5, version: before.version, was: before.status, status: 'done', percent, note: 'should not be kept' });
    assert.equal(r.status, 422, `percent ${percent}`);
    const row = r.text.slice(r.text.indexOf('<tr id="a-5">'), r.text.indexOf('</tr>', r.text.indexOf('<tr id="a-5">')));
    assert.match(row, /<div class="error-summary" role="alert" id="err-5">/);
    assert.match(row, /id="qp-5" name="percent" min="0" max="100" aria-invalid="true" aria-describedby="err-5"/);
    assert.ok(row.includes(`value="${percent}"`), 'the value typed is kept');
    same(pageIds(r.text).includes(5), true, 'the filtered board is shown again');
    assert.equal((await srv.all('action_updates')).length, n, 'no update');
    same(await srv.getJSON('/api/v1/actions/5'), before, 'action unchanged');
  }
});

test('quick entry: without the CSRF field 403; focal points and donors 403 and a board without forms', async () => {
  const admin = await srv.login();
  const before = await srv.getJSON('/api/v1/actions/3');
  const r = await admin.form('/board', { action: 3, status: 'done', percent: 90, note: 'no csrf' }, { csrf: false });
  assert.equal(r.status, 403);
  srv.addUser('focal-board', 'focal', { country: 'MA' });
  srv.addUser('donor-board', 'donor');
  for (const name of ['focal-board', 'donor-board']) {
    const s = await srv.login(name, USER_PASSWORD);
    const page = await s.get('/board');
    assert.equal(page.status, 200, `${name} reads the board`);
    assert.ok(pageIds(page.text).length > 0);
    assert.doesNotMatch(page.text, /class="quick"/, `${name}: no quick entry`);
    const w = await s.form('/board', { action: 3, status: 'done', percent: 90, note: `by ${name}` });
    assert.equal(w.status, 403, `${name} cannot post`);
    assert.equal((await s.get('/board.csv')).status, 200);
    assert.equal((await s.get('/meetings/1/report')).status, 200);
  }
  same(await srv.getJSON('/api/v1/actions/3'), before, 'action 3 unchanged');
  const pub = await srv.visitor().get('/board?late=true');
  assert.equal(pub.status, 303);
  assert.equal(pub.headers.get('location'), '/login?next=%2Fboard%3Flate%3Dtrue');
  assert.equal((await srv.visitor().get('/meetings/1/report')).status, 303);
  assert.equal((await srv.get('/api/v1/followup', { auth: false })).status, 401);
});

/** The figures of the report of meeting m, from the plain collections. */
async function expected(m) {
  const w = await world();
  const mine = w.actions.filter((a) => w.outcomes.get(a.outcome).meeting === m);
  const by = Object.fromEntries(STATUSES.map((s) => [s, mine.filter((a) => a.status === s).length]));
  const total = mine.length;
  const mean = total ? Math.floor(mine.reduce((n, a) => n + a.percent, 0) / total) : 0;
  return { w, mine, by, total, mean, late: mine.filter((a) => a.late) };
}

function summaryOf(html) {
  const num = (cls) => {
    // a percentage as the language writes it: 40 % (fr), 40%, isolated in Arabic
    const m = new RegExp(`<tr class="st-${cls}"><th scope="row">[^<]*</th><td class="num">(?:<bdi dir="ltr">)?(\\d+)(?:\u202f?%)?(?:</bdi>)?</td>`).exec(html);
    assert.ok(m, `summary row ${cls}`);
    return Number(m[1]);
  };
  return { ...Object.fromEntries(STATUSES.map((s) => [s, num(s)])), total: num('total'), late: num('late'), mean: num('mean') };
}

function section(html, cls) {
  const i = html.indexOf(`<section class="${cls}">`);
  assert.ok(i >= 0, `section ${cls}`);
  return html.slice(i, html.indexOf('</section>', i));
}

test('the home page and the board count again after each write (their figures are kept only while nothing changes)', async () => {
  const lateCount = (html) => Number(/<section class="late"><h2>[^<]*<span class="count">\((\d+)\)/.exec(html)?.[1]);
  const before = lateCount((await srv.get('/')).text);
  assert.ok(Number.isInteger(before), 'the home page counts the late actions');
  assert.equal(lateCount((await srv.get('/')).text), before, 'asked twice, the same');
  const outcome = (await srv.getJSON('/api/v1/outcomes?limit=1')).items[0].id;
  const a = await srv.post('/api/v1/actions', { outcome, title: { en: 'Late on purpose' }, due_date: '2020-01-01', status: 'planned' });
  assert.equal(a.status, 201, a.text);
  assert.equal(lateCount((await srv.get('/')).text), before + 1, 'one more late action, at once');
  const api = async () => (await srv.getJSON('/api/v1/followup?late=true&limit=1')).counts?.late;
  const lateApi = await api();
  const del = await srv.request('DELETE', `/api/v1/actions/${a.json.id}`, { headers: { 'If-Match': `"${a.json.version}"` } });
  assert.ok(del.status === 204 || del.status === 200, del.text);
  assert.equal(lateCount((await srv.get('/')).text), before, 'and one fewer once it is deleted');
  assert.ok(Number.isInteger(lateApi), 'the board counts the late actions');
  assert.equal(await api(), lateApi - 1, 'the board\'s counts too');
});

test('the report page of the demo edition: summary, late actions with owners, charts', async () => {
  const e = await expected(1);
  const r = await srv.get('/meetings/1/report', { headers: { 'Accept-Language': 'en' } });
  assert.equal(r.status, 200);
  same(summaryOf(r.text), { ...e.by, total: e.total, late: e.late.length, mean: e.mean }, 'summary');
  const late = section(r.text, 'r-late');
  const rows = [...late.matchAll(/<tr><td>(\d+)<\/td>/g)].map((m) => Number(m[1]));
  same(sorted(rows), sorted(e.late.map((a) => a.id)), 'late actions');
  const orgs = new Map((await srv.all('organisations')).map((o) => [o.id, o]));
  for (const a of e.late) assert.ok(late.includes(orgs.get(a.owner).name.en.replace(/'/g, '&#39;')), `owner of ${a.id}`);
  // per outcome: each outcome's action count
  const per = section(r.text, 'r-outcomes');
  for (const o of [...e.w.outcomes.values()].filter((x) => x.meeting === 1)) {
    const n = e.mine.filter((a) => a.outcome === o.id).length;
    assert.match(per, new RegExp(`<tr><td>${o.number}</td><th scope="row">[^]*?</th><td class="num">${n}</td>`), `outcome ${o.number}`);
  }
  // two charts, each with a text alternative
  const svgs = r.text.match(/<svg [^>]*role="img"[^>]*>/g) || [];
  assert.equal(svgs.length, 2);
  assert.match(r.text, /<svg [^>]*aria-labelledby="chart-status-t chart-status-d"[^>]*><title id="chart-status-t">[^<]+<\/title><desc id="chart-status-d">[^<]+<\/desc>/);
  assert.match(r.text, /<title id="chart-burndown-t">/);
  // the burn-down starts at the meeting with every action open and ends today with the open ones
  const bd = section(r.text, 'r-burndown');
  const pts = [...bd.matchAll(/<tr><td><time datetime="([\d-]+)">[^<]*<\/time><\/td><td class="num">(\d+)<\/td><\/tr>/g)].map((m) => [m[1], Number(m[2])]);
  same(pts[0], ['2024-09-26', e.total], 'first point');
  same(pts[pts.length - 1], [todayUTC(), e.by.planned + e.by.in_progress], 'last point');
  const link = /<link rel="stylesheet" href="(\/static\/followup\.[0-9a-f]{8}\.css)">/.exec(r.text);
  assert.ok(link, 'the page links the follow-up stylesheet by its content-hashed name');
  assert.match(r.text, /\/\* gap analysis|<section class="r-burndown">/); // the page renders; the marker is in the source
  // the meeting page links to its report and board
  const m = await srv.get('/meetings/1');
  assert.match(m.text, /href="\/meetings\/1\/report"/);
  assert.match(m.text, /href="\/board\?meeting=1"/);
  assert.equal((await srv.get('/meetings/999999/report')).status, 404);
  assert.equal((await srv.get('/meetings/abc/report')).status, 404);
  // print stylesheet: A4, no navigation
  const css = await srv.get(link[1]);
  assert.match(css.text, /@page \{ size: A4;/);
  assert.match(css.text, /@media print \{[^]*header\.top[^]*display: none/);
  assert.match(css.text, /tr, \.report \.chart[^{]*\{ break-inside: avoid/);
});

test('progress since the previous edition: the actions of the edition before, then and now', async () => {
  const made = await srv.post('/api/v1/meetings', { kind: 'strategic_dialogue', title: { en: 'Second dialogue', fr: 'Deuxième dialogue' }, edition: 2, start_date: '2025-09-30', previous: 1 });
  assert.equal(made.status, 201);
  const id = made.json.id;
  const r = await srv.get(`/meetings/${id}/report`, { headers: { 'Accept-Language': 'en' } });
  assert.equal(r.status, 200);
  const p = section(r.text, 'r-progress');
  const e = await expected(1);
  const rows = [...p.matchAll(/<tr><td>(\d+)<\/td>/g)].map((m) => Number(m[1]));
  same(sorted(rows), sorted(e.mine.map((a) => a.id)), 'the previous edition\'s actions');
  // closing dates as the report defines them, from the updates
  const closed = (a) => {
    if (a.status !== 'done' && a.status !== 'dropped') return null;
    const full = e.w.updates.filter((u) => u.action === a.id && u.percent !== null && u.percent >= 100).map((u) => u.date).sort();
    return full.length ? full[0] : a.updated_at.slice(0, 10);
  };
  const then = e.mine.filter((a) => closed(a) && closed(a) <= '2025-09-30').length;
  const now = e.mine.filter((a) => closed(a)).length;
  assert.match(p, new RegExp(`Of the ${e.mine.length} actions of the previous edition, ${then} were closed by the opening of this edition and ${now} are closed now\\.`));
  // action 5: 50 % on 2025-04-10, 75 % on 2025-10-15 (after the opening)
  const row5 = p.slice(p.indexOf('<tr><td>5</td>'), p.indexOf('</tr>', p.indexOf('<tr><td>5</td>')));
  assert.match(row5, /<td class="num">50%<\/td><td class="num">\d+%<\/td>$/);
  // an edition without actions: empty charts that say so, zero counts
  same(summaryOf(r.text), { planned: 0, in_progress: 0, done: 0, dropped: 0, total: 0, late: 0, mean: 0 }, 'empty edition');
  assert.match(section(r.text, 'r-late'), /No action is late\./);
  // without `previous`, the latest strategic dialogue before it
  const third = await srv.post('/api/v1/meetings', { kind: 'strategic_dialogue', title: { en: 'Third dialogue' }, start_date: '2026-09-30' });
  const t = await srv.get(`/meetings/${third.json.id}/report`, { headers: { 'Accept-Language': 'en' } });
  assert.match(section(t.text, 'r-progress'), /Second dialogue/);
});

test('suivi report followup writes the same report as a standalone file in fr, en and ar', async () => {
  const page = (await srv.get('/meetings/1/report', { headers: { 'Accept-Language': 'en' } })).text;
  const article = (html) => html.slice(html.indexOf('<article class="report">'), html.indexOf('</article>') + 10);
  for (const lang of ['fr', 'en', 'ar']) {
    const out = path.join(srv.dir, `report-${lang}.html`);
    const r = cli(['report', 'followup', '--meeting', '1', '--lang', lang, '--out', out, '--db', srv.db]);
    assert.equal(r.status, 0, r.stderr);
    const html = readFileSync(out, 'utf8');
    assert.ok(html.startsWith(`<!DOCTYPE html>\n<html lang="${lang}" dir="${lang === 'ar' ? 'rtl' : 'ltr'}">`), `${lang}: ${html.slice(0, 80)}`);
    assert.match(html, /<style>[^]*@page \{ size: A4;[^]*<\/style>/, 'the CSS is inlined');
    assert.doesNotMatch(html, /<link rel="stylesheet"/);
    assert.equal((html.match(/<svg [^>]*role="img"/g) || []).length, 2);
    const e = await expected(1);
    same(summaryOf(html), { ...e.by, total: e.total, late: e.late.length, mean: e.mean }, `${lang} summary`);
    for (const a of e.late) assert.match(section(html, 'r-late'), new RegExp(`<tr><td>${a.id}</td>`));
    if (lang === 'en') assert.equal(article(html), article(page), 'the file has the page\'s content');
  }
  const stdout = cli(['report', 'followup', '--meeting', '1', '--db', srv.db]);
  assert.equal(stdout.status, 0);
  assert.match(stdout.stdout, /^<!DOCTYPE html>\n<html lang="fr" dir="ltr">/);
  assert.equal(cli(['report', 'followup', '--meeting', '999999', '--db', srv.db]).status, 1);
  assert.equal(cli(['report', 'followup', '--meeting', '1', '--lang', 'de', '--db', srv.db]).status, 2);
  assert.equal(cli(['report', 'other', '--meeting', '1', '--db', srv.db]).status, 2);
});

// The annual cycle (DESIGN M1–M2): from an edition's page an officer opens the next
// edition, which starts with the review of last year's commitments (every action of
// the previous edition neither done nor dropped, with its history), shows its
// strategic priorities in French and English side by side and the follow-up status of
// each outcome.  Both backends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, Session } from './harness.mjs';

const srv = useServer();
let officer;
let next; // the edition opened by the test

/** The value of a form field in an HTML form (input value or selected options). */
function fieldsOf(html) {
  const out = [];
  for (const m of html.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)) out.push([m[1], m[2]]);
  for (const s of html.matchAll(/<select[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g)) {
    for (const o of s[2].matchAll(/<option value="([^"]*)" selected/g)) out.push([s[1], o[1]]);
  }
  for (const t of html.matchAll(/<textarea[^>]*name="([^"]+)"[^>]*>([^<]*)<\/textarea>/g)) out.push([t[1], t[2]]);
  return out.map(([k, v]) => [k, v.replace(/&amp;/g, '&').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>')]);
}

test('setup: an officer signs in', async () => {
  const password = srv.addUser('officer.cycle', 'officer');
  officer = new Session(srv);
  assert.equal((await officer.login('officer.cycle', password)).status, 303);
});

test('an edition page shows bilingual priorities and the follow-up of each outcome', async () => {
  const r = await officer.get('/meetings/1');
  assert.equal(r.status, 200);
  const prios = (await srv.all('outcomes', 'meeting=1')).filter((o) => o.kind === 'priority');
  assert.ok(prios.length > 0);
  for (const o of prios) {
    assert.ok(r.text.includes(`<td lang="fr">${o.text.fr.replace(/'/g, '&#39;')}</td>`), `priority ${o.id} in French`);
    assert.ok(r.text.includes(`<td lang="en">${o.text.en.replace(/'/g, '&#39;')}</td>`), `priority ${o.id} in English`);
  }
  for (const o of await srv.all('outcomes', 'meeting=1')) {
    assert.ok(r.text.includes(`href="/actions?outcome=${o.id}"`), `follow-up of outcome ${o.id}`);
  }
});

test('an officer opens the next edition from the page; it starts with the review of last year\'s open actions', async () => {
  const page = await officer.get('/meetings/1');
  const m = /id="open-next" href="([^"]+)"/.exec(page.text);
  assert.ok(m, 'the "open the next edition" link');
  const form = await officer.get(m[1].replace(/&amp;/g, '&'));
  assert.equal(form.status, 200);
  const fields = fieldsOf(form.text).filter(([k]) => k !== '_csrf');
  const get = (k) => fields.filter(([n]) => n === k).map(([, v]) => v);
  assert.deepEqual(get('previous'), ['1'], 'previous edition preset');
  assert.deepEqual(get('edition'), ['2'], 'edition number + 1');
  assert.deepEqual(get('start_date'), ['2025-09-26'], 'a year later');
  assert.deepEqual(get('cochairs').sort(), ['1', '2'], 'the co-chairs carried over');
  const saved = await officer.form('/meetings/new', fields.map(([k, v]) => [k, k === 'start_date' ? '2025-10-02' : v]));
  assert.equal(saved.status, 303, saved.text.slice(0, 2000));
  const loc = saved.headers.get('location');
  next = Number(/\/meetings\/(\d+)/.exec(loc)[1]);
  const rec = await srv.getJSON(`/api/v1/meetings/${next}`);
  assert.equal(rec.previous, 1);
  assert.equal(rec.edition, 2);
  assert.equal(rec.start_date, '2025-10-02');

  const ed = await officer.get(`/meetings/${next}`);
  assert.match(ed.text, /<section class="review">/);
  const outcomes = (await srv.all('outcomes', 'meeting=1')).map((o) => o.id);
  const actions = (await srv.all('actions')).filter((a) => outcomes.includes(a.outcome));
  const open = actions.filter((a) => !['done', 'dropped'].includes(a.status));
  const closed = actions.filter((a) => ['done', 'dropped'].includes(a.status));
  assert.ok(open.length > 0 && closed.length > 0);
  const review = /<section class="review">([\s\S]*?)<\/section>/.exec(ed.text)[1];
  for (const a of open) assert.ok(review.includes(`href="/actions/${a.id}"`), `open action ${a.id} in the review`);
  for (const a of closed) assert.ok(!review.includes(`href="/actions/${a.id}"`), `closed action ${a.id} not in the review`);
  // with its history: each dated update of the open actions
  for (const a of open) {
    for (const u of await srv.all('action_updates', `action=${a.id}`)) {
      assert.ok(review.includes(`datetime="${u.date}"`), `update ${u.id} of action ${a.id}`);
    }
  }
  // The previous edition now links to it, and offers no second one.
  const prev = await officer.get('/meetings/1');
  assert.ok(prev.text.includes(`href="/meetings/${next}"`), 'link to the next edition');
  assert.ok(!prev.text.includes('id="open-next"'), 'no second next edition');
});

test('an action closed after the review opened leaves it', async () => {
  const outcomes = (await srv.all('outcomes', 'meeting=1')).map((o) => o.id);
  const open = (await srv.all('actions')).find((a) => outcomes.includes(a.outcome) && !['done', 'dropped'].includes(a.status));
  assert.equal((await srv.patch(`/api/v1/actions/${open.id}`, { status: 'done', percent: 100 })).status, 200);
  const review = /<section class="review">([\s\S]*?)<\/section>/.exec((await officer.get(`/meetings/${next}`)).text)[1];
  assert.ok(!review.includes(`href="/actions/${open.id}"`), 'done: no longer reviewed');
});

test('focal points and donors see the edition but are not offered to open the next one', async () => {
  for (const role of ['focal', 'donor']) {
    const name = `${role}.cycle`;
    const password = srv.addUser(name, role, { country: role === 'focal' ? 'MA' : undefined });
    const s = new Session(srv);
    await s.login(name, password);
    const r = await s.get(`/meetings/${next}`);
    assert.equal(r.status, 200, role);
    assert.match(r.text, /<section class="review">/, `${role} sees the review`);
    assert.ok(!r.text.includes('id="open-next"'), `${role}: no offer`);
  }
});

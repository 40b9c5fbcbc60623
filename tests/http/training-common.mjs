// tests/http/training-common.mjs — what the training dashboard tests share: records
// written through the API, and the test's own computation of every figure from the
// enrolments, participants, sessions and courses read through the API as admin.
// Not a test file itself.
import assert from 'node:assert/strict';

/** The dimensions of the dashboard, as in its URLs and JSON (by_DIM). */
export const DIMS = ['country', 'agency', 'sex', 'theme', 'year', 'course'];

/** POST /api/v1/COLLECTION as srv's admin; answers the record made. */
export async function create(srv, collection, body) {
  const r = await srv.post(`/api/v1/${collection}`, body);
  assert.equal(r.status, 201, `POST ${collection}: ${r.status} ${r.text}`);
  return r.json;
}

/** PATCH with the record's current version; answers the record. */
export async function patch(srv, collection, id, body) {
  const cur = await srv.getJSON(`/api/v1/${collection}/${id}`);
  const r = await srv.patch(`/api/v1/${collection}/${id}`, body, { headers: { 'If-Match': `"${cur.version}"` } });
  assert.equal(r.status, 200, `PATCH ${collection}/${id}: ${r.status} ${r.text}`);
  return r.json;
}

/** Two courses (border security, terrorist financing) and three sessions (2023
 * borders, 2024 finance, 2024 borders); answers {courses: [id], sessions: [id]}. */
export async function coursesAndSessions(srv) {
  const courses = [(await create(srv, 'courses', { title: { fr: 'Frontières', en: 'Borders' }, theme: 'border_security', days: 4 })).id,
    (await create(srv, 'courses', { title: { fr: 'Finances', en: 'Finance' }, theme: 'terrorist_financing', days: 3 })).id];
  const sessions = [];
  for (const [i, date] of ['2023-03-01', '2024-05-10', '2024-09-20'].entries())
    sessions.push((await create(srv, 'sessions', { course: courses[i % 2], start_date: date, venue: 'Rabat' })).id);
  return { courses, sessions };
}

/** The k-th generated enrolment of participant p in session s: days, scores (no
 * post-test every `noPost`-th), satisfaction, completed (not every 4th). */
export function enrolmentBody(k, p, s, noPost = 5) {
  const pre = 30 + (k * 7) % 40;
  return { participant: p, session: s, days_attended: 1 + (k % 4), pre_score: pre,
    post_score: k % noPost ? Math.min(100, pre + (k * 3) % 25) : null, satisfaction: 1 + (k % 5), completed: k % 4 !== 0 };
}

/** Reads every training record through srv (an admin); answers the rows, one per
 * enrolment with its dimensions, and which enrolment counts each person
 * (people: each participant once, at the first completed enrolment by session
 * start date, then enrolment number). */
export async function trainingRecords(srv) {
  const [enr, parts, sessions, courses] = await Promise.all([srv.all('enrolments'), srv.all('participants'),
    srv.all('sessions'), srv.all('courses')]);
  const P = new Map(parts.map((p) => [p.id, p]));
  const S = new Map(sessions.map((s) => [s.id, s]));
  const C = new Map(courses.map((c) => [c.id, c]));
  const rows = enr.map((e) => {
    const p = P.get(e.participant), s = S.get(e.session), c = C.get(s.course);
    return { e, start: s.start_date, year: s.start_date.slice(0, 4), country: p.country, agency: p.agency || '',
      sex: p.sex || '', theme: c.theme || '', course: String(c.id) };
  });
  const first = new Map();
  for (const r of rows.filter((x) => x.e.completed).sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.e.id - b.e.id)))
    if (!first.has(r.e.participant)) first.set(r.e.participant, r.e.id);
  return { rows, first };
}

/** The exact figures of a set of rows: people, enrolments, completed, person_days,
 * n (enrolments with both scores), g (Σ gain), g2 (Σ gain²), gains (the list), ns,
 * ss (satisfaction: number, sum). */
export function sumRows(list, first) {
  const m = { people: 0, enrolments: 0, completed: 0, person_days: 0, n: 0, g: 0, g2: 0, gains: [], ns: 0, ss: 0 };
  for (const r of list) {
    const e = r.e;
    m.enrolments++;
    if (e.completed) m.completed++;
    m.person_days += e.days_attended || 0;
    if (e.pre_score != null && e.post_score != null) {
      const g = e.post_score - e.pre_score;
      m.n++; m.g += g; m.g2 += g * g; m.gains.push(g);
    }
    if (e.satisfaction != null) { m.ns++; m.ss += e.satisfaction; }
    if (first.get(e.participant) === e.id) m.people++;
  }
  return m;
}

/** The exact figures under a filter ({dim: value}): {totals, by(dim) → Map key → figures}. */
export function figures({ rows, first }, filter = {}) {
  const keep = rows.filter((r) => Object.entries(filter).every(([k, v]) => r[k] === v));
  const by = (dim) => {
    const groups = new Map();
    for (const r of keep) {
      if (!groups.has(r[dim])) groups.set(r[dim], []);
      groups.get(r[dim]).push(r);
    }
    return new Map([...groups].map(([k, list]) => [k, sumRows(list, first)]));
  };
  return { totals: sumRows(keep, first), by };
}

/** Is a group hidden from those who are not staff (fewer than 5 enrolments, or 1 to 4 people)? */
export function small(m) {
  return (m.enrolments > 0 && m.enrolments < 5) || (m.people > 0 && m.people < 5);
}

/** A CSV of n participants (with line ends eol), the family names `family` and a number. */
export function participantRows(n, family, eol) {
  const out = ['family_name,given_names,country,sex,agency'];
  const sexes = ['female', 'male'];
  for (let i = 0; i < n; i++) out.push(`${family}${i},Prénom${i % 977},${i % 3 ? 'SN' : 'MA'},${sexes[i % 2]},police`);
  return out.join(eol) + eol;
}

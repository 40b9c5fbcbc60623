// The training imports (participants, enrolments), duplicates and merge (issue 6):
// POST /api/v1/participants/import and /api/v1/enrolments/import with text/csv,
// the upload pages, all-or-nothing with every bad row reported by line, the same
// person matched (not created twice), likely duplicates listed on
// /participants/duplicates, merge (API and page) moving every enrolment, audited
// once, and the dashboard's summaries still equal to a GROUP BY from scratch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, USER_PASSWORD } from './harness.mjs';

const srv = useServer();

function csv(path, text, opts = {}) {
  return srv.request('POST', path, { body: text, headers: { 'Content-Type': 'text/csv' }, ...opts });
}

async function count(collection, query = '') {
  return (await srv.getJSON(`/api/v1/${collection}?limit=0${query ? '&' + query : ''}`)).total;
}

async function assertConsistent(what) {
  const c = await srv.getJSON('/api/v1/training/check');
  assert.equal(c.consistent, true, `${what}: ${JSON.stringify(c)}`);
}

test('participants: a French spreadsheet export (BOM, ;, dd/mm/yyyy, names of countries)', async () => {
  const before = await count('participants');
  const text = '\uFEFFNom;Prénoms;Pays;Date de naissance;Sexe;Agence;Passeport\r\n' +
    'Dupont;Marie-Claire;Sénégal;12/03/1985;F;Police;A123\r\n' +
    'Traoré;Moussa;Mali;01/01/1980;homme;douane;\r\n' +
    'Kamara;Awa;GN;;femme;gendarmerie;\r\n';
  const r = await csv('/api/v1/participants/import?name=liste.csv', text);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { imported: 3, rows: 3, created: 3, updated: 0, unchanged: 0, dry_run: false, matched: 0, likely_duplicates: 0 });
  assert.equal(await count('participants'), before + 3);
  const p = (await srv.all('participants', 'country=SN')).find((x) => x.family_name === 'Dupont');
  assert.equal(p.birth_date, '1985-03-12');
  assert.equal(p.sex, 'female');
  assert.equal(p.agency, 'police');
  assert.equal(p.source, 'liste.csv');
});

test('the same person (names in another order, case, accents; same birth date) is matched, not created', async () => {
  const before = await count('participants');
  const text = 'family_name,given_names,country,birth_date,document_number\n' +
    'MARIE CLAIRE,dupont,SN,1985-03-12,\n' + // same birth date: the same person
    'Traore,MOUSSA,ML,,\n' + // no confirming field: a likely duplicate
    'Kamara,Awa,GN,,X77\n' + // a document number, none recorded: likely duplicate
    'Kamara,Awa,SN,,\n'; // another country: another person
  const r = await csv('/api/v1/participants/import', text);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.matched, 1);
  assert.equal(r.json.likely_duplicates, 2);
  assert.equal(r.json.imported, 3);
  assert.equal(await count('participants'), before + 3);
  const s = await srv.login();
  const page = await s.get('/participants/duplicates');
  assert.equal(page.status, 200);
  const traore = (await srv.all('participants', 'country=ML')).filter((x) => /^Traor/.test(x.family_name));
  assert.equal(traore.length, 2);
  for (const t of traore) assert.match(page.text, new RegExp(`/participants/${t.id}"`));
  assert.doesNotMatch(page.text, /Dupont Marie-Claire \(SN\)/, 'the matched one is not a duplicate');
});

test('the same person twice in one file is one person (both backends: written at once, or still in a batch)', async () => {
  const before = await count('participants');
  const text = 'family_name,given_names,country,birth_date\n' +
    'Ndiaye,Fatou,SN,1990-07-01\n' +
    'FATOU,ndiaye,SN,1990-07-01\n' + // the row above, names reordered and upper-cased
    'Ndiaye,Fatou,SN,\n'; // no confirming field: a likely duplicate of the first
  const r = await csv('/api/v1/participants/import', text);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.matched, 1, 'the second row is the first person');
  assert.equal(r.json.likely_duplicates, 1);
  assert.equal(await count('participants'), before + 2);
});

test('a bad file writes nothing and reports every bad row by line', async () => {
  const before = await count('participants');
  const text = 'family_name,country,birth_date,sex,email,colour\n';
  let r = await csv('/api/v1/participants/import', text);
  assert.equal(r.status, 422);
  assert.equal(r.json.error.rows[0].column, 'colour');
  const bad = 'family_name,country,birth_date,sex,email\n' +
    'Ok,SN,,,\n' +
    ',SN,,,\n' + // line 3: no family name
    'Un,Atlantis,,,\n' + // line 4: no such country
    'Deux,SN,31/02/1990,,\n' + // line 5: no such date
    'Trois,SN,,other,\n' + // line 6: not a sex
    'Quatre,SN,,,not-an-email\n'; // line 7
  r = await csv('/api/v1/participants/import', bad);
  assert.equal(r.status, 422, r.text);
  const lines = r.json.error.rows.map((x) => x.line);
  assert.deepEqual(lines, [3, 4, 5, 6, 7]);
  assert.equal(await count('participants'), before);
});

let sessions = [];
test('enrolments: by participant number or by name, country and birth date; all or nothing', async () => {
  const c = await srv.post('/api/v1/courses', { title: { fr: 'Import', en: 'Import' }, theme: 'border_security', days: 3 });
  for (const d of ['2024-02-01', '2024-06-01'])
    sessions.push((await srv.post('/api/v1/sessions', { course: c.json.id, start_date: d })).json.id);
  const [dupont] = (await srv.all('participants', 'country=SN')).filter((x) => x.family_name === 'Dupont');
  const before = await count('enrolments');
  const bad = 'participant,family_name,given_names,country,birth_date,session,days_attended,pre_score,post_score,satisfaction,completed\n' +
    `${dupont.id},,,,,${sessions[0]},3,40,60,4,oui\n` +
    `,Dupont,Marie-Claire,SN,1985-03-12,${sessions[1]},3,50,75,5,1\n` +
    `${dupont.id},,,,,${sessions[0]},3,40,60,4,1\n` + // line 4: twice in one session
    `999999,,,,,${sessions[0]},3,40,60,4,1\n` + // line 5: no such participant
    `,Dupont,Marie-Claire,SN,1990-01-01,${sessions[0]},3,40,60,4,1\n` + // line 6: birth date differs
    `${dupont.id},,,,,${sessions[1] + 1000},3,40,60,4,1\n` + // line 7: no such session
    `${dupont.id},,,,,${sessions[1]},0,40,60,4,1\n`; // line 8: completed without attending (and twice)
  let r = await csv('/api/v1/enrolments/import', bad);
  assert.equal(r.status, 422, r.text);
  assert.deepEqual([...new Set(r.json.error.rows.map((x) => x.line))], [4, 5, 6, 7, 8]);
  assert.equal(await count('enrolments'), before);
  const good = bad.split('\n').slice(0, 3).join('\n') + '\n';
  r = await csv('/api/v1/enrolments/import', good);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.imported, 2);
  const mine = await srv.all('enrolments', `participant=${dupont.id}`);
  assert.equal(mine.length, 2);
  assert.deepEqual(mine.map((e) => e.session).sort(), [...sessions].sort());
  await assertConsistent('after an enrolment import');
  const sum = await srv.getJSON('/api/v1/training/summary?country=SN');
  assert.ok(sum.totals.enrolments >= 2);
});

test('merge: every enrolment moves, the more complete is kept in a shared session, one audit entry', async () => {
  const mk = async (given) => (await srv.post('/api/v1/participants', { family_name: 'Mensah', given_names: given, country: 'GH' })).json.id;
  const keep = await mk('Kofi'), gone = await mk('KOFI');
  const en = async (p, s, body) => (await srv.post('/api/v1/enrolments', { participant: p, session: s, ...body })).json.id;
  const kept0 = await en(keep, sessions[0], {}); // incomplete
  const moved0 = await en(gone, sessions[0], { days_attended: 3, pre_score: 40, post_score: 70, completed: true });
  const moved1 = await en(gone, sessions[1], { days_attended: 2 });
  await assertConsistent('before the merge');
  const r = await srv.post(`/api/v1/participants/${gone}/merge`, { into: keep });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.into, keep);
  assert.deepEqual(r.json.moved.sort(), [moved0, moved1].sort());
  assert.deepEqual(r.json.dropped, [{ enrolment: kept0, session: sessions[0], kept: moved0 }]);
  assert.equal((await srv.get(`/api/v1/participants/${gone}`)).status, 404);
  const now = await srv.all('enrolments', `participant=${keep}`);
  assert.deepEqual(now.map((e) => e.id).sort(), [moved0, moved1].sort());
  const audit = await srv.all('audit', `entity=participant&action=merge`);
  const mine = audit.filter((a) => a.record === String(gone));
  assert.equal(mine.length, 1);
  assert.deepEqual(JSON.parse(mine[0].after), r.json);
  await assertConsistent('after the merge');
  assert.equal((await srv.post(`/api/v1/participants/${keep}/merge`, { into: keep })).status, 422);
  assert.equal((await srv.post(`/api/v1/participants/${gone}/merge`, { into: keep })).status, 404);
  assert.equal((await srv.post(`/api/v1/participants/${keep}/merge`, { into: 'x' })).status, 400);
});

test('merge from the duplicates page', async () => {
  const s = await srv.login();
  const ml = (await srv.all('participants', 'country=ML')).filter((x) => /^Traor/.test(x.family_name)).map((x) => x.id).sort((a, b) => a - b);
  const r = await s.form('/participants/duplicates', { from: String(ml[1]), into: String(ml[0]) });
  assert.equal(r.status, 200, r.text.slice(0, 300));
  assert.equal((await srv.get(`/api/v1/participants/${ml[1]}`)).status, 404);
  await assertConsistent('after a page merge');
});

test('the upload page imports too, and shows the problems', async () => {
  const s = await srv.login();
  const page = await s.get('/participants/import');
  assert.equal(page.status, 200);
  assert.match(page.text, /<textarea id="import-csv" name="csv"/);
  const before = await count('participants');
  let r = await s.form('/participants/import', { csv: 'family_name,country\nAbebe,ET\n', name: 'page.csv' });
  assert.equal(r.status, 200, r.text.slice(0, 300));
  assert.equal(await count('participants'), before + 1);
  r = await s.form('/enrolments/import', { csv: 'participant,session\n1,999999\n' });
  assert.equal(r.status, 422);
  assert.match(r.text, /<td>2<\/td>/);
});

test('only staff import or merge', async () => {
  await srv.addUser('focal_gh', 'focal', { country: 'GH' });
  const tok = await srv.addToken('focal_gh');
  let r = await csv('/api/v1/participants/import', 'family_name,country\nX,GH\n', { auth: tok.token });
  assert.equal(r.status, 403);
  r = await srv.post('/api/v1/participants/1/merge', { into: 2 }, { auth: tok.token });
  assert.equal(r.status, 403);
  const s = await srv.login('focal_gh', USER_PASSWORD);
  assert.equal((await s.get('/participants/duplicates')).status, 403);
  assert.equal((await csv('/api/v1/participants/import', 'x', { headers: { 'Content-Type': 'application/json' } })).status, 415);
});

test('server stops cleanly', () => srv.stop());

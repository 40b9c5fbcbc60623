// The texts left to translate (issue 14, item 5): GET /translations lists, for staff,
// the records whose multilingual texts are given in one language and missing in
// another — per collection, by label, with the field, the missing languages and a link
// to the form's box — filtered by missing language and by collection, counted, the
// first ten of each collection and pages of one; GET /api/v1/translations the same as
// JSON.  A text given in no language (an optional one left empty) is none of them.
// Focal points and donors are refused (403), the public sent to the sign-in page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, USER_PASSWORD } from './harness.mjs';

const srv = useServer();

const EN = { headers: { 'Accept-Language': 'en' } };

/** A session in language lang. */
async function signIn(name, lang = 'en') {
  const s = name === 'admin' ? await srv.login() : await srv.login(name, USER_PASSWORD);
  s.jar.set('lang', lang);
  return s;
}

/** The JSON list of one collection (the records' keys → their missing languages per field). */
async function gaps(collection, missing = '') {
  const r = await srv.get(`/api/v1/translations?collection=${collection}&limit=500${missing ? '&missing=' + missing : ''}`, EN);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.collections.length, 1);
  const c = r.json.collections[0];
  assert.equal(c.collection, collection);
  assert.equal(c.items.length, c.total, 'every record on one page');
  return Object.fromEntries(c.items.map((i) => [String(i.key), i]));
}

// Themes: the demo's are written in the three languages; these are written in one,
// two or three.  Persons: a function is an optional text.
const THEMES = {
  'zz_fr': { fr: 'Thème seul en français' },
  'zz_fr_en': { fr: 'Thème en deux langues', en: 'Theme in two languages' },
  'zz_en_ar': { en: 'Theme without French', ar: 'موضوع بلا فرنسية' },
  'zz_all': { fr: 'Thème complet', en: 'Complete theme', ar: 'موضوع كامل' },
};
const persons = {};

test('records made with texts in one, two or three languages appear or not, with what they lack', async () => {
  for (const [code, name] of Object.entries(THEMES)) {
    const r = await srv.post('/api/v1/themes', { code, name });
    assert.equal(r.status, 201, r.text);
  }
  for (const [k, title] of [['untitled', undefined], ['arabic', { ar: 'مندوب' }], ['full', { fr: 'Délégué', en: 'Delegate', ar: 'مندوب' }]]) {
    const r = await srv.post('/api/v1/persons', { name: `Translation Test ${k}`, ...(title ? { title } : {}) });
    assert.equal(r.status, 201, r.text);
    persons[k] = r.json.id;
  }

  const themes = await gaps('themes');
  assert.deepEqual(Object.keys(themes).sort(), ['zz_en_ar', 'zz_fr', 'zz_fr_en'], 'the demo\'s themes and the complete one are not listed');
  assert.deepEqual(themes['zz_fr'].missing, { name: ['en', 'ar'] });
  assert.deepEqual(themes['zz_fr_en'].missing, { name: ['ar'] });
  assert.deepEqual(themes['zz_en_ar'].missing, { name: ['fr'] });
  assert.equal(themes['zz_fr_en']._label, 'Theme in two languages', 'the record by its label');

  const people = await gaps('persons');
  assert.ok(people[persons.arabic], 'a function in Arabic only');
  assert.deepEqual(people[persons.arabic].missing, { title: ['fr', 'en'] });
  assert.ok(!people[persons.untitled], 'a function given in no language is not a text to translate');
  assert.ok(!people[persons.full], 'nor one given in all three');
});

test('the filter by missing language', async () => {
  assert.deepEqual(Object.keys(await gaps('themes', 'fr')), ['zz_en_ar']);
  assert.deepEqual(Object.keys(await gaps('themes', 'en')), ['zz_fr']);
  assert.deepEqual(Object.keys(await gaps('themes', 'ar')).sort(), ['zz_fr', 'zz_fr_en']);
  // a record listed for one language shows every language its text lacks
  assert.deepEqual((await gaps('themes', 'ar'))['zz_fr'].missing, { name: ['en', 'ar'] });
  for (const bad of ['missing=de', 'collection=nosuch', 'collection=audit', 'limit=0', 'limit=501', 'offset=5', 'collection=themes&offset=-1']) {
    const r = await srv.get(`/api/v1/translations?${bad}`);
    assert.equal(r.status, 400, `${bad}: ${r.text}`);
    assert.equal(r.json.error.code, 'bad_query');
    const s = await signIn('admin');
    assert.equal((await s.get(`/translations?${bad}`)).status, 400, `the page, ${bad}`);
  }
});

test('every collection at once: counts, and only the collections with multilingual texts', async () => {
  const all = (await srv.getJSON('/api/v1/translations?missing=ar')).collections;
  const names = all.map((c) => c.collection);
  for (const c of ['countries', 'themes', 'meetings', 'outcomes', 'actions', 'persons']) assert.ok(names.includes(c), c);
  for (const c of ['audit', 'participants', 'enrolments', 'sessions']) assert.ok(!names.includes(c), `${c} has no multilingual text`);
  const themes = all.find((c) => c.collection === 'themes');
  assert.equal(themes.total, 2);
  assert.equal(themes.limit, 10, 'the first ten of each collection');
  for (const c of all) assert.ok(c.items.length <= 10 && c.items.length <= c.total, c.collection);
});

test('the page: per collection its heading, count, records by label, field, languages and the edit link', async () => {
  const s = await signIn('admin');
  const r = await s.get('/translations?missing=ar');
  assert.equal(r.status, 200);
  const t = r.text;
  assert.match(t, /<h1>Texts to translate<\/h1>/);
  assert.match(t, /<section id="t-themes"><h2>Themes <span class="count">\(2\)<\/span><\/h2>/, 'the plural name and the count');
  assert.match(t, /<a href="#t-themes"><strong>2<\/strong> Themes<\/a>/, 'the count as a tile leading to the section');
  const row = /<tr><th scope="row"><a href="\/themes\/zz_fr_en">Theme in two languages<\/a><\/th><td>Name<\/td><td><span class="tag">Arabic<\/span><\/td><td><a href="\/themes\/zz_fr_en\/edit#in-name-ar">Edit<\/a><\/td><\/tr>/;
  assert.match(t, row, 'the record by its label, the field, the missing language, the link to its box in the form');
  assert.match(t, /href="\/themes\/zz_fr\/edit#in-name-ar">Edit/, 'the box of the language asked for');
  assert.ok(!t.includes('zz_en_ar'), 'a text that lacks only French is not listed for Arabic');
  assert.match(t, /<option value="ar" selected>Arabic<\/option>/, 'the filter as asked');
  // every language: both missing languages named
  const any = (await s.get('/translations?collection=themes')).text;
  assert.match(any, /href="\/themes\/zz_fr"><span lang="fr" dir="ltr">Thème seul en français<\/span><\/a><\/th><td>Name<\/td><td><span class="tag">English<\/span>, <span class="tag">Arabic<\/span>/);
  assert.match(any, /href="\/themes\/zz_fr\/edit#in-name-en"/, 'the first missing language\'s box');
  assert.match(any, /<option value="themes" selected>Themes<\/option>/);

  // filled in, the record leaves the list
  const done = await srv.patch('/api/v1/themes/zz_fr_en', { name: { ar: 'موضوع بلغتين' } });
  assert.equal(done.status, 200, done.text);
  const after = (await s.get('/translations?collection=themes&missing=ar')).text;
  assert.ok(!after.includes('zz_fr_en'), 'translated: no longer listed');
  assert.match(after, /<h2>Themes <span class="count">\(1\)<\/span><\/h2>/);
});

test('French and Arabic pages', async () => {
  for (const [lang, heading, dir, missing] of [['fr', 'Textes à traduire', '', 'Arabe'], ['ar', 'نصوص للترجمة', ' dir="rtl"', 'العربية']]) {
    const s = await signIn('admin', lang);
    const r = await s.get('/translations?collection=themes&missing=ar');
    assert.equal(r.status, 200);
    assert.ok(r.text.includes(`<html lang="${lang}"${dir}`), lang);
    assert.ok(r.text.includes(`<h1>${heading}</h1>`), `${lang}: ${heading}`);
    assert.ok(r.text.includes(`<span class="tag">${missing}</span>`), `${lang}: the language named in the reader's words`);
  }
});

test('a collection of more than a page: the first ten in the overview, then pages of a hundred', async () => {
  // 105 persons whose function is in English only
  for (let i = 0; i < 105; i++) {
    const r = await srv.post('/api/v1/persons', { name: `Paged Person ${i}`, title: { en: `Officer ${i}` } });
    assert.equal(r.status, 201, r.text);
  }
  const s = await signIn('admin');
  const over = (await s.get('/translations?missing=fr')).text;
  const persons = over.slice(over.indexOf('id="t-persons"'));
  const section = persons.slice(0, persons.indexOf('</section>'));
  assert.equal((section.match(/<tr><th scope="row">/g) || []).length, 10, 'ten records');
  assert.match(section, /<a href="\/translations\?missing=fr&amp;collection=persons">All of them<\/a>/, 'and a link to all of them');
  const page1 = await s.get('/translations?missing=fr&collection=persons');
  const rows1 = (page1.text.match(/<tr><th scope="row">/g) || []).length;
  assert.equal(rows1, 100);
  assert.match(page1.text, /rel="next" href="\/translations\?missing=fr&amp;collection=persons&amp;offset=100"/);
  const page2 = await s.get('/translations?missing=fr&collection=persons&offset=100');
  const total = (await gaps('persons', 'fr'));
  assert.equal((page2.text.match(/<tr><th scope="row">/g) || []).length, Object.keys(total).length - 100);
  assert.match(page2.text, /rel="prev" href="\/translations\?missing=fr&amp;collection=persons"/);
});

test('staff only: admin and officer read it; focal points and donors 403; the public signs in first', async () => {
  srv.addUser('tr.officer', 'officer');
  srv.addUser('tr.focal', 'focal', { country: 'SN' });
  srv.addUser('tr.donor', 'donor', { organisation: 4 });
  for (const [name, status] of [['admin', 200], ['tr.officer', 200], ['tr.focal', 403], ['tr.donor', 403]]) {
    const s = await signIn(name);
    assert.equal((await s.get('/translations')).status, status, `${name}: the page`);
    assert.equal((await s.get('/api/v1/translations')).status, status, `${name}: the API`);
    const home = (await s.get('/')).text;
    assert.equal(home.includes('href="/translations"'), status === 200, `${name}: in the menu or not`);
  }
  for (const name of ['tr.focal', 'tr.donor']) {
    const { token } = srv.addToken(name);
    assert.equal((await srv.get('/api/v1/translations', { auth: token })).status, 403, `${name}'s token`);
  }
  const v = srv.visitor();
  const r = await v.get('/translations');
  assert.equal(r.status, 303);
  assert.match(r.headers.get('location'), /^\/login\?next=%2Ftranslations/);
  assert.ok(!(await v.get('/')).text.includes('href="/translations"'), 'not in the public menu');
  assert.equal((await srv.get('/api/v1/translations', { auth: false })).status, 401);
});

test('server stops cleanly', () => srv.stop());

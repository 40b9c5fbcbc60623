// Each language's conventions (issue 14, item 5): money and numbers as the reader's
// language writes them (French 1 200 000,00 USD, English USD 1,200,000.00, Arabic
// Latin digits isolated from the text direction), budgets typed and shown in currency
// units while the API keeps minor units, lists sorted by the language's collation
// (Bénin before Burundi in French), regions and statuses in the reader's words, and
// errors in the reader's language that name the value given and the values allowed.
// Both backends.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './harness.mjs';

let srv;
const NNBSP = '\u202f'; // between groups of digits, and before % in French
const NBSP = '\u00a0'; // before the currency code
let admin; // a signed-in Session
const ids = {};

const inLang = (lang) => ({ headers: { Cookie: `sid=${admin.sid}; lang=${lang}` } });
const page = async (p, lang) => {
  const r = await admin.get(p, inLang(lang));
  assert.equal(r.status, 200, `${p} in ${lang}: ${r.text.slice(0, 300)}`);
  return r.text;
};

async function create(coll, body) {
  const r = await srv.post(`/api/v1/${coll}`, body);
  assert.equal(r.status, 201, `${coll}: ${r.text}`);
  return r.json.id;
}

before(async () => {
  srv = await startServer();
  admin = await srv.login();
  ids.prog = await create('programmes', { title: { fr: 'Programme des conventions', en: 'Conventions programme' }, budget: 120000000, currency: 'USD', status: 'cancelled' });
});

after(async () => {
  if (srv) await srv.cleanup();
});

test('a budget in French, English and Arabic: 1 200 000,00 USD, USD 1,200,000.00, 1,200,000.00 USD isolated', async () => {
  const fr = await page(`/programmes/${ids.prog}`, 'fr');
  assert.ok(fr.includes(`1${NNBSP}200${NNBSP}000,00${NBSP}USD`), 'French: narrow no-break spaces, decimal comma, the code after');
  assert.ok(!fr.includes('USD 1,200,000.00'));
  assert.ok(!/en centimes|minor units/.test(fr), 'the label no longer says minor units');
  const en = await page(`/programmes/${ids.prog}`, 'en');
  assert.ok(en.includes('USD 1,200,000.00'));
  const ar = await page(`/programmes/${ids.prog}`, 'ar');
  assert.ok(ar.includes(`<bdi dir="ltr">1,200,000.00${NBSP}USD</bdi>`), 'Arabic: Latin digits (CLDR ar, latn), isolated');
  // a programme is masculine in French: "annulé", where a session is "annulée"
  assert.match(fr, /tag-cancelled">annulé</);
});

test('percentages as each language writes them: "86 %" in French, "86%" in English, isolated in Arabic', async () => {
  const fr = await page('/', 'fr');
  const bars = [...fr.matchAll(/<\/progress> ([^<]*)</g)].map((m) => m[1]);
  assert.ok(bars.length > 0, 'the home page has progress bars');
  for (const t of bars) assert.match(t, new RegExp(`^\\d+${NNBSP}%$`), `French: ${t}`);
  const en = await page('/board', 'en');
  assert.match(en, /<\/progress> \d+%</, 'English: no space');
  const ar = await page('/', 'ar');
  assert.match(ar, /<\/progress> <bdi dir="ltr">\d+%<\/bdi>/, 'Arabic: the figure isolated');
});

test('a budget typed in currency units in the form, kept in minor units', async () => {
  const form = await page(`/programmes/${ids.prog}/edit`, 'fr');
  assert.match(form, /<input type="text" inputmode="decimal" id="in-budget" name="budget"[^>]* value="1200000\.00">/);
  const before = (await srv.getJSON(`/api/v1/programmes/${ids.prog}`));
  // the French way of writing it, then the machine's
  for (const [typed, minor, lang] of [[`250${NNBSP}000,50`, 25000050, 'fr'], ['250 000,00', 25000000, 'fr'], ['1,250.5', 125050, 'en'], ['99.99', 9999, 'fr']]) {
    const cur = await srv.getJSON(`/api/v1/programmes/${ids.prog}`);
    const r = await admin.form(`/programmes/${ids.prog}/edit`, { _version: cur.version, 'title.fr': before.title.fr, 'title.en': before.title.en, currency: 'USD', status: 'cancelled', budget: typed }, inLang(lang));
    assert.equal(r.status, 303, `${typed}: ${r.text.slice(0, 500)}`);
    assert.equal((await srv.getJSON(`/api/v1/programmes/${ids.prog}`)).budget, minor, typed);
  }
  // more decimals than the currency has: refused, what was typed shown again
  const cur = await srv.getJSON(`/api/v1/programmes/${ids.prog}`);
  const r = await admin.form(`/programmes/${ids.prog}/edit`, { _version: cur.version, 'title.fr': before.title.fr, currency: 'USD', status: 'cancelled', budget: '12,345' }, inLang('fr'));
  assert.equal(r.status, 422);
  assert.match(r.text, /value="12,345"/);
  assert.equal((await srv.getJSON(`/api/v1/programmes/${ids.prog}`)).budget, 9999);
  // the API keeps minor units, and says so
  const api = await srv.getJSON('/api/v1/openapi.json');
  assert.match(JSON.stringify(api.components.schemas), /minor units of the currency/);
});

test('the countries list in French sorts by the language: Bénin before Burundi, Sénégal before Soudan du Sud', async () => {
  const html = await page('/countries?limit=500', 'fr');
  const names = [...html.matchAll(/<th scope="row"><a href="\/countries\/[A-Z]{2}">[A-Z]{2}<\/a><\/th><td>([^<]+)<\/td>/g)].map((m) => m[1]);
  assert.ok(names.length > 200, `${names.length} countries listed`);
  const at = (n) => { const i = names.indexOf(n); assert.ok(i >= 0, `${n} listed`); return i; };
  assert.ok(at('Bénin') < at('Burundi'), 'Bénin before Burundi');
  assert.ok(at('Sénégal') < at('Soudan du Sud'), 'Sénégal before Soudan du Sud');
  assert.ok(at('Égypte') < at('Érythrée') && at('Égypte') < at('Espagne') && at('Équateur') < at('Espagne'), 'É with E');
  // the API keeps its key order
  const api = await srv.getJSON('/api/v1/countries?limit=3');
  assert.deepEqual(api.items.map((c) => c.code), ['AD', 'AE', 'AF']);
});

test('regions and statuses in the reader\'s words, with French agreement', async () => {
  const fr = await page('/countries?limit=500', 'fr');
  assert.match(fr, /<td>Afrique septentrionale<\/td>/);
  assert.ok(!fr.includes('Northern Africa'));
  const ar = await page('/countries/MA', 'ar');
  assert.match(ar, /شمال أفريقيا/);
  const course = await create('courses', { title: { fr: 'Cours', en: 'Course' }, theme: 'border_security', days: 3 });
  const session = await create('sessions', { course, start_date: '2026-05-04', status: 'open' });
  assert.match(await page(`/sessions/${session}`, 'fr'), /tag-open">Ouverte</); // une session ouverte
  const need = await create('needs', { country: 'MA', theme: 'border_security', assessed_on: '2026-01-02', severity: 3, source: 'other', status: 'open' });
  assert.match(await page(`/needs/${need}`, 'fr'), /tag-open">Ouvert</); // un besoin ouvert
  ids.session = session;
});

test('a French grid error is French; an import error names the value and the values allowed', async () => {
  const participant = await create('participants', { family_name: 'Diallo', given_names: 'Awa', country: 'SN' });
  const enrolment = await create('enrolments', { participant, session: ids.session });
  const grid = await page(`/sessions/${ids.session}/results`, 'fr');
  const version = new RegExp(`name="enrolment" value="${enrolment}"><input type="hidden" name="_version" value="(\\d+)"`).exec(grid)[1];
  const r = await admin.form(`/sessions/${ids.session}/results`, { enrolment, _version: version, days_attended: '2', pre_score: '150', post_score: 'beaucoup', satisfaction: '4' }, inLang('fr'));
  assert.equal(r.status, 422);
  assert.match(r.text, /id="e-\d+-pre_score">vaut 150, hors de l&#39;intervalle 0–100</);
  assert.match(r.text, /id="e-\d+-post_score">doit être un nombre entier</);
  const csv = 'country,theme,assessed_on,severity,source,status\nMA,border_security,2026-02-03,3,other,ouverte\n';
  const imp = await admin.form('/needs/import', { csv, name: 'besoins.csv' }, inLang('fr'));
  assert.match(imp.text, new RegExp(`vaut «${NBSP}ouverte${NBSP}», qui ne fait pas partie des valeurs autorisées${NBSP}: open \\(Ouvert\\), being_addressed \\(En cours de traitement\\), met \\(Satisfait\\)`));
  // in Arabic, the value keeps its order inside the sentence
  const ar = await admin.form('/needs/import', { csv, name: 'needs.csv' }, inLang('ar'));
  assert.match(ar.text, /قيمته «\u2068ouverte\u2069» ليست من القيم المسموح بها/);
});

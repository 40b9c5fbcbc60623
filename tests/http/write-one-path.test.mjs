// One write path (issue 13, item 2): the same bad value gets the same message
// whoever writes it — a JSON create through the API, a CSV import through the
// API, and `suivi import` on the command line — because each decodes its
// values with the registry's decoder and checks the record as a create.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { useServer, assertError, assertInvalid, cli, tempDir, USER_PASSWORD } from './harness.mjs';

const srv = useServer();

// Each case: a collection, a good record, the field made bad and its bad value
// as JSON and as a CSV cell.
const CASES = [
  {
    what: 'an unknown country',
    collection: 'needs',
    good: { country: 'MA', theme: 'maritime_security', assessed_on: '2024-06-01', severity: 3, source: 'other' },
    field: 'country', json: 'ZZ', cell: 'ZZ',
  },
  {
    what: 'an out-of-range severity',
    collection: 'needs',
    good: { country: 'MA', theme: 'maritime_security', assessed_on: '2024-06-01', severity: 3, source: 'other' },
    field: 'severity', json: 9, cell: '9',
  },
  {
    what: 'a blank required text',
    collection: 'participants',
    good: { family_name: 'Diallo', given_names: 'Awa', country: 'SN' },
    field: 'family_name', json: '   ', cell: '   ',
  },
  {
    what: 'a malformed e-mail address',
    collection: 'participants',
    good: { family_name: 'Diallo', given_names: 'Awa', country: 'SN' },
    field: 'email', json: 'awa.diallo', cell: 'awa.diallo',
  },
  {
    what: 'a participant enrolled twice in a session',
    collection: 'enrolments',
    good: { participant: 1, session: 2 },
    field: 'session', json: 1, cell: '1', status: 409,
  },
  {
    what: 'a completed enrolment without attended days',
    collection: 'enrolments',
    good: { participant: 1, session: 3, completed: true },
    field: 'days_attended', json: 0, cell: '0',
  },
  {
    what: 'an unknown allowed value',
    collection: 'needs',
    good: { country: 'MA', theme: 'maritime_security', assessed_on: '2024-06-01', severity: 3, source: 'other' },
    field: 'source', json: 'rumour', cell: 'rumour',
  },
];

function csvOf(c) {
  const cols = Object.keys({ ...c.good, [c.field]: c.cell });
  const cells = cols.map((k) => (k === c.field ? c.cell : String(c.good[k])));
  return `${cols.join(',')}\n${cells.map((v) => `"${v}"`).join(',')}\n`;
}

async function total(collection) {
  return (await srv.getJSON(`/api/v1/${collection}?limit=0`)).total;
}

for (const c of CASES) {
  test(`${c.what}: the same message from the API, a CSV import and the CLI`, async () => {
    const before = await total(c.collection);
    const r = await srv.request('POST', `/api/v1/${c.collection}`, { json: { ...c.good, [c.field]: c.json } });
    const api = (c.status ? assertError(r, c.status, 'conflict', 'API create').fields
      : assertInvalid(r, [c.field], 'API create'))[c.field];

    const csv = csvOf(c);
    const imp = await srv.request('POST', `/api/v1/${c.collection}/import`, {
      body: Buffer.from(csv), headers: { 'Content-Type': 'text/csv' },
    });
    assert.equal(imp.status, 422, `${imp.text}\n${csv}`);
    const rows = imp.json.error.rows.filter((x) => x.field === c.field);
    assert.equal(rows.length, 1, imp.text);
    assert.equal(rows[0].message, api, 'the CSV import says what the API says');

    const dir = tempDir();
    try {
      const file = path.join(dir, 'bad.csv');
      writeFileSync(file, csv);
      const out = cli(['import', c.collection, file, '--db', srv.db], { check: false });
      assert.equal(out.status, 1, out.stderr);
      assert.ok(out.stderr.includes(`bad.csv:2: ${c.field} ${api}`), `the CLI says what the API says (${api}):\n${out.stderr}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // The page's form says it beside the field, in the same words (and, for a value
    // another record holds, not the generic "already exists" of a key).
    const s = await srv.login();
    s.jar.set('lang', 'en');
    const form = Object.entries({ ...c.good, [c.field]: c.json }).map(([k, v]) => [k, v === true ? 'on' : String(v)]);
    const page = await s.form(`/${c.collection}/new`, form);
    assert.equal(page.status, c.status || 422, page.text.slice(0, 300));
    const html = api.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
    assert.ok(page.text.includes(html), `the form says what the API says (${api})`);
    assert.ok(!page.text.includes('A record with this key already exists.'), 'no generic key message');
    assert.equal(await total(c.collection), before, 'nothing written');
  });
}

test('a focal point writing outside its country: the same message from the API and a CSV import', async () => {
  srv.addUser('focal-ma-one-path', 'focal', { country: 'MA' });
  const fp = await srv.login('focal-ma-one-path', USER_PASSWORD);
  const need = { country: 'SN', theme: 'maritime_security', assessed_on: '2024-06-01', severity: 3, source: 'other' };
  const before = await total('needs');
  const api = assertInvalid(await fp.request('POST', '/api/v1/needs', { json: need }), ['country'], 'API create').country;
  const csv = `${Object.keys(need).join(',')}\n${Object.values(need).join(',')}\n`;
  const imp = await fp.request('POST', '/api/v1/needs/import', { body: Buffer.from(csv), headers: { 'Content-Type': 'text/csv' } });
  assert.equal(imp.status, 422, imp.text);
  assert.deepEqual(imp.json.error.rows.map((x) => [x.field, x.message]), [['country', api]]);
  assert.equal(await total('needs'), before, 'nothing written');
});

// An IATI file (its activities in the body of <iati-activities>) imported by the
// CLI: its output.
function importIati(name, activities) {
  const dir = tempDir();
  try {
    const file = path.join(dir, name);
    writeFileSync(file, `<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03">\n${activities}</iati-activities>\n`);
    return cli(['import', 'iati', file, '--db', srv.db], { check: false });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// An IATI activity is decoded and checked as a create of its programme: one
// the API would refuse is left out, with the API's message.
test('an IATI activity with a budget out of range: left out with the message of the API', async () => {
  const body = { iati_identifier: 'XM-ONE-PATH-1', title: { en: 'Too rich' }, currency: 'EUR', budget: 2000000000000000 };
  const api = assertInvalid(await srv.request('POST', '/api/v1/programmes', { json: body }), ['budget'], 'API create').budget;
  const before = await total('programmes');
  const r = importIati('long.xml', ` <iati-activity default-currency="EUR">
  <iati-identifier>XM-ONE-PATH-1</iati-identifier>
  <title><narrative xml:lang="en">Too rich</narrative></title>
  <budget type="1"><period-start iso-date="2024-01-01"/><period-end iso-date="2024-12-31"/><value currency="EUR" value-date="2024-01-01">20000000000000</value></budget>
 </iati-activity>
`);
  assert.ok(r.stderr.includes(`activity XM-ONE-PATH-1 not recorded: budget ${api}`), r.stderr);
  assert.equal(await total('programmes'), before, 'nothing written');
});

// The records under an activity too (issue 13, item 2: the IATI import writes
// through the batch form): a transaction the API would refuse is left out with the
// API's message, and nothing of it is written — not even the organisation it names.
test('an IATI transaction with an amount out of range: left out with the message of the API', async () => {
  const prog = await srv.request('POST', '/api/v1/programmes', { json: { title: { en: 'Holder' } } });
  assert.equal(prog.status, 201, prog.text);
  const txn = { programme: prog.json.id, kind: 'disbursement', date: '2024-02-01', currency: 'EUR', amount: 2000000000000000 };
  const api = assertInvalid(await srv.request('POST', '/api/v1/transactions', { json: txn }), ['amount'], 'API create').amount;
  const orgs = await total('organisations');
  const r = importIati('txn.xml', ` <iati-activity default-currency="EUR">
  <iati-identifier>XM-ONE-PATH-2</iati-identifier>
  <title><narrative xml:lang="en">A transaction too large</narrative></title>
  <transaction><transaction-type code="3"/><transaction-date iso-date="2024-02-01"/><value value-date="2024-02-01">20000000000000</value>
   <provider-org ref="XM-ONE-PATH-PROVIDER"><narrative xml:lang="en">Provider of a refused transaction</narrative></provider-org></transaction>
  <transaction><transaction-type code="3"/><transaction-date iso-date="2024-03-01"/><value value-date="2024-03-01">5</value></transaction>
 </iati-activity>
`);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(r.stderr.includes(`txn.xml:6: left out: transaction not recorded: amount ${api}`), r.stderr);
  assert.match(r.stdout, /1 programmes created, 0 already there; 1 transactions, 0 results and 0 organisations added/);
  const p = (await srv.all('programmes')).find((x) => x.iati_identifier === 'XM-ONE-PATH-2');
  assert.deepEqual((await srv.all('transactions', `programme=${p.id}`)).map((t) => t.amount), [500]);
  assert.equal(await total('organisations'), orgs, 'the refused transaction\'s organisation is not created');
});

// `suivi demo --scale` writes its generated records through the batch form of
// the write path: each checked as a create, the enrolments' hook after the
// batch numbering every completed one (more than one statement's worth).
test('suivi demo --scale: generated records checked and numbered, summaries consistent', async () => {
  const r = cli(['demo', '--db', srv.db, '--scale', '300']);
  assert.equal(r.status, 0, r.stderr);
  const generated = (await srv.all('enrolments')).filter((x) => x.source === 'generated by suivi demo --scale');
  assert.ok(generated.length >= 300, `${generated.length} enrolments generated`);
  const completed = generated.filter((x) => x.completed);
  assert.ok(completed.length > 64, 'more completed enrolments than one statement numbers');
  assert.ok(completed.every((x) => /^PO-\d{4}-[0-9A-Z]{8}$/.test(x.certificate)), 'every completed one has a number');
  assert.equal(new Set(completed.map((x) => x.certificate)).size, completed.length, 'no two alike');
  assert.ok(generated.filter((x) => !x.completed).every((x) => x.certificate == null), 'none for the others');
  assert.equal(cli(['training', 'check', '--db', srv.db]).status, 0, 'the summaries agree with the enrolments');
});

test('server stops cleanly', () => srv.stop());

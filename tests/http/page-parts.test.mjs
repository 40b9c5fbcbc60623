// A part of a page that the database cannot answer says so (issue 13, item 5): the
// page is still served (its own record was read), and the part shows an alert in
// place of its rows — not "none recorded", which would be a false answer, and no
// table left half open.  The failure is a real one: a table that only that part
// reads is renamed away under the running server (sqlite3 shell or psql on the
// server's own database), then renamed back.  Both backends.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { PG, startServer, dbSql } from './harness.mjs';

let srv = null;
const sqliteShell = spawnSync('sqlite3', ['-version']).status === 0;
const skip = PG || sqliteShell ? false : 'needs the sqlite3 shell (SQLite) or SUIVI_PG';

before(async () => {
  if (!skip) srv = await startServer();
});
after(async () => {
  if (srv) await srv.cleanup();
});

/** Runs one statement on the server's database, beside the server. */
const sql = (statement) => dbSql(srv.db, statement);

/** The page p while table is renamed away (then back). */
async function withoutTable(table, p) {
  sql(`ALTER TABLE ${table} RENAME TO ${table}_away`);
  try {
    return await srv.get(p);
  } finally {
    sql(`ALTER TABLE ${table}_away RENAME TO ${table}`);
  }
}

const ALERT = /<p class="error" role="alert">[^<]+<\/p>/;
const alerts = (page) => (page.match(new RegExp(ALERT.source, 'g')) || []).length;

/** The HTML of the <section> of class cls in page. */
function section(page, cls) {
  const m = new RegExp(`<section class="${cls}">(.*?)</section>`, 's').exec(page);
  assert.ok(m, `a section "${cls}" in the page`);
  return m[1];
}

test('a programme page whose in-kind support cannot be read says so in that section alone', { skip }, async () => {
  const p = '/programmes/1';
  const good = await srv.get(p);
  assert.equal(good.status, 200, good.text.slice(0, 300));
  assert.equal(alerts(good.text), 0, 'no alert while everything reads');
  const r = await withoutTable('contribution', p);
  assert.equal(r.status, 200, `the page is served: ${r.text.slice(0, 300)}`);
  const part = section(r.text, 'in-kind');
  assert.match(part, ALERT, 'the in-kind section says it could not be read');
  assert.match(part, /base de données n'est pas disponible/, "page_db_problem's words, in the reader's language");
  assert.doesNotMatch(part, /No in-kind support recorded/, 'not "none" as well');
  assert.doesNotMatch(part, /<table/, 'no table, half or whole');
  // The programme's own section lists its in-kind support: the generic list of the
  // records that refer to it does not list them a second time (nor fail a second time).
  assert.doesNotMatch(r.text, /<section class="related"><h2>[^<]*<\/h2><p class="error" role="alert">/, 'not listed twice');
  assert.equal(alerts(r.text), 1, 'no other part failed');
  assert.equal(section(r.text, 'funding'), section(good.text, 'funding'), 'the funding section as before');
  const back = await srv.get(p);
  assert.equal(back.text, good.text, 'back: the page as before');
});

test('the home page whose late actions cannot be read says so, without a count or "none"', { skip }, async () => {
  // The home page reads the actions for its late list and its counts: both say so.
  const good = await srv.get('/');
  assert.equal(good.status, 200);
  // The home page's content is kept while the database stands (kept.h): a change
  // moves it on, as any write would, so that the page is read again.
  sql('UPDATE suivi_meta SET generation = generation + 1 WHERE id = 1');
  const r = await withoutTable('action', '/');
  assert.equal(r.status, 200, r.text.slice(0, 300));
  const late = section(r.text, 'late');
  assert.match(late, ALERT);
  assert.doesNotMatch(late, /class="count"|No action is late/, 'no count, not "none late"');
  const counts = section(r.text, 'counts');
  assert.match(counts, ALERT, 'the counts say they could not be read');
  assert.doesNotMatch(counts, /<ul>/, 'no list of counts with a false 0');
  assert.equal((await srv.get('/')).text, good.text, 'back: the page as before');
});

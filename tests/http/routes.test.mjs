// tests/http/routes.test.mjs — the route table (src/serve/routes.c, printed by `suivi
// routes`) against what the server does: every route it serves under /api/v1 is in
// the OpenAPI document, and the document names nothing else; every path and method
// of the document answers (neither 404 nor 405); and the dispatcher's own answers:
// 405 with Allow from the table, HEAD wherever GET, 404 for a path no row has (for
// anyone), a sign-in first where a row is there for those signed in, and each
// route's body limit.
import test from 'node:test';
import assert from 'node:assert/strict';
import { useServer, cli, assertError } from './harness.mjs';
import { registry } from './auth-common.mjs';
import { pdf, multipart } from './docs-common.mjs';

const srv = useServer();
const MiB = 1024 * 1024;

/** The table: [{methods, pattern, access, csrf, body, flags, summary}]. */
function table() {
  const r = cli(['routes']);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim().split('\n').map((line) => {
    const [methods, pattern, access, csrf, body, flags, summary] = line.split('\t');
    return { methods: methods.split(','), pattern, access, csrf, body, flags: flags.split(','), summary };
  });
}

/** "METHOD /path" for every route of the table under /api/v1, once per collection
 * for a {collection} row (not the writing ones of a read-only collection, nor the
 * CSV import of a collection that is not imported: both answer 405; approve and
 * return of the reviewed collections only: the others answer 404). */
function served(rows, colls, importable) {
  const out = new Set();
  for (const r of rows) {
    if (!r.pattern.startsWith('/api/v1/')) continue;
    const p = r.pattern.slice('/api/v1'.length);
    const serves = (c) => (!c.readonly || !r.flags.includes('writes')) && !(p.endsWith('/import') && !importable.has(c.name))
      // an officer's decision, on the reviewed collections only (those with a review_state)
      && (!/\/(approve|return)$/.test(p) || 'review_state' in c.schema.properties);
    const paths = !p.includes('{collection}') ? [p]
      : colls.filter(serves).map((c) => p.replace('{collection}', c.name));
    for (const path of paths) for (const m of r.methods) out.add(`${m} ${path}`);
  }
  return out;
}

test('every route of the table under /api/v1 is in the OpenAPI document, and nothing else is', async () => {
  const rows = table();
  assert.ok(rows.length > 60, `the table has every route (${rows.length})`);
  const colls = await registry(srv);
  const doc = await srv.getJSON('/api/v1/openapi.json');
  // The collections whose CSV import is not refused (405: the audit trail, uploads,
  // follow-up updates), asked of the server itself.
  const importable = new Set();
  for (const c of colls) {
    const r = await srv.request('POST', `/api/v1/${c.name}/import?dry_run=true`, { body: Buffer.from(''), headers: { 'Content-Type': 'text/csv' } });
    if (r.status !== 405) importable.add(c.name);
  }
  assert.ok(importable.has('actions') && !importable.has('audit') && !importable.has('documents'));
  const want = served(rows, colls, importable);
  const have = new Set(Object.entries(doc.paths).flatMap(([p, item]) =>
    ['get', 'post', 'patch', 'delete'].filter((m) => item[m]).map((m) => `${m.toUpperCase()} ${p}`)));
  const missing = [...want].filter((x) => !have.has(x));
  assert.deepEqual(missing, [], 'served but not documented');
  const extra = [...have].filter((x) => !want.has(x));
  assert.deepEqual(extra, [], 'documented but not served');
  // the routes beside the collections are there, each with what it answers
  for (const p of ['/needs/import', '/participants/import', '/enrolments/import', '/iati/import',
    '/participants/{id}/merge', '/documents/{id}/content', '/needs/latest', '/indicators/{id}/values',
    '/followup', '/training/summary', '/training/check', '/verify/{number}', '/iati.xml', '/openapi.json', '/']) {
    const item = doc.paths[p];
    assert.ok(item, `${p} is documented`);
    for (const op of Object.values(item).filter((v) => v && v.responses)) {
      assert.ok(op.summary, `${p}: a summary`);
      assert.ok(Object.keys(op.responses).length > 0, `${p}: its answers`);
    }
  }
  // public routes need no credentials; the others say 401
  assert.deepEqual(doc.paths['/verify/{number}'].get.security, []);
  assert.ok(doc.paths['/needs/import'].post.responses['401']);
  assert.ok(doc.paths['/needs/import'].post.requestBody.content['text/csv']);
});

/** The key of one record of each collection (a document is uploaded first). */
async function keys(colls) {
  const up = multipart([{ name: 'meeting', value: '1' }, { name: 'title.en', value: 'Routes' },
    { name: 'file', filename: 'routes.pdf', data: pdf(), type: 'application/pdf' }]);
  const made = await srv.request('POST', '/api/v1/documents', { body: up.body, headers: { 'Content-Type': up.type } });
  assert.equal(made.status, 201, made.text);
  const out = {};
  for (const c of colls) {
    const list = await srv.getJSON(`/api/v1/${c.name}?limit=1`);
    assert.ok(list.items.length, `${c.name} has a record to ask for`);
    out[c.name] = list.items[0][c.key];
  }
  return out;
}

test('every path and method of the OpenAPI document answers: neither 404 nor 405', async () => {
  const colls = await registry(srv);
  const key = await keys(colls);
  const doc = await srv.getJSON('/api/v1/openapi.json');
  let asked = 0;
  for (const [p, item] of Object.entries(doc.paths)) {
    const coll = p.split('/')[1];
    const url = '/api/v1' + p.replace(/\{(key|id)\}/, () => encodeURIComponent(key[coll])).replace('{number}', 'X-1');
    assert.ok(!url.includes('{'), `${p}: every parameter has a value`);
    for (const m of ['get', 'post', 'patch', 'delete'].filter((x) => item[x])) {
      // writes that change nothing: an empty body, a stale If-Match
      const type = Object.keys(item[m].requestBody?.content || {})[0];
      const headers = { 'If-Match': '"999999"', ...(type ? { 'Content-Type': type } : {}) };
      const body = type === 'application/json' ? '{}' : type ? '' : undefined;
      const r = await srv.request(m.toUpperCase(), url, { body, headers });
      assert.ok(![404, 405].includes(r.status) && r.status < 500, `${m.toUpperCase()} ${url}: ${r.status} ${r.text.slice(0, 200)}`);
      asked++;
    }
  }
  assert.ok(asked > 100, `${asked} routes asked`);
});

test('405 with Allow from the table, on pages as in the API; HEAD wherever GET', async () => {
  // a page's form carries the session's token: without it, 403 comes first (below)
  const s = await srv.login();
  const token = `_csrf=${encodeURIComponent(await s.csrfToken())}`;
  for (const [m, u, allow] of [['PUT', '/api/v1/needs/import', 'POST'], ['POST', '/board.csv', 'GET'],
    ['DELETE', '/meetings/1/report', 'GET'], ['POST', '/meetings/1', 'GET'], ['PATCH', '/login', 'GET, POST']]) {
    const api = u.startsWith('/api/');
    const r = api ? await srv.request(m, u)
      : await s.request(m, u, { body: token, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    assert.equal(r.status, 405, `${m} ${u}`);
    assert.equal(r.headers.get('allow'), allow, `Allow of ${u}`);
    if (api) assertError(r, 405, 'method_not_allowed', `${m} ${u}`);
    else assert.match(r.headers.get('content-type'), /^text\/html/);
  }
  // the read-only audit trail has no form to add to it: a path with no method
  const audit = await s.request('POST', '/audit/new', { body: token, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  assert.equal(audit.status, 405);
  assert.ok(!audit.headers.get('allow'), 'no method');
  assert.equal((await s.get('/audit/new')).status, 405);
  for (const u of ['/needs/matrix', '/catalogue', '/api/v1/needs/latest', '/api/v1/actions/1', '/training/totals.csv']) {
    const get = await srv.get(u);
    const head = await srv.request('HEAD', u);
    assert.equal(head.status, get.status, `HEAD ${u}`);
    assert.equal(head.status, 200, `HEAD ${u}`);
    assert.equal(head.text, '', `HEAD ${u}: no body`);
  }
});

test('a path no row has is 404; a row for those signed in asks for a sign-in first, as the whole API does', async () => {
  for (const u of ['/nosuch', '/meetings/1/nosuch', '/meetings/x/report', '/static/nosuch.css']) {
    assert.equal((await srv.get(u, { auth: false })).status, 404, `${u} without a session`);
    assert.equal((await srv.get(u)).status, 404, `${u} signed in`);
  }
  for (const u of ['/api/nosuch', '/api/v1/nosuch/1', '/api/v1/actions/abc', '/api/v1/actions/']) {
    assertError(await srv.get(u), 404, 'not_found', u);
    assertError(await srv.get(u, { auth: false }), 401, 'unauthorized', `${u} without credentials`);
  }
  // another method on a path of the signed-in: the sign-in first, then 405
  const api = await srv.request('PUT', '/api/v1/actions', { auth: false });
  assertError(api, 401, 'unauthorized', 'PUT /api/v1/actions without credentials');
  assert.match(api.headers.get('www-authenticate') || '', /^Bearer/);
  const page = await srv.request('GET', '/meetings/1/badges', { auth: false });
  assert.equal(page.status, 303);
  assert.equal(page.headers.get('location'), '/login?next=%2Fmeetings%2F1%2Fbadges');
  // a public path tells its methods to anyone
  const pub = await srv.request('DELETE', '/api/v1/iati.xml', { auth: false });
  assertError(pub, 405, 'method_not_allowed', 'DELETE /api/v1/iati.xml');
  assert.equal(pub.headers.get('allow'), 'GET');
  // a page's form without the session's token is refused first, whatever it asks
  for (const u of ['/nosuch', '/meetings/new', '/audit/new']) {
    const r = await srv.request('POST', u, { auth: false, body: 'a=1', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    assert.equal(r.status, 403, `POST ${u} without a token`);
  }
});

test('the body limit is the route\'s: a 2 MiB document through the page\'s form, 1 MiB elsewhere', async () => {
  const s = await srv.login();
  const csrf = await s.csrfToken();
  const big = Buffer.concat([pdf(), Buffer.alloc(2 * MiB, 0x20)]);
  const form = multipart([{ name: '_csrf', value: csrf }, { name: 'meeting', value: '1' }, { name: 'title.en', value: 'Big' },
    { name: 'file', filename: 'big.pdf', data: big, type: 'application/pdf' }]);
  const r = await s.request('POST', '/documents/new', { body: form.body, headers: { 'Content-Type': form.type } });
  assert.equal(r.status, 303, r.text.slice(0, 300));
  const other = await s.request('POST', '/meetings/new', { body: form.body, headers: { 'Content-Type': form.type } });
  assert.equal(other.status, 413);
});

test('server stops cleanly', () => srv.stop());

// tests/http/auth-matrix-common.mjs — the authorisation matrix (see auth-matrix.test.mjs),
// in parts: each part file runs the matrix on every parts-th collection on servers of
// its own, so that no file runs for minutes (node --test runs files side by side).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, same } from './harness.mjs';
import {
  ROLES, STAFF, KNOWN_ACCESS, USERS, makeAccounts, registry, copyBody, writable, formFields, formOf, overlay, records, sleep,
} from './auth-common.mjs';

/** Registers the matrix's tests for part `part` (0-based) of `parts`; part 0 also runs
 * the checks that do not walk the matrix. */
export function matrix({ part, parts }) {
  let srv = null; // (one before() hook: root hooks of a file do not wait for each other)
  let expiring = null; // a server whose sessions end after 5 s without a request
  let accounts;
  let colls;
  const identities = []; // {label, role (null: nobody), kind: token|session|nobody, srv, token?, session?}

  before(async () => {
    srv = await startServer();
    accounts = makeAccounts(srv);
    colls = await registry(srv);
    for (const role of ROLES) {
      const a = accounts[role];
      identities.push({ label: `${role} (API token)`, role, name: a.name, kind: 'token', srv, token: a.token });
      identities.push({ label: `${role} (session)`, role, kind: 'session', srv, session: await srv.login(a.name, a.password) });
    }
    identities.push({ label: 'nobody', role: null, kind: 'nobody', srv, session: srv.visitor() });
    identities.push({ label: 'a token that is not one', role: null, kind: 'token', srv, token: `suivi_${'A'.repeat(43)}` });

    // (5 s, not less: the server counts in whole seconds, and a busy machine may take
    // more than a second between a sign-in and the next request)
    expiring = await startServer({ env: { SUIVI_SESSION_IDLE: '5' } });
    const exp = makeAccounts(expiring);
    const sessions = [];
    for (const role of ROLES) { // they work now (each asked at once: a sign-in may take a second) ...
      const s = await expiring.login(exp[role].name, exp[role].password);
      assert.equal((await s.get('/api/v1/')).status, 200, `a fresh ${role} session works`);
      sessions.push([role, s]);
    }
    await sleep(6000); // ... and not after 6 s without a request
    for (const [role, s] of sessions) {
      identities.push({ label: `${role} (expired session)`, role: null, kind: 'session', srv: expiring, session: s });
    }
  });

  after(async () => {
    if (expiring) await expiring.cleanup();
    if (srv) await srv.cleanup();
  });

  const API_ROUTES = ['list', 'csv', 'get', 'create', 'patch', 'delete'];
  const PAGE_ROUTES = ['page list', 'page detail', 'page new', 'page edit', 'page delete', 'form new', 'form edit', 'form delete'];
  const READS = new Set(['list', 'csv', 'get', 'page list', 'page detail']);
  const OK = { list: 200, csv: 200, get: 200, create: 201, patch: 200, delete: 204, 'page list': 200, 'page detail': 200, 'page new': 200, 'page edit': 200, 'page delete': 200, 'form new': 303, 'form edit': 303, 'form delete': 303 };

  const LISTS = new Set(['list', 'csv', 'page list']);

  /** The statuses the rules allow for identity `who` on route `r` of collection `c`,
   * whose record tried on is hidden from the roles of c.hiddenFrom. */
  function expected(who, c, r) {
    const page = r.startsWith('page') || r.startsWith('form');
    if (!who.role) return page ? [r.startsWith('page') ? 303 : 403] : [401];
    if (!c.access.read.includes(who.role)) return [403];
    const hidden = c.hiddenFrom.has(who.role);
    if (hidden && !LISTS.has(r) && r !== 'page new') { // (the new form is no record's)
      if (READS.has(r)) return [404];
      if (!c.access.write.includes(who.role)) return [403];
      return r === 'create' || r === 'form new' ? [422] : [404];
    }
    if (READS.has(r)) return [200];
    if (c.readonly) return page ? [403, 405] : [405];
    if (!c.access.write.includes(who.role)) return [403];
    // a collection made by uploads refuses a JSON create and the generic form (no file)
    if (c.upload && (r === 'create' || r === 'form new')) return [415];
    return [OK[r]];
  }

  /** One request of identity `who`: JSON for the API, a form (with the session's CSRF
   * token) for pages. */
  function send(who, method, p, { json, form } = {}) {
    if (who.kind === 'token') return who.srv.request(method, p, { json, auth: who.token, actor: who.name || null });
    if (form) return who.session.form(p, form);
    return who.session.request(method, p, { json });
  }

  if (part === 0) test('the OpenAPI document names every collection of the index, with its routes', async () => {
    const idx = await srv.getJSON('/api/v1/');
    same(colls.map((c) => c.name).sort(), idx.collections.map((c) => c.name).sort(), 'collections of openapi.json and of the index');
    for (const c of colls) {
      assert.ok(c.methods.list && c.methods.get, `${c.name}: list and get`);
      if (!c.readonly) assert.ok(c.methods.create && c.methods.patch && c.methods.delete, `${c.name}: create, patch, delete`);
    }
  });

  if (part === 0) test('the registry declares the rules of the issue', async () => {
    for (const c of colls) {
      const want = KNOWN_ACCESS[c.name] || { read: ROLES, write: [...STAFF] }; // the general rule
      same([...c.access.read].sort(), [...want.read].sort(), `${c.name}: who reads`);
      same([...c.access.write].sort(), [...want.write].sort(), `${c.name}: who writes`);
      assert.equal(c.access.scope, want.scope, `${c.name}: scope`);
      assert.equal(c.access.donor_scope, want.donor_scope, `${c.name}: donor scope`);
      same(c.access.parents || null, want.parents || null, `${c.name}: parents`);
    }
  });

  if (part === 0) test('the index lists what each role may read (nobody: 401)', async () => {
    for (const role of ROLES) {
      const r = await srv.get('/api/v1/', { auth: accounts[role].token });
      assert.equal(r.status, 200, role);
      const want = colls.filter((c) => c.access.read.includes(role)).map((c) => c.name).sort();
      same(r.json.collections.map((c) => c.name).sort(), want, `the index as ${role}`);
    }
    const r = await srv.get('/api/v1/', { auth: false });
    assert.equal(r.status, 401);
  });

  /** A copy of the sample's required fields (copyBody) that also respects the
   * collection's unique field set: a combination of values the records already use
   * apart, but not together (enrolments: a participant and a session). */
  async function copyOf(c, sample, taken) {
    const body = copyBody(c, sample, taken);
    // the unique fields the copy gives (an absent optional one is no value: NULLs differ)
    const fields = (c.unique || []).filter((f) => f in body);
    if (!fields.length) return body;
    const all = await srv.all(c.name);
    const key = (r) => fields.map((f) => JSON.stringify(r[f] ?? null)).join('|');
    const used = new Set(all.map(key));
    // The scope field keeps the sample's value (a focal point's copy stays in its country).
    const values = fields.map((f) => (f === c.access.scope ? [sample[f]] : [...new Set(all.map((r) => r[f] ?? null))]));
    const combos = values.reduce((acc, vs) => acc.flatMap((a) => vs.map((v) => [...a, v])), [[]]);
    const free = combos.find((combo) => !used.has(combo.map((v) => JSON.stringify(v)).join('|')));
    assert.ok(free, `${c.name}: a combination of ${fields.join(', ')} not yet used`);
    fields.forEach((f, i) => { body[f] = free[i]; });
    return body;
  }

  /** Does organisation `org` fund record `rec`, along a donor_scope path such as
   * "result.programme.donors"?  Each step but the last is a reference to the collection
   * of that name (result → results); the last is the organisation or a set of them. */
  async function fundedBy(path, rec, org) {
    const steps = path.split('.');
    let at = rec;
    for (const step of steps.slice(0, -1)) {
      if (at[step] === null || at[step] === undefined) return false;
      at = await srv.getJSON(`/api/v1/${step}s/${at[step]}`);
    }
    const last = at[steps[steps.length - 1]];
    return Array.isArray(last) ? last.includes(org) : last === org;
  }

  /** May `role` see record `rec` of collection `c`: read c at all, and the record is in
   * its scope (a focal point's country, a donor's funded rows) and under parents it sees? */
  async function visibleTo(role, c, rec) {
    if (!c.access.read.includes(role)) return false;
    if (role === 'focal' && c.access.scope && rec[c.access.scope] !== USERS.focal.country) return false;
    if (role === 'donor' && c.access.donor_scope && !(await fundedBy(c.access.donor_scope, rec, USERS.donor.organisation))) return false;
    for (const [field, coll] of Object.entries(c.access.parents || {})) {
      if (rec[field] === null || rec[field] === undefined) continue;
      const parent = await srv.getJSON(`/api/v1/${coll}/${encodeURIComponent(rec[field])}`);
      if (!(await visibleTo(role, colls.find((x) => x.name === coll), parent))) return false;
    }
    return true;
  }

  /** The roles that read collection c but may not see its record rec. */
  async function hiddenFrom(c, rec) {
    const out = new Set();
    for (const role of ROLES) if (c.access.read.includes(role) && !(await visibleTo(role, c, rec))) out.add(role);
    return out;
  }

  /** The collections to try routes on: each one, and a collection made by uploads whose
   * rows have parents once under each parent (c.parent: {field, key} of the record a row
   * is uploaded under: one hidden from some role where the parent collection has one). */
  async function targets() {
    const out = [];
    for (const c of colls) {
      const parents = Object.entries(c.access.parents || {});
      if (!c.upload || !parents.length) {
        out.push(c);
        continue;
      }
      for (const [field, coll] of parents) {
        const pc = colls.find((x) => x.name === coll);
        const all = await srv.all(coll);
        let rec = all[0];
        for (const x of all) if ((await hiddenFrom(pc, x)).size) { rec = x; break; }
        assert.ok(rec, `${coll}: a record to attach ${c.name} to`);
        out.push({ ...c, label: `${c.name} of ${coll}`, parent: { field, key: rec[pc.key] } });
      }
    }
    return out;
  }

  /** A record of a collection made by uploads (documents): a 1×1 PNG, uploaded by the admin
   * under c.parent (else meeting 1). */
  async function uploadCopy(c) {
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
    const under = c.parent ? `${c.parent.field}=${encodeURIComponent(c.parent.key)}` : 'meeting=1';
    const up = await srv.request('POST', `/api/v1/${c.name}?${under}&title_en=Matrix&filename=matrix.png`,
      { body: png, headers: { 'Content-Type': 'application/octet-stream' } });
    assert.equal(up.status, 201, `${c.name}: an upload to try routes on: ${up.text}`);
    return up.json;
  }

  test(`every route × every identity (collections, part ${part + 1} of ${parts})`, async (t) => {
    // A collection made by uploads gets its record to try routes on from an upload.
    const tried = (await targets()).filter((_, i) => i % parts === part);
    const uploaded = new Map();
    for (const c of tried.filter((x) => x.upload)) uploaded.set(c, await uploadCopy(c));
    const start = await records(srv, colls);
    for (const c of tried) {
      const all = await srv.all(c.name);
      assert.ok(all.length > 0, `${c.name}: a record to try routes on`);
      // scoped: a record of the focal point's own country, so its rights show
      const sample = uploaded.get(c) || (c.access.scope ? all.find((x) => x[c.access.scope] === USERS.focal.country) : all[0]);
      assert.ok(sample, `${c.name}: a record of ${USERS.focal.country} to try routes on`);
      c.hiddenFrom = await hiddenFrom(c, sample);
      const K = encodeURIComponent(sample[c.key]);
      const taken = all.map((x) => x[c.key]);
      // What the server makes of the sample's required fields (defaults filled in): the
      // values a person leaves or types in the new form.  Made and deleted by the admin.
      let template = await copyOf(c, sample, taken);
      if (!c.readonly && !c.upload) {
        const t0 = await srv.post(`/api/v1/${c.name}`, template);
        assert.equal(t0.status, 201, `${c.name}: a copy of a record's required fields is valid: ${t0.text}`);
        template = writable(c, t0.json);
        delete template[c.key];
        assert.equal((await srv.del(`/api/v1/${c.name}/${encodeURIComponent(t0.json[c.key])}`)).status, 204);
        taken.push(t0.json[c.key]);
      }
      for (const who of identities) {
        await t.test(`${c.label || c.name} × ${who.label}`, async () => {
          const wrong = [];
          const check = (route, what, r) => {
            const want = expected(who, c, route);
            if (!want.includes(r.status)) wrong.push(`${route} ${what}: ${r.status}, want ${want.join(' or ')} (${r.text.slice(0, 120).replace(/\s+/g, ' ')})`);
            return want.includes(r.status);
          };
          const api = `/api/v1/${c.name}`;
          const before = await srv.getJSON(`${api}/${K}`); // the record tried on
          // ---- API ----
          check('list', `GET ${api}`, await send(who, 'GET', api));
          check('csv', `GET ${api}.csv`, await send(who, 'GET', `${api}.csv`));
          check('get', `GET ${api}/${K}`, await send(who, 'GET', `${api}/${K}`));
          if (c.upload) check('get', `GET ${api}/${K}/content`, await send(who, 'GET', `${api}/${K}/content`));
          const body = await copyOf(c, sample, taken);
          const cr = await send(who, 'POST', api, { json: body });
          let target = K; // what PATCH and DELETE go to: the copy when one was made
          if (check('create', `POST ${api}`, cr) && cr.status === 201) {
            target = encodeURIComponent(cr.json[c.key]);
            taken.push(cr.json[c.key]);
          } else if (c.upload && expected(who, c, 'delete')[0] === 204) { // a writer's copy, uploaded
            const copy = await uploadCopy(c);
            target = encodeURIComponent(copy[c.key]);
          }
          check('patch', `PATCH ${api}/${target}`, await send(who, 'PATCH', `${api}/${target}`, { json: {} }));
          if (target !== K || expected(who, c, 'delete')[0] !== 204) {
            check('delete', `DELETE ${api}/${target}`, await send(who, 'DELETE', `${api}/${target}`));
          }
          // ---- pages (sessions and nobody; an API token is for the API) ----
          if (who.kind !== 'token') {
            const pages = [['page list', `/${c.name}`], ['page detail', `/${c.name}/${K}`], ['page new', `/${c.name}/new`], ['page edit', `/${c.name}/${K}/edit`],
              ['page delete', `/${c.name}/${K}/delete`]]; // the confirmation before a delete
            for (const [route, p] of pages) {
              const r = await send(who, 'GET', p);
              check(route, `GET ${p}`, r);
              if (r.status === 303 && !who.role) { // to the sign-in page, which knows where to come back
                const loc = new URL(r.headers.get('location') || '', 'http://x');
                if (loc.pathname !== '/login' || loc.searchParams.get('next') !== p) wrong.push(`${route} GET ${p}: Location ${r.headers.get('location')}`);
              }
            }
            // The forms as a browser posts them: the admin's new and edit pages filled in
            // (a new copy of the sample's required fields; the record as it is).
            const admin = identities.find((i) => i.role === 'admin' && i.kind === 'session').session;
            const blank = await admin.get(`/${c.name}/new`);
            const fresh = { ...template, ...(await copyOf(c, sample, taken)) };
            const newForm = blank.status === 200 && !c.upload ? overlay(formOf(blank.text, `/${c.name}/new`), formFields(c, fresh)) : formFields(c, fresh);
            const fr = await send(who, 'POST', `/${c.name}/new`, { form: newForm });
            let ftarget = null; // the record the form made
            if (check('form new', `POST /${c.name}/new`, fr) && fr.status === 303) {
              const loc = new URL(fr.headers.get('location') || '', 'http://x');
              const m = new RegExp(`^/${c.name}/([^/]+)$`).exec(loc.pathname);
              if (!m || loc.searchParams.get('saved') !== '1') wrong.push(`form new: Location ${fr.headers.get('location')}`);
              else {
                ftarget = m[1];
                taken.push(decodeURIComponent(m[1]));
                for (const [route, p] of [['page detail', `/${c.name}/${ftarget}`], ['page edit', `/${c.name}/${ftarget}/edit`]]) {
                  check(route, `GET ${p} (the new record)`, await send(who, 'GET', p));
                }
              }
            }
            // A writer edits and deletes its own record; anyone else tries on the sample.
            const allowed = expected(who, c, 'form edit')[0] === 303;
            // (a collection made by uploads: a writer's own copy, uploaded)
            if (!ftarget && allowed && c.upload) ftarget = encodeURIComponent((await uploadCopy(c))[c.key]);
            const on = ftarget || (allowed ? null : K);
            if (on) {
              const edit = await admin.get(`/${c.name}/${on}/edit`);
              const editForm = edit.status === 200 ? formOf(edit.text, `/${c.name}/${on}/edit`) : [['_version', String(before.version)]];
              check('form edit', `POST /${c.name}/${on}/edit`, await send(who, 'POST', `/${c.name}/${on}/edit`, { form: editForm }));
              const version = (await srv.getJSON(`${api}/${on}`)).version;
              const dr = await send(who, 'POST', `/${c.name}/${on}/delete`, { form: [['_version', String(version)]] });
              if (check('form delete', `POST /${c.name}/${on}/delete`, dr) && dr.status === 303) {
                const loc = dr.headers.get('location') || '';
                if (!loc.startsWith(`/${c.name}?deleted=1`)) wrong.push(`form delete: Location ${loc}`);
              }
            } else {
              wrong.push('form edit, form delete: not tried (the form made no record)');
            }
          }
          // The record tried on is as it was (writers changed their own copies only).
          const now = await srv.get(`${api}/${K}`);
          assert.equal(now.status, 200, `${c.name}/${K} is still there`);
          same(now.json, before, `${c.name}/${K} after ${who.label}`);
          assert.deepEqual(wrong, [], `${c.name} × ${who.label}: ${wrong.length} route(s) answered otherwise:\n${wrong.join('\n')}`);
        });
      }
    }
    // Writers deleted what they made: the data are as they were.
    const end = await records(srv, colls);
    for (const c of Object.keys(start)) same(end[c], start[c], `${c} after the matrix`);
  });

  test('the sessions that expired stayed ended, and the server whose sessions expire changed nothing', async () => {
    for (const who of identities.filter((i) => i.srv === expiring)) {
      const r = await who.session.get('/api/v1/');
      assert.equal(r.status, 401, `${who.label}: still ended`);
    }
    const w = expiring.writes.filter((x) => x.path.startsWith('/api/') || x.status === 303);
    assert.deepEqual(w, [], 'no write went through on the server whose sessions expired');
  });

  test('server stops cleanly', async () => {
    await expiring.stop();
    expiring = null;
    await srv.stop();
  });
}

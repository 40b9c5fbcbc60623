// tests/http/auth-common.mjs — what the auth-*.test.mjs files share: the accounts of
// each role, the registry as the OpenAPI document describes it, records turned
// into request bodies and web forms.  Not a test file itself.
import assert from 'node:assert/strict';
import { startServer, assertError, USER_PASSWORD } from './harness.mjs';

/** The roles of the issue, with the account each test server gets (focal: Morocco). */
export const ROLES = ['admin', 'officer', 'focal', 'donor'];
export const STAFF = new Set(['admin', 'officer']);
export const USERS = {
  admin: { name: 'admin' },
  officer: { name: 'officer1', role: 'officer' },
  focal: { name: 'focal1', role: 'focal', country: 'MA' },
  donor: { name: 'donor1', role: 'donor', organisation: 4 }, // the demo's Donor A
};

// The rules of the issue, as the registry declares them in the OpenAPI document
// (x-suivi-access: the roles that read, the roles that write, the field that scopes
// a focal point's rows, the path to a donor's organisation, the parents a row follows).  The rules the tests know by heart are checked against
// that declaration (auth-matrix), so a wrong declaration cannot pass unseen.
const FUNDED = { read: ROLES, write: ['admin', 'officer'] }; // the general rule, and a donor's scope
export const KNOWN_ACCESS = {
  audit: { read: ['admin', 'officer'], write: [] },
  programmes: { ...FUNDED, donor_scope: 'donors' },
  transactions: { ...FUNDED, donor_scope: 'programme.donors' },
  contributions: { ...FUNDED, donor_scope: 'programme.donors' },
  results: { ...FUNDED, donor_scope: 'programme.donors' },
  indicators: { ...FUNDED, donor_scope: 'result.programme.donors' },
  periods: { ...FUNDED, donor_scope: 'indicator.result.programme.donors' },
  // beneficiary states (focal points) and donors write their own ratings
  evaluations: { read: ROLES, write: ROLES, scope: 'country', donor_scope: 'organisation' },
  registrations: { read: ['admin', 'officer', 'focal'], write: ['admin', 'officer'], scope: 'country' },
  needs: { read: ['admin', 'officer', 'focal'], write: ['admin', 'officer', 'focal'], scope: 'country' },
  participants: { read: ['admin', 'officer', 'focal'], write: ['admin', 'officer'], scope: 'country' },
  enrolments: { read: ['admin', 'officer'], write: ['admin', 'officer'] },
  // a document is seen by whoever sees the record it belongs to (x-suivi-access.parents)
  documents: { read: ROLES, write: ['admin', 'officer'], parents: { meeting: 'meetings', outcome: 'outcomes', action: 'actions', programme: 'programmes' } },
};

/** Makes the accounts of USERS on srv (the admin exists) with an API token each;
 * answers {role: {name, password, token}}. */
export function makeAccounts(srv) {
  const out = {};
  for (const role of ROLES) {
    const u = USERS[role];
    if (role === 'admin') {
      out.admin = { name: 'admin', password: srv.adminPassword, token: srv.token };
      continue;
    }
    const password = srv.addUser(u.name, u.role, { country: u.country, organisation: u.organisation, password: `${USER_PASSWORD}-${role}` });
    out[role] = { name: u.name, password, token: srv.addToken(u.name, `${role} token`).token };
  }
  return out;
}

/** The collections and their routes, from /api/v1/openapi.json (read as admin):
 * [{name, schema, key, readonly, access: {read, write, scope}, methods: {list, create,
 * get, patch, delete}}]. */
export async function registry(srv) {
  const spec = await srv.getJSON('/api/v1/openapi.json');
  const out = [];
  for (const [p, ops] of Object.entries(spec.paths)) {
    const m = /^\/([a-z_]+)$/.exec(p);
    if (!m || !ops['x-suivi-access']) continue; // a collection says who may read and write it
    const name = m[1];
    const item = spec.paths[`/${name}/{key}`] || {};
    const ref = ops.get.responses['200'].content['application/json'].schema.properties.items.items.$ref;
    const schema = spec.components.schemas[ref.split('/').pop()];
    const props = schema.properties;
    out.push({
      name,
      entity: ref.split('/').pop(), // the singular name the audit trail uses
      schema,
      key: props.id ? 'id' : schema.required[0],
      readonly: !ops.post && !item.patch && !item.delete,
      access: ops['x-suivi-access'],
      unique: ops['x-suivi-unique'] || null, // fields whose values together are unique
      // made by uploading a file (multipart), not by a JSON create: documents
      upload: !!(ops.post && ops.post.requestBody.content['multipart/form-data']),
      methods: { list: !!ops.get, create: !!ops.post, get: !!item.get, patch: !!item.patch, delete: !!item.delete },
    });
  }
  assert.ok(out.length > 0, 'the OpenAPI document names collections');
  return out;
}

const META = new Set(['version', 'created_at', 'updated_at']);

/** The writable fields of a record (what a create or a form takes). */
export function writable(coll, rec) {
  const body = {};
  for (const [k, s] of Object.entries(coll.schema.properties)) {
    if (s.readOnly || META.has(k) || !(k in rec)) continue;
    body[k] = rec[k];
  }
  return body;
}

/** A key no record of the collection has, shaped like `sample` (2 capitals for a
 * country code, else sample_N). */
export function freshKey(sample, taken) {
  const used = new Set(taken.map(String));
  if (/^[A-Z]{2}$/.test(sample)) {
    for (let a = 25; a >= 0; a--) {
      for (let b = 25; b >= 0; b--) {
        const k = String.fromCharCode(65 + a, 65 + b);
        if (!used.has(k)) return k;
      }
    }
  }
  for (let n = 1; ; n++) {
    const k = `${String(sample).slice(0, 30)}_${n}`;
    if (!used.has(k)) return k;
  }
}

/** A body that creates a copy of rec's required fields (a new key for a collection
 * keyed by code).  Required fields only: an optional one may change other records
 * (a progress update's percent becomes its action's). */
export function copyBody(coll, rec, taken) {
  // (and the scope field: a focal point's copy is of its own country)
  const required = new Set([...(coll.schema.required || []), ...(coll.access && coll.access.scope ? [coll.access.scope] : [])]);
  const body = Object.fromEntries(Object.entries(writable(coll, rec)).filter(([k]) => required.has(k)));
  if (coll.key !== 'id') body[coll.key] = freshKey(rec[coll.key], taken);
  return body;
}

/** The form fields a record's edit page would post (multilingual fields as
 * NAME.LANG, lists as repeated names, booleans checked or absent). */
export function formFields(coll, rec, { create = true } = {}) {
  const pairs = [];
  for (const [k, v] of Object.entries(writable(coll, rec))) {
    if (!create && k === coll.key) continue;
    const s = coll.schema.properties[k];
    if (s.$ref && /Multilingual$/.test(s.$ref)) {
      for (const lang of ['fr', 'en', 'ar']) pairs.push([`${k}.${lang}`, v && v[lang] ? v[lang] : '']);
    } else if (Array.isArray(v)) {
      for (const x of v) pairs.push([k, String(x)]);
    } else if (typeof v === 'boolean') {
      if (v) pairs.push([k, 'true']);
    } else {
      pairs.push([k, v === null || v === undefined ? '' : String(v)]);
    }
  }
  return pairs;
}

/** Every record of every collection named, through the API as admin (the cache
 * bypassed with a fresh empty q=), without the audit trail. */
export async function records(srv, colls) {
  const out = {};
  srv._recNonce = (srv._recNonce || 0) + 1;
  for (const c of colls) {
    if (c.readonly) continue;
    out[c.name] = await srv.all(c.name, 'q=&'.repeat(srv._recNonce).slice(0, -1));
  }
  return out;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The href of every link of a page (local ones only), decoded from HTML. */
export function localLinks(html) {
  const out = new Set();
  for (const m of html.matchAll(/href="([^"]*)"/g)) {
    const href = m[1].replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
    if (href.startsWith('/') && !href.startsWith('//')) out.add(href);
  }
  return [...out];
}

const unhtml = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
const attr = (tag, name) => {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m ? unhtml(m[1]) : null;
};
const hasAttr = (tag, name) => new RegExp(`\\s${name}(?=[\\s>=])`).test(tag);

/** What a browser would post from the form of a page whose action is `action`:
 * [name, value] pairs of its inputs, checked boxes, selected options (the first one
 * of a single select when none is), textareas; without `_csrf` (the session posting
 * adds its own). */
export function formOf(html, action) {
  const start = html.indexOf(`action="${action}"`);
  assert.ok(start >= 0, `a form posting to ${action}`);
  const end = html.indexOf('</form>', start);
  const f = html.slice(start, end);
  const pairs = [];
  const re = /<(input|select|textarea)\b[^>]*>/g;
  let m;
  while ((m = re.exec(f))) {
    const tag = m[0];
    const name = attr(tag, 'name');
    if (!name || name === '_csrf') continue;
    if (m[1] === 'input') {
      const type = attr(tag, 'type') || 'text';
      if (type === 'checkbox' || type === 'radio') {
        if (hasAttr(tag, 'checked')) pairs.push([name, attr(tag, 'value') ?? 'on']);
      } else if (type !== 'submit' && type !== 'button') {
        pairs.push([name, attr(tag, 'value') ?? '']);
      }
    } else if (m[1] === 'textarea') {
      const close = f.indexOf('</textarea>', re.lastIndex);
      pairs.push([name, unhtml(f.slice(re.lastIndex, close))]);
    } else {
      const close = f.indexOf('</select>', re.lastIndex);
      const opts = [...f.slice(re.lastIndex, close).matchAll(/<option\b[^>]*>/g)].map((o) => o[0]);
      const chosen = opts.filter((o) => hasAttr(o, 'selected'));
      if (hasAttr(tag, 'multiple')) for (const o of chosen) pairs.push([name, attr(o, 'value') ?? '']);
      else if (chosen.length || opts.length) pairs.push([name, attr(chosen[0] || opts[0], 'value') ?? '']);
    }
  }
  return pairs;
}

/** Pairs with the values of `over` (pairs) in place of those of the same names. */
export function overlay(pairs, over) {
  const names = new Set(over.map(([k]) => k));
  return [...pairs.filter(([k]) => !names.has(k)), ...over];
}

/** A server of a single test, with an officer account and its API token alone (each
 * account made with the CLI costs a process start and a password hash); pushed on
 * `others`, which the caller cleans up. */
export async function other(others, opts) {
  const s = await startServer(opts);
  others.push(s);
  const { name } = USERS.officer;
  const password = s.addUser(name, 'officer', { password: `${USER_PASSWORD}-officer` });
  s.officer = { name, password, token: s.addToken(name, 'officer token').token };
  return s;
}

/** Where a page request with this session goes: 200, or 303 to the login page. */
export async function signedIn(session, what) {
  const api = await session.get('/api/v1/');
  const page = await session.get('/actions');
  if (api.status === 200 && page.status === 200) return true;
  assertError(api, 401, 'unauthorized', `${what}: the API`);
  assert.equal(api.headers.get('www-authenticate'), 'Bearer realm="suivi"', `${what}: WWW-Authenticate`);
  assert.equal(page.status, 303, `${what}: a page`);
  assert.match(page.headers.get('location') || '', /^\/login\?next=/, `${what}: to the login page`);
  return false;
}

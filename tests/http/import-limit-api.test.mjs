// One limit for every import (issue 12, item 8): 200,000 participants (about 9 MiB,
// past the 1 MiB the training imports took before) at once through the API
// (import-limit-page.test.mjs does the same through the page's form).  Both backends.  An import of this size
// takes tens of seconds under AddressSanitizer on a busy machine: the request waits up
// to SLOW for its answer (a wait, not a timing asserted).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, BACKEND } from './harness.mjs';
import { participantRows } from './training-common.mjs';

const srv = useServer({ init: true });
const SLOW = 240000;


test('200,000 participants through the API in one import', async () => {
  const text = participantRows(200000, 'Famille', '\r\n');
  assert.ok(text.length > 1024 * 1024, 'over the old 1 MiB limit');
  const r = await srv.request('POST', '/api/v1/participants/import', { body: text, headers: { 'Content-Type': 'text/csv' }, timeout: SLOW });
  assert.equal(r.status, 200, r.text.slice(0, 500));
  assert.equal(r.json.imported, 200000);
  assert.equal((await srv.getJSON('/api/v1/participants?limit=1')).total, 200000, 'all of them, once');
});

test(`server stops cleanly (${BACKEND})`, () => srv.stop());

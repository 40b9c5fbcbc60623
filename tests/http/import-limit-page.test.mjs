// One limit for every import (issue 12, item 8): 200,000 participants (about 9 MiB,
// past the 1 MiB the training imports took before) at once through the page's form
// (import-limit-api.test.mjs does the same through the API).  Both backends.  An import of this size
// takes tens of seconds under AddressSanitizer on a busy machine: the request waits up
// to SLOW for its answer (a wait, not a timing asserted).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, BACKEND } from './harness.mjs';
import { participantRows } from './training-common.mjs';

const srv = useServer({ init: true });
const SLOW = 240000;


test('200,000 participants through the import page in one form', async () => {
  const text = participantRows(200000, 'Page', '\n');
  assert.ok(text.length > 1024 * 1024, 'over the old 1 MiB limit');
  const s = await srv.login();
  const f = await s.form('/participants/import', { csv: text, name: 'deux-cent-mille.csv' }, { timeout: SLOW });
  assert.equal(f.status, 200, f.text.slice(0, 500));
  assert.match(f.text, /200[\s\u00a0\u202f,.]?000/, 'the page says how many it imported');
  assert.equal((await srv.getJSON('/api/v1/participants?limit=1')).total, 200000, 'all of them, once');
});

test(`server stops cleanly (${BACKEND})`, () => srv.stop());

// tests/http/iati-common.mjs — what the IATI tests share: xmllint, and the check
// against the official schema (tests/data/iati-schema).  Not a test file itself.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './harness.mjs';

const SCHEMA = path.join(ROOT, 'tests/data/iati-schema/iati-activities-schema.xsd');

export function xmllint(args, input) {
  return spawnSync('xmllint', args, { input, encoding: 'utf8', timeout: 60000, maxBuffer: 256 << 20 });
}

/** Asserts that the file validates against the IATI 2.03 activity schema. */
export function validates(file) {
  const r = xmllint(['--noout', '--nonet', '--schema', SCHEMA, file]);
  assert.equal(r.status, 0, `${file} does not validate:\n${r.stderr.slice(0, 4000)}`);
  assert.match(r.stderr, /validates/);
}

/** Error codes, their exit codes and docs/errors.md stay in step (fastify keeps FST_ERR_* and its docs the same way). */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ERROR_CODES, PushspecError, type ErrorCode } from '../core/errors.ts';

const doc = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');

test('every error code is documented with its exit code, and the doc names no stale code', () => {
  for (const [code, { exit }] of Object.entries(ERROR_CODES)) {
    assert.match(doc, new RegExp(`\\| \`${code}\` \\| ${exit} \\|`), `${code} (exit ${exit}) missing from docs/errors.md`);
  }
  for (const [documented] of doc.matchAll(/PUSHSPEC_ERR_[A-Z_]+/g)) assert.ok(documented in ERROR_CODES, `docs/errors.md names unknown ${documented}`);
});

test('a PushspecError carries its code and exit code', () => {
  const error = new PushspecError('PUSHSPEC_ERR_LAUNCH' satisfies ErrorCode, 'the server exited');
  assert.equal(error.code, 'PUSHSPEC_ERR_LAUNCH');
  assert.equal(error.exitCode, 3);
  assert.equal(error.name, 'PushspecError');
});

/**
 * Keeps docs/reference-protocol.md in step with the reference server's error
 * registry: every code must appear in the doc's error table, with its status.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { REFERENCE_ERRORS } from '../reference/errors.ts';

const doc = readFileSync(new URL('../docs/reference-protocol.md', import.meta.url), 'utf8');
const tableRows = doc.split('\n').filter((line) => line.startsWith('| `'));

test('every registry error code appears in docs/reference-protocol.md', () => {
  const missing = Object.keys(REFERENCE_ERRORS).filter((code) => !doc.includes(`\`${code}\``));
  assert.deepEqual(missing, [], `codes missing from docs/reference-protocol.md: ${missing.join(', ')}`);
});

test('the error table gives each code the status the registry gives it', () => {
  for (const [code, { status }] of Object.entries(REFERENCE_ERRORS)) {
    const row = tableRows.find((line) => line.startsWith(`| \`${code}\` |`));
    assert.ok(row !== undefined, `no error-table row for \`${code}\``);
    assert.equal(row.split('|')[2]?.trim(), String(status), `status of \`${code}\` in the doc`);
  }
});

test('the error table lists no code the registry lacks', () => {
  const errorTable = doc.slice(doc.indexOf('## Errors'), doc.indexOf('## Reserved for later'));
  const documented = [...errorTable.matchAll(/^\| `([a-z_]+)` \| \d{3} \|/gm)].map((match) => match[1]);
  assert.deepEqual(documented.sort(), Object.keys(REFERENCE_ERRORS).sort());
});

/**
 * Tests of the list shown in Actual texts (core/sequence.ts `listSome`).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeSequenceDifference, listSome } from '../core/sequence.ts';

test('short items are quoted whole; past the maximum, how many more', () => {
  assert.equal(listSome([]), 'none');
  assert.equal(listSome(['a', 'b"c']), '"a", "b\\"c"');
  assert.equal(listSome(['1', '2', '3'], 2), '"1", "2" and 1 more');
});

test('two long items that differ only at the end stay told apart, with their length', () => {
  const shown = listSome([`${'a'.repeat(50)}X`, `${'a'.repeat(50)}Y`]);
  assert.equal(shown, `"${'a'.repeat(24)}…${'a'.repeat(15)}X" (51 characters), "${'a'.repeat(24)}…${'a'.repeat(15)}Y" (51 characters)`);
});

test('a long item is cut on code points, never inside a surrogate pair', () => {
  const shown = listSome(['😀'.repeat(45)]);
  assert.equal(shown, `"${'😀'.repeat(24)}…${'😀'.repeat(16)}" (45 characters)`);
  assert.doesNotMatch(shown, /[\uD800-\uDBFF](?![\uDC00-\uDFFF])/, 'no lone high surrogate');
});

test('a difference names what is missing, and what came twice', () => {
  assert.equal(describeSequenceDifference(['1', '2'], ['1', '2']), '');
  assert.match(describeSequenceDifference(['1', '2', '3'], ['1', '3', '3']), /"2"/);
});

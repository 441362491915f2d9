/**
 * The client checks' honesty for long-polling: the fixture client
 * (test/fixtures/clients/poll-client.mjs --mode long-polling), correct by
 * default, passes every LPC requirement; broken on purpose one rule at a
 * time, it is reported as failing exactly that rule (fail for a MUST,
 * non-strict for a SHOULD), and nothing else.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertOnly, catalogue, runClient } from './poll-client-helpers.ts';

const LONG_POLLING_FAULTS: Record<string, string> = {
  'slow-repoll': 'LPC-REPOLL-AT-ONCE',
  'stop-on-empty': 'LPC-REPOLL-AFTER-TIMEOUT',
  'first-cursor': 'LPC-CURSOR',
  overlap: 'LPC-ONE-OUTSTANDING',
  'reverse-batch': 'LPC-BATCH-ORDER',
  'no-backoff': 'LPC-BACKOFF',
  'ignore-retry-after': 'LPC-RETRY-AFTER',
  'no-resume': 'LPC-RESUME-AFTER-CUT',
};

// One run at a time: the requirements judge timing (re-poll delays, back-off, Retry-After).
describe('a fixture long-polling client is judged rightly', () => {
  test('the correct client passes every LPC requirement', () => assertOnly(runClient('lp-client', '@long-polling'), '@long-polling'));
  for (const [fault, id] of Object.entries(LONG_POLLING_FAULTS)) {
    test(`--fault ${fault} fails ${id} and nothing else`, () => assertOnly(runClient(`lp-client-${fault}`, '@long-polling'), '@long-polling', id));
  }
});

test('every LPC requirement has a fault that breaks it', () => {
  const covered = new Set(Object.values(LONG_POLLING_FAULTS));
  for (const r of catalogue.filter((x) => x.id.startsWith('LPC-'))) assert.ok(covered.has(r.id), `${r.id} has no fault`);
});

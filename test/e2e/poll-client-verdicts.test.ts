/**
 * The client checks' honesty for Ajax polling: the fixture client
 * (test/fixtures/clients/poll-client.mjs --mode polling), correct by default,
 * passes every POLLC requirement; broken on purpose one rule at a time, it is
 * reported as failing exactly that rule (fail for a MUST, non-strict for a
 * SHOULD), and nothing else. Long-polling: lp-client-verdicts.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertOnly, catalogue, runClient } from './poll-client-helpers.ts';

const POLLING_FAULTS: Record<string, string> = {
  fast: 'POLLC-INTERVAL',
  'first-cursor': 'POLLC-CURSOR',
  'no-validators': 'POLLC-VALIDATORS',
  '204-as-error': 'POLLC-NO-CONTENT',
  '304-as-message': 'POLLC-NOT-MODIFIED',
};

// One run at a time: the requirements judge timing (the declared interval).
describe('a fixture polling client is judged rightly', () => {
  test('the correct client passes every POLLC requirement', () => assertOnly(runClient('poll-client', '@polling'), '@polling'));
  for (const [fault, id] of Object.entries(POLLING_FAULTS)) {
    test(`--fault ${fault} fails ${id} and nothing else`, () => assertOnly(runClient(`poll-client-${fault}`, '@polling'), '@polling', id));
  }
});

test('every POLLC requirement has a fault that breaks it', () => {
  const covered = new Set(Object.values(POLLING_FAULTS));
  for (const r of catalogue.filter((x) => x.id.startsWith('POLLC-'))) assert.ok(covered.has(r.id), `${r.id} has no fault`);
});

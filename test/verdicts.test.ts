/** Verdicts from cucumber's results: levels, non-strict failures, unsupported scenarios, and outlines combined. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pickle } from '@cucumber/messages';
import { combine, failureMessage, scenarioOf, verdictFor } from '../verdicts/from-envelopes.ts';
import { countLine, countVerdicts, exitCodeFor } from '../verdicts/outcome.ts';
import type { AdapterRun, Evidence, Requirement } from '../verdicts/model.ts';

const evidence = (extra: Partial<Evidence> = {}): Evidence => ({ exchanges: [], omittedExchanges: 0, figures: [], notes: [], ...extra });
const requirement: Requirement = { id: 'WS-X', technique: 'websocket', level: 'MUST', title: 'A thing holds', source: { label: 'RFC 6455 §5' } };
const pickle = (name: string): Pickle =>
  ({ id: name, uri: 'features/x.feature', name, language: 'en', astNodeIds: [], tags: [], steps: [{ id: 's', text: 'a step', type: 'Context', astNodeIds: [] }] }) as unknown as Pickle;

test('a level and a cucumber status give the verdict', () => {
  assert.equal(verdictFor('MUST', 'PASSED', false), 'pass');
  assert.equal(verdictFor('MAY', 'PASSED', false), 'informational');
  assert.equal(verdictFor('MUST', 'FAILED', false), 'fail');
  assert.equal(verdictFor('SHOULD', 'FAILED', false), 'non-strict');
  assert.equal(verdictFor('MAY', 'FAILED', false), 'non-strict');
  assert.equal(verdictFor('MUST', 'FAILED', false, true), 'non-strict', 'a recommendation inside a MUST case');
  assert.equal(verdictFor('MUST', 'SKIPPED', false), 'unsupported');
  assert.equal(verdictFor('MUST', 'PASSED', true), 'unsupported');
});

test("an outline's examples combine into one result: the worst verdict, every example listed", () => {
  const result = combine(requirement, [
    { pickle: pickle('case 1'), verdict: 'pass', durationMs: 2, evidence: evidence() },
    { pickle: pickle('case 2'), verdict: 'fail', durationMs: 3, evidence: evidence({ expected: 'a', actual: 'b', closeOutcome: 'still open' }), message: 'Expected: a\nActual:   b' },
    { pickle: pickle('case 3'), verdict: 'non-strict', durationMs: 4, evidence: evidence(), message: 'close without a close frame' },
  ]);
  assert.equal(result.verdict, 'fail');
  assert.equal(result.durationMs, 9);
  assert.equal(result.scenario?.name, 'case 2', 'the evidence and scenario are the worst example\'s');
  assert.equal(result.evidence.expected, 'a');
  assert.match(result.message ?? '', /^2 of 3 examples did not hold; first: case 2\nExpected: a/);
  assert.deepEqual(result.examples?.map((e) => [e.name, e.verdict, e.closeOutcome]), [
    ['case 1', 'pass', undefined],
    ['case 2', 'fail', 'still open'],
    ['case 3', 'non-strict', undefined],
  ]);
});

test('a single scenario keeps its own message and lists no examples', () => {
  const result = combine(requirement, [{ pickle: pickle('only'), verdict: 'unsupported', durationMs: 0, evidence: evidence(), message: 'not declared' }]);
  assert.equal(result.verdict, 'unsupported');
  assert.equal(result.message, 'not declared');
  assert.equal(result.examples, undefined);
  assert.deepEqual(scenarioOf(pickle('x')).steps, ['Given a step']);
});

test('a failure message is Expected/Actual when a check said so, else cucumber\'s message without its stack', () => {
  assert.equal(failureMessage({ status: 'FAILED' }, evidence({ expected: 'x', actual: 'y' })), 'Expected: x\nActual:   y');
  assert.equal(failureMessage({ status: 'FAILED', message: 'Error: boom\n    at thing (file.ts:1:1)' }, evidence()), 'Error: boom');
  assert.equal(failureMessage({ status: 'PENDING' }, evidence()), "the scenario's status is pending");
});

test('the closing line and the exit code count non-strict as passed unless the run was strict', () => {
  const run = (strict: boolean): AdapterRun => ({
    adapter: { name: 'a', baseUrl: 'http://x', source: 'x' },
    startedAt: '',
    durationMs: 0,
    strict,
    totals: { pass: 3, 'non-strict': 1, fail: 0, informational: 1, unsupported: 2 },
    results: [],
  });
  assert.equal(countLine(countVerdicts([run(false)])), 'pushspec: 5 passed, 0 failed, 2 skipped');
  assert.equal(exitCodeFor([run(false)]), 0);
  assert.equal(countLine(countVerdicts([run(true)])), 'pushspec: 4 passed, 1 failed, 2 skipped');
  assert.equal(exitCodeFor([run(true)]), 1);
});

/** Verdicts from cucumber's results: levels, non-strict failures, unsupported scenarios, and outlines combined. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Envelope, Pickle } from '@cucumber/messages';
import { EVIDENCE_MEDIA_TYPE } from '../core/evidence.ts';
import { combine, failureMessage, resultsFromEnvelopes, scenarioOf, verdictFor } from '../verdicts/from-envelopes.ts';
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
  assert.equal(verdictFor('MUST', 'SKIPPED', false), 'unsupported');
  assert.equal(verdictFor('MUST', 'PASSED', true), 'unsupported');
});

test('a MUST requirement is never non-strict, whatever happened', () => {
  for (const status of ['PASSED', 'FAILED', 'SKIPPED', 'UNDEFINED', 'AMBIGUOUS', 'PENDING', 'UNKNOWN']) {
    for (const unsupported of [false, true]) assert.notEqual(verdictFor('MUST', status, unsupported), 'non-strict', `${status}, unsupported ${unsupported}`);
  }
});

/** The envelopes of one finished scenario tagged `tags`, with `status` and an evidence attachment. */
function scenarioEnvelopes(name: string, tags: string[], status: string, attached: Partial<Evidence>, notRun?: string): Envelope[] {
  const id = name.replace(/\W/g, '');
  return [
    { pickle: { id, uri: 'features/x.feature', name, language: 'en', astNodeIds: [], tags: tags.map((t) => ({ name: t, astNodeId: '' })), steps: [] } },
    { testCase: { id: `tc-${id}`, pickleId: id, testSteps: [] } },
    { testCaseStarted: { id: `st-${id}`, testCaseId: `tc-${id}`, attempt: 0, timestamp: { seconds: 0, nanos: 0 } } },
    { testStepFinished: { testCaseStartedId: `st-${id}`, testStepId: 's', testStepResult: { status, duration: { seconds: 0, nanos: 1_000_000 } }, timestamp: { seconds: 0, nanos: 0 } } },
    { attachment: { testCaseStartedId: `st-${id}`, mediaType: EVIDENCE_MEDIA_TYPE, body: JSON.stringify({ ...(notRun !== undefined ? { notRun } : {}), evidence: evidence(attached) }), contentEncoding: 'IDENTITY' } },
  ] as unknown as Envelope[];
}

test('a part observed inside a MUST scenario is a result of its own requirement, at its own level; the MUST stays pass', () => {
  const must: Requirement = { id: 'WS-FAILS', technique: 'websocket', level: 'MUST', title: 'A bad frame fails the connection', source: { label: 'RFC 6455 §5.2' } };
  const part: Requirement = { id: 'WS-CLOSE-CODE', technique: 'websocket', level: 'SHOULD', title: 'with the right code', source: { label: 'RFC 6455 §7.1.7' }, collected: 'from every failed connection' };
  const unseen: Requirement = { id: 'WS-UNSEEN', technique: 'websocket', level: 'SHOULD', title: 'observed by nothing here', source: { label: 'x' }, collected: 'from elsewhere' };
  const other: Requirement = { id: 'POLL-UNSEEN', technique: 'polling', level: 'SHOULD', title: 'of a technique not run', source: { label: 'x' }, collected: 'from polls' };
  const envelopes = [
    ...scenarioEnvelopes('case one', ['@WS-FAILS'], 'PASSED', { parts: [{ requirement: 'WS-CLOSE-CODE', held: false, expected: 'a close frame with code 1002', actual: 'no close frame' }] }),
    ...scenarioEnvelopes('case two', ['@WS-FAILS'], 'PASSED', { parts: [{ requirement: 'WS-CLOSE-CODE', held: true, expected: 'a close frame with code 1002', actual: 'clean, code 1002' }] }),
  ];
  const results = resultsFromEnvelopes(envelopes, [must, part, unseen, other]);
  assert.deepEqual(results.map((r) => [r.id, r.verdict]), [['WS-FAILS', 'pass'], ['WS-CLOSE-CODE', 'non-strict'], ['WS-UNSEEN', 'unsupported']]);
  const observed = results[1]!;
  assert.deepEqual(observed.examples?.map((e) => [e.name, e.verdict]), [['case one', 'non-strict'], ['case two', 'pass']]);
  assert.equal(observed.evidence.expected, 'a close frame with code 1002');
  assert.equal(observed.evidence.actual, 'no close frame');
  assert.equal(observed.evidence.parts, undefined, 'the part evidence does not carry the parts again');
  assert.match(results[2]!.message ?? '', /no scenario of this run observed it/);
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

test('a failure message is always Expected/Actual: what a check said, else the error that stopped the scenario, without its stack', () => {
  assert.equal(failureMessage({ status: 'FAILED' }, evidence({ expected: 'x', actual: 'y' })), 'Expected: x\nActual:   y');
  assert.equal(failureMessage({ status: 'FAILED', message: 'Error: boom\n    at thing (file.ts:1:1)' }, evidence()), 'Expected: the scenario to run to its verdict\nActual:   Error: boom');
  assert.equal(
    failureMessage({ status: 'FAILED', message: 'TimeoutError: The operation was aborted due to timeout\n    at x (y.ts:1:1)' }, evidence()),
    'Expected: the scenario to run to its verdict\nActual:   TimeoutError: The operation was aborted due to timeout',
  );
  assert.equal(failureMessage({ status: 'FAILED', message: 'Expected: a\nActual:   b\n    at x (y.ts:1:1)' }, evidence()), 'Expected: a\nActual:   b');
  assert.equal(failureMessage({ status: 'PENDING' }, evidence()), 'Expected: the scenario to run to its verdict\nActual:   its status is pending');
});

test('the closing line and the exit code count non-strict as passed unless the run was strict', () => {
  const run = (strict: boolean): AdapterRun => ({
    adapter: { name: 'a', baseUrl: 'http://x', source: 'x' },
    startedAt: '',
    durationMs: 0,
    strict,
    totals: { pass: 3, 'non-strict': 1, fail: 0, informational: 1, unsupported: 2, 'not-run': 0 },
    results: [],
  });
  assert.equal(countLine(countVerdicts([run(false)])), 'pushspec: 5 passed, 0 failed, 2 skipped');
  assert.equal(exitCodeFor([run(false)]), 0);
  assert.equal(countLine(countVerdicts([run(true)])), 'pushspec: 4 passed, 1 failed, 2 skipped');
  assert.equal(exitCodeFor([run(true)]), 1);
});

test('a case whose failure stopped the run is not run, keeps what it saw, and the stop reason alone explains what nothing observed', () => {
  const must: Requirement = { id: 'LP-X', technique: 'longPolling', level: 'MUST', title: 'x', source: { label: 'x' } };
  const unseen: Requirement = { id: 'LP-UNSEEN', technique: 'longPolling', level: 'SHOULD', title: 'observed by nothing here', source: { label: 'x' }, collected: 'from every poll' };
  const reason = 'the server stopped answering at http://127.0.0.1:1: connection refused before this case was judged';
  const envelopes = scenarioEnvelopes('case one', ['@LP-X'], 'FAILED', { expected: 'an HTTP answer', actual: 'the request failed' }, reason);
  const [stopped, collected] = resultsFromEnvelopes(envelopes, [must, unseen]);
  assert.equal(stopped!.verdict, 'not-run');
  assert.equal(stopped!.message, `${reason}\nWhat this case saw before the stop:\nExpected: an HTTP answer\nActual:   the request failed`);
  assert.equal(collected!.verdict, 'not-run');
  assert.equal(collected!.message, `no scenario of this run observed it; it is observed from every poll; ${reason}`);
});

/**
 * Long-polling's own checks over answers built by hand: how long a poll was
 * held, what ended it, the slack a timed-out hold gets, and the three
 * declared policies for two polls held with one cursor.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { PublishedMessage } from '../core/publisher.ts';
import {
  checkConcurrentPolicy,
  checkEndedByMessage,
  checkEndedByTimeout,
  checkEveryHeldPollGotIt,
  checkHeld,
  checkMaximumIsSafe,
  checkTimeoutIsSuccess,
  holdSlackMs,
  SAFE_MAX_HOLD_MS,
} from '../techniques/long-polling/checks.ts';
import type { PollAnswer } from '../techniques/polling/poll-client.ts';
import { failure, pollAnswer as answer, type AnswerFields } from './support/checks.ts';


/** An answer held `ms` milliseconds. */
const heldFor = (ms: number, fields: AnswerFields = {}): PollAnswer => answer({ ...fields, startedAtMs: 0, endedAtMs: ms });
const message = (data: string, startedAtMs: number): PublishedMessage => ({ seq: 0, data, startedAtMs, ackedAtMs: startedAtMs + 2 });


describe('holdSlackMs', () => {
  test('a quarter of the hold, never less than 500 ms', () => {
    assert.equal(holdSlackMs(0), 500);
    assert.equal(holdSlackMs(1000), 500);
    assert.equal(holdSlackMs(2000), 500);
    assert.equal(holdSlackMs(2002), 501, 'rounded: 500.5 -> 501');
    assert.equal(holdSlackMs(4000), 1000);
    assert.equal(holdSlackMs(SAFE_MAX_HOLD_MS), 7500);
  });
});

describe('long-polling checks', () => {
  test('checkHeld: an idle poll held at least the minimum', () => {
    checkHeld(heldFor(500), 500, 1000);
    checkHeld(heldFor(1000), 500, 1000);
    assert.throws(() => checkHeld(heldFor(499), 500, 1000), failure(/^the poll held for at least 500 ms \(half the declared 1000 ms hold\) while nothing was published$/, /^status 200 after 499 ms with nothing new$/));
    assert.throws(() => checkHeld(heldFor(3, { status: 304 }), 500, 1000), failure(/at least 500 ms/, /^status 304 after 3 ms/));
  });

  test('checkEndedByMessage: the message ends the hold, before the hold runs out', () => {
    const m = message('m1', 300);
    checkEndedByMessage(heldFor(310, { data: ['m1'] }), m, 1000);
    checkEndedByMessage(heldFor(999, { data: ['m0', 'm1'] }), m, 1000);
    const expected = /^the held poll answered with "m1" as soon as it was published, before its 1000 ms hold ran out$/;
    assert.throws(() => checkEndedByMessage(heldFor(1000, { data: ['m1'] }), m, 1000), failure(expected, /after 1000 ms with 1 message/));
    assert.throws(() => checkEndedByMessage(heldFor(1000), m, 1000), failure(expected, /^status 200 after 1000 ms with nothing new; the message was published at \+300 ms into the hold$/));
    assert.throws(() => checkEndedByMessage(heldFor(310, { data: ['m2'] }), m, 1000), failure(expected, /"m2"/));
  });

  test('checkEndedByTimeout: the declared empty answer by the hold plus its slack', () => {
    checkEndedByTimeout(heldFor(1000), 200, 1000, 500);
    checkEndedByTimeout(heldFor(1500), 200, 1000, holdSlackMs(1000));
    checkEndedByTimeout(heldFor(1200, { status: 304 }), 304, 1000, 500);
    assert.throws(() => checkEndedByTimeout(heldFor(1501), 200, 1000, 500), failure(/^the server to end the hold itself with status 200 with an empty batch \(the declared timeout answer\) within 1000 ms \+ 500 ms$/, /after 1501 ms with nothing new/));
    assert.throws(() => checkEndedByTimeout(heldFor(1000, { data: ['m1'] }), 200, 1000, 500), failure(/status 200 with an empty batch/, /1 message\(s\): "m1"/));
    assert.throws(() => checkEndedByTimeout(heldFor(1000), 204, 1000, 500), failure(/end the hold itself with status 204 \(the declared timeout answer\)/, /^status 200 after 1000 ms/));
    assert.throws(() => checkEndedByTimeout(heldFor(1000, { status: 408, kind: 'error' }), 200, 1000, 500), failure(/status 200/, /^status 408 /));
  });

  test('checkTimeoutIsSuccess: 200, 204 or 304, never 408 nor any error', () => {
    for (const status of [200, 204, 304]) checkTimeoutIsSuccess(heldFor(1000, { status }));
    const expected = /^the expired hold answered with a success status \(200, 204 or 304\), not 408 Request Timeout$/;
    assert.throws(() => checkTimeoutIsSuccess(heldFor(1000, { status: 408, kind: 'error' })), failure(expected, /^status 408 after 1000 ms/));
    assert.throws(() => checkTimeoutIsSuccess(heldFor(1000, { status: 400, kind: 'error' })), failure(expected, /^status 400 /));
    assert.throws(() => checkTimeoutIsSuccess(heldFor(1000, { status: 504, kind: 'error' })), failure(expected, /^status 504 /));
    assert.throws(() => checkTimeoutIsSuccess(heldFor(1000, { status: 202 })), failure(expected, /^status 202 /));
  });

  test('checkEveryHeldPollGotIt: every held poll carries the broadcast', () => {
    const m = message('news', 100);
    checkEveryHeldPollGotIt([0, 1, 2].map((index) => heldFor(105, { index, data: ['news'] })), m);
    const answers = [heldFor(105, { data: ['news'] }), heldFor(105, { index: 1 }), heldFor(105, { index: 2, data: ['news'] })];
    assert.throws(() => checkEveryHeldPollGotIt(answers, m), failure(/^every one of the 3 held polls answered with "news"$/, /^1 did not: status 200 after 105 ms with nothing new$/));
  });

  test('checkMaximumIsSafe: at most 30 s (RFC 6202 §5.5)', () => {
    assert.equal(SAFE_MAX_HOLD_MS, 30_000);
    checkMaximumIsSafe(30_000);
    checkMaximumIsSafe(1000);
    assert.throws(() => checkMaximumIsSafe(30_001), failure(/^a declared maximum hold of at most 30000 ms \(RFC 6202 §5\.5\)$/, /^the adapter declares 30001 ms$/));
  });
});

describe('checkConcurrentPolicy: two polls held with one cursor, a message published at +100 ms', () => {
  const m = message('m1', 100);
  const carrying = (fields: AnswerFields = {}): PollAnswer => heldFor(105, { ...fields, data: ['m1'] });

  test('"independent": both polls get the message', () => {
    checkConcurrentPolicy('independent', carrying(), carrying({ index: 1 }), m, 200);
    const expected = /^both polls answered with "m1" \(declared policy "independent"\)$/;
    assert.throws(() => checkConcurrentPolicy('independent', heldFor(50), carrying({ index: 1 }), m, 200), failure(expected, /^older poll: status 200 after 50 ms with nothing new; newer poll: status 200 after 105 ms with 1 message/));
    assert.throws(() => checkConcurrentPolicy('independent', carrying(), heldFor(1000, { index: 1 }), m, 200), failure(expected, /newer poll: status 200 after 1000 ms with nothing new$/));
  });

  test('"preempt-old": the older ends empty (the declared empty answer) by the publish, the newer gets the message', () => {
    checkConcurrentPolicy('preempt-old', heldFor(100), carrying({ index: 1 }), m, 200);
    checkConcurrentPolicy('preempt-old', heldFor(20, { status: 304 }), carrying({ index: 1 }), m, 304);
    const expected = /^the older poll answered empty as soon as the newer arrived, and the newer with "m1" \(declared policy "preempt-old"\)$/;
    assert.throws(() => checkConcurrentPolicy('preempt-old', heldFor(101), carrying({ index: 1 }), m, 200), failure(expected, /^older poll: status 200 after 101 ms with nothing new/));
    assert.throws(() => checkConcurrentPolicy('preempt-old', carrying(), carrying({ index: 1 }), m, 200), failure(expected, /^older poll: .*1 message/));
    assert.throws(() => checkConcurrentPolicy('preempt-old', heldFor(20, { status: 204 }), carrying({ index: 1 }), m, 200), failure(expected, /^older poll: status 204 /));
    assert.throws(() => checkConcurrentPolicy('preempt-old', heldFor(20), heldFor(1000, { index: 1 }), m, 200), failure(expected, /newer poll: status 200 after 1000 ms with nothing new$/));
  });

  test('"reject-new": the newer is refused with a 4xx by the publish, the older gets the message', () => {
    checkConcurrentPolicy('reject-new', carrying(), heldFor(5, { index: 1, status: 409, kind: 'error' }), m, 200);
    checkConcurrentPolicy('reject-new', carrying(), heldFor(100, { index: 1, status: 400, kind: 'error' }), m, 200);
    checkConcurrentPolicy('reject-new', carrying(), heldFor(5, { index: 1, status: 499, kind: 'error' }), m, 200);
    // A protocol that refuses inside a 200 (SockJS's c[2010, …]) is read as a refusal by its decoder.
    checkConcurrentPolicy('reject-new', carrying(), heldFor(5, { index: 1, status: 200, kind: 'invalid', decoderError: true }), m, 200);
    // A 200 body the declared format cannot read is garbage, not a refusal the protocol's decoder reads.
    assert.throws(() => checkConcurrentPolicy('reject-new', carrying(), heldFor(5, { index: 1, status: 200, kind: 'invalid', problem: 'the body is not JSON' }), m, 200));
    assert.throws(() => checkConcurrentPolicy('reject-new', carrying(), heldFor(5, { index: 1, status: 503, kind: 'error' }), m, 200));
    const expected = /^the newer poll refused at once \(a 4xx, or a refusal the protocol's decoder reads\), and the older answered with "m1" \(declared policy "reject-new"\)$/;
    assert.throws(() => checkConcurrentPolicy('reject-new', carrying(), heldFor(5, { index: 1, status: 500, kind: 'error' }), m, 200), failure(expected, /newer poll: status 500 /));
    assert.throws(() => checkConcurrentPolicy('reject-new', carrying(), heldFor(5, { index: 1 }), m, 200), failure(expected, /newer poll: status 200 after 5 ms with nothing new$/));
    assert.throws(() => checkConcurrentPolicy('reject-new', carrying(), heldFor(101, { index: 1, status: 409, kind: 'error' }), m, 200), failure(expected, /newer poll: status 409 after 101 ms/));
    assert.throws(() => checkConcurrentPolicy('reject-new', heldFor(1000), heldFor(5, { index: 1, status: 409, kind: 'error' }), m, 200), failure(expected, /^older poll: status 200 after 1000 ms with nothing new/));
  });

  test('"close-both": the newer is refused with a 4xx and the older ends without the message, both by the publish', () => {
    checkConcurrentPolicy('close-both', heldFor(6, { kind: 'error' }), heldFor(5, { index: 1, status: 400, kind: 'error' }), m, 200);
    const expected = /^both polls ended as soon as the newer arrived: the newer refused \(a 4xx, or a refusal the protocol's decoder reads\), the older with the session \(declared policy "close-both"\)$/;
    assert.throws(() => checkConcurrentPolicy('close-both', carrying(), heldFor(5, { index: 1, status: 400, kind: 'error' }), m, 200), failure(expected, /^older poll: .*1 message/));
    assert.throws(() => checkConcurrentPolicy('close-both', heldFor(1000), heldFor(5, { index: 1, status: 400, kind: 'error' }), m, 200), failure(expected, /^older poll: status 200 after 1000 ms/));
    assert.throws(() => checkConcurrentPolicy('close-both', heldFor(6, { kind: 'error' }), carrying({ index: 1 }), m, 200), failure(expected, /newer poll: status 200 /));
  });
});

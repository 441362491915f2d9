/** The polling and long-polling client checks: pure functions of the polls the scripted server recorded and the messages the client reported. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConformanceFailure } from '../core/failure.ts';
import { checkNoHotLoop, checkOnePollAtATime, checkRepolledWithin, checkWaitedBeforeRepoll, OVERLAP_GRACE_MS } from '../techniques/long-polling/client-side/checks.ts';
import { checkCursorSentBack, checkIfNoneMatch, checkInterval, checkMessages, checkReadToMarker, checkSameCursor, type PollSeen } from '../techniques/polling/client-side/checks.ts';

const poll = (n: number, atMs: number, more: Partial<PollSeen> = {}): PollSeen => ({ n, atMs, cursor: undefined, ...more });
const message = (data: string) => ({ type: 'message' as const, atMs: 0, data });
const fails = (fn: () => void, actual: RegExp) => assert.throws(fn, (e: unknown) => e instanceof ConformanceFailure && actual.test(e.actual));

describe('cursors', () => {
  test('the next poll carries the cursor the answer gave', () => {
    const answered = poll(1, 0, { answeredAtMs: 5, answerCursor: '3' });
    checkCursorSentBack(answered, poll(2, 10, { cursor: '3' }), 2);
    fails(() => checkCursorSentBack(answered, poll(2, 10, { cursor: '1' }), 2), /cursor "1"/);
    fails(() => checkCursorSentBack(answered, poll(2, 10), 2), /no cursor/);
    fails(() => checkCursorSentBack(answered, undefined, 2), /no poll 2 came/);
  });

  test('after a cut, the same cursor again', () => {
    const cut = poll(2, 0, { cursor: '1', endedAtMs: 200 });
    checkSameCursor(cut, poll(3, 400, { cursor: '1' }), 3);
    fails(() => checkSameCursor(cut, poll(3, 400, { cursor: '0' }), 3), /cursor "0"/);
    fails(() => checkSameCursor(cut, undefined, 3), /no poll 3 came/);
  });
});

describe('messages', () => {
  test('in order, each once, and read up to the marker', () => {
    checkMessages([message('a'), message('b')], ['a', 'b']);
    fails(() => checkMessages([message('b'), message('a')], ['a', 'b']), /"b", "a"/);
    fails(() => checkMessages([message('a'), message('a'), message('b')], ['a', 'b']), /"a", "a", "b"/);
    fails(() => checkMessages([message('a'), message('')], ['a']), /"a", ""/);
    checkReadToMarker(true, []);
    fails(() => checkReadToMarker(false, [message('a')]), /no end marker/);
  });
});

describe('timing', () => {
  test('a new poll within the bound of the answer', () => {
    const answered = poll(1, 0, { answeredAtMs: 100 });
    assert.equal(checkRepolledWithin(answered, poll(2, 150), 1000), 50);
    fails(() => checkRepolledWithin(answered, poll(2, 1600), 1000), /1500 ms after/);
    fails(() => checkRepolledWithin(answered, undefined, 1000), /no new poll/);
  });

  test('Retry-After: not sooner, and a poll at all', () => {
    const answered = poll(1, 0, { answeredAtMs: 100 });
    assert.equal(checkWaitedBeforeRepoll(answered, poll(2, 1105), 1000), 1005);
    fails(() => checkWaitedBeforeRepoll(answered, poll(2, 400), 1000), /300 ms after/);
    fails(() => checkWaitedBeforeRepoll(answered, undefined, 1000), /no new poll/);
  });

  test('the declared interval, with a tolerance, on enough polls', () => {
    assert.equal(checkInterval([poll(1, 0), poll(2, 301), poll(3, 605)], 300, 3), 301);
    checkInterval([poll(1, 0), poll(2, 275), poll(3, 560)], 300, 3);
    fails(() => checkInterval([poll(1, 0), poll(2, 301), poll(3, 380)], 300, 3), /poll 3 came 79 ms after poll 2/);
    fails(() => checkInterval([poll(1, 0), poll(2, 301)], 300, 3), /^2:/);
  });

  test('back-off: a bounded count of polls in the window after the first', () => {
    assert.equal(checkNoHotLoop([poll(1, 0), poll(2, 200), poll(3, 600), poll(4, 1400)], 10, 2000), 4);
    const hot = Array.from({ length: 11 }, (_, i) => poll(i + 1, i * 3));
    fails(() => checkNoHotLoop(hot, 10, 2000), /11 polls/);
    // Polls after the window do not count.
    assert.equal(checkNoHotLoop([...Array.from({ length: 10 }, (_, i) => poll(i + 1, i * 100)), poll(11, 2500)], 10, 2000), 10);
  });
});

describe('one poll outstanding', () => {
  test('each poll after the one before ended', () => {
    checkOnePollAtATime([poll(1, 0, { endedAtMs: 10 }), poll(2, 12)]);
    // A client that drops its held poll and polls again races its own FIN: a short overlap is no second poll.
    checkOnePollAtATime([poll(1, 0, { endedAtMs: 100 + OVERLAP_GRACE_MS - 5 }), poll(2, 100)]);
    fails(() => checkOnePollAtATime([poll(1, 0, { endedAtMs: 5 }), poll(2, 10), poll(3, 700)]), /poll 3 came at 700 ms while poll 2/);
    fails(() => checkOnePollAtATime([poll(1, 0, { endedAtMs: 900 }), poll(2, 600)]), /until 900 ms/);
  });
});

test('If-None-Match offers the validator', () => {
  checkIfNoneMatch(poll(2, 0, { headers: { 'if-none-match': '"v1"' } }), 2, '"v1"');
  checkIfNoneMatch(poll(2, 0, { headers: { 'if-none-match': '"v0", "v1"' } }), 2, '"v1"');
  fails(() => checkIfNoneMatch(poll(2, 0, { headers: {} }), 2, '"v1"'), /no If-None-Match/);
  fails(() => checkIfNoneMatch(poll(2, 0, { headers: { 'if-none-match': '"v2"' } }), 2, '"v1"'), /"v2"/);
  fails(() => checkIfNoneMatch(undefined, 2, '"v1"'), /no poll 2/);
});

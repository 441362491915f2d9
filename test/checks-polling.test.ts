/**
 * The checks Ajax polling and long-polling share (poll-checks.ts) and those
 * only Ajax polling needs (checks.ts), over answers built by hand: each holds
 * on good evidence and fails, with the right Expected/Actual, on bad.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { PublishedMessage } from '../core/publisher.ts';
import { POLLING_DEFAULTS, type ResolvedPolling } from '../techniques/polling/adapter.ts';
import { checkGapSignalled, checkSeenByNextPoll } from '../techniques/polling/checks.ts';
import {
  checkAnsweredWithin,
  checkClientError,
  checkCursorUnchanged,
  checkDeclaredEmpty,
  checkExactlyOnceInOrder,
  checkNotCacheable,
  checkOneConnection,
  checkReadableWhileCatchingUp,
  checkSameAnswer,
  checkStartPolicy,
  checkWholeBatch,
  describeAnswer,
} from '../techniques/polling/poll-checks.ts';
import type { PollAnswer, ReceivedMessage } from '../techniques/polling/poll-client.ts';
import { failure, pollAnswer as answer } from './support/checks.ts';


const received = (...data: string[]): ReceivedMessage[] => data.map((d) => ({ data: d, answerIndex: 0, receivedAtMs: 0 }));
const published = (data: string, ackedAtMs = 0): PublishedMessage => ({ seq: 0, data, startedAtMs: ackedAtMs, ackedAtMs });
const publishedAll = (...data: string[]): PublishedMessage[] => data.map((d, seq) => ({ ...published(d), seq }));


describe('describeAnswer', () => {
  test('says the status, the rounded time and what the answer held', () => {
    assert.equal(describeAnswer(answer({ data: ['a', 'b', 'c', 'd'], startedAtMs: 1, endedAtMs: 13.6 })), 'status 200 after 13 ms with 4 message(s): "a", "b", "c" and 1 more');
    assert.equal(describeAnswer(answer({ status: 204 })), 'status 204 after 10 ms with nothing new');
    assert.equal(describeAnswer(answer({ kind: 'invalid', problem: 'not JSON' })), 'status 200 after 10 ms with an unreadable body (not JSON)');
    assert.equal(describeAnswer(answer({ status: 500, kind: 'error', body: 'oops' })), 'status 500 after 10 ms with the body "oops"');
  });

  test('cuts an error body after 120 characters', () => {
    const text = describeAnswer(answer({ status: 500, kind: 'error', body: 'x'.repeat(121) }));
    assert.ok(text.endsWith(`the body "${'x'.repeat(120)}…"`), text);
    assert.ok(describeAnswer(answer({ status: 500, kind: 'error', body: 'x'.repeat(120) })).endsWith(`"${'x'.repeat(120)}"`));
  });
});

describe('poll-checks', () => {
  test('checkReadableWhileCatchingUp: messages or the empty answer, never an error or an unreadable body', () => {
    checkReadableWhileCatchingUp('alice', answer({ data: ['a'] }));
    checkReadableWhileCatchingUp('alice', answer({ status: 304 }));
    assert.throws(() => checkReadableWhileCatchingUp('alice', answer({ status: 500, kind: 'error', body: 'oops' })), failure(/^alice's polls to be answered with messages or the declared empty answer$/, /status 500 .*the body "oops"/));
    assert.throws(() => checkReadableWhileCatchingUp('alice', answer({ kind: 'invalid', problem: 'not JSON' })), failure(/alice's polls/, /unreadable body \(not JSON\)/));
  });

  test('checkAnsweredWithin: the rounded duration may equal the bound, not pass it', () => {
    checkAnsweredWithin(answer({ startedAtMs: 100, endedAtMs: 1100.4 }), 1000);
    assert.throws(() => checkAnsweredWithin(answer({ startedAtMs: 100, endedAtMs: 1100.6 }), 1000), failure(/^an answer within 1000 ms$/, /after 1001 ms/));
  });

  test('checkDeclaredEmpty: 200 means an empty batch; any other declared status must be that status', () => {
    checkDeclaredEmpty(answer(), 200);
    checkDeclaredEmpty(answer({ status: 304 }), 304);
    assert.throws(() => checkDeclaredEmpty(answer({ data: ['a'] }), 200), failure(/^status 200 with an empty batch \(the declared empty answer\)$/, /1 message\(s\): "a"/));
    assert.throws(() => checkDeclaredEmpty(answer(), 304), failure(/^status 304 \(the declared empty answer\)$/, /^status 200 after 10 ms with nothing new$/));
    assert.throws(() => checkDeclaredEmpty(answer({ status: 204, kind: 'error' }), 204), failure(/^status 204 /, /status 204/));
  });

  test('checkCursorUnchanged: the cursor to send next is the one sent', () => {
    checkCursorUnchanged(answer({ cursorSent: 'c5', cursorNext: 'c5' }));
    checkCursorUnchanged(answer());
    assert.throws(() => checkCursorUnchanged(answer({ cursorSent: 'c5', cursorNext: 'c6' })), failure(/\(c5\)$/, /^the answer moved it to c6$/));
    assert.throws(() => checkCursorUnchanged(answer({ cursorSent: 'c5' })), failure(/\(c5\)$/, /moved it to none$/));
  });

  test('checkExactlyOnceInOrder: each message once, in publish order', () => {
    const expected = publishedAll('a', 'b', 'c');
    checkExactlyOnceInOrder('alice', received('a', 'b', 'c'), expected);
    checkExactlyOnceInOrder('alice', [], []);
    const expectedText = /^alice to receive the 3 message\(s\) published, each exactly once, in publish order$/;
    assert.throws(() => checkExactlyOnceInOrder('alice', received('a', 'b', 'b', 'c'), expected), failure(expectedText, /^received 4: duplicated 1: "b ×2"$/));
    assert.throws(() => checkExactlyOnceInOrder('alice', received('a', 'b'), expected), failure(expectedText, /missing 1: "c"/));
    assert.throws(() => checkExactlyOnceInOrder('alice', received('a', 'c', 'b'), expected), failure(expectedText, /out of publish order from position 2/));
  });

  test('checkStartPolicy: "newest" sees only later messages, "oldest" the retained ones too', () => {
    const before = publishedAll('old');
    const after = publishedAll('new1', 'new2');
    checkStartPolicy('alice', 'newest', received('new1', 'new2'), before, after);
    checkStartPolicy('alice', 'oldest', received('old', 'new1', 'new2'), before, after);
    assert.throws(() => checkStartPolicy('alice', 'newest', received('old', 'new1', 'new2'), before, after), failure(/starting "newest", to receive only the messages published after its first poll/, /not expected 1: "old"/));
    assert.throws(() => checkStartPolicy('alice', 'oldest', received('new1', 'new2'), before, after), failure(/starting "oldest", to receive the messages published before it and after it/, /missing 1: "old"/));
  });

  test('checkWholeBatch: one answer holds every message, in order', () => {
    checkWholeBatch(answer({ data: ['a', 'b', 'c'] }), publishedAll('a', 'b', 'c'));
    assert.throws(() => checkWholeBatch(answer({ data: ['a', 'b'] }), publishedAll('a', 'b', 'c')), failure(/^one answer holding all 3 messages, in publish order$/, /2 message\(s\): "a", "b": missing 1: "c"$/));
    assert.throws(() => checkWholeBatch(answer({ data: ['b', 'a', 'c'] }), publishedAll('a', 'b', 'c')), failure(/all 3 messages/, /out of publish order from position 1/));
  });

  test('checkSameAnswer: the first answer starts right after the cursor and the second repeats it', () => {
    checkSameAnswer(answer({ data: ['b', 'c'] }), answer({ data: ['b', 'c'], index: 1 }), published('b'));
    assert.throws(() => checkSameAnswer(answer(), answer({ data: ['b'] }), published('b')), failure(/^the first answer to start with "b"$/, /nothing new/));
    assert.throws(() => checkSameAnswer(answer({ data: ['c'] }), answer({ data: ['c'] }), published('b')), failure(/start with "b"/, /1 message\(s\): "c"/));
    assert.throws(() => checkSameAnswer(answer({ data: ['b', 'c'] }), answer({ data: ['b'] }), published('b')), failure(/^the second answer to the same cursor to hold the same messages as the first$/, /missing 1: "c"/));
  });

  test('checkClientError: 400 to 499, within the bound', () => {
    checkClientError(answer({ status: 400, kind: 'error' }), 1000);
    checkClientError(answer({ status: 499, kind: 'error', endedAtMs: 1000 }), 1000);
    const expected = /^a client error \(4xx\) within 1000 ms$/;
    assert.throws(() => checkClientError(answer({ status: 399, kind: 'error' }), 1000), failure(expected, /^status 399 /));
    assert.throws(() => checkClientError(answer({ status: 500, kind: 'error' }), 1000), failure(expected, /^status 500 /));
    assert.throws(() => checkClientError(answer({ data: ['a'] }), 1000), failure(expected, /^status 200 /));
    assert.throws(() => checkClientError(answer({ status: 404, kind: 'error', endedAtMs: 1001 }), 1000), failure(expected, /^status 404 after 1001 ms/));
  });

  test('checkNotCacheable: no-store, no-cache or max-age=0 on every answer, in any case and position', () => {
    const withCache = (...values: Array<string | undefined>): PollAnswer[] =>
      values.map((v, index) => answer({ index, headers: v === undefined ? {} : { 'cache-control': v } }));
    checkNotCacheable(withCache('no-store', 'no-cache', 'max-age=0', 'private, max-age=0', 'No-Cache', 'public,no-store'));
    checkNotCacheable([]);
    const expected = /^every poll answer to carry Cache-Control: no-store, no-cache or max-age=0$/;
    assert.throws(() => checkNotCacheable(withCache('no-store', 'max-age=60', 'no-store')), failure(expected, /^1 of 3 did not; e\.g\. answer 2: Cache-Control "max-age=60"$/));
    assert.throws(() => checkNotCacheable(withCache(undefined)), failure(expected, /answer 1: Cache-Control "\(absent\)"$/));
    assert.throws(() => checkNotCacheable(withCache('max-age=600')), failure(expected, /"max-age=600"/));
    assert.throws(() => checkNotCacheable(withCache('s-maxage=0')), failure(expected, /"s-maxage=0"/));
    assert.throws(() => checkNotCacheable(withCache('x-no-store')), failure(expected, /"x-no-store"/), 'a directive, not a fragment of one');
    // A qualified no-cache only withholds the listed fields (RFC 9111 §5.2.2.4): the answer stays cacheable.
    assert.throws(() => checkNotCacheable(withCache('no-cache="set-cookie"')), failure(expected, /no-cache/));
  });

  test('checkOneConnection: every poll over one connection', () => {
    checkOneConnection('alice', 1, 5);
    assert.throws(() => checkOneConnection('alice', 3, 5), failure(/^alice's 5 polls to travel over one persistent connection$/, /^they needed 3 connections$/));
  });
});

describe('Ajax polling checks', () => {
  const spec = (gapStatus?: number): ResolvedPolling => ({ ...POLLING_DEFAULTS, path: '/messages', ...(gapStatus !== undefined ? { gapStatus } : {}) });

  test('checkGapSignalled: the declared gap status, and nothing else', () => {
    checkGapSignalled(answer({ status: 410, kind: 'error' }), spec(410), 3);
    assert.throws(() => checkGapSignalled(answer({ data: ['d'] }), spec(410), 3), failure(/^status 410, the declared gap signal: 3 message\(s\) after its cursor are no longer retained$/, /^status 200 .*"d"/));
    assert.throws(() => checkGapSignalled(answer({ status: 409, kind: 'error' }), spec(410), 3), failure(/status 410/, /^status 409 /));
  });

  test('checkGapSignalled: an adapter that declares no gap signal cannot pass', () => {
    assert.throws(() => checkGapSignalled(answer({ status: 410, kind: 'error' }), spec(), 2), failure(/^a signal that messages were missed \(the adapter declares none\): 2 message\(s\)/, /^status 410 /));
  });

  // Three polls at 0, 100 and 200 ms.
  const polls = (...data: string[][]): PollAnswer[] => data.map((d, index) => answer({ index, data: d, startedAtMs: index * 100, endedAtMs: index * 100 + 5 }));

  test('checkSeenByNextPoll: each message by the first poll started after its acknowledgement, or earlier', () => {
    // m0 came early, in the poll before; m1 in the next poll; m2 was acknowledged just as poll 2 started (not after), so poll 3 is its next.
    checkSeenByNextPoll(polls(['m0'], ['m1'], ['m2']), [published('m0', 50), published('m1', 60), published('m2', 100)]);
    checkSeenByNextPoll(polls([]), []);
  });

  test('checkSeenByNextPoll: a message a poll missed, or that never came, fails', () => {
    const expected = /^each message in the answer to the first poll that started after its publish was acknowledged$/;
    assert.throws(() => checkSeenByNextPoll(polls([], [], ['m1']), [published('m1', 99)]), failure(expected, /^1 of 1 came later: m1 \(acknowledged at \+99 ms; first in poll 3, next poll was 2\)$/));
    assert.throws(() => checkSeenByNextPoll(polls(['m0'], [], []), [published('m0', 0), published('m1', 150)]), failure(expected, /^1 of 2 came later: m1 \(acknowledged at \+150 ms; never received, next poll was 3\)$/));
    assert.throws(() => checkSeenByNextPoll(polls([], []), [published('m1', 150)]), failure(expected, /1 of 1 came later: m1 /));
  });
});

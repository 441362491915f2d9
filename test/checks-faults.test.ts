/**
 * The checks of the fault requirements (model M-10), one case that holds and
 * one that does not for each, and the measures they share: how far what a
 * client received is from what was published, and the random cuts' range.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomResets } from '../core/fault-runs.ts';
import { checkDeliveredThroughResets, countSequenceDifference } from '../core/sequence.ts';
import * as lp from '../techniques/long-polling/checks.ts';
import * as sse from '../techniques/sse/checks.ts';
import * as ws from '../techniques/websocket/checks.ts';
import { failure, pollAnswer } from './support/checks.ts';

const PUBLISHED = ['m1', 'm2', 'm3', 'm4'];

describe('countSequenceDifference', () => {
  test('counts nothing when the sequences agree', () => {
    assert.deepEqual(countSequenceDifference(PUBLISHED, PUBLISHED), { lost: 0, duplicated: 0, reordered: false });
  });

  test('counts lost and duplicated messages, and a broken order', () => {
    assert.deepEqual(countSequenceDifference(PUBLISHED, ['m1', 'm3', 'm3', 'm2']), { lost: 1, duplicated: 1, reordered: true });
  });
});

describe('checkDeliveredThroughResets', () => {
  test('holds: every message once, in order, across cuts', () => {
    checkDeliveredThroughResets('the client', PUBLISHED, PUBLISHED, 3);
  });

  test('fails: a message lost and one twice', () => {
    assert.throws(() => checkDeliveredThroughResets('the client', ['m1', 'm2', 'm2', 'm4'], PUBLISHED, 3), failure(/all 4 messages exactly once, in publish order, across 3 cut/, /missing 1: "m3"; duplicated 1: "m2 ×2"/));
  });

  test('fails: a run in which no connection was cut proves nothing', () => {
    assert.throws(() => checkDeliveredThroughResets('the client', PUBLISHED, PUBLISHED, 0), failure(/cut at least once/, /no connection was cut/));
  });

  test('each technique checks with it', () => {
    assert.equal(lp.checkDeliveredThroughResets, checkDeliveredThroughResets);
    assert.equal(sse.checkDeliveredThroughResets, checkDeliveredThroughResets);
    assert.equal(ws.checkDeliveredThroughResets, checkDeliveredThroughResets);
  });
});

describe('randomResets', () => {
  test('cuts each connection to the client after a number of bytes within the range', () => {
    const plan = randomResets(100, 200, () => 0.999);
    const low = randomResets(100, 200, () => 0);
    assert.ok(typeof plan === 'function' && typeof low === 'function');
    assert.deepEqual(plan(0).resetAfter, { bytes: 200, direction: 'to-client' });
    assert.deepEqual(low(5).resetAfter, { bytes: 100, direction: 'to-client' });
  });
});

describe('checkKeptOpenThroughIdleTimeout (SSE and WebSocket)', () => {
  for (const [name, check] of [['sse', sse.checkKeptOpenThroughIdleTimeout], ['websocket', ws.checkKeptOpenThroughIdleTimeout]] as const) {
    test(`${name} holds: not cut, and the message arrived`, () => {
      check({ idleTimeoutMs: 1300, cut: undefined, arrived: true, connection: 'open' });
    });

    test(`${name} fails: the intermediary cut the idle connection`, () => {
      assert.throws(() => check({ idleTimeoutMs: 1300, cut: 'idle timeout (1300 ms without a byte)', arrived: false, connection: 'ended' }), failure(/1300 ms idle timeout/, /connection ended: idle timeout/));
    });

    test(`${name} fails: open, but the message never came`, () => {
      assert.throws(() => check({ idleTimeoutMs: 1300, cut: undefined, arrived: false, connection: 'open' }), failure(/message published then arriving/, /did not arrive/));
    });
  }
});

describe('checkBufferedInOrder (SSE)', () => {
  test('holds: the first messages published came through, in order', () => {
    sse.checkBufferedInOrder({ received: ['m1', 'm2'], published: PUBLISHED, publishedBeforeFirst: 3 });
  });

  test('fails: nothing came through', () => {
    assert.throws(() => sse.checkBufferedInOrder({ received: [], published: PUBLISHED, publishedBeforeFirst: undefined }), failure(/first messages published/, /no event came through after 4/));
  });

  test('fails: what came through skipped a message', () => {
    assert.throws(() => sse.checkBufferedInOrder({ received: ['m1', 'm3'], published: PUBLISHED, publishedBeforeFirst: 2 }), failure(/each once, in publish order/, /missing 1: "m2"/));
  });
});

describe('checkAnsweredBeforeIdleCut (long-polling)', () => {
  test('holds: the empty answer came before the idle timeout', () => {
    lp.checkAnsweredBeforeIdleCut({ idleTimeoutMs: 2500, answer: pollAnswer({ endedAtMs: 2000 }) }, 200);
  });

  test('fails: the intermediary cut the held poll', () => {
    assert.throws(() => lp.checkAnsweredBeforeIdleCut({ idleTimeoutMs: 2500, failed: 'other side closed', cut: 'idle timeout (2500 ms without a byte)' }, 200), failure(/before the intermediary's 2500 ms idle timeout/, /cut the connection first: idle timeout .*other side closed/));
  });

  test('fails: an answer that is not the declared empty one', () => {
    assert.throws(() => lp.checkAnsweredBeforeIdleCut({ idleTimeoutMs: 2500, answer: pollAnswer({ status: 408 }) }, 200), failure(/declared empty answer \(status 200\)/, /408/));
  });
});

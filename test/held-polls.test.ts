/**
 * HeldPolls on its own (no HTTP): what ends a hold, that each hold ends once,
 * and that nothing (timer, set entry, store listener) outlives it. Timeouts
 * run on node:test's mock timers, so no test waits for real time.
 */
import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { ChannelStore } from '../reference/channel-store.ts';
import { DEFAULT_MAX_HOLD_MS, HeldPolls, MAX_HOLD_LIMIT_MS, type HoldOutcome, type HoldRequest } from '../reference/held-polls.ts';

/** A hold whose outcomes are recorded, so tests can assert "released once, with this". */
function recorder(channel: string, cursor: string, waitMs: number) {
  const outcomes: HoldOutcome[] = [];
  const request: HoldRequest = { channel, cursor, waitMs, release: (outcome) => void outcomes.push(outcome) };
  return { request, outcomes };
}

function setup(maxHoldMs = 1000) {
  const store = new ChannelStore({ historyLimit: 10 });
  const held = new HeldPolls(store, { maxHoldMs, onReleaseError: (error) => assert.fail(`unexpected release error: ${String(error)}`) });
  return { store, held };
}

/** Asserts nothing of any hold is left: no count, no store listener, no listener-only channel. */
function assertNothingHeld(store: ChannelStore, held: HeldPolls, channels = 0): void {
  assert.equal(held.count(), 0);
  assert.deepEqual({ ...store.stats(), messages: 0 }, { channels, messages: 0, listeners: 0 });
}

beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
afterEach(() => mock.timers.reset());

describe('HeldPolls options and arguments', () => {
  test('maxHoldMs defaults to 25 s and must be an integer from 1 to 3600000', () => {
    const store = new ChannelStore();
    assert.equal(DEFAULT_MAX_HOLD_MS, 25_000);
    assert.equal(new HeldPolls(store).maxHoldMs, DEFAULT_MAX_HOLD_MS);
    assert.equal(new HeldPolls(store, { maxHoldMs: MAX_HOLD_LIMIT_MS }).maxHoldMs, 3_600_000);
    for (const bad of [0, -1, 1.5, MAX_HOLD_LIMIT_MS + 1, Number.NaN, '100' as unknown as number]) {
      assert.throws(() => new HeldPolls(store, { maxHoldMs: bad }), {
        name: 'TypeError',
        message: `maxHoldMs must be a positive integer of at most 3600000, got ${String(bad)}`,
      });
    }
  });

  test('a bad channel, cursor or waitMs throws and records nothing', () => {
    const { store, held } = setup();
    assert.throws(() => held.hold(recorder('bad name', '0', 100).request), { name: 'TypeError', message: /channel name "bad name"/ });
    assert.throws(() => held.hold(recorder('a', '01', 100).request), { name: 'TypeError', message: 'cursor "01" is malformed' });
    for (const waitMs of [0, -5, Number.NaN]) {
      assert.throws(() => held.hold(recorder('a', '0', waitMs).request), { name: 'TypeError', message: /waitMs must be a positive number/ });
    }
    assertNothingHeld(store, held);
  });
});

describe('releasing held polls', () => {
  test('a publish releases the hold once with what its cursor reads; everything is freed', () => {
    const { store, held } = setup();
    store.publish('a', { data: 'old' });
    const hold = recorder('a', '1', 500);
    const cancel = held.hold(hold.request);
    assert.equal(held.count(), 1);
    assert.equal(store.stats().listeners, 1);
    store.publish('a', { data: 'new', event: 'e' });
    assert.deepEqual(hold.outcomes, [
      { reason: 'message', result: { kind: 'batch', messages: [{ id: '2', data: 'new', event: 'e' }], cursor: '2' } },
    ]);
    assertNothingHeld(store, held, 1);
    // Neither a later timeout, publish nor cancel reaches it again.
    mock.timers.tick(1000);
    store.publish('a', { data: 'later' });
    cancel();
    assert.equal(hold.outcomes.length, 1);
  });

  test('one store listener per channel, however many polls it holds; reads shared per cursor', () => {
    const { store, held } = setup();
    for (const data of ['1', '2', '3']) store.publish('a', { data });
    const holds = [recorder('a', '3', 500), recorder('a', '3', 500), recorder('a', '1', 500), recorder('b', '0', 500)];
    for (const hold of holds) held.hold(hold.request);
    assert.equal(held.count(), 4);
    assert.equal(store.stats().listeners, 2, 'one listener for a, one for b');
    const read = mock.method(store, 'read');
    store.publish('a', { data: '4' });
    assert.equal(read.mock.callCount(), 2, 'one read per distinct cursor');
    const batch = (outcome: HoldOutcome | undefined) => (outcome?.reason === 'message' ? outcome.result : undefined);
    assert.deepEqual(batch(holds[0]?.outcomes[0]), { kind: 'batch', messages: [{ id: '4', data: '4' }], cursor: '4' });
    assert.deepEqual(batch(holds[1]?.outcomes[0]), batch(holds[0]?.outcomes[0]));
    assert.deepEqual(batch(holds[2]?.outcomes[0]), {
      kind: 'batch',
      messages: [
        { id: '2', data: '2' },
        { id: '3', data: '3' },
        { id: '4', data: '4' },
      ],
      cursor: '4',
    });
    assert.deepEqual(holds[3]?.outcomes, [], 'channel b is not woken');
    assert.equal(held.count(), 1);
    assert.equal(store.stats().listeners, 1);
  });

  test('the release gets whatever the cursor reads, even an expired cursor', () => {
    const store = new ChannelStore({ historyLimit: 1 });
    const held = new HeldPolls(store);
    for (const data of ['1', '2']) store.publish('a', { data });
    const hold = recorder('a', '0', 500);
    held.hold(hold.request);
    store.publish('a', { data: '3' });
    assert.deepEqual(hold.outcomes, [{ reason: 'message', result: { kind: 'expired', oldest: '3' } }]);
  });

  test('a timeout releases after min(waitMs, maxHoldMs)', () => {
    const { store, held } = setup(1000);
    const short = recorder('a', '0', 300);
    const capped = recorder('a', '0', 60_000);
    const huge = recorder('b', '0', Number.MAX_SAFE_INTEGER);
    for (const hold of [short, capped, huge]) held.hold(hold.request);
    mock.timers.tick(299);
    assert.deepEqual(short.outcomes, []);
    mock.timers.tick(1);
    assert.deepEqual(short.outcomes, [{ reason: 'timeout' }]);
    assert.equal(held.count(), 2);
    mock.timers.tick(699);
    assert.deepEqual(capped.outcomes, []);
    mock.timers.tick(1);
    assert.deepEqual(capped.outcomes, [{ reason: 'timeout' }]);
    assert.deepEqual(huge.outcomes, [{ reason: 'timeout' }]);
    assertNothingHeld(store, held);
  });

  test('cancel frees the hold without releasing it; idempotent; the others stay held', () => {
    const { store, held } = setup();
    const gone = recorder('a', '0', 500);
    const stays = recorder('a', '0', 500);
    const cancel = held.hold(gone.request);
    held.hold(stays.request);
    cancel();
    cancel();
    assert.equal(held.count(), 1);
    assert.equal(store.stats().listeners, 1);
    store.publish('a', { data: 'x' });
    mock.timers.tick(500);
    assert.deepEqual(gone.outcomes, []);
    assert.equal(stays.outcomes.length, 1);
    // The last hold of a channel cancelled: its listener and listener-only channel go too.
    held.hold(recorder('ghost', '0', 500).request)();
    assertNothingHeld(store, held, 1);
  });

  test('a release may hold again or cancel another hold of the same channel', () => {
    const { store, held } = setup();
    const again = recorder('a', '1', 500);
    let cancelLast: () => void = () => {};
    const first: HoldRequest = {
      channel: 'a',
      cursor: '0',
      waitMs: 500,
      release: () => {
        held.hold(again.request); // waits for the next message, not this one
        cancelLast();
      },
    };
    const last = recorder('a', '0', 500);
    held.hold(first);
    cancelLast = held.hold(last.request);
    store.publish('a', { data: '1' });
    assert.deepEqual(last.outcomes, [], 'cancelled during the dispatch, never released');
    assert.deepEqual(again.outcomes, []);
    assert.equal(held.count(), 1);
    store.publish('a', { data: '2' });
    assert.equal(again.outcomes.length, 1);
    assertNothingHeld(store, held, 1);
  });
});

describe('shutdown', () => {
  test('releaseAll releases every hold as shutdown and waits for the promises they return', async () => {
    const { store, held } = setup();
    let flushed = false;
    const slow: HoldRequest = {
      channel: 'a',
      cursor: '0',
      waitMs: 500,
      release: () => new Promise<void>((resolve) => setImmediate(() => ((flushed = true), resolve()))),
    };
    const plain = [recorder('a', '0', 500), recorder('b', '0', 500)];
    held.hold(slow);
    for (const hold of plain) held.hold(hold.request);
    await held.releaseAll();
    assert.equal(flushed, true);
    for (const hold of plain) assert.deepEqual(hold.outcomes, [{ reason: 'shutdown' }]);
    assertNothingHeld(store, held);
    // releaseAll does not close: later polls are held as usual.
    const later = recorder('a', '0', 500);
    held.hold(later.request);
    assert.equal(held.count(), 1);
    await held.releaseAll();
    assert.deepEqual(later.outcomes, [{ reason: 'shutdown' }]);
  });

  test('after close, a new hold is released at once as shutdown and nothing is recorded', async () => {
    const { store, held } = setup();
    const before = recorder('a', '0', 500);
    held.hold(before.request);
    await held.close();
    assert.deepEqual(before.outcomes, [{ reason: 'shutdown' }]);
    const after = recorder('a', '0', 500);
    const cancel = held.hold(after.request);
    assert.deepEqual(after.outcomes, [{ reason: 'shutdown' }]);
    cancel();
    assertNothingHeld(store, held);
  });
});

describe('release errors', () => {
  test('a throwing or rejecting release is reported; the other holds are released all the same', async () => {
    const store = new ChannelStore();
    const reported: Array<[string, string]> = [];
    const held = new HeldPolls(store, {
      onReleaseError: (error, channel) => {
        reported.push([(error as Error).message, channel]);
        if (reported.length === 1) throw new Error('the reporter itself is broken');
      },
    });
    const throwing: HoldRequest = {
      channel: 'a',
      cursor: '0',
      waitMs: 500,
      release: () => {
        throw new Error('send failed');
      },
    };
    const fine = recorder('a', '0', 500);
    held.hold(throwing);
    held.hold(fine.request);
    store.publish('a', { data: 'x' });
    assert.equal(fine.outcomes.length, 1);
    held.hold({ channel: 'b', cursor: '0', waitMs: 500, release: () => Promise.reject(new Error('flush failed')) });
    await held.releaseAll(); // never rejects
    assert.deepEqual(reported, [
      ['send failed', 'a'],
      ['flush failed', 'b'],
    ]);
    assert.equal(held.count(), 0);
  });

  test('by default release errors go to stderr', () => {
    const store = new ChannelStore();
    const held = new HeldPolls(store);
    const printed = mock.method(console, 'error', () => {});
    try {
      held.hold({
        channel: 'a',
        cursor: '0',
        waitMs: 500,
        release: () => {
          throw new Error('send failed');
        },
      });
      store.publish('a', { data: 'x' });
      assert.equal(printed.mock.callCount(), 1);
      assert.match(String(printed.mock.calls[0]?.arguments[0]), /held poll on channel a failed/);
    } finally {
      printed.mock.restore();
    }
  });
});

describe('closing a channel', () => {
  test('releases every poll held on it as closed, at once; polls on other channels stay held', () => {
    const { store, held } = setup();
    const [first, second, other] = [recorder('doomed', '0', 500), recorder('doomed', '0', 500), recorder('other', '0', 500)];
    for (const { request } of [first, second, other]) held.hold(request);
    store.close('doomed');
    assert.deepEqual(first.outcomes, [{ reason: 'closed' }]);
    assert.deepEqual(second.outcomes, [{ reason: 'closed' }]);
    assert.deepEqual(other.outcomes, []);
    assert.equal(held.count(), 1);
    // Released once: the timer that would have ended them is gone.
    mock.timers.tick(1000);
    assert.deepEqual(first.outcomes, [{ reason: 'closed' }]);
    assert.deepEqual(other.outcomes, [{ reason: 'timeout' }]);
    assertNothingHeld(store, held);
  });

  test('a hold on a closed channel is released at once as closed and records nothing', () => {
    const { store, held } = setup();
    store.close('gone');
    const { request, outcomes } = recorder('gone', '0', 500);
    const cancel = held.hold(request);
    assert.deepEqual(outcomes, [{ reason: 'closed' }]);
    cancel();
    store.close('nothing-held');
    assertNothingHeld(store, held);
  });
});

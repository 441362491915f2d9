/**
 * Unit tests of the reference server's state (ChannelStore, its ring-buffer
 * History) and of the pure validation helpers they share with the routes.
 */
import { describe, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { ChannelStore, DEFAULT_HISTORY_LIMIT, type StoredMessage } from '../reference/channel-store.ts';
import { ClosedChannels, DEFAULT_CLOSED_CHANNEL_LIMIT } from '../reference/closed-channels.ts';
import { History } from '../reference/history.ts';
import {
  eventNameProblem,
  isValidChannelName,
  parseCursor,
  parseWait,
  quote,
} from '../reference/validation.ts';

/** Publishes `count` messages "m1".."m<count>" to `channel`. */
function fill(store: ChannelStore, channel: string, count: number): void {
  for (let i = 1; i <= count; i += 1) store.publish(channel, { data: `m${i}` });
}

const ids = (messages: readonly StoredMessage[]): string[] => messages.map((m) => m.id);

describe('ChannelStore options', () => {
  test('defaults to a history of 1000 messages', () => {
    assert.equal(new ChannelStore().historyLimit, DEFAULT_HISTORY_LIMIT);
    assert.equal(DEFAULT_HISTORY_LIMIT, 1000);
  });

  test('refuses a historyLimit that is not a positive integer', () => {
    for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '5' as unknown as number]) {
      assert.throws(() => new ChannelStore({ historyLimit: bad }), {
        name: 'TypeError',
        message: /^historyLimit must be a positive integer, got /,
      });
    }
  });
});

describe('ChannelStore.publish', () => {
  test('assigns ids "1", "2", … per channel, independently', () => {
    const store = new ChannelStore();
    assert.deepEqual(store.publish('a', { data: 'x' }), { id: '1', data: 'x' });
    assert.deepEqual(store.publish('a', { data: 'y', event: 'tick' }), { id: '2', data: 'y', event: 'tick' });
    assert.deepEqual(store.publish('b', { data: 'z' }), { id: '1', data: 'z' });
    assert.equal(store.latestId('a'), '2');
    assert.equal(store.latestId('b'), '1');
    assert.equal(store.latestId('never'), '0');
  });

  test('omits the event key when there is no event, and freezes messages', () => {
    const store = new ChannelStore();
    const message = store.publish('a', { data: '' });
    assert.equal(Object.hasOwn(message, 'event'), false);
    assert.equal(Object.isFrozen(message), true);
  });

  test('refuses invalid channel names, data and event names without storing', () => {
    const store = new ChannelStore();
    assert.throws(() => store.publish('bad name', { data: 'x' }), { name: 'TypeError', message: /channel name "bad name"/ });
    assert.throws(() => store.publish('a', { data: 5 as unknown as string }), /data must be a string/);
    assert.throws(() => store.publish('a', { data: 'x', event: '' }), /event name "" must be 1 to 64/);
    assert.throws(() => store.publish('a', { data: 'x', event: 7 as unknown as string }), /event name must be a string/);
    assert.deepEqual(store.stats(), { channels: 0, messages: 0, listeners: 0 });
  });
});

describe('ChannelStore.read', () => {
  test('without a cursor starts from now: empty batch, latest id', () => {
    const store = new ChannelStore();
    fill(store, 'a', 3);
    assert.deepEqual(store.read('a', undefined), { kind: 'batch', messages: [], cursor: '3' });
  });

  test('an unknown channel reads as empty at cursor "0" and is not created', () => {
    const store = new ChannelStore();
    assert.deepEqual(store.read('ghost', undefined), { kind: 'batch', messages: [], cursor: '0' });
    assert.deepEqual(store.read('ghost', '0'), { kind: 'batch', messages: [], cursor: '0' });
    assert.deepEqual(store.read('ghost', '4'), { kind: 'ahead', latest: '0' });
    assert.equal(store.stats().channels, 0);
  });

  test('returns every message after the cursor, in order, and the next cursor', () => {
    const store = new ChannelStore();
    fill(store, 'a', 5);
    const all = store.read('a', '0');
    assert.equal(all.kind, 'batch');
    assert.deepEqual(all.kind === 'batch' && all.messages.map((m) => m.data), ['m1', 'm2', 'm3', 'm4', 'm5']);
    assert.deepEqual(store.read('a', '3'), {
      kind: 'batch',
      messages: [
        { id: '4', data: 'm4' },
        { id: '5', data: 'm5' },
      ],
      cursor: '5',
    });
  });

  test('an empty batch keeps the cursor unchanged', () => {
    const store = new ChannelStore();
    fill(store, 'a', 2);
    assert.deepEqual(store.read('a', '2'), { kind: 'batch', messages: [], cursor: '2' });
  });

  test('a cursor past the latest id is "ahead"', () => {
    const store = new ChannelStore();
    fill(store, 'a', 2);
    assert.deepEqual(store.read('a', '3'), { kind: 'ahead', latest: '2' });
    assert.deepEqual(store.read('a', '9999999999999999'), { kind: 'ahead', latest: '2' });
  });

  test('evicts the oldest beyond historyLimit; a cursor behind the history is "expired"', () => {
    const store = new ChannelStore({ historyLimit: 3 });
    fill(store, 'a', 5); // retains 3, 4, 5
    assert.deepEqual(store.read('a', '0'), { kind: 'expired', oldest: '3' });
    assert.deepEqual(store.read('a', '1'), { kind: 'expired', oldest: '3' });
    // Boundary: cursor = last evicted id; the next message (3) is still retained.
    const boundary = store.read('a', '2');
    assert.equal(boundary.kind, 'batch');
    assert.deepEqual(boundary.kind === 'batch' && ids(boundary.messages), ['3', '4', '5']);
    assert.equal(store.stats().messages, 3);
  });

  test('matches a naive unbounded model across many wrap-arounds', () => {
    for (const limit of [1, 2, 3, 7]) {
      const store = new ChannelStore({ historyLimit: limit });
      for (let published = 1; published <= 3 * limit + 2; published += 1) {
        store.publish('c', { data: `m${published}` });
        const oldest = Math.max(1, published - limit + 1);
        for (let cursor = 0; cursor <= published; cursor += 1) {
          const result = store.read('c', String(cursor));
          if (cursor < oldest - 1) {
            assert.deepEqual(result, { kind: 'expired', oldest: String(oldest) });
          } else {
            const expected = [];
            for (let id = cursor + 1; id <= published; id += 1) expected.push({ id: String(id), data: `m${id}` });
            assert.deepEqual(result, { kind: 'batch', messages: expected, cursor: String(published) });
          }
        }
      }
      assert.equal(store.stats().messages, limit);
    }
  });

  test('refuses a malformed cursor', () => {
    const store = new ChannelStore();
    assert.throws(() => store.read('a', '01'), { name: 'TypeError', message: 'cursor "01" is malformed' });
  });
});

describe('ChannelStore.subscribe', () => {
  test('calls listeners synchronously, in order, with each new message', () => {
    const store = new ChannelStore();
    fill(store, 'a', 1);
    const seen: string[] = [];
    store.subscribe('a', (m) => seen.push(`first:${m.id}`));
    store.subscribe('a', (m) => seen.push(`second:${m.id}`));
    store.subscribe('b', (m) => seen.push(`other:${m.id}`));
    store.publish('a', { data: 'x' });
    assert.deepEqual(seen, ['first:2', 'second:2']); // already there when publish returns
  });

  test('unsubscribe stops delivery, is idempotent, and forgets a listener-only channel', () => {
    const store = new ChannelStore();
    const seen: string[] = [];
    const off = store.subscribe('quiet', (m) => seen.push(m.id));
    assert.deepEqual(store.stats(), { channels: 1, messages: 0, listeners: 1 });
    off();
    off();
    assert.deepEqual(store.stats(), { channels: 0, messages: 0, listeners: 0 });
    store.publish('quiet', { data: 'x' });
    assert.deepEqual(seen, []);
  });

  test('keeps a channel with messages after its last listener leaves', () => {
    const store = new ChannelStore();
    const off = store.subscribe('a', () => {});
    fill(store, 'a', 1);
    off();
    assert.deepEqual(store.stats(), { channels: 1, messages: 1, listeners: 0 });
  });

  test('subscribing the same listener twice counts once', () => {
    const store = new ChannelStore();
    const seen: string[] = [];
    const listener = (m: StoredMessage): void => void seen.push(m.id);
    const off1 = store.subscribe('a', listener);
    const off2 = store.subscribe('a', listener);
    assert.equal(store.stats().listeners, 1);
    fill(store, 'a', 1);
    assert.deepEqual(seen, ['1']);
    off2();
    off1();
    assert.equal(store.stats().listeners, 0);
  });

  test('copes with listeners that (un)subscribe during delivery', () => {
    const store = new ChannelStore();
    const seen: string[] = [];
    // Once-only listener, as a long-poll uses it.
    const offOnce = store.subscribe('a', (m) => {
      seen.push(`once:${m.id}`);
      offOnce();
    });
    let offLate: (() => void) | undefined;
    store.subscribe('a', (m) => {
      seen.push(`adder:${m.id}`);
      offLate ??= store.subscribe('a', (n) => seen.push(`late:${n.id}`)); // added mid-delivery: next message only
      offVictim();
    });
    const offVictim = store.subscribe('a', (m) => seen.push(`victim:${m.id}`)); // removed before its turn
    fill(store, 'a', 2);
    assert.deepEqual(seen, ['once:1', 'adder:1', 'adder:2', 'late:2']);
  });

  test('a throwing listener neither fails the publish nor starves the others', () => {
    const errors: Array<[unknown, string]> = [];
    const store = new ChannelStore({ onListenerError: (error, channel) => errors.push([error, channel]) });
    const seen: string[] = [];
    const boom = new Error('boom');
    store.subscribe('a', () => {
      throw boom;
    });
    store.subscribe('a', (m) => seen.push(m.id));
    assert.deepEqual(store.publish('a', { data: 'x' }), { id: '1', data: 'x' });
    assert.deepEqual(seen, ['1']);
    assert.deepEqual(errors, [[boom, 'a']]);
    assert.equal(store.latestId('a'), '1');
  });

  test('by default reports a throwing listener on stderr', () => {
    const spy = mock.method(console, 'error', () => {});
    try {
      const store = new ChannelStore();
      store.subscribe('a', () => {
        throw new Error('boom');
      });
      store.publish('a', { data: 'x' });
      assert.equal(spy.mock.callCount(), 1);
      assert.match(String(spy.mock.calls[0]?.arguments[0]), /listener on channel a threw/);
    } finally {
      spy.mock.restore();
    }
  });

  test('refuses an invalid channel name', () => {
    assert.throws(() => new ChannelStore().subscribe('', () => {}), TypeError);
  });
});

describe('ChannelStore.close', () => {
  test('drops the history, remembers the name, and refuses publishes and subscriptions to it', () => {
    const store = new ChannelStore();
    fill(store, 'doomed', 3);
    fill(store, 'kept', 2);
    store.close('doomed');
    assert.equal(store.isClosed('doomed'), true);
    assert.equal(store.isClosed('kept'), false);
    assert.deepEqual(store.stats(), { channels: 1, messages: 2, listeners: 0 });
    assert.deepEqual(store.read('doomed', '0'), { kind: 'batch', messages: [], cursor: '0' });
    assert.throws(() => store.publish('doomed', { data: 'x' }), { name: 'TypeError', message: 'channel "doomed" is closed' });
    assert.throws(() => store.subscribe('doomed', () => {}), { name: 'TypeError', message: 'channel "doomed" is closed' });
    assert.throws(() => store.close('bad name'), { name: 'TypeError', message: /channel name "bad name"/ });
  });

  test('tells every close listener, even for unused or already closed names; a throwing one is reported', () => {
    const reported: Array<[string, string]> = [];
    const store = new ChannelStore({ onListenerError: (error, channel) => reported.push([(error as Error).message, channel]) });
    const heard: string[] = [];
    store.onClose(() => {
      throw new Error('close listener bug');
    });
    const stop = store.onClose((channel) => heard.push(channel));
    store.close('a');
    store.close('a');
    stop();
    stop();
    store.close('b');
    assert.deepEqual(heard, ['a', 'a']);
    assert.deepEqual(reported, [
      ['close listener bug', 'a'],
      ['close listener bug', 'a'],
      ['close listener bug', 'b'],
    ]);
  });

  test('listeners subscribed when the channel closed can still unsubscribe, and leave a newer record alone', () => {
    const store = new ChannelStore({ closedChannelLimit: 1 });
    const before = store.subscribe('a', () => {});
    store.close('a');
    assert.deepEqual(store.stats(), { channels: 0, messages: 0, listeners: 1 });
    // Closing another name forgets "a": it is a fresh channel again.
    store.close('b');
    assert.equal(store.isClosed('a'), false);
    const after = store.subscribe('a', () => {});
    before();
    assert.deepEqual(store.stats(), { channels: 1, messages: 0, listeners: 1 });
    after();
    assert.deepEqual(store.stats(), { channels: 0, messages: 0, listeners: 0 });
    assert.equal(store.publish('a', { data: 'again' }).id, '1');
  });
});

describe('ClosedChannels', () => {
  test('remembers up to its limit, forgetting the name closed longest ago; closing again keeps its place', () => {
    assert.equal(DEFAULT_CLOSED_CHANNEL_LIMIT, 10_000);
    assert.equal(new ClosedChannels().limit, 10_000);
    const closed = new ClosedChannels(2);
    closed.add('a');
    closed.add('b');
    closed.add('a');
    closed.add('c');
    assert.deepEqual(['a', 'b', 'c'].map((name) => closed.has(name)), [false, true, true]);
    assert.equal(closed.size, 2);
  });

  test('refuses a limit that is not a positive integer', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      assert.throws(() => new ClosedChannels(bad), { name: 'TypeError', message: /^closedChannelLimit must be a positive integer, got / });
    }
  });

  test('a store remembers 10,000 closed names by default', () => {
    const store = new ChannelStore();
    for (let i = 0; i <= 10_000; i += 1) store.close(`c${i}`);
    assert.equal(store.isClosed('c0'), false);
    assert.equal(store.isClosed('c1'), true);
    assert.equal(store.isClosed('c10000'), true);
  });
});

describe('History', () => {
  test('reports ids of an empty and a wrapped ring', () => {
    const history = new History(2);
    assert.deepEqual([history.latestId, history.oldestId, history.size], [0, 1, 0]);
    for (const data of ['a', 'b', 'c']) history.append(data, undefined);
    assert.deepEqual([history.latestId, history.oldestId, history.size], [3, 2, 2]);
    assert.deepEqual(ids(history.after(1)), ['2', '3']);
    assert.deepEqual(ids(history.after(2)), ['3']);
    assert.deepEqual(history.after(3), []);
  });
});

describe('validation helpers', () => {
  test('channel names: 1–128 of A-Z a-z 0-9 . _ -', () => {
    for (const good of ['a', 'A.b_c-9', 'x'.repeat(128)]) assert.equal(isValidChannelName(good), true, good);
    for (const bad of ['', 'x'.repeat(129), 'a b', 'a/b', 'é', 'a%20', undefined, 5]) {
      assert.equal(isValidChannelName(bad), false, String(bad));
    }
  });

  test('cursors: "0" or up to 16 digits without leading zeros', () => {
    assert.equal(parseCursor('0'), 0);
    assert.equal(parseCursor('42'), 42);
    assert.equal(parseCursor('9'.repeat(16)), Number('9'.repeat(16)));
    for (const bad of ['', '00', '01', '-1', '+1', '1.0', ' 1', '1e3', '9'.repeat(17), 'abc', undefined, ['1']]) {
      assert.equal(parseCursor(bad), undefined, String(bad));
    }
  });

  test('wait: a non-negative integer', () => {
    assert.equal(parseWait('0'), 0);
    assert.equal(parseWait('30'), 30);
    for (const bad of ['', '-1', '1.5', '05', 'x', undefined]) assert.equal(parseWait(bad), undefined, String(bad));
  });

  test('event names: 1–64 code points, no CR, LF or NUL', () => {
    assert.equal(eventNameProblem('tick'), undefined);
    assert.equal(eventNameProblem('x'.repeat(64)), undefined);
    assert.equal(eventNameProblem('😀'.repeat(64)), undefined, 'counted in code points, not UTF-16 units');
    assert.match(eventNameProblem('') ?? '', /1 to 64 characters long \(got 0\)/);
    assert.match(eventNameProblem('x'.repeat(65)) ?? '', /got 65/);
    for (const bad of ['a\rb', 'a\nb', 'a\0b']) assert.match(eventNameProblem(bad) ?? '', /must not contain CR, LF or NUL/);
  });

  test('quote shows values JSON-quoted, cut to a bounded length', () => {
    assert.equal(quote('a"b'), '"a\\"b"');
    assert.equal(quote('x'.repeat(100)), `"${'x'.repeat(80)}…"`);
    assert.equal(quote(['1', '2']), '"1", "2" (given more than once)');
    assert.equal(quote(undefined), 'undefined');
  });
});

// ChannelStore.apply: messages numbered by a cluster's shared store, copied into one instance's store.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ChannelStore, type StoredMessage } from '../reference/channel-store.ts';

const message = (id: number, data = `m${id}`): StoredMessage => ({ id: String(id), data });

describe('ChannelStore.apply', () => {
  test('keeps the ids it is given, starting a channel it never saw after the first one', () => {
    const store = new ChannelStore();
    store.apply('c', message(41));
    store.apply('c', message(42));
    assert.equal(store.latestId('c'), '42');
    assert.deepEqual(store.read('c', '40'), { kind: 'batch', messages: [message(41), message(42)], cursor: '42' });
    // Before the first id it was given, the store cannot tell what was missed: the gap signal.
    assert.deepEqual(store.read('c', '39'), { kind: 'expired', oldest: '41' });
  });

  test('ignores a message it already has (the start-up copy and the live feed overlap)', () => {
    const store = new ChannelStore();
    const seen: string[] = [];
    store.subscribe('c', (m) => seen.push(m.id));
    store.apply('c', message(1));
    store.apply('c', message(2));
    store.apply('c', message(2, 'again'));
    store.apply('c', message(1, 'again'));
    assert.deepEqual(seen, ['1', '2']);
    assert.deepEqual(store.stats(), { channels: 1, messages: 2, listeners: 1 });
  });

  test('a message further on starts the history afresh, and the listeners stay subscribed', () => {
    const store = new ChannelStore();
    const seen: string[] = [];
    const unsubscribe = store.subscribe('c', (m) => seen.push(m.id));
    store.apply('c', message(1));
    store.apply('c', message(5));
    store.apply('c', message(6));
    assert.deepEqual(seen, ['1', '5', '6']);
    assert.equal(store.stats().messages, 2);
    // 2-4 are missing here: a cursor into them is a gap, never other messages.
    assert.deepEqual(store.read('c', '1'), { kind: 'expired', oldest: '5' });
    assert.deepEqual(store.read('c', '4'), { kind: 'batch', messages: [message(5), message(6)], cursor: '6' });
    unsubscribe();
    assert.deepEqual(store.stats(), { channels: 1, messages: 2, listeners: 0 });
  });

  test('keeps the event name, and the memory budget counts applied messages', () => {
    const store = new ChannelStore({ historyMaxBytes: 1024 });
    store.apply('c', { id: '1', data: 'x', event: 'tick' });
    assert.deepEqual(store.read('c', '0'), { kind: 'batch', messages: [{ id: '1', data: 'x', event: 'tick' }], cursor: '1' });
    for (let id = 2; id <= 50; id += 1) store.apply('c', message(id, 'y'.repeat(100)));
    assert.ok(store.historyBytes <= 1024, `history bytes ${store.historyBytes} within the budget`);
    assert.equal(store.latestId('c'), '50');
  });

  test('a closed channel takes nothing', () => {
    const store = new ChannelStore();
    store.apply('c', message(1));
    store.close('c');
    store.apply('c', message(2));
    assert.equal(store.isClosed('c'), true);
    assert.equal(store.stats().messages, 0);
  });

  test('refuses an id that is not a positive decimal integer, or a bad channel name', () => {
    const store = new ChannelStore();
    assert.throws(() => store.apply('c', { id: '0', data: '' }), /message id "0" is not a positive decimal integer/);
    assert.throws(() => store.apply('c', { id: '1-0', data: '' }), /message id "1-0"/);
    assert.throws(() => store.apply('bad name', message(1)), /channel name/);
  });
});

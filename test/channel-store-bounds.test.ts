/**
 * The store's bounds: the memory budget over all channels (oldest evicted
 * first, the gap signal for a cursor left behind), the channel limit, and ids
 * that never restart once a name is dropped (forgotten after closing, or
 * emptied by the budget).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ChannelLimitError,
  ChannelStore,
  DEFAULT_HISTORY_MAX_BYTES,
  DEFAULT_MAX_CHANNELS,
  MESSAGE_OVERHEAD_BYTES,
  messageBytes,
} from '../reference/channel-store.ts';
import { ClosedChannels } from '../reference/closed-channels.ts';

/** A message of exactly `bytes` budget bytes (ASCII data). */
const sized = (bytes: number): { data: string } => ({ data: 'x'.repeat(bytes - MESSAGE_OVERHEAD_BYTES) });

describe('the memory budget', () => {
  test('defaults to 256 MiB and 10,000 channels, and refuses bad values', () => {
    const store = new ChannelStore();
    assert.equal(store.historyMaxBytes, DEFAULT_HISTORY_MAX_BYTES);
    assert.equal(DEFAULT_HISTORY_MAX_BYTES, 256 * 1024 * 1024);
    assert.equal(store.maxChannels, DEFAULT_MAX_CHANNELS);
    assert.throws(() => new ChannelStore({ historyMaxBytes: 1023 }), { name: 'TypeError', message: /^historyMaxBytes must be an integer of at least 1024, got 1023$/ });
    assert.throws(() => new ChannelStore({ maxChannels: 0 }), { name: 'TypeError', message: /^maxChannels must be a positive integer, got 0$/ });
  });

  test('counts data and event as UTF-8 plus the per-message overhead', () => {
    assert.equal(messageBytes('é', undefined), 2 + MESSAGE_OVERHEAD_BYTES);
    assert.equal(messageBytes('ab', 'tick'), 6 + MESSAGE_OVERHEAD_BYTES);
    const store = new ChannelStore();
    store.publish('a', { data: 'ab', event: 'tick' });
    assert.equal(store.historyBytes, 6 + MESSAGE_OVERHEAD_BYTES);
  });

  test('evicts the oldest messages server-wide first, never renumbering, and stays under the budget', () => {
    const store = new ChannelStore({ historyMaxBytes: 4096 });
    // 1 KiB each: four fit; the fifth evicts a's first, the sixth b's first.
    store.publish('a', sized(1024));
    store.publish('b', sized(1024));
    store.publish('a', sized(1024));
    store.publish('b', sized(1024));
    assert.equal(store.historyBytes, 4096);
    store.publish('c', sized(1024));
    assert.equal(store.historyBytes, 4096);
    assert.deepEqual(store.read('a', '0'), { kind: 'expired', oldest: '2' });
    assert.deepEqual(store.read('b', '0').kind, 'batch');
    store.publish('c', sized(1024));
    assert.deepEqual(store.read('b', '0'), { kind: 'expired', oldest: '2' });
    const c = store.read('c', '0');
    assert.ok(c.kind === 'batch');
    assert.deepEqual(c.messages.map((m) => m.id), ['1', '2']);
    assert.equal(store.stats().messages, 4);
  });

  test('a client behind what is retained gets the gap signal, and resuming from oldest - 1 reads the rest', () => {
    const store = new ChannelStore({ historyMaxBytes: 2048 });
    for (let i = 0; i < 5; i += 1) store.publish('a', sized(1024));
    assert.deepEqual(store.read('a', '2'), { kind: 'expired', oldest: '4' });
    const rest = store.read('a', '3');
    assert.ok(rest.kind === 'batch');
    assert.deepEqual(rest.messages.map((m) => m.id), ['4', '5']);
  });

  test('keeps the message just published even when it alone is over the budget', () => {
    const store = new ChannelStore({ historyMaxBytes: 1024 });
    store.publish('a', sized(512));
    const big = store.publish('b', sized(4096));
    assert.equal(store.latestId('b'), big.id);
    assert.equal(store.stats().messages, 1);
    assert.deepEqual(store.read('a', '0'), { kind: 'expired', oldest: '2' });
  });

  test('a channel emptied by the budget with nobody listening is dropped, and its name restarts above its old ids', () => {
    const store = new ChannelStore({ historyMaxBytes: 2048 });
    for (let i = 0; i < 3; i += 1) store.publish('old', sized(1024));
    store.publish('new', sized(1024));
    store.publish('new', sized(1024));
    assert.equal(store.stats().channels, 1, 'old was emptied and dropped');
    assert.equal(store.floor, 3);
    // A client of the dropped channel with an old cursor gets the gap signal, not cursor_ahead.
    assert.deepEqual(store.read('old', '1'), { kind: 'expired', oldest: '4' });
    assert.deepEqual(store.read('old', '3').kind, 'batch');
    assert.equal(store.publish('old', { data: 'again' }).id, '4');
  });

  test('a channel emptied while someone listens is kept, and counts', () => {
    const store = new ChannelStore({ historyMaxBytes: 2048, maxChannels: 2 });
    const stop = store.subscribe('watched', () => {});
    store.publish('watched', sized(1024));
    store.publish('other', sized(1024));
    store.publish('other', sized(1024));
    assert.equal(store.stats().channels, 2);
    assert.equal(store.canPublish('third'), false);
    stop();
    assert.equal(store.stats().channels, 1);
    assert.equal(store.canPublish('third'), true);
  });

  test('the publish order stays bounded when a busy channel evicts by count behind a quiet one', () => {
    const store = new ChannelStore({ historyLimit: 10 });
    store.publish('quiet', { data: 'q' });
    for (let i = 0; i < 20_000; i += 1) store.publish('busy', { data: String(i) });
    assert.equal(store.stats().messages, 11);
    assert.ok(store.orderLength < 2100, `publish order holds ${store.orderLength} entries for 11 messages`);
    assert.equal(store.historyBytes, messageBytes('q', undefined) + [...Array(10).keys()].reduce((sum, k) => sum + messageBytes(String(19_990 + k), undefined), 0));
  });
});

describe('the channel limit', () => {
  test('refuses a publish that would create one channel more, storing nothing; existing channels go on', () => {
    const store = new ChannelStore({ maxChannels: 2 });
    store.publish('a', { data: '1' });
    store.publish('b', { data: '1' });
    assert.throws(() => store.publish('c', { data: '1' }), (error: unknown) => error instanceof ChannelLimitError && error.limit === 2);
    assert.deepEqual(store.stats(), { channels: 2, messages: 2, listeners: 0 });
    assert.equal(store.publish('a', { data: '2' }).id, '2');
    store.close('b');
    assert.equal(store.publish('c', { data: '1' }).id, '1');
  });
});

describe('ids never restart', () => {
  test('ClosedChannels hands back the last id of the name it forgets', () => {
    const closed = new ClosedChannels(2);
    assert.equal(closed.add('a', 7), undefined);
    assert.equal(closed.add('b', 3), undefined);
    assert.equal(closed.add('a', 99), undefined, 'closing again changes nothing');
    assert.equal(closed.add('c', 0), 7);
    assert.equal(closed.has('a'), false);
  });

  test('a closed name forgotten after closedChannelLimit more closes goes on above its old ids', () => {
    const store = new ChannelStore({ closedChannelLimit: 3 });
    for (let i = 0; i < 5; i += 1) store.publish('news', { data: String(i) });
    assert.equal(store.publish('other', { data: 'x' }).id, '1', 'nothing forgotten yet: a new channel starts at 1');
    store.close('news');
    for (let i = 0; i < 3; i += 1) store.close(`made-up-${i}`);
    assert.equal(store.isClosed('news'), false);
    assert.equal(store.latestId('news'), '5');
    assert.deepEqual(store.read('news', '5'), { kind: 'batch', messages: [], cursor: '5' });
    assert.deepEqual(store.read('news', '3'), { kind: 'expired', oldest: '6' });
    assert.equal(store.publish('news', { data: 'after' }).id, '6');
    // "0" cannot be told from a client of the forgotten channel: the gap signal, then oldest - 1 reads on.
    assert.deepEqual(store.read('news', '0'), { kind: 'expired', oldest: '6' });
    assert.deepEqual(store.read('brand-new', '0'), { kind: 'expired', oldest: '6' });
    assert.equal(store.publish('other', { data: 'y' }).id, '2', 'channels already held keep their numbering');
  });
});

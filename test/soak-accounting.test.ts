/** The soak's bookkeeping: lost, duplicated and reordered messages from receipts; latency and slices. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { accountDelivery, latencySlices, percentile, sliceLengthMs, sumDeliveries, type Receipt } from '../soak/accounting.ts';

const receipts = (...seqs: number[]): Receipt[] => seqs.map((seq, i) => ({ seq, atMs: i * 10 }));
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe('accountDelivery', () => {
  test('every message once, in order: all delivered, nothing else', () => {
    assert.deepEqual(accountDelivery(range(5), receipts(0, 1, 2, 3, 4)), { delivered: 5, lost: 0, duplicated: 0, reordered: 0 });
  });

  test('a message never received is lost', () => {
    assert.deepEqual(accountDelivery(range(5), receipts(0, 1, 3, 4)), { delivered: 4, lost: 1, duplicated: 0, reordered: 0 });
  });

  test('a message received again (a resume that replays too much) is duplicated, not delivered twice', () => {
    assert.deepEqual(accountDelivery(range(4), receipts(0, 1, 2, 1, 2, 3)), { delivered: 4, lost: 0, duplicated: 2, reordered: 0 });
  });

  test('a message arriving after a later one is reordered; the later one is not', () => {
    assert.deepEqual(accountDelivery(range(4), receipts(0, 2, 1, 3)), { delivered: 4, lost: 0, duplicated: 0, reordered: 1 });
    assert.deepEqual(accountDelivery(range(4), receipts(3, 0, 1, 2)), { delivered: 4, lost: 0, duplicated: 0, reordered: 3 });
  });

  test('a repeat of an old message counts as a duplicate only, never also as reordered', () => {
    assert.deepEqual(accountDelivery(range(3), receipts(0, 1, 2, 0)), { delivered: 3, lost: 0, duplicated: 1, reordered: 0 });
  });

  test('a message not expected (its publish was never acknowledged) is neither delivered nor lost', () => {
    assert.deepEqual(accountDelivery([0, 2], receipts(0, 1, 2)), { delivered: 2, lost: 0, duplicated: 0, reordered: 0 });
  });

  test('nothing received: everything lost', () => {
    assert.deepEqual(accountDelivery(range(3), []), { delivered: 0, lost: 3, duplicated: 0, reordered: 0 });
  });

  test('subscribers add up', () => {
    const total = sumDeliveries([accountDelivery(range(3), receipts(0, 1, 2)), accountDelivery(range(3), receipts(0, 2, 2))]);
    assert.deepEqual(total, { delivered: 5, lost: 1, duplicated: 1, reordered: 0 });
  });
});

describe('latency', () => {
  test('percentile takes the nearest rank', () => {
    const sorted = range(100).map((n) => n + 1);
    assert.equal(percentile(sorted, 0.5), 50);
    assert.equal(percentile(sorted, 0.95), 95);
    assert.equal(percentile(sorted, 1), 100);
    assert.equal(percentile([7], 0.5), 7);
    assert.ok(Number.isNaN(percentile([], 0.5)));
  });

  test('latencies fall in the slice they arrived in; receipts after the end (the drain) in the last one', () => {
    const slices = latencySlices(
      [
        [1000 + 100, 5],
        [1000 + 900, 15],
        [1000 + 1500, 40],
        [1000 + 2600, 90],
      ],
      1000,
      2000,
      1000,
    );
    assert.equal(slices.length, 2);
    assert.deepEqual(slices[0], { fromS: 0, toS: 1, count: 2, p50Ms: 5, p95Ms: 15, maxMs: 15 });
    assert.deepEqual(slices[1], { fromS: 1, toS: 2, count: 2, p50Ms: 40, p95Ms: 90, maxMs: 90 });
  });

  test('an empty slice says so rather than showing 0 ms', () => {
    const [first, second] = latencySlices([[100, 3]], 0, 2000, 1000);
    assert.equal(first!.count, 1);
    assert.deepEqual(second, { fromS: 1, toS: 2, count: 0, p50Ms: null, p95Ms: null, maxMs: null });
  });

  test('a slice is a tenth of the run, between 1 s and 10 s', () => {
    assert.equal(sliceLengthMs(6000), 1000);
    assert.equal(sliceLengthMs(60_000), 6000);
    assert.equal(sliceLengthMs(600_000), 10_000);
  });
});

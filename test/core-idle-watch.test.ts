/**
 * Watching an idle connection against a declared interval (core/idle-watch.ts):
 * the plan's window, and a watch that ends as soon as its outcome is known.
 * Most cases drive the watch's clock by hand and notify it, as arriving
 * bytes would; one lets real time pass, since silence is time passing.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { describePlan, idlePlan, silenceOf, watchIdle, type IdleOutcome, type IdlePlan } from '../core/idle-watch.ts';
import { duration } from '../core/progress.ts';
import { Signal } from '../core/wait.ts';

/** Interval 40, slack 20 (silence limit 60), two intervals watched: a window of 100. */
const PLAN: IdlePlan = { intervalMs: 40, intervals: 2, slackMs: 20, windowMs: 100 };

/** A watch on a hand-driven clock: `at(t, ...arrivals)` moves the clock, adds arrivals and notifies. */
function handDriven(plan = PLAN) {
  let now = 0;
  const arrivals: number[] = [];
  const signal = new Signal();
  let outcome: IdleOutcome | undefined;
  const done = watchIdle({ plan, sinceMs: 0, arrivals: () => arrivals, now: () => now, signal }).then((o) => (outcome = o));
  return {
    at(t: number, ...more: number[]): IdleOutcome | undefined {
      now = t;
      arrivals.push(...more);
      signal.notify();
      return outcome;
    },
    done,
  };
}

/** Lets the watch's `then` run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('idlePlan', () => {
  test('two intervals plus half an interval of slack, at least 300 ms', () => {
    assert.deepEqual(idlePlan(15_000), { intervalMs: 15_000, intervals: 2, slackMs: 7500, windowMs: 37_500 });
    assert.deepEqual(idlePlan(500), { intervalMs: 500, intervals: 2, slackMs: 300, windowMs: 1300 });
    assert.equal(idlePlan(30_000, 3).windowMs, 105_000);
    assert.equal(describePlan(idlePlan(15_000)), '2 × 15 s + 7.5 s');
    assert.equal(describePlan(idlePlan(500)), '2 × 500 ms + 300 ms');
    assert.deepEqual([duration(999), duration(1000), duration(1250)], ['999 ms', '1 s', '1.3 s']);
  });
});

describe('watchIdle', () => {
  test('ends as kept alive at the second arrival once a whole interval has passed', async () => {
    const watch = handDriven();
    watch.at(40, 40);
    await settle();
    assert.equal(watch.at(41), undefined, 'one arrival is not yet a rhythm');
    watch.at(80, 80);
    await watch.done;
    assert.equal(watch.at(80), 'kept alive');
  });

  test('a burst when the connection opens is no rhythm: the silence after it decides', async () => {
    const watch = handDriven();
    watch.at(2, 1, 2);
    await settle();
    assert.equal(watch.at(62), undefined, '60 ms since the last arrival is within the limit');
    watch.at(63);
    await watch.done;
    assert.equal(watch.at(63), 'silent too long');
  });

  test('a greeting, then one keep-alive an interval later, is kept alive', async () => {
    const watch = handDriven();
    watch.at(1, 1);
    watch.at(41, 41);
    await watch.done;
    assert.equal(watch.at(41), 'kept alive');
  });

  test('only keep-alives count toward the rhythm when the caller says which arrivals are keep-alives', async () => {
    let now = 0;
    const arrivals: number[] = [];
    const keepAlives: number[] = [];
    const signal = new Signal();
    const done = watchIdle({ plan: PLAN, sinceMs: 0, arrivals: () => arrivals, keepAlives: () => keepAlives, now: () => now, signal });
    let outcome: IdleOutcome | undefined;
    void done.then((o) => (outcome = o));
    arrivals.push(1); // a retry line when the stream opened: breaks the silence, keeps nothing alive
    now = 40;
    arrivals.push(40);
    keepAlives.push(40);
    signal.notify();
    await settle();
    assert.equal(outcome, undefined, 'one keep-alive so far');
    now = 80;
    arrivals.push(80);
    keepAlives.push(80);
    signal.notify();
    assert.equal(await done, 'kept alive');
  });

  test('ends at the window when the outcome is still open, with no silence past the limit', async () => {
    const watch = handDriven();
    watch.at(55, 55);
    watch.at(99);
    await settle();
    assert.equal(watch.at(99), undefined);
    watch.at(100);
    await watch.done;
    assert.equal(watch.at(100), 'window over');
  });

  test('a silence past the limit ends the watch by itself, without any notification, and not before', async () => {
    const started = performance.now();
    const outcome = await watchIdle({ plan: PLAN, sinceMs: 0, arrivals: () => [], now: () => performance.now() - started, signal: new Signal() });
    assert.equal(outcome, 'silent too long');
    assert.ok(performance.now() - started > 60, 'only once the silence exceeds interval + slack');
  });

  test('a connection that ends during the watch ends it at once: nothing more can arrive', async () => {
    let now = 0;
    let ended = false;
    const signal = new Signal();
    let outcome: IdleOutcome | undefined;
    const done = watchIdle({ plan: PLAN, sinceMs: 0, arrivals: () => [], now: () => now, signal, ended: () => ended }).then((o) => (outcome = o));
    now = 10;
    signal.notify();
    await settle();
    assert.equal(outcome, undefined, 'still open: the watch goes on');
    now = 12;
    ended = true;
    signal.notify();
    await done;
    assert.equal(outcome, 'connection ended');
  });

  test('the silence measure the checks judge', () => {
    assert.deepEqual(silenceOf([40], 0, 50, 'the stream ended'), { longestMs: 40, chunks: 1, windowMs: 50, ended: 'the stream ended' });
    assert.deepEqual(silenceOf([40, 80], 0, 85), { longestMs: 40, chunks: 2, windowMs: 85 });
    assert.deepEqual(silenceOf([], 10, 70), { longestMs: 60, chunks: 0, windowMs: 60 });
    assert.equal(silenceOf([5, 100], 10, 90).chunks, 0, 'arrivals outside the window do not count');
  });
});

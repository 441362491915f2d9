/** The one wait-with-deadline helper (core/wait.ts) and the scenario context (core/context.ts), with its progress lines. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ScenarioContext } from '../core/context.ts';
import { LONG_WAIT_MS } from '../core/progress.ts';
import { ConformanceFailure } from '../core/failure.ts';
import { missedDeadline, pause, Signal, waitFor, waitUntil } from '../core/wait.ts';

describe('waitFor', () => {
  test('resolves with the value of the first look that says done, looking again when the signal notifies', async () => {
    const signal = new Signal();
    let count = 0;
    let looks = 0;
    const waiting = waitFor(() => {
      looks += 1;
      return count >= 2 ? { value: `count ${count}` } : undefined;
    }, { what: 'two things', deadlineMs: 1000, seen: () => `${count}`, signal });
    count = 1;
    signal.notify();
    count = 2;
    signal.notify();
    assert.equal(await waiting, 'count 2');
    assert.equal(looks, 3, 'once at the start, once per notification');
    signal.notify(); // a settled wait no longer listens
    assert.equal(looks, 3);
  });

  test('fails at the deadline with Expected "<what> within N ms" and Actual what was seen', async () => {
    const started = performance.now();
    await assert.rejects(
      waitUntil(() => false, { what: 'a frame from the server', deadlineMs: 40, seen: () => 'no frames received' }),
      (error: unknown) => error instanceof ConformanceFailure && error.expected === 'a frame from the server within 40 ms' && error.actual === 'no frames received',
    );
    assert.ok(performance.now() - started >= 35, 'not before the deadline');
  });

  test('fails at once when a look says the thing can no longer happen', async () => {
    const started = performance.now();
    await assert.rejects(
      waitFor(() => ({ fail: 'the connection closed first' }), { what: 'a message', deadlineMs: 5000, seen: () => 'unused' }),
      (error: unknown) => error instanceof ConformanceFailure && error.expected === 'a message within 5000 ms' && error.actual === 'the connection closed first',
    );
    assert.ok(performance.now() - started < 1000);
  });

  test('waitUntil fails at once when the evidence says it ended first', async () => {
    await assert.rejects(
      waitUntil(() => false, { what: 'an event', deadlineMs: 5000, seen: () => 'unused', endedFirst: () => 'the stream ended' }),
      (error: unknown) => error instanceof ConformanceFailure && error.actual === 'the stream ended',
    );
  });

  test('polls asynchronous evidence every everyMs, never two looks at once', async () => {
    let inFlight = 0;
    let most = 0;
    let reads = 0;
    const value = await waitFor(
      async () => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight -= 1;
        reads += 1;
        return reads >= 4 ? { value: reads } : undefined;
      },
      { what: 'the held count', deadlineMs: 2000, seen: () => 'unused', everyMs: 1 },
    );
    assert.equal(value, 4);
    assert.equal(most, 1);
  });

  test('a look that throws rejects the wait with that error, not a conformance failure', async () => {
    const bug = new TypeError('a bug in a look');
    await assert.rejects(
      waitFor(() => {
        throw bug;
      }, { what: 'x', deadlineMs: 1000, seen: () => '' }),
      (error: unknown) => error === bug,
    );
  });

  test('missedDeadline words the failure the same way', () => {
    const failure = missedDeadline('an answer to GET /x', 5000, 'no complete answer after 5000 ms');
    assert.equal(failure.expected, 'an answer to GET /x within 5000 ms');
    assert.equal(failure.message, 'Expected: an answer to GET /x within 5000 ms\nActual:   no complete answer after 5000 ms');
  });
});

describe('pause', () => {
  test('waits the whole window, or stops early when told', async () => {
    let started = performance.now();
    await pause(30);
    assert.ok(performance.now() - started >= 28);
    started = performance.now();
    let stop = false;
    setTimeout(() => (stop = true), 10);
    await pause(2000, () => stop);
    assert.ok(performance.now() - started < 500);
  });
});

describe('ScenarioContext', () => {
  test('fills the channel into paths, resolves them against the base URL and keeps query parameters', () => {
    const context = new ScenarioContext({ name: 't', baseUrl: 'http://127.0.0.1:9/base', publish: undefined });
    const url = new URL(context.url('/channels/{channel}/events', { lastEventId: '4' }));
    assert.equal(url.pathname, `/channels/${context.channel}/events`);
    assert.equal(url.searchParams.get('lastEventId'), '4');
    assert.match(context.channel, /^ps-[a-z0-9]+-[a-z0-9]+$/);
    const before = context.channel;
    context.useFreshChannel();
    assert.notEqual(context.channel, before);
  });

  test('close() closes what was registered, and a publish without a declared way fails clearly', async () => {
    const context = new ScenarioContext({ name: 'no-publish', baseUrl: 'http://127.0.0.1:9', publish: undefined });
    const closed: string[] = [];
    context.onClose(() => void closed.push('sync'));
    context.onClose(async () => void closed.push('async'));
    await assert.rejects(context.publishOne(), /adapter "no-publish" declares no way to publish/);
    await context.close();
    assert.deepEqual(closed.sort(), ['async', 'sync']);
    assert.deepEqual(context.published, []);
  });

  test('announces only waits longer than LONG_WAIT_MS, named by the requirement', () => {
    const lines: string[] = [];
    const target = { name: 'srv', baseUrl: 'http://127.0.0.1:9', publish: undefined };
    const context = new ScenarioContext(target, { label: 'SSE-KEEPALIVE', progress: (line) => void lines.push(line) });
    context.announceWait('watching an idle stream', LONG_WAIT_MS, 'short enough');
    context.announceWait('watching an idle stream', 37_500, '2 × 15 s + 7.5 s');
    assert.deepEqual(lines, ['SSE-KEEPALIVE: watching an idle stream for up to 38 s (2 × 15 s + 7.5 s)']);
    new ScenarioContext(target, { progress: (line) => void lines.push(line) }).announceWait('holding a poll', 25_001, 'the declared maximum');
    assert.equal(lines[1], 'srv: holding a poll for up to 26 s (the declared maximum)', 'without a label, the adapter names it');
    new ScenarioContext(target).announceWait('holding a poll', 60_000, 'no sink'); // nowhere to go: no error
  });
});

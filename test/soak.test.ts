/**
 * `pushspec soak` end to end: a short soak against the embedded reference
 * holds (0 lost, 0 duplicated) and writes soak.json with every figure; a
 * server that loses or repeats messages is caught; a server that goes away
 * ends the soak early with exit 3; bad options are usage errors.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { resolveAdapter } from '../adapters/contract/resolve.ts';
import type { OutgoingMessage } from '../core/publisher.ts';
import { startReferenceServer, type ReferenceServer } from '../reference/server.ts';
import { soakHeld } from '../soak/report.ts';
import { runSoak } from '../soak/run-soak.ts';
import { runPushspec, type PushspecExit } from './support/child-process.ts';

const work = mkdtempSync(join(tmpdir(), 'pushspec-soak-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** A 6 s soak, with start-up and drain, ends well within this. */
const COMMAND_DEADLINE_MS = 60_000;

/** Runs `pushspec <args>` in a child process, within the command deadline. */
const pushspec = (...args: string[]): Promise<PushspecExit> => runPushspec(args, COMMAND_DEADLINE_MS);

test('pushspec soak --minutes 0.1 against the embedded reference: every technique, 0 lost, 0 duplicated, soak.json complete', async () => {
  const dir = join(work, 'reference');
  const { status, stdout, stderr } = await pushspec('soak', '--minutes', '0.1', '--report-dir', dir);
  assert.equal(status, 0, `${stdout}\n${stderr}`);
  assert.match(stdout, /Soak held: 0 lost, 0 duplicated, 0 reordered/);
  const report = JSON.parse(readFileSync(join(dir, 'soak.json'), 'utf8')) as Record<string, unknown> & { techniques: Array<Record<string, unknown> & { latency: Record<string, unknown> & { slices: unknown[] } }>; rss: { peakMb: number; slices: unknown[] } };
  assert.equal(report.held, true);
  assert.equal(report.durationS, 6);
  assert.deepEqual(report.techniques.map((t) => t.technique), ['polling', 'longPolling', 'sse', 'websocket']);
  for (const t of report.techniques) {
    for (const field of ['published', 'delivered', 'lost', 'duplicated', 'reordered', 'reconnects', 'publishErrors', 'subscriberErrors', 'resume', 'cut']) assert.ok(field in t, `${String(t.technique)} has ${field}`);
    assert.ok((t.published as number) > 0, `${String(t.technique)} published`);
    assert.equal(t.lost, 0, `${String(t.technique)} lost`);
    assert.equal(t.duplicated, 0, `${String(t.technique)} duplicated`);
    assert.equal(t.reordered, 0, `${String(t.technique)} reordered`);
    assert.equal(t.delivered, (t.published as number) * 2, `${String(t.technique)}: each of 2 subscribers got every message`);
    assert.equal(t.cut, true, `${String(t.technique)} subscribers are cut: the reference declares how to resume on every technique`);
    for (const field of ['p50Ms', 'p95Ms', 'maxMs']) assert.equal(typeof t.latency[field], 'number', `${String(t.technique)} latency ${field}`);
    assert.equal(t.latency.slices.length, 6, '6 slices of 1 s');
  }
  assert.ok(report.techniques.some((t) => (t.reconnects as number) > 0), 'some subscriber was cut and resumed');
  assert.ok(report.rss.peakMb > 0);
  assert.equal(report.rss.slices.length, 6);
  assert.match(readFileSync(join(dir, 'soak.html'), 'utf8'), /<h2>websocket<\/h2>/);
});

describe('soak options', () => {
  for (const bad of ['0', '-1', 'abc', '', 'Infinity']) {
    test(`--minutes ${JSON.stringify(bad)} is a usage error (exit 2)`, async () => {
      const { status, stderr } = await pushspec('soak', '--minutes', bad, '--report-dir', join(work, 'bad'));
      assert.equal(status, 2);
      assert.match(stderr, /--minutes/);
    });
  }
  test('an adapter whose server does not answer: exit 3', async () => {
    const probe = createServer().listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const { port } = probe.address() as { port: number };
    probe.close();
    await once(probe, 'close');
    const adapter = join(work, 'down.json');
    writeFileSync(adapter, JSON.stringify({ name: 'down', baseUrl: `http://127.0.0.1:${port}`, protocol: 'pushspec-reference' }));
    const { status, stderr } = await pushspec('soak', '--adapter', adapter, '--minutes', '0.05', '--report-dir', join(work, 'unreachable'));
    assert.equal(status, 3, stderr);
    assert.match(stderr, new RegExp(`nothing answers at http://127.0.0.1:${port}`));
  });
});

describe('the soak catches what a server gets wrong', () => {
  let server: ReferenceServer;
  after(() => server?.close());

  /** An SSE-only adapter on the reference whose publishing is `publish` (posting to the reference, or not). */
  const adapterWith = (publish: (message: OutgoingMessage, post: () => Promise<void>) => Promise<void>) => {
    const adapter = resolveAdapter({ name: 'twisted', baseUrl: server.url, sse: { path: '/channels/{channel}/events', replay: true } }, 'test');
    const post = (message: OutgoingMessage) => async (): Promise<void> => {
      const answer = await fetch(`${server.url}/channels/${message.channel}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ data: message.data }) });
      assert.equal(answer.status, 201);
    };
    return { ...adapter, publish: async (message: OutgoingMessage) => publish(message, post(message)) };
  };

  test('messages acknowledged but never published are lost; published twice are duplicated', async () => {
    server = await startReferenceServer({});
    let n = 0;
    const adapter = adapterWith(async (_message, post) => {
      n += 1;
      if (n % 5 === 0) return; // acknowledged, never published
      await post();
      if (n % 7 === 0) await post(); // published twice
    });
    const result = await runSoak({ adapter, durationMs: 2000, subscribers: 1, rate: 20, cutEveryMs: [300, 800] });
    const [sse] = result.techniques;
    assert.equal(sse!.technique, 'sse');
    assert.ok(sse!.lost >= Math.floor(sse!.published / 5) - 1, `lost ${sse!.lost} of ${sse!.published}`);
    assert.ok(sse!.duplicated >= 1, `duplicated ${sse!.duplicated}`);
    assert.equal(soakHeld(result), false);
  });

  test('a server that goes away mid-soak ends it early and says so', async () => {
    const dying = await startReferenceServer({});
    let killed: Promise<void> | undefined;
    const adapter = resolveAdapter({ name: 'dying', baseUrl: dying.url, protocol: 'pushspec-reference' }, 'test');
    const result = await runSoak({ adapter, durationMs: 30_000, subscribers: 1, rate: 20, cutEveryMs: [300, 800], progress: (line) => {
        if (line.startsWith('websocket')) killed ??= dying.close(); // the last technique is subscribed: the soak is under way
      },
    });
    await killed;
    assert.match(result.serverProblem ?? '', /publishes in a row failed/);
    assert.ok(result.durationS === 30 && result.techniques.every((t) => t.published < 600), 'stopped well before the 30 s were up');
    assert.equal(soakHeld(result), false);
  });
});

/**
 * The WebSocket client checks' honesty check: an independent WebSocket client
 * (test/fixtures/clients/ws-client.mjs, written from RFC 6455 alone), correct by
 * default, passes every WSC requirement; broken on purpose one rule at a time,
 * it is reported as breaking exactly that rule and nothing else.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { loadClientCatalogue } from '../../verdicts/catalogue.ts';
import type { Summary, Verdict } from '../../verdicts/model.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'pushspec-ws-clients-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** Each fault and the one requirement it breaks. */
const FAULTS: Record<string, string> = {
  'version-8': 'WSC-HANDSHAKE-REQUEST',
  'fixed-key': 'WSC-HANDSHAKE-KEY',
  'ignore-accept': 'WSC-ACCEPT-CHECKED',
  'ignore-upgrade': 'WSC-UPGRADE-CHECKED',
  'ignore-connection': 'WSC-CONNECTION-CHECKED',
  'ignore-status': 'WSC-STATUS-101',
  'unmasked-frames': 'WSC-MASKED',
  'one-mask-key': 'WSC-MASK-FRESH',
  'no-empty-messages': 'WSC-ECHO-LENGTHS',
  'no-64-bit-lengths': 'WSC-LARGE-MESSAGE',
  'utf8-per-fragment': 'WSC-FRAGMENTS',
  'control-ends-fragments': 'WSC-CONTROL-IN-FRAGMENTS',
  reorder: 'WSC-IN-ORDER',
  'empty-pongs': 'WSC-PING-PONG',
  'accept-masked': 'WSC-MASKED-SERVER-FRAME',
  'ignore-rsv': 'WSC-RESERVED-BITS',
  'ignore-reserved-opcodes': 'WSC-RESERVED-OPCODES',
  'lax-control-frames': 'WSC-CONTROL-ERRORS',
  'lax-continuations': 'WSC-FRAGMENT-ERRORS',
  'no-utf8-check': 'WSC-UTF8-INVALID',
  'fail-silently': 'WSC-FAIL-CLOSE-FRAME',
  'no-close-reply': 'WSC-CLOSE-REPLY',
  'echo-any-close-code': 'WSC-CLOSE-INVALID',
  'close-tcp-first': 'WSC-CLOSE-TCP-BY-SERVER',
};

const wsc = loadClientCatalogue().requirements.filter((r) => r.technique === 'websocket');

/** Runs `pushspec clients` on one fixture adapter, the WebSocket checks only; its exit code and verdicts. */
function runClient(adapter: string): Promise<{ status: number | null; verdicts: Map<string, Verdict>; stdout: string }> {
  const reportDir = join(work, adapter);
  const child = spawn(process.execPath, ['bin/pushspec.mjs', 'clients', '--client', `test/fixtures/clients/adapters/${adapter}.json`, '--tags', '@websocket', '--report-dir', reportDir, '--no-color'], { cwd: ROOT });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.resume();
  const timer = setTimeout(() => child.kill('SIGKILL'), 150_000);
  return new Promise((resolve) => {
    child.on('close', (status) => {
      clearTimeout(timer);
      const summary = JSON.parse(readFileSync(join(reportDir, 'summary.json'), 'utf8')) as Summary;
      resolve({ status, verdicts: new Map(summary.runs[0]!.results.map((r) => [r.id, r.verdict])), stdout });
    });
  });
}

/** The verdict a requirement gets when it does not hold: fail for a MUST, non-strict for a SHOULD. */
const brokenVerdict = (id: string): Verdict => (wsc.find((r) => r.id === id)?.level === 'MUST' ? 'fail' : 'non-strict');

function assertOnly(verdicts: Map<string, Verdict>, broken: string | undefined, stdout: string): void {
  assert.deepEqual([...verdicts.keys()].sort(), wsc.map((r) => r.id).sort(), 'every WSC requirement has a verdict');
  const wrong = [...verdicts].filter(([id, v]) => v !== (id === broken ? brokenVerdict(id) : 'pass'));
  assert.deepEqual(wrong, [], `verdicts other than expected:\n${stdout}`);
}

// The runs take turns four at a time: each is a process of its own, with its own scripted servers on
// ephemeral ports, and its waits end at events (a deadline only when a client misbehaves).
const runs = new Map<string, ReturnType<typeof runClient>>();
const queue = ['ws-client', ...Object.keys(FAULTS).map((f) => `ws-client-${f}`)];
let running = 0;
const waiting: Array<() => void> = [];
function scheduled(adapter: string): ReturnType<typeof runClient> {
  let run = runs.get(adapter);
  if (run === undefined) {
    run = (async () => {
      if (running >= 4) await new Promise<void>((resolve) => waiting.push(resolve));
      running += 1;
      try {
        return await runClient(adapter);
      } finally {
        running -= 1;
        waiting.shift()?.();
      }
    })();
    runs.set(adapter, run);
  }
  return run;
}
for (const adapter of queue) void scheduled(adapter);

describe('a fixture WebSocket client that breaks one rule is reported as breaking that rule', () => {
  test('correct: every WSC requirement holds, exit 0', async () => {
    const { status, verdicts, stdout } = await scheduled('ws-client');
    assertOnly(verdicts, undefined, stdout);
    assert.equal(status, 0);
  });

  for (const [fault, id] of Object.entries(FAULTS)) {
    test(`--fault ${fault} breaks ${id} only`, async () => {
      const { status, verdicts, stdout } = await scheduled(`ws-client-${fault}`);
      assertOnly(verdicts, id, stdout);
      assert.equal(status, brokenVerdict(id) === 'fail' ? 1 : 0);
    });
  }
});

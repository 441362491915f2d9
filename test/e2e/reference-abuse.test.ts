/**
 * The publish flood of issue 14 against `pushspec serve` with its DEFAULT
 * options, as a separate process: 4 GiB published as 4,096 messages of 1 MiB
 * over 10 channels, 8 at a time. Before the memory budget the server died
 * ("Reached heap limit", exit 134) after about 4,071 of them, with about
 * 4 GiB retained. Now it must still answer, keep its retained history within
 * the 256 MiB budget, and stay under an RSS bound (read from
 * /proc/<pid>/status every 50 ms) that does not depend on the flood's size:
 *
 *   live:  256 MiB retained history (historyMaxBytes, the default)
 *        + ~40 MiB heap at rest (tsx, fastify, ws) + ~16 MiB in flight
 *          (8 requests: a 1 MiB body and its decoded string each)
 *   heap:  every evicted message is garbage, and V8 collects old space only
 *          when the heap has grown by its heap-growing factor since the last
 *          full GC, at most 4 × the live size: 4 × ~312 MiB ≈ 1.25 GiB
 *   + ~150 MiB outside the heap (node itself, code, buffers)
 *   = about 1.4 GiB at worst; the bound is 1.5 GiB. Measured: 1.28-1.37 GiB
 *     at 4 GiB, and 1.28 GiB at 12 GiB (in process): it plateaus.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Pool } from 'undici';
import { stopChild, waitForListening } from '../support/child-process.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const MESSAGE_BYTES = 1024 * 1024;
const MESSAGES = 4096;
const CHANNELS = 10;
const CONCURRENCY = 8;
const RSS_BOUND_BYTES = 1536 * 1024 * 1024;
const BUDGET_BYTES = 256 * 1024 * 1024;

/** The process's resident set size in bytes, from /proc (Linux). */
function rssOf(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  assert.ok(match !== null, `no VmRSS in /proc/${pid}/status`);
  return Number(match[1]) * 1024;
}

test('a 4 GiB publish flood leaves `pushspec serve` with default options up, within its budget and an RSS bound', { timeout: 600_000 }, async (t) => {
  const child = spawn(process.execPath, ['bin/pushspec.mjs', 'serve', '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => stopChild(child));
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await waitForListening(child, 30_000);
  const pid = child.pid!;
  let peak = rssOf(pid);
  const sampler = setInterval(() => {
    if (child.exitCode === null) peak = Math.max(peak, rssOf(pid));
  }, 50);
  const pool = new Pool(url, { connections: CONCURRENCY });
  const body = Buffer.alloc(MESSAGE_BYTES, 'x');
  const started = performance.now();
  let next = 0;
  const statuses = new Map<number, number>();
  try {
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < MESSAGES) {
          const index = next;
          next += 1;
          const answer = await pool.request({
            method: 'POST',
            path: `/channels/flood-${index % CHANNELS}/messages`,
            headers: { 'content-type': 'text/plain; charset=utf-8' },
            body,
          });
          await answer.body.dump();
          statuses.set(answer.statusCode, (statuses.get(answer.statusCode) ?? 0) + 1);
        }
      }),
    );
  } finally {
    clearInterval(sampler);
  }
  const seconds = (performance.now() - started) / 1000;
  assert.equal(child.exitCode, null, `the server exited: ${stderr.slice(-2000)}`);
  assert.deepEqual([...statuses], [[201, MESSAGES]], 'every publish was stored');
  const info = await pool.request({ method: 'GET', path: '/' });
  assert.equal(info.statusCode, 200);
  assert.equal(((await info.body.json()) as { name: string }).name, 'pushspec-reference');
  const stats = (await (await pool.request({ method: 'GET', path: '/stats' })).body.json()) as { messages: number; channels: number };
  await pool.close();
  // Each message counts 1 MiB + 128 bytes: at most 255 fit in 256 MiB; a full budget holds at least 250.
  assert.ok(stats.messages <= Math.floor(BUDGET_BYTES / (MESSAGE_BYTES + 128)) && stats.messages >= 250, `${stats.messages} messages retained`);
  assert.equal(stats.channels, CHANNELS);
  assert.ok(peak < RSS_BOUND_BYTES, `peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB`);
  t.diagnostic(`flood: ${MESSAGES} × 1 MiB in ${seconds.toFixed(1)} s; peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB; ${stats.messages} messages retained`);
});

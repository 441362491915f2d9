/**
 * The benchmark's own machinery: statistics, the terminal table, the HTML
 * page and the runner's options. Nothing here measures or asserts a speed.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { BENCH_SCHEMA_VERSION, type BenchReport } from '../bench/model.ts';
import { renderBenchPage } from '../bench/report-html.ts';
import { renderBenchTable } from '../bench/report-text.ts';
import { formatValue, median, percentile, summarize } from '../bench/stats.ts';

const ROOT = new URL('..', import.meta.url).pathname;

function report(): BenchReport {
  return {
    schemaVersion: BENCH_SCHEMA_VERSION,
    tool: { name: 'pushspec', version: '0.1.0' },
    generatedAt: '2026-11-24T12:00:00.000Z',
    mode: 'quick',
    machine: { cpus: 2, cpuModel: 'Test CPU', memoryGiB: 24, node: 'v20.20.2', platform: 'linux x64' },
    regressions: [],
    durationMs: 1234,
    figures: [
      { id: 'ws-echo', item: 1, title: 'WebSocket echo throughput <32 B>', subject: 'reference', unit: 'msg/s', better: 'higher', samples: [900, 1000, 950], median: 950, min: 900, max: 1000, target: { text: '≥ 90 % of bare ws', met: true }, baseline: { name: 'bare ws', median: 1000, ratio: 0.95 } },
      { id: 'fanout-p99', item: 2, title: 'Fan-out p99', subject: 'SSE', unit: 'ms', better: 'lower', samples: [120], median: 120, min: 120, max: 120, target: { text: 'p99 ≤ 100 ms', met: false } },
    ],
    techniques: [
      { technique: 'polling', http: '1.1', workload: 'one message per second', bytesPerMessage: 600, requestsPerMessage: 2, latencyP50Ms: 250, latencyP99Ms: 480, serverCpuUsPerMessage: 300, notes: ['polling every 500 ms'] },
      { technique: 'polling', http: '2', workload: 'one message per second', bytesPerMessage: 240, requestsPerMessage: 2, latencyP50Ms: 251, latencyP99Ms: 481, serverCpuUsPerMessage: 310 },
      { technique: 'sse', http: '2', workload: 'one message per second', bytesPerMessage: 60, requestsPerMessage: 1, latencyP50Ms: 1, latencyP99Ms: 2, serverCpuUsPerMessage: 30 },
      { technique: 'sse', http: '1.1', workload: 'one message per second', bytesPerMessage: 50, requestsPerMessage: 1, latencyP50Ms: 1, latencyP99Ms: 2, serverCpuUsPerMessage: 30 },
      { technique: 'longPolling', http: '2', workload: 'one message per second', bytesPerMessage: 90, requestsPerMessage: 1, latencyP50Ms: 1, latencyP99Ms: 2, serverCpuUsPerMessage: 40 },
      { technique: 'websocket', http: '1.1', workload: 'one message per second', bytesPerMessage: 40, requestsPerMessage: 0, latencyP50Ms: 0.5, latencyP99Ms: 1, serverCpuUsPerMessage: 20 },
    ],
    skipped: [{ id: 'connections', reason: 'ulimit -n is 1024' }],
  };
}

test('percentiles by nearest rank, median, and the spread of repetitions', () => {
  assert.equal(percentile([5, 1, 4, 2, 3], 50), 3);
  assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 99), 10);
  assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90), 9);
  assert.ok(Number.isNaN(percentile([], 50)));
  assert.equal(median([3, 1, 2]), 2);
  assert.deepEqual(summarize([3, 1, 2]), { samples: [3, 1, 2], median: 2, min: 1, max: 3 });
  assert.equal(formatValue(12345.6), '12,346');
  assert.equal(formatValue(0.123456), '0.123');
  assert.equal(formatValue(99.95), '100');
});

test('the terminal table puts each figure beside its target and baseline', () => {
  const table = renderBenchTable(report());
  assert.match(table, /WebSocket echo throughput <32 B> \[reference\]\s+950 msg\/s \(900–1,000\)\s+✔ ≥ 90 % of bare ws\s+bare ws 1,000 msg\/s → 95 %/);
  assert.match(table, /Fan-out p99 \[SSE\]\s+120 ms\s+✗ p99 ≤ 100 ms/);
  assert.match(table, /polling · one message per second\s+600 B · 2\s+250 \/ 480 ms\s+300 µs/);
  assert.match(table, /polling \(HTTP\/2\) · one message per second\s+240 B · 2\s+251 \/ 481 ms\s+310 µs/);
  // Each HTTP/2 row against the HTTP/1.1 row of its technique and workload; one without a pair (longPolling) has no line.
  assert.match(table, /HTTP\/2 vs HTTP\/1\.1, polling · one message per second: 600 B → 240 B per message over HTTP\/2 \(saves 360 B, 60 %\)/);
  assert.match(table, /HTTP\/2 vs HTTP\/1\.1, sse · one message per second: 50 B → 60 B per message over HTTP\/2 \(costs 10 B more, 20 %\)/);
  assert.doesNotMatch(table, /HTTP\/2 vs HTTP\/1\.1, longPolling/);
  assert.match(table, /skipped connections: ulimit -n is 1024/);
  assert.match(table, /machine: 2 × Test CPU, 24 GiB, Node v20\.20\.2/);
});

test('the HTML page is self-contained, escapes what it shows, and charts baselines and techniques', () => {
  const page = renderBenchPage(report());
  assert.doesNotMatch(page, /<script|https?:\/\/(?!www\.w3\.org)/, 'no script and no network');
  assert.ok(page.includes('WebSocket echo throughput &lt;32 B&gt;'), 'escaped');
  assert.match(page, /<td class="met">✔ ≥ 90 % of bare ws<\/td>/);
  assert.match(page, /<td class="missed">✗ p99 ≤ 100 ms<\/td>/);
  assert.match(page, /<title id="bench-0">WebSocket echo throughput &lt;32 B&gt;: reference against bare ws: reference 950 msg\/s; bare ws 1,000 msg\/s<\/title>/);
  assert.match(page, /The four techniques, measured/);
  assert.match(page, /Bytes per message · one message per second/);
  assert.match(page, /<tr><td>Ajax polling<\/td><td>2<\/td><td>one message per second<\/td><td class="num">240 B<\/td>/);
  assert.match(page, /<li>polling · one message per second: 600 B → 240 B per message over HTTP\/2 \(saves 360 B, 60 %\)<\/li>/);
  assert.match(page, /Ajax polling \(HTTP\/2\)/, 'charts label the HTTP/2 bars');
  assert.match(page, /<code>connections<\/code>: ulimit -n is 1024/);
});

test('the runner refuses an unknown scenario or regression with exit 2 and says which', () => {
  const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'bench/main.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
  const unknown = run('--only', 'no-such-scenario');
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /--only: no scenario "no-such-scenario"/);
  const regression = run('--regression', 'slow-everything');
  assert.equal(regression.status, 2);
  assert.match(regression.stderr, /--regression: no regression "slow-everything"/);
  assert.equal(run('--frobnicate').status, 2);
});

/**
 * The cluster benchmark's machinery (bench/scenarios/cluster*.ts,
 * bench/serve-instances.ts): how subscribers are split, which receipts a
 * publish is counted against, how figures are built from measurements, and
 * starting `pushspec serve` as users run it. Nothing here measures or
 * asserts a speed.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { delayFigures, fanoutFigures, loadNote, throughputFigures } from '../bench/scenarios/cluster-figures.ts';
import { evenSplit, reachedBy, type Deployment, type FanoutMeasurement } from '../bench/scenarios/cluster-fanout.ts';
import { mergeDelay, mergeThroughput, type DelayMeasurement, type ThroughputMeasurement } from '../bench/scenarios/cluster-publish.ts';
import { interleaved } from '../bench/scenarios/cluster.ts';
import { cpuMsFromInfo } from '../bench/redis-usage.ts';
import { cpuTimeMsOf, listeningPort, openFileLimitOf, startServeInstance, type ServeInstance } from '../bench/serve-instances.ts';

const instance = (port: number): ServeInstance => ({ port, pid: 0, redisUrl: undefined, stats: async () => ({}), stop: async () => {} });
const single: Deployment = { label: 'one in-memory instance', id: 'single', instances: [instance(1)], shared: false };
const cluster: Deployment = { label: '3 instances on Redis', id: 'cluster', instances: [instance(1), instance(2), instance(3)], shared: true, redisUrl: 'redis://127.0.0.1:6390' };
const independent: Deployment = { label: '3 independent in-memory instances', id: 'independent', instances: cluster.instances, shared: false };

function fanout(deployment: Deployment, overrides: Partial<FanoutMeasurement> = {}): FanoutMeasurement {
  return {
    deployment, technique: 'sse', subscribers: 3000, held: [1000, 1000, 1000], p50: [10, 20, 30], p99: [40, 50, 60], completeness: [1, 1, 1],
    received: 9000, expected: 9000, sameInstanceP50: [], otherInstanceP50: [], outOfOrder: 0, dropped: 0, openErrors: {}, load: [0.5, 1.25], ...overrides,
  };
}

test('subscribers split evenly over the instances, every one counted', () => {
  assert.deepEqual(evenSplit(10, 3), [4, 3, 3]);
  assert.deepEqual(evenSplit(30_000, 3), [10_000, 10_000, 10_000]);
  assert.deepEqual(evenSplit(2, 3), [1, 1, 0]);
});

test('a publish on a cluster must reach every instance; on instances that share nothing, only its own', () => {
  assert.deepEqual(reachedBy(cluster, 1), [0, 1, 2]);
  assert.deepEqual(reachedBy(independent, 1), [1]);
  assert.deepEqual(reachedBy(single, 0), [0]);
});

test('a cluster fan-out figure has the in-memory instance of the same size and technique as its baseline', () => {
  const figures = fanoutFigures([fanout(single), fanout(cluster, { p99: [80, 100, 120], sameInstanceP50: [5], otherInstanceP50: [7] }), fanout(cluster, { subscribers: 9000 })]);
  const p99 = figures.find((f) => f.id === 'cluster-fanout-sse-3000-cluster-p99')!;
  assert.equal(p99.median, 100);
  assert.deepEqual(p99.baseline, { name: 'one in-memory instance', median: 50, ratio: 2 });
  assert.ok(p99.notes!.some((n) => n.includes('on the instance published on 5.0 ms, on the other instances 7.0 ms')));
  assert.ok(p99.notes!.includes('load average 0.50 → 1.25 (1 min, before → after)'));
  assert.equal(figures.find((f) => f.id === 'cluster-fanout-sse-9000-cluster-p99')!.baseline, undefined, 'no in-memory set of that size ran');
  assert.equal(figures.find((f) => f.id === 'cluster-fanout-sse-3000-single-p99')!.baseline, undefined);
});

test('completeness is met only when every expected receipt came, in order, with no subscriber dropped', () => {
  const met = (m: FanoutMeasurement) => fanoutFigures([m]).find((f) => f.id.endsWith('-delivered'))!;
  assert.equal(met(fanout(cluster)).target!.met, true);
  const short = met(fanout(cluster, { received: 8999, completeness: [1, 0.9997, 1] }));
  assert.equal(short.target!.met, false);
  assert.ok(short.min < 100, "the short publish shows in the spread");
  assert.equal(met(fanout(cluster, { outOfOrder: 1 })).target!.met, false);
  assert.equal(met(fanout(cluster, { dropped: 2 })).target!.met, false);
  assert.match(met(fanout(independent, { expected: 3000, received: 3000 })).notes![0]!, /subscribers of the instance published on/);
  assert.match(met(fanout(cluster)).notes![0]!, /9,000 of 9,000 receipts .* against every subscriber/);
});

test('publish throughput and delay figures: the cluster beside one instance, and what Redis adds', () => {
  const throughput = (deployment: Deployment, perSecond: number[]): ThroughputMeasurement => ({
    deployment, publishers: 16, perSecond, ackP50: [1], ackP99: [3], publisherCpu: [97], serverCpu: [120], redisCpu: deployment.shared ? [30] : [], errors: 0, load: [1, 1],
  });
  const [, clustered] = throughputFigures([throughput(single, [10_000]), throughput(cluster, [4000, 5000, 6000])]);
  assert.equal(clustered!.median, 5000);
  assert.equal(clustered!.baseline!.ratio, 0.5);
  assert.ok(clustered!.notes!.some((n) => n.includes('the instances 120 % together, Redis 30 %, the publisher process 97 %')));
  const delay = (deployment: Deployment, p50: number[], otherP50: number[] = []): DelayMeasurement => ({
    deployment, subscribers: 100, messages: 100, intervalMs: 20, p50, p99: p50.map((v) => v * 2), otherP50, otherP99: [], missing: 0, load: [1, 1],
  });
  const figures = delayFigures([delay(single, [1.5]), delay(cluster, [2.25], [2.5])]);
  const p50 = figures.find((f) => f.id === 'cluster-delay-cluster-p50')!;
  assert.equal(p50.notes![0], 'added by going through Redis: 0.75 ms at p50 (against one in-memory instance, same run)');
  assert.ok(p50.notes!.some((n) => n.includes('on another instance of the cluster (100 subscribers there): 2.5 ms at p50')));
  assert.equal(figures.find((f) => f.id === 'cluster-delay-single-p50')!.baseline, undefined);
  const apart = delayFigures([delay(single, [1.5]), delay(independent, [1.25])]).find((f) => f.id === 'cluster-delay-independent-p50')!;
  assert.ok(!apart.notes!.some((n) => n.includes('Redis')), 'no Redis, nothing added by it');
});

test('the port serve prints, and a process limits and CPU time read from /proc', () => {
  assert.equal(listeningPort('pushspec reference server listening on http://127.0.0.1:43339'), 43339);
  assert.equal(listeningPort('pushspec reference server listening on https://[::1]:8443'), 8443);
  assert.equal(listeningPort('pushspec reference server stopped'), undefined);
  assert.equal(openFileLimitOf(process.pid), Number(execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim()));
  const before = cpuTimeMsOf(process.pid);
  const start = process.cpuUsage();
  while (process.cpuUsage(start).user < 200_000); // 200 ms of this process's own CPU, whatever the wall clock
  assert.ok(cpuTimeMsOf(process.pid) - before >= 150, 'the CPU just used shows in /proc');
  assert.ok(Number.isNaN(openFileLimitOf(2 ** 30)) && Number.isNaN(cpuTimeMsOf(2 ** 30)), 'no such process: NaN');
});

test('startServeInstance runs `pushspec serve --port 0`, reads its port, and stops it', async () => {
  const serve = await startServeInstance();
  try {
    assert.ok(serve.port > 0);
    assert.equal(serve.redisUrl, undefined);
    assert.equal((await serve.stats()).streams, 0);
  } finally {
    await serve.stop();
  }
  assert.throws(() => process.kill(serve.pid, 0), { code: 'ESRCH' });
});

test("Redis's CPU time from an INFO cpu answer", () => {
  assert.equal(cpuMsFromInfo('# CPU\r\nused_cpu_sys:1.250000\r\nused_cpu_user:0.500000\r\nused_cpu_sys_children:9.000000\r\n'), 1750);
  assert.ok(Number.isNaN(cpuMsFromInfo('# CPU\r\n')));
});

test('interleaved rounds: each deployment in turn, only the first round warmed up, every repetition kept', async () => {
  const calls: string[] = [];
  const merged = await interleaved([single, cluster], 3, async (on, warmUp) => {
    calls.push(`${on.id}${warmUp ? '+warm-up' : ''}`);
    return [calls.length];
  }, (a, b) => [...a, ...b]);
  assert.deepEqual(calls, ['single+warm-up', 'cluster+warm-up', 'single', 'cluster', 'single', 'cluster']);
  assert.deepEqual(merged, [[1, 3, 5], [2, 4, 6]]);
});

test('merged measurements keep every sample, sum what is counted, and span the load from first to last', () => {
  const t = (perSecond: number, errors: number, load: [number, number], firstError?: string): ThroughputMeasurement => ({
    deployment: cluster, publishers: 1, perSecond: [perSecond], ackP50: [1], ackP99: [2], publisherCpu: [10], serverCpu: [20], redisCpu: [5], errors, load, ...(firstError ? { firstError } : {}),
  });
  const m = mergeThroughput(t(100, 0, [1, 2]), t(200, 3, [3, 4], 'publish answered 503'));
  assert.deepEqual([m.perSecond, m.redisCpu, m.errors, m.firstError, m.load], [[100, 200], [5, 5], 3, 'publish answered 503', [1, 4]]);
  const d = (p50: number, missing: number): DelayMeasurement => ({ deployment: cluster, subscribers: 100, messages: 100, intervalMs: 20, p50: [p50], p99: [p50 * 2], otherP50: [], otherP99: [], missing, load: [p50, p50] });
  const delay = mergeDelay(d(1, 0), d(2, 7));
  assert.deepEqual([delay.p50, delay.p99, delay.missing, delay.load, delay.subscribers], [[1, 2], [2, 4], 7, [1, 2], 100]);
});

test('a load note reads before and after', () => {
  assert.equal(loadNote([0.4, 1.93]), 'load average 0.40 → 1.93 (1 min, before → after)');
});

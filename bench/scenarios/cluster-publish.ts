/**
 * Publishing on a deployment (issue 17, item 10 here): how many publishes the
 * instances acknowledge per second (one publisher, then several at once,
 * spread over the instances), and what going through Redis adds to the delay
 * from publish to receipt on the instance published on (a few subscribers
 * there; on a cluster, as many on a second instance, whose delay is noted).
 * Publishes run in their own process (bench/load/publishers.ts).
 */
import { loadavg } from 'node:os';
import type { SubscriberFleet } from '../load/subscriber-fleet.ts';
import { waitUntil } from '../load/subscriber-fleet.ts';
import type { ServerProcess } from '../process.ts';
import { redisCpuMs } from '../redis-usage.ts';
import { cpuTimeMsOf } from '../serve-instances.ts';
import { percentile } from '../stats.ts';
import type { Deployment } from './cluster-fanout.ts';

/** What one deployment and publisher count gave, one value per repetition. */
export interface ThroughputMeasurement {
  deployment: Deployment;
  publishers: number;
  perSecond: number[];
  ackP50: number[];
  ackP99: number[];
  /** Per repetition, % of one core: the publisher process's CPU, and the instances' summed. */
  publisherCpu: number[];
  serverCpu: number[];
  /** Per repetition, % of one core used by the shared Redis (empty without one). */
  redisCpu: number[];
  errors: number;
  firstError?: string;
  load: [number, number];
}

/** Publish-to-receive delay on the instance published on (and, on a cluster, on another one), per repetition. */
export interface DelayMeasurement {
  deployment: Deployment;
  subscribers: number;
  messages: number;
  intervalMs: number;
  p50: number[];
  p99: number[];
  otherP50: number[];
  otherP99: number[];
  missing: number;
  load: [number, number];
}

/** Closed-loop publishing for `durationMs` per repetition, after a warm-up round unless `warmUp` is false. */
export async function measureThroughput(deployment: Deployment, publisher: ServerProcess, publishers: number, durationMs: number, repetitions: number, warmUp = true): Promise<ThroughputMeasurement> {
  const ports = deployment.instances.map((i) => i.port);
  const m: ThroughputMeasurement = { deployment, publishers, perSecond: [], ackP50: [], ackP99: [], publisherCpu: [], serverCpu: [], redisCpu: [], errors: 0, load: [loadavg()[0]!, Number.NaN] };
  const serverCpuMs = (): number => deployment.instances.reduce((sum, i) => sum + cpuTimeMsOf(i.pid), 0);
  for (let round = warmUp ? 0 : 1; round <= repetitions; round++) {
    const cpuBefore = serverCpuMs();
    const redisBefore = deployment.redisUrl === undefined ? Number.NaN : await redisCpuMs(deployment.redisUrl);
    const r = await publisher.command({ cmd: 'flood', ports, channel: 'bench-publish', publishers, durationMs });
    const serverCpu = ((serverCpuMs() - cpuBefore) / Number(r.ms)) * 100;
    const redisCpu = deployment.redisUrl === undefined ? Number.NaN : (((await redisCpuMs(deployment.redisUrl)) - redisBefore) / Number(r.ms)) * 100;
    if (r.error !== undefined) throw new Error(String(r.error));
    m.errors += Number(r.errors);
    if (r.firstError !== undefined) m.firstError ??= String(r.firstError);
    if (round === 0) continue;
    m.perSecond.push((Number(r.acknowledged) / Number(r.ms)) * 1000);
    m.ackP50.push(Number(r.ackP50));
    m.ackP99.push(Number(r.ackP99));
    m.publisherCpu.push(Number(r.cpuPercent));
    m.serverCpu.push(serverCpu);
    if (!Number.isNaN(redisCpu)) m.redisCpu.push(redisCpu);
  }
  m.load[1] = loadavg()[0]!;
  return m;
}

/**
 * `messages` paced publishes on instance 1 per repetition, `subscribers` SSE subscribers on instance 1 (and on a
 * cluster as many on instance 2) timing each receipt; a warm-up round first unless `warmUp` is false.
 */
export async function measureDelay(deployment: Deployment, fleets: SubscriberFleet[], publisher: ServerProcess, options: { subscribers: number; messages: number; intervalMs: number; repetitions: number; warmUp?: boolean }): Promise<DelayMeasurement> {
  const { subscribers, messages, intervalMs, repetitions } = options;
  const channel = 'bench-delay';
  const watched = deployment.shared && deployment.instances.length > 1 ? [0, 1] : [0];
  const m: DelayMeasurement = { deployment, subscribers, messages, intervalMs, p50: [], p99: [], otherP50: [], otherP99: [], missing: 0, load: [loadavg()[0]!, Number.NaN] };
  try {
    for (const k of watched) {
      const opened = await fleets[k]!.open('sse', deployment.instances[k]!.port, channel, subscribers);
      if (opened.opened !== subscribers) throw new Error(`${deployment.label}: ${opened.opened} of ${subscribers} subscribers opened on instance ${k + 1} (${JSON.stringify(opened.errors)})`);
      await waitUntil(async () => ((await deployment.instances[k]!.stats()).streams ?? 0) >= subscribers, 15_000);
    }
    for (let round = options.warmUp === false ? 1 : 0; round <= repetitions; round++) {
      const firstSeq = round * messages;
      const last = firstSeq + messages - 1;
      const r = await publisher.command({ cmd: 'paced', ports: [deployment.instances[0]!.port], channel, firstSeq, count: messages, intervalMs });
      if (Number(r.errors) > 0 || r.error !== undefined) throw new Error(`${deployment.label}: paced publishes failed: ${String(r.firstError ?? r.error)}`);
      await waitUntil(async () => (await Promise.all(watched.map((k) => fleets[k]!.received(last)))).every((n) => n >= subscribers), 10_000);
      if (round === 0) continue;
      const [same, other] = await Promise.all(watched.map((k) => fleets[k]!.deliveries()));
      const inRound = (d: typeof same): number[] => [...d!.latencies].filter(([seq]) => seq >= firstSeq && seq <= last).flatMap(([, list]) => list);
      const sameList = inRound(same);
      m.missing += subscribers * messages - sameList.length;
      m.p50.push(percentile(sameList, 50));
      m.p99.push(percentile(sameList, 99));
      if (other !== undefined) {
        const otherList = inRound(other);
        m.missing += subscribers * messages - otherList.length;
        m.otherP50.push(percentile(otherList, 50));
        m.otherP99.push(percentile(otherList, 99));
      }
    }
    m.load[1] = loadavg()[0]!;
  } finally {
    await Promise.all(watched.map((k) => fleets[k]!.closeAll()));
  }
  return m;
}

/** Two runs of one throughput measurement as one: every repetition's samples, errors summed, load from first to last. */
export function mergeThroughput(a: ThroughputMeasurement, b: ThroughputMeasurement): ThroughputMeasurement {
  return {
    ...a,
    perSecond: [...a.perSecond, ...b.perSecond],
    ackP50: [...a.ackP50, ...b.ackP50],
    ackP99: [...a.ackP99, ...b.ackP99],
    publisherCpu: [...a.publisherCpu, ...b.publisherCpu],
    serverCpu: [...a.serverCpu, ...b.serverCpu],
    redisCpu: [...a.redisCpu, ...b.redisCpu],
    errors: a.errors + b.errors,
    ...(a.firstError ?? b.firstError ? { firstError: a.firstError ?? b.firstError } : {}),
    load: [a.load[0], b.load[1]],
  };
}

/** Two runs of one delay measurement as one: every repetition's samples, missing receipts summed, load from first to last. */
export function mergeDelay(a: DelayMeasurement, b: DelayMeasurement): DelayMeasurement {
  return {
    ...a,
    p50: [...a.p50, ...b.p50],
    p99: [...a.p99, ...b.p99],
    otherP50: [...a.otherP50, ...b.otherP50],
    otherP99: [...a.otherP99, ...b.otherP99],
    missing: a.missing + b.missing,
    load: [a.load[0], b.load[1]],
  };
}

/**
 * Fan-out across the instances of a deployment (issue 17, item 9 here): N
 * subscribers of one channel spread evenly over the instances, each instance's
 * share held by load processes of its own (bench/load/subscriber-fleet.ts),
 * and publishes spread over the instances (publish i on instance i mod n).
 *
 * What a publish must reach depends on the deployment: on a cluster (`serve
 * --redis`, `shared`) every subscriber of every instance; on instances that
 * share nothing (in-memory `serve`), only the subscribers of the instance it
 * was published on. Completeness is the receipts counted against that, within
 * {@link DELIVERY_DEADLINE_MS} of each publish.
 */
import { loadavg } from 'node:os';
import { request } from 'undici';
import { addErrors, waitUntil, type SubscriberFleet, type Technique } from '../load/subscriber-fleet.ts';
import type { ServeInstance } from '../serve-instances.ts';
import { percentile } from '../stats.ts';
import { DELIVERY_DEADLINE_MS } from './fanout.ts';

/** Instances measured together. */
export interface Deployment {
  /** How a reader says it, e.g. `3 instances on Redis`, `one in-memory instance`. */
  label: string;
  /** Part of figure ids: `cluster`, `single`, `independent`. */
  id: string;
  instances: ServeInstance[];
  /** A cluster: a message published on any instance reaches every instance's subscribers. */
  shared: boolean;
  /** The Redis the instances share, if any. */
  redisUrl?: string;
}

/** What one fan-out set gave. */
export interface FanoutMeasurement {
  deployment: Deployment;
  technique: Technique;
  subscribers: number;
  /** Subscribers open on each instance (the server's own count). */
  held: number[];
  /** One per counted publish: p50 and p99 over its receipts (ms), and receipts / expected receipts. */
  p50: number[];
  p99: number[];
  completeness: number[];
  received: number;
  expected: number;
  /** On a shared deployment: p50 of receipts on the instance published on, and on the others (one per publish). */
  sameInstanceP50: number[];
  otherInstanceP50: number[];
  outOfOrder: number;
  dropped: number;
  openErrors: Record<string, number>;
  /** 1-minute load average before opening and after the last publish. */
  load: [number, number];
}

const CHANNEL = 'bench-cluster';
/** The `GET /stats` field counting each technique's open subscribers. */
const OPEN_KEYS: Partial<Record<Technique, string>> = { sse: 'streams', websocket: 'sockets' };

/** Publishes `<seq> <time>` on one instance, the time taken just before sending. */
async function publish(port: number, seq: number): Promise<void> {
  const response = await request(`http://127.0.0.1:${port}/channels/${CHANNEL}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain; charset=utf-8' },
    body: `${seq} ${performance.timeOrigin + performance.now()}`,
  });
  const text = await response.body.text();
  if (response.statusCode !== 201) throw new Error(`publish on port ${port} answered ${response.statusCode}: ${text.slice(0, 200)}`);
}

/** `total` split as evenly as it goes over `parts`. */
export function evenSplit(total: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));
}

/** Which instances' subscribers a publish on instance `on` must reach. */
export function reachedBy(deployment: Pick<Deployment, 'shared' | 'instances'>, on: number): number[] {
  return deployment.shared ? deployment.instances.map((_, k) => k) : [on];
}

/**
 * Opens `subscribers` of `technique` over the deployment's instances (fleets[k] holds instance k's), publishes a
 * warm-up message then `repetitions` counted ones, each once the last reached every subscriber it must (or its
 * deadline passed), and closes them all.
 */
export async function fanOutAcross(deployment: Deployment, fleets: SubscriberFleet[], technique: Technique, subscribers: number, repetitions: number): Promise<FanoutMeasurement> {
  const { instances } = deployment;
  const key = OPEN_KEYS[technique];
  if (key === undefined) throw new Error(`cluster fan-out: no /stats count for ${technique}`);
  const count = async (k: number): Promise<number> => (await instances[k]!.stats())[key] ?? Number.NaN;
  const m: FanoutMeasurement = {
    deployment, technique, subscribers, held: [], p50: [], p99: [], completeness: [], received: 0, expected: 0,
    sameInstanceP50: [], otherInstanceP50: [], outOfOrder: 0, dropped: 0, openErrors: {}, load: [loadavg()[0]!, Number.NaN],
  };
  const opened: number[] = [];
  try {
    // One instance after the other: all at once would pass each server's listen backlog.
    for (const [k, share] of evenSplit(subscribers, instances.length).entries()) {
      const before = await count(k);
      const result = await fleets[k]!.open(technique, instances[k]!.port, CHANNEL, share);
      addErrors(m.openErrors, result.errors);
      opened.push(result.opened);
      await waitUntil(async () => (await count(k)) >= before + result.opened, 15_000);
      m.held.push(await count(k));
    }
    for (let seq = 0; seq <= repetitions; seq++) {
      const on = seq % instances.length;
      const reach = reachedBy(deployment, on);
      const expected = reach.reduce((sum, k) => sum + opened[k]!, 0);
      await publish(instances[on]!.port, seq);
      await waitUntil(async () => (await Promise.all(reach.map((k) => fleets[k]!.received(seq)))).reduce((a, b) => a + b, 0) >= expected, DELIVERY_DEADLINE_MS);
    }
    m.load[1] = loadavg()[0]!;
    const deliveries = await Promise.all(fleets.slice(0, instances.length).map((f) => f.deliveries()));
    for (let seq = 1; seq <= repetitions; seq++) {
      const on = seq % instances.length;
      const reach = reachedBy(deployment, on);
      const all = reach.flatMap((k) => deliveries[k]!.latencies.get(seq) ?? []);
      const expected = reach.reduce((sum, k) => sum + opened[k]!, 0);
      m.p50.push(percentile(all, 50));
      m.p99.push(percentile(all, 99));
      m.completeness.push(expected === 0 ? Number.NaN : all.length / expected);
      m.received += all.length;
      m.expected += expected;
      if (deployment.shared && instances.length > 1) {
        m.sameInstanceP50.push(percentile(deliveries[on]!.latencies.get(seq) ?? [], 50));
        m.otherInstanceP50.push(percentile(reach.filter((k) => k !== on).flatMap((k) => deliveries[k]!.latencies.get(seq) ?? []), 50));
      }
    }
    m.outOfOrder = deliveries.reduce((sum, d) => sum + d.outOfOrder, 0);
    for (const fleet of fleets.slice(0, instances.length)) m.dropped += (await fleet.status()).dropped;
  } finally {
    await Promise.all(fleets.slice(0, instances.length).map((f) => f.closeAll()));
  }
  for (const k of instances.keys()) {
    if (!(await waitUntil(async () => (await count(k)) === 0, 15_000))) throw new Error(`${deployment.label}: instance ${k + 1} still holds ${technique} subscribers 15 s after their clients closed`);
  }
  return m;
}

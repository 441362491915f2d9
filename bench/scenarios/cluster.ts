/**
 * Issue 17's figures (items 9 and 10 here): the reference server as a cluster,
 * three `pushspec serve --redis <url>` processes on one private Redis
 * (`startRedisServer()`), beside one in-memory `pushspec serve` (no Redis)
 * measured in the same run:
 * - item 9, fan-out across instances (cluster-fanout.ts): SSE and WebSocket
 *   subscribers spread evenly over the instances, 10,000 and 30,000 (quick:
 *   1,000 and 3,000), publishes spread over the instances; publish-to-receive
 *   p50 / p99 and delivery completeness. One instance is measured at the
 *   smaller size only: the larger one does not fit in one process's
 *   descriptors (`ulimit -n`), which is what a cluster is for;
 * - item 10, publishing (cluster-publish.ts): acknowledged publishes per
 *   second with one and with several concurrent publishers, and the delay
 *   Redis adds between a publish and its receipt on the same instance.
 *
 * While `serve` has no `--redis` (it answers "Unknown option"), the three
 * instances run in memory instead: they share nothing, so completeness is
 * counted per instance (a publish must reach its own instance's subscribers)
 * and the run says so under "skipped". `npm run bench -- --only cluster` runs
 * this alone.
 */
import { loadavg } from 'node:os';
import { startRedisServer, type RedisServer } from '../../adapters/contract/launch/redis-server.ts';
import { SubscriberFleet, SUBSCRIBERS_PER_PROCESS, type Technique } from '../load/subscriber-fleet.ts';
import { startServer, type ServerProcess } from '../process.ts';
import type { Scenario, ScenarioResult } from '../scenario.ts';
import { openFileLimitOf, startServeInstance, type ServeInstance } from '../serve-instances.ts';
import { delayFigures, fanoutFigures, throughputFigures } from './cluster-figures.ts';
import { fanOutAcross, type Deployment, type FanoutMeasurement } from './cluster-fanout.ts';
import { measureDelay, measureThroughput, mergeDelay, mergeThroughput, type DelayMeasurement, type ThroughputMeasurement } from './cluster-publish.ts';

const INSTANCES = 3;
const TECHNIQUES: readonly Technique[] = ['sse', 'websocket'];
/** Descriptors a process needs beside its connections (its own files, Redis, the listening socket). */
const FD_SPARE = 100;

/** Everything the scenario starts, so one `finally` stops it all. */
interface Started {
  redis?: RedisServer;
  instances: ServeInstance[];
  single?: ServeInstance;
  fleets: SubscriberFleet[];
  publisher?: ServerProcess;
}

/** Three instances on Redis, or, while `serve` has no `--redis`, three in memory (and why). */
async function startInstances(started: Started): Promise<{ deployment: Deployment; fallback?: string }> {
  let why: string;
  try {
    started.redis = await startRedisServer();
    const first = await startServeInstance(started.redis.url);
    started.instances.push(first);
    started.instances.push(...(await Promise.all(Array.from({ length: INSTANCES - 1 }, () => startServeInstance(started.redis!.url)))));
    return { deployment: { label: `${INSTANCES} instances on Redis`, id: 'cluster', instances: started.instances, shared: true, redisUrl: started.redis.url } };
  } catch (error) {
    if (started.instances.length > 0) throw error;
    why = (error as Error).message;
  }
  await started.redis?.stop();
  started.redis = undefined;
  started.instances.push(...(await Promise.all(Array.from({ length: INSTANCES }, () => startServeInstance()))));
  return {
    deployment: { label: `${INSTANCES} independent in-memory instances`, id: 'independent', instances: started.instances, shared: false },
    fallback: `no cluster to measure (${why}): measured ${INSTANCES} independent in-memory instances instead, completeness counted per instance`,
  };
}

/** The smallest `ulimit -n` among `pids`, and whether each could hold `need` connections. */
function limits(pids: number[], need: number): { lowest: number; enough: boolean } {
  const values = pids.map(openFileLimitOf);
  const lowest = Math.min(...values);
  return { lowest, enough: values.every((v) => Number.isNaN(v) || v >= need + FD_SPARE) };
}

/**
 * `repetitions` rounds of `measure` (one repetition each, the first round with a warm-up), each round on every
 * deployment in turn; one merged measurement per deployment.
 */
export async function interleaved<M>(deployments: Deployment[], repetitions: number, measure: (on: Deployment, warmUp: boolean) => Promise<M>, merge: (a: M, b: M) => M): Promise<M[]> {
  const merged: Array<M | undefined> = deployments.map(() => undefined);
  for (let round = 0; round < repetitions; round++) {
    for (const [i, on] of deployments.entries()) {
      const m = await measure(on, round === 0);
      merged[i] = merged[i] === undefined ? m : merge(merged[i]!, m);
    }
  }
  return merged as M[];
}

export const clusterScenario: Scenario = {
  id: 'cluster',
  item: 9,
  title: 'Cluster: 3 `serve --redis` instances on one Redis beside one in-memory instance: fan-out to 10,000 and 30,000 (quick: 1,000 and 3,000), publish throughput, the delay Redis adds',
  async run(context): Promise<ScenarioResult> {
    const sizes = context.quick ? [1000, 3000] : [10_000, 30_000];
    const perInstance = Math.ceil(sizes.at(-1)! / INSTANCES);
    const started: Started = { instances: [], fleets: [] };
    const skipped: Array<{ id: string; reason: string }> = [];
    const fanouts: FanoutMeasurement[] = [];
    const throughputs: ThroughputMeasurement[] = [];
    const delays: DelayMeasurement[] = [];
    try {
      const { deployment, fallback } = await startInstances(started);
      if (fallback !== undefined) skipped.push({ id: 'cluster', reason: fallback });
      started.single = await startServeInstance();
      const single: Deployment = { label: 'one in-memory instance', id: 'single', instances: [started.single], shared: false };
      started.fleets.push(...(await Promise.all(deployment.instances.map(() => SubscriberFleet.start(perInstance)))));
      started.publisher = await startServer('load/publishers.ts');
      const clusterLimit = limits(deployment.instances.map((i) => i.pid), perInstance);
      const loadLimit = limits(started.fleets.flatMap((f) => f.pids), 2 * SUBSCRIBERS_PER_PROCESS);
      context.log(`ulimit -n: instances ${clusterLimit.lowest}, single instance ${openFileLimitOf(started.single.pid)}, load processes ${loadLimit.lowest} (${started.fleets.flatMap((f) => f.pids).length} of them, ≤ ${SUBSCRIBERS_PER_PROCESS} subscribers each); load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
      if (!clusterLimit.enough || !loadLimit.enough) throw new Error(`ulimit -n too small: instances ${clusterLimit.lowest} for ${perInstance} connections each, load processes ${loadLimit.lowest}`);

      const fanOut = async (on: Deployment, technique: Technique, size: number): Promise<void> => {
        try {
          const m = await fanOutAcross(on, started.fleets, technique, size, context.repetitions);
          fanouts.push(m);
          const list = (values: number[]) => values.map((v) => v.toFixed(0)).join('/');
          context.log(`${on.label}, ${size} ${technique}: p50 ${list(m.p50)} ms, p99 ${list(m.p99)} ms, ${m.received}/${m.expected} receipts (load ${m.load.map((l) => l.toFixed(2)).join(' → ')})`);
        } catch (error) {
          skipped.push({ id: `cluster-fanout-${technique}-${size}-${on.id}`, reason: `failed: ${(error as Error).message}` });
          context.log(`${on.label}, ${size} ${technique}: failed: ${(error as Error).message}`);
        }
      };
      for (const technique of TECHNIQUES) {
        for (const size of sizes) {
          const fits = limits([started.single.pid], size);
          const capacity = started.fleets[0]!.pids.length * SUBSCRIBERS_PER_PROCESS;
          if (fits.enough && size <= capacity) await fanOut(single, technique, size);
          else if (technique === TECHNIQUES[0]) {
            const why = fits.enough ? `its load processes hold ${capacity.toLocaleString('en-US')}` : `its ulimit -n is ${fits.lowest}`;
            skipped.push({ id: `cluster-fanout-${size}-single`, reason: `one instance, ${size.toLocaleString('en-US')} subscribers: not measured, ${why}` });
          }
          await fanOut(deployment, technique, size);
        }
      }

      // One repetition on each deployment in turn, so both see the same moments of a shared machine.
      const durationMs = context.quick ? 1000 : 3000;
      for (const publishers of [1, context.quick ? 8 : 16]) {
        const pair = await interleaved([single, deployment], context.repetitions, (on, warmUp) => measureThroughput(on, started.publisher!, publishers, durationMs, 1, warmUp), mergeThroughput);
        throughputs.push(...pair);
        for (const m of pair) context.log(`${m.deployment.label}, ${publishers} publisher${publishers === 1 ? '' : 's'}: ${m.perSecond.map((v) => v.toFixed(0)).join('/')} publishes/s, ${m.errors} errors`);
      }
      const delayOptions = { subscribers: 100, messages: context.quick ? 50 : 100, intervalMs: 20, repetitions: 1 };
      const pair = await interleaved([single, deployment], context.repetitions, (on, warmUp) => measureDelay(on, started.fleets, started.publisher!, { ...delayOptions, warmUp }), mergeDelay);
      delays.push(...pair);
      for (const m of pair) context.log(`${m.deployment.label}, delay on the instance published on: p50 ${m.p50.map((v) => v.toFixed(2)).join('/')} ms`);
    } finally {
      await Promise.allSettled([...started.instances.map((i) => i.stop()), started.single?.stop(), ...started.fleets.map((f) => f.stop()), started.publisher?.stop()]);
      await started.redis?.stop();
    }
    return { figures: [...fanoutFigures(fanouts), ...throughputFigures(throughputs), ...delayFigures(delays)], skipped };
  },
};

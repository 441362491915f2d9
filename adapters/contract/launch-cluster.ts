/**
 * Starts a cluster the adapter declares with `cluster.instances`: a private
 * Redis first when `cluster.redis` is true, then `launch.command` once per
 * instance through the ordinary launcher (each its own free `{port}`, its
 * `{instance}`, and `{redisUrl}` / `{redisPort}`). One instance can be stopped
 * and started again on the same port; `stop()` ends the instances, then Redis.
 */
import { PushspecError } from '../../core/errors.ts';
import { freePort, launchServer, type LaunchedServer } from './launch.ts';
import { REDIS_SERVER, startRedisServer, type RedisServer } from './launch/redis-server.ts';
import { findMissingIn } from './launch/programs.ts';
import { setClusterControl, type ClusterControl } from './cluster-control.ts';
import type { ResolvedAdapter } from './resolve.ts';

/** A cluster pushspec started: its instances' URLs, stop / start of one, and one stop for all. */
export interface LaunchedCluster extends ClusterControl {
  /** The private Redis, when `cluster.redis` is true. */
  readonly redis?: RedisServer;
  /**
   * The cluster as the run watches one launched server: its base URL is
   * instance `instance`'s; it "exits early" when any instance ends without
   * being stopped; its tail shows every instance's last lines.
   */
  watched(instance: number): LaunchedServer;
  /** Stops every instance, then Redis; safe to call twice. */
  stop(): Promise<void>;
}

export interface ClusterLaunchOptions {
  /** Instance k's output goes to `logFile(k, generation)` (0 for its first start, 1 for the next…). */
  logFile?: (instance: number, generation: number) => string;
}

/**
 * Launches the cluster and registers it as the run's cluster control
 * (cluster-control.ts), for the scenarios that stop an instance.
 *
 * @throws PushspecError `PUSHSPEC_ERR_NOT_INSTALLED` (redis-server, or a `launch.requires` program),
 *   `PUSHSPEC_ERR_LAUNCH` when Redis or an instance does not start; whatever started is stopped first.
 */
export async function launchCluster(adapter: ResolvedAdapter, options: ClusterLaunchOptions = {}): Promise<LaunchedCluster> {
  const cluster = adapter.cluster;
  if (cluster === undefined || !cluster.launched) {
    throw new PushspecError('PUSHSPEC_ERR_LAUNCH', `${adapter.source}: the adapter declares no "cluster.instances" with "launch", so pushspec cannot start a cluster`);
  }
  if (cluster.redis) assertRedisInstalled(adapter);
  const redis = cluster.redis ? await startRedisServer() : undefined;
  const shared: Record<string, string> = redis !== undefined ? { redisUrl: redis.url, redisPort: String(redis.port) } : {};
  const instances: LaunchedServer[] = [];
  const generations: number[] = [];
  const stopped = new Set<number>();
  let onEarlyExit: (status: string) => void = () => undefined;
  const exitedEarly = new Promise<string>((resolve) => (onEarlyExit = resolve));

  const start = async (k: number, port?: number): Promise<LaunchedServer> => {
    const generation = generations[k - 1] ?? 0;
    const logFile = options.logFile?.(k, generation);
    const server = await launchServer(adapter, {
      values: { ...shared, instance: String(k) },
      ...(port !== undefined ? { port } : {}),
      ...(logFile !== undefined ? { logFile } : {}),
    });
    generations[k - 1] = generation + 1;
    void server.exitedEarly.then((status) => onEarlyExit(`(instance ${k} of ${cluster.size}) ${status}`));
    return server;
  };
  const stopAll = async (): Promise<void> => {
    await Promise.all(instances.map((server) => server.stop()));
    await redis?.stop();
  };
  try {
    // One after another: a cluster member may expect the ones before it (a leader, a shared schema).
    for (let k = 1; k <= cluster.size; k++) instances.push(await start(k, await freePort()));
  } catch (error) {
    await stopAll();
    throw error;
  }
  const instance = (k: number): LaunchedServer => {
    const server = instances[k - 1];
    if (server === undefined) throw new RangeError(`the cluster has instances 1 to ${instances.length}, not ${k}`);
    return server;
  };
  let stopping: Promise<void> | undefined;
  const launched: LaunchedCluster = {
    ...(redis !== undefined ? { redis } : {}),
    baseUrls: instances.map((s) => s.baseUrl),
    cannotStop: undefined,
    async stopInstance(k) {
      const server = instance(k);
      stopped.add(k);
      await server.stop();
    },
    async startInstance(k) {
      if (!stopped.has(k)) throw new Error(`instance ${k} is running; only a stopped instance is started again`);
      instances[k - 1] = await start(k, instance(k).port);
      stopped.delete(k);
    },
    watched(k) {
      const first = instance(k);
      return {
        ...first,
        output: () => instance(k).output(),
        tail: () => instances.map((s, i) => `instance ${i + 1}: ${s.tail()}`).join('\n'),
        exitedEarly,
        stop: () => launched.stop(),
      };
    },
    stop: () => {
      setClusterControl(undefined);
      return (stopping ??= stopAll());
    },
  };
  setClusterControl(launched);
  return launched;
}

/** A missing redis-server stops the run before anything starts, with its install command (exit 3). */
function assertRedisInstalled(adapter: ResolvedAdapter): void {
  const missing = findMissingIn([REDIS_SERVER], undefined);
  if (missing === undefined) return;
  throw new PushspecError(
    'PUSHSPEC_ERR_NOT_INSTALLED',
    `${adapter.source}: ${REDIS_SERVER.name} is not installed (\`${REDIS_SERVER.check.join(' ')}\` failed: ${missing.why}); "cluster": {"redis": true} needs it. Install it with: ${REDIS_SERVER.install}`,
  );
}

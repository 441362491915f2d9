/**
 * `pushspec run` against an adapter with a `cluster` (docs/model.md M-11):
 * launch it (Redis, then the instances) or check that every instance of a
 * running one answers, and pick the instance the single-server requirements
 * talk to (`--instance <k>`, 1 by default).
 */
import { launchCluster, type LaunchedCluster } from '../adapters/contract/launch-cluster.ts';
import { checkReachable, type LaunchedServer } from '../adapters/contract/launch.ts';
import type { ResolvedAdapter } from '../adapters/contract/resolve.ts';
import { PushspecError } from '../core/errors.ts';

/**
 * Reads `--instance <k>`: a whole number from 1 to the cluster's size. Without
 * a cluster (the embedded reference, an adapter without `cluster`) it is a
 * usage error, as is a number out of range: checked before anything starts.
 */
export function parseInstance(value: unknown, adapter: ResolvedAdapter | undefined): number {
  if (value === undefined) return 1;
  const text = String(value).trim();
  if (adapter?.cluster === undefined) {
    const what = adapter === undefined ? 'the embedded reference server is one server' : `${adapter.source} declares no "cluster"`;
    throw new PushspecError('PUSHSPEC_ERR_USAGE', `run: --instance picks one instance of a cluster, but ${what}; got --instance ${text}`);
  }
  const size = adapter.cluster.size;
  const k = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(k >= 1 && k <= size)) {
    throw new PushspecError('PUSHSPEC_ERR_USAGE', `run: --instance must be a whole number from 1 to ${size} (the instances of ${adapter.source}'s cluster); got "${text}"`);
  }
  return k;
}

/** A cluster the run reaches: every instance's base URL, and the launched one (to watch and stop), if pushspec started it. */
export interface ReachedCluster {
  baseUrls: string[];
  launched?: LaunchedCluster;
  /** What the run watches as "the server": instance k of the launched cluster. */
  watched?: LaunchedServer;
}

/**
 * Launches the adapter's cluster (its instances' output in
 * `<logFile>-<k>.log`, a restart's in `<logFile>-<k>.<n>.log`), or checks
 * that every instance of a running one answers.
 */
export async function reachCluster(adapter: ResolvedAdapter, instance: number, logBase: string): Promise<ReachedCluster> {
  const cluster = adapter.cluster!;
  if (cluster.launched) {
    const launched = await launchCluster(adapter, { logFile: (k, generation) => `${logBase}-${k}${generation === 0 ? '' : `.${generation}`}.log` });
    return { baseUrls: [...launched.baseUrls], launched, watched: launched.watched(instance) };
  }
  const baseUrls = cluster.baseUrls ?? [];
  for (const url of baseUrls) await checkReachable(url, undefined, adapter.tls);
  return { baseUrls };
}

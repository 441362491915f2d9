/**
 * Rules for `cluster` (docs/model.md M-11): instances pushspec launches
 * (`instances`, `redis`: only with `launch`), or a cluster already running
 * (`baseUrls`, `stop`, `start`: only without `launch`). Also refuses
 * `{instance}`, `{redisUrl}` and `{redisPort}` where nothing would fill them.
 */
import { hasPlaceholder } from '../../core/placeholders.ts';
import { at, formatPath, isHttpUrl, isInteger, isObject, mismatch, unknownFields } from '../../core/fields.ts';
import type { Ctx, Obj, Path } from '../../core/fields.ts';

const CLUSTER_FIELDS = ['instances', 'redis', 'baseUrls', 'stop', 'start'];
/** Fewest and most instances a cluster may have: one is no cluster, and each costs a process (or a server) per run. */
export const CLUSTER_MIN = 2;
export const CLUSTER_MAX = 8;
const LAUNCHED_ONLY = ['instances', 'redis'] as const;
const RUNNING_ONLY = ['baseUrls', 'stop', 'start'] as const;
const COMMAND_EXAMPLE = '{"command": ["docker", "stop", "app-{instance}"]}';

/** Checks `cluster`; call it only when the definition has one. */
export function checkCluster(ctx: Ctx): void {
  const { def, problems, bad, check } = ctx;
  const cluster = def.cluster;
  if (!isObject(cluster)) return bad(['cluster'], 'an object such as {"instances": 3, "redis": true} (with "launch") or {"baseUrls": ["http://127.0.0.1:8081", "http://127.0.0.1:8082"]}');
  unknownFields(cluster, CLUSTER_FIELDS, ['cluster'], problems);
  const launched = def.launch !== undefined;
  for (const field of launched ? RUNNING_ONLY : LAUNCHED_ONLY) {
    if (cluster[field] === undefined) continue;
    problems.push(
      launched
        ? `field "cluster.${field}" is for a cluster that already runs; with "launch", pushspec starts the instances itself ("cluster.instances"): remove "cluster.${field}" or "launch"`
        : `field "cluster.${field}" needs "launch": pushspec can only start instances (and Redis) it knows how to launch; for a cluster that already runs, give "cluster.baseUrls"`,
    );
  }
  check(['cluster', 'instances'], isInteger(CLUSTER_MIN, CLUSTER_MAX), `a whole number of instances from ${CLUSTER_MIN} to ${CLUSTER_MAX}`);
  check(['cluster', 'redis'], (v) => typeof v === 'boolean', 'true (start a private Redis first) or false');
  if (launched && cluster.instances === undefined) bad(['cluster', 'instances'], `how many instances pushspec launches, from ${CLUSTER_MIN} to ${CLUSTER_MAX}`);
  if (!launched) checkRunning(ctx, cluster);
  checkClusterPlaceholders(def, cluster, problems);
}

/** A cluster that already runs: its base URLs, the first being `baseUrl`, and how to stop and start an instance. */
function checkRunning({ def, problems, bad }: Ctx, cluster: Obj): void {
  const urls = cluster.baseUrls;
  if (!Array.isArray(urls) || urls.length < CLUSTER_MIN || urls.length > CLUSTER_MAX) {
    bad(['cluster', 'baseUrls'], `an array of ${CLUSTER_MIN} to ${CLUSTER_MAX} instance URLs such as ["http://127.0.0.1:8081", "http://127.0.0.1:8082"] (a cluster pushspec does not launch)`);
  } else {
    urls.forEach((url, i) => !isHttpUrl(url) && bad(['cluster', 'baseUrls', i], 'an http(s) URL such as "http://127.0.0.1:8081"'));
    if (typeof def.baseUrl === 'string' && typeof urls[0] === 'string' && trimmed(urls[0]) !== trimmed(def.baseUrl)) {
      problems.push(`${mismatch(['cluster', 'baseUrls', 0], urls[0], `"baseUrl" (${JSON.stringify(def.baseUrl)})`)}: the first instance is the one the single-server requirements check`);
    }
    const seen = new Set<string>();
    urls.forEach((url, i) => {
      if (typeof url !== 'string') return;
      if (seen.has(trimmed(url))) problems.push(`field "${formatPath(['cluster', 'baseUrls', i])}" repeats ${JSON.stringify(url)}; expected a different URL for every instance`);
      seen.add(trimmed(url));
    });
  }
  for (const field of ['stop', 'start'] as const) checkCommand(cluster[field], ['cluster', field], bad);
  if ((cluster.stop === undefined) !== (cluster.start === undefined)) {
    const [given, missing] = cluster.stop === undefined ? ['start', 'stop'] : ['stop', 'start'];
    problems.push(`field "cluster.${missing}" is missing; expected it beside "cluster.${given}": pushspec stops an instance only if it can start it again, so later cases have the whole cluster`);
  }
}

function checkCommand(value: unknown, path: Path, bad: Ctx['bad']): void {
  if (value === undefined) return;
  if (!isObject(value)) return bad(path, `an object such as ${COMMAND_EXAMPLE}`);
  const command = value.command;
  if (!Array.isArray(command) || command.length === 0 || command[0] === '' || command.some((a) => typeof a !== 'string')) {
    bad([...path, 'command'], `a non-empty array of strings, "{instance}" replaced by the instance's number, such as ${JSON.stringify(['docker', 'stop', 'app-{instance}'])}`);
  }
  const extra = Object.keys(value).filter((k) => k !== 'command');
  for (const key of extra) bad([...path, key], 'nothing: a command has only "command"');
}

/**
 * `{instance}` is filled only for launched instances (and the stop / start
 * commands); `{redisUrl}` and `{redisPort}` only when pushspec starts Redis.
 */
function checkClusterPlaceholders(def: Obj, cluster: Obj, problems: string[]): void {
  const launched = def.launch !== undefined;
  const redis = launched && cluster.redis === true;
  const launchedParts: Path[] = [['baseUrl'], ['launch']];
  for (const path of launchedParts) {
    for (const found of findPlaceholders(at(def, path), path, ['redisUrl', 'redisPort'])) {
      if (!redis) problems.push(`field "${formatPath(found.path)}" uses {${found.name}}, which is only filled in when pushspec starts Redis: add "cluster": {"redis": true} (with "launch")`);
    }
  }
  if (!launched) {
    for (const found of findPlaceholders(at(def, ['baseUrl']), ['baseUrl'], ['instance'])) {
      problems.push(`field "${formatPath(found.path)}" uses {instance}, which is only filled in when pushspec launches the instances; list them in "cluster.baseUrls"`);
    }
  }
}

/** Every string under `value` (at `path`) holding one of the `names` as a placeholder. */
function findPlaceholders(value: unknown, path: Path, names: readonly string[]): Array<{ path: Path; name: string }> {
  if (typeof value === 'string') return names.filter((n) => hasPlaceholder(value, n)).map((name) => ({ path, name }));
  if (Array.isArray(value)) return value.flatMap((v, i) => findPlaceholders(v, [...path, i], names));
  if (isObject(value)) return Object.entries(value).flatMap(([k, v]) => findPlaceholders(v, [...path, k], names));
  return [];
}

function trimmed(url: string): string {
  return url.replace(/\/+$/, '');
}

/**
 * Turns a validated adapter definition into the fully specified form the
 * harness works with: defaults filled in and `protocol` shorthands expanded.
 * Each technique resolves its own section (techniques/<name>/adapter.ts);
 * this file does the parts every adapter shares: name, base URL, launch and publish.
 */
import type { PublishFunction, PublishRequest, ResolvedPublish, ResolvedPublishRequest } from '../../core/publisher.ts';
import type { Protocol } from '../../core/technique.ts';
import type { TlsTrust } from '../../core/tls.ts';
import { TECHNIQUE_MODULES, type ResolvedSections } from '../../techniques/registry.ts';
import type { AdapterDefinition, ClusterCommand, LaunchSpec } from './definition.ts';

export { REFERENCE_FORMAT } from '../../techniques/polling/adapter.ts';

/** An adapter ready for the harness. Techniques the server does not declare are `undefined`. */
export interface ResolvedAdapter extends ResolvedSections {
  name: string;
  /** As declared (may still contain `{port}` until the server is launched); no trailing `/`. */
  baseUrl: string;
  /** Where the definition came from (a file path or a label), for messages. */
  source: string;
  publish: ResolvedPublish;
  launch?: LaunchSpec;
  /** Several instances of the service (docs/model.md M-11); absent for one server. */
  cluster?: ResolvedCluster;
  /** The certificates `tls.ca` names, read by the loader (adapters/contract/load.ts); `--ca` adds its own. */
  tls?: TlsTrust;
}

/** A cluster, whether pushspec launches it or it already runs. */
export interface ResolvedCluster {
  /** How many instances: `instances`, or the number of `baseUrls`. */
  size: number;
  /** pushspec starts the instances (`launch` with `instances`), so it can stop and start each. */
  launched: boolean;
  /** Start a private Redis before the instances. */
  redis: boolean;
  /** Each instance's base URL, no trailing `/`: given (`baseUrls`), or filled in once pushspec launched them. */
  baseUrls?: string[];
  /** How to stop and start instance k of a running cluster (`{instance}` in the commands); run from `cwd`. */
  stop?: ClusterCommand;
  start?: ClusterCommand;
  /** Where `stop` and `start` run: the adapter's folder (set by the loader). */
  cwd?: string;
}

/** How each protocol shorthand publishes. */
const PROTOCOL_PUBLISH: Record<Protocol, Required<PublishRequest>> = {
  'pushspec-reference': {
    method: 'POST',
    url: '/channels/{channel}/messages',
    headers: { 'content-type': 'application/json' },
    // {event:json} renders a message without an event name as `null`; the
    // reference server reads `"event": null` as "no event" (reference/message-body.ts).
    // For a server that refuses null, use `{"data":{data:json}}` and lose event names.
    body: '{"data":{data:json},"event":{event:json}}',
    idPointer: '/id',
  },
};

/**
 * Fills defaults and expands `protocol`. Fields the adapter gives explicitly win,
 * one field at a time: `{protocol: 'pushspec-reference', polling: {historyLimit: 50}}`
 * keeps every other reference polling default. Object-valued fields (`cursor`,
 * `format`, `publish.headers`, `sse.requestHeaders`, `sse.close`,
 * `websocket.subprotocols`, `websocket.allowedOrigins`) are replaced as
 * a whole, not merged, because their parts only make sense together.
 *
 * Expects a definition that passed validateAdapter; relative `launch.cwd` is left
 * as is (the loader resolves it against the adapter file's folder).
 */
export function resolveAdapter(def: AdapterDefinition, source: string): ResolvedAdapter {
  const resolved: ResolvedAdapter = {
    name: def.name,
    // Paths are appended to baseUrl, and they start with "/".
    baseUrl: def.baseUrl.replace(/\/+$/, ''),
    source,
    publish: resolvePublish(def.publish, def.protocol === undefined ? undefined : PROTOCOL_PUBLISH[def.protocol]),
  };
  const sections = resolved as unknown as Record<string, unknown>;
  for (const technique of TECHNIQUE_MODULES) {
    const implied = def.protocol === undefined ? undefined : technique.protocols[def.protocol];
    // Each module pairs its own section type with its own resolver; the registry's union cannot say so.
    const section = (technique.resolve as (given: unknown, implied: unknown) => unknown)(def[technique.key], implied);
    if (section !== undefined) sections[technique.key] = section;
  }
  if (def.launch !== undefined) {
    resolved.launch = {
      ...def.launch,
      command: [...def.launch.command],
      env: { ...def.launch.env },
      readyTimeoutMs: def.launch.readyTimeoutMs ?? 10_000,
      readyUrl: def.launch.readyUrl ?? resolved.baseUrl,
    };
  }
  if (def.cluster !== undefined) resolved.cluster = resolveCluster(def);
  return resolved;
}

function resolveCluster(def: AdapterDefinition): ResolvedCluster {
  const cluster = def.cluster!;
  const baseUrls = cluster.baseUrls?.map((url) => url.replace(/\/+$/, ''));
  return {
    size: cluster.instances ?? baseUrls?.length ?? 0,
    launched: def.launch !== undefined,
    redis: cluster.redis === true,
    ...(baseUrls !== undefined ? { baseUrls } : {}),
    ...(cluster.stop !== undefined ? { stop: { command: [...cluster.stop.command] } } : {}),
    ...(cluster.start !== undefined ? { start: { command: [...cluster.start.command] } } : {}),
  };
}

function resolvePublish(given: PublishRequest | PublishFunction | undefined, implied: Required<PublishRequest> | undefined): ResolvedPublish {
  if (typeof given === 'function') return given;
  if (given === undefined) return implied === undefined ? undefined : structuredClone(implied);
  const defined = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined));
  return { method: 'POST', ...structuredClone(implied), ...defined } as ResolvedPublishRequest;
}

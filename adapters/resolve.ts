/**
 * Turns a validated adapter definition into the fully specified form the
 * harness works with: defaults filled in and `protocol` shorthands expanded.
 */
import type {
  AdapterDefinition,
  BatchFormat,
  LaunchSpec,
  PollingSpec,
  Protocol,
  PublishFunction,
  PublishRequest,
} from './contract.ts';

/** Polling with every field the harness relies on present; the two history fields stay optional. */
export type ResolvedPolling = Required<Omit<PollingSpec, 'historyLimit' | 'gapStatus'>> &
  Pick<PollingSpec, 'historyLimit' | 'gapStatus'>;

/** A publish request with the fields the contract lets `protocol` imply filled in. */
export type ResolvedPublishRequest = PublishRequest & Required<Pick<PublishRequest, 'method' | 'url' | 'body'>>;

/** An adapter ready for the harness. Techniques the server does not declare are `undefined`. */
export interface ResolvedAdapter {
  name: string;
  /** As declared (may still contain `{port}` until the server is launched); no trailing `/`. */
  baseUrl: string;
  /** Where the definition came from (a file path or a label), for messages. */
  source: string;
  polling?: ResolvedPolling;
  publish: ResolvedPublishRequest | PublishFunction | undefined;
  launch?: LaunchSpec;
}

/** The batch shape of pushspec's reference server, also the default for any JSON poll. */
export const REFERENCE_FORMAT: BatchFormat = {
  type: 'json',
  messages: '/messages',
  cursor: '/cursor',
  id: '/id',
  data: '/data',
  event: '/event',
};

/** Polling defaults that hold whatever the protocol (no `path`: it has no sensible default). */
const POLLING_DEFAULTS: Omit<ResolvedPolling, 'path'> = {
  cursor: { in: 'query', param: 'cursor' },
  emptyStatus: 200,
  format: REFERENCE_FORMAT,
  start: 'newest',
  malformedCursor: 'not-a-cursor',
};

/** What each protocol shorthand implies, technique by technique. */
const PROTOCOL_DEFAULTS: Record<Protocol, { polling: ResolvedPolling; publish: Required<PublishRequest> }> = {
  'pushspec-reference': {
    polling: {
      ...POLLING_DEFAULTS,
      path: '/channels/{channel}/messages',
      historyLimit: 1000,
      gapStatus: 410,
    },
    publish: {
      method: 'POST',
      url: '/channels/{channel}/messages',
      headers: { 'content-type': 'application/json' },
      // {event:json} renders a message without an event name as `null`; the
      // reference server reads `"event": null` as "no event" (reference/message-body.ts).
      // For a server that refuses null, use `{"data":{data:json}}` and lose event names.
      body: '{"data":{data:json},"event":{event:json}}',
      idPointer: '/id',
    },
  },
};

/**
 * Fills defaults and expands `protocol`. Fields the adapter gives explicitly win,
 * one field at a time: `{protocol: 'pushspec-reference', polling: {historyLimit: 50}}`
 * keeps every other reference polling default. Object-valued fields (`cursor`,
 * `format`, `publish.headers`) are replaced as a whole, not merged, because their
 * parts only make sense together.
 *
 * Expects a definition that passed validateAdapter; relative `launch.cwd` is left
 * as is (the loader resolves it against the adapter file's folder).
 */
export function resolveAdapter(def: AdapterDefinition, source: string): ResolvedAdapter {
  const implied = def.protocol === undefined ? undefined : PROTOCOL_DEFAULTS[def.protocol];
  const resolved: ResolvedAdapter = {
    name: def.name,
    // Paths are appended to baseUrl, and they start with "/".
    baseUrl: def.baseUrl.replace(/\/+$/, ''),
    source,
    publish: resolvePublish(def.publish, implied?.publish),
  };
  const polling = resolvePolling(def.polling, implied?.polling);
  if (polling !== undefined) resolved.polling = polling;
  if (def.launch !== undefined) {
    resolved.launch = {
      ...def.launch,
      command: [...def.launch.command],
      env: { ...def.launch.env },
      readyTimeoutMs: def.launch.readyTimeoutMs ?? 10_000,
      readyUrl: def.launch.readyUrl ?? resolved.baseUrl,
    };
  }
  return resolved;
}

function resolvePolling(given: Partial<PollingSpec> | undefined, implied: ResolvedPolling | undefined): ResolvedPolling | undefined {
  if (given === undefined) return implied === undefined ? undefined : structuredClone(implied);
  const base = implied ?? POLLING_DEFAULTS;
  // Only defined fields override: `{historyLimit: undefined}` from a module must not erase a default.
  return structuredClone({ ...base, ...definedOnly(given) }) as ResolvedPolling;
}

function resolvePublish(
  given: PublishRequest | PublishFunction | Partial<PublishRequest> | undefined,
  implied: Required<PublishRequest> | undefined,
): ResolvedPublishRequest | PublishFunction | undefined {
  if (typeof given === 'function') return given;
  if (given === undefined) return implied === undefined ? undefined : structuredClone(implied);
  return { method: 'POST', ...structuredClone(implied), ...definedOnly(given) } as ResolvedPublishRequest;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

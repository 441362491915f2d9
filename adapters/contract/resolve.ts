/**
 * Turns a validated adapter definition into the fully specified form the
 * harness works with: defaults filled in and `protocol` shorthands expanded.
 */
import { DEFAULT_MAX_HOLD_MS } from '../../reference/held-polls.ts';
import type {
  AdapterDefinition,
  BatchFormat,
  DecodeFunction,
  LaunchSpec,
  LongPollingSpec,
  PollingSpec,
  Protocol,
  PublishFunction,
  PublishRequest,
  SseSpec,
  WebSocketSpec,
} from './definition.ts';

/** Polling with every field the harness relies on present; the two history fields stay optional. */
export type ResolvedPolling = Required<Omit<PollingSpec, 'historyLimit' | 'gapStatus'>> &
  Pick<PollingSpec, 'historyLimit' | 'gapStatus'>;

/**
 * Long-polling with every field the harness relies on present. `waitParam`
 * stays optional (without it the server holds for its own fixed `holdMs`),
 * and so does `stats` (without it the leak check is unsupported).
 */
export type ResolvedLongPolling = Required<Omit<LongPollingSpec, 'waitParam' | 'stats'>> & Pick<LongPollingSpec, 'waitParam' | 'stats'>;

/**
 * Server-Sent Events with the fields every stream has present (`path`, the
 * extra `requestHeaders`, the `dataEncoding` and whether the server `replay`s).
 * The rest stays optional: each one a server leaves undeclared makes the
 * requirements that need it unsupported.
 */
export type ResolvedSse = Required<Pick<SseSpec, 'path' | 'requestHeaders' | 'dataEncoding' | 'replay'>> &
  Omit<SseSpec, 'path' | 'requestHeaders' | 'dataEncoding' | 'replay'>;

/**
 * WebSocket endpoints with the fields that have a meaning whatever the server
 * does present (`messageFormat`, `clientPublishes`, `subprotocols`,
 * `allowedOrigins`). The rest stays optional: without `echoPath` the RFC 6455
 * protocol checks are unsupported, without `channelPath` the push checks, and
 * so on for `cursorParam`, `maxMessageBytes` and `pingIntervalMs`.
 */
export type ResolvedWebSocket = Required<Pick<WebSocketSpec, 'messageFormat' | 'clientPublishes' | 'subprotocols' | 'allowedOrigins'>> &
  Omit<WebSocketSpec, 'messageFormat' | 'clientPublishes' | 'subprotocols' | 'allowedOrigins'>;

/** The hold the harness asks for unless the adapter says otherwise. */
export const DEFAULT_HOLD_MS = 1000;

/** The longest hold of the reference server unless it is configured otherwise. */
export const REFERENCE_MAX_HOLD_MS = DEFAULT_MAX_HOLD_MS;

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
  longPolling?: ResolvedLongPolling;
  sse?: ResolvedSse;
  websocket?: ResolvedWebSocket;
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

/**
 * Long-polling defaults that hold whatever the protocol: no `path` (no
 * sensible default) and no `maxHoldMs` (without a protocol it is the resolved `holdMs`).
 */
const LONG_POLLING_DEFAULTS: Omit<ResolvedLongPolling, 'path' | 'maxHoldMs'> = {
  cursor: { in: 'query', param: 'cursor' },
  holdMs: DEFAULT_HOLD_MS,
  timeoutStatus: 200,
  format: REFERENCE_FORMAT,
  start: 'newest',
  concurrentPolls: 'independent',
  malformedCursor: 'not-a-cursor',
};

/** Event-stream defaults that hold whatever the protocol (no `path`: it has no sensible default). */
const SSE_DEFAULTS: Omit<ResolvedSse, 'path'> = {
  requestHeaders: {},
  dataEncoding: 'raw',
  replay: false,
};

/** WebSocket defaults that hold whatever the protocol: no endpoints (they have no sensible default). */
const WEBSOCKET_DEFAULTS: ResolvedWebSocket = {
  messageFormat: 'raw',
  clientPublishes: false,
  subprotocols: [],
  allowedOrigins: [],
};

/** Fields that only mean something for a server that replays after a `Last-Event-ID`. */
const REPLAY_FIELDS = ['lastEventIdParam', 'historyLimit', 'gapEvent'] as const;

/** What a protocol shorthand implies, technique by technique. */
interface ProtocolDefaults {
  polling: ResolvedPolling;
  longPolling: ResolvedLongPolling;
  sse: ResolvedSse;
  websocket: ResolvedWebSocket;
  publish: Required<PublishRequest>;
}

/** What each protocol shorthand implies. */
const PROTOCOL_DEFAULTS: Record<Protocol, ProtocolDefaults> = {
  'pushspec-reference': {
    polling: {
      ...POLLING_DEFAULTS,
      path: '/channels/{channel}/messages',
      historyLimit: 1000,
      gapStatus: 410,
    },
    // The same route as polling: `?wait=<ms>` turns a poll into a held one.
    longPolling: {
      ...LONG_POLLING_DEFAULTS,
      path: '/channels/{channel}/messages',
      waitParam: 'wait',
      maxHoldMs: REFERENCE_MAX_HOLD_MS,
      stats: { url: '/stats', heldPointer: '/held' },
    },
    // No `corsOrigin`: the reference server allows no cross-origin stream unless configured to.
    sse: {
      path: '/channels/{channel}/events',
      requestHeaders: {},
      dataEncoding: 'raw',
      replay: true,
      lastEventIdParam: 'lastEventId',
      historyLimit: 1000,
      gapEvent: 'gap',
      keepAliveMs: 15_000,
      retryMs: 3000,
      close: { method: 'DELETE', url: '/channels/{channel}' },
      slowClientLimitBytes: 4 * 1024 * 1024,
    },
    // No `allowedOrigins`: the reference server allows connections from any page unless configured otherwise.
    websocket: {
      echoPath: '/echo',
      channelPath: '/channels/{channel}/ws',
      messageFormat: 'json',
      cursorParam: 'cursor',
      clientPublishes: true,
      subprotocols: ['pushspec.v1'],
      allowedOrigins: [],
      maxMessageBytes: 1024 * 1024,
      pingIntervalMs: 30_000,
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

/** The event stream a protocol shorthand implies (a copy), for validation to compare against. */
export function protocolSse(protocol: Protocol): ResolvedSse {
  return structuredClone(PROTOCOL_DEFAULTS[protocol].sse);
}

/** The WebSocket endpoints a protocol shorthand implies (a copy), for validation to compare against. */
export function protocolWebSocket(protocol: Protocol): ResolvedWebSocket {
  return structuredClone(PROTOCOL_DEFAULTS[protocol].websocket);
}

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
  const longPolling = resolveLongPolling(def.longPolling, implied?.longPolling);
  if (longPolling !== undefined) resolved.longPolling = longPolling;
  const sse = resolveSse(def.sse, implied?.sse);
  if (sse !== undefined) resolved.sse = sse;
  const websocket = resolveWebSocket(def.websocket, implied?.websocket);
  if (websocket !== undefined) resolved.websocket = websocket;
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

function resolvePolling(given: PollingSpec | undefined, implied: ResolvedPolling | undefined): ResolvedPolling | undefined {
  if (given === undefined) return implied === undefined ? undefined : cloneSpec(implied);
  const base = implied ?? POLLING_DEFAULTS;
  // Only defined fields override: `{historyLimit: undefined}` from a module must not erase a default.
  return cloneSpec({ ...base, ...definedOnly(given) } as ResolvedPolling);
}

function resolveLongPolling(given: LongPollingSpec | undefined, implied: ResolvedLongPolling | undefined): ResolvedLongPolling | undefined {
  if (given === undefined) return implied === undefined ? undefined : cloneSpec(implied);
  const defined = definedOnly(given);
  if (implied !== undefined) return cloneSpec({ ...implied, ...defined } as ResolvedLongPolling);
  // Without a protocol the server is taken to hold for exactly what the harness asks.
  const merged = { ...LONG_POLLING_DEFAULTS, ...defined };
  return cloneSpec({ maxHoldMs: merged.holdMs, ...merged } as ResolvedLongPolling);
}

function resolveSse(given: SseSpec | undefined, implied: ResolvedSse | undefined): ResolvedSse | undefined {
  if (given === undefined) return implied === undefined ? undefined : structuredClone(implied);
  const merged = { ...(implied ?? SSE_DEFAULTS), ...definedOnly(given) } as ResolvedSse;
  // `{protocol: ..., sse: {replay: false}}` turns replay off: the protocol's
  // history, gap event and resume parameter then describe nothing the server does.
  // (Validation refuses those fields when given explicitly without replay.)
  if (!merged.replay) for (const field of REPLAY_FIELDS) delete merged[field];
  return structuredClone(merged);
}

function resolveWebSocket(given: WebSocketSpec | undefined, implied: ResolvedWebSocket | undefined): ResolvedWebSocket | undefined {
  if (given === undefined) return implied === undefined ? undefined : structuredClone(implied);
  return structuredClone({ ...(implied ?? WEBSOCKET_DEFAULTS), ...definedOnly(given) } as ResolvedWebSocket);
}

/** A deep copy, except that a decode function is kept as is (functions cannot be cloned). */
function cloneSpec<T extends { format: BatchFormat | DecodeFunction }>(spec: T): T {
  const { format, ...rest } = spec;
  return { ...structuredClone(rest), format: typeof format === 'function' ? format : structuredClone(format) } as T;
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

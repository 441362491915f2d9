/**
 * Tags that make a scenario depend on something the adapter must declare.
 * A scenario whose needs are not declared is reported as unsupported, never
 * as failed. The tag registry in features/README.md documents each one; a test
 * keeps the two in step.
 */
import type { Technique } from '../adapters/contract/definition.ts';
import type { ResolvedAdapter } from '../adapters/contract/resolve.ts';

/** Why the adapter cannot run a scenario, or undefined when it can. */
type Need = (adapter: ResolvedAdapter, technique: Technique | undefined) => string | undefined;

/** Technique tags, set on a Feature, and the adapter field that declares the technique. */
export const TECHNIQUE_TAGS: Record<string, { technique: Technique; what: string }> = {
  '@polling': { technique: 'polling', what: 'Ajax polling endpoint' },
  '@long-polling': { technique: 'longPolling', what: 'long-polling endpoint' },
  '@sse': { technique: 'sse', what: 'Server-Sent Events stream' },
  '@websocket': { technique: 'websocket', what: 'WebSocket endpoint' },
};

/** The declared format of a polling technique: text answers carry one message each. */
function carriesOneMessage(adapter: ResolvedAdapter, technique: Technique | undefined): boolean {
  const format = technique === 'longPolling' ? adapter.longPolling?.format : adapter.polling?.format;
  return format !== undefined && typeof format !== 'function' && format.type === 'text';
}

/** Capability tags, set on a Scenario: the technique must have this property. */
export const CAPABILITY_TAGS: Record<string, Need> = {
  '@cursor': (a, technique) => {
    const field = technique === 'longPolling' ? 'longPolling' : 'polling';
    return a[field]?.cursor.in === 'none' ? `the server keeps no cursor ("${field}.cursor": {"in": "none"}), so no cursor can be malformed` : undefined;
  },
  '@batching': (a, technique) =>
    carriesOneMessage(a, technique) ? 'each answer carries one message ("format": "text"), so there are no batches to check' : undefined,
  '@history-limit': (a, technique) => {
    const field = technique === 'sse' ? 'sse' : 'polling';
    return a[field]?.historyLimit === undefined ? `the adapter declares no history limit ("${field}.historyLimit"), so no cursor can be made to fall behind it` : undefined;
  },
  '@held-count': (a) =>
    a.longPolling?.stats === undefined ? 'the adapter declares no way to read how many polls the server holds ("longPolling.stats")' : undefined,
  '@replay': (a) => (a.sse?.replay === true ? undefined : 'the adapter does not declare that the server replays events after a Last-Event-ID ("sse.replay")'),
  '@resume-query': (a) => (a.sse?.lastEventIdParam === undefined ? 'the adapter declares no query parameter for a last event id ("sse.lastEventIdParam")' : undefined),
  '@keep-alive': (a) => (a.sse?.keepAliveMs === undefined ? 'the adapter declares no keep-alive interval ("sse.keepAliveMs")' : undefined),
  '@retry': (a) => (a.sse?.retryMs === undefined ? 'the adapter declares no reconnection time sent by the server ("sse.retryMs")' : undefined),
  '@stop-signal': (a) => (a.sse?.close === undefined ? 'the adapter declares no way to close a channel for good ("sse.close")' : undefined),
  '@slow-client-bound': (a) => (a.sse?.slowClientLimitBytes === undefined ? 'the adapter declares no bound on unsent data per client ("sse.slowClientLimitBytes")' : undefined),
  '@cors': (a) => (a.sse?.corsOrigin === undefined ? 'the adapter declares no allowed cross-origin origin ("sse.corsOrigin")' : undefined),
  '@echo': (a) => (a.websocket?.echoPath === undefined ? 'the adapter declares no WebSocket echo endpoint ("websocket.echoPath"), which the protocol checks talk to' : undefined),
  '@ws-channel': (a) => (a.websocket?.channelPath === undefined ? 'the adapter declares no WebSocket channel endpoint ("websocket.channelPath")' : undefined),
  '@client-publishes': (a) => (a.websocket?.clientPublishes === true ? undefined : 'the adapter does not declare that text a client sends is published ("websocket.clientPublishes")'),
  '@ws-resume': (a) =>
    a.websocket?.cursorParam !== undefined && a.websocket.messageFormat === 'json'
      ? undefined
      : 'the adapter declares no cursor to resume a WebSocket channel with ("websocket.cursorParam", with "messageFormat": "json" to read ids)',
  '@origin-allow-list': (a) => ((a.websocket?.allowedOrigins.length ?? 0) > 0 ? undefined : 'the adapter declares no Origin allow-list ("websocket.allowedOrigins")'),
  '@max-message': (a) => (a.websocket?.maxMessageBytes === undefined ? 'the adapter declares no maximum message size ("websocket.maxMessageBytes")' : undefined),
  '@ping-interval': (a) => (a.websocket?.pingIntervalMs === undefined ? 'the adapter declares no ping interval ("websocket.pingIntervalMs")' : undefined),
};

/** Level tags, one per scenario, matching the catalogue. */
export const LEVEL_TAGS = { '@must': 'MUST', '@should': 'SHOULD', '@may': 'MAY' } as const;

/** Why the adapter cannot run a scenario with these tags, or undefined when it can. */
export function unsupportedReason(adapter: ResolvedAdapter, tags: readonly string[]): string | undefined {
  const techniqueTag = tags.find((tag) => tag in TECHNIQUE_TAGS);
  const declared = techniqueTag !== undefined ? TECHNIQUE_TAGS[techniqueTag] : undefined;
  if (declared !== undefined && (adapter as Partial<Record<Technique, unknown>>)[declared.technique] === undefined) {
    return `the adapter declares no ${declared.what} ("${declared.technique}")`;
  }
  for (const tag of tags) {
    const reason = CAPABILITY_TAGS[tag]?.(adapter, declared?.technique);
    if (reason !== undefined) return reason;
  }
  return undefined;
}

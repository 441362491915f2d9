/**
 * Server-Sent Events' section of an adapter once resolved: its defaults, what
 * the `pushspec-reference` protocol implies, and the capability tags its
 * scenarios carry (each optional field switches on the requirement that needs it).
 */
import type { Protocol } from '../../core/technique.ts';
import type { SseSpec } from './contract.ts';
import { LARGE_SAMPLE_BYTES } from '../../core/data-samples.ts';

/**
 * Server-Sent Events with the fields every stream has present (`path`, the
 * extra `requestHeaders`, the `dataEncoding` and whether the server `replay`s).
 * The rest stays optional: each one a server leaves undeclared makes the
 * requirements that need it unsupported.
 */
export type ResolvedSse = Required<Pick<SseSpec, 'path' | 'requestHeaders' | 'replay'>> &
  Omit<SseSpec, 'path' | 'requestHeaders' | 'dataEncoding' | 'replay'> & {
    /**
     * How an event's data carries the message: as declared, or `decoder` when
     * the adapter's `decode` function turns events into messages (it replaces
     * `dataEncoding`, so the declared one no longer says anything).
     */
    dataEncoding: NonNullable<SseSpec['dataEncoding']> | 'decoder';
  };

/** Event-stream defaults that hold whatever the protocol (no `path`: it has no sensible default). */
const SSE_DEFAULTS: Omit<ResolvedSse, 'path'> = {
  requestHeaders: {},
  dataEncoding: 'raw',
  replay: false,
};

/** Fields that only mean something for a server that replays after a `Last-Event-ID`. */
const REPLAY_FIELDS = ['lastEventIdParam', 'historyLimit', 'gapEvent'] as const;

/** What each protocol shorthand implies for Server-Sent Events. */
export const SSE_PROTOCOLS: Record<Protocol, ResolvedSse> = {
  // No `corsOrigin`: the reference server allows no cross-origin stream unless configured to.
  'pushspec-reference': {
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
    stats: { url: '/stats', streamsPointer: '/streams' },
  },
};

export function resolveSse(given: SseSpec | undefined, implied: ResolvedSse | undefined): ResolvedSse | undefined {
  if (given === undefined) return implied === undefined ? undefined : structuredClone(implied);
  const defined = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined));
  const merged = { ...(implied ?? SSE_DEFAULTS), ...defined } as ResolvedSse;
  // `{protocol: ..., sse: {replay: false}}` turns replay off: the protocol's
  // history, gap event and resume parameter then describe nothing the server does.
  // (Validation refuses those fields when given explicitly without replay.)
  if (!merged.replay) for (const field of REPLAY_FIELDS) delete merged[field];
  // A session function and a decoder are code: kept as they are, the rest copied.
  const { session, decode, ...data } = merged;
  return { ...structuredClone(data), ...(session ? { session } : {}), ...(decode ? { decode, dataEncoding: 'decoder' } : {}) };
}

/** Each capability tag of an SSE scenario, and the field whose absence makes it unsupported. */
export const SSE_CAPABILITIES = {
  '@replay': (s: ResolvedSse) => (s.replay ? undefined : 'the adapter does not declare that the server replays events after a Last-Event-ID ("sse.replay")'),
  '@resume-query': (s: ResolvedSse) => (s.lastEventIdParam === undefined ? 'the adapter declares no query parameter for a last event id ("sse.lastEventIdParam")' : undefined),
  '@history-limit': (s: ResolvedSse) =>
    s.historyLimit === undefined ? 'the adapter declares no history limit ("sse.historyLimit"), so no cursor can be made to fall behind it' : undefined,
  '@keep-alive': (s: ResolvedSse) => (s.keepAliveMs === undefined ? 'the adapter declares no keep-alive interval ("sse.keepAliveMs")' : undefined),
  '@retry': (s: ResolvedSse) => (s.retryMs === undefined ? 'the adapter declares no reconnection time sent by the server ("sse.retryMs")' : undefined),
  '@stop-signal': (s: ResolvedSse) => (s.close === undefined ? 'the adapter declares no way to close a channel for good ("sse.close")' : undefined),
  '@slow-client-bound': (s: ResolvedSse) =>
    s.slowClientLimitBytes === undefined ? 'the adapter declares no bound on unsent data per client ("sse.slowClientLimitBytes")' : undefined,
  '@http2': (s: ResolvedSse) => (s.http2 === true ? undefined : 'the adapter does not declare that the server speaks HTTP/2 ("sse.http2")'),
  '@sse-stats': (s: ResolvedSse) => (s.stats === undefined ? 'the adapter declares no way to read how many event streams the server holds ("sse.stats")' : undefined),
  '@cors': (s: ResolvedSse) => (s.corsOrigin === undefined ? 'the adapter declares no allowed cross-origin origin ("sse.corsOrigin")' : undefined),
  // A server that drops a client with more unsent bytes than its bound cannot send one event bigger than the bound.
  '@large-message': (s: ResolvedSse) =>
    s.slowClientLimitBytes !== undefined && s.slowClientLimitBytes < LARGE_SAMPLE_BYTES
      ? `the adapter declares that the server drops a client with more than ${s.slowClientLimitBytes} unsent bytes ("sse.slowClientLimitBytes"), fewer than the ${LARGE_SAMPLE_BYTES}-byte message`
      : undefined,
};

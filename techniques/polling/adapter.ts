/**
 * Ajax polling's section of an adapter once resolved: the defaults every
 * server gets, what the `pushspec-reference` protocol implies, and the
 * capability tags its scenarios carry. Long-polling reuses the shared parts.
 */
import type { Protocol } from '../../core/technique.ts';
import type { BatchFormat, DecodeFunction, PollingSpec } from './contract.ts';

/** Polling with every field the harness relies on present; the two history fields stay optional. */
export type ResolvedPolling = Required<Omit<PollingSpec, 'historyLimit' | 'gapStatus' | 'session' | 'http2'>> & Pick<PollingSpec, 'historyLimit' | 'gapStatus' | 'session' | 'http2'>;

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
export const POLLING_DEFAULTS: Omit<ResolvedPolling, 'path'> = {
  cursor: { in: 'query', param: 'cursor' },
  method: 'GET',
  emptyStatus: 200,
  format: REFERENCE_FORMAT,
  start: 'newest',
  malformedCursor: 'not-a-cursor',
};

/** What each protocol shorthand implies for Ajax polling. */
export const POLLING_PROTOCOLS: Record<Protocol, ResolvedPolling> = {
  'pushspec-reference': {
    ...POLLING_DEFAULTS,
    path: '/channels/{channel}/messages',
    historyLimit: 1000,
    gapStatus: 410,
  },
};

export function resolvePolling(given: PollingSpec | undefined, implied: ResolvedPolling | undefined): ResolvedPolling | undefined {
  if (given === undefined) return implied === undefined ? undefined : cloneSpec(implied);
  // Only defined fields override: `{historyLimit: undefined}` from a module must not erase a default.
  return cloneSpec({ ...(implied ?? POLLING_DEFAULTS), ...definedOnly(given) } as ResolvedPolling);
}

/** A deep copy, except that functions (a decoder, a session opener) are kept as they are: they cannot be cloned. */
export function cloneSpec<T extends object>(spec: T): T {
  const entries = Object.entries(spec).map(([name, value]) => [name, typeof value === 'function' ? value : structuredClone(value)]);
  return Object.fromEntries(entries) as T;
}

/** The fields of `value` that are not `undefined`. */
export function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The declared format of a polling technique: text answers carry one message each. */
export function carriesOneMessage(format: BatchFormat | DecodeFunction): boolean {
  return typeof format !== 'function' && format.type === 'text';
}

/** The capability tags both poll techniques share. */
export function pollCapabilities(section: 'polling' | 'longPolling') {
  return {
    '@cursor': (spec: { cursor: { in: string } }) =>
      spec.cursor.in === 'none' ? `the server keeps no cursor ("${section}.cursor": {"in": "none"}), so no cursor can be malformed, nor carried to another instance` : undefined,
    '@batching': (spec: { format: BatchFormat | DecodeFunction }) =>
      carriesOneMessage(spec.format) ? 'each answer carries one message ("format": "text"), so there are no batches to check' : undefined,
    '@empty-message': (spec: { format: BatchFormat | DecodeFunction; emptyStatus?: number; timeoutStatus?: number }) =>
      carriesOneMessage(spec.format) && (spec.emptyStatus ?? spec.timeoutStatus) === 200
        ? `an answer is one message's text ("format": "text") and nothing new is an empty 200, so an empty message cannot be told from no message`
        : undefined,
    '@http2': (spec: { http2?: boolean }) => (spec.http2 === true ? undefined : `the adapter does not declare that the server speaks HTTP/2 ("${section}.http2")`),
  };
}

export const POLLING_CAPABILITIES = {
  ...pollCapabilities('polling'),
  '@history-limit': (spec: ResolvedPolling) =>
    spec.historyLimit === undefined ? 'the adapter declares no history limit ("polling.historyLimit"), so no cursor can be made to fall behind it' : undefined,
};

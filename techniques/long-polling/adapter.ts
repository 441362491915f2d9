/**
 * Long-polling's section of an adapter once resolved: its defaults, what the
 * `pushspec-reference` protocol implies, and the capability tags its
 * scenarios carry.
 */
import type { Protocol } from '../../core/technique.ts';
import { cloneSpec, definedOnly, pollCapabilities, REFERENCE_FORMAT } from '../polling/adapter.ts';
import type { LongPollingSpec } from './contract.ts';

/**
 * Long-polling with every field the harness relies on present. `waitParam`
 * stays optional (without it the server holds for its own fixed `holdMs`),
 * and so does `stats` (without it the leak check is unsupported).
 */
export type ResolvedLongPolling = Required<Omit<LongPollingSpec, 'waitParam' | 'stats' | 'session' | 'http2'>> & Pick<LongPollingSpec, 'waitParam' | 'stats' | 'session' | 'http2'>;

/** The hold the harness asks for unless the adapter says otherwise. */
export const DEFAULT_HOLD_MS = 1000;

/**
 * The longest hold of the reference server unless it is started otherwise
 * (`pushspec serve --max-hold`). The reference's own default lives in
 * reference/held-polls.ts, which the contract does not import; a test keeps the two equal.
 */
export const REFERENCE_MAX_HOLD_MS = 25_000;

/**
 * Long-polling defaults that hold whatever the protocol: no `path` (no
 * sensible default) and no `maxHoldMs` (without a protocol it is the resolved `holdMs`).
 */
const LONG_POLLING_DEFAULTS: Omit<ResolvedLongPolling, 'path' | 'maxHoldMs'> = {
  cursor: { in: 'query', param: 'cursor' },
  method: 'GET',
  holdMs: DEFAULT_HOLD_MS,
  timeoutStatus: 200,
  format: REFERENCE_FORMAT,
  start: 'newest',
  concurrentPolls: 'independent',
  malformedCursor: 'not-a-cursor',
};

/** What each protocol shorthand implies for long-polling. */
export const LONG_POLLING_PROTOCOLS: Record<Protocol, ResolvedLongPolling> = {
  // The same route as polling: `?wait=<ms>` turns a poll into a held one.
  'pushspec-reference': {
    ...LONG_POLLING_DEFAULTS,
    path: '/channels/{channel}/messages',
    waitParam: 'wait',
    maxHoldMs: REFERENCE_MAX_HOLD_MS,
    stats: { url: '/stats', heldPointer: '/held' },
  },
};

export function resolveLongPolling(given: LongPollingSpec | undefined, implied: ResolvedLongPolling | undefined): ResolvedLongPolling | undefined {
  if (given === undefined) return implied === undefined ? undefined : cloneSpec(implied);
  const defined = definedOnly(given);
  if (implied !== undefined) return cloneSpec({ ...implied, ...defined } as ResolvedLongPolling);
  // Without a protocol the server is taken to hold for exactly what the harness asks.
  const merged = { ...LONG_POLLING_DEFAULTS, ...defined };
  return cloneSpec({ maxHoldMs: merged.holdMs, ...merged } as ResolvedLongPolling);
}

export const LONG_POLLING_CAPABILITIES = {
  ...pollCapabilities('longPolling'),
  '@held-count': (spec: ResolvedLongPolling) =>
    spec.stats === undefined ? 'the adapter declares no way to read how many polls the server holds ("longPolling.stats")' : undefined,
};

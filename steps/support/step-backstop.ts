/**
 * How long one step may take against a server before pushspec calls it a
 * harness bug: 60 s plus four times the longest time the adapter declares
 * (a hold, a keep-alive or ping interval, a reconnection time). Used by the
 * wrapper in steps/step-deadline.ts.
 */
import type { ResolvedAdapter } from '../../adapters/contract/resolve.ts';

/** The backstop when the adapter declares no long time, or is not loaded yet. */
export const BASE_BACKSTOP_MS = 60_000;

/** The longest time the adapter declares for anything a step waits out. */
export function longestDeclaredMs(adapter: ResolvedAdapter | undefined): number {
  const times = [
    adapter?.longPolling?.holdMs,
    adapter?.longPolling?.maxHoldMs,
    adapter?.sse?.keepAliveMs,
    adapter?.sse?.retryMs,
    adapter?.websocket?.pingIntervalMs,
  ];
  return Math.max(0, ...times.filter((t): t is number => typeof t === 'number' && Number.isFinite(t)));
}

/** The backstop for one step against this adapter. */
export function backstopMs(adapter: ResolvedAdapter | undefined): number {
  return BASE_BACKSTOP_MS + 4 * longestDeclaredMs(adapter);
}


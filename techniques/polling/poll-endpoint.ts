/**
 * What a polling client needs to know about an endpoint, whichever technique
 * it serves: Ajax polling answers at once, long-polling holds. Both read and
 * send cursors the same way, so one client speaks both.
 */
import type { BatchFormat, CursorTransport, DecodeFunction } from '../../adapters/contract/definition.ts';
import type { ResolvedAdapter } from '../../adapters/contract/resolve.ts';

export interface PollEndpoint {
  /** Path (or absolute URL) with `{channel}`. */
  path: string;
  cursor: CursorTransport;
  format: BatchFormat | DecodeFunction;
  /** The status that means "nothing new"; 200 means an empty batch. */
  emptyStatus: number;
  /** Query parameter carrying the requested hold time (long-polling). */
  waitParam?: string;
  /** Long-polls are expected to be held; their transcript lines say how long and what ended them. */
  held: boolean;
}

export function pollingEndpoint(adapter: ResolvedAdapter): PollEndpoint {
  const spec = adapter.polling;
  if (spec === undefined) throw new Error(`adapter "${adapter.name}" declares no polling endpoint`);
  return { path: spec.path, cursor: spec.cursor, format: spec.format, emptyStatus: spec.emptyStatus, held: false };
}

export function longPollingEndpoint(adapter: ResolvedAdapter): PollEndpoint {
  const spec = adapter.longPolling;
  if (spec === undefined) throw new Error(`adapter "${adapter.name}" declares no long-polling endpoint`);
  return {
    path: spec.path,
    cursor: spec.cursor,
    format: spec.format,
    emptyStatus: spec.timeoutStatus,
    ...(spec.waitParam !== undefined ? { waitParam: spec.waitParam } : {}),
    held: true,
  };
}

/**
 * What a polling client needs to know about an endpoint, whichever technique
 * it serves: Ajax polling answers at once, long-polling holds. Both read and
 * send cursors the same way, so one client speaks both.
 */
import type { ResolvedPolling } from './adapter.ts';
import type { BatchFormat, CursorTransport, DecodeFunction } from './contract.ts';

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

/** The endpoint an Ajax polling section describes: answered at once, never held. */
export function pollingEndpoint(spec: ResolvedPolling): PollEndpoint {
  return { path: spec.path, cursor: spec.cursor, format: spec.format, emptyStatus: spec.emptyStatus, held: false };
}

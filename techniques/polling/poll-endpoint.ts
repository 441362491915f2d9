/**
 * What a polling client needs to know about an endpoint, whichever technique
 * it serves: Ajax polling answers at once, long-polling holds. Both read and
 * send cursors the same way, so one client speaks both.
 */
import { declaredVersion, type HttpVersion } from '../../core/http-version.ts';
import type { ResolvedPolling } from './adapter.ts';
import type { BatchFormat, CursorTransport, DecodeFunction, SessionFunction } from './contract.ts';

export interface PollEndpoint {
  /** Path (or absolute URL) with `{channel}`, and the session's values (`{session}`) when there is a session. */
  path: string;
  method: 'GET' | 'POST';
  /** Opens each client's session before its first poll. */
  session?: SessionFunction;
  cursor: CursorTransport;
  format: BatchFormat | DecodeFunction;
  /** The status that means "nothing new"; 200 means an empty batch. */
  emptyStatus: number;
  /** Query parameter carrying the requested hold time (long-polling). */
  waitParam?: string;
  /** Long-polls are expected to be held; their transcript lines say how long and what ended them. */
  held: boolean;
  /** What the clients speak: HTTP/2 where the section declares `http2` (core/http-version.ts). */
  version: HttpVersion;
}

/** The endpoint an Ajax polling section describes: answered at once, never held. */
export function pollingEndpoint(spec: ResolvedPolling): PollEndpoint {
  return { path: spec.path, method: spec.method, ...(spec.session ? { session: spec.session } : {}), cursor: spec.cursor, format: spec.format, emptyStatus: spec.emptyStatus, held: false, version: declaredVersion(spec) };
}

/**
 * What a client under test tells pushspec, one JSON object per line on its
 * standard output: what its application would see (protocol
 * `pushspec-client/1`). The vocabulary is small on purpose, so the glue
 * around a client in any language is a few dozen lines:
 *
 * - `{"type":"open"}`: the connection opened (EventSource `open`, WebSocket `open`, a first answer);
 * - `{"type":"message","data":"…","event":"…","lastEventId":"…"}`: a message the application got
 *   (`event` and `lastEventId` for EventSource; `"binary":true` with base64 `data` for a WebSocket binary message);
 * - `{"type":"error","message":"…","readyState":0|2}`: an error (EventSource: `readyState` after it, 0 reconnecting, 2 closed for good);
 * - `{"type":"close","code":1000,"reason":"…","wasClean":true}`: the connection closed (WebSocket).
 *
 * Anything else on a line is kept as a protocol problem of the glue, never a verdict on the client.
 */

/** The protocol this vocabulary belongs to, as a client adapter declares it. */
export const CLIENT_PROTOCOL = 'pushspec-client/1';

export type ClientReport =
  | { type: 'open'; atMs: number }
  | { type: 'message'; atMs: number; data: string; event?: string; lastEventId?: string; binary?: boolean }
  | { type: 'error'; atMs: number; message?: string; readyState?: number }
  | { type: 'close'; atMs: number; code?: number; reason?: string; wasClean?: boolean };

/** A message report: what the application received. */
export type ClientMessage = Extract<ClientReport, { type: 'message' }>;

/** A line that is not a report of the vocabulary: the glue's problem, shown in the evidence. */
export interface GlueProblem {
  atMs: number;
  line: string;
  problem: string;
}

const str = (v: unknown): v is string => typeof v === 'string';

/** Reads one line of the client's output: a report, or why it is none. */
export function parseReport(line: string, atMs: number): ClientReport | GlueProblem {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { atMs, line, problem: 'not JSON' };
  }
  const v = value as Record<string, unknown> | null;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return { atMs, line, problem: 'not a JSON object' };
  switch (v.type) {
    case 'open':
      return { type: 'open', atMs };
    case 'message': {
      if (!str(v.data)) return { atMs, line, problem: 'a message needs "data", a string' };
      return {
        type: 'message',
        atMs,
        data: v.data,
        ...(str(v.event) ? { event: v.event } : {}),
        ...(str(v.lastEventId) ? { lastEventId: v.lastEventId } : {}),
        ...(v.binary === true ? { binary: true } : {}),
      };
    }
    case 'error':
      return { type: 'error', atMs, ...(str(v.message) ? { message: v.message } : {}), ...(typeof v.readyState === 'number' ? { readyState: v.readyState } : {}) };
    case 'close':
      return {
        type: 'close',
        atMs,
        ...(typeof v.code === 'number' ? { code: v.code } : {}),
        ...(str(v.reason) ? { reason: v.reason } : {}),
        ...(typeof v.wasClean === 'boolean' ? { wasClean: v.wasClean } : {}),
      };
    default:
      return { atMs, line, problem: `unknown "type": ${JSON.stringify(v.type)} (open, message, error or close)` };
  }
}

/** Whether a parsed line is a report. */
export function isReport(x: ClientReport | GlueProblem): x is ClientReport {
  return 'type' in x;
}

/**
 * Small builders the case files share, so each case reads as Autobahn's does:
 * what is sent, what comes back, how the connection ends.
 */
import type { AutobahnCase, CloseExpectation, ExpectedEvent } from './model.ts';

/** Autobahn's `closeAfter`/`killAfter` for positive cases: the client closes with 1000 and wants it clean. */
export const CLEAN_CLOSE: CloseExpectation = { closedByClient: true, codes: [1000], requireClean: true };

/** The server must fail the connection, with one of `codes` if it sends a code; dropping TCP is accepted. */
export function serverFails(codes: number[], extra: Partial<CloseExpectation> = {}): CloseExpectation {
  return { closedByClient: false, codes, requireClean: false, ...extra };
}

/** The echo of a message. */
export function echoOf(type: 'text' | 'binary', data: Buffer | string): ExpectedEvent {
  return { kind: 'message', type, data: typeof data === 'string' ? Buffer.from(data) : data };
}

/** A pong carrying `payload`. */
export function pongOf(payload: Buffer | string): ExpectedEvent {
  return { kind: 'pong', payload: typeof payload === 'string' ? Buffer.from(payload) : payload };
}

/** `length` bytes of `pattern` repeated (Autobahn's `payload_len`). */
export function repeated(pattern: string | Buffer, length: number): Buffer {
  const unit = typeof pattern === 'string' ? Buffer.from(pattern) : pattern;
  const out = Buffer.alloc(length);
  for (let at = 0; at < length; at += unit.length) unit.copy(out, at, 0, Math.min(unit.length, length - at));
  return out;
}

/** Checks a case file's ids are unique and returns its cases (a typo shows at load, not as a missing row). */
export function caseList(cases: AutobahnCase[]): AutobahnCase[] {
  const seen = new Set<string>();
  for (const c of cases) {
    if (seen.has(c.id)) throw new Error(`case ${c.id} is defined twice`);
    seen.add(c.id);
  }
  return cases;
}

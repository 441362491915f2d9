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
  if (length === 0 || unit.length === 0) return out;
  // Doubling what is written so far: 16 MiB of a 10-byte pattern in 21 copies, not 1.7 million.
  let filled = unit.copy(out, 0, 0, Math.min(unit.length, length));
  while (filled < length) filled += out.copy(out, filled, 0, Math.min(filled, length - filled));
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

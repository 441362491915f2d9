/**
 * The frame-level cases of Autobahn|Testsuite played over HTTP/2 (RFC 8441):
 * each on a stream of its own connection, opened by an extended CONNECT, the
 * same script and the same judge as over TCP. Categories 1–7 and 10; 9's
 * sizes and 12/13's compression stay with HTTP/1.1 (their time goes to
 * throughput, and no extension is negotiated over the extended CONNECT here).
 */
import { CASES } from './catalogue.ts';
import type { AutobahnCase } from './model.ts';
import { playCase, type CaseTarget, type PlayedCase } from './play.ts';

/** The cases played over HTTP/2: Autobahn's own ids in categories 1–7 and 10. */
export const OVER_HTTP2_CASES: readonly AutobahnCase[] = CASES.filter((c) => /^(1|2|3|4|5|6|7|10)\./.test(c.id));

/** Cases in flight at once: each has its own connection, and most wait on the server's reaction, not the CPU. */
const AT_ONCE = 8;

/** Plays every case of {@link OVER_HTTP2_CASES} over HTTP/2, at most {@link AT_ONCE} at a time; results in case order. */
export async function playOverHttp2(target: Omit<CaseTarget, 'http2'>): Promise<Array<PlayedCase & { c: AutobahnCase }>> {
  const results: Array<PlayedCase & { c: AutobahnCase }> = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < OVER_HTTP2_CASES.length; i = next++) {
      const c = OVER_HTTP2_CASES[i]!;
      results[i] = { c, ...(await playCase(c, { ...target, http2: true })) };
    }
  };
  await Promise.all(Array.from({ length: AT_ONCE }, worker));
  return results;
}

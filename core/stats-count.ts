/**
 * Reads one count from a server's stats page, where the adapter says it can
 * be read: how many polls it holds (`longPolling.stats`), how many event
 * streams (`sse.stats`). A harness probe: not part of any requirement's transcript.
 */
import { request, type Dispatcher } from 'undici';
import { ConformanceFailure } from './failure.ts';
import { describeError, httpRequestFailed, readCapped } from './http.ts';
import { readJsonPointer } from './placeholders.ts';

/** How long the stats page may take to answer. */
const STATS_DEADLINE_MS = 2000;
/** A stats page is a few lines: more than this is not one, and is not read further. */
const STATS_MAX_BYTES = 1024 * 1024;

/** Where a count is read: a JSON Pointer into a JSON page, or a pattern whose first group is the count in a text one. */
export interface StatsCountSpec {
  url: string;
  pointer?: string;
  pattern?: string;
}

/**
 * The count, or a thrown {@link ConformanceFailure} saying why it could
 * not be read (no answer, a broken connection, a body past the stats cap, no number).
 * `dispatcher`: the scenario's own agent, which trusts the adapter's CA.
 * `what`: the count and the field that declares it, for the Expected text
 * (`held-poll count`, `longPolling.stats`).
 */
export async function readStatsCount(
  baseUrl: string,
  stats: StatsCountSpec,
  dispatcher: Dispatcher,
  what: { count: string; field: string },
): Promise<number> {
  const url = new URL(stats.url, baseUrl);
  const expected = `the ${what.count} at GET ${url.pathname} (${what.field})`;
  let statusCode: number;
  let text: string;
  try {
    const response = await request(url, { dispatcher, signal: AbortSignal.timeout(STATS_DEADLINE_MS) });
    statusCode = response.statusCode;
    const read = await readCapped(response.body, STATS_MAX_BYTES);
    if (!Buffer.isBuffer(read)) throw httpRequestFailed(expected, `a body of more than ${read.cap} bytes; pushspec stopped reading (${read.shared ? 'the budget all reads share' : 'its cap on a stats page'})`);
    text = read.toString('utf8');
  } catch (error) {
    if (error instanceof ConformanceFailure) throw error;
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    throw httpRequestFailed(expected, timedOut ? `no complete answer within ${STATS_DEADLINE_MS} ms` : `the request failed (${describeError(error)})`);
  }
  if (statusCode !== 200) throw httpRequestFailed(expected, `${url.pathname} answered ${statusCode}`);
  if (stats.pattern !== undefined) {
    // A plain-text status page (Nchan's nchan_stub_status): the pattern's first group is the count.
    const match = new RegExp(stats.pattern, 'm').exec(text);
    const count = match?.[1] !== undefined ? Number(match[1]) : Number.NaN;
    if (!Number.isFinite(count)) throw httpRequestFailed(expected, `${url.pathname} has no number matching /${stats.pattern}/m`);
    return count;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw httpRequestFailed(expected, `${url.pathname} is not JSON`);
  }
  const count = readJsonPointer(parsed, stats.pointer ?? '');
  if (typeof count !== 'number') throw httpRequestFailed(expected, `${url.pathname} has no number at "${stats.pointer}"`);
  return count;
}

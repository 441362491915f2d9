/**
 * Reads how many polls the server holds right now, where the adapter says
 * it can be read (`longPolling.stats`). A harness probe: not part of any
 * requirement's transcript.
 */
import { request } from 'undici';
import type { StatsSpec } from './contract.ts';
import { readJsonPointer } from '../../core/placeholders.ts';
import { readCapped } from '../../core/http.ts';

/** A status page is small; one that goes on past this is not one (and must not fill pushspec's memory). */
const MAX_STATS_BYTES = 1024 * 1024;

/** The held count, or a thrown Error saying why it could not be read. */
export async function readHeldCount(baseUrl: string, stats: StatsSpec): Promise<number> {
  const url = new URL(stats.url, baseUrl);
  const response = await request(url, { signal: AbortSignal.timeout(2000) });
  const bytes = await readCapped(response.body, MAX_STATS_BYTES);
  if (bytes === undefined) throw new Error(`${url.pathname} answered with more than ${MAX_STATS_BYTES} bytes`);
  const text = bytes.toString('utf8');
  if (response.statusCode !== 200) throw new Error(`${url.pathname} answered ${response.statusCode}`);
  if (stats.heldPattern !== undefined) {
    // A plain-text status page (Nchan's nchan_stub_status): the pattern's first group is the count.
    const match = new RegExp(stats.heldPattern, 'm').exec(text);
    const held = match?.[1] !== undefined ? Number(match[1]) : Number.NaN;
    if (!Number.isFinite(held)) throw new Error(`${url.pathname} has no number matching /${stats.heldPattern}/m`);
    return held;
  }
  const held = readJsonPointer(JSON.parse(text), stats.heldPointer ?? '');
  if (typeof held !== 'number') throw new Error(`${url.pathname} has no number at "${stats.heldPointer}"`);
  return held;
}

/**
 * Reads how many polls the server holds right now, where the adapter says
 * it can be read (`longPolling.stats`). A harness probe: not part of any
 * requirement's transcript.
 */
import type { Dispatcher } from 'undici';
import { readStatsCount } from '../../core/stats-count.ts';
import type { StatsSpec } from './contract.ts';

/**
 * The held count, or a thrown ConformanceFailure saying why it could
 * not be read (no answer, a broken connection, a body past the stats cap, no number).
 * `dispatcher`: the scenario's own agent, which trusts the adapter's CA.
 */
export function readHeldCount(baseUrl: string, stats: StatsSpec, dispatcher: Dispatcher): Promise<number> {
  const where = { url: stats.url, ...(stats.heldPointer !== undefined ? { pointer: stats.heldPointer } : {}), ...(stats.heldPattern !== undefined ? { pattern: stats.heldPattern } : {}) };
  return readStatsCount(baseUrl, where, dispatcher, { count: 'held-poll count', field: 'longPolling.stats' });
}

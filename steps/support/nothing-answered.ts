/**
 * Whether a failed case failed for want of an answer (a refused or reset
 * connection, a request that got no response, a deadline that passed), the
 * kind of failure a dead server causes. Only then is the server probed
 * (core/server-probe.ts); a server that answered, even wrongly, is alive.
 * Kept apart from the hooks so it can be tested without cucumber.
 */
import type { Evidence } from '../../core/evidence.ts';

/** Words of the failures nothing answering causes: node's and undici's errors, and pushspec's missed deadlines. */
const NO_ANSWER = /ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|socket hang up|other side closed|closed the connection|connection (?:was )?(?:closed|reset|refused)|no (?:answer|response)|did not answer|nothing answer|UND_ERR|TimeoutError|aborted due to timeout|within \d+ ms/i;

/** True when the evidence or the failure's message shows something that was not answered. */
export function nothingAnswered(evidence: Evidence, message: string | undefined): boolean {
  if (evidence.exchanges.some((exchange) => exchange.error !== undefined && exchange.status === undefined)) return true;
  return [evidence.expected, evidence.actual, message].some((text) => text !== undefined && NO_ANSWER.test(text));
}

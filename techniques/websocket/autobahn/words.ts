/**
 * A case's expected outcome in a few words, as its Examples row says it
 * (`the echo, then a clean close`). The row's words are checked against the
 * case's data, so a feature can never claim what the case does not check.
 */
import type { AutobahnCase, ExpectedEvent } from './model.ts';

function short(e: ExpectedEvent): string {
  if (e.kind === 'timeout') return `pause ${e.tag}`;
  if (e.kind === 'pong') return 'a pong';
  return 'the echo';
}

function list(events: readonly ExpectedEvent[]): string {
  if (events.length === 0) return 'nothing back';
  // Compressed echo (12.x, 13.x): as many as the run sends (PUSHSPEC_DEFLATE_MESSAGES), so the row does not count them.
  if (events.every((e) => e.kind === 'message' && e.sha1 !== undefined)) return 'every echo with the SHA-1 sent';
  const words = events.map(short);
  // "the echo, the echo, …" reads better counted: "1000 echoes".
  if (words.every((w) => w === 'the echo')) return events.length === 1 ? 'the echo' : `${events.length} echoes`;
  if (words.every((w) => w === 'a pong')) return events.length === 1 ? 'a pong' : `${events.length} pongs`;
  return words.join(', ');
}

/** The outcome in words: `the echo, then a clean close`; `fails the connection (1002)`. */
export function outcomeWords(c: AutobahnCase): string {
  if (c.informational === true) return 'anything (recorded, informational)';
  const ok = c.expected.ok.map(list).join(' or ');
  const tolerated = c.expected.nonStrict === undefined ? '' : ` (${c.expected.nonStrict.map(list).join(' or ')}: non-strict)`;
  const codes = c.close.codes.join(' or ');
  if (c.close.closedByClient) return c.close.requireClean ? `${ok}${tolerated}, then a clean close (${codes})` : `${ok}${tolerated}, then the server closes (${codes}, or drops TCP)`;
  const first = ok === 'nothing back' ? '' : `${ok}${tolerated}, then `;
  return `${first}the server fails the connection (${codes})`;
}

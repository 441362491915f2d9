/**
 * Compares what a client received with what was published, and says in one
 * line what went wrong: missing, duplicated, out of order, or unexpected.
 */
import { expectThat } from './failure.ts';

/** Shows at most `max` items of a list (data: quoted, a long one by its head and tail), then how many more. */
export function listSome(items: readonly string[], max = 5): string {
  if (items.length === 0) return 'none';
  const shown = items.slice(0, max).map(shorten);
  return items.length > max ? `${shown.join(', ')} and ${items.length - max} more` : shown.join(', ');
}

/** Empty when `received` is exactly `expected`; otherwise a sentence per kind of difference. */
export function describeSequenceDifference(expected: readonly string[], received: readonly string[]): string {
  const wanted = new Set(expected);
  const counts = new Map<string, number>();
  for (const item of received) counts.set(item, (counts.get(item) ?? 0) + 1);
  const missing = expected.filter((item) => !counts.has(item));
  const duplicated = [...counts].filter(([, n]) => n > 1).map(([item, n]) => `${item} ×${n}`);
  const unexpected = [...counts.keys()].filter((item) => !wanted.has(item));
  const problems: string[] = [];
  if (missing.length > 0) problems.push(`missing ${missing.length}: ${listSome(missing)}`);
  if (duplicated.length > 0) problems.push(`duplicated ${duplicated.length}: ${listSome(duplicated)}`);
  if (unexpected.length > 0) problems.push(`not expected ${unexpected.length}: ${listSome(unexpected)}`);
  if (problems.length === 0) {
    const position = expected.findIndex((item, index) => received[index] !== item);
    if (position >= 0) {
      problems.push(`out of publish order from position ${position + 1}: got ${listSome(received.slice(position, position + 3), 3)} where ${listSome(expected.slice(position, position + 3), 3)} was published`);
    }
  }
  return problems.join('; ');
}

/**
 * Shows at most `max` findings whole (sentences pushspec wrote, which a cut
 * would rob of their point), separated by "; ", then how many more.
 */
export function listFindings(findings: readonly string[], max = 3): string {
  if (findings.length === 0) return 'none';
  const shown = findings.slice(0, max).join('; ');
  return findings.length > max ? `${shown}; and ${findings.length - max} more` : shown;
}

/** Items longer than this are shown by their head and tail. */
const SHOWN_CHARACTERS = 40;

/**
 * One item, quoted; a long one keeps its head and its tail (where two long
 * items that share a prefix differ, e.g. a marker at the end) with its length,
 * cut on code points so no surrogate pair is split.
 */
function shorten(item: string): string {
  const chars = Array.from(item);
  if (chars.length <= SHOWN_CHARACTERS) return JSON.stringify(item);
  const head = chars.slice(0, 24).join('');
  const tail = chars.slice(-16).join('');
  return `${JSON.stringify(head).slice(0, -1)}…${JSON.stringify(tail).slice(1)} (${chars.length} characters)`;
}

/** How far `received` is from `expected`: messages lost, extra copies, and whether the order broke. */
export function countSequenceDifference(expected: readonly string[], received: readonly string[]): { lost: number; duplicated: number; reordered: boolean } {
  const seen = new Set<string>();
  let duplicated = 0;
  for (const item of received) {
    if (seen.has(item)) duplicated += 1;
    else seen.add(item);
  }
  const lost = expected.filter((item) => !seen.has(item)).length;
  const firstSeen = [...seen];
  const inExpected = new Map(expected.map((item, index) => [item, index]));
  let last = -1;
  let reordered = false;
  for (const item of firstSeen) {
    const at = inExpected.get(item);
    if (at === undefined) continue;
    if (at < last) reordered = true;
    last = Math.max(last, at);
  }
  return { lost, duplicated, reordered };
}

/**
 * Exactly once, in order, across connections the network cut (M-5): what the
 * client received over all its connections is what was published. A run in
 * which no connection was cut proves nothing about resuming, so it does not pass.
 */
export function checkDeliveredThroughResets(who: string, received: readonly string[], expected: readonly string[], resets: number): void {
  // What was lost or doubled is the finding, cuts or not; a clean run without a cut proves nothing.
  const difference = describeSequenceDifference(expected, received);
  expectThat(difference === '', `${who} to receive all ${expected.length} messages exactly once, in publish order, across ${resets} cut connection(s)`, () => `received ${received.length}: ${difference}`);
  expectThat(resets > 0, `${who}'s connection cut at least once while the ${expected.length} messages were published`, () => 'no connection was cut: the server sent fewer bytes than the first cut needed');
}

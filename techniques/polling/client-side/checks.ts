/** Pure checks on what a polling or long-polling client did (the scripted server's records) and reported. */
import type { ClientMessage as Message } from '../../../clients/contract/reports.ts';
import { expectThat } from '../../../core/failure.ts';

/** The data of the message that ends a case's messages: waiting for it is waiting for the client to have read all before it. */
export const POLL_END_MARKER = 'pushspec-end-of-case';

/** What a check needs of one poll (techniques/polling/client-side/poll-server.ts records more). */
export interface PollSeen {
  n: number;
  atMs: number;
  cursor: string | undefined;
  answeredAtMs?: number;
  endedAtMs?: number;
  answerCursor?: string;
  headers?: Record<string, string>;
}


const ms = (x: number): string => `${Math.round(x)} ms`;
const showCursor = (c: string | undefined): string => (c === undefined ? 'no cursor' : `cursor ${JSON.stringify(c)}`);

/** The polls so far, one line. */
export function showPolls(polls: readonly PollSeen[]): string {
  if (polls.length === 0) return 'no poll';
  return polls.map((p) => `poll ${p.n} at ${ms(p.atMs)} (${showCursor(p.cursor)})`).join(', ');
}

const showMessages = (messages: readonly Message[]): string => (messages.length === 0 ? 'no message' : messages.map((m) => JSON.stringify(m.data)).join(', '));

/** Poll `next` came and carried the cursor the answer to poll `answered` gave. */
export function checkCursorSentBack(answered: PollSeen | undefined, next: PollSeen | undefined, nextN: number): void {
  expectThat(answered?.answerCursor !== undefined, `poll ${answered?.n ?? '?'} to have been answered with a cursor`, () => 'it was not (the case could not be played)');
  const want = answered.answerCursor;
  expectThat(next !== undefined, `poll ${nextN}, carrying the cursor ${JSON.stringify(want)} of the answer to poll ${answered.n}`, () => `no poll ${nextN} came`);
  expectThat(next.cursor === want, `poll ${nextN} to carry the cursor ${JSON.stringify(want)} of the answer to poll ${answered.n}`, () => `it carried ${showCursor(next.cursor)}`);
}

/** Poll `next` came and carried the same cursor as poll `earlier` (a poll repeated after its answer was lost). */
export function checkSameCursor(earlier: PollSeen | undefined, next: PollSeen | undefined, nextN: number): void {
  expectThat(earlier !== undefined, 'the earlier poll to have come', () => 'it did not (the case could not be played)');
  expectThat(next !== undefined, `the client to poll again (poll ${nextN}) with the ${showCursor(earlier.cursor)} poll ${earlier.n} carried`, () => `no poll ${nextN} came`);
  expectThat(next.cursor === earlier.cursor, `poll ${nextN} to carry the ${showCursor(earlier.cursor)} poll ${earlier.n} carried (its answer never came)`, () => `it carried ${showCursor(next.cursor)}`);
}

/** The client saw the end marker, so it read every answer before it. */
export function checkReadToMarker(sawMarker: boolean, messages: readonly Message[]): void {
  expectThat(sawMarker, `the client to report every message, then the end marker "${POLL_END_MARKER}"`, () => `it reported ${showMessages(messages)} and no end marker within the deadline`);
}

/** The client reported exactly these messages' data, in this order, each once. */
export function checkMessages(messages: readonly Message[], expected: readonly string[]): void {
  const got = messages.map((m) => m.data);
  expectThat(got.length === expected.length && got.every((d, i) => d === expected[i]), `the messages ${expected.map((d) => JSON.stringify(d)).join(', ') || '(none)'}, in this order, each once`, () => showMessages(messages));
}

/**
 * A polling client keeps its declared interval: no two polls closer than
 * `intervalMs` less a tolerance (timers are late, never early, but the two
 * arrivals are measured on the server), and it went on polling (at least
 * `minPolls` polls, so a client that stopped proves nothing). Returns the shortest gap.
 */
export function checkInterval(polls: readonly PollSeen[], intervalMs: number, minPolls: number): number {
  const tolerance = Math.max(30, intervalMs * 0.1);
  expectThat(polls.length >= minPolls, `at least ${minPolls} polls to measure the interval on`, () => `${polls.length}: ${showPolls(polls)}`);
  const gaps = polls.slice(1).map((p, i) => ({ n: p.n, gap: p.atMs - polls[i]!.atMs }));
  const fastest = gaps.reduce((a, b) => (b.gap < a.gap ? b : a));
  expectThat(fastest.gap >= intervalMs - tolerance, `polls no closer than the declared interval of ${ms(intervalMs)} (less ${ms(tolerance)})`, () => `poll ${fastest.n} came ${ms(fastest.gap)} after poll ${fastest.n - 1}; gaps: ${gaps.map((g) => ms(g.gap)).join(', ')}`);
  return fastest.gap;
}

/** Poll `poll` came and offered the validator `tag` back in If-None-Match. */
export function checkIfNoneMatch(poll: PollSeen | undefined, n: number, tag: string): void {
  expectThat(poll !== undefined, `poll ${n}, with If-None-Match: ${tag}`, () => `no poll ${n} came`);
  const sent = poll.headers?.['if-none-match'];
  const offered = sent?.split(',').map((t) => t.trim()) ?? [];
  expectThat(offered.includes(tag), `poll ${n} to send If-None-Match: ${tag} (the ETag of the answer before it)`, () => (sent === undefined ? 'it sent no If-None-Match' : `If-None-Match: ${sent}`));
}

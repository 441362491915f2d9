/** Pure checks on a long-polling client's polls, as the scripted server recorded them (RFC 6202 §2, §5 client side). */
import { expectThat } from '../../../core/failure.ts';
import type { PollSeen } from '../../polling/client-side/checks.ts';

const ms = (x: number): string => `${Math.round(x)} ms`;

/** How long an earlier poll may still look outstanding when the next arrives: a client that drops it first races its own FIN. */
export const OVERLAP_GRACE_MS = 50;

/** The poll after `answered` came within `boundMs` of the answer; returns how long after it came. */
export function checkRepolledWithin(answered: PollSeen | undefined, next: PollSeen | undefined, boundMs: number): number {
  expectThat(answered?.answeredAtMs !== undefined, 'the earlier poll to have been answered', () => 'it was not (the case could not be played)');
  const at = answered.answeredAtMs;
  expectThat(next !== undefined, `a new poll within ${ms(boundMs)} of the answer to poll ${answered.n}`, () => 'no new poll came');
  const gap = next.atMs - at;
  expectThat(gap <= boundMs, `a new poll within ${ms(boundMs)} of the answer to poll ${answered.n}`, () => `poll ${next.n} came ${ms(gap)} after it`);
  return gap;
}

/** The poll after `answered` came no sooner than `notBeforeMs` after its answer (Retry-After), and it came; returns how long after. */
export function checkWaitedBeforeRepoll(answered: PollSeen | undefined, next: PollSeen | undefined, notBeforeMs: number): number {
  expectThat(answered?.answeredAtMs !== undefined, 'the earlier poll to have been answered', () => 'it was not (the case could not be played)');
  const at = answered.answeredAtMs;
  expectThat(next !== undefined, `a new poll, no sooner than ${ms(notBeforeMs)} after the answer to poll ${answered.n}`, () => 'no new poll came within the deadline');
  const gap = next.atMs - at;
  // The answer's time is taken when the server handed it to the kernel; a client timer of exactly notBeforeMs lands a few ms later, never earlier.
  expectThat(gap >= notBeforeMs - 20, `a new poll no sooner than ${ms(notBeforeMs)} after the answer to poll ${answered.n}`, () => `poll ${next.n} came ${ms(gap)} after it`);
  return gap;
}

/**
 * Never two polls outstanding at once (RFC 6202 §5.1): when a poll arrives,
 * every earlier poll has ended (answered, cut, or dropped by the client
 * within {@link OVERLAP_GRACE_MS}).
 */
export function checkOnePollAtATime(polls: readonly PollSeen[]): void {
  for (const p of polls) {
    const open = polls.find((q) => q.n < p.n && (q.endedAtMs === undefined || q.endedAtMs > p.atMs + OVERLAP_GRACE_MS));
    expectThat(open === undefined, 'at most one poll outstanding at any time', () => `poll ${p.n} came at ${ms(p.atMs)} while poll ${open!.n} (from ${ms(open!.atMs)}) was still outstanding${open!.endedAtMs === undefined ? '' : ` until ${ms(open!.endedAtMs)}`}`);
  }
}

/** After failed polls, no hot loop: at most `limit` polls within `windowMs` of the first; returns how many. */
export function checkNoHotLoop(polls: readonly PollSeen[], limit: number, windowMs: number): number {
  const first = polls[0];
  expectThat(first !== undefined, 'a first poll', () => 'no poll came');
  const inWindow = polls.filter((p) => p.atMs - first.atMs <= windowMs);
  expectThat(inWindow.length <= limit, `at most ${limit} polls in the ${ms(windowMs)} after the first, every one answered with an error (a client backs off)`, () => `${inWindow.length} polls${inWindow.length > 1 ? `, the last ${ms(inWindow.at(-1)!.atMs - first.atMs)} after the first` : ''}`);
  return inWindow.length;
}

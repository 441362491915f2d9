/**
 * Checks only long-polling needs: how long a poll was held, what ended the
 * hold, and how held polls share one broadcast.
 */
import type { ConcurrentPolls } from './contract.ts';
import type { PollAnswer } from '../polling/poll-client.ts';
import type { PublishedMessage } from '../../core/publisher.ts';
import { expectThat } from '../../core/failure.ts';
import { describeAnswer } from '../polling/poll-checks.ts';
import { listFindings } from '../../core/sequence.ts';

/** How late past its hold a timed-out poll may end: timers and a busy machine need room. */
export function holdSlackMs(holdMs: number): number {
  return Math.max(500, Math.round(holdMs / 4));
}

/** RFC 6202 §5.5: "generally 30 seconds is a safer value" for intermediaries. */
export const SAFE_MAX_HOLD_MS = 30_000;

const heldFor = (answer: PollAnswer): number => Math.round(answer.endedAtMs - answer.startedAtMs);
const carries = (answer: PollAnswer, message: PublishedMessage): boolean => answer.messages.some((m) => m.data === message.data);

/** An idle poll was held for at least `minMs` before it was answered with nothing new. */
export function checkHeld(answer: PollAnswer, minMs: number, holdMs: number): void {
  expectThat(heldFor(answer) >= minMs, `the poll held for at least ${minMs} ms (half the declared ${holdMs} ms hold) while nothing was published`, () => describeAnswer(answer));
}

/** The held poll was ended by the message, before its hold ran out. */
export function checkEndedByMessage(answer: PollAnswer, message: PublishedMessage, holdMs: number): void {
  expectThat(
    carries(answer, message) && heldFor(answer) < holdMs,
    `the held poll answered with ${JSON.stringify(message.data)} as soon as it was published, before its ${holdMs} ms hold ran out`,
    () => `${describeAnswer(answer)}; the message was published at +${Math.round(message.startedAtMs - answer.startedAtMs)} ms into the hold`,
  );
}

/** The server ended an idle hold itself, with the declared empty answer, by `holdMs` plus `slackMs`. */
export function checkEndedByTimeout(answer: PollAnswer, emptyStatus: number, holdMs: number, slackMs: number): void {
  const declared = emptyStatus === 200 ? 'status 200 with an empty batch' : `status ${emptyStatus}`;
  expectThat(
    answer.kind === 'empty' && answer.status === emptyStatus && heldFor(answer) <= holdMs + slackMs,
    `the server to end the hold itself with ${declared} (the declared timeout answer) within ${holdMs} ms + ${slackMs} ms`,
    () => describeAnswer(answer),
  );
}

/** RFC 9110 §15.5.9: 408 tells the client the server closes the connection; an expired hold is not an error. */
export function checkTimeoutIsSuccess(answer: PollAnswer): void {
  expectThat([200, 204, 304].includes(answer.status), 'the expired hold answered with a success status (200, 204 or 304), not 408 Request Timeout', () => describeAnswer(answer));
}

/** Every held poll received the one broadcast message. */
export function checkEveryHeldPollGotIt(answers: readonly PollAnswer[], message: PublishedMessage): void {
  const missed = answers.filter((a) => !carries(a, message));
  expectThat(missed.length === 0, `every one of the ${answers.length} held polls answered with ${JSON.stringify(message.data)}`, () =>
    `${missed.length} did not: ${listFindings(missed.map((a) => describeAnswer(a)), 3)}`,
  );
}

/**
 * A poll the server refused: a 4xx, or a success whose body the adapter's
 * decoder function reads as the protocol's error (SockJS refuses a second
 * poll on a session with 200 and the close frame c[2010,"Another connection
 * still open"]). A success body the declared format simply cannot read is
 * garbage, not a refusal.
 */
function refused(answer: PollAnswer): boolean {
  return (answer.status >= 400 && answer.status <= 499) || (answer.status >= 200 && answer.status <= 299 && answer.kind === 'invalid' && answer.decoderError === true);
}

/** Two polls held with one cursor were answered as the declared policy says; neither silently starved. */
export function checkConcurrentPolicy(policy: ConcurrentPolls, older: PollAnswer, newer: PollAnswer, message: PublishedMessage, emptyStatus: number): void {
  const both = () => `older poll: ${describeAnswer(older)}; newer poll: ${describeAnswer(newer)}`;
  if (policy === 'independent') {
    expectThat(carries(older, message) && carries(newer, message), `both polls answered with ${JSON.stringify(message.data)} (declared policy "independent")`, both);
  } else if (policy === 'preempt-old') {
    expectThat(
      older.kind === 'empty' && older.status === emptyStatus && older.endedAtMs <= message.startedAtMs && carries(newer, message),
      `the older poll answered empty as soon as the newer arrived, and the newer with ${JSON.stringify(message.data)} (declared policy "preempt-old")`,
      both,
    );
  } else if (policy === 'close-both') {
    // Neither is starved: both end at once, the newer refused, the older with the session (engine.io).
    expectThat(
      refused(newer) && newer.endedAtMs <= message.startedAtMs && older.endedAtMs <= message.startedAtMs && !carries(older, message),
      'both polls ended as soon as the newer arrived: the newer refused (a 4xx, or a refusal the protocol\'s decoder reads), the older with the session (declared policy "close-both")',
      both,
    );
  } else {
    expectThat(
      refused(newer) && newer.endedAtMs <= message.startedAtMs && carries(older, message),
      `the newer poll refused at once (a 4xx, or a refusal the protocol's decoder reads), and the older answered with ${JSON.stringify(message.data)} (declared policy "reject-new")`,
      both,
    );
  }
}

/** The declared maximum hold is bounded and at most the safe 30 s. */
export function checkMaximumIsSafe(maxHoldMs: number): void {
  expectThat(maxHoldMs <= SAFE_MAX_HOLD_MS, `a declared maximum hold of at most ${SAFE_MAX_HOLD_MS} ms (RFC 6202 §5.5)`, () => `the adapter declares ${maxHoldMs} ms`);
}

export { checkDeliveredThroughResets } from '../../core/sequence.ts';

/** Model M-4 and M-10: the server ended the idle hold, with its empty answer, before an intermediary idle a little longer cut it. */
export function checkAnsweredBeforeIdleCut(idle: HoldThroughIdleTimeout, emptyStatus: number): void {
  const answer = idle.answer;
  expectThat(answer !== undefined && idle.cut === undefined && answer.kind === 'empty' && answer.status === emptyStatus, `the hold ended with the declared empty answer (status ${emptyStatus}) before the intermediary's ${idle.idleTimeoutMs} ms idle timeout`, () =>
    idle.cut !== undefined ? `the intermediary cut the connection first: ${idle.cut}${idle.failed !== undefined ? `; the poll failed: ${idle.failed}` : ''}`
    : answer === undefined ? `the poll failed: ${idle.failed ?? 'no answer'}`
    : describeAnswer(answer),
  );
}

/** An idle hold through the idle-timeout intermediary: its answer, or how the poll failed, and whether the intermediary cut it. */
export interface HoldThroughIdleTimeout {
  idleTimeoutMs: number;
  answer?: PollAnswer;
  /** How the poll failed, when it got no answer. */
  failed?: string;
  /** The intermediary's idle cut, when it made one. */
  cut?: string;
}

/**
 * A held poll whose stream the client cancelled, on a connection that stays
 * open (HTTP/2's RST_STREAM, RFC 9113 §6.4), is released at once (model M-8):
 * within half the time its hold still had to run, so a server that only lets
 * it go when the hold runs out, or when the connection closes, does not hold.
 */
export function checkReleasedAtOnce(releasedMs: number, holdLeftMs: number): void {
  if (holdLeftMs < 20) throw new Error(`the holds had only ${Math.round(holdLeftMs)} ms left when they were cancelled: too little to tell a release at once from the hold's end`);
  const boundMs = holdLeftMs / 2;
  expectThat(
    releasedMs <= boundMs,
    `the cancelled polls released within ${Math.round(boundMs)} ms, half of the ${Math.round(holdLeftMs)} ms their holds had left (RFC 9113 §6.4, model M-8)`,
    () => `released after ${Math.round(releasedMs)} ms: as late as the holds' own end, or the connection's`,
  );
}


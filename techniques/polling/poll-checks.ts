/**
 * Checks shared by Ajax polling and long-polling, pure functions over what
 * the clients recorded. Each throws a ConformanceFailure naming what was
 * expected and what was observed.
 */
import type { PollAnswer, ReceivedMessage } from './poll-client.ts';
import type { PublishedMessage } from '../../core/publisher.ts';
import { expectThat } from '../../core/failure.ts';
import { forbidsCaching } from '../../core/http-headers.ts';
import { describeSequenceDifference, listSome } from '../../core/sequence.ts';

const duration = (answer: PollAnswer): number => Math.round(answer.endedAtMs - answer.startedAtMs);

/** One line on an answer, for "Actual:" texts. */
export function describeAnswer(answer: PollAnswer): string {
  const shape =
    answer.kind === 'batch'
      ? `${answer.messages.length} message(s): ${listSome(answer.messages.map((m) => m.data), 3)}`
      : answer.kind === 'invalid'
        ? `an unreadable body (${answer.problem})`
        : answer.kind === 'error'
          ? `the body ${JSON.stringify(answer.body.length > 120 ? `${answer.body.slice(0, 120)}…` : answer.body)}`
          : 'nothing new';
  return `status ${answer.status} after ${duration(answer)} ms with ${shape}`;
}

/** While catching up, every answer holds messages or is the declared empty answer (so catching up can end). */
export function checkReadableWhileCatchingUp(client: string, answer: PollAnswer): void {
  expectThat(answer.kind === 'batch' || answer.kind === 'empty', `${client}'s polls to be answered with messages or the declared empty answer`, () => describeAnswer(answer));
}

export function checkAnsweredWithin(answer: PollAnswer, ms: number): void {
  expectThat(duration(answer) <= ms, `an answer within ${ms} ms`, () => describeAnswer(answer));
}

/** `emptyStatus`: what the adapter declares "nothing new" looks like (200: an empty batch). */
export function checkDeclaredEmpty(answer: PollAnswer, emptyStatus: number): void {
  const declared = emptyStatus === 200 ? 'status 200 with an empty batch' : `status ${emptyStatus}`;
  expectThat(answer.kind === 'empty' && answer.status === emptyStatus, `${declared} (the declared empty answer)`, () => describeAnswer(answer));
}

export function checkCursorUnchanged(answer: PollAnswer): void {
  expectThat(answer.cursorNext === answer.cursorSent, `the cursor to send next to be the one sent (${answer.cursorSent ?? 'none'})`, () => `the answer moved it to ${answer.cursorNext ?? 'none'}`);
}

/** The client received exactly `expected`, each once, in publish order. */
export function checkExactlyOnceInOrder(client: string, received: readonly ReceivedMessage[], expected: readonly PublishedMessage[]): void {
  const difference = describeSequenceDifference(
    expected.map((m) => m.data),
    received.map((m) => m.data),
  );
  expectThat(difference === '', `${client} to receive the ${expected.length} message(s) published, each exactly once, in publish order`, () => `received ${received.length}: ${difference}`);
}

/** A first poll without a cursor sees later messages only (`newest`) or the retained history too (`oldest`). */
export function checkStartPolicy(client: string, start: 'newest' | 'oldest', received: readonly ReceivedMessage[], before: readonly PublishedMessage[], after: readonly PublishedMessage[]): void {
  const expected = start === 'oldest' ? [...before, ...after] : after;
  const promise = start === 'oldest' ? 'the messages published before it and after it' : 'only the messages published after its first poll';
  const difference = describeSequenceDifference(
    expected.map((m) => m.data),
    received.map((m) => m.data),
  );
  expectThat(difference === '', `${client}, starting "${start}", to receive ${promise}, in publish order`, () => `received ${received.length}: ${difference}`);
}

/** One answer carries all of `expected`, in order. */
export function checkWholeBatch(answer: PollAnswer, expected: readonly PublishedMessage[]): void {
  const difference = describeSequenceDifference(
    expected.map((m) => m.data),
    answer.messages.map((m) => m.data),
  );
  expectThat(difference === '', `one answer holding all ${expected.length} messages, in publish order`, () => `${describeAnswer(answer)}: ${difference}`);
}

/** Two answers to the same cursor hold the same messages, starting with the first one published after it. */
export function checkSameAnswer(first: PollAnswer, second: PollAnswer, firstPublished: PublishedMessage): void {
  expectThat(first.kind === 'batch' && first.messages[0]?.data === firstPublished.data, `the first answer to start with ${JSON.stringify(firstPublished.data)}`, () => describeAnswer(first));
  const difference = describeSequenceDifference(
    first.messages.map((m) => m.data),
    second.messages.map((m) => m.data),
  );
  expectThat(difference === '', 'the second answer to the same cursor to hold the same messages as the first', () => `${describeAnswer(second)}: ${difference}`);
}

export function checkClientError(answer: PollAnswer, ms: number): void {
  expectThat(answer.status >= 400 && answer.status <= 499 && duration(answer) <= ms, `a client error (4xx) within ${ms} ms`, () => describeAnswer(answer));
}

/** Each answer forbids caching: `no-store`, `no-cache` or `max-age=0` (RFC 9111 §5.2.2). */
export function checkNotCacheable(answers: readonly PollAnswer[]): void {
  const cacheable = answers.filter((a) => !forbidsCaching(a.headers['cache-control']));
  expectThat(cacheable.length === 0, 'every poll answer to carry Cache-Control: no-store, no-cache or max-age=0', () =>
    `${cacheable.length} of ${answers.length} did not; e.g. answer ${cacheable[0]!.index + 1}: Cache-Control ${JSON.stringify(cacheable[0]!.headers['cache-control'] ?? '(absent)')}`,
  );
}

export function checkOneConnection(client: string, connections: number, polls: number): void {
  expectThat(connections === 1, `${client}'s ${polls} polls to travel over one persistent connection`, () => `they needed ${connections} connections`);
}

/**
 * The Ajax polling requirements as pure checks over what the clients
 * recorded. Each throws a ConformanceFailure naming what was expected and
 * what was observed.
 */
import type { PollAnswer, PollingDeclaration, ReceivedMessage } from '../clients/polling-client.ts';
import type { PublishedMessage } from '../clients/publisher.ts';
import { expectThat } from './conformance-failure.ts';
import { describeSequenceDifference, listSome } from './sequence.ts';

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

export function checkAnsweredWithin(answer: PollAnswer, ms: number): void {
  expectThat(duration(answer) <= ms, `an answer within ${ms} ms`, () => describeAnswer(answer));
}

export function checkDeclaredEmpty(answer: PollAnswer, spec: PollingDeclaration): void {
  const declared = spec.emptyStatus === 200 ? 'status 200 with an empty batch' : `status ${spec.emptyStatus}`;
  expectThat(answer.kind === 'empty' && answer.status === spec.emptyStatus, `${declared} (the declared empty answer)`, () => describeAnswer(answer));
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
export function checkStartPolicy(client: string, spec: PollingDeclaration, received: readonly ReceivedMessage[], before: readonly PublishedMessage[], after: readonly PublishedMessage[]): void {
  const expected = spec.start === 'oldest' ? [...before, ...after] : after;
  const promise = spec.start === 'oldest' ? 'the messages published before it and after it' : 'only the messages published after its first poll';
  const difference = describeSequenceDifference(
    expected.map((m) => m.data),
    received.map((m) => m.data),
  );
  expectThat(difference === '', `${client}, starting "${spec.start}", to receive ${promise}, in publish order`, () => `received ${received.length}: ${difference}`);
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

/** A client whose next message was evicted is told so, by the declared status. */
export function checkGapSignalled(answer: PollAnswer, spec: PollingDeclaration, skipped: number): void {
  const how = spec.gapStatus !== undefined ? `status ${spec.gapStatus}, the declared gap signal` : 'a signal that messages were missed (the adapter declares none)';
  expectThat(spec.gapStatus !== undefined && answer.status === spec.gapStatus, `${how}: ${skipped} message(s) after its cursor are no longer retained`, () => describeAnswer(answer));
}

/** Each answer forbids caching: `no-store`, `no-cache` or `max-age=0` (RFC 9111 §5.2.2). */
export function checkNotCacheable(answers: readonly PollAnswer[]): void {
  const cacheable = answers.filter((a) => !/(^|,)\s*(no-store|no-cache|max-age=0)\s*(,|$)/i.test(a.headers['cache-control'] ?? ''));
  expectThat(cacheable.length === 0, 'every poll answer to carry Cache-Control: no-store, no-cache or max-age=0', () =>
    `${cacheable.length} of ${answers.length} did not; e.g. answer ${cacheable[0]!.index + 1}: Cache-Control ${JSON.stringify(cacheable[0]!.headers['cache-control'] ?? '(absent)')}`,
  );
}

export function checkOneConnection(client: string, connections: number, polls: number): void {
  expectThat(connections === 1, `${client}'s ${polls} polls to travel over one persistent connection`, () => `they needed ${connections} connections`);
}

/**
 * Every message is in the answer to the first poll that started after the
 * server acknowledged it, or an earlier one: a poll never misses a message
 * that was already there.
 */
export function checkSeenByNextPoll(answers: readonly PollAnswer[], published: readonly PublishedMessage[]): void {
  const late: string[] = [];
  for (const message of published) {
    const next = answers.find((a) => a.startedAtMs > message.ackedAtMs);
    const carrier = answers.find((a) => a.messages.some((m) => m.data === message.data));
    if (next === undefined || carrier === undefined || carrier.index > next.index) {
      late.push(`${message.data} (acknowledged at +${message.ackedAtMs} ms; ${carrier ? `first in poll ${carrier.index + 1}` : 'never received'}, next poll was ${next ? next.index + 1 : 'none'})`);
    }
  }
  expectThat(late.length === 0, 'each message in the answer to the first poll that started after its publish was acknowledged', () => `${late.length} of ${published.length} came later: ${listSome(late, 3)}`);
}

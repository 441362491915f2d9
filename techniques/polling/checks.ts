/**
 * Checks only Ajax polling needs: gaps in the retained history, and how soon
 * a polling client sees a message.
 */
import type { ResolvedPolling } from './adapter.ts';
import type { PollAnswer } from './poll-client.ts';
import type { PublishedMessage } from '../../core/publisher.ts';
import { expectThat } from '../../core/failure.ts';
import { describeAnswer } from './poll-checks.ts';
import { listFindings } from '../../core/sequence.ts';

/** A client whose next message was evicted is told so, by the declared status. */
export function checkGapSignalled(answer: PollAnswer, spec: ResolvedPolling, skipped: number): void {
  const how = spec.gapStatus !== undefined ? `status ${spec.gapStatus}, the declared gap signal` : 'a signal that messages were missed (the adapter declares none)';
  expectThat(spec.gapStatus !== undefined && answer.status === spec.gapStatus, `${how}: ${skipped} message(s) after its cursor are no longer retained`, () => describeAnswer(answer));
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
  expectThat(late.length === 0, 'each message in the answer to the first poll that started after its publish was acknowledged', () => `${late.length} of ${published.length} came later: ${listFindings(late, 3)}`);
}

/**
 * The pure checks of the cluster requirements (docs/model.md M-11), the same
 * for every technique: what each subscriber received, wherever it subscribed,
 * against what was published (and acknowledged) on any instance.
 */
import { ConformanceFailure } from './failure.ts';
import { describeSequenceDifference, listSome } from './sequence.ts';
import type { ClusterReceipt } from './cluster.ts';

/** One subscriber's receipts, for a check. */
export interface SubscriberRecord {
  /** How the report names it: `the subscriber on instance 2`. */
  label: string;
  received: readonly ClusterReceipt[];
  /** What went wrong on the way, said before what it received: `resuming on instance 2 was refused: status 400`. */
  note?: string;
}

export interface DeliveryExpectation {
  /** The Expected line: what the rule asks for, in words. */
  expected: string;
  /** The data every subscriber must receive, once each, in this order. */
  owed: readonly string[];
  /** Data that may be missing or present (a publish the publisher saw fail, M-11): left out of the comparison. */
  mayMiss?: ReadonlySet<string>;
  /** Also require that a message has the same id wherever it was received (fan-out: ids are the cluster's, not an instance's). */
  sameIds?: boolean;
}

/**
 * Every subscriber received exactly `owed`, in order; with `sameIds`, every
 * message carries one id across subscribers.
 * @throws ConformanceFailure naming each subscriber that did not, and how.
 */
export function checkClusterDelivery(expectation: DeliveryExpectation, subscribers: readonly SubscriberRecord[]): void {
  const problems: string[] = [];
  for (const subscriber of subscribers) {
    const data = subscriber.received.map((r) => r.data).filter((d) => expectation.mayMiss?.has(d) !== true);
    const difference = describeSequenceDifference(expectation.owed, data);
    const note = subscriber.note === undefined ? '' : ` (${subscriber.note})`;
    if (difference !== '') problems.push(`${subscriber.label}${note} received ${data.length} of ${expectation.owed.length}: ${difference}`);
  }
  if (expectation.sameIds === true) problems.push(...idDisagreements(subscribers));
  if (problems.length > 0) throw new ConformanceFailure(expectation.expected, problems.join('; '));
}

/** For each message received with an id on several subscribers, the ids when they differ. */
function idDisagreements(subscribers: readonly SubscriberRecord[]): string[] {
  const ids = new Map<string, Map<string, string[]>>();
  for (const subscriber of subscribers) {
    for (const receipt of subscriber.received) {
      if (receipt.id === undefined) continue;
      const byId = ids.get(receipt.data) ?? new Map<string, string[]>();
      byId.set(receipt.id, [...(byId.get(receipt.id) ?? []), subscriber.label]);
      ids.set(receipt.data, byId);
    }
  }
  const differing = [...ids].filter(([, byId]) => byId.size > 1);
  if (differing.length === 0) return [];
  const shown = differing.slice(0, 3).map(([data, byId]) => `${JSON.stringify(data)} had id ${[...byId].map(([id, who]) => `${JSON.stringify(id)} at ${who.join(', ')}`).join(' but ')}`);
  return [`${differing.length} message(s) had different ids on different instances: ${shown.join('; ')}${differing.length > 3 ? ` and ${differing.length - 3} more` : ''}`];
}

/** `"m0001", "m0002" and 8 more`: the data of messages, for Expected lines. */
export function describeData(data: readonly string[]): string {
  return listSome(data, 3);
}

/**
 * Every publish was accepted (M-11: while one instance is down, publishing on
 * the others keeps working).
 * @throws ConformanceFailure listing the refused publishes, `instance k: why`.
 */
export function checkPublishesAccepted(refused: readonly string[], expected: string): void {
  if (refused.length === 0) return;
  throw new ConformanceFailure(expected, `${refused.length} publish(es) refused or unanswered: ${refused.slice(0, 3).join('; ')}${refused.length > 3 ? ` and ${refused.length - 3} more` : ''}`);
}

/**
 * What the fault requirements share, whatever the technique: the faults they
 * put on the clients' path (core/fault-proxy.ts, through the scenario
 * context), the exactly-once run (thousands of messages published while the
 * network cuts the client's connections at random and the client resumes),
 * and the figures a report shows for them.
 */
import type { ScenarioContext } from './context.ts';
import type { Faults, FaultPlan, FaultProxy } from './fault-proxy.ts';
import { countSequenceDifference } from './sequence.ts';
import { waitUntil, type Signal } from './wait.ts';

/** How many messages an exactly-once run publishes (issue 14: 5,000 survived a cut every 300 ms). */
export const RESET_RUN_MESSAGES = 5000;

/** After the last publish, how long the client has to receive the rest (it resumes at once after each cut). */
export const RESET_RUN_TAIL_MS = 15_000;

/** Every byte written on its own, both ways: a re-chunker on the path. */
export const ONE_BYTE_WRITES: Faults = { oneByteWrites: true };

/**
 * Each connection is cut once a number of bytes, drawn at random between
 * `minBytes` and `maxBytes`, has reached the client: the cut falls anywhere,
 * mid-message included. The range sets how many cuts a run sees, so a
 * technique whose messages are bigger on the wire uses a bigger one.
 */
export function randomResets(minBytes: number, maxBytes: number, random: () => number = Math.random): FaultPlan {
  return () => ({ resetAfter: { bytes: minBytes + Math.floor(random() * (maxBytes - minBytes + 1)), direction: 'to-client' } });
}

/** What an exactly-once run saw. */
export interface ResetRun {
  /** Every message's data the client received, over all its connections, in order of arrival. */
  received: string[];
  /** The published messages' data, in publish order. */
  published: string[];
  /** Connections the proxy cut. */
  resets: number;
  durationMs: number;
}

/** How a technique's client follows the channel across cuts, for {@link runThroughResets}. */
export interface Follower {
  /**
   * Connects from where the client stands (the first time: from now), reads
   * until the connection ends, and connects again at once, until `stopped()`.
   */
  follow(stopped: () => boolean): Promise<void>;
  /** The data received so far, over all connections. */
  received(): readonly string[];
  /** Notifies when something was received or a connection ended. */
  changes: Signal;
}

/**
 * Publishes `count` messages ({@link RESET_RUN_MESSAGES}), each acknowledged before the
 * next, while `follower` reads through `proxy` (which cuts its connections),
 * then waits until it has the last one (or {@link RESET_RUN_TAIL_MS} passes).
 * Records the figures: messages, cuts, lost, duplicated, time.
 */
export async function runThroughResets(context: ScenarioContext, proxy: FaultProxy, follower: Follower, subscribed: () => Promise<void>, count = RESET_RUN_MESSAGES): Promise<ResetRun> {
  const startedAtMs = context.transcript.now();
  let stopping = false;
  const following = follower.follow(() => stopping);
  try {
    await subscribed();
    const sent = await context.publishMessages(count);
    const last = sent.at(-1)!.data;
    const hasAll = (): boolean => {
      const received = follower.received();
      return received.length >= sent.length || received.includes(last);
    };
    await waitUntil(hasAll, {
      what: `the client to receive the last of ${sent.length} messages`,
      deadlineMs: RESET_RUN_TAIL_MS,
      seen: () => `${follower.received().length} received`,
      signal: follower.changes,
    }).catch(() => undefined); // the check says what was missing
  } finally {
    stopping = true;
    proxy.resetAll('ended by the scenario');
    await following;
  }
  const published = context.published.map((m) => m.data);
  const received = [...follower.received()];
  const resets = proxy.connections.filter((c) => c.ended?.startsWith('reset after') === true).length;
  const run: ResetRun = { received, published, resets, durationMs: Math.round(context.transcript.now() - startedAtMs) };
  const { lost, duplicated } = countSequenceDifference(published, received);
  const t = context.transcript;
  t.figure('messages published', published.length, '');
  t.figure('connections cut', resets, '');
  t.figure('messages lost', lost, '');
  t.figure('messages duplicated', duplicated, '');
  t.figure('run time', run.durationMs, 'ms');
  return run;
}

/** What an idle stream or socket showed through an intermediary with an idle timeout, then a publish. */
export interface IdleThroughTimeout {
  idleTimeoutMs: number;
  /** How the proxy's connection ended, if it did (`idle timeout (…)`). */
  cut: string | undefined;
  /** Whether the message published after the idle time arrived on that connection. */
  arrived: boolean;
  /** One line on the client's connection, for Actual texts. */
  connection: string;
}

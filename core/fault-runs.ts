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

/** Messages published between two looks at the client: at most this many, and at most half the declared history. */
export const RESET_RUN_BATCH = 500;

/** How long the client has to catch up with one batch before the rest is published without waiting. */
const BATCH_CATCH_UP_MS = 5000;

/**
 * Publishing stops once the run has lasted this long. A case has 30 s plus three times the longest declared time
 * (steps/support/step-backstop.ts): what is left is for the run's own cut and the last catch-up.
 */
const PACING_BUDGET_MS = 20_000;

/**
 * How the run's own cut ends a connection: made when publishing is over and the
 * random cuts have not struck once (a server that delivered fewer bytes within
 * the pacing budget than the first cut needed, as one that buffers its events
 * for a second does on a loaded machine), so every run resumes at least once.
 */
const RUN_CUT_REASON = 'reset by the run: no random cut had struck';

/** Connections the network cut: at random, or by the run's own cut; not those closed when the scenario ended. */
function cutConnections(proxy: FaultProxy): number {
  return proxy.connections.filter((c) => c.ended?.startsWith('reset after') === true || c.ended === RUN_CUT_REASON).length;
}

/**
 * The batch size for a server that retains `historyLimit` messages: half of
 * it at most, so a client that resumes after a cut is never behind the history
 * because pushspec published faster than the client could read.
 */
export function resetRunBatch(historyLimit: number | undefined): number {
  return Math.max(1, Math.min(RESET_RUN_BATCH, Math.floor((historyLimit ?? Infinity) / 2)));
}

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
  /** The data of the messages the run published, in publish order. */
  published: string[];
  /** Connections the proxy cut. */
  resets: number;
  durationMs: number;
}

/**
 * A growing list of data read from a growing list of items (a client's
 * received messages), converted once each: looks on every arrival stay cheap
 * over thousands of messages.
 */
export function dataOf<T>(items: () => readonly T[], data: (item: T) => string): () => string[] {
  const out: string[] = [];
  return () => {
    const all = items();
    for (let i = out.length; i < all.length; i++) out.push(data(all[i]!));
    return out;
  };
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
 * Publishes `count` messages ({@link RESET_RUN_MESSAGES}), each acknowledged
 * before the next, in batches of `batch`, while `follower` reads through
 * `proxy` (which cuts its connections). After each batch the client is given
 * {@link BATCH_CATCH_UP_MS} to have its last message, so the run checks
 * resuming across cuts and not how fast a client reads. Publishing stops
 * early when a batch is not caught up in time (a message lost: the check
 * says which) or after {@link PACING_BUDGET_MS} (a server that delivers
 * slowly: what was published is judged, the count is the report's figure).
 * Then waits until the client has the last message (or {@link RESET_RUN_TAIL_MS} passes). Records the figures: messages, cuts,
 * lost, duplicated, time.
 */
export async function runThroughResets(
  context: ScenarioContext,
  proxy: FaultProxy,
  follower: Follower,
  subscribed: () => Promise<void>,
  count = RESET_RUN_MESSAGES,
  batch = RESET_RUN_BATCH,
): Promise<ResetRun> {
  const startedAtMs = context.transcript.now();
  const before = context.published.length;
  let stopping = false;
  const following = follower.follow(() => stopping);
  const has = (data: string) => (): boolean => follower.received().lastIndexOf(data) >= 0;
  const seen = (): string => `${follower.received().length} received`;
  try {
    await subscribed();
    let behind = false;
    for (let sent = 0; sent < count; ) {
      if (context.transcript.now() - startedAtMs > PACING_BUDGET_MS) {
        context.transcript.note(`the run stopped publishing after ${sent} of ${count} messages: ${PACING_BUDGET_MS} ms had passed (the client catches up after every batch, and this server delivered no faster); what was published is judged`);
        break;
      }
      const batchSent = await context.publishMessages(Math.min(batch, count - sent));
      sent += batchSent.length;
      const last = batchSent.at(-1)!.data;
      const caughtUp = await waitUntil(has(last), { what: `the client to catch up with ${sent} messages`, deadlineMs: BATCH_CATCH_UP_MS, seen, signal: follower.changes }).then(
        () => true,
        () => false,
      );
      if (!caughtUp) {
        // Lost, or very late: publishing on cannot change the verdict, the check says what is missing.
        context.transcript.note(`the client had not caught up with the first ${sent} messages within ${BATCH_CATCH_UP_MS} ms; the run stopped publishing there`);
        behind = true;
        break;
      }
    }
    if (!behind && cutConnections(proxy) === 0) behind = !(await cutOnceMore(context, proxy, follower, batch));
    const last = context.published.at(-1)!.data;
    if (!behind) await waitUntil(has(last), { what: `the client to receive the last of ${context.published.length} messages`, deadlineMs: RESET_RUN_TAIL_MS, seen, signal: follower.changes }).catch(() => undefined); // the check says what was missing
  } finally {
    stopping = true;
    proxy.resetAll('ended by the scenario');
    await following;
  }
  const published = context.published.slice(before).map((m) => m.data);
  const received = [...follower.received()];
  const resets = cutConnections(proxy);
  const run: ResetRun = { received, published, resets, durationMs: Math.round(context.transcript.now() - startedAtMs) };
  const { lost, duplicated } = countSequenceDifference(published, received);
  const t = context.transcript;
  t.figure('messages published', published.length, '');
  t.figure('connections cut', resets, '');
  t.figure('messages lost', lost, '');
  t.figure('messages duplicated', duplicated, '');
  t.figure('batch', batch, 'messages');
  t.figure('run time', run.durationMs, 'ms');
  return run;
}

/**
 * The run's own cut ({@link RUN_CUT_REASON}): resets the follower's connection,
 * publishes one more batch and gives the client {@link BATCH_CATCH_UP_MS} to
 * have it. False when it did not catch up (the check then says what is missing).
 */
async function cutOnceMore(context: ScenarioContext, proxy: FaultProxy, follower: Follower, batch: number): Promise<boolean> {
  context.transcript.note(`no random cut had struck by the end of publishing (${context.published.length} messages): the run cut the client's connection itself, then published ${batch} more`);
  proxy.resetAll(RUN_CUT_REASON);
  const sent = await context.publishMessages(batch);
  const last = sent.at(-1)!.data;
  const seen = (): string => `${follower.received().length} received`;
  return waitUntil(() => follower.received().lastIndexOf(last) >= 0, { what: `the client to catch up after the run's cut`, deadlineMs: BATCH_CATCH_UP_MS, seen, signal: follower.changes }).then(
    () => true,
    () => false,
  );
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

/**
 * HTTP long-polling: the shared poll actions with a hold, plus what only
 * long-polling clients do: publish while a poll is held, hold many polls for
 * one broadcast, walk away from a held poll, ask for more than the maximum.
 */
import { percentile } from '../../core/quantile.ts';
import { declaredVersion } from '../../core/http-version.ts';
import { setMaxListeners } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import type { ScenarioContext } from '../../core/context.ts';
import { ClientAbort } from '../../core/http.ts';
import { duration } from '../../core/progress.ts';
import type { PublishedMessage } from '../../core/publisher.ts';
import { pause, waitFor } from '../../core/wait.ts';
import { PollActions } from '../polling/poll-actions.ts';
import type { PollAnswer } from '../polling/poll-client.ts';
import type { PollEndpoint } from '../polling/poll-endpoint.ts';
import type { ResolvedLongPolling } from './adapter.ts';
import { holdSlackMs } from './checks.ts';
import { LongPollFaults } from './fault-actions.ts';
import { readHeldCount } from './held-count.ts';

/** Without a held-poll count, the only sign a poll reached the server is time: this much for one poll, */
const SETTLE_WITHOUT_STATS_MS = 150;
/**
 * and this much more for each further poll sent at once: a server must accept,
 * route and register every one of them (a proxy such as Pushpin asks its origin
 * for each), and a storeless server gives nothing to a poll that registers
 * after the publish. Capped at half the hold, so the polls are still held.
 */
const SETTLE_PER_POLL_MS = 3;
/** How long the server may take to show a change in its held count. */
const HELD_COUNT_DEADLINE_MS = 3000;

/** A poll that was held while something happened, and what happened. */
export interface HeldRun {
  answers: PollAnswer[];
  published: PublishedMessage[];
}

/** The endpoint a long-polling section describes: held, answered empty with its timeout status. */
export function longPollingEndpoint(spec: ResolvedLongPolling): PollEndpoint {
  return {
    path: spec.path,
    method: spec.method,
    ...(spec.session ? { session: spec.session } : {}),
    cursor: spec.cursor,
    format: spec.format,
    emptyStatus: spec.timeoutStatus,
    ...(spec.waitParam !== undefined ? { waitParam: spec.waitParam } : {}),
    held: true,
    version: declaredVersion(spec),
  };
}

/** How often a client renews a poll that ended empty before the publish (see holdAndPublish). */
const MAX_RENEWALS = 3;

export class LongPollingActions extends PollActions {
  /** The last scenario-level event: polls held while a message was published. */
  heldRun: HeldRun | undefined;
  /** The held count before the scenario's clients walked away. */
  baselineHeld: number | undefined;
  /** The last walk-away: when its polls were sent, when their clients left, and the hold they asked for. */
  walkedAway: { startedAtMs: number; abortedAtMs: number; holdMs: number } | undefined;

  /** The adapter's long-polling section, defaults filled in. */
  readonly spec: ResolvedLongPolling;
  /** Long-polling behind faults on the path: cuts, an idle timeout (model M-10). */
  readonly faults: LongPollFaults;

  constructor(context: ScenarioContext, spec: ResolvedLongPolling) {
    const asks = spec.waitParam !== undefined;
    super(context, longPollingEndpoint(spec), {
      ...(asks ? { waitMs: spec.holdMs, catchUpWaitMs: 0 } : {}),
      deadlineMs: Math.max(spec.holdMs, spec.maxHoldMs) + holdSlackMs(spec.maxHoldMs) + 5000,
      malformedCursor: spec.malformedCursor,
      start: spec.start,
    });
    this.spec = spec;
    this.faults = new LongPollFaults(context, spec, this);
  }

  /** The hold a plain poll gets: the one asked for, or the server's fixed one. */
  get holdMs(): number {
    return this.spec.holdMs;
  }

  async heldCount(): Promise<number | undefined> {
    const stats = this.spec.stats;
    return stats === undefined ? undefined : readHeldCount(this.context.target.baseUrl, stats, this.context.httpAgent);
  }

  /**
   * Waits until the server holds at least `target` polls, read from its stats
   * when declared; otherwise a short pause is the only signal there is.
   */
  async awaitHeld(target: number, stop: () => boolean = () => false): Promise<void> {
    if (this.spec.stats === undefined) {
      const settle = Math.min(SETTLE_WITHOUT_STATS_MS + SETTLE_PER_POLL_MS * Math.max(0, target - 1), Math.round(this.holdMs / 2));
      await pause(Math.max(SETTLE_WITHOUT_STATS_MS, settle), stop);
      return;
    }
    await this.awaitHeldCount((held) => held >= target || stop(), `the server to hold ${target} poll(s)`);
  }

  /** Reads the held count until `done` says so, within a deadline; returns how long it took. */
  async awaitHeldCount(done: (held: number) => boolean, what: string): Promise<number> {
    const started = performance.now();
    let held: number | undefined;
    await waitFor(
      async () => {
        held = await this.heldCount();
        return held !== undefined && done(held) ? { value: undefined } : undefined;
      },
      { what, deadlineMs: HELD_COUNT_DEADLINE_MS, seen: () => `it holds ${held}`, everyMs: 10 },
    );
    return performance.now() - started;
  }

  /**
   * `names` each start a poll; once all are held (or all were answered: a
   * server that does not hold), one message is published; every answer is awaited.
   * A hold that ended empty before the server acknowledged the message (a
   * server whose holds end on a heartbeat of their own, such as engine.io's
   * ping) is renewed at once, as any client renews an expired poll: the poll
   * held when the server has the message is the one judged.
   */
  async holdAndPublish(names: readonly string[], publish: () => Promise<PublishedMessage> = () => this.context.publishOne()): Promise<void> {
    const before = (await this.heldCount()) ?? 0;
    let answered = false;
    let publishing: Promise<PublishedMessage> | undefined = undefined;
    // Bounded: a server that answers every poll empty at once (it does not hold) is not polled in a loop.
    const pollUntilWoken = async (name: string): Promise<PollAnswer> => {
      for (let renewals = 0; ; renewals++) {
        const answer = await this.poll(name);
        if (answer.kind !== 'empty' || renewals === MAX_RENEWALS) return answer;
        if (publishing !== undefined && answer.endedAtMs >= (await publishing).ackedAtMs) return answer;
      }
    };
    const settled = Promise.allSettled(names.map(pollUntilWoken)).finally(() => {
      answered = true;
    });
    await this.awaitHeld(before + names.length, () => answered);
    publishing = publish();
    const message = await publishing;
    const results = await settled;
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    this.heldRun = { answers: results.map((r) => (r as PromiseFulfilledResult<PollAnswer>).value), published: [message] };
  }

  /**
   * Publishes `data` (a framing sample) while `name`'s poll is held, then an
   * ordinary message while its next poll is held: a server without a cursor
   * (`"in": "none"`) delivers only to a held poll, and what is judged is the
   * data, not the gap between polls (LP-NO-GAP-LOSS judges that).
   */
  async publishSampleWhileHeld(name: string, data: string): Promise<void> {
    await this.holdAndPublish([name], () => this.context.publishData(data));
    await this.holdAndPublish([name]);
    // A server that does not hold (LP-HOLD-IDLE judges that) answered before the publish: with a cursor, catch up.
    if (this.endpoint.cursor.in !== 'none') await this.catchUp(name);
  }

  /** `names` each start a poll and walk away from it once the server holds them all (or answered them first). */
  async walkAway(names: readonly string[]): Promise<void> {
    const before = (await this.heldCount()) ?? 0;
    const controller = new AbortController();
    // One signal walks every client away at once: one listener per poll is the design, not a leak.
    setMaxListeners(names.length + 1, controller.signal);
    let answered = false;
    // The longest hold the server gives: a release at once is then far from one that comes when the hold ends.
    const waitMs = this.spec.waitParam !== undefined ? this.spec.maxHoldMs : undefined;
    const startedAtMs = performance.now();
    const settled = Promise.allSettled(names.map((name) => this.poll(name, { signal: controller.signal, ...(waitMs !== undefined ? { waitMs } : {}) }))).finally(() => {
      answered = true;
    });
    await this.awaitHeld(before + names.length, () => answered);
    this.walkedAway = { startedAtMs, abortedAtMs: performance.now(), holdMs: waitMs ?? this.holdMs };
    controller.abort();
    const results = await settled;
    const kept = results.filter((r) => r.status === 'fulfilled').length;
    if (kept > 0) this.context.transcript.note(`${kept} poll(s) were answered before their clients could walk away: the server did not hold them`);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected' && !(r.reason instanceof ClientAbort));
    if (failed) throw failed.reason;
  }

  async rememberHeldCount(): Promise<void> {
    this.baselineHeld = await this.heldCount();
  }

  /**
   * Waits until the held count is back at what {@link rememberHeldCount} read:
   * the polls the clients walked away from were released. Records how long that took.
   */
  async awaitReleased(what = 'polls the clients walked away from released'): Promise<void> {
    const baseline = this.baselineHeld;
    if (baseline === undefined) throw new Error('the scenario did not read the held count first');
    const ms = await this.awaitHeldCount((held) => held <= baseline, `${what}: the held count back at ${baseline}`);
    this.context.transcript.figure('released within', ms, 'ms');
  }

  /**
   * Like {@link awaitReleased}, and returns how long the release took after
   * the clients left, beside how long their holds still had to run then.
   */
  async timedRelease(): Promise<{ releasedMs: number; holdLeftMs: number }> {
    const left = this.walkedAway;
    if (left === undefined) throw new Error('no client walked away before this step');
    await this.awaitReleased('polls cancelled on a connection that stays open released');
    // From the moment the clients left, not from the start of the wait: the check compares it with the hold left then.
    const releasedMs = performance.now() - left.abortedAtMs;
    const holdLeftMs = left.holdMs - (left.abortedAtMs - left.startedAtMs);
    this.context.transcript.note(`the holds had ${Math.round(holdLeftMs)} ms left to run when their streams were cancelled`);
    return { releasedMs, holdLeftMs };
  }

  /** `name` polls once while nothing is published; how long the poll was held is recorded. */
  async pollAndTimeHold(name: string): Promise<PollAnswer> {
    this.announceHold('holding an idle poll', this.holdMs, 'hold');
    await this.poll(name);
    return this.timedAnswer('held');
  }

  /** Announces a hold a conforming server ends by `holdMs` plus slack, when that is long (core/progress.ts). */
  private announceHold(what: string, holdMs: number, declared: string): void {
    const slack = holdSlackMs(holdMs);
    this.context.announceWait(what, holdMs + slack, `the declared ${declared} ${duration(holdMs)} + ${duration(slack)}`);
  }

  /**
   * The polls held while one message was published, and the message, with the
   * delivery figures recorded: the slowest delivery (`max`), the spread over
   * many polls (`spread`: p50, p99 and how many), or none.
   */
  measuredHeldRun(figures: 'max' | 'spread' | 'none'): { answers: PollAnswer[]; message: PublishedMessage } {
    const run = this.heldRun;
    const message = run?.published[0];
    if (run === undefined || message === undefined) throw new Error('no poll was held while a message was published');
    const latencies = run.answers.filter((a) => a.messages.some((m) => m.data === message.data)).map((a) => a.endedAtMs - message.startedAtMs);
    const transcript = this.context.transcript;
    if (latencies.length > 0 && figures === 'max') transcript.figure('publish to receipt', Math.max(...latencies), 'ms');
    if (latencies.length > 0 && figures === 'spread') {
      transcript.figure('p99 publish to receipt', percentile(latencies, 0.99), 'ms');
      transcript.figure('p50 publish to receipt', percentile(latencies, 0.5), 'ms');
      transcript.figure('held polls', run.answers.length, '');
    }
    return { answers: run.answers, message };
  }

  /**
   * `name` holds two polls with the same cursor at once (two tabs of one
   * browser, RFC 6202 §5.1); once both reached the server, a message is published.
   */
  async pollTwiceAtOnce(name: string): Promise<void> {
    const cursor = this.client(name).cursor ?? null;
    const before = (await this.heldCount()) ?? 0;
    // The longest hold the server gives, so both polls are still held when the message comes, however busy the machine.
    const waitMs = this.spec.waitParam !== undefined ? { waitMs: this.spec.maxHoldMs } : {};
    const first = this.poll(name, { cursor, ...waitMs });
    // If what follows throws (a stopped run aborts the wait), the polls' own failures must not go unhandled.
    first.catch(() => undefined);
    await this.awaitHeld(before + 1);
    // With sessions the second tab polls on the first's session: that is what "one cursor" means there.
    const second = this.poll(`${name} (second tab)`, { cursor, ...waitMs, ...(this.endpoint.session !== undefined ? { sharing: name } : {}) });
    second.catch(() => undefined);
    // Depending on the declared policy the server holds one or two polls now; give the second time to arrive.
    await delay(SETTLE_WITHOUT_STATS_MS);
    const message = await this.context.publishOne();
    const [a, b] = await Promise.allSettled([first, second]);
    if (a.status === 'rejected') throw a.reason;
    if (b.status === 'rejected') throw b.reason;
    this.heldRun = { answers: [a.value, b.value], published: [message] };
  }

  /** Asks for a hold longer than the declared maximum (or, without a wait parameter, takes the fixed hold); records how long it was held. */
  async askLongerThanMaximum(name: string): Promise<PollAnswer> {
    const waitMs = this.spec.waitParam !== undefined ? this.spec.maxHoldMs + Math.max(1000, this.spec.holdMs) : undefined;
    this.announceHold('holding a poll that asks for more than the maximum', this.spec.maxHoldMs, 'maximum hold');
    await this.poll(name, waitMs !== undefined ? { waitMs } : {});
    return this.timedAnswer('held');
  }
}


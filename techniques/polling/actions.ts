/**
 * Ajax polling: the shared poll actions answered at once, plus what only a
 * polling client does, polling on an interval while messages arrive.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { ScenarioContext } from '../../core/context.ts';
import type { ResolvedPolling } from './adapter.ts';
import type { PollAnswer } from './poll-client.ts';
import { pollingEndpoint } from './poll-endpoint.ts';
import type { PublishedMessage } from '../../core/publisher.ts';
import { PollActions, settleBoth } from './poll-actions.ts';

/** A poll is answered at once; give a slow machine ample room before calling it held. */
const POLL_DEADLINE_MS = 5000;

/** How an interval run went, for the checks and the report. */
export interface IntervalRun {
  intervalMs: number;
  answers: PollAnswer[];
  published: PublishedMessage[];
}

export class PollingActions extends PollActions {
  intervalRun: IntervalRun | undefined;
  /** The adapter's polling section, defaults filled in. */
  readonly spec: ResolvedPolling;

  constructor(context: ScenarioContext, spec: ResolvedPolling) {
    super(context, pollingEndpoint(spec), { deadlineMs: POLL_DEADLINE_MS, malformedCursor: spec.malformedCursor, start: spec.start });
    this.spec = spec;
  }

  /**
   * `name` polls every `intervalMs` while `count` messages are published at
   * scattered moments. The pauses are the technique itself (a poller's
   * interval, a publisher's irregular rhythm), not waits for an event.
   */
  async pollEveryWhilePublishing(name: string, intervalMs: number, count: number): Promise<void> {
    const client = this.client(name);
    const firstAnswer = client.answers.length;
    const firstPublished = this.context.published.length;
    let lastAck = Number.POSITIVE_INFINITY;
    const publisher = (async () => {
      for (let i = 0; i < count; i++) {
        // Golden-ratio steps spread publishes evenly over the poll cycle, the same way every run.
        await delay(intervalMs * (0.5 + ((i * 0.618034) % 1)));
        await this.context.publishOne();
      }
    })().finally(() => {
      // Also on failure, so the poller below always stops.
      lastAck = this.context.published.at(-1)?.ackedAtMs ?? 0;
    });
    const poller = (async () => {
      let startedAt = 0;
      // Keep polling until a poll has started after the last acknowledgement.
      while (startedAt <= lastAck) {
        startedAt = this.context.transcript.now();
        await this.poll(name);
        await delay(Math.max(0, intervalMs - (this.context.transcript.now() - startedAt)));
      }
    })();
    await settleBoth(publisher, poller);
    this.intervalRun = {
      intervalMs,
      answers: client.answers.slice(firstAnswer),
      published: this.context.published.slice(firstPublished),
    };
  }

  /** `name`'s interval run, with its delays recorded as the report's figures. */
  measuredIntervalRun(name: string): IntervalRun {
    const run = this.intervalRun;
    if (run === undefined) throw new Error(`${name} made no interval run`);
    this.recordDelayFigures(run);
    return run;
  }

  /** Delay from acknowledged publish to receipt, against the interval: the figures the report shows. */
  private recordDelayFigures(run: IntervalRun): void {
    const received = new Map(run.answers.flatMap((a) => a.messages.map((m) => [m.data, m.receivedAtMs] as const)));
    const delays = run.published.flatMap((m) => {
      const at = received.get(m.data);
      return at === undefined ? [] : [at - m.ackedAtMs];
    });
    if (delays.length === 0) return;
    const mean = delays.reduce((sum, d) => sum + d, 0) / delays.length;
    this.context.transcript.figure('mean delay', mean, 'ms');
    this.context.transcript.figure('poll interval', run.intervalMs, 'ms');
    this.context.transcript.figure('max delay', Math.max(...delays), 'ms');
    this.recordCost(run.answers, run.published.length);
    this.context.transcript.note(`mean delay ${mean.toFixed(1)} ms for a ${run.intervalMs} ms interval: ${(mean / run.intervalMs).toFixed(2)} × T (about 0.5 × T expected, plus the answer time)`);
  }
}

/**
 * Long-polling behind faults on the path (core/fault-proxy.ts, model M-10): a
 * client that polls again with the same cursor after every cut while
 * thousands of messages are published, and an idle hold through an
 * intermediary that cuts connections silent a little longer than the
 * declared maximum hold.
 */
import type { ScenarioContext } from '../../core/context.ts';
import type { FaultProxy } from '../../core/fault-proxy.ts';
import { dataOf, randomResets, resetRunBatch, runThroughResets, type ResetRun } from '../../core/fault-runs.ts';
import { duration } from '../../core/progress.ts';
import { Signal } from '../../core/wait.ts';
import type { PollAnswer, PollClient } from '../polling/poll-client.ts';
import type { ResolvedLongPolling } from './adapter.ts';
import { holdSlackMs, type HoldThroughIdleTimeout } from './checks.ts';

/** Polls in a row that fail before the follower gives up (a server that stopped answering). */
const FAILED_POLLS_IN_A_ROW = 20;

/** What the long-polling actions lend the fault actions. */
export interface LongPollHost {
  poll(name: string, options?: { waitMs?: number }): Promise<PollAnswer>;
  client(name: string): PollClient;
  timedAnswer(figure?: string): PollAnswer;
}

export class LongPollFaults {
  private readonly context: ScenarioContext;
  private readonly spec: ResolvedLongPolling;
  private readonly host: LongPollHost;
  private proxy: FaultProxy | undefined;
  private idleTimeoutMs: number | undefined;
  /** The exactly-once run, once done. */
  resetRun: ResetRun | undefined;
  /** The idle hold, once done. */
  idleHold: HoldThroughIdleTimeout | undefined;

  constructor(context: ScenarioContext, spec: ResolvedLongPolling, host: LongPollHost) {
    this.context = context;
    this.spec = spec;
    this.host = host;
  }

  /** Cuts each connection after 8-32 KiB have reached the client: answers carry headers each time, so more bytes per message. */
  async throughRandomCuts(): Promise<void> {
    this.proxy = await this.context.throughFaults(randomResets(8 * 1024, 32 * 1024));
  }

  /**
   * Publishes `count` messages while the client keeps polling; a poll the
   * network cut is sent again at once with the same cursor (the client's
   * cursor moves only with an answer). Published in batches of at most half
   * the declared history (`polling.historyLimit`), so a poll-by-poll client is never behind it.
   */
  async followThroughCuts(count: number, historyLimit: number | undefined): Promise<ResetRun> {
    const proxy = this.requireProxy();
    const changes = new Signal();
    const client = this.host.client('client');
    const follow = async (stopped: () => boolean): Promise<void> => {
      let failed = 0;
      while (!stopped() && failed < FAILED_POLLS_IN_A_ROW) {
        try {
          await this.host.poll('client');
          failed = 0;
        } catch {
          failed += 1; // cut by the network: poll again with the same cursor
        }
        changes.notify();
      }
    };
    const received = dataOf(() => client.received, (m) => m.data);
    this.resetRun = await runThroughResets(this.context, proxy, { follow, changes, received }, () => Promise.resolve(), count, resetRunBatch(historyLimit));
    return this.resetRun;
  }

  /**
   * An intermediary that cuts a connection silent for longer than the
   * declared maximum hold, by the slack the hold's own check allows (M-4).
   */
  async throughIdleTimeout(): Promise<void> {
    this.idleTimeoutMs = this.spec.maxHoldMs + holdSlackMs(this.spec.maxHoldMs);
    this.proxy = await this.context.throughFaults({ idleTimeoutMs: this.idleTimeoutMs });
    this.context.transcript.figure('intermediary idle timeout', this.idleTimeoutMs, 'ms');
  }

  /**
   * The client polls while nothing is published, asking for the declared
   * maximum hold when the server takes a wait parameter (the longest hold it
   * may give); the answer, or the failure the cut caused, is kept.
   */
  async pollThroughIdleTimeout(): Promise<HoldThroughIdleTimeout> {
    const idle: HoldThroughIdleTimeout = { idleTimeoutMs: this.idleTimeoutMs! };
    this.context.announceWait('holding an idle poll through an intermediary with an idle timeout', this.idleTimeoutMs!, `the declared maximum hold ${duration(this.spec.maxHoldMs)} + slack`);
    try {
      await this.host.poll('client', this.spec.waitParam !== undefined ? { waitMs: this.spec.maxHoldMs } : {});
      idle.answer = this.host.timedAnswer('held');
    } catch (error) {
      idle.failed = error instanceof Error ? error.message : String(error);
    }
    const cut = this.requireProxy().connections.find((c) => c.ended?.startsWith('idle timeout') === true)?.ended;
    if (cut !== undefined) idle.cut = cut;
    this.idleHold = idle;
    return idle;
  }

  private requireProxy(): FaultProxy {
    if (this.proxy === undefined) throw new Error('the scenario put no fault proxy on the path');
    return this.proxy;
  }
}

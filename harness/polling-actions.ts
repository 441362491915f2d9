/**
 * What Ajax polling clients do in a scenario: catch up, poll, poll while
 * messages are published. Steps call these through the World; the checks in
 * checks/polling.ts then judge what was recorded.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { ConformanceFailure } from '../checks/conformance-failure.ts';
import { describeAnswer } from '../checks/polling.ts';
import { PollingClient, type PollAnswer, type PollingDeclaration } from '../clients/polling-client.ts';
import type { PublishedMessage } from '../clients/publisher.ts';
import type { PushWorld } from '../steps/world.ts';

/** A poll is answered at once; give a slow machine ample room before calling it held. */
const POLL_DEADLINE_MS = 5000;
/** Catching up must end: a server that never answers "nothing new" fails instead of looping. */
const CATCH_UP_DEADLINE_MS = 20_000;

/** How an interval run went, for the checks and the report. */
export interface IntervalRun {
  intervalMs: number;
  answers: PollAnswer[];
  published: PublishedMessage[];
}

export class PollingActions {
  private readonly world: PushWorld;
  private readonly clients = new Map<string, PollingClient>();
  /** How many messages had been published when each client caught up. */
  private readonly joinedAt = new Map<string, number>();
  /** How many messages had been published at each client's first poll without a cursor. */
  private readonly firstPollAt = new Map<string, number>();
  /** The answer the last step was about ("that answer"). */
  lastAnswer: PollAnswer | undefined;
  replayed: [PollAnswer, PollAnswer] | undefined;
  intervalRun: IntervalRun | undefined;

  constructor(world: PushWorld) {
    this.world = world;
  }

  get spec(): PollingDeclaration {
    const spec = this.world.adapter.polling;
    if (spec === undefined) throw new Error('the adapter declares no polling endpoint');
    return spec;
  }

  client(name: string): PollingClient {
    let client = this.clients.get(name);
    if (client === undefined) {
      client = new PollingClient(name, this.spec, this.world.channel, this.world.adapter.baseUrl, this.world.transcript);
      this.clients.set(name, client);
    }
    return client;
  }

  /** Polls once with the client's cursor, or with the one given (`null`: none). */
  async poll(name: string, cursor?: string | null): Promise<PollAnswer> {
    this.lastAnswer = await this.client(name).poll({ ...(cursor !== undefined ? { cursor } : {}), deadlineMs: POLL_DEADLINE_MS });
    return this.lastAnswer;
  }

  /** A new client's first poll carries no cursor: it starts where the server declares. */
  pollWithoutCursor(name: string): Promise<PollAnswer> {
    if (!this.firstPollAt.has(name)) this.firstPollAt.set(name, this.world.published.length);
    return this.poll(name, null);
  }

  /** Polls until an answer says nothing is new; every answer on the way must be readable. */
  async catchUp(name: string): Promise<void> {
    const client = this.client(name);
    const until = performance.now() + CATCH_UP_DEADLINE_MS;
    for (;;) {
      const answer = await this.poll(name);
      if (answer.kind === 'empty') return;
      if (answer.kind !== 'batch') throw new ConformanceFailure(`${name}'s polls to be answered with messages or the declared empty answer`, describeAnswer(answer));
      if (performance.now() > until) {
        throw new ConformanceFailure(`${name} to catch up within ${CATCH_UP_DEADLINE_MS} ms`, `still receiving after ${client.answers.length} polls`);
      }
    }
  }

  /** A client joins: it catches up from no cursor, and is owed every message published from then on. */
  async join(name: string): Promise<void> {
    this.joinedAt.set(name, this.world.published.length);
    await this.pollWithoutCursor(name);
    if (this.lastAnswer?.kind !== 'empty') await this.catchUp(name);
    this.joinedAt.set(name, this.world.published.length);
    // What it got while joining belongs to the history before it, not to what it is owed.
    this.client(name).received.length = 0;
  }

  /** The messages published since `name` caught up. */
  owedTo(name: string): PublishedMessage[] {
    return this.world.published.slice(this.joinedAt.get(name) ?? 0);
  }

  /** Polls with the cursor the adapter declares malformed, as a client of its own. */
  async pollWithMalformedCursor(name: string): Promise<PollAnswer> {
    const malformed = this.spec.malformedCursor;
    // With validators the cursor travels as If-None-Match; the client encodes it from this form.
    const cursor = this.spec.cursor.in === 'validators' ? JSON.stringify({ etag: malformed }) : malformed;
    return this.poll(name, cursor);
  }

  /** The messages published before a client's first poll, and those after. */
  splitAtFirstPoll(name: string): { before: PublishedMessage[]; after: PublishedMessage[] } {
    const at = this.firstPollAt.get(name);
    if (at === undefined) throw new Error(`${name} never polled without a cursor`);
    return { before: this.world.published.slice(0, at), after: this.world.published.slice(at) };
  }

  /** Delay from acknowledged publish to receipt, against the interval: the figures the report shows. */
  recordDelayFigures(run: IntervalRun): void {
    const received = new Map(run.answers.flatMap((a) => a.messages.map((m) => [m.data, m.receivedAtMs] as const)));
    const delays = run.published.flatMap((m) => {
      const at = received.get(m.data);
      return at === undefined ? [] : [at - m.ackedAtMs];
    });
    if (delays.length === 0) return;
    const mean = delays.reduce((sum, d) => sum + d, 0) / delays.length;
    this.world.transcript.figure('mean delay', mean, 'ms');
    this.world.transcript.figure('poll interval', run.intervalMs, 'ms');
    this.world.transcript.figure('max delay', Math.max(...delays), 'ms');
    this.world.transcript.note(`mean delay ${mean.toFixed(1)} ms for a ${run.intervalMs} ms interval: ${(mean / run.intervalMs).toFixed(2)} × T (about 0.5 × T expected, plus the answer time)`);
  }

  async pollTwiceWithSameCursor(name: string): Promise<void> {
    const cursor = this.client(name).cursor ?? null;
    const first = await this.poll(name, cursor);
    const second = await this.poll(name, cursor);
    this.replayed = [first, second];
  }

  async pollTimes(name: string, times: number): Promise<void> {
    for (let i = 0; i < times; i++) await this.poll(name);
  }

  /**
   * Publishes `count` messages one after another while `name` polls back to
   * back, then lets the client catch up: the gap between polls is where
   * servers lose messages.
   */
  async publishWhilePolling(name: string, count: number): Promise<void> {
    let publishing = true;
    const publisher = this.world.publishMessages(count).finally(() => {
      publishing = false;
    });
    const poller = (async () => {
      while (publishing) await this.poll(name);
    })();
    await settleBoth(publisher, poller);
    await this.catchUp(name);
  }

  /**
   * `name` polls every `intervalMs` while `count` messages are published at
   * scattered moments. The pauses are the technique itself (a poller's
   * interval, a publisher's irregular rhythm), not waits for an event.
   */
  async pollEveryWhilePublishing(name: string, intervalMs: number, count: number): Promise<void> {
    const client = this.client(name);
    const firstAnswer = client.answers.length;
    const firstPublished = this.world.published.length;
    let lastAck = Number.POSITIVE_INFINITY;
    const publisher = (async () => {
      for (let i = 0; i < count; i++) {
        // Golden-ratio steps spread publishes evenly over the poll cycle, the same way every run.
        await delay(intervalMs * (0.5 + ((i * 0.618034) % 1)));
        await this.world.publishOne();
      }
    })().finally(() => {
      // Also on failure, so the poller below always stops.
      lastAck = this.world.published.at(-1)?.ackedAtMs ?? 0;
    });
    const poller = (async () => {
      let startedAt = 0;
      // Keep polling until a poll has started after the last acknowledgement.
      while (startedAt <= lastAck) {
        startedAt = this.world.transcript.now();
        await this.poll(name);
        await delay(Math.max(0, intervalMs - (this.world.transcript.now() - startedAt)));
      }
    })();
    await settleBoth(publisher, poller);
    this.intervalRun = {
      intervalMs,
      answers: client.answers.slice(firstAnswer),
      published: this.world.published.slice(firstPublished),
    };
  }

  async close(): Promise<void> {
    await Promise.all([...this.clients.values()].map((c) => c.close()));
  }
}

/** Waits for both tasks; if either failed, the first failure is rethrown once both have stopped. */
async function settleBoth(a: Promise<unknown>, b: Promise<unknown>): Promise<void> {
  const [first, second] = await Promise.allSettled([a, b]);
  if (first.status === 'rejected') throw first.reason;
  if (second.status === 'rejected') throw second.reason;
}

/**
 * A polling or long-polling subscriber: the technique's own client
 * (techniques/polling/poll-client.ts) polling in a loop. A cut aborts the
 * request in flight and drops the connection; a fresh client resumes from
 * the cursor of the last answer read whole, so an answer cut in transit is
 * asked for again.
 */
import { ClientAbort, describeError } from '../core/http.ts';
import type { Transcript } from '../core/transcript.ts';
import { pause } from '../core/wait.ts';
import { PollClient, type PollTarget } from '../techniques/polling/poll-client.ts';
import type { PollEndpoint } from '../techniques/polling/poll-endpoint.ts';
import { SubscriberBase, type Subscriber } from './subscriber.ts';

export interface PollSubscriberOptions {
  endpoint: PollEndpoint;
  target: PollTarget;
  transcript: Transcript;
  /** The hold to ask for (long-polling with a wait parameter). */
  waitMs?: number;
  /** Pause between polls (Ajax polling); 0 for long-polls. */
  intervalMs: number;
  /** The whole answer of one poll must come within this. */
  deadlineMs: number;
}

/** After a failed poll, wait this long before the next, so a refusing server is not hammered. */
const RETRY_AFTER_ERROR_MS = 200;

export class PollSubscriber extends SubscriberBase implements Subscriber {
  private readonly options: PollSubscriberOptions;
  private client: PollClient;
  private controller = new AbortController();
  private loop: Promise<void> | undefined;
  /** Set by a cut, so a pause between polls ends at once. */
  private cutPending = false;

  constructor(name: string, options: PollSubscriberOptions) {
    super(name);
    this.options = options;
    this.client = this.newClient();
  }

  private newClient(): PollClient {
    return new PollClient(this.name, this.options.endpoint, this.options.target, this.options.transcript);
  }

  async start(): Promise<void> {
    const { endpoint } = this.options;
    // A first poll answered at once takes the position (the cursor of "now"). A long-poll
    // without a wait parameter would be held: its first held poll is the position.
    if (!endpoint.held || endpoint.waitParam !== undefined) {
      const answer = await this.client.poll({ deadlineMs: this.options.deadlineMs, ...(endpoint.held ? { waitMs: 0 } : {}) });
      if (answer.kind === 'error' || answer.kind === 'invalid') throw new Error(`${this.name}: the first poll was answered ${answer.status}${answer.problem ? ` (${answer.problem})` : ''}`);
      this.keep(answer.messages);
    }
    this.loop = this.run();
  }

  private keep(messages: ReadonlyArray<{ data: string; receivedAtMs: number }>): void {
    for (const m of messages) this.take(m.data, m.receivedAtMs);
    // The soak reads each answer once: the client need not keep them all.
    this.client.answers.length = 0;
    this.client.received.length = 0;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      this.cutPending = false;
      try {
        const answer = await this.client.poll({ deadlineMs: this.options.deadlineMs, signal: this.controller.signal, ...(this.options.waitMs !== undefined ? { waitMs: this.options.waitMs } : {}) });
        this.keep(answer.messages);
        if (answer.kind === 'error' || answer.kind === 'invalid') {
          this.failed(`poll answered ${answer.status}${answer.problem ? `: ${answer.problem}` : ''}`);
          await pause(RETRY_AFTER_ERROR_MS, () => this.stopped);
        }
      } catch (error) {
        if (error instanceof ClientAbort || this.stopped) continue;
        this.failed(describeError(error));
        await pause(RETRY_AFTER_ERROR_MS, () => this.stopped);
      }
      if (this.options.intervalMs > 0) await pause(this.options.intervalMs, () => this.stopped || this.cutPending);
    }
  }

  cut(): void {
    if (this.stopped) return;
    const old = this.client;
    this.cutPending = true;
    this.controller.abort();
    this.controller = new AbortController();
    this.client = this.newClient();
    // The cursor of the last answer read whole: an answer cut in transit is asked for again.
    this.client.cursor = old.cursor;
    this.reconnects += 1;
    void old.close();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.controller.abort();
    await this.loop;
    await this.client.close();
  }
}

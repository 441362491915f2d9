/**
 * The real client's part of the SSE actions (reached as `actions.sse.real`):
 * the `eventsource` package reading the stream as a browser's EventSource
 * would, reconnecting with Last-Event-ID after the scenario cuts its connection.
 */
import { declaredVersion } from '../../core/http-version.ts';
import type { ScenarioContext } from '../../core/context.ts';
import { duration } from '../../core/progress.ts';
import type { ResolvedSse } from './adapter.ts';
import { EVENT_DEADLINE_MS, HEAD_DEADLINE_MS, HELD_HEAD_MS } from './deadlines.ts';
import { RealSseClient, type RealClientMessage, type RealClientRequest } from './real-client.ts';

/** What the real client has seen, as the checks read it. */
export interface RealClientView {
  requests: readonly RealClientRequest[];
  messages: readonly RealClientMessage[];
  /** 0 connecting, 1 open, 2 closed for good. */
  readyState: number;
  /** One line on it, for Actual texts. */
  description: string;
}

export class RealClientActions {
  private readonly context: ScenarioContext;
  private readonly spec: ResolvedSse;
  private readonly url: () => Promise<string>;
  private readonly expand: ((message: { type: string; data: string; lastEventId: string }) => string[]) | undefined;
  private instance: RealSseClient | undefined;

  constructor(context: ScenarioContext, spec: ResolvedSse, url: () => Promise<string>) {
    this.context = context;
    this.spec = spec;
    this.url = url;
    const decode = spec.decode;
    this.expand = decode && ((m) => (decode({ type: m.type, data: m.data, ...(m.lastEventId !== '' ? { id: m.lastEventId } : {}) }).messages ?? []).map((x) => x.data));
  }

  /** Opens the real client; resolves once its first request was answered (or is taken as held). */
  async open(): Promise<void> {
    const client = new RealSseClient(await this.url(), {
      transcript: this.context.transcript,
      actor: 'real client',
      tls: this.context.clientTls,
      version: declaredVersion(this.spec),
      ...(this.spec.gapEvent ? { types: [this.spec.gapEvent] } : {}),
      ...(this.expand ? { expand: this.expand } : {}),
    });
    this.instance = client;
    await client.waitUntil(() => client.requests[0] !== undefined, HEAD_DEADLINE_MS, 'the real client to send its request', () => client.describe());
    // As for the strict reader: a head held until there is news is waited for as the scenario goes on.
    await client.waitUntil(() => client.requests[0]?.status !== undefined, HELD_HEAD_MS, 'the real client connected', () => client.describe()).catch(() => {
      this.context.transcript.note(`real client: no response head within ${HELD_HEAD_MS} ms; taken as held until there is news (SSE-OPENS-AT-ONCE judges that), the scenario goes on`);
    });
  }

  /** Waits until the real client has received `count` messages. */
  async received(count: number): Promise<void> {
    const client = this.client;
    await client.waitUntil(() => client.messages.length >= count, EVENT_DEADLINE_MS, `the real client to receive ${count} message(s)`, () => client.describe());
  }

  /** Waits until the real client has a message `done` accepts, or the deadline passes (the check says what arrived). */
  async receivedUntil(done: (message: RealClientMessage) => boolean): Promise<RealClientView> {
    const client = this.client;
    await client.waitUntil(() => client.messages.some(done), EVENT_DEADLINE_MS, 'the real client to receive the ordinary message', () => client.describe()).catch(() => undefined);
    return this.view();
  }

  /** Publishes `count` messages and waits until the real client has them. */
  async publishAndReceive(count: number): Promise<void> {
    await this.context.publishMessages(count);
    await this.received(count);
  }

  /** Cuts the real client's connection from the network side, as a failure would. */
  cutConnection(): void {
    this.client.cutConnection();
  }

  /** What the real client has seen, once it has `count` messages or at the deadline. */
  async view(count?: number): Promise<RealClientView> {
    if (count !== undefined) await this.received(count).catch(() => undefined); // the check says what arrived
    const client = this.client;
    return { requests: [...client.requests], messages: [...client.messages], readyState: client.readyState, description: client.describe() };
  }

  /** The id of the last event the real client received before its connection was cut. */
  lastIdBeforeCut(): string {
    const client = this.client;
    return [...client.messages].reverse().find((m) => m.atMs <= (client.cutAtMs ?? 0))?.lastEventId ?? '';
  }

  /** Waits for the real client to reconnect, within the declared retry plus the event deadline. */
  async awaitReconnection(): Promise<RealClientView> {
    const client = this.client;
    this.announceReconnection();
    await client.waitUntil(() => client.requests.length >= 2, EVENT_DEADLINE_MS + (this.spec.retryMs ?? 3000), 'the real client to reconnect', () => client.describe());
    return this.view();
  }

  /** How long after the cut the real client reconnected, recorded beside the declared retry. */
  async measureReconnectDelay(): Promise<number> {
    const client = this.client;
    const retry = this.spec.retryMs!;
    this.announceReconnection();
    await client.waitUntil(() => client.requests.length >= 2, retry * 2 + EVENT_DEADLINE_MS, 'the real client to reconnect', () => client.describe());
    const delayMs = client.requests[1]!.atMs - (client.cutAtMs ?? 0);
    this.context.transcript.figure('reconnect delay', delayMs, 'ms');
    this.context.transcript.figure('declared retry', retry, 'ms');
    return delayMs;
  }

  /** Waits (within two retries and the event deadline) for the real client to close for good. */
  async awaitClosed(): Promise<RealClientView> {
    const client = this.client;
    await client.waitUntil(() => client.readyState === 2, (this.spec.retryMs ?? 3000) * 2 + EVENT_DEADLINE_MS, 'the real client to close for good', () => client.describe()).catch(() => undefined);
    return this.view();
  }

  async close(): Promise<void> {
    await this.instance?.close();
  }

  /** Announces the wait for a reconnection when the declared (or default) reconnection time makes it long. */
  private announceReconnection(): void {
    const retry = this.spec.retryMs ?? 3000;
    // As late as checkReconnectDelay allows: 25 % and 250 ms past the reconnection time.
    this.context.announceWait('waiting for the real client to reconnect', retry * 1.25 + 250, `the reconnection time ${duration(retry)}, +25 % + 250 ms`);
  }

  private get client(): RealSseClient {
    if (this.instance === undefined) throw new Error('no real client was opened');
    return this.instance;
  }
}

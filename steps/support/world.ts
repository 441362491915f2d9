/**
 * The one World every step talks to. It holds what a scenario needs (the
 * adapter, a fresh channel, the publisher, the clients) and what it recorded
 * (the transcript), and hands the clients' work to technique-specific actions.
 */
import { setDefaultTimeout, setWorldConstructor, World, type IWorldOptions } from '@cucumber/cucumber';
import { Agent } from 'undici';
import { adapterFromDefinition, loadAdapterFile } from '../../adapters/contract/load.ts';
import type { ResolvedAdapter } from '../../adapters/contract/resolve.ts';
import { Publisher, type PublishedMessage } from '../../core/publisher.ts';
import type { ConformanceFailure } from '../../core/failure.ts';
import { Transcript } from '../../core/transcript.ts';
import type { Technique } from '../../adapters/contract/definition.ts';
import { LongPollingActions } from '../../techniques/long-polling/actions.ts';
import type { PollActions } from '../../techniques/polling/poll-actions.ts';
import { PollingActions } from '../../techniques/polling/actions.ts';
import { SseActions } from '../../techniques/sse/actions.ts';
import { WebSocketActions } from '../../techniques/websocket/actions.ts';

/** What the runner passes to every World (JSON only: parallel workers are other processes). */
export interface PushParameters {
  /** The adapter file to load, or an adapter definition given inline. */
  adapter: { file: string } | { inline: Record<string, unknown> };
  /** Where the server under test answers, after `{port}` was filled in. */
  baseUrl: string;
}

/** Deadline for any single request that the server must answer at once. */
export const ANSWER_DEADLINE_MS = 5000;

/**
 * Cucumber's fixed timeout is off: steps/step-deadline.ts gives every step a
 * backstop sized to the times the adapter declares. Every wait inside a step
 * has its own, shorter deadline.
 */
setDefaultTimeout(-1);

const adapters = new Map<string, Promise<ResolvedAdapter>>();

/** Loads the adapter once per process; every scenario reuses it. */
function resolveAdapter(parameters: PushParameters): Promise<ResolvedAdapter> {
  const key = JSON.stringify(parameters);
  let adapter = adapters.get(key);
  if (adapter === undefined) {
    const source = parameters.adapter;
    const loaded = 'file' in source ? loadAdapterFile(source.file) : Promise.resolve(adapterFromDefinition(source.inline, '(inline adapter)'));
    adapter = loaded.then((a) => ({ ...a, baseUrl: parameters.baseUrl }));
    adapters.set(key, adapter);
  }
  return adapter;
}

export class PushWorld extends World<PushParameters> {
  readonly transcript = new Transcript();
  /** The first requirement check that did not hold: the Expected/Actual of the report. */
  failure: ConformanceFailure | undefined;
  /** Set by the Before hook when the adapter lacks what the scenario needs. */
  unsupported: string | undefined;
  /** The technique of the scenario's feature (its technique tag), set by the Before hook. */
  technique: Technique | undefined;
  private resolved: ResolvedAdapter | undefined;
  private channelName: string | undefined;
  private publisherInstance: Publisher | undefined;
  private pollingActions: PollingActions | undefined;
  private longPollingActions: LongPollingActions | undefined;
  private sseActions: SseActions | undefined;
  private wsActions: WebSocketActions | undefined;
  private agent: Agent | undefined;

  constructor(options: IWorldOptions<PushParameters>) {
    super(options);
  }

  /** Loads the adapter; called by the first Before hook. */
  async prepare(): Promise<ResolvedAdapter> {
    this.resolved = await resolveAdapter(this.parameters);
    return this.resolved;
  }

  /** The adapter once the Before hook has loaded it, for the step backstop. */
  get loadedAdapter(): ResolvedAdapter | undefined {
    return this.resolved;
  }

  get adapter(): ResolvedAdapter {
    if (this.resolved === undefined) throw new Error('the adapter is not loaded yet (the Before hook loads it)');
    return this.resolved;
  }

  /** A channel no other scenario uses, so scenarios cannot disturb each other. */
  useFreshChannel(): void {
    this.channelName = `ps-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    this.transcript.note(`channel ${this.channelName}`);
  }

  get channel(): string {
    if (this.channelName === undefined) this.useFreshChannel();
    return this.channelName!;
  }

  get publisher(): Publisher {
    this.publisherInstance ??= new Publisher(this.adapter, this.channel, this.transcript);
    return this.publisherInstance;
  }

  get published(): readonly PublishedMessage[] {
    return this.publisherInstance?.published ?? [];
  }

  /** Ajax polling: the clients and what they do. */
  get polling(): PollingActions {
    this.pollingActions ??= new PollingActions(this);
    return this.pollingActions;
  }

  /** HTTP long-polling: the clients and what they do. */
  get longPolling(): LongPollingActions {
    this.longPollingActions ??= new LongPollingActions(this);
    return this.longPollingActions;
  }

  /** Server-Sent Events: the strict reader, the real client, and what they do. */
  get sse(): SseActions {
    this.sseActions ??= new SseActions(this);
    return this.sseActions;
  }

  /** WebSockets: raw-frame clients on the echo and channel endpoints. */
  get ws(): WebSocketActions {
    this.wsActions ??= new WebSocketActions(this);
    return this.wsActions;
  }

  /** For the scenario's own requests besides publishing and polling (closing a channel, a CORS preflight). */
  get httpAgent(): Agent {
    this.agent ??= new Agent();
    return this.agent;
  }

  /** Publishes one message with the given data (and event name), for scenarios that need particular text. */
  publishData(data: string, event?: string): Promise<PublishedMessage> {
    return this.publisher.publish(data, { deadlineMs: ANSWER_DEADLINE_MS, ...(event !== undefined ? { event } : {}) });
  }

  /** The polling clients of the scenario's technique: phrases both techniques share go through here. */
  get polls(): PollActions {
    if (this.technique === 'longPolling') return this.longPolling;
    if (this.technique === 'polling') return this.polling;
    throw new Error(`a polling phrase in a scenario of technique ${this.technique ?? '(none)'}`);
  }

  /** Publishes `count` distinct messages one after another, each acknowledged before the next. */
  async publishMessages(count: number): Promise<PublishedMessage[]> {
    const sent: PublishedMessage[] = [];
    for (let i = 0; i < count; i++) sent.push(await this.publishOne());
    return sent;
  }

  /** Publishes one message whose data says which one it is, so receipts can be matched to publishes. */
  publishOne(): Promise<PublishedMessage> {
    const seq = this.published.length + 1;
    return this.publisher.publish(`m${String(seq).padStart(4, '0')}-${this.channel.slice(-6)}`, { deadlineMs: ANSWER_DEADLINE_MS });
  }

  /** Closes every connection the scenario opened: cucumber waits for the event loop to drain. */
  async close(): Promise<void> {
    await Promise.all([this.publisherInstance?.close(), this.pollingActions?.close(), this.longPollingActions?.close(), this.sseActions?.close(), this.wsActions?.close(), this.agent?.destroy()]);
  }
}

setWorldConstructor(PushWorld);

/**
 * What one scenario works with, whatever the technique: the server it checks,
 * a channel no other scenario uses, the transcript everything is recorded in,
 * the publisher, an HTTP agent for one-off requests, and the list of what to
 * close at the end. The World builds one per scenario and hands it to each
 * technique's actions; the actions never see the World.
 */
import type { ConnectionOptions } from 'node:tls';
import { Agent } from 'undici';
import { FaultProxy, type FaultPlan } from './fault-proxy.ts';
import { fillPlaceholders } from './placeholders.ts';
import { LONG_WAIT_MS, progressLine } from './progress.ts';
import { Publisher, type PublishedMessage, type PublishTarget } from './publisher.ts';
import { tlsClientOptions } from './tls.ts';
import { Transcript } from './transcript.ts';

/** Deadline for any single request that the server must answer at once (a publish, a preflight). */
export const ANSWER_DEADLINE_MS = 5000;

/** Where the fault proxy listens: clients reach it there instead of the server. */
const PROXY_HOST = '127.0.0.1';

export interface ScenarioOptions {
  /** What the scenario checks, as progress lines name it: its requirement id. */
  label?: string;
  /** Where progress lines go (core/progress.ts); without it long waits pass unannounced. */
  progress?: (line: string) => void;
  /** Share another context's transcript (an instance of a cluster: {@link ScenarioContext.onInstance}). */
  transcript?: Transcript;
  /** Use this channel from the start (the same channel on every instance of a cluster). */
  channel?: string;
}

export class ScenarioContext {
  readonly transcript: Transcript;
  /** The server under test: its name, where it answers, how it publishes. */
  readonly target: PublishTarget;
  private channelName: string | undefined;
  private publisherInstance: Publisher | undefined;
  private agent: Agent | undefined;
  private proxy: FaultProxy | undefined;
  private readonly closers: Array<() => unknown> = [];
  private readonly options: ScenarioOptions;

  constructor(target: PublishTarget, options: ScenarioOptions = {}) {
    this.target = target;
    this.options = options;
    this.transcript = options.transcript ?? new Transcript();
    this.channelName = options.channel;
  }

  /**
   * The same scenario on another instance of a cluster (docs/model.md M-11):
   * the same channel and transcript, the server at `baseUrl`, a publisher and
   * clients of its own; it closes with this context.
   */
  onInstance(baseUrl: string): ScenarioContext {
    const { transcript: _shared, channel: _channel, ...rest } = this.options;
    const other = new ScenarioContext({ ...this.target, baseUrl }, { ...rest, transcript: this.transcript, channel: this.channel });
    this.onClose(() => other.close());
    return other;
  }

  /**
   * Says that a wait of up to `upToMs` has begun, when it is long enough
   * ({@link LONG_WAIT_MS}) to be taken for a hang: `what` is being done, `why`
   * says how the time is made (`2 × 15 s + 7.5 s`).
   */
  announceWait(what: string, upToMs: number, why: string): void {
    if (upToMs <= LONG_WAIT_MS) return;
    this.options.progress?.(progressLine(this.options.label ?? this.target.name, what, upToMs, why));
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

  /**
   * An endpoint's URL: `{channel}` in the path (or absolute URL) filled with
   * the scenario's channel, resolved against the server's base URL, with
   * `query` parameters set.
   */
  url(path: string, query: Record<string, string> = {}): string {
    const url = this.routed(new URL(fillPlaceholders(path, { channel: encodeURIComponent(this.channel) }), this.target.baseUrl));
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    return url.href;
  }

  /**
   * Where clients reach the server: its base URL, or the fault proxy's once
   * {@link throughFaults} has put one on the path. Publishing never goes
   * through the proxy: the faults are the clients' path, not the publisher's.
   */
  get clientBaseUrl(): string {
    return this.routed(new URL(this.target.baseUrl)).href;
  }

  /**
   * Puts a fault-injecting proxy (core/fault-proxy.ts) between the scenario's
   * clients and the server: every URL {@link url} and {@link clientBaseUrl}
   * give from now on points at it. It closes with the scenario.
   */
  async throughFaults(plan: FaultPlan): Promise<FaultProxy> {
    if (this.proxy !== undefined) throw new Error('the scenario already has a fault proxy');
    const server = new URL(this.target.baseUrl);
    const port = server.port === '' ? (server.protocol === 'https:' ? 443 : 80) : Number(server.port);
    this.proxy = await FaultProxy.start({ host: server.hostname.replace(/^\[|\]$/g, ''), port }, plan);
    this.transcript.note(`clients reach the server through a fault proxy on 127.0.0.1:${this.proxy.port}`);
    return this.proxy;
  }

  /** `url` pointed at the fault proxy when there is one and the URL is the server's own origin. */
  private routed(url: URL): URL {
    if (this.proxy === undefined || url.origin !== new URL(this.target.baseUrl).origin) return url;
    url.hostname = PROXY_HOST;
    url.port = String(this.proxy.port);
    return url;
  }

  /**
   * What every client of the scenario connects with over TLS: the CA the
   * adapter (or `--ca`) trusts, and, once the fault proxy is on the path, the
   * server's own name as the one its certificate must carry: the proxy
   * forwards the TLS bytes as they are, so the certificate is the server's.
   */
  get clientTls(): ConnectionOptions {
    const serverHost = new URL(this.target.baseUrl).hostname.replace(/^\[|\]$/g, '');
    return tlsClientOptions(this.target.tls, (host) => (this.proxy !== undefined && host === PROXY_HOST ? serverHost : host));
  }

  get publisher(): Publisher {
    this.publisherInstance ??= new Publisher(this.target, this.channel, this.transcript);
    return this.publisherInstance;
  }

  /** Every message published so far, in publish order. */
  get published(): readonly PublishedMessage[] {
    return this.publisherInstance?.published ?? [];
  }

  /** Publishes one message with the given data (and event name), for scenarios that need particular text. */
  publishData(data: string, event?: string): Promise<PublishedMessage> {
    return this.publisher.publish(data, { deadlineMs: ANSWER_DEADLINE_MS, ...(event !== undefined ? { event } : {}) });
  }

  /**
   * Publishes `data` (a framing sample), then an ordinary message that marks
   * its end; returns both, the sample first. A check waits for the marker, so
   * a sample split in two shows without a fixed wait.
   */
  async publishSampleThenMarker(data: string): Promise<{ sample: PublishedMessage; marker: PublishedMessage }> {
    const sample = await this.publishData(data);
    return { sample, marker: await this.publishOne() };
  }

  /** Publishes one message whose data says which one it is, so receipts can be matched to publishes. */
  publishOne(): Promise<PublishedMessage> {
    const seq = this.published.length + 1;
    return this.publishData(`m${String(seq).padStart(4, '0')}-${this.channel.slice(-6)}`);
  }

  /** Publishes `count` distinct messages one after another, each acknowledged before the next. */
  async publishMessages(count: number): Promise<PublishedMessage[]> {
    const sent: PublishedMessage[] = [];
    for (let i = 0; i < count; i++) sent.push(await this.publishOne());
    return sent;
  }

  /** For the scenario's own requests besides publishing and polling (closing a channel, a CORS preflight). */
  get httpAgent(): Agent {
    this.agent ??= new Agent({ connect: this.clientTls });
    return this.agent;
  }

  /** Registers something to close when the scenario ends (a technique's clients). */
  onClose(close: () => unknown): void {
    this.closers.push(close);
  }

  /** Closes every connection the scenario opened: cucumber waits for the event loop to drain. */
  async close(): Promise<void> {
    await Promise.all([...this.closers.map((close) => close()), this.publisherInstance?.close(), this.agent?.destroy()]);
    await this.proxy?.close();
  }
}

/**
 * Makes the server under test publish messages, the way its adapter says:
 * an HTTP request template or a function. Keeps what was published, in order,
 * with the time the server acknowledged each one.
 */
import { Agent } from 'undici';
import type { ResolvedAdapter, ResolvedPublishRequest } from '../adapters/contract/resolve.ts';
import { fillPlaceholders, publishPlaceholders, readJsonPointer } from './placeholders.ts';
import type { Transcript } from './transcript.ts';
import { sendRecorded } from './http.ts';

export interface PublishedMessage {
  /** 0-based position in publish order. */
  seq: number;
  data: string;
  event?: string;
  /** The server's id for it, when the adapter can read one. */
  id?: string;
  startedAtMs: number;
  /** When the server acknowledged it: from here on a client may expect to see it. */
  ackedAtMs: number;
}

/** Raised when the harness cannot make the server publish: the adapter's publish is wrong or the server refuses. */
export class PublishError extends Error {
  override name = 'PublishError';
}

export class Publisher {
  readonly published: PublishedMessage[] = [];
  /** Promises waiting for the count of published messages to reach a number. */
  private waiters: { count: number; resolve: () => void }[] = [];
  private readonly agent = new Agent({ connections: 4 });
  private readonly adapter: ResolvedAdapter;
  private readonly channel: string;
  private readonly transcript: Transcript;

  constructor(adapter: ResolvedAdapter, channel: string, transcript: Transcript) {
    this.adapter = adapter;
    this.channel = channel;
    this.transcript = transcript;
  }

  /** Publishes one message and waits for the server's acknowledgement. */
  async publish(data: string, options: { event?: string; deadlineMs: number }): Promise<PublishedMessage> {
    const publish = this.adapter.publish;
    if (publish === undefined) throw new PublishError(`adapter "${this.adapter.name}" declares no way to publish`);
    const startedAtMs = this.transcript.now();
    const id =
      typeof publish === 'function'
        ? await this.publishByFunction(publish, data, options)
        : await this.publishByRequest(publish, data, options);
    const message: PublishedMessage = {
      seq: this.published.length,
      data,
      startedAtMs,
      ackedAtMs: this.transcript.now(),
      ...(options.event !== undefined ? { event: options.event } : {}),
      ...(id !== undefined ? { id } : {}),
    };
    this.published.push(message);
    this.waiters = this.waiters.filter((w) => (w.count <= this.published.length ? (w.resolve(), false) : true));
    return message;
  }

  /** Resolves once `count` messages have been published (acknowledged) in all. */
  waitForCount(count: number): Promise<void> {
    if (this.published.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  async close(): Promise<void> {
    await this.agent.destroy();
  }

  private async publishByRequest(template: ResolvedPublishRequest, data: string, options: { event?: string; deadlineMs: number }): Promise<string | undefined> {
    const values = publishPlaceholders({ channel: this.channel, data, ...(options.event !== undefined ? { event: options.event } : {}) });
    const url = new URL(fillPlaceholders(template.url, { channel: encodeURIComponent(this.channel) }), this.adapter.baseUrl);
    // A header left empty by its placeholders (`{event}` for a message without an event name) is
    // not sent: servers such as Nchan read an empty X-EventSource-Event as a name, and write `event: `.
    const headers = Object.fromEntries(
      Object.entries(template.headers ?? {})
        .map(([k, v]) => [k, fillPlaceholders(v, values)] as const)
        .filter(([, v]) => v !== ''),
    );
    const answer = await sendRecorded(this.agent, this.transcript, {
      actor: 'publisher',
      method: template.method,
      url: url.href,
      headers,
      body: fillPlaceholders(template.body, values),
      deadlineMs: options.deadlineMs,
    });
    if (answer.status < 200 || answer.status > 299) {
      throw new PublishError(`publishing failed: ${template.method} ${url.pathname} answered ${answer.status} ${answer.body.slice(0, 200)}`);
    }
    if (template.idPointer === undefined) return undefined;
    try {
      const id = readJsonPointer(JSON.parse(answer.body), template.idPointer);
      return id === undefined || id === null ? undefined : String(id);
    } catch {
      return undefined;
    }
  }

  private async publishByFunction(
    publish: Extract<ResolvedAdapter['publish'], Function>,
    data: string,
    options: { event?: string; deadlineMs: number },
  ): Promise<string | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new PublishError(`the adapter's publish function did not finish within ${options.deadlineMs} ms`)), options.deadlineMs);
    });
    try {
      const message = { channel: this.channel, data, ...(options.event !== undefined ? { event: options.event } : {}) };
      const result = await Promise.race([publish(message, { baseUrl: this.adapter.baseUrl }), deadline]);
      return result?.id;
    } finally {
      clearTimeout(timer);
    }
  }
}

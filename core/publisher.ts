/**
 * Makes the server under test publish messages, the way its adapter says: an
 * HTTP request template or a function. Publishing is the same for every
 * technique, so its part of the adapter contract (the types below) lives here
 * and the contract re-exports it. Keeps what was published, in order, with the
 * time the server acknowledged each one.
 */
import { Agent } from 'undici';
import { sendRecorded } from './http.ts';
import { fillPlaceholders, readJsonPointer } from './placeholders.ts';
import { tlsClientOptions, type TlsTrust } from './tls.ts';
import type { Transcript } from './transcript.ts';
import { Signal, waitUntil } from './wait.ts';

/** An HTTP request that makes the server publish one message. */
export interface PublishRequest {
  /** Default `POST`. */
  method?: 'POST' | 'PUT';
  /** Path relative to `baseUrl`, or an absolute URL; `{channel}` replaced. Required unless `protocol` gives it. */
  url?: string;
  /** Request headers; values may use the placeholders below. */
  headers?: Record<string, string>;
  /**
   * Body template. Placeholders: `{channel}`, `{data}` (raw), `{data:json}` (a JSON string
   * literal), `{event}` and `{event:json}` (empty / `null` when the message has no event name).
   * Required unless `protocol` gives it.
   */
  body?: string;
  /** JSON Pointer to the message id in the response body, when the server returns one. */
  idPointer?: string;
}

/** A message the harness asks the server to publish. */
export interface OutgoingMessage {
  channel: string;
  data: string;
  event?: string;
}

/** Publishing as code, for servers that need more than one HTTP request. */
export type PublishFunction = (
  message: OutgoingMessage,
  context: { baseUrl: string },
) => Promise<{ id?: string } | void>;

/** A publish request with the fields the contract lets `protocol` imply filled in. */
export type ResolvedPublishRequest = PublishRequest & Required<Pick<PublishRequest, 'method' | 'url' | 'body'>>;

/** How the adapter publishes, once resolved; `undefined` when it declares no way. */
export type ResolvedPublish = ResolvedPublishRequest | PublishFunction | undefined;

/** The server a publisher publishes to. */
export interface PublishTarget {
  /** The adapter's name, for messages. */
  name: string;
  baseUrl: string;
  publish: ResolvedPublish;
  /** What clients trust besides Node's CAs when the server speaks TLS (the adapter's `tls.ca`, `--ca`). */
  tls?: TlsTrust;
}

/**
 * The values a publish template may use for one message: `{channel}`, `{data}` (raw),
 * `{data:json}` (a JSON string literal), `{event}` (empty when the message has no
 * event name) and `{event:json}` (`null` when it has none).
 */
export function publishPlaceholders(message: OutgoingMessage): Record<string, string> {
  return {
    channel: message.channel,
    data: message.data,
    'data:json': JSON.stringify(message.data),
    event: message.event ?? '',
    'event:json': message.event === undefined ? 'null' : JSON.stringify(message.event),
  };
}

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
  /** Notifies whenever a publish is acknowledged. */
  private readonly acknowledged = new Signal();
  private readonly agent: Agent;
  private readonly target: PublishTarget;
  private readonly channel: string;
  private readonly transcript: Transcript;

  constructor(target: PublishTarget, channel: string, transcript: Transcript) {
    this.target = target;
    this.channel = channel;
    this.transcript = transcript;
    this.agent = new Agent({ connections: 4, connect: tlsClientOptions(target.tls) });
  }

  /** Publishes one message and waits for the server's acknowledgement. */
  async publish(data: string, options: { event?: string; deadlineMs: number }): Promise<PublishedMessage> {
    const publish = this.target.publish;
    if (publish === undefined) throw new PublishError(`adapter "${this.target.name}" declares no way to publish`);
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
    this.acknowledged.notify();
    return message;
  }

  /** Resolves once `count` messages have been published (acknowledged) in all, within `deadlineMs`. */
  waitForCount(count: number, deadlineMs: number): Promise<void> {
    return waitUntil(() => this.published.length >= count, {
      what: `${count} message(s) published`,
      deadlineMs,
      seen: () => `${this.published.length} published`,
      signal: this.acknowledged,
    });
  }

  async close(): Promise<void> {
    this.acknowledged.clear();
    await this.agent.destroy();
  }

  private async publishByRequest(template: ResolvedPublishRequest, data: string, options: { event?: string; deadlineMs: number }): Promise<string | undefined> {
    const values = publishPlaceholders({ channel: this.channel, data, ...(options.event !== undefined ? { event: options.event } : {}) });
    const url = new URL(fillPlaceholders(template.url, { channel: encodeURIComponent(this.channel) }), this.target.baseUrl);
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

  private async publishByFunction(publish: PublishFunction, data: string, options: { event?: string; deadlineMs: number }): Promise<string | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new PublishError(`the adapter's publish function did not finish within ${options.deadlineMs} ms`)), options.deadlineMs);
    });
    try {
      const message = { channel: this.channel, data, ...(options.event !== undefined ? { event: options.event } : {}) };
      const result = await Promise.race([publish(message, { baseUrl: this.target.baseUrl }), deadline]);
      return result?.id;
    } finally {
      clearTimeout(timer);
    }
  }
}

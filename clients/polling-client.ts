/**
 * An Ajax polling client that speaks whatever the adapter declares: where the
 * cursor travels, how a batch is encoded, what an empty answer looks like.
 * It keeps every answer and every message it received, for the checks.
 */
import { Client } from 'undici';
import type { ResolvedAdapter } from '../adapters/resolve.ts';
import { fillPlaceholders, readJsonPointer } from '../adapters/placeholders.ts';
import type { Transcript } from '../evidence/transcript.ts';
import { sendRecorded, type HttpAnswer } from './http.ts';

export type PollingDeclaration = NonNullable<ResolvedAdapter['polling']>;

export interface ReceivedMessage {
  id?: string;
  data: string;
  event?: string;
  /** Index of the answer that carried it, in {@link PollingClient.answers}. */
  answerIndex: number;
  receivedAtMs: number;
}

export interface PollAnswer extends HttpAnswer {
  index: number;
  /** `invalid`: a 2xx/304 answer the declared format cannot read; `error`: any other status. */
  kind: 'batch' | 'empty' | 'error' | 'invalid';
  messages: ReceivedMessage[];
  /** The cursor sent (undefined: none) and the one to send next. */
  cursorSent: string | undefined;
  cursorNext: string | undefined;
  /** Why an `invalid` answer could not be read. */
  problem?: string;
}

/** Cursor carried by HTTP validators, kept as one opaque string. */
interface Validators {
  etag?: string;
  lastModified?: string;
}

export class PollingClient {
  readonly name: string;
  cursor: string | undefined;
  readonly answers: PollAnswer[] = [];
  readonly received: ReceivedMessage[] = [];
  /** TCP connections this client opened; one per client when the server keeps connections alive. */
  connections = 0;
  private readonly http: Client;
  private readonly url: URL;
  private readonly spec: PollingDeclaration;
  private readonly transcript: Transcript;

  constructor(name: string, spec: PollingDeclaration, channel: string, baseUrl: string, transcript: Transcript) {
    this.name = name;
    this.spec = spec;
    this.transcript = transcript;
    this.url = new URL(fillPlaceholders(spec.path, { channel: encodeURIComponent(channel) }), baseUrl);
    // One client, one connection: lets a check see whether the server keeps it alive.
    this.http = new Client(this.url.origin, { pipelining: 1 });
    this.http.on('connect', () => {
      this.connections += 1;
    });
  }

  /**
   * Polls once. `cursor` overrides the client's own (`null`: send none); the
   * client's cursor then moves to the answer's, unless the answer is an error.
   */
  async poll(options: { cursor?: string | null; deadlineMs: number }): Promise<PollAnswer> {
    const cursorSent = options.cursor === null ? undefined : (options.cursor ?? this.cursor);
    const url = new URL(this.url);
    const headers: Record<string, string> = {};
    if (cursorSent !== undefined) this.attachCursor(cursorSent, url, headers);
    const http = await sendRecorded(this.http, this.transcript, {
      actor: this.name.includes('client') ? this.name : `client ${this.name}`,
      method: 'GET',
      url: url.href,
      headers,
      deadlineMs: options.deadlineMs,
    });
    const answer = this.decode(http, cursorSent);
    this.answers.push(answer);
    this.received.push(...answer.messages);
    if (answer.kind === 'batch' || answer.kind === 'empty') this.cursor = answer.cursorNext;
    return answer;
  }

  async close(): Promise<void> {
    await this.http.destroy();
  }

  private attachCursor(cursor: string, url: URL, headers: Record<string, string>): void {
    const transport = this.spec.cursor;
    if (transport.in === 'query') {
      url.searchParams.set(transport.param, cursor);
      return;
    }
    const validators = JSON.parse(cursor) as Validators;
    if (validators.etag !== undefined) headers['if-none-match'] = validators.etag;
    if (validators.lastModified !== undefined) headers['if-modified-since'] = validators.lastModified;
  }

  private decode(http: HttpAnswer, cursorSent: string | undefined): PollAnswer {
    const base = { ...http, index: this.answers.length, cursorSent, cursorNext: cursorSent, messages: [] as ReceivedMessage[] };
    const { emptyStatus, format } = this.spec;
    if (http.status === emptyStatus && emptyStatus !== 200) {
      // A 304 may carry validators (RFC 9110 §15.4.5): they are the cursor from now on.
      return { ...base, kind: 'empty', cursorNext: this.nextCursor(http, undefined, []) ?? cursorSent };
    }
    if (http.status !== 200) return { ...base, kind: 'error' };
    const read = format.type === 'json' ? this.readJsonBatch(http.body, base.index) : this.readTextMessage(http.body, base.index);
    if ('problem' in read) return { ...base, kind: 'invalid', problem: read.problem };
    const cursorNext = this.nextCursor(http, read.cursor, read.messages) ?? cursorSent;
    return { ...base, kind: read.messages.length === 0 ? 'empty' : 'batch', messages: read.messages, cursorNext };
  }

  private readJsonBatch(body: string, answerIndex: number): { messages: ReceivedMessage[]; cursor?: string } | { problem: string } {
    const format = this.spec.format;
    if (format.type !== 'json') throw new Error('unreachable: json format expected');
    let doc: unknown;
    try {
      doc = JSON.parse(body);
    } catch {
      return { problem: 'the body is not JSON' };
    }
    const list = readJsonPointer(doc, format.messages);
    if (!Array.isArray(list)) return { problem: `no array at JSON pointer "${format.messages}"` };
    const messages: ReceivedMessage[] = [];
    for (const item of list) {
      const data = readJsonPointer(item, format.data);
      if (typeof data !== 'string') return { problem: `a message has no string at "${format.data}"` };
      const id = format.id !== undefined ? readJsonPointer(item, format.id) : undefined;
      const event = format.event !== undefined ? readJsonPointer(item, format.event) : undefined;
      messages.push({
        data,
        answerIndex,
        receivedAtMs: this.transcript.now(),
        ...(id !== undefined && id !== null ? { id: String(id) } : {}),
        ...(typeof event === 'string' ? { event } : {}),
      });
    }
    const cursor = format.cursor !== undefined ? readJsonPointer(doc, format.cursor) : undefined;
    return { messages, ...(cursor !== undefined && cursor !== null ? { cursor: String(cursor) } : {}) };
  }

  private readTextMessage(body: string, answerIndex: number): { messages: ReceivedMessage[]; cursor?: string } {
    // A text answer carries one message; an empty 200 can only mean "nothing new".
    if (body === '' && this.spec.emptyStatus === 200) return { messages: [] };
    return { messages: [{ data: body, answerIndex, receivedAtMs: this.transcript.now() }] };
  }

  private nextCursor(http: HttpAnswer, fromBody: string | undefined, messages: ReceivedMessage[]): string | undefined {
    if (this.spec.cursor.in === 'validators') {
      const validators: Validators = {};
      if (http.headers.etag !== undefined) validators.etag = http.headers.etag;
      if (http.headers['last-modified'] !== undefined) validators.lastModified = http.headers['last-modified'];
      return validators.etag === undefined && validators.lastModified === undefined ? undefined : JSON.stringify(validators);
    }
    return fromBody ?? messages.at(-1)?.id;
  }
}

/**
 * A polling client that speaks whatever the adapter declares: where the
 * cursor travels, how a batch is encoded, what "nothing new" looks like, and
 * (for long-polls) how to ask for a hold. It keeps every answer and message
 * it received, for the checks.
 */
import { versionedClient } from '../../core/http-version.ts';
import type { ConnectionOptions } from 'node:tls';
import type { Client } from 'undici';
import type { Transcript } from '../../core/transcript.ts';
import { decodeBody, mergeValidators, validatorsCursor, type Validators } from './poll-decode.ts';
import type { PollEndpoint } from './poll-endpoint.ts';
import { sendRecorded, type HttpAnswer } from '../../core/http.ts';
import { Session, type SessionRequest } from '../../core/session.ts';
import { ANSWER_DEADLINE_MS } from '../../core/context.ts';

export interface ReceivedMessage {
  id?: string;
  data: string;
  event?: string;
  /** Index of the answer that carried it, in {@link PollClient.answers}. */
  answerIndex: number;
  receivedAtMs: number;
}

export interface PollAnswer extends HttpAnswer {
  index: number;
  /** `invalid`: a success status whose body the declared format cannot read; `error`: any other status. */
  kind: 'batch' | 'empty' | 'error' | 'invalid';
  messages: ReceivedMessage[];
  /** The cursor sent (undefined: none) and the one to send next. */
  cursorSent: string | undefined;
  cursorNext: string | undefined;
  /** The hold asked for, for long-polls. */
  waitMs?: number;
  /** Why an `invalid` answer could not be read. */
  problem?: string;
  /** An `invalid` answer the adapter's decoder function read as the protocol's own error (a refusal), not one it could not read. */
  decoderError?: true;
  /** How many requests the decoder asked to send in reply (a pong to a heartbeat). */
  replies?: number;
}

/** Where a client's polls go: the server and the scenario's channel. */
export interface PollTarget {
  baseUrl: string;
  channel: string;
  /** TLS options for an https:// server (the CA to trust: core/tls.ts). */
  tls?: ConnectionOptions;
  /**
   * A connection several clients share, as a page's requests share one over
   * HTTP/2 (its owner closes it); without it each client opens its own.
   */
  connection?: Client;
}

export interface PollOptions {
  /** Overrides the client's own cursor; `null` sends none. */
  cursor?: string | null;
  /** The whole answer must come within this many milliseconds. */
  deadlineMs: number;
  /** Asks the server to hold the poll this long (long-polling with a wait parameter). */
  waitMs?: number;
  /** Lets the scenario walk away from a held poll. */
  signal?: AbortSignal;
}

export class PollClient {
  readonly name: string;
  cursor: string | undefined;
  readonly answers: PollAnswer[] = [];
  readonly received: ReceivedMessage[] = [];
  /** TCP connections this client opened; one when the server keeps connections alive. */
  connections = 0;
  private readonly http: Client;
  /** Whether {@link close} closes the connection (not one shared with other clients). */
  private readonly ownsConnection: boolean;
  private readonly target: PollTarget;
  private readonly endpoint: PollEndpoint;
  private readonly transcript: Transcript;
  /** The client's session, opened before its first poll (none: requests carry only the channel). */
  private session: Promise<Session> | undefined;

  /** `sharing`: another client whose session this one polls on (a second tab of one session). */
  constructor(name: string, endpoint: PollEndpoint, target: PollTarget, transcript: Transcript, sharing?: PollClient) {
    this.name = name;
    this.endpoint = endpoint;
    this.target = target;
    this.transcript = transcript;
    if (sharing !== undefined) this.session = sharing.opened();
    // One client, one connection: lets a check see whether the server keeps it alive.
    this.ownsConnection = target.connection === undefined;
    this.http =
      target.connection ??
      versionedClient(new URL(endpoint.path, target.baseUrl).origin, {
        version: endpoint.version,
        tls: target.tls ?? {},
        onConnection: (origin, how) => transcript.note(`${this.actor} connects to ${origin}: ${how}`),
        onHeaderBlock: (block) => transcript.recordH2HeaderBlock(block),
      });
    // Counted only on a connection of its own: a shared one is its owner's, and a hundred clients on it would each
    // add a listener to one emitter (node warns past ten).
    if (this.ownsConnection) {
      this.http.on('connect', () => {
        this.connections += 1;
      });
    }
  }

  private get actor(): string {
    return this.name.includes('client') ? this.name : `client ${this.name}`;
  }

  /** The client's session: the adapter's `session` function runs once, before the first poll. */
  opened(): Promise<Session> {
    const target = { ...this.target, defaultPath: this.endpoint.path, transcript: this.transcript, dispatcher: this.http, actor: this.actor, deadlineMs: ANSWER_DEADLINE_MS };
    this.session ??= this.endpoint.session === undefined ? Promise.resolve(Session.none(target)) : Session.open(target, this.endpoint.session, this.name);
    return this.session;
  }

  /** The client's session values and query (its first poll opens it), for a transport that joins the same session. */
  async sessionValues(): Promise<Record<string, string>> {
    return (await this.opened()).all;
  }

  /** Polls once; the client's cursor then moves to the answer's, unless the answer is an error. */
  async poll(options: PollOptions): Promise<PollAnswer> {
    const session = await this.opened();
    const cursorSent = options.cursor === null ? undefined : (options.cursor ?? this.cursor);
    const url = session.url();
    const headers: Record<string, string> = { ...session.headers };
    if (cursorSent !== undefined) this.attachCursor(cursorSent, url, headers);
    if (options.waitMs !== undefined && this.endpoint.waitParam !== undefined) url.searchParams.set(this.endpoint.waitParam, String(options.waitMs));
    const http = await sendRecorded(this.http, this.transcript, {
      actor: this.actor,
      method: this.endpoint.method,
      url: url.href,
      headers,
      deadlineMs: options.deadlineMs,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const { answer, replies } = this.decode(http, cursorSent, options.waitMs);
    if (this.endpoint.held && http.exchange) http.exchange.annotation = describeHold(answer);
    this.answers.push(answer);
    this.received.push(...answer.messages);
    if (answer.kind === 'batch' || answer.kind === 'empty') this.cursor = answer.cursorNext;
    // A heartbeat's reply goes out before the next poll, as the protocol's own client would send it.
    for (const reply of replies) await session.send(reply);
    return answer;
  }

  async close(): Promise<void> {
    if (this.ownsConnection) await this.http.destroy();
  }

  private attachCursor(cursor: string, url: URL, headers: Record<string, string>): void {
    const transport = this.endpoint.cursor;
    if (transport.in === 'none') return; // the server keeps no position: there is nothing to send
    if (transport.in === 'query') {
      url.searchParams.set(transport.param, cursor);
      return;
    }
    const validators = JSON.parse(cursor) as Validators;
    if (validators.etag !== undefined) headers['if-none-match'] = validators.etag;
    if (validators.lastModified !== undefined) headers['if-modified-since'] = validators.lastModified;
  }

  private decode(http: HttpAnswer, cursorSent: string | undefined, waitMs: number | undefined): { answer: PollAnswer; replies: SessionRequest[] } {
    const read = this.read(http, cursorSent, waitMs);
    const replies = read.replies ?? [];
    return { answer: replies.length > 0 ? { ...read.answer, replies: replies.length } : read.answer, replies };
  }

  private read(http: HttpAnswer, cursorSent: string | undefined, waitMs: number | undefined): { answer: PollAnswer; replies?: SessionRequest[] } {
    const base = { ...http, index: this.answers.length, cursorSent, cursorNext: cursorSent, messages: [] as ReceivedMessage[], ...(waitMs !== undefined ? { waitMs } : {}) };
    const { emptyStatus, cursor } = this.endpoint;
    const fromValidators = cursor.in === 'validators' ? validatorsCursor(http.headers) : undefined;
    if (http.status === emptyStatus && emptyStatus !== 200) {
      // A 304 may carry validators (RFC 9110 §15.4.5): they update the cursor. One it does not
      // repeat keeps its value, as a cache freshens a stored response (RFC 9111 §4.3.4): Nchan's
      // 408 repeats Etag but not Last-Modified, and both are the cursor.
      return { answer: { ...base, kind: 'empty', cursorNext: mergeValidators(cursorSent, fromValidators) } };
    }
    if (http.status < 200 || http.status > 299) return { answer: { ...base, kind: 'error' } };
    const read = decodeBody(this.endpoint, http, emptyStatus);
    if (read.kind === 'error') return { answer: { ...base, kind: 'invalid', problem: read.problem, ...(read.byDecoder === true ? { decoderError: true as const } : {}) } };
    const receivedAtMs = http.endedAtMs;
    const messages = read.messages.map((m) => ({ ...m, answerIndex: base.index, receivedAtMs }));
    const cursorNext = (cursor.in === 'validators' ? fromValidators : (read.cursor ?? messages.at(-1)?.id)) ?? cursorSent;
    return { answer: { ...base, kind: messages.length === 0 ? 'empty' : 'batch', messages, cursorNext }, ...(read.replies ? { replies: read.replies } : {}) };
  }
}

/** The transcript's line on a long-poll: how long it was held and what ended it. */
function describeHold(answer: PollAnswer): string {
  const held = `held ${Math.round(answer.endedAtMs - answer.startedAtMs)} ms`;
  const asked = answer.waitMs !== undefined ? ` (asked for ${answer.waitMs} ms)` : '';
  switch (answer.kind) {
    case 'batch':
      return `${held}${asked}; ended by ${answer.messages.length} message(s)`;
    case 'empty': {
      if (answer.waitMs === 0) return `answered at once with nothing new (asked for no hold, to catch up)`;
      const early = answer.waitMs !== undefined && answer.endedAtMs - answer.startedAtMs < answer.waitMs * 0.9;
      return early
        ? `${held}${asked}; ended early, empty (status ${answer.status}), before the hold it asked for`
        : `${held}${asked}; ended by the hold timeout, empty (status ${answer.status})`;
    }
    case 'invalid':
      return `${held}${asked}; ended by an answer the declared format cannot read (${answer.problem})`;
    default:
      return `${held}${asked}; ended by status ${answer.status}`;
  }
}

/**
 * EventSource clients under test: pushspec plays the server. A scenario says
 * what the event stream sends (exact bytes, split as it likes); the scripted
 * server sends them, then an end marker event, and the client's glue reports
 * what its application saw. Waiting for the marker is waiting for the client
 * to have read everything before it: no settle time, no guess.
 */
import type { ServerResponse } from 'node:http';
import { ClientProcess, type ClientHost } from '../../../clients/contract/client-process.ts';
import type { ClientMessage as Message } from '../../../clients/contract/reports.ts';
import { ScriptedHttpServer, writeChunks, type RecordedRequest, type RequestScript } from '../../../core/scripted-http.ts';
import { pause, waitUntil } from '../../../core/wait.ts';
import { END_MARKER } from './checks.ts';
import { EVENT_TYPES_ENV, eventTypesNamedIn, sseClientSpecFrom, type SseClientSpec } from './contract.ts';

/** How long a client has to read a case's bytes and the marker after it opened. */
export const CLIENT_READ_MS = 5000;

/**
 * How long a client has to come back after the stream was lost. Longer than
 * any client's own initial reconnection time ("a few seconds": 3 s in Chromium
 * and the eventsource package, 5 s in Firefox), so a client that ignored the
 * server's `retry` still counts as having reconnected.
 */
export const RECONNECT_DEADLINE_MS = 8000;

/** How the case's bytes are cut into writes. */
export type Split = 'whole' | 'bytes' | { every: number };

/** Cuts `bytes` into writes. */
export function splitBytes(bytes: Buffer, split: Split): Buffer[] {
  const size = split === 'whole' ? bytes.length : split === 'bytes' ? 1 : split.every;
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += Math.max(1, size)) out.push(bytes.subarray(i, i + Math.max(1, size)));
  return out;
}

/** What one answer of the scripted event stream is. */
export interface StreamAnswer {
  status?: number;
  /** The Content-Type (default `text/event-stream`); null: none at all. */
  contentType?: string | null;
  headers?: Record<string, string>;
  /** The case's bytes. */
  body: Buffer;
  split: Split;
  /**
   * More bytes, written once the client reported a message with this data:
   * so a cut between writes is seen by the client as a cut between packets
   * (two writes a few milliseconds apart may still arrive as one).
   */
  rest?: { afterMessage: string; body: Buffer };
  /** Send the end marker after the body (default true); false for cases about how a stream ends. */
  marker?: boolean;
  /** After the body (and marker): keep the stream open (default), end it, or cut the connection. */
  then?: 'stay-open' | 'end' | 'cut';
}


export class SseClientActions {
  private readonly host: ClientHost;
  private readonly spec: SseClientSpec;
  /** The answers, one per request in order; the last one repeats. */
  private answers: StreamAnswer[] = [];
  /** When the answer to each request ended (ended or cut), on the transcript's clock. */
  private readonly endedAt = new Map<number, number>();
  private seen: { messages: Message[]; sawMarker: boolean } | undefined;
  server: ScriptedHttpServer | undefined;
  process: ClientProcess | undefined;

  constructor(host: ClientHost) {
    this.host = host;
    this.spec = sseClientSpecFrom(host.client.techniques.sse ?? {}, host.client.source);
  }

  /** The stream sends `text` (with escapes: {@link bytesOf}) cut as `splitWords` say ({@link splitOf}). */
  streamSends(text: string, splitWords: string): void {
    this.answerWith({ body: bytesOf(text), split: splitOf(splitWords) });
  }

  /** The stream, served with this Content-Type, sends `text` cut as `splitWords` say. */
  streamSendsAs(contentType: string, text: string, splitWords: string): void {
    this.answerWith({ contentType, body: bytesOf(text), split: splitOf(splitWords) });
  }

  /** The stream sends `first`, then `rest` once the client reported a message with `afterMessage` as its data. */
  streamSendsInTwo(first: string, afterMessage: string, rest: string): void {
    this.answerWith({ body: bytesOf(first), split: 'whole', rest: { afterMessage, body: bytesOf(rest) } });
  }

  /** The stream sends `text` (no end marker), then ends or is cut. */
  streamSendsThen(text: string, then: 'end' | 'cut'): void {
    this.answerWith({ body: bytesOf(text), split: 'whole', marker: false, then });
  }

  /** The next answer has this status, and `text` as its body (a text/event-stream one) unless undefined. */
  answersStatus(status: number, text?: string): void {
    this.answerWith({ status, body: text === undefined ? Buffer.alloc(0) : bytesOf(text), split: 'whole', marker: false, then: 'end' });
  }

  /** The next answer is a 200 with this Content-Type (null: none) and `text` as its body. */
  answersContentType(contentType: string | null, text: string): void {
    this.answerWith({ contentType, body: bytesOf(text), split: 'whole', marker: false, then: 'end' });
  }

  /** The next answer redirects to `location` with `status`. */
  redirects(status: number, location: string): void {
    this.answerWith({ status, contentType: null, headers: { location }, body: Buffer.alloc(0), split: 'whole', marker: false, then: 'end' });
  }

  /** A scenario's text with the stream's escapes read ({@link bytesOf}), as a string. */
  textOf(escaped: string): string {
    return bytesOf(escaped).toString('utf8');
  }

  /** How long a client has to come back after losing the stream. */
  get reconnectDeadlineMs(): number {
    return RECONNECT_DEADLINE_MS;
  }

  /** The client's first request, once made (within the time a client has to read a case). */
  async firstRequest(): Promise<RecordedRequest | undefined> {
    return this.request(0, CLIENT_READ_MS);
  }

  /** The scripted server answers the next request with `answer` (the first call: the first request). */
  answerWith(answer: StreamAnswer): void {
    this.answers.push(answer);
  }

  private readonly script: RequestScript = async (request, res) => {
    const answer = this.answers[Math.min(request.index, this.answers.length - 1)];
    if (answer === undefined) {
      res.writeHead(500).end();
      return;
    }
    await this.send(answer, res);
    if (answer.then !== 'end' && answer.then !== 'cut') return;
    // Taken before the stream ends, not after: the client cannot see the end sooner, so a
    // busy pushspec process noting it late never makes a client's wait look shorter than it was.
    this.endedAt.set(request.index, this.host.transcript.now());
    this.host.transcript.note(`scripted server: answer ${request.index + 1} ${answer.then === 'cut' ? 'cut' : 'ended'}`);
    if (answer.then === 'end') await new Promise<void>((resolve) => res.end(() => resolve()));
    else res.destroy();
  };

  private async send(answer: StreamAnswer, res: ServerResponse): Promise<void> {
    const contentType = answer.contentType === undefined ? { 'content-type': 'text/event-stream' } : answer.contentType === null ? {} : { 'content-type': answer.contentType };
    res.writeHead(answer.status ?? 200, { ...contentType, 'cache-control': 'no-store', ...answer.headers });
    if (answer.status === 204 || answer.status === 304 || (answer.status !== undefined && answer.status >= 300 && answer.status < 400)) return;
    res.flushHeaders();
    await writeChunks(res, splitBytes(answer.body, answer.split), answer.split === 'whole' ? 0 : 2);
    if (answer.rest !== undefined) {
      const { afterMessage, body } = answer.rest;
      await this.requireProcess().waitFor(() => this.requireProcess().of('message').some((m) => m.data === afterMessage), `the client to report ${JSON.stringify(afterMessage)}`, CLIENT_READ_MS);
      await writeChunks(res, [body], 0);
    }
    if (answer.marker !== false) await writeChunks(res, [`data: ${END_MARKER}\n\n`], 0);
  }

  /** Starts the scripted server and the client, pointed at it. */
  async connect(path = '/events'): Promise<ClientProcess> {
    const server = this.host.onClose(await ScriptedHttpServer.start(this.host.transcript, this.script));
    this.server = server;
    const url = `${server.origin}${path}`;
    const env = { ...this.host.client.env };
    if (this.spec.eventTypes === 'listed') {
      const types = [...new Set(this.answers.flatMap((a) => [...eventTypesNamedIn(a.body), ...(a.rest === undefined ? [] : eventTypesNamedIn(a.rest.body))]))];
      env[EVENT_TYPES_ENV] = types.join(',');
      this.host.transcript.note(`the client's glue listens for the event types it is told: ${EVENT_TYPES_ENV}=${JSON.stringify(env[EVENT_TYPES_ENV])}`);
    }
    const proc = ClientProcess.forCase(this.host, url, 'sse', env);
    this.process = proc;
    return proc;
  }

  /** Waits until the client reported the end marker (or gave up, or the deadline passed); the messages before it. */
  async messagesBeforeMarker(): Promise<{ messages: Message[]; sawMarker: boolean }> {
    if (this.seen !== undefined) return this.seen;
    const proc = this.requireProcess();
    // A client that mangles the stream may glue the marker to other data: that message ends the wait too, and is shown.
    const reached = (): number => proc.of('message').findIndex((m) => m.data.includes(END_MARKER));
    await proc.waitFor(() => reached() !== -1, 'the client to report the end marker', CLIENT_READ_MS);
    const all = proc.of('message');
    const end = reached();
    this.seen = end === -1 ? { messages: all, sawMarker: false } : { messages: all[end]!.data === END_MARKER ? all.slice(0, end) : all.slice(0, end + 1), sawMarker: true };
    return this.seen;
  }

  /** Every message the client reported so far, the end markers left out. */
  messagesSoFar(): Message[] {
    return this.requireProcess().of('message').filter((m) => m.data !== END_MARKER);
  }

  /** Waits (never throws) until the client made request number `index` (0-based), or the deadline passed; the request, if made. */
  async request(index: number, deadlineMs = RECONNECT_DEADLINE_MS): Promise<RecordedRequest | undefined> {
    const server = this.requireServer();
    await waitUntil(() => server.requests.length > index, { what: `request ${index + 1} from the client`, deadlineMs, seen: () => `${server.requests.length} request(s)`, signal: server.changes }).catch(() => undefined);
    return server.requests[index];
  }

  /**
   * Watches for `windowMs` whether the client makes a request after request
   * number `index`. Absence is the point here, so this is a bounded pause, not
   * a wait for an event: it ends early only when a request comes.
   */
  async watchForRequestAfter(index: number, windowMs: number): Promise<RecordedRequest | undefined> {
    const server = this.requireServer();
    await pause(windowMs, () => server.requests.length > index + 1);
    return server.requests[index + 1];
  }

  /** When the answer to request `index` ended or was cut, on the transcript's clock. */
  answerEndedAt(index: number): number | undefined {
    return this.endedAt.get(index);
  }

  /** The requests the client made so far. */
  requests(): readonly RecordedRequest[] {
    return this.server?.requests ?? [];
  }

  private requireServer(): ScriptedHttpServer {
    if (this.server === undefined) throw new Error('no scripted server was started: a step must connect the client first');
    return this.server;
  }

  private requireProcess(): ClientProcess {
    if (this.process === undefined) throw new Error('no client was started: a step must connect it first');
    return this.process;
  }
}

/** `in one write`, `one byte per write`, `in writes of 3 bytes` */
export function splitOf(words: string): Split {
  if (words === 'in one write') return 'whole';
  if (words === 'one byte per write') return 'bytes';
  const every = /^in writes of (\d+) bytes$/.exec(words);
  if (every !== null) return { every: Number(every[1]) };
  throw new Error(`unknown way to split the stream: "${words}" (in one write, one byte per write, in writes of N bytes)`);
}

/** Reads a step's byte text: `\n`, `\r`, `\t`, `\0`, `\\` and `\xHH` / `\u{…}` escapes. */
export function bytesOf(text: string): Buffer {
  const parts: Buffer[] = [];
  let plain = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== '\\') {
      plain += c;
      continue;
    }
    const next = text[++i];
    if (next === 'n') plain += '\n';
    else if (next === 'r') plain += '\r';
    else if (next === 't') plain += '\t';
    else if (next === '0') plain += '\0';
    else if (next === '\\') plain += '\\';
    else if (next === '"') plain += '"';
    else if (next === 'x') {
      parts.push(Buffer.from(plain, 'utf8'), Buffer.from([parseInt(text.slice(i + 1, i + 3), 16)]));
      plain = '';
      i += 2;
    } else if (next === 'u' && text[i + 1] === '{') {
      const close = text.indexOf('}', i);
      plain += String.fromCodePoint(parseInt(text.slice(i + 2, close), 16));
      i = close;
    } else throw new Error(`unknown escape \\${next} in ${JSON.stringify(text)}`);
  }
  parts.push(Buffer.from(plain, 'utf8'));
  return Buffer.concat(parts);
}

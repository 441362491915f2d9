/**
 * EventSource clients under test: pushspec plays the server. A scenario says
 * what the event stream sends (exact bytes, split as it likes); the scripted
 * server sends them, then an end marker event, and the client's glue reports
 * what its application saw. Waiting for the marker is waiting for the client
 * to have read everything before it: no settle time, no guess.
 */
import type { ServerResponse } from 'node:http';
import { commandFor, type ClientAdapter } from '../../../clients/contract/adapter.ts';
import { ClientProcess } from '../../../clients/contract/client-process.ts';
import type { ClientReport } from '../../../clients/contract/reports.ts';
import { ScriptedHttpServer, writeChunks, type RecordedRequest, type RequestScript } from '../../../core/scripted-http.ts';
import type { Transcript } from '../../../core/transcript.ts';
import { END_MARKER } from './checks.ts';

/** How long a client has to read a case's bytes and the marker after it opened. */
export const CLIENT_READ_MS = 5000;

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
  headers?: Record<string, string>;
  /** The case's bytes. */
  body: Buffer;
  split: Split;
  /** Send the end marker after the body (default true); false for cases about how a stream ends. */
  marker?: boolean;
  /** After the body (and marker): keep the stream open (default), or end it. */
  then?: 'stay-open' | 'end';
}

interface Host {
  client: ClientAdapter;
  transcript: Transcript;
  onClose: <T extends { close(): Promise<void> }>(closable: T) => T;
}

export class SseClientActions {
  private readonly host: Host;
  /** The answers, one per request in order; the last one repeats. */
  private answers: StreamAnswer[] = [];
  server: ScriptedHttpServer | undefined;
  process: ClientProcess | undefined;

  constructor(host: Host) {
    this.host = host;
  }

  /** The stream sends `text` (with escapes: {@link bytesOf}) cut as `splitWords` say ({@link splitOf}). */
  streamSends(text: string, splitWords: string): void {
    this.answerWith({ body: bytesOf(text), split: splitOf(splitWords) });
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
  };

  private async send(answer: StreamAnswer, res: ServerResponse): Promise<void> {
    res.writeHead(answer.status ?? 200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', ...answer.headers });
    res.flushHeaders();
    await writeChunks(res, splitBytes(answer.body, answer.split), answer.split === 'whole' ? 0 : 2);
    if (answer.marker !== false) await writeChunks(res, [`data: ${END_MARKER}\n\n`], 0);
    if (answer.then === 'end') res.end();
  }

  /** Starts the scripted server and the client, pointed at it. */
  async connect(path = '/events'): Promise<ClientProcess> {
    const server = this.host.onClose(await ScriptedHttpServer.start(this.host.transcript, this.script));
    this.server = server;
    const url = `${server.origin}${path}`;
    // A named event reaches only listeners for its name: glue that must listen by name (a browser's) is told the case's names.
    const env = { ...this.host.client.env, [EVENT_TYPES_VARIABLE]: eventTypesIn(this.answers.map((a) => a.body)).join(',') };
    const proc = ClientProcess.start(commandFor(this.host.client, { url, technique: 'sse' }), { cwd: this.host.client.dir, env, transcript: this.host.transcript, startupMs: this.host.client.startupMs });
    this.host.onClose({ close: () => proc.stop() });
    this.process = proc;
    return proc;
  }

  /** Waits until the client reported the end marker (or gave up, or the deadline passed); the messages before it. */
  async messagesBeforeMarker(): Promise<{ messages: Array<Extract<ClientReport, { type: 'message' }>>; sawMarker: boolean }> {
    const proc = this.requireProcess();
    // A client that mangles the stream may glue the marker to other data: that message ends the wait too, and is shown.
    const reached = (): number => proc.of('message').findIndex((m) => m.data.includes(END_MARKER));
    await proc.waitFor(() => reached() !== -1, 'the client to report the end marker', CLIENT_READ_MS);
    const all = proc.of('message');
    const end = reached();
    if (end === -1) return { messages: all, sawMarker: false };
    return { messages: all[end]!.data === END_MARKER ? all.slice(0, end) : all.slice(0, end + 1), sawMarker: true };
  }

  /** The requests the client made so far. */
  requests(): readonly RecordedRequest[] {
    return this.server?.requests ?? [];
  }

  private requireProcess(): ClientProcess {
    if (this.process === undefined) throw new Error('no client was started: a step must connect it first');
    return this.process;
  }
}

/** The environment variable naming the event types a case's stream uses, comma-separated (README, "Checking your own client"). */
export const EVENT_TYPES_VARIABLE = 'PUSHSPEC_EVENT_TYPES';

/** The event types the `event:` lines of `bodies` name (as WHATWG's parser reads the field: one optional space after the colon), each once. */
export function eventTypesIn(bodies: readonly Buffer[]): string[] {
  const names = new Set<string>();
  for (const body of bodies) {
    for (const line of body.toString('utf8').split(/\r\n|\r|\n/)) if (line.startsWith('event:')) names.add(line.slice(6).replace(/^ /, ''));
  }
  names.delete('');
  return [...names];
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

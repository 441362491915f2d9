/**
 * A client that opens an event stream, reads until it has one event, then
 * stops reading. It speaks HTTP/1.1 over a socket of its own (TLS for
 * https://) because an HTTP library would throw away what it had buffered
 * when the server drops the connection, and what the client did receive is
 * exactly what matters here: it resumes from the last event it got.
 */
import { connect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import type { PublishedMessage } from '../../core/publisher.ts';
import { sniName } from '../../core/tls.ts';
import { Signal, waitUntil } from '../../core/wait.ts';

/** What a slow client got before the server dropped it: the evidence SSE-SLOW-CLIENT is judged on. */
export interface SlowClientRun {
  /** Everything published at it, the first message it read included. */
  published: PublishedMessage[];
  /** The events it could still read, in order. */
  received: { data: string; id?: string }[];
  droppedByServer: boolean;
  /** How the connection ended, or that it was still open at the deadline. */
  how: string;
  /** Body bytes it got. */
  bytes: number;
}

export interface Drained {
  /** The response body received, with chunked transfer coding removed. */
  body: Buffer;
  /** True when the server ended or cut the connection; false when the deadline came first. */
  droppedByServer: boolean;
  how: string;
}

/** Removes chunked transfer coding; a last chunk cut short keeps what arrived of it. */
export function dechunk(raw: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  while (at < raw.length) {
    const lineEnd = raw.indexOf('\r\n', at);
    if (lineEnd === -1) break;
    const size = Number.parseInt(raw.subarray(at, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(raw.subarray(lineEnd + 2, Math.min(raw.length, lineEnd + 2 + size)));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

export class SlowReader {
  private readonly socket: Socket;
  private readonly received: Buffer[] = [];
  private closed: string | undefined;
  /** Notifies whenever bytes arrive or the connection ends. */
  private readonly changes = new Signal();

  private constructor(socket: Socket) {
    this.socket = socket;
    const changed = (): void => this.changes.notify();
    socket.on('data', (chunk: Buffer) => {
      this.received.push(chunk);
      changed();
    });
    socket.on('end', () => {
      this.closed ??= 'the server ended the stream';
      changed();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      this.closed ??= `the server cut the connection (${error.code ?? error.message})`;
      changed();
    });
    socket.on('close', () => {
      this.closed ??= 'the connection closed';
      changed();
    });
  }

  /** Connects (over TLS for https://, with `tls`) and sends the request; resolves once the response head has arrived. */
  static async open(url: string, headers: Record<string, string>, deadlineMs: number, tls: ConnectionOptions = {}): Promise<SlowReader> {
    const target = new URL(url);
    const host = target.hostname.replace(/^\[|\]$/g, '');
    const secure = target.protocol === 'https:';
    const port = Number(target.port || (secure ? 443 : 80));
    const socket = secure ? tlsConnect({ ...tls, host, port, servername: sniName(host), ALPNProtocols: ['http/1.1'] }) : connect(port, host);
    const reader = new SlowReader(socket);
    const lines = [`GET ${target.pathname}${target.search} HTTP/1.1`, `host: ${target.host}`, 'accept: text/event-stream', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    await reader.until(() => reader.bytes().includes('\r\n\r\n'), deadlineMs, `a response head to GET ${target.pathname}`);
    return reader;
  }

  bytes(): Buffer {
    return Buffer.concat(this.received);
  }

  /** Reads until `text` has arrived, then stops reading: the server's writes now pile up on its side. */
  async readUntilThenStop(text: string, deadlineMs: number): Promise<void> {
    await this.until(() => this.bytes().includes(text), deadlineMs, `the first event (${JSON.stringify(text.slice(0, 40))})`);
    this.socket.pause();
  }

  /** Reads everything now, until the server closes the connection or `deadlineMs` passes. */
  async drain(deadlineMs: number): Promise<Drained> {
    this.socket.resume();
    await this.until(() => this.closed !== undefined, deadlineMs, 'the end of the connection').catch(() => undefined);
    const all = this.bytes();
    const headEnd = all.indexOf('\r\n\r\n');
    const head = all.subarray(0, headEnd).toString('latin1').toLowerCase();
    const raw = all.subarray(headEnd + 4);
    const body = /\r\ntransfer-encoding:\s*chunked/.test(head) ? dechunk(raw) : raw;
    return this.closed !== undefined ? { body, droppedByServer: true, how: this.closed } : { body, droppedByServer: false, how: `still open after ${deadlineMs} ms` };
  }

  destroy(): void {
    this.socket.destroy();
  }

  /** Resolves once `done()` holds, looked at as bytes arrive; fails at the deadline, or when the connection ends first. */
  private until(done: () => boolean, deadlineMs: number, what: string): Promise<void> {
    return waitUntil(done, {
      what,
      deadlineMs,
      seen: () => `not there after ${deadlineMs} ms`,
      signal: this.changes,
      endedFirst: () => (this.closed === undefined ? undefined : `${this.closed} first`),
    });
  }
}

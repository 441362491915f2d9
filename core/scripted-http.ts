/**
 * A scripted HTTP/1.1 server, for checking clients: pushspec plays the server
 * and answers each request the way a case's script says (well-formed or
 * awkward on purpose: split writes, a stalled stream, a 204), recording every
 * request a client makes and when. Node's http server parses the requests;
 * the script writes the answers. Loopback, an ephemeral port; close() cuts
 * every connection, so no case leaves a socket behind.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Transcript } from './transcript.ts';
import { Signal } from './wait.ts';

/** One request a client made, as the scripted server saw it. */
export interface RecordedRequest {
  /** 0-based, in arrival order. */
  index: number;
  /** 0-based index of the TCP connection it came on. */
  connection: number;
  method: string;
  /** Path and query, as sent. */
  url: string;
  /** Header names lower-cased; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** When its head arrived, on the transcript's clock. */
  atMs: number;
  /** The body, once read (scripts that need it await {@link readBody}). */
  body?: string;
}

/** Answers one request: the case's script. It may keep the response open as long as it likes. */
export type RequestScript = (request: RecordedRequest, res: ServerResponse, req: IncomingMessage) => void | Promise<void>;

export class ScriptedHttpServer {
  readonly requests: RecordedRequest[] = [];
  /** Notifies on every request and every connection closed. */
  readonly changes = new Signal();
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private connections = 0;
  private readonly transcript: Transcript;
  private script: RequestScript;

  private constructor(transcript: Transcript, script: RequestScript) {
    this.transcript = transcript;
    this.script = script;
    this.server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
      const socket = req.socket as Socket & { pushspecIndex?: number };
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
      const request: RecordedRequest = { index: this.requests.length, connection: socket.pushspecIndex ?? -1, method: req.method ?? '', url: req.url ?? '', headers, atMs: transcript.now() };
      this.requests.push(request);
      transcript.note(`scripted server: request ${request.index + 1} on connection ${request.connection + 1}: ${request.method} ${request.url}${headers['last-event-id'] !== undefined ? ` (Last-Event-ID: ${JSON.stringify(headers['last-event-id'])})` : ''}`);
      this.changes.notify();
      Promise.resolve()
        .then(() => this.script(request, res, req))
        .catch((error: unknown) => {
          transcript.note(`scripted server: the script failed: ${(error as Error).message}`);
          res.destroy();
        });
    });
    this.server.on('connection', (socket: Socket & { pushspecIndex?: number }) => {
      socket.pushspecIndex = this.connections++;
      this.sockets.add(socket);
      socket.once('close', () => {
        this.sockets.delete(socket);
        this.changes.notify();
      });
    });
  }

  /** Starts a scripted server on 127.0.0.1, an ephemeral port. */
  static async start(transcript: Transcript, script: RequestScript): Promise<ScriptedHttpServer> {
    const scripted = new ScriptedHttpServer(transcript, script);
    await new Promise<void>((resolve, reject) => {
      scripted.server.once('error', reject);
      scripted.server.listen(0, '127.0.0.1', () => resolve());
    });
    return scripted;
  }

  /** `http://127.0.0.1:<port>` */
  get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** TCP connections opened so far. */
  get connectionCount(): number {
    return this.connections;
  }

  /** Connections open now. */
  get openConnections(): number {
    return this.sockets.size;
  }

  /** Replaces the script for the requests that come next. */
  useScript(script: RequestScript): void {
    this.script = script;
  }

  /** Stops listening and cuts every connection; resolves once every socket has closed. */
  async close(): Promise<void> {
    // destroy() closes a socket on a later turn: wait for each 'close', so nothing outlives close().
    const closed = [...this.sockets].map((socket) => new Promise<void>((resolve) => socket.once('close', () => resolve())));
    for (const socket of this.sockets) socket.destroy();
    await Promise.all([new Promise<void>((resolve) => this.server.close(() => resolve())), ...closed]);
  }
}

/** Reads a request's body as text (at most 1 MiB: a client's poll or publish, never more). */
export async function readBody(req: IncomingMessage, request: RecordedRequest): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 1024 * 1024) break;
    chunks.push(chunk);
  }
  request.body = Buffer.concat(chunks).toString('utf8');
  return request.body;
}

/** Writes `chunks` one after another, each handed to the kernel before the next, `pauseMs` apart (0: the next turn). */
export async function writeChunks(res: ServerResponse, chunks: ReadonlyArray<string | Buffer>, pauseMs = 5): Promise<void> {
  for (const chunk of chunks) {
    if (res.destroyed) return;
    await new Promise<void>((resolve) => res.write(chunk, () => resolve()));
    await new Promise<void>((resolve) => setTimeout(resolve, pauseMs));
  }
}

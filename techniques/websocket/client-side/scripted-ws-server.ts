/**
 * A scripted WebSocket server, for checking WebSocket clients: pushspec plays
 * the server. It answers the opening handshake itself, right or deliberately
 * wrong (a bad Sec-WebSocket-Accept, a 200, no Upgrade), then reads the
 * client's frames with the frame reader pushspec's own client uses and sends
 * exactly the frames a case needs (unmasked, or masked on purpose). Every frame
 * either way is recorded with its masking key and time. node:net, not
 * node:http: a case must be able to write a status line no HTTP library would.
 * Loopback, an ephemeral port; close() cuts every connection.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { Transcript } from '../../../core/transcript.ts';
import { Signal } from '../../../core/wait.ts';
import { acceptKeyFor, closePayload, encodeFrame, FrameReader, OPCODE, parseClosePayload, type FrameSpec } from '../frame.ts';
import { frameRecord } from '../frame-record.ts';

/** How the scripted server answers the opening handshake. */
export type HandshakeAnswer = 'accept' | 'wrong-accept' | 'no-upgrade' | 'wrong-upgrade' | 'no-connection' | 'wrong-connection' | 'status-200' | 'status-403';

/** The client's opening handshake request, as read off the wire. */
export interface HandshakeRequestSeen {
  method: string;
  path: string;
  version: string;
  /** Header names lower-cased; repeated headers joined with ", ". */
  headers: Record<string, string>;
  atMs: number;
}

/** One frame the client sent. */
export interface ClientFrame {
  atMs: number;
  fin: boolean;
  rsv: number;
  opcode: number;
  masked: boolean;
  /** The masking key, hex, when masked. */
  maskKey?: string;
  payload: Buffer;
}

/** A close frame's code (undefined without one) and reason. */
export interface CloseSeen {
  code?: number;
  reason: string;
  atMs: number;
}

/** What a case does on an accepted connection. */
export type ConnectionScript = (conn: ScriptedWsConnection) => Promise<void>;

/** The longest request head read; a client sending more is cut off. */
const MAX_HEAD_BYTES = 16 * 1024;

/** One TCP connection a client opened. */
export class ScriptedWsConnection {
  readonly index: number;
  request: HandshakeRequestSeen | undefined;
  /** The frames the client sent after the handshake, in order. */
  readonly frames: ClientFrame[] = [];
  /** Bytes the client sent that were no frames (an unreadable stream), if any. */
  unreadable: string | undefined;
  /** The close frame the client sent, and the server's. */
  clientClose: CloseSeen | undefined;
  serverClose: CloseSeen | undefined;
  /** The client ended its side of TCP (FIN), and when; before or after the server ended its own. */
  clientEndedAtMs: number | undefined;
  serverEndedAtMs: number | undefined;
  /** The client ended TCP while the server's side was still open. */
  clientEndedFirst = false;
  closedAtMs: number | undefined;
  /** After the closing handshake the server keeps TCP open this long, watching whether the client closes first (0: it closes at once). */
  lingerAfterCloseMs = 0;
  private readonly socket: Socket;
  private readonly transcript: Transcript;
  private readonly changes: Signal;

  constructor(index: number, socket: Socket, transcript: Transcript, changes: Signal) {
    this.index = index;
    this.socket = socket;
    this.transcript = transcript;
    this.changes = changes;
  }

  /** The connection's name in the transcript. */
  get name(): string {
    return `client connection ${this.index + 1}`;
  }

  get closed(): boolean {
    return this.closedAtMs !== undefined;
  }

  /** Sends frames (unmasked unless a spec says otherwise) or raw bytes, in one write. */
  async send(frames: ReadonlyArray<FrameSpec | Buffer>): Promise<void> {
    if (this.socket.destroyed || this.serverEndedAtMs !== undefined) return;
    const bytes = frames.map((f) => {
      if (Buffer.isBuffer(f)) return f;
      const spec = { mask: false, ...f };
      const payload = typeof spec.payload === 'string' ? Buffer.from(spec.payload) : (spec.payload ?? Buffer.alloc(0));
      this.transcript.recordFrame(() => frameRecord('scripted server', 'received', { fin: spec.fin ?? true, rsv: spec.rsv ?? 0, opcode: spec.opcode, masked: spec.mask, payload }, this.transcript.now()));
      if (spec.opcode === OPCODE.close && this.serverClose === undefined) this.serverClose = { ...parseClosePayload(payload), atMs: this.transcript.now() };
      return encodeFrame(spec);
    });
    await new Promise<void>((resolve) => this.socket.write(Buffer.concat(bytes), () => resolve()));
  }

  /** Sends a close frame with `code` (none: an empty close frame). */
  async sendClose(code?: number, reason?: string): Promise<void> {
    await this.send([{ opcode: OPCODE.close, payload: closePayload(code, reason) }]);
  }

  /** Ends the server's side of TCP (FIN). */
  end(): void {
    if (this.serverEndedAtMs !== undefined || this.socket.destroyed) return;
    this.serverEndedAtMs = this.transcript.now();
    this.transcript.note(`scripted server: ${this.name}: the server closes the TCP connection`);
    this.socket.end();
    this.changes.notify();
  }

  /** Cuts the connection. */
  destroy(): void {
    this.socket.destroy();
  }

  /** Reads a client frame: record it, answer what a server answers (a close with a close, then TCP). */
  takeFrame(frame: ClientFrame): void {
    this.frames.push(frame);
    this.transcript.recordFrame(() => {
      const record = frameRecord(this.name, 'sent', frame, frame.atMs);
      return frame.maskKey === undefined ? record : { ...record, preview: `${record.preview} (mask ${frame.maskKey})` };
    });
    if (frame.opcode !== OPCODE.close || this.clientClose !== undefined) return;
    this.clientClose = { ...parseClosePayload(frame.payload), atMs: frame.atMs };
    void (async () => {
      if (this.serverClose === undefined) {
        const code = this.clientClose?.code;
        await this.sendClose(code !== undefined && code !== 1005 ? code : undefined);
      }
      if (this.lingerAfterCloseMs > 0) {
        // RFC 6455 §7.1.1: the server closes TCP first; a client that closes before it does is seen here.
        const timer = setTimeout(() => this.end(), this.lingerAfterCloseMs);
        this.socket.once('close', () => clearTimeout(timer));
      } else this.end();
    })();
  }
}

export class ScriptedWsServer {
  readonly connections: ScriptedWsConnection[] = [];
  /** Notifies on every handshake, frame, end and close. */
  readonly changes = new Signal();
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly transcript: Transcript;
  private readonly answer: HandshakeAnswer;
  private readonly script: ConnectionScript;
  private readonly running: Array<Promise<void>> = [];

  private constructor(transcript: Transcript, answer: HandshakeAnswer, script: ConnectionScript) {
    this.transcript = transcript;
    this.answer = answer;
    this.script = script;
    this.server = createServer((socket) => this.accept(socket));
  }

  /** Starts a scripted server on 127.0.0.1, an ephemeral port. */
  static async start(transcript: Transcript, answer: HandshakeAnswer, script: ConnectionScript): Promise<ScriptedWsServer> {
    const scripted = new ScriptedWsServer(transcript, answer, script);
    await new Promise<void>((resolve, reject) => {
      scripted.server.once('error', reject);
      scripted.server.listen(0, '127.0.0.1', () => resolve());
    });
    return scripted;
  }

  /** `ws://127.0.0.1:<port>` */
  get origin(): string {
    return `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    // A connection counts from its first byte: a browser opens a spare one ahead of need that never carries a request.
    let conn: ScriptedWsConnection | undefined;
    let head = Buffer.alloc(0);
    let reader: FrameReader | undefined;
    socket.on('data', (chunk: Buffer) => {
      if (conn === undefined) {
        conn = new ScriptedWsConnection(this.connections.length, socket, this.transcript, this.changes);
        this.connections.push(conn);
        this.transcript.note(`scripted server: ${conn.name} opened`);
      }
      if (reader !== undefined) return this.read(conn, reader, chunk);
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end === -1) {
        if (head.length > MAX_HEAD_BYTES) socket.destroy();
        return;
      }
      conn.request = parseHead(head.subarray(0, end).toString('latin1'), this.transcript.now());
      this.transcript.note(`scripted server: ${conn.name}: ${conn.request.method} ${conn.request.path} ${conn.request.version}, Sec-WebSocket-Key ${JSON.stringify(conn.request.headers['sec-websocket-key'] ?? null)}`);
      socket.write(answerFor(this.answer, conn.request));
      this.transcript.note(`scripted server: ${conn.name}: answered the handshake (${this.answer})`);
      this.changes.notify();
      if (this.answer !== 'accept') return;
      reader = new FrameReader();
      this.running.push(this.script(conn).catch((error: unknown) => this.transcript.note(`scripted server: the case's script failed: ${(error as Error).message}`)));
      const rest = head.subarray(end + 4);
      if (rest.length > 0) this.read(conn, reader, rest);
    });
    socket.on('end', () => {
      if (conn === undefined) return socket.end();
      conn.clientEndedAtMs = this.transcript.now();
      conn.clientEndedFirst = conn.serverEndedAtMs === undefined;
      this.transcript.note(`scripted server: ${conn.name}: the client closed its side of the TCP connection`);
      this.changes.notify();
      // A half-closed client gets the rest of the server's side only if the case is not watching it.
      if (conn.lingerAfterCloseMs === 0 || conn.clientClose !== undefined) conn.end();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (conn !== undefined) conn.closedAtMs = this.transcript.now();
      this.sockets.delete(socket);
      this.changes.notify();
    });
  }

  private read(conn: ScriptedWsConnection, reader: FrameReader, chunk: Buffer): void {
    for (const f of reader.push(chunk)) {
      conn.takeFrame({ atMs: this.transcript.now(), fin: f.fin, rsv: f.rsv, opcode: f.opcode, masked: f.masked, ...(f.maskKey !== undefined ? { maskKey: f.maskKey.toString('hex') } : {}), payload: f.payload });
    }
    if (reader.error !== undefined && conn.unreadable === undefined) {
      conn.unreadable = reader.error;
      this.transcript.note(`scripted server: ${conn.name}: the client sent ${reader.error}`);
    }
    this.changes.notify();
  }

  /** Waits for the cases' scripts, stops listening and cuts every connection. */
  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await Promise.allSettled(this.running);
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Reads a request head: request line and header fields. */
export function parseHead(text: string, atMs: number): HandshakeRequestSeen {
  const [line = '', ...fields] = text.split('\r\n');
  const [method = '', path = '', version = ''] = line.split(' ');
  const headers: Record<string, string> = {};
  for (const field of fields) {
    const colon = field.indexOf(':');
    if (colon <= 0) continue;
    const name = field.slice(0, colon).trim().toLowerCase();
    const value = field.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  return { method, path, version, headers, atMs };
}

/** The response head for a handshake answer: right, or wrong in exactly one way. */
export function answerFor(answer: HandshakeAnswer, request: HandshakeRequestSeen): string {
  const key = request.headers['sec-websocket-key'] ?? '';
  const accept = answer === 'wrong-accept' ? acceptKeyFor(`${key}x`) : acceptKeyFor(key);
  const status = answer === 'status-200' ? '200 OK' : answer === 'status-403' ? '403 Forbidden' : '101 Switching Protocols';
  const lines = [`HTTP/1.1 ${status}`];
  if (answer !== 'no-upgrade') lines.push(`Upgrade: ${answer === 'wrong-upgrade' ? 'h2c' : 'websocket'}`);
  if (answer !== 'no-connection') lines.push(`Connection: ${answer === 'wrong-connection' ? 'keep-alive' : 'Upgrade'}`);
  lines.push(`Sec-WebSocket-Accept: ${accept}`);
  // A non-101 answer is a complete HTTP response, so a client reading it per HTTP finds its end.
  if (answer === 'status-200' || answer === 'status-403') lines.push('Content-Length: 0');
  return `${lines.join('\r\n')}\r\n\r\n`;
}

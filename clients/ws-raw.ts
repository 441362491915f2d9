/**
 * A raw WebSocket client over a plain TCP socket: it writes the opening
 * handshake by hand and frames every message itself, so a scenario can send
 * what a conforming library never would and see exactly what the server sent.
 * Everything crosses the scenario's transcript: the handshake as an HTTP
 * exchange, every frame both ways as a frame record, and the close outcome.
 * Protocol errors by the server are kept as `findings`, never thrown; waits
 * fail with a {@link ConformanceFailure} naming what was awaited and what was seen.
 */
import { connect as netConnect, type Socket } from 'node:net';
import { ConformanceFailure } from '../checks/conformance-failure.ts';
import { previewBody, type Transcript } from '../evidence/transcript.ts';
import type { FrameRecord, HttpExchange } from '../verdicts/model.ts';
import {
  acceptKeyFor,
  closePayload,
  encodeFrame,
  FrameReader,
  isControlOpcode,
  isSendableCloseCode,
  isValidUtf8,
  opcodeName,
  parseClosePayload,
  randomKey,
  type DecodedFrame,
  type FrameSpec,
} from './ws-frame.ts';

/** Response heads longer than this are a failure, not something to buffer. */
const MAX_HEAD_BYTES = 16 * 1024;
/** A non-101 answer's body is read up to this many bytes. */
const MAX_BODY_BYTES = 64 * 1024;
/** Findings kept per connection; a flood of broken frames is counted, not kept. */
export const WS_FINDING_CAP = 50;

export interface RawConnectOptions {
  /** `ws://` or `http://`. */
  url: string;
  /** The connection's name in the transcript: `client alice`. */
  actor: string;
  transcript: Transcript;
  /** The response head must come within this many milliseconds. */
  deadlineMs: number;
  /** Default GET. */
  method?: string;
  /** Sec-WebSocket-Key; null omits the header; default a random valid key. */
  key?: string | null;
  /** Sec-WebSocket-Version; default '13'; null omits the header. */
  version?: string | null;
  protocols?: string[];
  origin?: string;
  /** Extra headers, or overriding ones (matched without regard to case). */
  headers?: Record<string, string>;
  /** Answer the server's pings with pongs (default true). */
  autoPong?: boolean;
  /** Answer the server's close frame with one echoing its code, when the client has not sent one (default true). */
  autoCloseReply?: boolean;
  /** Bound on one received frame's declared length (default 64 MiB). */
  maxFrameBytes?: number;
}

export type ReceivedFrame = DecodedFrame & { atMs: number };

export interface WsMessage {
  type: 'text' | 'binary';
  data: Buffer;
  /** How many frames carried it. */
  frames: number;
}

export interface CloseResult {
  closeFrame?: { code?: number; reason: string; reasonValidUtf8: boolean; atMs: number };
  tcpClosedAtMs?: number;
  tcpClosedBy: 'server' | 'client' | 'still open';
  /** In Autobahn's words: `clean, code 1000`, `no close frame: the server dropped the TCP connection`, `still open after 2000 ms`. */
  outcome: string;
}

type Step<T> = { value: T } | { fail: string };

/** How a frame's payload shows in the transcript: text for text and close frames, hex otherwise. */
export function framePreview(opcode: number, payload: Buffer): string {
  if (opcode === 0x1) return cut(payload.toString('utf8'));
  if (opcode === 0x8) {
    const close = parseClosePayload(payload);
    return cut(close.code === undefined ? (payload.length === 1 ? hex(payload) : '') : `${close.code}${close.reason ? ` ${close.reason}` : ''}`);
  }
  return hex(payload);
}

function cut(text: string): string {
  const chars = [...text];
  return chars.length <= 60 ? text : `${chars.slice(0, 60).join('')}…`;
}

function hex(bytes: Buffer): string {
  const shown = [...bytes.subarray(0, 32)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
  return bytes.length > 32 ? `${shown} …` : shown;
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${(error as NodeJS.ErrnoException).code ?? error.name}: ${error.message}` : String(error);
}

export class RawWebSocket {
  readonly actor: string;
  private readonly transcript: Transcript;
  private readonly socket: Socket;
  private readonly reader: FrameReader;
  private readonly autoPong: boolean;
  private readonly autoCloseReply: boolean;

  /** The handshake answer's status (0 until it came). */
  status = 0;
  statusText = '';
  /** Response headers, lower-case names, repeated ones joined with ", ". */
  headers: Record<string, string> = {};
  /** A non-101 answer's body (up to 64 KiB). */
  body = '';
  /** The Sec-WebSocket-Accept the server must answer to the key sent (absent when no key was sent). */
  expectedAccept: string | undefined;
  /** The handshake's record in the transcript, when kept. */
  exchange: HttpExchange | undefined;

  /** Every frame the server sent, in order. */
  readonly received: ReceivedFrame[] = [];
  /** Protocol errors by the server, for the checks. */
  readonly findings: string[] = [];
  private omittedFindings = 0;

  /** When the client sent its close frame. */
  closeSentAtMs: number | undefined;
  /** The server's first close frame. */
  closeReceived: CloseResult['closeFrame'];
  tcpClosedAtMs: number | undefined;
  tcpClosedBy: 'server' | 'client' | undefined;
  /** Why the connection ended, when it ended in an error. */
  socketError: string | undefined;

  private headProblem: string | undefined;
  private readIndex = 0;
  private pongIndex = 0;
  private receiving: 'head' | 'body' | 'frames' | 'done' = 'head';
  private headBuffer: Buffer = Buffer.alloc(0);
  private bodyChunks: Buffer[] = [];
  private bodyBytes = 0;
  private bodyLimit = MAX_BODY_BYTES;
  private chunked = false;
  private allowedRsv = 0;
  private fragmentOpcode: number | undefined;
  private readonly wakers = new Set<() => void>();
  /** Whole messages in arrival order (also those that came with the 101, before anyone listened), and their listeners. */
  private readonly messages: WsMessage[] = [];
  private readonly messageListeners = new Set<(message: WsMessage) => void>();
  private listenType: WsMessage['type'] | undefined;
  private listenParts: Buffer[] = [];

  private constructor(options: RawConnectOptions, socket: Socket) {
    this.actor = options.actor;
    this.transcript = options.transcript;
    this.socket = socket;
    this.reader = new FrameReader(options.maxFrameBytes !== undefined ? { maxFrameBytes: options.maxFrameBytes } : {});
    this.autoPong = options.autoPong ?? true;
    this.autoCloseReply = options.autoCloseReply ?? true;
  }

  /** The handshake was accepted (status 101). */
  get upgraded(): boolean {
    return this.status === 101;
  }

  /** Pings received from the server so far. */
  get pings(): ReceivedFrame[] {
    return this.received.filter((f) => f.opcode === 0x9);
  }

  /** Pongs received from the server so far. */
  get pongs(): ReceivedFrame[] {
    return this.received.filter((f) => f.opcode === 0xa);
  }

  /** Findings beyond {@link WS_FINDING_CAP}: counted, not kept. */
  get omittedFindingCount(): number {
    return this.omittedFindings;
  }

  /**
   * Opens a TCP connection, writes the handshake and reads the answer's head (and,
   * for a status other than 101, its short body). Resolves whatever the status:
   * callers check `status`. Fails only when no head comes in time or the connection fails.
   */
  static async connect(options: RawConnectOptions): Promise<RawWebSocket> {
    const url = new URL(options.url);
    if (url.protocol !== 'ws:' && url.protocol !== 'http:') throw new TypeError(`RawWebSocket speaks ws:// and http:// only, not ${url.protocol}`);
    const port = url.port === '' ? 80 : Number(url.port);
    const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    const method = options.method ?? 'GET';
    const path = url.pathname + url.search;
    const key = options.key === undefined ? randomKey() : options.key;
    const version = options.version === undefined ? '13' : options.version;

    const lines: Array<[string, string]> = [
      ['Host', url.host],
      ['Upgrade', 'websocket'],
      ['Connection', 'Upgrade'],
    ];
    if (key !== null) lines.push(['Sec-WebSocket-Key', key]);
    if (version !== null) lines.push(['Sec-WebSocket-Version', version]);
    if (options.protocols && options.protocols.length > 0) lines.push(['Sec-WebSocket-Protocol', options.protocols.join(', ')]);
    if (options.origin !== undefined) lines.push(['Origin', options.origin]);
    for (const [name, value] of Object.entries(options.headers ?? {})) {
      const at = lines.findIndex(([n]) => n.toLowerCase() === name.toLowerCase());
      if (at >= 0) lines[at] = [name, value];
      else lines.push([name, value]);
    }
    const request = `${method} ${path} HTTP/1.1\r\n${lines.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n`;

    const exchange: HttpExchange = {
      actor: options.actor,
      method,
      url: path,
      requestHeaders: Object.fromEntries(lines),
      startedAtMs: options.transcript.now(),
    };
    const kept = options.transcript.record(exchange);

    const socket = netConnect({ host, port });
    socket.setNoDelay(true);
    const ws = new RawWebSocket(options, socket);
    ws.exchange = kept;
    if (key !== null) ws.expectedAccept = acceptKeyFor(key);

    const what = `an answer to the WebSocket handshake ${method} ${path} within ${options.deadlineMs} ms`;
    try {
      await ws.handshake(request, options.deadlineMs, what);
    } catch (error) {
      exchange.endedAtMs = options.transcript.now();
      exchange.error = error instanceof ConformanceFailure ? error.actual : describeError(error);
      ws.destroy();
      throw error;
    }
    Object.assign(exchange, {
      status: ws.status,
      responseHeaders: ws.headers,
      ...(ws.upgraded ? {} : { responseBody: previewBody(ws.body), responseBytes: ws.bodyBytes }),
      endedAtMs: options.transcript.now(),
      ...(ws.upgraded ? { annotation: 'upgraded to WebSocket' } : {}),
    });
    return ws;
  }

  private handshake(request: string, deadlineMs: number, what: string): Promise<void> {
    const started = performance.now();
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.socket.on('end', () => this.markClosed('server'));
    this.socket.on('error', (error) => {
      this.socketError ??= describeError(error);
      this.markClosed('server');
    });
    this.socket.on('close', () => this.markClosed('server'));
    this.socket.write(request);
    // Resolves once the head is read (and, for a non-101, the body or the time ran out).
    return new Promise<void>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const finish = (fn: () => void): void => {
        clearTimeout(timer);
        this.wakers.delete(waker);
        fn();
      };
      const waker = (): void => {
        if (this.receiving === 'frames' || this.receiving === 'done') finish(resolve);
        else if (this.headProblem !== undefined) {
          const problem = this.headProblem;
          finish(() => reject(new ConformanceFailure(what, problem)));
        } else if (this.receiving === 'head' && this.socketError !== undefined && this.status === 0 && this.tcpClosedAtMs !== undefined) {
          finish(() => reject(new ConformanceFailure(what, `the connection failed (${this.socketError})`)));
        } else if (this.receiving === 'head' && this.tcpClosedAtMs !== undefined) {
          const got = this.headBuffer.length;
          finish(() => reject(new ConformanceFailure(what, `the server closed the connection before a complete response head (${got} bytes received)`)));
        } else if (this.receiving === 'body' && this.tcpClosedAtMs !== undefined) {
          this.endBody();
          finish(resolve);
        }
      };
      this.wakers.add(waker);
      timer = setTimeout(() => {
        this.wakers.delete(waker);
        if (this.receiving === 'body') {
          // The head came; a body still trickling is cut, not a failure.
          this.endBody();
          resolve();
          return;
        }
        const got = this.headBuffer.length;
        reject(new ConformanceFailure(what, `no complete response head after ${Math.round(performance.now() - started)} ms (${got} bytes received)`));
      }, deadlineMs);
      waker();
    });
  }

  private onData(chunk: Buffer): void {
    if (this.receiving === 'head') this.readHead(chunk);
    else if (this.receiving === 'body') this.readBody(chunk);
    else if (this.receiving === 'frames') this.readFrames(chunk);
    this.wake();
  }

  private readHead(chunk: Buffer): void {
    this.headBuffer = Buffer.concat([this.headBuffer, chunk]);
    const end = this.headBuffer.indexOf('\r\n\r\n');
    if (end < 0) {
      if (this.headBuffer.length > MAX_HEAD_BYTES) this.failHead(`a response head over ${MAX_HEAD_BYTES} bytes with no blank line`);
      return;
    }
    const headText = this.headBuffer.subarray(0, end).toString('latin1');
    const rest = this.headBuffer.subarray(end + 4);
    const [statusLine = '', ...headerLines] = headText.split('\r\n');
    const match = /^HTTP\/\d(?:\.\d)? (\d{3})(?: (.*))?$/.exec(statusLine);
    if (!match) {
      this.failHead(`a response that is not HTTP: ${JSON.stringify(statusLine.slice(0, 80))}`);
      return;
    }
    this.status = Number(match[1]);
    this.statusText = match[2] ?? '';
    for (const line of headerLines) {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      this.headers[name] = this.headers[name] === undefined ? value : `${this.headers[name]}, ${value}`;
    }
    this.headBuffer = Buffer.alloc(0);
    if (this.status === 101) {
      if (/permessage-deflate/i.test(this.headers['sec-websocket-extensions'] ?? '')) this.allowedRsv = 4;
      this.receiving = 'frames';
      if (rest.length > 0) this.readFrames(rest);
      return;
    }
    this.receiving = 'body';
    const declared = this.headers['content-length'];
    if (declared !== undefined && /^\d+$/.test(declared)) this.bodyLimit = Math.min(Number(declared), MAX_BODY_BYTES);
    this.chunked = /chunked/i.test(this.headers['transfer-encoding'] ?? '');
    this.readBody(rest);
  }

  private failHead(actual: string): void {
    this.headProblem = actual;
    this.status = 0;
    this.headers = {};
    this.socket.destroy();
    this.markClosed('client');
  }

  private readBody(chunk: Buffer): void {
    if (chunk.length > 0) {
      this.bodyChunks.push(chunk);
      this.bodyBytes += chunk.length;
    }
    const done = this.chunked ? Buffer.concat(this.bodyChunks).includes('0\r\n\r\n') : this.bodyBytes >= this.bodyLimit;
    if (done || this.bodyBytes >= MAX_BODY_BYTES) this.endBody();
  }

  private endBody(): void {
    if (this.receiving !== 'body') return;
    let raw: Buffer = Buffer.concat(this.bodyChunks);
    if (this.chunked) raw = dechunk(raw);
    else raw = raw.subarray(0, this.bodyLimit);
    this.body = raw.toString('utf8');
    this.bodyBytes = raw.length;
    this.receiving = 'done';
    this.socket.destroy();
    this.markClosed('client');
  }

  private readFrames(chunk: Buffer): void {
    const frames = this.reader.push(chunk);
    for (const frame of frames) this.onFrame(frame);
    if (this.reader.error !== undefined) {
      this.finding(`the server sent ${this.reader.error}; the client stopped reading`);
      this.destroy();
    }
  }

  private onFrame(frame: DecodedFrame): void {
    const atMs = this.transcript.now();
    const index = this.received.length + 1;
    const received: ReceivedFrame = { ...frame, atMs };
    const afterClose = this.closeReceived !== undefined;
    this.received.push(received);
    this.record('received', frame.fin, frame.rsv, frame.opcode, frame.masked, frame.payload, atMs);
    const name = `frame ${index} (${opcodeName(frame.opcode)})`;
    if (afterClose) this.finding(`${name} came after the server's close frame (RFC 6455 §5.5.1)`);
    if (frame.masked) this.finding(`${name} is masked (RFC 6455 §5.1: a server MUST NOT mask)`);
    if (!frame.minimalLength) {
      this.finding(`${name} uses a ${frame.lengthEncoding}-bit length for ${frame.payload.length} bytes, not the minimal encoding (RFC 6455 §5.2)`);
    }
    if ((frame.rsv & ~this.allowedRsv) !== 0) this.finding(`${name} sets reserved bits ${frame.rsv} with no extension negotiated (RFC 6455 §5.2)`);
    const control = isControlOpcode(frame.opcode);
    const known = [0x0, 0x1, 0x2, 0x8, 0x9, 0xa].includes(frame.opcode);
    if (!known) this.finding(`${name} uses a reserved opcode (RFC 6455 §5.2)`);
    if (control) {
      if (!frame.fin) this.finding(`${name} is a fragmented control frame (RFC 6455 §5.5)`);
      if (frame.payload.length > 125) this.finding(`${name} is a control frame with ${frame.payload.length} payload bytes, over 125 (RFC 6455 §5.5)`);
    } else if (known) {
      if (frame.opcode === 0x0) {
        if (this.fragmentOpcode === undefined) this.finding(`${name} continues no fragmented message (RFC 6455 §5.4)`);
        else if (frame.fin) this.fragmentOpcode = undefined;
      } else {
        if (this.fragmentOpcode !== undefined) this.finding(`${name} starts a new message before the fragmented one ended (RFC 6455 §5.4)`);
        this.fragmentOpcode = frame.fin ? undefined : frame.opcode;
      }
    }
    if (afterClose) return;
    this.deliverToListeners(frame);
    if (frame.opcode === 0x9 && this.autoPong && this.closeSentAtMs === undefined && frame.payload.length <= 125) {
      this.pong(frame.payload);
    } else if (frame.opcode === 0x8) {
      const close = parseClosePayload(frame.payload);
      this.closeReceived = { ...close, atMs };
      if (frame.payload.length === 1) this.finding(`${name} has a 1-byte payload (RFC 6455 §5.5.1: a code is 2 bytes)`);
      if (close.code !== undefined && !isSendableCloseCode(close.code)) this.finding(`${name} carries close code ${close.code}, which may not be sent (RFC 6455 §7.4)`);
      if (!close.reasonValidUtf8) this.finding(`${name} has a close reason that is not valid UTF-8 (RFC 6455 §5.5.1)`);
      if (this.autoCloseReply && this.closeSentAtMs === undefined) {
        const code = close.code === undefined ? undefined : isSendableCloseCode(close.code) ? close.code : 1002;
        this.close(code);
      }
    }
  }

  /** Assembles whole messages for {@link onMessage} listeners as frames arrive. */
  private deliverToListeners(frame: DecodedFrame): void {
    if (isControlOpcode(frame.opcode)) return;
    if (frame.opcode === 0x1 || frame.opcode === 0x2) {
      this.listenType = frame.opcode === 0x1 ? 'text' : 'binary';
      this.listenParts = [];
    } else if (frame.opcode !== 0x0 || this.listenType === undefined) return;
    this.listenParts.push(frame.payload);
    if (!frame.fin) return;
    const message: WsMessage = { type: this.listenType!, data: Buffer.concat(this.listenParts), frames: this.listenParts.length };
    this.listenType = undefined;
    this.listenParts = [];
    this.messages.push(message);
    for (const listener of this.messageListeners) listener(message);
  }

  /**
   * Calls `listener` with every whole message, those already received first
   * (a server may send some in the same packet as its 101), apart from `nextMessage`'s reading.
   */
  onMessage(listener: (message: WsMessage) => void): void {
    for (const message of this.messages) listener(message);
    this.messageListeners.add(listener);
  }

  /** Resolves once `done()` holds, re-checked as frames arrive; fails at the deadline or when the connection ends first. */
  until(done: () => boolean, deadlineMs: number, what: string, state: () => string): Promise<void> {
    return this.waitFor<void>(deadlineMs, what, () => (done() ? { value: undefined } : this.tcpClosedAtMs !== undefined ? { fail: state() } : undefined));
  }

  private finding(text: string): void {
    if (this.findings.length >= WS_FINDING_CAP) this.omittedFindings += 1;
    else this.findings.push(text);
  }

  private record(direction: FrameRecord['direction'], fin: boolean, rsv: number, opcode: number, masked: boolean, payload: Buffer, atMs: number): void {
    const record: FrameRecord = {
      connection: this.actor,
      direction,
      atMs,
      fin,
      rsv,
      opcode,
      masked,
      length: payload.length,
      preview: opcode === -1 ? hex(payload) : framePreview(opcode, payload),
    };
    if (opcode === 0x8) {
      const code = parseClosePayload(payload).code;
      if (code !== undefined) record.closeCode = code;
    }
    this.transcript.recordFrame(record);
  }

  private markClosed(by: 'server' | 'client'): void {
    if (this.tcpClosedAtMs !== undefined) return;
    this.tcpClosedAtMs = this.transcript.now();
    this.tcpClosedBy = by;
    this.wake();
  }

  private wake(): void {
    for (const waker of [...this.wakers]) waker();
  }

  private get writable(): boolean {
    return this.receiving === 'frames' && this.tcpClosedAtMs === undefined && !this.socket.destroyed;
  }

  /** Sends one frame (masked by default); returns false when the connection is already closed. */
  send(spec: FrameSpec): boolean {
    if (!this.writable) return false;
    const payload = spec.payload === undefined ? Buffer.alloc(0) : typeof spec.payload === 'string' ? Buffer.from(spec.payload) : spec.payload;
    this.socket.write(encodeFrame({ ...spec, payload }));
    const fin = spec.fin ?? true;
    if (spec.opcode === 0x8 && this.closeSentAtMs === undefined) this.closeSentAtMs = this.transcript.now();
    this.record('sent', fin, spec.rsv ?? 0, spec.opcode, spec.mask ?? true, payload, this.transcript.now());
    return true;
  }

  sendText(text: string | Buffer, opts: Omit<FrameSpec, 'opcode' | 'payload'> = {}): boolean {
    return this.send({ ...opts, opcode: 0x1, payload: text });
  }

  sendBinary(data: Buffer, opts: Omit<FrameSpec, 'opcode' | 'payload'> = {}): boolean {
    return this.send({ ...opts, opcode: 0x2, payload: data });
  }

  /** Writes arbitrary bytes (recorded as a frame with opcode -1 and a hex preview). */
  sendRaw(bytes: Buffer): boolean {
    if (!this.writable) return false;
    this.socket.write(bytes);
    this.record('sent', true, 0, -1, false, bytes, this.transcript.now());
    return true;
  }

  ping(payload: Buffer | string = Buffer.alloc(0)): boolean {
    return this.send({ opcode: 0x9, payload });
  }

  pong(payload: Buffer | string = Buffer.alloc(0)): boolean {
    return this.send({ opcode: 0xa, payload });
  }

  /** Sends a close frame (the TCP connection stays open: the server closes it). */
  close(code?: number, reason?: string | Buffer): boolean {
    return this.send({ opcode: 0x8, payload: closePayload(code, reason) });
  }

  /**
   * Sends one message in fragments: the first part with `opcode`, the rest as
   * continuations, the last with FIN. `interleave.get(i)` is a frame sent just before part i.
   */
  sendFragments(opcode: number, parts: Array<Buffer | string>, interleave?: Map<number, FrameSpec>): boolean {
    let ok = true;
    parts.forEach((part, i) => {
      const between = interleave?.get(i);
      if (between) ok = this.send(between) && ok;
      ok = this.send({ opcode: i === 0 ? opcode : 0x0, payload: part, fin: i === parts.length - 1 }) && ok;
    });
    return ok;
  }

  /** What has been seen so far, for failure messages. */
  describe(): string {
    const names = this.received.map((f) => (f.opcode === 0x8 ? `close${parseClosePayload(f.payload).code !== undefined ? ` ${parseClosePayload(f.payload).code}` : ''}` : opcodeName(f.opcode)));
    const shown = names.length > 12 ? [...names.slice(0, 12), `… ${names.length - 12} more`] : names;
    const frames = names.length === 0 ? 'no frames received' : `${names.length} frame${names.length === 1 ? '' : 's'} received: ${shown.join(', ')}`;
    let state: string;
    if (this.tcpClosedAtMs === undefined) state = 'the connection is still open';
    else if (this.tcpClosedBy === 'client') state = `the client closed the connection at ${this.tcpClosedAtMs} ms`;
    else state = `the server closed the TCP connection at ${this.tcpClosedAtMs} ms${this.socketError ? ` (${this.socketError})` : ''}`;
    return `${frames}; ${state}`;
  }

  private waitFor<T>(deadlineMs: number, what: string, check: () => Step<T> | undefined): Promise<T> {
    const expected = `${what} within ${deadlineMs} ms`;
    return new Promise<T>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const attempt = (): boolean => {
        const step = check();
        if (step === undefined) {
          if (this.tcpClosedAtMs === undefined) return false;
          reject(new ConformanceFailure(expected, this.describe()));
        } else if ('fail' in step) reject(new ConformanceFailure(expected, step.fail));
        else resolve(step.value);
        return true;
      };
      if (attempt()) return;
      const waker = (): void => {
        if (!attempt()) return;
        clearTimeout(timer);
        this.wakers.delete(waker);
      };
      this.wakers.add(waker);
      timer = setTimeout(() => {
        this.wakers.delete(waker);
        reject(new ConformanceFailure(expected, this.describe()));
      }, deadlineMs);
    });
  }

  /** The next frame not yet read by `nextFrame`/`nextMessage`, whatever it is. */
  nextFrame(deadlineMs: number): Promise<ReceivedFrame> {
    return this.waitFor(deadlineMs, 'a frame from the server', () => {
      const frame = this.received[this.readIndex];
      if (frame === undefined) return undefined;
      this.readIndex += 1;
      return { value: frame };
    });
  }

  /** The next whole message, fragments reassembled, control frames skipped (pings are answered on arrival). */
  nextMessage(deadlineMs: number): Promise<WsMessage> {
    return this.waitFor<WsMessage>(deadlineMs, 'a message from the server', () => {
      let start: ReceivedFrame | undefined;
      const parts: Buffer[] = [];
      for (let i = this.readIndex; i < this.received.length; i++) {
        const frame = this.received[i]!;
        if (frame.opcode === 0x8) {
          const code = parseClosePayload(frame.payload).code;
          return { fail: `the server sent a close frame${code !== undefined ? ` (code ${code})` : ''} instead; ${this.describe()}` };
        }
        if (isControlOpcode(frame.opcode)) continue;
        if (frame.opcode === 0x1 || frame.opcode === 0x2) {
          start = frame;
          parts.length = 0;
        } else if (frame.opcode !== 0x0 || start === undefined) continue;
        parts.push(frame.payload);
        if (frame.fin) {
          this.readIndex = i + 1;
          const data = Buffer.concat(parts);
          const type: WsMessage['type'] = start.opcode === 0x1 ? 'text' : 'binary';
          if (type === 'text' && !isValidUtf8(data)) this.finding(`a text message of ${data.length} bytes is not valid UTF-8 (RFC 6455 §8.1)`);
          return { value: { type, data, frames: parts.length } };
        }
      }
      return undefined;
    });
  }

  /** The next pong from the server (pongs are counted apart from `nextFrame`'s reading). */
  nextPong(deadlineMs: number): Promise<ReceivedFrame> {
    return this.waitFor(deadlineMs, 'a pong from the server', () => {
      for (let i = this.pongIndex; i < this.received.length; i++) {
        const frame = this.received[i]!;
        if (frame.opcode === 0xa) {
          this.pongIndex = i + 1;
          return { value: frame };
        }
      }
      this.pongIndex = this.received.length;
      return undefined;
    });
  }

  /**
   * Waits for the server's close frame (answered on arrival, unless the client already
   * sent one) and for the TCP connection to end; never fails: the outcome says what happened.
   * Sets the transcript's `closeOutcome`.
   */
  async waitForClose(deadlineMs: number): Promise<CloseResult> {
    if (this.tcpClosedAtMs === undefined) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.wakers.delete(waker);
          resolve();
        }, deadlineMs);
        const waker = (): void => {
          if (this.tcpClosedAtMs === undefined) return;
          clearTimeout(timer);
          this.wakers.delete(waker);
          resolve();
        };
        this.wakers.add(waker);
      });
    }
    const closeFrame = this.closeReceived;
    const tcpClosedBy = this.tcpClosedBy ?? 'still open';
    const code = closeFrame ? (closeFrame.code !== undefined ? `code ${closeFrame.code}` : 'no status code') : '';
    let outcome: string;
    if (closeFrame && tcpClosedBy === 'server') outcome = `clean, ${code}`;
    else if (closeFrame && tcpClosedBy === 'client') outcome = `close frame with ${code}, then the client closed the TCP connection`;
    else if (closeFrame) outcome = `close frame with ${code}, but the TCP connection still open after ${deadlineMs} ms`;
    else if (tcpClosedBy === 'server') outcome = 'no close frame: the server dropped the TCP connection';
    else if (tcpClosedBy === 'client') outcome = 'no close frame: the client closed the TCP connection';
    else outcome = `still open after ${deadlineMs} ms`;
    this.transcript.closeOutcome = outcome;
    return {
      ...(closeFrame ? { closeFrame } : {}),
      ...(this.tcpClosedAtMs !== undefined ? { tcpClosedAtMs: this.tcpClosedAtMs } : {}),
      tcpClosedBy,
      outcome,
    };
  }

  /** Closes the TCP connection now (idempotent). */
  destroy(): void {
    this.markClosed('client');
    if (!this.socket.destroyed) this.socket.destroy();
  }
}

/** Decodes a chunked body as far as it is complete; bytes that do not parse are kept as they came. */
function dechunk(raw: Buffer): Buffer {
  const out: Buffer[] = [];
  let at = 0;
  while (at < raw.length) {
    const lineEnd = raw.indexOf('\r\n', at);
    if (lineEnd < 0) break;
    const size = Number.parseInt(raw.subarray(at, lineEnd).toString('latin1').split(';')[0]!.trim(), 16);
    if (!Number.isFinite(size)) return raw;
    if (size === 0) break;
    out.push(raw.subarray(lineEnd + 2, Math.min(lineEnd + 2 + size, raw.length)));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(out);
}

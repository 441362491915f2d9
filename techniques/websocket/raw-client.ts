/**
 * A raw WebSocket client over a plain TCP socket: it writes the opening
 * handshake by hand and frames every message itself, so a scenario can send
 * what a conforming library never would and see exactly what the server sent.
 * Everything crosses the scenario's transcript: the handshake as an HTTP
 * exchange, every frame both ways as a frame record, and the close outcome.
 * Protocol errors by the server are kept as `findings`, never thrown; waits
 * fail with a {@link ConformanceFailure} naming what was awaited and what was seen.
 *
 * This file holds the connection itself: its state, sending, receiving, waits and
 * close handling. The handshake's HTTP (`ws-handshake.ts`), the findings about server
 * frames (`ws-inspect.ts`) and the transcript wording (`ws-transcript.ts`) live apart.
 */
import { connect as netConnect, type Socket } from 'node:net';
import { ConformanceFailure } from '../../core/failure.ts';
import type { Transcript } from '../../core/transcript.ts';
import type { FrameRecord, HttpExchange } from '../../verdicts/model.ts';
import {
  acceptKeyFor,
  closePayload,
  encodeFrame,
  FrameReader,
  isSendableCloseCode,
  opcodeName,
  parseClosePayload,
  type DecodedFrame,
  type FrameSpec,
} from './frame.ts';
import {
  buildHandshakeRequest,
  completeExchange,
  describeError,
  failExchange,
  openExchange,
  parseResponseHead,
  RefusalBody,
  type HandshakeRequestOptions,
} from './handshake.ts';
import { closeFindings, FrameInspector, frameName, negotiatedRsv, textMessageFinding, unreadableStreamFinding } from './inspect.ts';
import { MessageAssembler, type WsMessage } from './messages.ts';
import { closeOutcome, frameRecord, type FrameFields } from './frame-record.ts';

// Re-exported so callers keep importing the whole client from this one file.
export { framePreview } from './frame-record.ts';
export type { WsMessage } from './messages.ts';

/** Findings kept per connection; a flood of broken frames is counted, not kept. */
export const WS_FINDING_CAP = 50;

/** How to open a raw WebSocket connection: the handshake request's shape (see {@link HandshakeRequestOptions}) and how the connection behaves. */
export interface RawConnectOptions extends HandshakeRequestOptions {
  /** Where the handshake, every frame and the close outcome are recorded. */
  transcript: Transcript;
  /** The response head must come within this many milliseconds. */
  deadlineMs: number;
  /** Answer the server's pings with pongs (default true). */
  autoPong?: boolean;
  /** Answer the server's close frame with one echoing its code, when the client has not sent one (default true). */
  autoCloseReply?: boolean;
  /** Bound on one received frame's declared length (default 64 MiB). */
  maxFrameBytes?: number;
}

/** A frame the server sent, with when it arrived (transcript milliseconds). */
export type ReceivedFrame = DecodedFrame & { atMs: number };

/** How a connection ended, as `waitForClose` saw it. */
export interface CloseResult {
  closeFrame?: { code?: number; reason: string; reasonValidUtf8: boolean; atMs: number };
  tcpClosedAtMs?: number;
  tcpClosedBy: 'server' | 'client' | 'still open';
  /** In Autobahn's words: `clean, code 1000`, `no close frame: the server dropped the TCP connection`, `still open after 2000 ms`. */
  outcome: string;
}

/** One look at a wait's condition: done with a value, failed with what was seen instead, or (undefined) not yet. */
type Step<T> = { value: T } | { fail: string };

/**
 * One raw WebSocket connection, opened with {@link RawWebSocket.connect}. Bytes from
 * the socket go first to the handshake answer's head, then to a refusal's body or,
 * after a 101, to the frame reader; every wait re-checks its condition as bytes arrive.
 */
export class RawWebSocket {
  /** The connection's name in the transcript: `client alice`. */
  readonly actor: string;
  private readonly transcript: Transcript;
  private readonly socket: Socket;
  private readonly reader: FrameReader;
  private readonly autoPong: boolean;
  private readonly autoCloseReply: boolean;

  /** The handshake answer's status (0 until it came). */
  status = 0;
  /** The reason phrase after the status code ('' when there was none). */
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
  /** When the TCP connection ended (transcript milliseconds), while undefined it is open. */
  tcpClosedAtMs: number | undefined;
  /** Which side ended the TCP connection; an error counts as the server's doing. */
  tcpClosedBy: 'server' | 'client' | undefined;
  /** Why the connection ended, when it ended in an error. */
  socketError: string | undefined;

  private headProblem: string | undefined;
  private readIndex = 0;
  private pongIndex = 0;
  private receiving: 'head' | 'body' | 'frames' | 'done' = 'head';
  private headBuffer: Buffer = Buffer.alloc(0);
  /** A refusal's body while it is read. */
  private refusal: RefusalBody | undefined;
  /** The refusal body's decoded length, for the exchange. */
  private bodyBytes = 0;
  /** Replaced once the 101 says which extensions, and so which reserved bits, were negotiated. */
  private inspector = new FrameInspector(0);
  private readonly wakers = new Set<() => void>();
  /** Whole messages in arrival order (also those that came with the 101, before anyone listened), and their listeners. */
  private readonly messages: WsMessage[] = [];
  private readonly messageListeners = new Set<(message: WsMessage) => void>();
  /** Builds messages for listeners as frames arrive, apart from `nextMessage`'s reading. */
  private readonly listening = new MessageAssembler();

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
    const request = buildHandshakeRequest(options);
    // Recorded before connecting, so a refused connection still shows in the transcript.
    const { exchange, kept } = openExchange(options.transcript, options.actor, request);

    const socket = netConnect({ host: request.host, port: request.port });
    socket.setNoDelay(true);
    const ws = new RawWebSocket(options, socket);
    ws.exchange = kept;
    if (request.key !== null) ws.expectedAccept = acceptKeyFor(request.key);

    const what = `an answer to the WebSocket handshake ${request.method} ${request.path} within ${options.deadlineMs} ms`;
    try {
      await ws.handshake(request.text, options.deadlineMs, what);
    } catch (error) {
      failExchange(exchange, options.transcript, error instanceof ConformanceFailure ? error.actual : describeError(error));
      ws.destroy();
      throw error;
    }
    completeExchange(exchange, options.transcript, {
      status: ws.status,
      headers: ws.headers,
      ...(ws.upgraded ? {} : { body: { text: ws.body, bytes: ws.bodyBytes } }),
    });
    return ws;
  }

  /** Writes the request and waits for the answer's head; `what` names the wait in a failure. */
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
    const head = parseResponseHead(this.headBuffer);
    if (head === undefined) return;
    if ('problem' in head) {
      this.failHead(head.problem);
      return;
    }
    this.status = head.status;
    this.statusText = head.statusText;
    this.headers = head.headers;
    this.headBuffer = Buffer.alloc(0);
    if (this.status === 101) {
      this.inspector = new FrameInspector(negotiatedRsv(this.headers));
      this.receiving = 'frames';
      // A server may send its first frames in the same packet as the 101.
      if (head.rest.length > 0) this.readFrames(head.rest);
      return;
    }
    this.receiving = 'body';
    this.refusal = new RefusalBody(this.headers);
    this.readBody(head.rest);
  }

  private failHead(actual: string): void {
    this.headProblem = actual;
    this.status = 0;
    this.headers = {};
    this.socket.destroy();
    this.markClosed('client');
  }

  private readBody(chunk: Buffer): void {
    if (this.refusal?.push(chunk)) this.endBody();
  }

  /** Keeps the refusal's body as far as it came and ends the connection: after a refusal there is nothing more to read. */
  private endBody(): void {
    if (this.receiving !== 'body') return;
    const body = this.refusal?.finish() ?? { text: '', bytes: 0 };
    this.body = body.text;
    this.bodyBytes = body.bytes;
    this.receiving = 'done';
    this.socket.destroy();
    this.markClosed('client');
  }

  private readFrames(chunk: Buffer): void {
    const frames = this.reader.push(chunk);
    for (const frame of frames) this.onFrame(frame);
    if (this.reader.error !== undefined) {
      this.finding(unreadableStreamFinding(this.reader.error));
      this.destroy();
    }
  }

  private onFrame(frame: DecodedFrame): void {
    const atMs = this.transcript.now();
    const index = this.received.length + 1;
    const received: ReceivedFrame = { ...frame, atMs };
    const afterClose = this.closeReceived !== undefined;
    this.received.push(received);
    this.record('received', frame, atMs);
    const name = frameName(index, frame.opcode);
    for (const found of this.inspector.inspect(frame, name, afterClose)) this.finding(found);
    // Frames after the server's close are recorded and reported, but not acted on.
    if (afterClose) return;
    this.deliverToListeners(frame);
    if (frame.opcode === 0x9 && this.autoPong && this.closeSentAtMs === undefined && frame.payload.length <= 125) {
      this.pong(frame.payload);
    } else if (frame.opcode === 0x8) {
      const close = parseClosePayload(frame.payload);
      this.closeReceived = { ...close, atMs };
      for (const found of closeFindings(name, frame.payload, close)) this.finding(found);
      if (this.autoCloseReply && this.closeSentAtMs === undefined) {
        // Echo the server's code, unless it is one that may not be sent: then answer with a protocol error.
        const code = close.code === undefined ? undefined : isSendableCloseCode(close.code) ? close.code : 1002;
        this.close(code);
      }
    }
  }

  /** Assembles whole messages for {@link onMessage} listeners as frames arrive. */
  private deliverToListeners(frame: DecodedFrame): void {
    const message = this.listening.push(frame);
    if (message === undefined) return;
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

  private record(direction: FrameRecord['direction'], frame: FrameFields, atMs: number): void {
    this.transcript.recordFrame(frameRecord(this.actor, direction, frame, atMs));
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
    this.record('sent', { fin, rsv: spec.rsv ?? 0, opcode: spec.opcode, masked: spec.mask ?? true, payload }, this.transcript.now());
    return true;
  }

  /**
   * Sends one frame, header first: a server that refuses a frame on its declared length (ws,
   * websockets) answers before any payload is in flight. Otherwise the payload it leaves unread
   * turns its close into a TCP reset, and a reset that meets the client still writing makes Node
   * destroy the socket with the server's close frame unread. The payload follows after `waitMs`
   * unless the server has answered by then. Returns whether the payload was sent.
   */
  async sendHeaderFirst(spec: FrameSpec, waitMs: number): Promise<boolean> {
    if (!this.writable) return false;
    const payload = spec.payload === undefined ? Buffer.alloc(0) : typeof spec.payload === 'string' ? Buffer.from(spec.payload) : spec.payload;
    const bytes = encodeFrame({ ...spec, payload });
    const headerLength = bytes.length - payload.length;
    this.socket.write(bytes.subarray(0, headerLength));
    this.record('sent', { fin: spec.fin ?? true, rsv: spec.rsv ?? 0, opcode: spec.opcode, masked: spec.mask ?? true, payload }, this.transcript.now());
    await this.until(() => this.received.length > 0, waitMs, 'an answer to the frame header', () => this.describe()).catch(() => undefined);
    if (!this.writable || this.received.length > 0) {
      this.transcript.note(`only the header of the ${payload.length}-byte frame was sent: the server answered it before the payload`);
      return false;
    }
    this.socket.write(bytes.subarray(headerLength));
    return true;
  }

  /** Sends a text frame; the text is not checked, so invalid UTF-8 can be sent on purpose. */
  sendText(text: string | Buffer, opts: Omit<FrameSpec, 'opcode' | 'payload'> = {}): boolean {
    return this.send({ ...opts, opcode: 0x1, payload: text });
  }

  /** Sends a binary frame. */
  sendBinary(data: Buffer, opts: Omit<FrameSpec, 'opcode' | 'payload'> = {}): boolean {
    return this.send({ ...opts, opcode: 0x2, payload: data });
  }

  /** Writes arbitrary bytes (recorded as a frame with opcode -1 and a hex preview). */
  sendRaw(bytes: Buffer): boolean {
    if (!this.writable) return false;
    this.socket.write(bytes);
    this.record('sent', { fin: true, rsv: 0, opcode: -1, masked: false, payload: bytes }, this.transcript.now());
    return true;
  }

  /** Sends a ping; the answering pong is awaited with {@link nextPong}. */
  ping(payload: Buffer | string = Buffer.alloc(0)): boolean {
    return this.send({ opcode: 0x9, payload });
  }

  /** Sends a pong (also an unsolicited one, which RFC 6455 §5.5.3 allows). */
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
      // Reassembled afresh from the read position each time: frames stay in `received`, whole, for the checks.
      const assembler = new MessageAssembler();
      for (let i = this.readIndex; i < this.received.length; i++) {
        const frame = this.received[i]!;
        if (frame.opcode === 0x8) {
          const code = parseClosePayload(frame.payload).code;
          return { fail: `the server sent a close frame${code !== undefined ? ` (code ${code})` : ''} instead; ${this.describe()}` };
        }
        const message = assembler.push(frame);
        if (message === undefined) continue;
        this.readIndex = i + 1;
        const invalid = message.type === 'text' ? textMessageFinding(message.data) : undefined;
        if (invalid !== undefined) this.finding(invalid);
        return { value: message };
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
    // A reset (ECONNRESET) while the client still writes can swallow a close frame the server did send:
    // say so, rather than let "no close frame" stand alone.
    const reset = closeFrame === undefined && this.socketError !== undefined ? ` (${this.socketError})` : '';
    const outcome = closeOutcome(closeFrame, tcpClosedBy, deadlineMs) + reset;
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

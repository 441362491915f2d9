/**
 * A raw WebSocket client over a plain TCP socket: it writes the opening
 * handshake by hand and frames every message itself, so a scenario can send
 * what a conforming library never would and see exactly what the server sent.
 * Everything crosses the scenario's transcript: the handshake as an HTTP
 * exchange, every frame both ways as a frame record, and the close outcome.
 * Protocol errors by the server are kept as findings with rule codes, never
 * thrown; waits fail as core/wait.ts says, naming what was awaited and what was seen.
 *
 * This file holds the connection: its state, what it does as frames arrive,
 * sending, and how it closes. Reading the server's bytes (the handshake answer,
 * then frames) lives in answer-reader.ts; what was received and the waits that
 * read it in inbox.ts; the handshake's HTTP in handshake.ts; the findings in
 * inspect.ts; the transcript wording in frame-record.ts.
 */
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import type { FrameRecord, HttpExchange } from '../../core/evidence.ts';
import { ConformanceFailure } from '../../core/failure.ts';
import type { Transcript } from '../../core/transcript.ts';
import { capName, readCapBytes } from '../../core/read-cap.ts';
import { waitFor } from '../../core/wait.ts';
import { closeOutcome, frameRecord, type FrameFields } from './frame-record.ts';
import { AnswerReader } from './answer-reader.ts';
import { acceptKeyFor, closePayload, encodeFrame, isSendableCloseCode, OPCODE, parseClosePayload, type DecodedFrame, type FrameSpec } from './frame.ts';
import { buildHandshakeRequest, completeExchange, describeError, failExchange, openExchange, type HandshakeRequestOptions } from './handshake.ts';
import { openExtendedConnect, type ExtendedConnect } from './h2-connect.ts';
import { FrameInbox, type ReceivedFrame } from './inbox.ts';
import { describeSplit, piecesOf, TOGETHER, type WriteSplit } from './write-split.ts';
import { closeFindings, FrameInspector, frameName, malformedFrameNote, negotiatedRsv, unreadableStreamFinding, type WsFinding } from './inspect.ts';

export { framePreview } from './frame-record.ts';
export { WS_FINDING_CAP, type ReceivedFrame } from './inbox.ts';
export type { WsMessage } from './messages.ts';

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
  /** For wss://: what to trust besides Node's CAs, from core/tls.ts (`tlsClientOptions`). */
  tls?: ConnectionOptions;
}

/** How a connection ended, as `waitForClose` saw it. */
export interface CloseResult {
  closeFrame?: { code?: number; reason: string; reasonValidUtf8: boolean; atMs: number };
  tcpClosedAtMs?: number;
  tcpClosedBy: 'server' | 'client' | 'still open';
  /** In Autobahn's words: `clean, code 1000`, `no close frame: the server dropped the TCP connection`, `still open after 2000 ms`. */
  outcome: string;
  /** `the server sent a malformed frame: <rule>`, when it did (the outcome begins with it). */
  malformed?: string;
}

/**
 * One raw WebSocket connection, opened with {@link RawWebSocket.connect}. Bytes from
 * the socket go first to the handshake answer's head, then to a refusal's body or,
 * after a 101, to the frame reader; every wait looks again as bytes arrive.
 */
export class RawWebSocket {
  /** The connection's name in the transcript: `client alice`. */
  readonly actor: string;
  private readonly transcript: Transcript;
  private readonly socket: Socket;
  /** Reads the server's bytes: the handshake answer, then frames. */
  private readonly answer: AnswerReader;
  private readonly autoPong: boolean;
  private readonly autoCloseReply: boolean;
  /** Every frame received, the findings about them, and the waits that read them (next frame, message, pong). */
  readonly inbox: FrameInbox;

  /** The Sec-WebSocket-Accept the server must answer to the key sent (absent when no key was sent). */
  expectedAccept: string | undefined;
  /** The handshake's record in the transcript, when kept. */
  exchange: HttpExchange | undefined;

  /** When the client sent its close frame. */
  closeSentAtMs: number | undefined;
  /**
   * Which side's close frame came first. Times alone cannot say: an echoed
   * close is sent within the same 0.1 ms the server's arrived (Autobahn's `closedByMe`).
   */
  firstCloseBy: 'client' | 'server' | undefined;
  /** The server's first close frame. */
  closeReceived: CloseResult['closeFrame'];
  /** When the TCP connection ended (transcript milliseconds), while undefined it is open. */
  tcpClosedAtMs: number | undefined;
  /** Which side ended the TCP connection; an error counts as the server's doing. */
  tcpClosedBy: 'server' | 'client' | undefined;
  /** Why the connection ended, when it ended in an error. */
  socketError: string | undefined;

  /** Bytes received on the connection so far, and the most pushspec reads from it (core/read-cap.ts). */
  private bytesReceived = 0;
  private readonly readCap = readCapBytes();
  /** Set when the server sent more than the read cap: pushspec closed the connection, saying so. */
  stoppedAtCap: string | undefined;

  /** Replaced once the 101 says which extensions, and so which reserved bits, were negotiated. */
  private inspector = new FrameInspector(0);
  /**
   * While one frame goes out in several writes, frames sent meanwhile (a pong
   * answering the server's ping, a close) wait here for its last piece, as in
   * Autobahn's send queue: written between two pieces, they would cut the frame.
   */
  private heldFrames: Buffer[] | undefined;

  /** The connection is one stream of an HTTP/2 connection (RFC 8441), opened by an extended CONNECT. */
  private overHttp2 = false;

  private constructor(options: RawConnectOptions, socket: Socket) {
    this.actor = options.actor;
    this.transcript = options.transcript;
    this.socket = socket;
    this.answer = new AnswerReader(
      {
        onUpgrade: (headers) => {
          this.inspector = new FrameInspector(negotiatedRsv(headers));
        },
        onFrames: (frames) => {
          for (const frame of frames) this.onFrame(frame);
        },
        onUnreadable: (error) => {
          this.inbox.find(unreadableStreamFinding(error));
          this.destroy();
        },
        onDone: () => {
          this.socket.destroy();
          this.markClosed('client');
        },
      },
      options.maxFrameBytes,
    );
    this.autoPong = options.autoPong ?? true;
    this.autoCloseReply = options.autoCloseReply ?? true;
    this.inbox = new FrameInbox({ ended: () => this.tcpClosedAtMs !== undefined, state: () => this.describeState() });
  }

  /** The handshake answer's status (0 until it came). */
  get status(): number {
    return this.answer.status;
  }

  /** The reason phrase after the status code ('' when there was none). */
  get statusText(): string {
    return this.answer.statusText;
  }

  /** Response headers, lower-case names, repeated ones joined with ", ". */
  get headers(): Record<string, string> {
    return this.answer.headers;
  }

  /** A non-101 answer's body (up to 64 KiB). */
  get body(): string {
    return this.answer.body;
  }

  /** The handshake was accepted (status 101). */
  get upgraded(): boolean {
    return this.status === 101 || (this.overHttp2 && this.status >= 200 && this.status <= 299);
  }

  /** Every frame the server sent, in order. */
  get received(): readonly ReceivedFrame[] {
    return this.inbox.frames;
  }

  /** Protocol errors by the server, for the checks. */
  get findings(): readonly WsFinding[] {
    return this.inbox.findings;
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

    const socket = request.secure
      ? tlsConnect({ ...options.tls, host: request.host, port: request.port, servername: isIP(request.host) === 0 ? request.host : undefined, ALPNProtocols: ['http/1.1'] })
      : netConnect({ host: request.host, port: request.port });
    socket.setNoDelay(true);
    const ws = new RawWebSocket(options, socket);
    ws.exchange = kept;
    if (request.key !== null) ws.expectedAccept = acceptKeyFor(request.key);

    try {
      await ws.handshake(request.text, options.deadlineMs, `an answer to the WebSocket handshake ${request.method} ${request.path}`);
    } catch (error) {
      failExchange(exchange, options.transcript, error instanceof ConformanceFailure ? error.actual : describeError(error));
      ws.destroy();
      throw error;
    }
    completeExchange(exchange, options.transcript, {
      status: ws.status,
      headers: ws.headers,
      ...(ws.upgraded ? {} : { body: { text: ws.body, bytes: ws.answer.bodyBytes } }),
    });
    return ws;
  }

  /**
   * Opens the WebSocket on a stream of an HTTP/2 connection (RFC 8441): the server's SETTINGS must allow the extended
   * CONNECT, and its answer be 2xx (h2-connect.ts); the stream then carries frames exactly as a TCP connection would,
   * the end of the stream (END_STREAM) standing for the TCP close. Fails, with the reason, when it does not open.
   */
  static async connectOverHttp2(options: RawConnectOptions): Promise<RawWebSocket> {
    const opened = await openExtendedConnect({
      url: options.url,
      tls: options.tls ?? {},
      transcript: options.transcript,
      deadlineMs: options.deadlineMs,
      actor: options.actor,
      ...(options.headers !== undefined ? { headers: options.headers } : {}),
    });
    // Why it did not open is the caller's to judge (a case records it as its aborted handshake).
    if (opened.stopped !== undefined || opened.stream === undefined) throw new Error(opened.stopped ?? 'the extended CONNECT opened no stream');
    return RawWebSocket.onOpenedStream(options, opened);
  }

  /** The WebSocket on the stream of an extended CONNECT that was answered 2xx ({@link openExtendedConnect}). */
  static onOpenedStream(options: RawConnectOptions, opened: ExtendedConnect): RawWebSocket {
    // A stream is a Duplex with a socket's events; what the client uses of a socket beyond them is write and destroy.
    const ws = new RawWebSocket(options, opened.stream as unknown as Socket);
    ws.overHttp2 = true;
    ws.listen();
    ws.answer.acceptedElsewhere(opened.status!, opened.responseHeaders ?? {});
    return ws;
  }

  /** Reads what the server sends, and notes how the connection ends. */
  private listen(): void {
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.socket.on('end', () => this.markClosed('server'));
    this.socket.on('error', (error) => {
      this.socketError ??= describeError(error);
      this.markClosed('server');
    });
    this.socket.on('close', () => this.markClosed('server'));
  }

  /** Writes the request and waits for the answer's head (and, for a refusal, its body or the deadline). */
  private async handshake(request: string, deadlineMs: number, what: string): Promise<void> {
    const started = performance.now();
    this.listen();
    this.socket.write(request);
    try {
      await waitFor<void>(
        () => {
          const { receiving, headProblem } = this.answer;
          if (receiving === 'frames' || receiving === 'done') return { value: undefined };
          if (headProblem !== undefined) return { fail: headProblem };
          const ended = this.tcpClosedAtMs !== undefined;
          if (receiving === 'head' && ended && this.socketError !== undefined && this.status === 0) return { fail: `the connection failed (${this.socketError})` };
          if (receiving === 'head' && ended) return { fail: `the server closed the connection before a complete response head (${this.answer.headBytes} bytes received)` };
          if (receiving === 'body' && ended) {
            this.answer.endBody();
            return { value: undefined };
          }
          return undefined;
        },
        {
          what,
          deadlineMs,
          seen: () => `no complete response head after ${Math.round(performance.now() - started)} ms (${this.answer.headBytes} bytes received)`,
          signal: this.inbox.changes,
        },
      );
    } catch (error) {
      // The head came; a body still trickling at the deadline is cut, not a failure.
      if (this.answer.receiving !== 'body') throw error;
      this.answer.endBody();
    }
  }

  private onData(chunk: Buffer): void {
    if (this.tcpClosedAtMs !== undefined) return;
    this.bytesReceived += chunk.length;
    if (this.bytesReceived > this.readCap) {
      // Every frame is kept for the checks: an endless flood of them stops here, and the waits end saying why.
      this.stoppedAtCap = `pushspec closed the connection after the server sent more than ${capName(this.readCap)}`;
      this.destroy();
      return;
    }
    this.answer.push(chunk);
    this.inbox.changes.notify();
  }

  private onFrame(frame: DecodedFrame): void {
    const atMs = this.transcript.now();
    const name = frameName(this.received.length + 1, frame.opcode);
    const afterClose = this.closeReceived !== undefined;
    // Frames after the server's close are recorded and reported, but not acted on.
    this.inbox.add({ ...frame, atMs }, !afterClose);
    this.record('received', frame, atMs);
    for (const found of this.inspector.inspect(frame, name, afterClose)) this.inbox.find(found);
    if (afterClose) return;
    if (frame.opcode === OPCODE.ping && this.autoPong && this.closeSentAtMs === undefined && frame.payload.length <= 125) {
      this.pong(frame.payload);
    } else if (frame.opcode === OPCODE.close) {
      const close = parseClosePayload(frame.payload);
      this.closeReceived = { ...close, atMs };
      this.firstCloseBy ??= 'server';
      for (const found of closeFindings(name, frame.payload, close)) this.inbox.find(found);
      if (this.autoCloseReply && this.closeSentAtMs === undefined) {
        // Echo the server's code, unless it is one that may not be sent: then answer with a protocol error.
        const code = close.code === undefined ? undefined : isSendableCloseCode(close.code) ? close.code : 1002;
        this.close(code);
      }
    }
  }

  private record(direction: FrameRecord['direction'], frame: FrameFields, atMs: number): void {
    this.transcript.recordFrame(() => frameRecord(this.actor, direction, frame, atMs));
  }

  private markClosed(by: 'server' | 'client'): void {
    if (this.tcpClosedAtMs !== undefined) return;
    this.tcpClosedAtMs = this.transcript.now();
    this.tcpClosedBy = by;
    this.inbox.changes.notify();
  }

  /** The connection is upgraded and open: frames can still be sent. */
  get canSend(): boolean {
    return this.writable;
  }

  private get writable(): boolean {
    return this.answer.receiving === 'frames' && this.tcpClosedAtMs === undefined && !this.socket.destroyed;
  }

  /** Sends one frame (masked by default); returns false when the connection is already closed. */
  send(spec: FrameSpec): boolean {
    if (!this.writable) return false;
    const payload = payloadOf(spec);
    const bytes = encodeFrame({ ...spec, payload });
    if (this.heldFrames !== undefined) this.heldFrames.push(bytes);
    else this.socket.write(bytes);
    if (startsClosing(spec) && this.closeSentAtMs === undefined) {
      this.closeSentAtMs = this.transcript.now();
      this.firstCloseBy ??= 'client';
    }
    this.record('sent', { fin: spec.fin ?? true, rsv: spec.rsv ?? 0, opcode: spec.opcode, masked: spec.mask ?? true, payload }, this.transcript.now());
    return true;
  }

  /**
   * Sends frames as `split` says: together in one write, one write per frame, or
   * in chops of N bytes (octet-wise: 1), yielding to the event loop (or pausing)
   * between writes so that each tends to leave in its own segment. Each frame is
   * recorded once, whole. Returns false when the connection closed before the last write.
   */
  async sendFrames(specs: readonly FrameSpec[], split: WriteSplit = TOGETHER): Promise<boolean> {
    if (!this.writable) return false;
    const encoded = specs.map((spec) => {
      const payload = payloadOf(spec);
      return { spec, payload, bytes: encodeFrame({ ...spec, payload }) };
    });
    const pieces = piecesOf(encoded.map((e) => e.bytes), split);
    if (pieces.length > 1) this.transcript.note(`${this.actor} writes ${specs.length} frame(s) ${describeSplit(split)}: ${pieces.length} writes`);
    for (const { spec, payload } of encoded) {
      if (startsClosing(spec) && this.closeSentAtMs === undefined) {
        this.closeSentAtMs = this.transcript.now();
        this.firstCloseBy ??= 'client';
      }
      this.record('sent', { fin: spec.fin ?? true, rsv: spec.rsv ?? 0, opcode: spec.opcode, masked: spec.mask ?? true, payload }, this.transcript.now());
    }
    const pauseMs = split.kind === 'chops' ? split.pauseMs : undefined;
    return this.holdingFrames(async () => {
      for (let i = 0; i < pieces.length; i++) {
        if (!this.writable) return false;
        if (i > 0 && pauseMs !== undefined) await new Promise<void>((resolve) => setTimeout(resolve, pauseMs));
        if (!this.writable) return false;
        // Each piece is handed to the kernel before the next is written (its write callback): pieces written in
        // one go would be joined into one writev; a whole turn of the event loop per piece would cost ~50 µs each.
        await new Promise<void>((resolve) => this.socket.write(pieces[i]!, () => resolve()));
      }
      return true;
    });
  }

  /** Runs a write in several pieces, holding frames sent meanwhile until it ends (see heldFrames). */
  private async holdingFrames<T>(write: () => Promise<T>): Promise<T> {
    if (this.heldFrames !== undefined) return write();
    this.heldFrames = [];
    try {
      return await write();
    } finally {
      const held = this.heldFrames;
      this.heldFrames = undefined;
      for (const bytes of held) if (this.writable) this.socket.write(bytes);
    }
  }

  /**
   * Sends one frame in several writes cut at payload offsets `cuts` (the header
   * goes with the first part), calling `between(i)` before part i + 1 is written
   * (Autobahn 6.4.3/6.4.4 pause inside a frame). `between` returning false stops
   * the frame there. Returns how many parts were written.
   */
  async sendFrameInParts(spec: FrameSpec, cuts: readonly number[], between: (index: number) => Promise<boolean>): Promise<number> {
    if (!this.writable) return 0;
    const payload = payloadOf(spec);
    const bytes = encodeFrame({ ...spec, payload });
    const header = bytes.length - payload.length;
    const edges = [0, ...cuts.map((c) => header + c), bytes.length];
    this.record('sent', { fin: spec.fin ?? true, rsv: spec.rsv ?? 0, opcode: spec.opcode, masked: spec.mask ?? true, payload }, this.transcript.now());
    this.transcript.note(`${this.actor} writes the ${payload.length}-byte frame in ${edges.length - 1} parts, cut after payload bytes ${cuts.join(', ')}`);
    return this.holdingFrames(async () => {
      let written = 0;
      for (let i = 0; i + 1 < edges.length; i++) {
        if (i > 0 && !(await between(i - 1))) return written;
        if (!this.writable) return written;
        this.socket.write(bytes.subarray(edges[i], edges[i + 1]));
        written += 1;
      }
      return written;
    });
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
    const payload = payloadOf(spec);
    const bytes = encodeFrame({ ...spec, payload });
    const headerLength = bytes.length - payload.length;
    this.socket.write(bytes.subarray(0, headerLength));
    this.record('sent', { fin: spec.fin ?? true, rsv: spec.rsv ?? 0, opcode: spec.opcode, masked: spec.mask ?? true, payload }, this.transcript.now());
    await this.inbox.until(() => this.received.length > 0, waitMs, 'an answer to the frame header', () => this.describe()).catch(() => undefined);
    if (!this.writable || this.received.length > 0) {
      this.transcript.note(`only the header of the ${payload.length}-byte frame was sent: the server answered it before the payload`);
      return false;
    }
    this.socket.write(bytes.subarray(headerLength));
    return true;
  }

  /** Sends a text frame; the text is not checked, so invalid UTF-8 can be sent on purpose. */
  sendText(text: string | Buffer, opts: Omit<FrameSpec, 'opcode' | 'payload'> = {}): boolean {
    return this.send({ ...opts, opcode: OPCODE.text, payload: text });
  }

  /** Sends a binary frame. */
  sendBinary(data: Buffer, opts: Omit<FrameSpec, 'opcode' | 'payload'> = {}): boolean {
    return this.send({ ...opts, opcode: OPCODE.binary, payload: data });
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
    return this.send({ opcode: OPCODE.ping, payload });
  }

  /** Sends a pong (also an unsolicited one, which RFC 6455 §5.5.3 allows). */
  pong(payload: Buffer | string = Buffer.alloc(0)): boolean {
    return this.send({ opcode: OPCODE.pong, payload });
  }

  /** Sends a close frame (the TCP connection stays open: the server closes it). */
  close(code?: number, reason?: string | Buffer): boolean {
    return this.send({ opcode: OPCODE.close, payload: closePayload(code, reason) });
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
      ok = this.send({ opcode: i === 0 ? opcode : OPCODE.continuation, payload: part, fin: i === parts.length - 1 }) && ok;
    });
    return ok;
  }

  /** What has been seen so far, for failure messages. */
  describe(): string {
    return this.inbox.describe();
  }

  private describeState(): string {
    if (this.tcpClosedAtMs === undefined) return 'the connection is still open';
    if (this.stoppedAtCap !== undefined) return `${this.stoppedAtCap}, at ${this.tcpClosedAtMs} ms`;
    if (this.tcpClosedBy === 'client') return `the client closed the connection at ${this.tcpClosedAtMs} ms`;
    return `the server closed the TCP connection at ${this.tcpClosedAtMs} ms${this.socketError ? ` (${this.socketError})` : ''}`;
  }

  /**
   * Waits for the server's close frame (answered on arrival, unless the client already
   * sent one) and for the TCP connection to end; never fails: the outcome says what happened.
   * Sets the transcript's `closeOutcome`.
   */
  async waitForClose(deadlineMs: number): Promise<CloseResult> {
    await this.inbox.until(() => this.tcpClosedAtMs !== undefined, deadlineMs, 'the end of the connection', () => '').catch(() => undefined);
    const closeFrame = this.closeReceived;
    const tcpClosedBy = this.tcpClosedBy ?? 'still open';
    // A reset (ECONNRESET) while the client still writes can swallow a close frame the server did send:
    // say so, rather than let "no close frame" stand alone.
    const reset = closeFrame === undefined && this.socketError !== undefined ? ` (${this.socketError})` : '';
    // A server whose own frames were malformed: say so first, so a close that follows it is read in that light.
    const malformed = malformedFrameNote(this.findings);
    const outcome = `${malformed === undefined ? '' : `${malformed}; then `}${closeOutcome(closeFrame, tcpClosedBy, deadlineMs)}${reset}`;
    this.transcript.closeOutcome = outcome;
    return {
      ...(closeFrame ? { closeFrame } : {}),
      ...(this.tcpClosedAtMs !== undefined ? { tcpClosedAtMs: this.tcpClosedAtMs } : {}),
      tcpClosedBy,
      outcome,
      ...(malformed !== undefined ? { malformed } : {}),
    };
  }

  /** Closes the TCP connection now (idempotent). */
  destroy(): void {
    this.markClosed('client');
    if (!this.socket.destroyed) this.socket.destroy();
  }
}

function payloadOf(spec: FrameSpec): Buffer {
  return spec.payload === undefined ? Buffer.alloc(0) : typeof spec.payload === 'string' ? Buffer.from(spec.payload) : spec.payload;
}

/**
 * Whether a frame the client sends starts its closing handshake: a close frame,
 * unless it carries reserved bits (Autobahn 3.7), which make it a protocol
 * error the server must fail the connection on, as Autobahn's raw `sendFrame` does.
 */
function startsClosing(spec: FrameSpec): boolean {
  return spec.opcode === OPCODE.close && (spec.rsv ?? 0) === 0;
}

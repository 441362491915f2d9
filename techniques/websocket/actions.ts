/**
 * What WebSocket clients do in a scenario: open the echo or channel endpoint
 * with the raw frame client (so every frame is on record), send messages and
 * broken frames, and collect what comes back. Steps call these through the
 * World and hand what they return (copies of the evidence) to the checks; the
 * figures the report shows are recorded here. The channel endpoint's part
 * (push, full duplex, resume) is in channel-actions.ts.
 */
import type { ScenarioContext } from '../../core/context.ts';
import type { ResolvedWebSocket } from './adapter.ts';
import { WebSocketFaults } from './fault-actions.ts';
import { EchoCaseActions } from './autobahn-actions.ts';
import { ChannelActions } from './channel-actions.ts';
import { checkUpgraded, type CloseView, type HandshakeView } from './checks.ts';
import { OPCODE } from './frame.ts';
import { playOverHttp2 } from './autobahn/over-http2.ts';
import { runH2Echo, type H2EchoRun } from './h2-echo.ts';
import type { CaseOverHttp2 } from './h2-checks.ts';
import type { WsFinding } from './inspect.ts';
import type { WsMessage } from './messages.ts';
import { RawWebSocket } from './raw-client.ts';
import { binaryOf, textOf } from './recipes.ts';

/** A handshake or a message must come at once; ample room for a slow machine and a 1 MB echo. */
export const WS_DEADLINE_MS = 5000;
/**
 * A server reacts to a control frame or a protocol error within milliseconds
 * on loopback; 2 s is ample, and keeps a run against a server that never
 * reacts (dozens of such cases) from taking minutes.
 */
export const WS_REACTION_MS = 2000;

export interface ConnectOptions {
  key?: string | null;
  version?: string | null;
  method?: string;
  protocols?: string[];
  origin?: string;
  query?: Record<string, string>;
  /** The whole URL, when a session made it (then `query` is already in it). */
  url?: string;
}

/** A message a step sent, to compare with what comes back. */
export interface SentMessage {
  type: 'text' | 'binary';
  data: Buffer;
  /** Why the server may refuse it: the declared limit it is over, if any. */
  overLimit?: string;
}

/** What came back for a message: the echo, or, for one over a declared limit, how the connection ended instead. */
export interface EchoOutcome {
  sent: SentMessage;
  got?: WsMessage;
  close?: CloseView;
  findings: WsFinding[];
}

export class WebSocketActions {
  private readonly context: ScenarioContext;
  /** The adapter's WebSocket section, defaults filled in. */
  readonly spec: ResolvedWebSocket;
  private readonly clients = new Map<string, RawWebSocket>();
  /** The last message a step sent, to compare with what comes back. */
  private sent: SentMessage | undefined;
  /** The subprotocols the last handshake offered. */
  offered: string[] = [];
  /** The channel endpoint: published messages pushed, the client's own sent, resuming. */
  readonly channel: ChannelActions;
  /** The channel behind faults on the path: cuts, an idle timeout (model M-10). */
  readonly faults: WebSocketFaults;
  /** The echo endpoint's cases (Autobahn|Testsuite's and pushspec's own), played ahead on a pool. */
  readonly echoCases: EchoCaseActions;
  /** The echo endpoint opened over HTTP/2 (RFC 8441), once done. */
  h2Echo: H2EchoRun | undefined;
  /** The frame-level cases played over HTTP/2, once done. */
  h2Cases: CaseOverHttp2[] | undefined;

  constructor(context: ScenarioContext, spec: ResolvedWebSocket) {
    this.context = context;
    this.spec = spec;
    this.channel = new ChannelActions(context, spec, this);
    this.faults = new WebSocketFaults(context, spec, this.channel, (name) => this.client(name));
    this.echoCases = new EchoCaseActions(context, spec);
  }

  /** The URL of an endpoint, with `{channel}` filled in. */
  url(where: 'echo' | 'channel', query?: Record<string, string>): string {
    const path = where === 'echo' ? this.spec.echoPath : this.spec.channelPath;
    if (path === undefined) throw new Error(`the adapter declares no ${where} endpoint`);
    return this.context.url(path, query);
  }

  /**
   * Opens the echo endpoint over HTTP/2 with an extended CONNECT (RFC 8441),
   * sends a text message (multi-byte UTF-8 included), a 300-byte binary one
   * (a 16-bit length) and a close frame, and reads until the server's close.
   */
  async echoOverHttp2(): Promise<H2EchoRun> {
    const binary = Buffer.from(Array.from({ length: 300 }, (_, i) => i % 256));
    this.h2Echo = await runH2Echo({
      url: this.url('echo'),
      tls: this.context.clientTls,
      transcript: this.context.transcript,
      deadlineMs: WS_DEADLINE_MS,
      messages: [
        { opcode: OPCODE.text, payload: Buffer.from('pushspec over HTTP/2: é ✓') },
        { opcode: OPCODE.binary, payload: binary },
      ],
    });
    return this.h2Echo;
  }

  /**
   * Plays Autobahn's frame-level cases (1-7, 10) on the echo endpoint over HTTP/2, each on its own extended CONNECT.
   * The transcripts of the first cases that failed are kept in this scenario's; the rest are counted.
   */
  async frameCasesOverHttp2(): Promise<void> {
    const played = await playOverHttp2({ url: this.url('echo'), tls: this.context.clientTls });
    const t = this.context.transcript;
    const failed = played.filter((p) => p.judged.behaviour === 'FAILED' || p.judged.close === 'FAILED' || p.judged.close === 'UNCLEAN');
    t.figure('cases played over HTTP/2', played.length, '');
    t.figure('cases Autobahn would fail', failed.length, '');
    for (const p of failed.slice(0, 3)) t.adopt(p.transcript);
    this.h2Cases = played.map(({ c, record, judged }) => ({ c, record, judged }));
  }

  /** Sends the opening handshake; the answer may be a refusal (the checks read it with {@link handshake}). */
  async connect(name: string, where: 'echo' | 'channel', options: ConnectOptions = {}): Promise<RawWebSocket> {
    this.clients.get(name)?.destroy();
    this.offered = options.protocols ?? [];
    const ws = await RawWebSocket.connect({
      url: options.url ?? this.url(where, options.query),
      actor: name.includes('client') ? name : `client ${name}`,
      transcript: this.context.transcript,
      deadlineMs: WS_DEADLINE_MS,
      tls: this.context.clientTls,
      ...(options.key !== undefined ? { key: options.key } : {}),
      ...(options.version !== undefined ? { version: options.version } : {}),
      ...(options.method !== undefined ? { method: options.method } : {}),
      ...(options.protocols !== undefined ? { protocols: options.protocols } : {}),
      ...(options.origin !== undefined ? { origin: options.origin } : {}),
    });
    this.clients.set(name, ws);
    return ws;
  }

  /** Connects and requires the upgrade: a scenario about frames cannot start without it. */
  async connected(name: string, where: 'echo' | 'channel', options: ConnectOptions = {}): Promise<RawWebSocket> {
    const ws = await this.connect(name, where, options);
    checkUpgraded(this.handshake(name), where);
    return ws;
  }

  /** The connection named `name`. */
  client(name = 'client'): RawWebSocket {
    const ws = this.clients.get(name);
    if (ws === undefined) throw new Error(`${name} has no connection`);
    return ws;
  }

  /** The handshake answer `name` got, as the checks read it. */
  handshake(name = 'client'): HandshakeView {
    const ws = this.client(name);
    return { status: ws.status, headers: { ...ws.headers }, expectedAccept: ws.expectedAccept };
  }

  // Sending, on the echo endpoint: well-formed messages, and frames a library would never send.

  /** Sends one message of `length` bytes (deterministic content) and remembers it. */
  sendMessage(type: 'text' | 'binary', length: number): void {
    this.sendRemembered(type, type === 'text' ? Buffer.from(textOf(length)) : binaryOf(length));
  }

  /** The message, marked with the declared limit it is over (its largest frame is `frameBytes`), if any. */
  private withLimit(message: SentMessage, frameBytes: number): SentMessage {
    const { maxMessageBytes, maxFrameBytes } = this.spec;
    const size = message.data.length;
    if (maxMessageBytes !== undefined && size > maxMessageBytes) return { ...message, overLimit: `a ${size}-byte message, over the declared maxMessageBytes ${maxMessageBytes}` };
    if (maxFrameBytes !== undefined && frameBytes > maxFrameBytes) return { ...message, overLimit: `a ${frameBytes}-byte frame, over the declared maxFrameBytes ${maxFrameBytes}` };
    return message;
  }

  /** Sends `count` text messages, `message 0`, `message 1`, … */
  sendNumbered(count: number): void {
    const ws = this.client();
    for (let i = 0; i < count; i++) ws.send({ opcode: OPCODE.text, payload: `message ${i}` });
  }

  /** Sends a text frame without the mask every client frame must carry. */
  sendUnmasked(): void {
    this.client().send({ opcode: OPCODE.text, payload: 'unmasked', mask: false });
  }

  /**
   * Sends a text message one byte over the declared maximum, header first: a
   * server that refuses on the declared length answers with nothing of the
   * payload unread (see RawWebSocket.sendHeaderFirst).
   */
  async sendOverMaximum(): Promise<void> {
    await this.client().sendHeaderFirst({ opcode: OPCODE.text, payload: textOf(this.spec.maxMessageBytes! + 1) }, WS_REACTION_MS / 10);
  }

  // Receiving.

  /**
   * The next message back, with what was sent and the findings about the
   * server's frames. For a message over a declared limit, a server may refuse
   * it instead: then how the connection ended comes back in place of the echo.
   */
  async echo(): Promise<EchoOutcome> {
    const ws = this.client();
    const sent = this.lastSent();
    if (sent.overLimit === undefined) return { sent, got: await ws.inbox.nextMessage(WS_DEADLINE_MS), findings: [...ws.findings] };
    const got = await ws.inbox.nextMessage(WS_DEADLINE_MS).catch(() => undefined);
    if (got !== undefined) return { sent, got, findings: [...ws.findings] };
    this.context.transcript.note(`${sent.overLimit}: the server may refuse it`);
    return { sent, close: await ws.waitForClose(WS_REACTION_MS), findings: [...ws.findings] };
  }

  /** The next `count` messages back, as text. */
  async messagesBack(count: number): Promise<string[]> {
    const ws = this.client();
    const got: string[] = [];
    for (let i = 0; i < count; i++) got.push((await ws.inbox.nextMessage(WS_DEADLINE_MS)).data.toString('utf8'));
    return got;
  }

  /** How the connection ended (waiting at most the reaction time), and whether data came back meanwhile. */
  async closing(): Promise<{ close: CloseView; echoedData: boolean }> {
    const ws = this.client();
    const close = await ws.waitForClose(WS_REACTION_MS);
    // Frames the server must not act on count as "echoed something" if anything but control frames comes back.
    const echoedData = ws.received.some((f) => f.opcode === OPCODE.text || f.opcode === OPCODE.binary);
    return { close, echoedData };
  }

  async close(): Promise<void> {
    for (const ws of this.clients.values()) ws.destroy();
  }

  private sendRemembered(type: 'text' | 'binary', data: Buffer): void {
    this.sent = this.withLimit({ type, data }, data.length);
    this.client().send({ opcode: type === 'text' ? OPCODE.text : OPCODE.binary, payload: data });
  }

  private lastSent(): SentMessage {
    if (this.sent === undefined) throw new Error('the scenario sent no message to compare with');
    return this.sent;
  }
}

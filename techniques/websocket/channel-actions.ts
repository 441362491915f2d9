/**
 * What clients do on the WebSocket channel endpoint: receive what is
 * published, publish by sending (full duplex), drop and resume with a cursor,
 * stay idle while the server pings. Part of the WebSocket actions (reached as
 * `actions.websocket.channel`).
 */
import { ANSWER_DEADLINE_MS, type ScenarioContext } from '../../core/context.ts';
import { Session, sessionUrl } from '../../core/session.ts';
import { describePlan, idlePlan, silenceOf, watchIdle, type Silence } from '../../core/idle-watch.ts';
import type { PublishedMessage } from '../../core/publisher.ts';
import type { ResolvedWebSocket } from './adapter.ts';
import { OPCODE } from './frame.ts';
import type { RawWebSocket } from './raw-client.ts';

/** A message as a channel connection delivers it. */
export interface ChannelMessage {
  id?: string;
  data: string;
  atMs: number;
}

/** How the channel actions open connections: the WebSocket actions do. */
interface Connector {
  connected(name: string, where: 'channel', options?: { query?: Record<string, string>; url?: string }): Promise<RawWebSocket>;
  client(name?: string): RawWebSocket;
}

/** A message or a message list must arrive well within this. */
const CHANNEL_DEADLINE_MS = 5000;

export class ChannelActions {
  private readonly context: ScenarioContext;
  private readonly spec: ResolvedWebSocket;
  private readonly connector: Connector;
  /** Messages each channel client received, in order. */
  private readonly received = new Map<string, ChannelMessage[]>();
  /** The messages the client sent on the channel itself (full duplex). */
  private ownSent: string[] = [];
  /** Connections whose session a frame said is open (a codec with `awaitOpen`). */
  private readonly opened = new Set<string>();
  /** When the idle client's connection opened: where its silence is measured from. */
  private idleSinceMs: number | undefined;
  /** When each connection got a frame its codec calls a heartbeat (`keepAlive`): keep-alives as Ping frames are. */
  private readonly heartbeats = new Map<string, number[]>();

  constructor(context: ScenarioContext, spec: ResolvedWebSocket, connector: Connector) {
    this.context = context;
    this.spec = spec;
    this.connector = connector;
  }

  /**
   * Connects `name` to the channel (the upgrade required) and collects what it
   * delivers. With a session function the session is opened first and its
   * values fill the path; with a codec its hello frames go out at once, and
   * with `awaitOpen` the connection counts only once the server said it is open.
   */
  async connect(name: string, query?: Record<string, string>): Promise<void> {
    const session = await this.openSession(name);
    const url = session.url(this.spec.channelPath, query).href;
    const ws = await this.connector.connected(name, 'channel', { url });
    this.opened.delete(name);
    this.listen(name, ws);
    const codec = this.spec.codec;
    for (const frame of codec?.hello ?? []) ws.send({ opcode: OPCODE.text, payload: frame });
    if (codec?.awaitOpen === true) {
      await ws.inbox.until(() => this.opened.has(name), CHANNEL_DEADLINE_MS, `${name}'s session to open (a frame the codec reads as open)`, () => ws.describe());
    }
  }

  /**
   * Moves a long-polling session onto a WebSocket: connects to the upgrade
   * path with the session's `values`, then sends and awaits the frames of the
   * declared handshake. What the socket delivers from then on is collected as `name`'s.
   */
  async connectUpgraded(name: string, values: Record<string, string>): Promise<void> {
    const upgrade = this.spec.upgrade;
    if (upgrade === undefined) throw new Error('the adapter declares no upgrade (the @upgrade tag should have skipped this)');
    const url = sessionUrl(this.context.clientBaseUrl, upgrade.path, { channel: this.context.channel, ...values }).href;
    const ws = await this.connector.connected(name, 'channel', { url });
    this.listen(name, ws);
    for (const step of upgrade.handshake) {
      if ('send' in step) {
        ws.send({ opcode: OPCODE.text, payload: step.send });
        continue;
      }
      const seen = (): boolean => ws.received.some((f) => f.opcode === OPCODE.text && f.payload.toString('utf8') === step.expect);
      await ws.inbox.until(seen, CHANNEL_DEADLINE_MS, `the upgrade frame ${JSON.stringify(step.expect)}`, () => ws.describe());
    }
  }

  /** The session `name` connects with: the adapter's function, or none (the path needs only the channel). */
  private openSession(name: string): Promise<Session> {
    const target = {
      baseUrl: this.context.clientBaseUrl,
      channel: this.context.channel,
      defaultPath: this.spec.channelPath!,
      transcript: this.context.transcript,
      dispatcher: this.context.httpAgent,
      actor: name.includes('client') ? name : `client ${name}`,
      deadlineMs: ANSWER_DEADLINE_MS,
    };
    return this.spec.session === undefined ? Promise.resolve(Session.none(target)) : Session.open(target, this.spec.session, name);
  }

  /** Connects `count` clients, `client 1` … `client N`. */
  async connectMany(count: number): Promise<void> {
    for (let i = 1; i <= count; i++) await this.connect(`client ${i}`);
  }

  /** Waits until `name` has `count` messages, within the deadline; returns them. */
  async receivedBy(name: string, count: number): Promise<ChannelMessage[]> {
    const ws = this.connector.client(name);
    const messages = (): ChannelMessage[] => this.received.get(name) ?? [];
    await ws.inbox.until(() => messages().length >= count, CHANNEL_DEADLINE_MS, `${name} to receive ${count} message(s)`, () => `${messages().length} received; ${ws.describe()}`);
    return messages();
  }

  /** What `name` has received once a message with `data` is among it, or at the deadline (the check says what arrived). */
  async receivedUntilData(name: string, data: string): Promise<ChannelMessage[]> {
    const ws = this.connector.client(name);
    const messages = (): ChannelMessage[] => this.received.get(name) ?? [];
    await ws.inbox.until(() => messages().some((m) => m.data === data), CHANNEL_DEADLINE_MS, `${name} to receive the ordinary message`, () => `${messages().length} received; ${ws.describe()}`).catch(() => undefined);
    return messages();
  }

  /** What `name` has received once it has `count` messages, or at the deadline (the check says what arrived). */
  async receivedOrSoFar(name: string, count: number): Promise<ChannelMessage[]> {
    return this.receivedBy(name, count).catch(() => this.received.get(name) ?? []);
  }

  /**
   * What each of `client 1` … `client N` received once each has one message
   * (or at the deadline), with the p99 publish-to-receipt latency of the last published message recorded.
   */
  async broadcastReceived(count: number): Promise<{ received: Map<string, ChannelMessage[]>; data: string }> {
    const message = this.lastPublished();
    const names = Array.from({ length: count }, (_, i) => `client ${i + 1}`);
    await Promise.all(names.map((name) => this.receivedBy(name, 1).catch(() => undefined)));
    const received = new Map(names.map((name) => [name, this.received.get(name) ?? []] as const));
    const latencies = [...received.values()]
      .flatMap((m) => m.filter((x) => x.data === message.data).map((x) => x.atMs - message.startedAtMs))
      .sort((a, b) => a - b);
    if (latencies.length > 0) this.context.transcript.figure('p99 publish to receipt', latencies[Math.floor(latencies.length * 0.99)] ?? latencies.at(-1)!, 'ms');
    return { received, data: message.data };
  }

  /** Publishes `published` messages while the client sends `own` messages of its own on the channel. */
  async publishWhileSending(published: number, own: number): Promise<void> {
    const ws = this.connector.client();
    const sent: string[] = [];
    const sending = (async () => {
      for (let i = 0; i < own; i++) {
        const text = `own ${String(i).padStart(4, '0')}-${this.context.channel.slice(-6)}`;
        sent.push(text);
        ws.send({ opcode: OPCODE.text, payload: this.spec.codec?.encode?.(text) ?? text });
        // Yield so the server's pushes interleave with the client's sends.
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
    })();
    await Promise.all([this.context.publishMessages(published), sending]);
    this.ownSent = sent;
  }

  /**
   * What the client received of both directions once it has `total` messages
   * (or at the deadline), with requests and bytes per message recorded.
   */
  async duplexReceived(total: number): Promise<{ received: string[]; published: string[]; own: string[] }> {
    const messages = await this.receivedOrSoFar('client', total);
    // One handshake carries every message; bytes are the payloads of the frames the server sent.
    const bytes = this.connector.client().received.reduce((sum, f) => sum + f.payload.length, 0);
    if (messages.length > 0) {
      this.context.transcript.figure('requests per message', 1 / messages.length, '');
      this.context.transcript.figure('bytes per message', bytes / messages.length, 'B');
    }
    return { received: messages.map((m) => m.data), published: this.context.published.map((m) => m.data), own: this.ownSent };
  }

  /** Publishes `count` messages and waits until the client has them. */
  async publishAndReceive(count: number): Promise<void> {
    await this.context.publishMessages(count);
    await this.receivedBy('client', count);
  }

  /** What `name` has received so far, over all its connections: the live list, which grows as messages arrive. */
  messagesOf(name = 'client'): readonly ChannelMessage[] {
    return this.received.get(name) ?? [];
  }

  /** Drops the client's TCP connection without a close handshake. */
  drop(): void {
    this.connector.client().destroy();
  }

  /** Reconnects the client with the cursor (id) of the last message it received. */
  async reconnectFromLast(): Promise<void> {
    const last = (this.received.get('client') ?? []).at(-1);
    if (last?.id === undefined) throw new Error('the client received no message with an id to resume from');
    this.received.set('client', []);
    await this.connect('client', { [this.spec.cursorParam!]: last.id });
  }

  /**
   * `name` stays idle for at most `intervals` declared ping intervals plus
   * slack, until the verdict is known (core/idle-watch.ts): the idle time is
   * the measurement window.
   */
  async idleFor(intervals: number, name = 'client'): Promise<void> {
    const ws = this.connector.client(name);
    const plan = idlePlan(this.spec.pingIntervalMs!, intervals);
    this.context.announceWait('watching an idle connection for pings', plan.windowMs, describePlan(plan));
    const transcript = this.context.transcript;
    // The handshake's answer, when its record was kept; otherwise now, just after the connection opened.
    const sinceMs = (this.idleSinceMs = ws.exchange?.endedAtMs ?? transcript.now());
    const outcome = await watchIdle({
      plan,
      sinceMs,
      arrivals: () => this.keepAlivesOf(name),
      now: () => transcript.now(),
      signal: ws.inbox.changes,
      ended: () => ws.tcpClosedAtMs !== undefined,
    });
    transcript.note(`idle connection watched for ${Math.round(transcript.now() - sinceMs)} ms of at most ${plan.windowMs} ms (${describePlan(plan)}): ${outcome}`);
  }

  /** The longest stretch without a ping while `name` was idle, recorded with the pings and the declared interval; and the slack it is judged by. */
  pingSilence(name = 'client'): { silence: Silence; intervalMs: number; slackMs: number } {
    const pings = this.keepAlivesOf(name);
    const transcript = this.context.transcript;
    const heartbeats = this.heartbeats.get(name)?.length ?? 0;
    if (heartbeats > 0) transcript.note(`${heartbeats} of the ${pings.length} keep-alives were the protocol's own heartbeat frames (the codec's keepAlive), counted as Ping frames are`);
    const ws = this.connector.client(name);
    const ended = ws.tcpClosedAtMs === undefined ? undefined : `the connection ended while idle: ${ws.describe()}`;
    const silence = silenceOf(pings, this.idleSinceMs ?? 0, ws.tcpClosedAtMs ?? transcript.now(), ended);
    const plan = idlePlan(this.spec.pingIntervalMs!);
    transcript.figure('longest without a ping', silence.longestMs, 'ms');
    transcript.figure('pings', silence.chunks, '');
    transcript.figure('declared interval', plan.intervalMs, 'ms');
    return { silence, intervalMs: plan.intervalMs, slackMs: plan.slackMs };
  }

  /** When `name` got a Ping frame or a heartbeat frame, in order. */
  private keepAlivesOf(name: string): number[] {
    const pings = this.connector.client(name).inbox.pings.map((p) => p.atMs);
    return [...pings, ...(this.heartbeats.get(name) ?? [])].sort((a, b) => a - b);
  }

  /** Collects what a channel connection delivers, decoded as the adapter declares. */
  private listen(name: string, ws: RawWebSocket): void {
    const messages: ChannelMessage[] = this.received.get(name) ?? [];
    this.received.set(name, messages);
    ws.inbox.onMessage((message) => {
      if (message.type !== 'text') return;
      const text = message.data.toString('utf8');
      const atMs = this.context.transcript.now();
      if (this.spec.codec !== undefined) {
        this.decodeFrame(name, ws, text, atMs, messages);
        return;
      }
      if (this.spec.messageFormat === 'raw') {
        messages.push({ data: text, atMs });
        return;
      }
      try {
        const value = JSON.parse(text) as { id?: unknown; data?: unknown };
        messages.push({ data: typeof value.data === 'string' ? value.data : text, atMs, ...(value.id !== undefined ? { id: String(value.id) } : {}) });
      } catch {
        messages.push({ data: text, atMs });
      }
    });
  }

  /** Reads a frame with the adapter's codec: its messages are kept, its replies sent at once. */
  private decodeFrame(name: string, ws: RawWebSocket, text: string, atMs: number, messages: ChannelMessage[]): void {
    let frame;
    try {
      frame = this.spec.codec!.decode(text);
    } catch (error) {
      this.context.transcript.note(`${name}: the adapter's codec could not read the frame ${JSON.stringify(text.slice(0, 60))}: ${(error as Error).message}`);
      return;
    }
    for (const m of frame.messages ?? []) messages.push({ data: m.data, atMs, ...(m.id !== undefined ? { id: m.id } : {}) });
    for (const reply of frame.replies ?? []) ws.send({ opcode: OPCODE.text, payload: reply });
    if (frame.open === true) this.opened.add(name);
    if (frame.keepAlive === true) {
      const times = this.heartbeats.get(name) ?? [];
      times.push(atMs);
      this.heartbeats.set(name, times);
    }
  }

  private lastPublished(): PublishedMessage {
    const message = this.context.published.at(-1);
    if (message === undefined) throw new Error('nothing was published');
    return message;
  }
}

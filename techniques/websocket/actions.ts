/**
 * What WebSocket clients do in a scenario: open the echo or channel endpoint
 * with the raw frame client (so every frame is on record), send messages and
 * broken frames, and collect what comes back.
 */
import type { ResolvedWebSocket } from '../../adapters/contract/resolve.ts';
import { fillPlaceholders } from '../../core/placeholders.ts';
import { ConformanceFailure } from '../../core/failure.ts';
import { RawWebSocket } from './raw-client.ts';
import type { PushWorld } from '../../steps/support/world.ts';

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
}

/** A message as a channel connection delivers it. */
export interface ChannelMessage {
  id?: string;
  data: string;
  atMs: number;
}

export class WebSocketActions {
  private readonly world: PushWorld;
  private readonly clients = new Map<string, RawWebSocket>();
  /** The last message a step sent, to compare with what comes back. */
  sent: { type: 'text' | 'binary'; data: Buffer } | undefined;
  /** The subprotocols the last handshake offered. */
  offered: string[] = [];
  /** The messages the client sent on the channel itself (full duplex). */
  ownSent: string[] = [];
  /** Messages each channel client received, in order. */
  readonly channelMessages = new Map<string, ChannelMessage[]>();

  constructor(world: PushWorld) {
    this.world = world;
  }

  get spec(): ResolvedWebSocket {
    const spec = this.world.adapter.websocket;
    if (spec === undefined) throw new Error('the adapter declares no WebSocket endpoint');
    return spec;
  }

  /** The URL of an endpoint, with `{channel}` filled in. */
  url(where: 'echo' | 'channel', query?: Record<string, string>): string {
    const path = where === 'echo' ? this.spec.echoPath : this.spec.channelPath;
    if (path === undefined) throw new Error(`the adapter declares no ${where} endpoint`);
    const url = new URL(fillPlaceholders(path, { channel: encodeURIComponent(this.world.channel) }), this.world.adapter.baseUrl);
    for (const [name, value] of Object.entries(query ?? {})) url.searchParams.set(name, value);
    return url.href;
  }

  /** Sends the opening handshake; the answer may be a refusal (callers check `status`). */
  async connect(name: string, where: 'echo' | 'channel', options: ConnectOptions = {}): Promise<RawWebSocket> {
    this.clients.get(name)?.destroy();
    this.offered = options.protocols ?? [];
    const ws = await RawWebSocket.connect({
      url: this.url(where, options.query),
      actor: name.includes('client') ? name : `client ${name}`,
      transcript: this.world.transcript,
      deadlineMs: WS_DEADLINE_MS,
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
    if (!ws.upgraded) throw new ConformanceFailure(`the ${where} endpoint to accept a well-formed handshake (101)`, `status ${ws.status}`);
    if (where === 'channel') this.listen(name, ws);
    return ws;
  }

  client(name = 'client'): RawWebSocket {
    const ws = this.clients.get(name);
    if (ws === undefined) throw new Error(`${name} has no connection`);
    return ws;
  }

  /** Collects what a channel connection delivers, decoded as the adapter declares. */
  private listen(name: string, ws: RawWebSocket): void {
    const messages: ChannelMessage[] = this.channelMessages.get(name) ?? [];
    this.channelMessages.set(name, messages);
    ws.onMessage((message) => {
      if (message.type !== 'text') return;
      const text = message.data.toString('utf8');
      if (this.spec.messageFormat === 'raw') {
        messages.push({ data: text, atMs: this.world.transcript.now() });
        return;
      }
      try {
        const value = JSON.parse(text) as { id?: unknown; data?: unknown };
        messages.push({ data: typeof value.data === 'string' ? value.data : text, atMs: this.world.transcript.now(), ...(value.id !== undefined ? { id: String(value.id) } : {}) });
      } catch {
        messages.push({ data: text, atMs: this.world.transcript.now() });
      }
    });
  }

  /** Waits until a channel client has `count` messages, within the deadline. */
  async channelReceived(name: string, count: number, deadlineMs = WS_DEADLINE_MS): Promise<ChannelMessage[]> {
    const ws = this.client(name);
    const messages = () => this.channelMessages.get(name) ?? [];
    await ws.until(() => messages().length >= count, deadlineMs, `${name} to receive ${count} message(s)`, () => `${messages().length} received; ${ws.describe()}`);
    return messages();
  }

  /** Sends one message and remembers it, for "the same message comes back". */
  sendMessage(type: 'text' | 'binary', data: Buffer, ws = this.client()): void {
    this.sent = { type, data };
    ws.send({ opcode: type === 'text' ? 1 : 2, payload: data });
  }

  async close(): Promise<void> {
    for (const ws of this.clients.values()) ws.destroy();
  }
}

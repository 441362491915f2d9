/**
 * A WebSocket subscriber on the channel endpoint: the raw client
 * (techniques/websocket/raw-client.ts), reading messages as the adapter
 * declares them (`messageFormat` or a codec). A cut drops the TCP connection
 * without a close frame; the next connection sends the id of the last
 * message received in the declared cursor parameter. A connection the
 * server closes is reopened the same way.
 */
import { describeError } from '../core/http.ts';
import type { Transcript } from '../core/transcript.ts';
import type { WebSocketCodec } from '../techniques/websocket/contract.ts';
import { OPCODE } from '../techniques/websocket/frame.ts';
import { RawWebSocket } from '../techniques/websocket/raw-client.ts';
import type { ConnectionOptions } from 'node:tls';
import { ReconnectingSubscriber, type Subscriber } from './subscriber.ts';

export interface WsSubscriberOptions {
  /** The channel endpoint's URL, channel filled in. */
  url: string;
  transcript: Transcript;
  messageFormat: 'json' | 'raw';
  codec?: WebSocketCodec;
  /** Query parameter that resumes after a message id (`websocket.cursorParam`); without it a new connection starts from now. */
  cursorParam?: string;
  /** The handshake's answer must come within this. */
  deadlineMs: number;
  /** Pause before reconnecting after the server closed the connection or refused it. */
  reconnectDelayMs: number;
  /** TLS options for wss:// (what the adapter's `tls.ca` trusts: core/tls.ts). */
  tls?: ConnectionOptions;
}

export class WsSubscriber extends ReconnectingSubscriber implements Subscriber {
  private readonly options: WsSubscriberOptions;
  private socket: RawWebSocket | undefined;
  private unsubscribe: (() => void) | undefined;
  private lastId: string | undefined;
  protected readonly retryDelayMs: number;

  constructor(name: string, options: WsSubscriberOptions) {
    super(name);
    this.options = options;
    this.retryDelayMs = options.reconnectDelayMs;
  }

  async start(): Promise<void> {
    await this.open();
    if (this.socket?.upgraded !== true) throw new Error(`${this.name}: the WebSocket handshake failed${this.errors.first.length > 0 ? ` (${this.errors.first.at(-1)})` : ''}`);
  }

  private url(): string {
    const url = new URL(this.options.url);
    if (this.options.cursorParam !== undefined && this.lastId !== undefined) url.searchParams.set(this.options.cursorParam, this.lastId);
    return url.href;
  }

  protected async open(): Promise<void> {
    let socket: RawWebSocket;
    try {
      socket = await RawWebSocket.connect({ url: this.url(), actor: this.name, transcript: this.options.transcript, deadlineMs: this.options.deadlineMs, ...(this.options.tls !== undefined ? { tls: this.options.tls } : {}) });
    } catch (error) {
      this.failed(describeError(error));
      return;
    }
    this.socket = socket;
    if (this.stopped) return; // stop() tears it down
    if (!socket.upgraded) {
      this.failed(`the WebSocket handshake was answered ${socket.status}`);
      socket.destroy();
      return;
    }
    socket.inbox.onMessage((message) => {
      if (message.type === 'text' && socket === this.socket) this.read(socket, message.data.toString('utf8'));
    });
    for (const frame of this.options.codec?.hello ?? []) socket.send({ opcode: OPCODE.text, payload: frame });
    this.unsubscribe = socket.inbox.changes.subscribe(() => {
      if (socket === this.socket && socket.tcpClosedAtMs !== undefined && !this.isReopening) this.scheduleReopen(this.retryDelayMs);
    });
  }

  protected isDown(): boolean {
    return this.socket === undefined || !this.socket.upgraded || this.socket.tcpClosedAtMs !== undefined;
  }

  protected teardown(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.socket?.destroy();
  }

  private read(socket: RawWebSocket, text: string): void {
    const atMs = this.options.transcript.now();
    for (const message of this.decode(socket, text)) {
      if (message.id !== undefined) this.lastId = message.id;
      this.take(message.data, atMs);
    }
  }

  private decode(socket: RawWebSocket, text: string): Array<{ data: string; id?: string }> {
    const { codec } = this.options;
    if (codec !== undefined) {
      try {
        const frame = codec.decode(text);
        for (const reply of frame.replies ?? []) socket.send({ opcode: OPCODE.text, payload: reply });
        return frame.messages ?? [];
      } catch (error) {
        this.failed(`the adapter's codec could not read a frame: ${(error as Error).message}`);
        return [];
      }
    }
    if (this.options.messageFormat === 'raw') return [{ data: text }];
    try {
      const value = JSON.parse(text) as { id?: unknown; data?: unknown };
      return [{ data: typeof value.data === 'string' ? value.data : text, ...(value.id !== undefined && value.id !== null ? { id: String(value.id) } : {}) }];
    } catch {
      return [{ data: text }];
    }
  }
}

/**
 * One case's connection to the echo endpoint, as a case script drives it:
 * sending (whole, fragmented, chopped, paused), and the events the server's
 * frames make (Autobahn's `received`: messages, pongs, pings, and the tags
 * of pauses that ended with the connection still open), built as frames arrive.
 */
import { OPCODE, type FrameSpec } from '../frame.ts';
import type { RawWebSocket, ReceivedFrame } from '../raw-client.ts';
import { TOGETHER, type WriteSplit } from '../write-split.ts';

/** Something the server did that a case compares with its expected lists (Autobahn's `received`). */
export type CaseEvent =
  | { kind: 'message'; type: 'text' | 'binary'; data: Buffer }
  | { kind: 'pong'; payload: Buffer }
  /** A pause in the script ended with the connection still open (Autobahn's `continueLater` tag). */
  | { kind: 'timeout'; tag: string };

/** Turns a compressed message's payload into its data (permessage-deflate), when the connection has it. */
export type MessageDecoder = (payload: Buffer) => Buffer;

export interface SendOptions {
  /** Split the message into frames of this many bytes (Autobahn `fragmentSize`). */
  fragmentSize?: number;
  split?: WriteSplit;
}

export class CaseConnection {
  readonly ws: RawWebSocket;
  /** Every event so far, in arrival order. */
  readonly events: CaseEvent[] = [];
  private frameIndex = 0;
  private messageType: 'text' | 'binary' | undefined;
  private messageCompressed = false;
  private parts: Buffer[] = [];
  private serverClosed = false;
  /** Inflates compressed messages once permessage-deflate is negotiated. */
  decoder: MessageDecoder | undefined;
  /** Payload bytes sent in data frames. */
  bytesSent = 0;
  /** Pings the server sent of its own accord (answered by the raw client, not compared). */
  pingsReceived = 0;

  constructor(ws: RawWebSocket) {
    this.ws = ws;
    ws.inbox.changes.subscribe(() => this.refresh());
    this.refresh();
  }

  /**
   * Autobahn's STATE_OPEN: frames can still be sent and no close frame went
   * either way (once the server's close came, a pause's `timeout` event no
   * longer counts: the server failed the connection inside the pause).
   */
  get open(): boolean {
    return this.ws.canSend && this.ws.closeReceived === undefined && this.ws.closeSentAtMs === undefined;
  }

  /** Reads the frames that arrived since the last look into events; frames after the server's close make none. */
  private refresh(): void {
    const frames = this.ws.received;
    for (; this.frameIndex < frames.length; this.frameIndex++) this.take(frames[this.frameIndex]!);
  }

  private take(frame: ReceivedFrame): void {
    if (this.serverClosed) return;
    if (frame.opcode === OPCODE.close) this.serverClosed = true;
    else if (frame.opcode === OPCODE.pong) this.events.push({ kind: 'pong', payload: frame.payload });
    // A server's own pings are not events: RFC 6455 §5.5.2 lets a server ping whenever it likes (a keep-alive),
    // and Autobahn, which counts them, would fail a server for a legal ping in the middle of a case.
    else if (frame.opcode === OPCODE.ping) this.pingsReceived += 1;
    else if (frame.opcode === OPCODE.text || frame.opcode === OPCODE.binary) {
      this.messageType = frame.opcode === OPCODE.text ? 'text' : 'binary';
      this.messageCompressed = (frame.rsv & 4) !== 0;
      this.parts = [frame.payload];
      if (frame.fin) this.finishMessage();
    } else if (frame.opcode === OPCODE.continuation && this.messageType !== undefined) {
      this.parts.push(frame.payload);
      if (frame.fin) this.finishMessage();
    }
  }

  private finishMessage(): void {
    const payload = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts);
    let data = payload;
    if (this.messageCompressed && this.decoder !== undefined) {
      try {
        data = this.decoder(payload);
      } catch (error) {
        this.ws.inbox.find({ rule: 'unreadable-stream', text: `a compressed message of ${payload.length} bytes does not inflate (${(error as Error).message})` });
      }
    }
    this.events.push({ kind: 'message', type: this.messageType!, data });
    this.messageType = undefined;
    this.parts = [];
  }

  /** Sends frames as they are (broken ones included), written as `split` says. */
  send(frames: FrameSpec | readonly FrameSpec[], split: WriteSplit = TOGETHER): Promise<boolean> {
    const list = Array.isArray(frames) ? (frames as FrameSpec[]) : [frames as FrameSpec];
    for (const f of list) if (f.opcode < 8) this.bytesSent += f.payload === undefined ? 0 : Buffer.byteLength(f.payload);
    return this.ws.sendFrames(list, split);
  }

  /** Sends one message, in frames of `fragmentSize` bytes if given. */
  sendMessage(type: 'text' | 'binary', data: Buffer | string, options: SendOptions = {}): Promise<boolean> {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    return this.send(fragmentsOf(type === 'text' ? OPCODE.text : OPCODE.binary, bytes, options.fragmentSize), options.split);
  }

  ping(payload: Buffer | string = Buffer.alloc(0), split?: WriteSplit): Promise<boolean> {
    return this.send({ opcode: OPCODE.ping, payload }, split);
  }

  /** Waits `ms`; with a tag, records Autobahn's `timeout` event if the connection is still open then. */
  async pause(ms: number, tag?: string): Promise<void> {
    await new Promise<void>((resolve) => setTimeout(resolve, ms));
    if (tag !== undefined && this.open) this.events.push({ kind: 'timeout', tag });
  }

  /**
   * Waits until there are at least `count` events, the connection ends, or
   * `deadlineMs` passes; never fails (the judge compares what came).
   */
  async eventsAtLeast(count: number, deadlineMs: number): Promise<void> {
    await this.ws.inbox
      .until(() => this.events.length >= count, deadlineMs, `${count} events`, () => '')
      .catch(() => undefined);
  }

  /**
   * Autobahn 9.7/9.8 and 12/13: `count` messages, each sent only once the one
   * before came back. Stops early when an echo does not come within `eachMs`.
   */
  async roundTrips(count: number, next: (i: number) => { type: 'text' | 'binary'; data: Buffer; fragmentSize?: number }, eachMs: number, send?: (m: { type: 'text' | 'binary'; data: Buffer; fragmentSize?: number }) => Promise<boolean>): Promise<void> {
    for (let i = 0; i < count && this.open; i++) {
      const before = this.events.length;
      const message = next(i);
      const sent = send !== undefined ? await send(message) : await this.sendMessage(message.type, message.data, message.fragmentSize === undefined ? {} : { fragmentSize: message.fragmentSize });
      if (!sent) return;
      await this.eventsAtLeast(before + 1, eachMs);
      if (this.events.length <= before) return;
    }
  }
}

/** A message as frames: the first with the opcode, the rest continuations, the last with FIN. */
export function fragmentsOf(opcode: number, data: Buffer, fragmentSize?: number, rsv = 0): FrameSpec[] {
  if (fragmentSize === undefined || data.length <= fragmentSize) return [{ opcode, payload: data, rsv }];
  const frames: FrameSpec[] = [];
  for (let at = 0; at < data.length; at += fragmentSize) {
    const last = at + fragmentSize >= data.length;
    frames.push({ opcode: at === 0 ? opcode : OPCODE.continuation, payload: data.subarray(at, at + fragmentSize), fin: last, rsv: at === 0 ? rsv : 0 });
  }
  return frames;
}

/**
 * Reassembling whole WebSocket messages from the frames a server sent. The raw
 * client keeps every frame as it came (checks need them one by one) and builds
 * messages on top: once as frames arrive, for `onMessage` listeners, and again
 * from any point in the received list, for `nextMessage`.
 */
import { isControlOpcode, OPCODE, type DecodedFrame } from './frame.ts';

/** A whole message, its fragments joined. */
export interface WsMessage {
  type: 'text' | 'binary';
  data: Buffer;
  /** How many frames carried it. */
  frames: number;
}

/**
 * Joins data frames into messages, one frame at a time. Control frames may come
 * between fragments (RFC 6455 §5.4) and are passed over. It is lenient where the
 * server is wrong: a continuation with no message started is dropped, and a new
 * message abandons an unfinished one; the findings report both, this only reads on.
 */
export class MessageAssembler {
  private type: WsMessage['type'] | undefined;
  private parts: Buffer[] = [];

  /** Takes the next frame; returns the message it completes, if it completes one. */
  push(frame: DecodedFrame): WsMessage | undefined {
    if (isControlOpcode(frame.opcode)) return undefined;
    if (frame.opcode === OPCODE.text || frame.opcode === OPCODE.binary) {
      this.type = frame.opcode === OPCODE.text ? 'text' : 'binary';
      this.parts = [];
    } else if (frame.opcode !== OPCODE.continuation || this.type === undefined) return undefined;
    this.parts.push(frame.payload);
    if (!frame.fin) return undefined;
    const message: WsMessage = { type: this.type, data: Buffer.concat(this.parts), frames: this.parts.length };
    this.type = undefined;
    this.parts = [];
    return message;
  }
}

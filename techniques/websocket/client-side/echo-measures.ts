/**
 * What a WebSocket client sent back, read from its recorded frames: its whole
 * data messages (fragments joined with the reassembler the raw client uses)
 * and its pong payloads. Pure.
 */
import { MessageAssembler, type WsMessage } from '../messages.ts';
import { OPCODE } from '../frame.ts';
import type { ClientFrame } from './scripted-ws-server.ts';

/** The client's data messages, in order. */
export function echoedMessages(frames: readonly ClientFrame[]): WsMessage[] {
  const assembler = new MessageAssembler();
  const out: WsMessage[] = [];
  for (const f of frames) {
    const message = assembler.push({ fin: f.fin, rsv: f.rsv, opcode: f.opcode, masked: f.masked, payload: f.payload, lengthEncoding: 7, minimalLength: true });
    if (message !== undefined) out.push(message);
  }
  return out;
}

/** The payloads of the client's pong frames, in order. */
export function pongPayloads(frames: readonly ClientFrame[]): Buffer[] {
  return frames.filter((f) => f.opcode === OPCODE.pong).map((f) => f.payload);
}

/**
 * The frames a scenario sends, by the words its Examples use. Broken frames
 * are the point: a conforming library cannot send them, so each recipe drives
 * the raw client frame by frame.
 */
import { OPCODE } from './frame.ts';
import type { RawWebSocket } from './raw-client.ts';

/** Sequences of frames named in plain words (features/websocket/protocol-errors.feature). */
export const FRAME_RECIPES: Record<string, (ws: RawWebSocket) => void> = {
  'a continuation frame with no message started': (ws) => ws.send({ opcode: OPCODE.continuation, payload: 'orphan', fin: true }),
  'a text fragment, then a new text frame before the last fragment': (ws) => {
    ws.send({ opcode: OPCODE.text, payload: 'first ', fin: false });
    ws.send({ opcode: OPCODE.text, payload: 'intruder', fin: true });
  },
  'a binary fragment, then a new binary frame before the last fragment': (ws) => {
    ws.send({ opcode: OPCODE.binary, payload: Buffer.from([1, 2, 3]), fin: false });
    ws.send({ opcode: OPCODE.binary, payload: Buffer.from([4, 5, 6]), fin: true });
  },
  'a ping with 126 bytes of payload': (ws) => ws.send({ opcode: OPCODE.ping, payload: Buffer.alloc(126, 0x2a) }),
  'a fragmented ping': (ws) => {
    ws.send({ opcode: OPCODE.ping, payload: 'half', fin: false });
    ws.send({ opcode: OPCODE.continuation, payload: 'other half', fin: true });
  },
  'a fragmented pong': (ws) => {
    ws.send({ opcode: OPCODE.pong, payload: 'half', fin: false });
    ws.send({ opcode: OPCODE.continuation, payload: 'other half', fin: true });
  },
};

/** Deterministic payloads, so an echo can be compared byte for byte. */
export function textOf(length: number): string {
  // One flat string built by repeat(): appending a character at a time takes ~20 s for a
  // message over ws's 100 MiB maximum (WS-MAX-MESSAGE), repeat() well under a second.
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789 ';
  return alphabet.repeat(Math.ceil(length / alphabet.length)).slice(0, length);
}

export function binaryOf(length: number): Buffer {
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 7 + 3) & 0xff;
  return bytes;
}

/** Splits `bytes` into `count` fragments of near-equal size (a UTF-8 character may be cut: that is allowed). */
export function splitInto(bytes: Buffer, count: number): Buffer[] {
  const parts: Buffer[] = [];
  const size = Math.ceil(bytes.length / count);
  for (let i = 0; i < count; i++) parts.push(bytes.subarray(i * size, Math.min(bytes.length, (i + 1) * size)));
  return parts;
}

/**
 * Sends a message as `parts.length` frames: the first with the opcode, the rest
 * continuations; with `pingBetween`, a ping right after the first fragment.
 */
export function sendFragmented(ws: RawWebSocket, opcode: number, parts: readonly Buffer[], pingBetween = false): void {
  const interleave = pingBetween && parts.length > 1 ? new Map([[1, { opcode: OPCODE.ping, payload: 'between fragments' }]]) : undefined;
  ws.sendFragments(opcode, [...parts], interleave);
}

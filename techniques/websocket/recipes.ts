/**
 * The frames and payloads the old-style scenarios send, by the words their
 * Examples use (close payloads, deterministic messages, fragments). The echo
 * cases' frames are data in autobahn/cases-*.ts.
 */
import { OPCODE } from './frame.ts';
import type { RawWebSocket } from './raw-client.ts';


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

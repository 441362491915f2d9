/**
 * How the raw WebSocket client's traffic reads in the transcript: a frame record
 * with a short preview for every frame both ways, and the close outcome in
 * Autobahn's words. Kept apart from the connection so the wording can be read
 * (and tested) without a socket.
 */
import type { FrameRecord } from '../../core/evidence.ts';
import { OPCODE, parseClosePayload } from './frame.ts';

/** How a frame's payload shows in the transcript: text for text and close frames, hex otherwise. */
export function framePreview(opcode: number, payload: Buffer): string {
  // Only the head is decoded: 60 code points take at most 240 bytes, and a 16 MiB text frame decoded whole held the event loop.
  if (opcode === OPCODE.text) return cut(payload.subarray(0, PREVIEW_BYTES + 1).toString('utf8'), payload.length > PREVIEW_BYTES);
  if (opcode === OPCODE.close) {
    const close = parseClosePayload(payload);
    // A 1-byte payload is malformed (no whole code), so the byte itself is the evidence.
    return cut(close.code === undefined ? (payload.length === 1 ? hex(payload) : '') : `${close.code}${close.reason ? ` ${close.reason}` : ''}`);
  }
  return hex(payload);
}

/** The most bytes 60 code points take (4 each). */
const PREVIEW_BYTES = 240;

/** Cuts at 60 characters, counted by code point so a preview never splits a character; `more`: the text goes on past what was decoded. */
function cut(text: string, more = false): string {
  // Only the head is spread into code points: a 100 MB message would not fit in an array.
  // 60 code points take at most 120 UTF-16 units, so 121 tell whether there are more.
  const chars = [...text.slice(0, 121)];
  return chars.length <= 60 && !more ? text : `${chars.slice(0, 60).join('')}…`;
}

function hex(bytes: Buffer): string {
  const shown = [...bytes.subarray(0, 32)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
  return bytes.length > 32 ? `${shown} …` : shown;
}

/** The parts of a frame, either way, that its record shows. */
export interface FrameFields {
  fin: boolean;
  rsv: number;
  /** -1 for bytes written by `sendRaw`, which are no frame the client built. */
  opcode: number;
  masked: boolean;
  payload: Buffer;
}

/** One frame as the transcript keeps it; raw bytes (opcode -1) are shown as hex. */
export function frameRecord(connection: string, direction: FrameRecord['direction'], frame: FrameFields, atMs: number): FrameRecord {
  const { fin, rsv, opcode, masked, payload } = frame;
  const record: FrameRecord = {
    connection,
    direction,
    atMs,
    fin,
    rsv,
    opcode,
    masked,
    length: payload.length,
    preview: opcode === -1 ? hex(payload) : framePreview(opcode, payload),
  };
  if (opcode === OPCODE.close) {
    const code = parseClosePayload(payload).code;
    if (code !== undefined) record.closeCode = code;
  }
  return record;
}

/**
 * The close outcome in Autobahn's words: `clean, code 1000`, `no close frame: the
 * server dropped the TCP connection`, `still open after 2000 ms`. A clean close
 * needs both the server's close frame and the server ending the TCP connection (RFC 6455 §7.1.1).
 */
export function closeOutcome(closeFrame: { code?: number } | undefined, tcpClosedBy: 'server' | 'client' | 'still open', deadlineMs: number): string {
  const code = closeFrame ? (closeFrame.code !== undefined ? `code ${closeFrame.code}` : 'no status code') : '';
  if (closeFrame && tcpClosedBy === 'server') return `clean, ${code}`;
  if (closeFrame && tcpClosedBy === 'client') return `close frame with ${code}, then the client closed the TCP connection`;
  if (closeFrame) return `close frame with ${code}, but the TCP connection still open after ${deadlineMs} ms`;
  if (tcpClosedBy === 'server') return 'no close frame: the server dropped the TCP connection';
  if (tcpClosedBy === 'client') return 'no close frame: the client closed the TCP connection';
  return `still open after ${deadlineMs} ms`;
}

/**
 * The protocol findings the raw WebSocket client makes about frames the server
 * sends: masking, length encoding, reserved bits and opcodes, fragmentation, close
 * payloads and text validity, each citing the RFC 6455 rule it breaks. Findings are
 * wording only; the connection decides what to keep (it caps them) and keeps reading,
 * because a check wants to see everything a broken server does, not just its first mistake.
 */
import { isControlOpcode, isSendableCloseCode, isValidUtf8, opcodeName, type DecodedFrame } from './frame.ts';

/** Opcodes RFC 6455 defines; the rest are reserved. */
const KNOWN_OPCODES: readonly number[] = [0x0, 0x1, 0x2, 0x8, 0x9, 0xa];

/**
 * The reserved bits the server may set given the handshake's answer: RSV1 once
 * permessage-deflate is negotiated (RFC 7692), none otherwise.
 */
export function negotiatedRsv(headers: Record<string, string>): number {
  return /permessage-deflate/i.test(headers['sec-websocket-extensions'] ?? '') ? 4 : 0;
}

/** How a finding names a frame: `frame 3 (ping)`, counting from 1 in arrival order. */
export function frameName(index: number, opcode: number): string {
  return `frame ${index} (${opcodeName(opcode)})`;
}

/**
 * Checks the server's frames one by one, in arrival order. It keeps the one piece
 * of state the rules need across frames: which message, if any, is mid-fragment.
 */
export class FrameInspector {
  /** The reserved bits an extension allows (see {@link negotiatedRsv}). */
  private readonly allowedRsv: number;
  /** The opcode of the fragmented message in progress, if one is. */
  private fragmentOpcode: number | undefined;

  constructor(allowedRsv: number) {
    this.allowedRsv = allowedRsv;
  }

  /**
   * The findings about one frame's header and its place in the sequence; `afterClose`
   * when the server already sent its close frame (RFC 6455 §5.5.1: nothing may follow).
   */
  inspect(frame: DecodedFrame, name: string, afterClose: boolean): string[] {
    const found: string[] = [];
    if (afterClose) found.push(`${name} came after the server's close frame (RFC 6455 §5.5.1)`);
    if (frame.masked) found.push(`${name} is masked (RFC 6455 §5.1: a server MUST NOT mask)`);
    if (!frame.minimalLength) {
      found.push(`${name} uses a ${frame.lengthEncoding}-bit length for ${frame.payload.length} bytes, not the minimal encoding (RFC 6455 §5.2)`);
    }
    if ((frame.rsv & ~this.allowedRsv) !== 0) found.push(`${name} sets reserved bits ${frame.rsv} with no extension negotiated (RFC 6455 §5.2)`);
    const known = KNOWN_OPCODES.includes(frame.opcode);
    if (!known) found.push(`${name} uses a reserved opcode (RFC 6455 §5.2)`);
    if (isControlOpcode(frame.opcode)) {
      if (!frame.fin) found.push(`${name} is a fragmented control frame (RFC 6455 §5.5)`);
      if (frame.payload.length > 125) found.push(`${name} is a control frame with ${frame.payload.length} payload bytes, over 125 (RFC 6455 §5.5)`);
    } else if (known) {
      // A reserved data opcode says nothing about fragmentation, so only known ones move the state.
      if (frame.opcode === 0x0) {
        if (this.fragmentOpcode === undefined) found.push(`${name} continues no fragmented message (RFC 6455 §5.4)`);
        else if (frame.fin) this.fragmentOpcode = undefined;
      } else {
        if (this.fragmentOpcode !== undefined) found.push(`${name} starts a new message before the fragmented one ended (RFC 6455 §5.4)`);
        this.fragmentOpcode = frame.fin ? undefined : frame.opcode;
      }
    }
    return found;
  }
}

/** The findings about a close frame's payload, given the payload and its parse (`parseClosePayload`). */
export function closeFindings(name: string, payload: Buffer, close: { code?: number; reasonValidUtf8: boolean }): string[] {
  const found: string[] = [];
  if (payload.length === 1) found.push(`${name} has a 1-byte payload (RFC 6455 §5.5.1: a code is 2 bytes)`);
  if (close.code !== undefined && !isSendableCloseCode(close.code)) found.push(`${name} carries close code ${close.code}, which may not be sent (RFC 6455 §7.4)`);
  if (!close.reasonValidUtf8) found.push(`${name} has a close reason that is not valid UTF-8 (RFC 6455 §5.5.1)`);
  return found;
}

/** The finding about a whole text message that is not valid UTF-8, if it is not. */
export function textMessageFinding(data: Buffer): string | undefined {
  return isValidUtf8(data) ? undefined : `a text message of ${data.length} bytes is not valid UTF-8 (RFC 6455 §8.1)`;
}

/** The finding when the frame reader gave up on the stream (`error` is the reader's own wording). */
export function unreadableStreamFinding(error: string): string {
  return `the server sent ${error}; the client stopped reading`;
}

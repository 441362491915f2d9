/**
 * The protocol findings the raw WebSocket client makes about frames the server
 * sends: masking, length encoding, reserved bits and opcodes, fragmentation, close
 * payloads and text validity. Each finding has a rule code (as the SSE parser's
 * findings do), so a check picks the ones it judges by code, and a text citing
 * the RFC 6455 rule it breaks. The connection decides what to keep (it caps them)
 * and keeps reading, because a check wants to see everything a broken server
 * does, not just its first mistake.
 */
import { isControlOpcode, isSendableCloseCode, isValidUtf8, OPCODE, opcodeName, type DecodedFrame } from './frame.ts';

export { malformedFrameNote } from './frame-measures.ts';

/** Every finding rule. */
export const WS_FINDING_RULES = [
  /** A frame after the server's own close frame (RFC 6455 §5.5.1). */
  'after-close',
  /** A server frame with the mask bit set (§5.1: a server MUST NOT mask). */
  'masked',
  /** A payload length not written in the shortest encoding (§5.2). */
  'non-minimal-length',
  /** Reserved bits set that no negotiated extension defines (§5.2). */
  'reserved-bits',
  /** A reserved opcode (§5.2). */
  'reserved-opcode',
  /** A control frame without FIN (§5.5). */
  'fragmented-control',
  /** A control frame with more than 125 payload bytes (§5.5). */
  'control-too-long',
  /** A continuation frame with no fragmented message in progress (§5.4). */
  'orphan-continuation',
  /** A new data frame while a fragmented message is unfinished (§5.4). */
  'interleaved-message',
  /** A close frame with a 1-byte payload (§5.5.1). */
  'close-one-byte',
  /** A close code that may not be sent (§7.4). */
  'close-code-not-sendable',
  /** A close reason that is not valid UTF-8 (§5.5.1). */
  'close-reason-not-utf8',
  /** A text message that is not valid UTF-8 (§8.1). */
  'text-not-utf8',
  /** Bytes the frame reader could not read as frames; the client stopped reading. */
  'unreadable-stream',
] as const;

export type WsFindingRule = (typeof WS_FINDING_RULES)[number];

/** One thing the server's frames did wrong. */
export interface WsFinding {
  rule: WsFindingRule;
  /** What happened, citing the rule: `frame 3 (text) is masked (RFC 6455 §5.1: a server MUST NOT mask)`. */
  text: string;
}

/** Opcodes RFC 6455 defines; the rest are reserved. */
const KNOWN_OPCODES: readonly number[] = Object.values(OPCODE);

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
  inspect(frame: DecodedFrame, name: string, afterClose: boolean): WsFinding[] {
    const found: WsFinding[] = [];
    const find = (rule: WsFindingRule, text: string): void => void found.push({ rule, text });
    if (afterClose) find('after-close', `${name} came after the server's close frame (RFC 6455 §5.5.1)`);
    if (frame.masked) find('masked', `${name} is masked (RFC 6455 §5.1: a server MUST NOT mask)`);
    if (!frame.minimalLength) {
      find('non-minimal-length', `${name} uses a ${frame.lengthEncoding}-bit length for ${frame.payload.length} bytes, not the minimal encoding (RFC 6455 §5.2)`);
    }
    if ((frame.rsv & ~this.allowedRsv) !== 0) find('reserved-bits', `${name} sets reserved bits ${frame.rsv} with no extension negotiated (RFC 6455 §5.2)`);
    const known = KNOWN_OPCODES.includes(frame.opcode);
    if (!known) find('reserved-opcode', `${name} uses a reserved opcode (RFC 6455 §5.2)`);
    if (isControlOpcode(frame.opcode)) {
      if (!frame.fin) find('fragmented-control', `${name} is a fragmented control frame (RFC 6455 §5.5)`);
      if (frame.payload.length > 125) find('control-too-long', `${name} is a control frame with ${frame.payload.length} payload bytes, over 125 (RFC 6455 §5.5)`);
    } else if (known) {
      // A reserved data opcode says nothing about fragmentation, so only known ones move the state.
      if (frame.opcode === OPCODE.continuation) {
        if (this.fragmentOpcode === undefined) find('orphan-continuation', `${name} continues no fragmented message (RFC 6455 §5.4)`);
        else if (frame.fin) this.fragmentOpcode = undefined;
      } else {
        if (this.fragmentOpcode !== undefined) find('interleaved-message', `${name} starts a new message before the fragmented one ended (RFC 6455 §5.4)`);
        this.fragmentOpcode = frame.fin ? undefined : frame.opcode;
      }
    }
    return found;
  }
}

/** The findings about a close frame's payload, given the payload and its parse (`parseClosePayload`). */
export function closeFindings(name: string, payload: Buffer, close: { code?: number; reasonValidUtf8: boolean }): WsFinding[] {
  const found: WsFinding[] = [];
  if (payload.length === 1) found.push({ rule: 'close-one-byte', text: `${name} has a 1-byte payload (RFC 6455 §5.5.1: a code is 2 bytes)` });
  if (close.code !== undefined && !isSendableCloseCode(close.code)) found.push({ rule: 'close-code-not-sendable', text: `${name} carries close code ${close.code}, which may not be sent (RFC 6455 §7.4)` });
  if (!close.reasonValidUtf8) found.push({ rule: 'close-reason-not-utf8', text: `${name} has a close reason that is not valid UTF-8 (RFC 6455 §5.5.1)` });
  return found;
}

/** The finding about a whole text message that is not valid UTF-8, if it is not. */
export function textMessageFinding(data: Buffer): WsFinding | undefined {
  return isValidUtf8(data) ? undefined : { rule: 'text-not-utf8', text: `a text message of ${data.length} bytes is not valid UTF-8 (RFC 6455 §8.1)` };
}

/** The finding when the frame reader gave up on the stream (`error` is the reader's own wording). */
export function unreadableStreamFinding(error: string): WsFinding {
  return { rule: 'unreadable-stream', text: `the server sent ${error}; the client stopped reading` };
}

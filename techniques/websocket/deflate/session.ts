/**
 * permessage-deflate on a case's connection, once the handshake answered:
 * the answer is checked against the offer (RFC 7692 §7), the server's
 * compressed messages are inflated as they complete, and the case script
 * gets a way to send compressed messages (RSV1 on the first frame only, the
 * compressed bytes cut into fragments: §6, §7.2.1).
 */
import { readCapBytes } from '../../../core/read-cap.ts';
import { OPCODE } from '../frame.ts';
import type { WriteSplit } from '../write-split.ts';
import { fragmentsOf, type CaseConnection } from '../autobahn/connection.ts';
import { MessageCompressor, MessageDecompressor } from './codec.ts';
import { readAnswer, type AgreedDeflate, type DeflateOffer } from './negotiation.ts';

/** RSV1, the "Per-Message Compressed" bit (RFC 7692 §6), as a frame's rsv field. */
export const RSV1 = 4;

/** What the server's answer made of an offer. */
export interface DeflateSession {
  /** The server answered without a permessage-deflate element (RFC 7692 §7: declining is allowed). */
  declined: boolean;
  /** Why the answer itself breaks RFC 7692 §7 (the client must fail the connection), if it does. */
  problem?: string;
  /** The parameters in force, when accepted. */
  agreed?: AgreedDeflate;
}

/** How a script sends a compressed message. */
export interface CompressedSendOptions {
  /** Cut the compressed bytes into frames of this many bytes (Autobahn's autoFragmentSize). */
  fragmentSize?: number;
  split?: WriteSplit;
}

/** The client's side of an accepted permessage-deflate, for case scripts. */
export class DeflateSender {
  private readonly conn: CaseConnection;
  private readonly compressor: MessageCompressor;

  constructor(conn: CaseConnection, agreed: AgreedDeflate) {
    this.conn = conn;
    this.compressor = new MessageCompressor({ windowBits: agreed.clientMaxWindowBits, noContextTakeover: agreed.clientNoContextTakeover });
  }

  /** The compressed payload of `data`, as the next message would carry it (the compressor's window moves on). */
  compress(data: Buffer): Buffer {
    return this.compressor.compress(data);
  }

  /** Sends one compressed message: RSV1 on its first frame only. */
  send(type: 'text' | 'binary', data: Buffer | string, options: CompressedSendOptions = {}): Promise<boolean> {
    const payload = this.compress(typeof data === 'string' ? Buffer.from(data) : data);
    return this.conn.send(fragmentsOf(type === 'text' ? OPCODE.text : OPCODE.binary, payload, options.fragmentSize, RSV1), options.split);
  }
}

const senders = new WeakMap<CaseConnection, DeflateSender>();

/** The compressed sender of a connection whose offer was accepted; undefined when declined. */
export function deflateOf(conn: CaseConnection): DeflateSender | undefined {
  return senders.get(conn);
}

/**
 * Sends a message compressed when permessage-deflate was accepted, plainly
 * when it was declined (what a client that falls back does).
 */
export function sendMaybeCompressed(conn: CaseConnection, type: 'text' | 'binary', data: Buffer, options: CompressedSendOptions = {}): Promise<boolean> {
  const sender = deflateOf(conn);
  if (sender !== undefined) return sender.send(type, data, options);
  return conn.sendMessage(type, data, { ...(options.fragmentSize !== undefined ? { fragmentSize: options.fragmentSize } : {}), ...(options.split !== undefined ? { split: options.split } : {}) });
}

/**
 * Sets up the connection for the answer's parameters: the decoder that
 * inflates the server's compressed messages (never past pushspec's read cap),
 * and the sender scripts use. An invalid answer sets up nothing.
 */
export function attachDeflate(conn: CaseConnection, headers: Record<string, string>, offer: DeflateOffer): DeflateSession {
  const answer = readAnswer(headers['sec-websocket-extensions'], offer);
  if (answer.kind === 'declined') return { declined: true };
  if (answer.kind === 'invalid') return { declined: false, problem: `the server's Sec-WebSocket-Extensions answer breaks RFC 7692 §7: ${answer.problem}` };
  const { agreed } = answer;
  const inflater = new MessageDecompressor({ windowBits: agreed.serverMaxWindowBits, noContextTakeover: agreed.serverNoContextTakeover }, readCapBytes());
  conn.decoder = (payload) => inflater.decompress(payload);
  senders.set(conn, new DeflateSender(conn, agreed));
  return { declined: false, agreed };
}

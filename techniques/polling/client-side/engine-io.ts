/**
 * engine.io protocol v4 long-polling, the scripted poll server's side, pure
 * (https://github.com/socketio/socket.io/blob/main/docs/engine.io-protocol/v4-current.md).
 * A `GET …?EIO=4&transport=polling` without `sid` is the handshake, answered
 * with the open packet; a `GET` with `sid` is a poll, answered with packets
 * joined by the record separator; a `POST` carries the client's packets (a
 * pong, a close) and is answered `ok`. A packet is one digit, its type, and
 * its data: `4hello`.
 */
import type { WireMessage } from './answers.ts';

/** "The packets are separated by the record separator character: `\x1e`." */
export const RECORD_SEPARATOR = '\x1e';

/** The packet types of protocol 4 (engine.io-parser's commons.js). */
export const PACKET_TYPES = { open: '0', close: '1', ping: '2', pong: '3', message: '4', upgrade: '5', noop: '6' } as const;
export type PacketType = keyof typeof PACKET_TYPES;

/**
 * What the handshake tells the client. `upgrades` is empty, so a client never
 * tries WebSocket; the heartbeat is long enough that no ping falls inside a case.
 */
export interface EngineIoSession {
  sid: string;
  pingInterval: number;
  pingTimeout: number;
  maxPayload: number;
}

/** engine.io's own defaults (engine.io/build/server.js), so no case waits on a heartbeat. */
export const SESSION_DEFAULTS: Omit<EngineIoSession, 'sid'> = { pingInterval: 25_000, pingTimeout: 20_000, maxPayload: 1_000_000 };

/** The handshake's answer: the open packet, `0{"sid",…}`. */
export function openPacket(session: EngineIoSession): string {
  const { sid, pingInterval, pingTimeout, maxPayload } = session;
  return `${PACKET_TYPES.open}${JSON.stringify({ sid, upgrades: [], pingInterval, pingTimeout, maxPayload })}`;
}

/**
 * A poll's answer carrying `messages`: one `4…` packet each, in one payload;
 * none is a noop `6` (how engine.io ends a held poll with nothing to say).
 * @throws Error when a message holds the record separator (text packets cannot carry it).
 */
export function encodeEngineIoBatch(messages: readonly WireMessage[]): string {
  if (messages.length === 0) return PACKET_TYPES.noop;
  for (const m of messages) if (m.data.includes(RECORD_SEPARATOR)) throw new Error(`an engine.io text packet cannot carry the record separator U+001E: ${JSON.stringify(m.data)}`);
  return messages.map((m) => `${PACKET_TYPES.message}${m.data}`).join(RECORD_SEPARATOR);
}

/** One decoded packet; `type` undefined for a type digit protocol 4 does not have. */
export interface Packet {
  type: PacketType | undefined;
  data: string;
}

/** A payload's packets (a client's POST body): split on the record separator, each a type digit and its data. */
export function decodePayload(body: string): Packet[] {
  if (body === '') return [];
  return body.split(RECORD_SEPARATOR).map((p) => ({ type: (Object.keys(PACKET_TYPES) as PacketType[]).find((t) => PACKET_TYPES[t] === p[0]), data: p.slice(1) }));
}

/** The session a request names (`sid` in its query), or undefined for a handshake. */
export function sidOf(url: string): string | undefined {
  return new URL(url, 'http://scripted.invalid').searchParams.get('sid') ?? undefined;
}

/** What is wrong with a handshake's query for protocol 4 polling, or undefined when it is right (`EIO=4`, `transport=polling`). */
export function handshakeProblem(url: string): string | undefined {
  const q = new URL(url, 'http://scripted.invalid').searchParams;
  if (q.get('EIO') !== '4') return `EIO=${q.get('EIO') ?? '(none)'}, not 4`;
  if (q.get('transport') !== 'polling') return `transport=${q.get('transport') ?? '(none)'}, not polling`;
  return undefined;
}

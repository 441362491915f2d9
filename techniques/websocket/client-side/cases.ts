/**
 * The cases the scripted WebSocket server plays against a client, as data:
 * how it answers the handshake, the frames it sends once the connection is
 * open (unmasked, as a server's are, unless the case is about a masked one),
 * what an echoing client sends back, and how the server ends. The frames after
 * Autobahn|Testsuite's case classes (its fuzzingserver plays the same cases
 * against clients); ids in the case names say which.
 */
import { randomBytes } from 'node:crypto';
import { closePayload, OPCODE, type FrameSpec } from '../frame.ts';
import type { HandshakeAnswer } from './scripted-ws-server.ts';

/** A message an echoing client must send back. */
export interface EchoedMessage {
  type: 'text' | 'binary';
  data: Buffer;
}

/** What happens once the case's frames are sent. */
export type CaseKind =
  /** The client echoes `echoes` (and answers `pongs`); the server then closes with 1000. */
  | 'echo'
  /** The client must fail the connection: nothing of the case's messages comes back, the connection ends. */
  | 'fail'
  /** The server starts the closing handshake with the frames sent; the client answers it. */
  | 'server-closes'
  /** The handshake answer is wrong: the client must not open the connection. */
  | 'refused';

export interface ClientCase {
  name: string;
  answer: HandshakeAnswer;
  kind: CaseKind;
  /** Sent in one write once the connection is open. */
  frames: Array<FrameSpec | Buffer>;
  /** The messages an echoing client sends back, in order. */
  echoes: EchoedMessage[];
  /** The pong payloads the client must send, in order. */
  pongs: Buffer[];
  /** Data that must never reach the client's application or come back (a failing case's messages). */
  forbidden: string[];
  /** The close code a failing client should send (RFC 6455 §7.4.1). */
  failCode?: number;
  /** A close code the server sent that the client must not send back (it may not be sent at all). */
  unsendableCode?: number;
  /** The client runs twice, each on a connection of its own (the handshake key must be fresh). */
  connections?: 2;
  /** After the closing handshake the server keeps TCP open this long, to see whether the client closes it first. */
  lingerMs?: number;
  /** How long the client has to echo everything (large messages need more). */
  echoMs?: number;
}

/** What a failing case sends after its bad frame: a client that read on would echo it. */
export const AFTER_BAD_FRAME = 'pushspec: after the bad frame';

const text = (payload: string | Buffer, more: Partial<FrameSpec> = {}): FrameSpec => ({ opcode: OPCODE.text, payload, ...more });
const binary = (payload: Buffer, more: Partial<FrameSpec> = {}): FrameSpec => ({ opcode: OPCODE.binary, payload, ...more });
const t = (s: string | Buffer): EchoedMessage => ({ type: 'text', data: Buffer.from(s) });
const b = (data: Buffer): EchoedMessage => ({ type: 'binary', data });

function echo(name: string, frames: ClientCase['frames'], echoes: EchoedMessage[], more: Partial<ClientCase> = {}): ClientCase {
  return { name, answer: 'accept', kind: 'echo', frames, echoes, pongs: [], forbidden: [], ...more };
}

/** A bad frame (or frames), then a valid text message the failed client must not echo. */
function fail(name: string, frames: ClientCase['frames'], forbidden: string[], failCode = 1002): ClientCase {
  return { name, answer: 'accept', kind: 'fail', frames: [...frames, text(AFTER_BAD_FRAME)], echoes: [], pongs: [], forbidden: [...forbidden, AFTER_BAD_FRAME], failCode };
}

function refused(name: string, answer: HandshakeAnswer): ClientCase {
  return { name, answer, kind: 'refused', frames: [], echoes: [], pongs: [], forbidden: [] };
}

const HELLO = 'Hello, world!';
/** Ten messages, each on a frame of its own, so the client's echo carries ten masking keys. */
const TEN = Array.from({ length: 10 }, (_, i) => `message ${i + 1}`);
const FIFTY = Array.from({ length: 50 }, (_, i) => `in order ${i + 1}`);
const BYTES_125 = randomBytes(125);
const BYTES_126 = randomBytes(126);
const BYTES_64K = randomBytes(65535);
const BYTES_64K_1 = randomBytes(65536);
const MIB = Buffer.alloc(1024 * 1024, 'pushspec! ');

const CASES: ClientCase[] = [
  echo('a text message', [text(HELLO)], [t(HELLO)]),
  echo('two connections', [text(HELLO)], [t(HELLO)], { connections: 2 }),
  echo('ten text messages', TEN.map((m) => text(m)), TEN.map(t)),
  echo('fifty text messages', FIFTY.map((m) => text(m)), FIFTY.map(t)),
  // Autobahn 1.1.1, 1.2.2, 1.2.3, 1.2.4, 1.2.5: lengths at the 7-bit and 16-bit edges.
  echo('an empty text message', [text('')], [t('')]),
  echo('a 125-byte binary message', [binary(BYTES_125)], [b(BYTES_125)]),
  echo('a 126-byte binary message', [binary(BYTES_126)], [b(BYTES_126)]),
  echo('a 65535-byte binary message', [binary(BYTES_64K)], [b(BYTES_64K)]),
  // Autobahn 1.2.6 and 9.1.x: 64-bit lengths.
  echo('a 65536-byte binary message', [binary(BYTES_64K_1)], [b(BYTES_64K_1)]),
  echo('a 1 MiB text message', [text(MIB)], [t(MIB)], { echoMs: 15_000 }),
  // Autobahn 5.3, 5.6 (binary), 6.2.3-like (a character cut between fragments).
  echo('a text message in three fragments', [text('Hello', { fin: false }), { opcode: OPCODE.continuation, payload: ', ', fin: false }, { opcode: OPCODE.continuation, payload: 'world!' }], [t(HELLO)]),
  echo('a binary message in two fragments', [binary(Buffer.from([0, 1, 2]), { fin: false }), { opcode: OPCODE.continuation, payload: Buffer.from([3, 4, 255]) }], [b(Buffer.from([0, 1, 2, 3, 4, 255]))]),
  echo('a text message cut inside a character', [text(Buffer.from([0xce, 0xba, 0xe1]), { fin: false }), { opcode: OPCODE.continuation, payload: Buffer.from([0xbd, 0xb9]) }], [t(Buffer.from([0xce, 0xba, 0xe1, 0xbd, 0xb9]))]),
  // Autobahn 5.6, 5.7: a ping between fragments.
  echo('a ping between the fragments of a text message', [text('Hello, ', { fin: false }), { opcode: OPCODE.ping, payload: 'ping!' }, { opcode: OPCODE.continuation, payload: 'world!' }], [t(HELLO)], { pongs: [Buffer.from('ping!')] }),
  echo('a pong between the fragments of a text message', [text('Hello, ', { fin: false }), { opcode: OPCODE.pong, payload: 'unsolicited' }, { opcode: OPCODE.continuation, payload: 'world!' }], [t(HELLO)]),
  // Autobahn 2.1-2.4.
  echo('an empty ping', [{ opcode: OPCODE.ping }, text(HELLO)], [t(HELLO)], { pongs: [Buffer.alloc(0)] }),
  echo('a ping with a text payload', [{ opcode: OPCODE.ping, payload: 'Hello, ping!' }, text(HELLO)], [t(HELLO)], { pongs: [Buffer.from('Hello, ping!')] }),
  echo('a ping with a 125-byte binary payload', [{ opcode: OPCODE.ping, payload: BYTES_125 }, text(HELLO)], [t(HELLO)], { pongs: [BYTES_125] }),
  // Autobahn 2.7, 2.8.
  echo('an unsolicited pong, then a message', [{ opcode: OPCODE.pong, payload: 'unsolicited' }, text(HELLO)], [t(HELLO)]),
  // Autobahn 3.x.
  fail('a text frame with RSV1', [text('reserved bit 1', { rsv: 4 })], ['reserved bit 1']),
  fail('a text frame with RSV2', [text('reserved bit 2', { rsv: 2 })], ['reserved bit 2']),
  fail('a binary frame with RSV3', [binary(Buffer.from('reserved bit 3'), { rsv: 1 })], ['reserved bit 3']),
  // Autobahn 4.1.x, 4.2.x.
  fail('a frame with reserved opcode 3', [{ opcode: 3, payload: 'reserved opcode 3' }], ['reserved opcode 3']),
  fail('a frame with reserved opcode 7', [{ opcode: 7, payload: 'reserved opcode 7' }], ['reserved opcode 7']),
  fail('a frame with reserved opcode 11', [{ opcode: 11, payload: 'reserved opcode 11' }], ['reserved opcode 11']),
  fail('a frame with reserved opcode 15', [{ opcode: 15, payload: 'reserved opcode 15' }], ['reserved opcode 15']),
  // RFC 6455 §5.1: a masked server frame.
  fail('a masked text frame', [text('masked by the server', { mask: true })], ['masked by the server']),
  // Autobahn 2.5, 5.1, 5.2.
  fail('a ping with 126 payload bytes', [{ opcode: OPCODE.ping, payload: Buffer.alloc(126, 'p') }], []),
  fail('a fragmented ping', [{ opcode: OPCODE.ping, payload: 'frag', fin: false }, { opcode: OPCODE.continuation, payload: 'ment' }], []),
  // Autobahn 5.9-5.18.
  fail('a continuation with nothing to continue', [{ opcode: OPCODE.continuation, payload: 'orphan' }], ['orphan']),
  fail('a new text message inside a fragmented one', [text('first ', { fin: false }), text('second')], ['first ', 'second', 'first second']),
  // Autobahn 6.3.1, 6.6.x, 6.8.x (overlong), 6.12/6.13-like (a lone surrogate).
  fail('a text message that is not UTF-8', [text(Buffer.from([0xce, 0xba, 0xe1, 0xbd, 0xb9, 0xcf, 0x83, 0xce, 0xbc, 0xce, 0xb5, 0xed, 0xa0, 0x80, 0x65, 0x64, 0x69, 0x74, 0x65, 0x64]))], ['κόσμε'], 1007),
  fail('an overlong encoding of a slash', [text(Buffer.from([0xc0, 0xaf]))], [], 1007),
  fail('a fragmented text message ending inside a character', [text('good', { fin: false }), { opcode: OPCODE.continuation, payload: Buffer.from([0xe2, 0x82]) }], ['good'], 1007),
  // Autobahn 7.3.2, 7.9.x: close payloads the client must refuse.
  fail('a close frame with a 1-byte payload', [{ opcode: OPCODE.close, payload: Buffer.from([0x03]) }], []),
  ...[0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999].map((code) => ({ ...fail(`a close frame with code ${code}`, [{ opcode: OPCODE.close, payload: closePayload(code) }], []), unsendableCode: code })),
  fail('a close frame with a reason that is not UTF-8', [{ opcode: OPCODE.close, payload: Buffer.concat([closePayload(1000), Buffer.from([0xce, 0xba, 0xe1, 0xbd, 0xb9, 0xcf, 0x83, 0xed, 0xa0, 0x80])]) }], []),
  // Autobahn 7.3.1, 7.3.3, 7.7.x: the server starts the closing handshake.
  ...[1000, 1001, 3000, 4999].map((code): ClientCase => ({ name: `a close frame with code ${code} and a reason`, answer: 'accept', kind: 'server-closes', frames: [{ opcode: OPCODE.close, payload: closePayload(code, 'bye') }], echoes: [], pongs: [], forbidden: [] })),
  { name: 'an empty close frame', answer: 'accept', kind: 'server-closes', frames: [{ opcode: OPCODE.close }], echoes: [], pongs: [], forbidden: [] },
  { name: 'a close frame, then TCP held open', answer: 'accept', kind: 'server-closes', frames: [{ opcode: OPCODE.close, payload: closePayload(1000) }], echoes: [], pongs: [], forbidden: [], lingerMs: 1000 },
  refused('a wrong Sec-WebSocket-Accept', 'wrong-accept'),
  refused('no Upgrade header', 'no-upgrade'),
  refused('Upgrade: h2c', 'wrong-upgrade'),
  refused('no Connection header', 'no-connection'),
  refused('Connection: keep-alive', 'wrong-connection'),
  refused('status 200', 'status-200'),
  refused('status 403', 'status-403'),
];

/** The case of this name. */
export function clientCase(name: string): ClientCase {
  const found = CASES.find((c) => c.name === name);
  if (found === undefined) throw new Error(`no WebSocket client case "${name}" (known: ${CASES.map((c) => c.name).join('; ')})`);
  return found;
}

/** Every case's name, for tests. */
export const CLIENT_CASE_NAMES: readonly string[] = CASES.map((c) => c.name);

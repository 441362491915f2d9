/**
 * pushspec's own permessage-deflate rows (RFC 7692), which Autobahn lacks: the
 * negotiation (each parameter offered, the answer checked against the offer),
 * offers a server MUST decline, RSV1 where §6 forbids it, a compressed message
 * that does not inflate, a message that inflates past the declared maximum,
 * and context takeover as the answer agreed it. Ids start `P12`.
 */
import { deflateRawSync, constants } from 'node:zlib';
import { OPCODE } from '../frame.ts';
import type { DeflateOffer } from '../deflate/negotiation.ts';
import { deflateOf, RSV1, sendMaybeCompressed } from '../deflate/session.ts';
import { caseList, CLEAN_CLOSE, echoOf, serverFails } from './build.ts';
import type { AutobahnCase } from './model.ts';

const HELLO = Buffer.from('Hello, compressed world! Hello, compressed world! Hello again.');

/** An offer accepted or declined, then a compressed (or, when declined, plain) text message echoed. */
function negotiate(id: string, params: string[][], words: string, requirement = 'WS-DEFLATE-NEGOTIATE', mustDecline = false): AutobahnCase {
  const offer: DeflateOffer = mustDecline ? { offers: params, mustDecline } : { offers: params };
  return {
    id,
    requirement,
    sends: `an offer ${words}, then a text message`,
    script: async (conn) => void (await sendMaybeCompressed(conn, 'text', HELLO)),
    expected: { ok: [[echoOf('text', HELLO)]] },
    close: CLEAN_CLOSE,
    ending: { kind: 'close', afterMs: 1000 },
    deflate: offer,
  };
}

const PLAIN: DeflateOffer = { offers: [[]] };

/** A frame the server must fail the connection for, with the plain offer made. */
function protocolError(id: string, sends: string, codes: number[], script: AutobahnCase['script'], requirement = 'WS-DEFLATE-PROTOCOL-ERRORS'): AutobahnCase {
  // Declined, RSV1 means nothing and must fail the connection with 1002 all the same (RFC 6455 §5.2), except for the bomb, which needs the extension.
  const deflate = requirement === 'WS-DEFLATE-LIMIT' ? { ...PLAIN, onlyIfAccepted: true } : PLAIN;
  return { id, requirement, sends, script, expected: { ok: [[]] }, close: serverFails(codes), ending: { kind: 'await', afterMs: 2000 }, deflate };
}

/** The inflated size of the bomb: pushspec's read cap, above any maximum message a server is likely to declare. */
export const BOMB_BYTES = 64 * 1024 * 1024;
let bomb: Buffer | undefined;
/** 64 MiB of one letter, deflated to about 64 KiB (without the tail a sync flush ends with). */
function bombPayload(): Buffer {
  bomb ??= deflateRawSync(Buffer.alloc(BOMB_BYTES, 0x61), { finishFlush: constants.Z_SYNC_FLUSH, level: 9 });
  return bomb.subarray(0, bomb.length - 4);
}

/** Over 1 KiB, so a server that sends small messages uncompressed (ws's default threshold) compresses it. */
const REPEATED = Buffer.from('permessage-deflate keeps a window of what it sent; '.repeat(30));

export const DEFLATE_OWN_CASES: AutobahnCase[] = caseList([
  negotiate('P12.1.1', [[]], 'of permessage-deflate without parameters'),
  negotiate('P12.1.2', [['server_no_context_takeover']], 'asking for server_no_context_takeover'),
  negotiate('P12.1.3', [['client_no_context_takeover']], 'with client_no_context_takeover'),
  negotiate('P12.1.4', [['server_max_window_bits=10']], 'asking for server_max_window_bits=10'),
  negotiate('P12.1.5', [['server_max_window_bits=8']], 'asking for server_max_window_bits=8'),
  negotiate('P12.1.6', [['client_max_window_bits']], 'with client_max_window_bits (no value)'),
  negotiate('P12.1.7', [['client_max_window_bits=9']], 'with client_max_window_bits=9'),
  negotiate('P12.1.8', [['server_max_window_bits="10"']], 'asking for server_max_window_bits="10" (a quoted value)'),
  negotiate('P12.1.9', [['x_unknown_parameter'], []], 'whose first element has an unknown parameter and whose second has none'),
  negotiate('P12.1.10', [['server_no_context_takeover', 'client_no_context_takeover', 'server_max_window_bits=12', 'client_max_window_bits=12']], 'with all four parameters'),
  negotiate('P12.2.1', [['x_unknown_parameter']], 'with an unknown parameter', 'WS-DEFLATE-DECLINE', true),
  negotiate('P12.2.2', [['server_no_context_takeover', 'server_no_context_takeover']], 'with server_no_context_takeover twice', 'WS-DEFLATE-DECLINE', true),
  negotiate('P12.2.3', [['client_max_window_bits=10', 'client_max_window_bits=11']], 'with client_max_window_bits twice', 'WS-DEFLATE-DECLINE', true),
  negotiate('P12.2.4', [['server_max_window_bits=7']], 'with server_max_window_bits=7 (below 8)', 'WS-DEFLATE-DECLINE', true),
  negotiate('P12.2.5', [['server_max_window_bits=16']], 'with server_max_window_bits=16 (above 15)', 'WS-DEFLATE-DECLINE', true),
  negotiate('P12.2.6', [['server_max_window_bits']], 'with server_max_window_bits without a value', 'WS-DEFLATE-DECLINE', true),
  negotiate('P12.2.7', [['server_max_window_bits=010']], 'with server_max_window_bits=010 (a leading zero)', 'WS-DEFLATE-DECLINE', true),
  negotiate('P12.2.8', [['client_max_window_bits=big']], 'with client_max_window_bits=big', 'WS-DEFLATE-DECLINE', true),
  negotiate('P12.2.9', [['server_no_context_takeover=1']], 'with server_no_context_takeover=1 (a value where none is allowed)', 'WS-DEFLATE-DECLINE', true),
  protocolError('P12.3.1', 'a ping with RSV1 set', [1002], async (conn) => void (await conn.send({ opcode: OPCODE.ping, payload: 'ping', rsv: RSV1 }))),
  protocolError('P12.3.2', 'an unsolicited pong with RSV1 set', [1002], async (conn) => void (await conn.send({ opcode: OPCODE.pong, payload: 'pong', rsv: RSV1 }))),
  protocolError('P12.3.3', 'a compressed text message in 2 fragments, RSV1 set on the continuation too', [1002], async (conn) => {
    const payload = deflateOf(conn)?.compress(HELLO) ?? HELLO;
    const half = Math.floor(payload.length / 2);
    await conn.send([
      { opcode: OPCODE.text, payload: payload.subarray(0, half), fin: false, rsv: RSV1 },
      { opcode: OPCODE.continuation, payload: payload.subarray(half), fin: true, rsv: RSV1 },
    ]);
  }),
  protocolError('P12.3.4', 'a text message with RSV1 set whose payload does not inflate', [1002, 1007], async (conn) => void (await conn.send({ opcode: OPCODE.text, payload: Buffer.from([0xff, 0xff, 0xff, 0xff, 0x00]), rsv: RSV1 }))),
  protocolError('P12.4.1', `a compressed text message of ${BOMB_BYTES / 1048576} MiB of one letter (about 64 KiB on the wire)`, [1009], async (conn) => void (await conn.send({ opcode: OPCODE.text, payload: bombPayload(), rsv: RSV1 })), 'WS-DEFLATE-LIMIT'),
  {
    id: 'P12.5.1',
    requirement: 'WS-DEFLATE-CONTEXT',
    sends: 'an offer asking for server_no_context_takeover, then the same compressed text message twice',
    // The client inflates each echo with an empty window, as the agreed parameters say: an echo that reaches back into the one before does not inflate.
    script: async (conn) => {
      await sendMaybeCompressed(conn, 'text', REPEATED);
      await conn.eventsAtLeast(1, 5000);
      await sendMaybeCompressed(conn, 'text', REPEATED);
    },
    expected: { ok: [[echoOf('text', REPEATED), echoOf('text', REPEATED)]] },
    close: CLEAN_CLOSE,
    ending: { kind: 'close', afterMs: 1000 },
    deflate: { offers: [['server_no_context_takeover']], onlyIfAccepted: true },
  },
  {
    id: 'P12.5.2',
    requirement: 'WS-DEFLATE-CONTEXT',
    sends: 'the same compressed text message three times, each compressed against the ones before',
    // Without client_no_context_takeover agreed, the server keeps its inflater's window: the second and third messages reach back into the first.
    script: async (conn) => {
      for (let i = 1; i <= 3; i++) {
        await sendMaybeCompressed(conn, 'text', REPEATED);
        await conn.eventsAtLeast(i, 5000);
      }
    },
    expected: { ok: [[echoOf('text', REPEATED), echoOf('text', REPEATED), echoOf('text', REPEATED)]] },
    close: CLEAN_CLOSE,
    ending: { kind: 'close', afterMs: 1000 },
    deflate: { ...PLAIN, onlyIfAccepted: true },
  },
  {
    id: 'P12.6.1',
    requirement: 'WS-DEFLATE-ECHO',
    sends: 'an uncompressed text message (RSV1 clear) on a connection that agreed permessage-deflate',
    script: async (conn) => void (await conn.sendMessage('text', HELLO)),
    expected: { ok: [[echoOf('text', HELLO)]] },
    close: CLEAN_CLOSE,
    ending: { kind: 'close', afterMs: 1000 },
    deflate: { ...PLAIN, onlyIfAccepted: true },
  },
]);

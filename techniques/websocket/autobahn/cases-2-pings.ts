/**
 * Autobahn 2.x (pings and pongs): pings of every allowed size answered by a
 * pong with the same payload, one too large (126 bytes) failing the
 * connection, unsolicited pongs ignored, ten pings in a row answered by ten
 * pongs. Definitions after Autobahn's case2_*.py; P2.1 is pushspec's own.
 */
import { OPCODE, type FrameSpec } from '../frame.ts';
import { OCTET_WISE, TOGETHER, type WriteSplit } from '../write-split.ts';
import { caseList, CLEAN_CLOSE, echoOf, pongOf, serverFails } from './build.ts';
import type { AutobahnCase } from './model.ts';

/** Autobahn 2.3's binary (non-UTF-8) ping payload. */
const BINARY_PAYLOAD = Buffer.from([0x00, 0xff, 0xfe, 0xfd, 0xfc, 0xfb, 0x00, 0xff]);
const UNSOLICITED = 'unsolicited pong payload';

/** A ping answered by a pong with its payload; the client closes after `afterMs` (Autobahn `closeAfter`). */
function pingCase(id: string, sends: string, payload: Buffer, split: WriteSplit = TOGETHER, afterMs = 1000): AutobahnCase {
  return {
    id,
    requirement: 'WS-PING-PONG',
    sends,
    script: async (conn) => void (await conn.ping(payload, split)),
    expected: { ok: [[pongOf(payload)]] },
    close: CLEAN_CLOSE,
    ending: { kind: 'close', afterMs },
  };
}

/** An unsolicited pong, then the client's close at once: nothing may come back (Autobahn 2.7, 2.8). */
function unsolicitedThenClose(id: string, sends: string, payload: Buffer): AutobahnCase {
  return {
    id,
    requirement: 'WS-UNSOLICITED-PONG',
    sends,
    script: async (conn) => {
      await conn.send([{ opcode: OPCODE.pong, payload }]);
      conn.ws.close(1000);
    },
    expected: { ok: [[]] },
    close: CLEAN_CLOSE,
    ending: { kind: 'close', afterMs: 1000 },
  };
}

/** Autobahn 2.10/2.11: ten pings `payload-0` … `payload-9`, each answered by its own pong, in order. */
function tenPings(id: string, sends: string, split: WriteSplit): AutobahnCase {
  const payloads = Array.from({ length: 10 }, (_, i) => Buffer.from(`payload-${i}`));
  const frames: FrameSpec[] = payloads.map((payload) => ({ opcode: OPCODE.ping, payload }));
  return {
    id,
    requirement: 'WS-PING-EACH',
    sends,
    script: async (conn) => void (await conn.send(frames, split)),
    expected: { ok: [payloads.map((p) => pongOf(p))] },
    close: CLEAN_CLOSE,
    ending: { kind: 'close', afterMs: 3000 },
  };
}

export const PING_CASES: AutobahnCase[] = caseList([
  pingCase('2.1', 'a ping with no payload', Buffer.alloc(0)),
  pingCase('2.2', 'a ping with 13 bytes of text payload', Buffer.from('Hello, world!')),
  pingCase('2.3', 'a ping with 8 bytes of binary payload', BINARY_PAYLOAD),
  pingCase('2.4', 'a ping with 125 bytes of payload', Buffer.alloc(125, 0xfe)),
  {
    id: '2.5',
    requirement: 'WS-CONTROL-ERRORS',
    sends: 'a ping with 126 bytes of payload',
    script: async (conn) => void (await conn.ping(Buffer.alloc(126, 0xfe))),
    expected: { ok: [[]] },
    close: serverFails([1002]),
    ending: { kind: 'await', afterMs: 1000 },
  },
  pingCase('2.6', 'a ping with 125 bytes of payload, octet-wise', Buffer.alloc(125, 0xfe), OCTET_WISE, 2000),
  unsolicitedThenClose('2.7', 'an unsolicited pong with no payload, then a close', Buffer.alloc(0)),
  unsolicitedThenClose('2.8', 'an unsolicited pong with 24 bytes of payload, then a close', Buffer.from(UNSOLICITED)),
  {
    id: '2.9',
    requirement: 'WS-UNSOLICITED-PONG',
    sends: 'an unsolicited pong, then a ping',
    script: async (conn) => void (await conn.send([{ opcode: OPCODE.pong, payload: UNSOLICITED }, { opcode: OPCODE.ping, payload: 'ping payload' }])),
    expected: { ok: [[pongOf('ping payload')]] },
    close: CLEAN_CLOSE,
    ending: { kind: 'close', afterMs: 1000 },
  },
  tenPings('2.10', '10 pings with payloads', TOGETHER),
  tenPings('2.11', '10 pings with payloads, octet-wise', OCTET_WISE),
  {
    // pushspec's own (kept from its earlier scenario): the pong is ignored and a data message still echoes.
    id: 'P2.1',
    requirement: 'WS-UNSOLICITED-PONG',
    sends: 'an unsolicited pong, then a text message',
    script: async (conn) => void (await conn.send([{ opcode: OPCODE.pong, payload: UNSOLICITED }, { opcode: OPCODE.text, payload: 'after the pong' }])),
    expected: { ok: [[echoOf('text', 'after the pong')]] },
    close: CLEAN_CLOSE,
    ending: { kind: 'close', afterMs: 1000 },
  },
]);

/**
 * Autobahn 3.x (reserved bits) and 4.x (reserved opcodes): a frame with an
 * RSV bit no extension defines, or with a reserved opcode, fails the
 * connection. In 3.2–3.4, 4.1.3–4.1.5 and 4.2.3–4.2.5 a valid text message
 * goes first and should come back before the failure; a server that fails
 * before echoing it is NON-STRICT (reported under WS-ECHO-BEFORE-FAIL, a MAY).
 * Definitions after Autobahn's case3_*.py and case4_*.py.
 */
import { OPCODE, type FrameSpec } from '../frame.ts';
import { FRAME_WISE, OCTET_WISE, TOGETHER, type WriteSplit } from '../write-split.ts';
import { caseList, echoOf, serverFails } from './build.ts';
import type { AutobahnCase } from './model.ts';

const HELLO = 'Hello, world!';
const BINARY_PAYLOAD = Buffer.from([0x00, 0xff, 0xfe, 0xfd, 0xfc, 0xfb, 0x00, 0xff]);
const RESERVED_PAYLOAD = 'reserved opcode payload';
/** The requirement a server that failed before echoing the valid message first is reported under. */
export const ECHO_BEFORE_FAIL = 'WS-ECHO-BEFORE-FAIL';

/** One bad frame alone: nothing comes back, the server fails the connection (Autobahn `killAfter(1)`). */
function badAlone(id: string, requirement: string, sends: string, frame: FrameSpec): AutobahnCase {
  return {
    id,
    requirement,
    sends,
    script: async (conn) => void (await conn.send(frame)),
    expected: { ok: [[]] },
    close: serverFails([1002]),
    ending: { kind: 'await', afterMs: 1000 },
  };
}

/** A valid text message, the bad frame, then a ping (which must go unanswered), written as `split` says. */
function badAfterEcho(id: string, requirement: string, sends: string, bad: FrameSpec, split: WriteSplit): AutobahnCase {
  return {
    id,
    requirement,
    sends,
    script: async (conn) => void (await conn.send([{ opcode: OPCODE.text, payload: HELLO }, bad, { opcode: OPCODE.ping }], split)),
    expected: { ok: [[echoOf('text', HELLO)]], nonStrict: [[]] },
    nonStrictPart: ECHO_BEFORE_FAIL,
    close: serverFails([1002]),
    ending: { kind: 'await', afterMs: 1000 },
  };
}

const RSV = 'WS-RESERVED-BITS';
const OPC = 'WS-RESERVED-OPCODES';

export const RESERVED_CASES: AutobahnCase[] = caseList([
  badAlone('3.1', RSV, 'a text frame with RSV 1', { opcode: OPCODE.text, payload: HELLO, rsv: 1 }),
  badAfterEcho('3.2', RSV, 'a text message, a text frame with RSV 2, then a ping', { opcode: OPCODE.text, payload: HELLO, rsv: 2 }, TOGETHER),
  badAfterEcho('3.3', RSV, 'a text message, a text frame with RSV 3, then a ping, one write per frame', { opcode: OPCODE.text, payload: HELLO, rsv: 3 }, FRAME_WISE),
  badAfterEcho('3.4', RSV, 'a text message, a text frame with RSV 4, then a ping, octet-wise', { opcode: OPCODE.text, payload: HELLO, rsv: 4 }, OCTET_WISE),
  badAlone('3.5', RSV, 'a binary frame with RSV 5', { opcode: OPCODE.binary, payload: BINARY_PAYLOAD, rsv: 5 }),
  // Autobahn's description says "Send Ping with RSV = 6"; its code sends a binary frame, and so does pushspec.
  badAlone('3.6', RSV, 'a binary frame with RSV 6', { opcode: OPCODE.binary, payload: HELLO, rsv: 6 }),
  badAlone('3.7', RSV, 'a close frame, with RSV 7', { opcode: OPCODE.close, rsv: 7 }),
  badAlone('4.1.1', OPC, 'a frame with reserved opcode 3', { opcode: 3 }),
  badAlone('4.1.2', OPC, 'a frame with reserved opcode 4 and a payload', { opcode: 4, payload: RESERVED_PAYLOAD }),
  badAfterEcho('4.1.3', OPC, 'a text message, a frame with reserved opcode 5, then a ping', { opcode: 5 }, TOGETHER),
  badAfterEcho('4.1.4', OPC, 'a text message, a frame with reserved opcode 6 and a payload, then a ping', { opcode: 6, payload: HELLO }, TOGETHER),
  badAfterEcho('4.1.5', OPC, 'a text message, a frame with reserved opcode 7 and a payload, then a ping, octet-wise', { opcode: 7, payload: HELLO }, OCTET_WISE),
  badAlone('4.2.1', OPC, 'a frame with reserved opcode 11', { opcode: 11 }),
  badAlone('4.2.2', OPC, 'a frame with reserved opcode 12 and a payload', { opcode: 12, payload: RESERVED_PAYLOAD }),
  badAfterEcho('4.2.3', OPC, 'a text message, a frame with reserved opcode 13, then a ping', { opcode: 13 }, TOGETHER),
  badAfterEcho('4.2.4', OPC, 'a text message, a frame with reserved opcode 14 and a payload, then a ping', { opcode: 14, payload: HELLO }, TOGETHER),
  badAfterEcho('4.2.5', OPC, 'a text message, a frame with reserved opcode 15 and a payload, then a ping, octet-wise', { opcode: 15, payload: HELLO }, OCTET_WISE),
]);

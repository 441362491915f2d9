/**
 * Autobahn 1.x (framing): text and binary messages at every length encoding
 * boundary, echoed; 1.x.8 in 997-byte writes. Definitions after Autobahn's
 * case1_1_*.py and case1_2_*.py.
 */
import { OPCODE } from '../frame.ts';
import { chops } from '../write-split.ts';
import { caseList, CLEAN_CLOSE, echoOf } from './build.ts';
import type { AutobahnCase } from './model.ts';

const LENGTHS = [0, 125, 126, 127, 128, 65535, 65536];

function echo(id: string, type: 'text' | 'binary', length: number, chopped: boolean): AutobahnCase {
  const data = Buffer.alloc(length, type === 'text' ? 0x2a : 0xfe);
  return {
    id,
    requirement: type === 'text' ? 'WS-ECHO-TEXT' : 'WS-ECHO-BINARY',
    sends: `a ${type} message of ${length} bytes${chopped ? ' in 997-byte writes' : ''}`,
    script: async (conn) => void (await conn.send({ opcode: type === 'text' ? OPCODE.text : OPCODE.binary, payload: data }, chopped ? chops(997) : undefined)),
    expected: { ok: [[echoOf(type, data)]] },
    close: CLEAN_CLOSE,
    ending: { kind: 'close', afterMs: chopped ? 10_000 : 1000 },
  };
}

export const FRAMING_CASES: AutobahnCase[] = caseList([
  ...LENGTHS.map((length, i) => echo(`1.1.${i + 1}`, 'text', length, false)),
  echo('1.1.8', 'text', 65536, true),
  ...LENGTHS.map((length, i) => echo(`1.2.${i + 1}`, 'binary', length, false)),
  echo('1.2.8', 'binary', 65536, true),
]);

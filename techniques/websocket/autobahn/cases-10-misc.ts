/**
 * Autobahn 10.1.1: a 64 KiB text message the client fragments itself into
 * 1300-byte frames (1 text frame and 50 continuations), echoed whole.
 * Autobahn also compares the client's own count of frames sent with what it
 * expected; pushspec's unit test checks the frames the case writes instead.
 */
import { caseList, CLEAN_CLOSE, echoOf } from './build.ts';
import type { AutobahnCase } from './model.ts';

const PAYLOAD = Buffer.alloc(65_536, 0x2a);

export const MISC_CASES: AutobahnCase[] = caseList([
  {
    id: '10.1.1',
    requirement: 'WS-FRAGMENTS',
    sends: 'a text message of 65536 bytes in 1300-byte fragments',
    script: async (conn) => void (await conn.sendMessage('text', PAYLOAD, { fragmentSize: 1300 })),
    expected: { ok: [[echoOf('text', PAYLOAD)]] },
    close: CLEAN_CLOSE,
    ending: { kind: 'close', afterMs: 10_000 },
  },
]);

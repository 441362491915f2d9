/**
 * Autobahn 7.x (close handling): data after a close (7.1), close payloads of
 * every length (7.3), a reason that is not UTF-8 (7.5.1), every valid close
 * code (7.7) and invalid ones (7.9), codes beyond 4999 (7.13), plus pushspec's
 * own P7.9.10 (code 1015, which §7.4.1 says must never be sent). Definitions
 * after Autobahn's case7_*.py. In every case the client sends the first close
 * frame, so the server's part is the answer: Autobahn fails a case whose answer
 * carries a code outside its list (WRONG CODE is fatal in 7.x).
 */
import { closePayload, OPCODE } from '../frame.ts';
import { caseList, echoOf, repeated } from './build.ts';
import type { CaseConnection } from './connection.ts';
import type { AutobahnCase } from './model.ts';

const close = (code?: number, reason?: string | Buffer) => ({ opcode: OPCODE.close, payload: closePayload(code, reason) });

/** The client closes first; the server answers with one of `codes` (or, if not `clean`, may drop TCP). */
function closing(id: string, requirement: string, sends: string, codes: number[], clean: boolean, script: (conn: CaseConnection) => Promise<unknown>, extra: Partial<AutobahnCase> = {}): AutobahnCase {
  return {
    id,
    requirement,
    sends,
    script: async (conn) => void (await script(conn)),
    expected: { ok: [[]] },
    close: { closedByClient: true, codes, requireClean: clean, wrongCodeIsFatal: true },
    // Autobahn's killAfter(1): the script closed; the server must answer and end TCP.
    ending: { kind: 'await', afterMs: 1000 },
    ...extra,
  };
}

const HELLO = 'Hello World!';
/** 7.5.1: κόσμε, a UTF-16 surrogate, "edited": not UTF-8. */
const BAD_REASON = Buffer.from('cebae1bdb9cf83cebcceb5eda080656469746564', 'hex');
/** 7.7: every code an endpoint may send, answered with 1000 or the same code. */
const VALID_CODES = [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999];
/** 7.9: codes no endpoint may send, answered with 1002 or a dropped TCP connection. */
const INVALID_CODES = [0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999];

export const CLOSING_CASES: AutobahnCase[] = caseList([
  {
    // Autobahn 7.1.1 is no suppressClose case: the client closes once the echo came.
    ...closing('7.1.1', 'WS-CLOSE-ECHO', 'a text message, then a close frame once it is echoed', [1000], true, (conn) => conn.sendMessage('text', HELLO)),
    expected: { ok: [[echoOf('text', HELLO)]] },
    ending: { kind: 'close', afterMs: 1000 },
  },
  closing('7.1.2', 'WS-AFTER-CLOSE', 'a close frame (1000), then a second close frame', [1000], true, (conn) => conn.send([close(1000), close()])),
  closing('7.1.3', 'WS-AFTER-CLOSE', 'a close frame (1000), then a ping', [1000], true, (conn) => conn.send([close(1000), { opcode: OPCODE.ping }])),
  closing('7.1.4', 'WS-AFTER-CLOSE', 'a close frame (1000), then a text message', [1000], true, (conn) => conn.send([close(1000), { opcode: OPCODE.text, payload: HELLO }])),
  closing('7.1.5', 'WS-AFTER-CLOSE', 'a first text fragment, a close frame (1000), then the last fragment', [1000], true, (conn) =>
    conn.send([{ opcode: OPCODE.text, payload: 'fragment1', fin: false }, close(1000), { opcode: OPCODE.continuation, payload: 'fragment2', fin: true }]),
  ),
  closing(
    '7.1.6',
    'WS-CLOSE-AFTER-MESSAGE',
    'a 256 KiB text message, a text message, a close frame (1000) and a ping, back to back',
    [1000],
    true,
    (conn) => conn.send([{ opcode: OPCODE.text, payload: repeated('BAsd7&jh23', 256 * 1024) }, { opcode: OPCODE.text, payload: HELLO }, close(1000), { opcode: OPCODE.ping }]),
    // Autobahn's lists (its OK list omits the large echo; both are overwritten with INFORMATIONAL).
    { expected: { ok: [[echoOf('text', HELLO)]], nonStrict: [[]] }, informational: true },
  ),
  closing('7.3.1', 'WS-CLOSE-ECHO', 'a close frame with an empty payload', [1000], true, (conn) => conn.send(close())),
  closing('7.3.2', 'WS-CLOSE-INVALID', 'a close frame with a payload of one byte', [1002], false, (conn) => conn.send({ opcode: OPCODE.close, payload: 'a' })),
  closing('7.3.3', 'WS-CLOSE-ECHO', 'a close frame with code 1000 and no reason', [1000], true, (conn) => conn.send(close(1000))),
  closing('7.3.4', 'WS-CLOSE-ECHO', 'a close frame with code 1000 and a reason', [1000], true, (conn) => conn.send(close(1000, HELLO))),
  closing('7.3.5', 'WS-CLOSE-ECHO', 'a close frame with code 1000 and a reason of 123 bytes (the most that fits)', [1000], true, (conn) => conn.send(close(1000, '*'.repeat(123)))),
  closing('7.3.6', 'WS-CLOSE-INVALID', 'a close frame with code 1000 and a reason of 124 bytes (a 126-byte control frame)', [1002], false, (conn) => conn.send(close(1000, '*'.repeat(124)))),
  closing('7.5.1', 'WS-CLOSE-REASON-UTF8', 'a close frame with code 1000 and a reason that is not UTF-8', [1002, 1007], false, (conn) => conn.send(close(1000, BAD_REASON))),
  ...VALID_CODES.map((code, i) => closing(`7.7.${i + 1}`, 'WS-CLOSE-ECHO', `a close frame with code ${code}`, code === 1000 ? [1000] : [1000, code], true, (conn) => conn.send(close(code)))),
  ...INVALID_CODES.map((code, i) => closing(`7.9.${i + 1}`, 'WS-CLOSE-INVALID', `a close frame with code ${code}`, [1002], false, (conn) => conn.send(close(code)))),
  closing('P7.9.10', 'WS-CLOSE-INVALID', 'a close frame with code 1015', [1002], false, (conn) => conn.send(close(1015))),
  ...[5000, 65535].map((code, i) =>
    closing(`7.13.${i + 1}`, 'WS-CLOSE-CODE-UNDEFINED', `a close frame with code ${code}`, [1000, code, 1002], false, (conn) => conn.send(close(code)), { informational: true }),
  ),
]);

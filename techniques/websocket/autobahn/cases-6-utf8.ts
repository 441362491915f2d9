/**
 * Autobahn 6.x (UTF-8 handling): empty and valid text in one or many frames
 * (6.1, 6.2), invalid text whole and in 1-octet fragments (6.3), the fail-fast
 * cases with their 1 s pauses (6.4), and every sequence of Markus Kuhn's
 * decoder test as Autobahn lists them (6.5–6.23, utf8-sequences.ts), plus
 * pushspec's own rows P6.2.5–P6.2.6. Definitions after Autobahn's case6_*.py;
 * an invalid case fails when the client has to close the connection
 * (Autobahn's closedByWrongEndpointIsFatal: the server never found the bad bytes).
 */
import { OPCODE } from '../frame.ts';
import { caseList, CLEAN_CLOSE, echoOf, serverFails } from './build.ts';
import type { CaseConnection } from './connection.ts';
import type { AutobahnCase, ExpectedEvent } from './model.ts';
import { UTF8_CLASSES } from './utf8-sequences.ts';

/** Autobahn's 1007 expectation for invalid text: only the server may end the connection. */
const FAILS_1007 = serverFails([1007], { wrongEndpointIsFatal: true });
const FAIL_FAST = 'WS-UTF8-FAIL-FAST';
const bytes = (h: string): Buffer => Buffer.from(h.replace(/\s+/g, ''), 'hex');

/** κόσμε (Autobahn's PAYLOAD1 of 6.3/6.4). */
const KOSME = bytes('ce ba e1 bd b9 cf 83 ce bc ce b5');
/** 6.3: κόσμε, a UTF-16 surrogate (invalid at its 2nd byte, 0xa0), "edited". */
const SURROGATE_TEXT = Buffer.concat([KOSME, bytes('ed a0 80'), Buffer.from('edited')]);
/** 6.4: κόσμε, U+110000 in UTF-8's integer scheme (invalid at 0x90, byte 13), "edited". */
const PART2 = bytes('f4 90 80 80');
const FAST_TEXT = Buffer.concat([KOSME, PART2, Buffer.from('edited')]);
const HELLO = Buffer.from('Hello-µ@ßöäüàá-UTF-8!!');

/** Valid text: echoed, then the client closes (Autobahn `closeAfter`). */
function validText(id: string, sends: string, data: Buffer, script: (conn: CaseConnection) => Promise<unknown>, afterMs = 1000): AutobahnCase {
  return { id, requirement: 'WS-UTF8-VALID', sends, script: async (conn) => void (await script(conn)), expected: { ok: [[echoOf('text', data)]] }, close: CLEAN_CLOSE, ending: { kind: 'close', afterMs } };
}

/** Invalid text: nothing back, the server fails the connection with 1007 (Autobahn `killAfter`). */
function invalidText(id: string, sends: string, script: (conn: CaseConnection) => Promise<unknown>, afterMs = 1000): AutobahnCase {
  return { id, requirement: 'WS-UTF8-INVALID', sends, script: async (conn) => void (await script(conn)), expected: { ok: [[]] }, close: FAILS_1007, ending: { kind: 'await', afterMs } };
}

const text = (payload: Buffer | string, fin = true) => ({ opcode: OPCODE.text, payload, fin });
const more = (payload: Buffer | string, fin: boolean) => ({ opcode: OPCODE.continuation, payload, fin });

/**
 * 6.4: the first part, a 1 s pause (tag A), the part that makes the text
 * invalid, a 1 s pause (tag B), the rest; each only while the connection is
 * open. OK: the server failed during pause B (fail fast); NON-STRICT: only
 * after the whole message, reported under WS-UTF8-FAIL-FAST (a MAY).
 */
function failFast(id: string, sends: string, script: (conn: CaseConnection) => Promise<unknown>): AutobahnCase {
  const a: ExpectedEvent = { kind: 'timeout', tag: 'A' };
  const b: ExpectedEvent = { kind: 'timeout', tag: 'B' };
  return {
    id,
    requirement: 'WS-UTF8-INVALID',
    sends,
    script: async (conn) => void (await script(conn)),
    expected: { ok: [[a]], nonStrict: [[a, b]] },
    nonStrictPart: FAIL_FAST,
    close: FAILS_1007,
    ending: { kind: 'await', afterMs: 1000 },
    timeoutMs: 12_000,
  };
}

/** 6.4.1/6.4.2: three frames, cut after byte `first` and `second` of the payload. */
function inFrames(first: number, second: number) {
  return async (conn: CaseConnection): Promise<void> => {
    await conn.send(text(FAST_TEXT.subarray(0, first), false));
    await conn.pause(1000, 'A');
    if (!conn.open) return;
    await conn.send(more(FAST_TEXT.subarray(first, second), false));
    await conn.pause(1000, 'B');
    if (!conn.open) return;
    await conn.send(more(FAST_TEXT.subarray(second), true));
  };
}

/** 6.4.3/6.4.4: one frame whose payload is written in three parts, cut after byte `first` and `second`. */
function inChops(first: number, second: number) {
  return async (conn: CaseConnection): Promise<void> => {
    await conn.ws.sendFrameInParts(text(FAST_TEXT), [first, second], async (i) => {
      await conn.pause(1000, i === 0 ? 'A' : 'B');
      return conn.open;
    });
  };
}

/** `c0af`, or `808182…8b…, 63 bytes` past 12 bytes. */
function shown(data: Buffer): string {
  return data.length <= 12 ? data.toString('hex') : `${data.subarray(0, 12).toString('hex')}…, ${data.length} bytes`;
}

/** 6.5–6.23: each sequence alone, as one text message; the client closes 0.5 s on (Autobahn `killAfter(0.5)`). */
const SEQUENCE_CASES: AutobahnCase[] = UTF8_CLASSES.flatMap((cls) =>
  cls.sequences.map(({ valid, bytes: data }, i) => {
    const id = `${cls.id}.${i + 1}`;
    const sends = `the text ${shown(data)} (${cls.title.charAt(0).toLowerCase()}${cls.title.slice(1)})`;
    const script = (conn: CaseConnection) => conn.sendMessage('text', data);
    return valid ? validText(id, sends, data, script, 500) : invalidText(id, sends, script, 500);
  }),
);

const FOUR_BYTE = Buffer.from('😀𝄞𠜎');

export const UTF8_CASES: AutobahnCase[] = caseList([
  validText('6.1.1', 'an empty text message', Buffer.alloc(0), (conn) => conn.send(text(''))),
  validText('6.1.2', 'an empty text message in 3 empty fragments', Buffer.alloc(0), (conn) => conn.send([text('', false), more('', false), more('', true)])),
  validText('6.1.3', 'a text message in 3 fragments, only the middle one not empty', Buffer.from('middle frame payload'), (conn) =>
    conn.send([text('', false), more('middle frame payload', false), more('', true)]),
  ),
  validText('6.2.1', 'valid UTF-8 text in one frame', HELLO, (conn) => conn.sendMessage('text', HELLO)),
  validText('6.2.2', 'valid UTF-8 text in 2 fragments cut on a code point boundary', HELLO, (conn) =>
    conn.send([text('Hello-µ@ßöä', false), more('üàá-UTF-8!!', true)]),
  ),
  validText('6.2.3', 'valid UTF-8 text in 1-octet fragments', HELLO, (conn) => conn.sendMessage('text', HELLO, { fragmentSize: 1 })),
  validText('6.2.4', 'valid UTF-8 text of multi-byte characters (κόσμε) in 1-octet fragments', KOSME, (conn) => conn.sendMessage('text', KOSME, { fragmentSize: 1 })),
  validText('P6.2.5', 'valid UTF-8 text with a byte order mark (U+FEFF) inside', Buffer.from('a\uFEFFb'), (conn) => conn.sendMessage('text', 'a\uFEFFb')),
  validText('P6.2.6', 'valid UTF-8 text of 4-byte characters (😀𝄞𠜎) in 1-octet fragments', FOUR_BYTE, (conn) => conn.sendMessage('text', FOUR_BYTE, { fragmentSize: 1 })),
  invalidText('6.3.1', 'invalid UTF-8 text (a UTF-16 surrogate) in one frame', (conn) => conn.sendMessage('text', SURROGATE_TEXT)),
  invalidText('6.3.2', 'invalid UTF-8 text (a UTF-16 surrogate) in 1-octet fragments', (conn) => conn.sendMessage('text', SURROGATE_TEXT, { fragmentSize: 1 })),
  failFast('6.4.1', 'invalid UTF-8 text in 3 fragments 1 s apart, the 2nd holding the bad code point', inFrames(KOSME.length, KOSME.length + PART2.length)),
  failFast('6.4.2', 'invalid UTF-8 text in 3 fragments 1 s apart, the 2nd only the bad byte', inFrames(12, 13)),
  failFast('6.4.3', 'invalid UTF-8 text in one frame written in 3 parts 1 s apart, the 2nd holding the bad code point', inChops(KOSME.length, KOSME.length + PART2.length)),
  failFast('6.4.4', 'invalid UTF-8 text in one frame written in 3 parts 1 s apart, the 2nd only the bad byte', inChops(12, 13)),
  ...SEQUENCE_CASES,
]);

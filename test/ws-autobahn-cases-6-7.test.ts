/**
 * Autobahn 6.x (UTF-8) and 7.x (close handling) as data, checked without a
 * server: the counts per sub-category are Autobahn's (145 and 37), every
 * 6.5–6.23 sequence's validity agrees with pushspec's validator, each case
 * sends what Autobahn's sends (played on a recording connection) and expects
 * Autobahn's events and close, and the 6.4.x pauses are judged as Autobahn judges them.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { isValidUtf8, OPCODE, parseClosePayload, type FrameSpec } from '../techniques/websocket/frame.ts';
import { UTF8_CASES } from '../techniques/websocket/autobahn/cases-6-utf8.ts';
import { CLOSING_CASES } from '../techniques/websocket/autobahn/cases-7-closing.ts';
import { UTF8_CLASSES } from '../techniques/websocket/autobahn/utf8-sequences.ts';
import { CASES } from '../techniques/websocket/autobahn/catalogue.ts';
import { fragmentsOf, type CaseConnection } from '../techniques/websocket/autobahn/connection.ts';
import { judgeCase } from '../techniques/websocket/autobahn/judge.ts';
import { checkAutobahnCase } from '../techniques/websocket/autobahn/case-checks.ts';
import type { AutobahnCase, CaseEvent, CaseRecord } from '../techniques/websocket/autobahn/model.ts';

const requirements = new Map((JSON.parse(readFileSync(new URL('../features/requirements.json', import.meta.url), 'utf8')) as { requirements: { id: string; level: string }[] }).requirements.map((r) => [r.id, r]));

/** Sub-category (`6.4`, `7.13`) → number of Autobahn cases in it; pushspec's own (`P…`) are left out. */
function countsOf(cases: readonly AutobahnCase[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const c of cases.filter((x) => !x.id.startsWith('P'))) {
    const sub = c.id.split('.').slice(0, 2).join('.');
    counts[sub] = (counts[sub] ?? 0) + 1;
  }
  return counts;
}

/** What a script did: frames sent (with how), pauses, and a connection that closes when told. */
interface Played {
  frames: FrameSpec[];
  writes: Array<{ frame: FrameSpec; cuts: readonly number[] }>;
  pauses: string[];
}

/** A connection that records instead of sending; `closesAfterPause` ends it after that many pauses. */
function recording(closesAfterPause = Infinity): { conn: CaseConnection; played: Played } {
  const played: Played = { frames: [], writes: [], pauses: [] };
  let open = true;
  const send = async (frames: FrameSpec | readonly FrameSpec[]): Promise<boolean> => {
    played.frames.push(...(Array.isArray(frames) ? (frames as FrameSpec[]) : [frames as FrameSpec]));
    return true;
  };
  const conn = {
    get open() {
      return open;
    },
    send,
    sendMessage: (type: 'text' | 'binary', data: Buffer | string, options: { fragmentSize?: number } = {}) =>
      send(fragmentsOf(type === 'text' ? OPCODE.text : OPCODE.binary, Buffer.from(data), options.fragmentSize)),
    pause: async (_ms: number, tag?: string) => {
      played.pauses.push(tag ?? '');
      if (played.pauses.length >= closesAfterPause) open = false;
    },
    ws: {
      sendFrameInParts: async (frame: FrameSpec, cuts: readonly number[], between: (i: number) => Promise<boolean>) => {
        played.writes.push({ frame, cuts });
        let parts = 1;
        for (let i = 0; i < cuts.length; i++) {
          if (!(await between(i))) return parts;
          parts += 1;
        }
        return parts;
      },
    },
  } as unknown as CaseConnection;
  return { conn, played };
}

const payload = (f: FrameSpec): Buffer => Buffer.from(f.payload ?? '');
/** The message a list of frames carries, reassembled. */
const messageOf = (frames: readonly FrameSpec[]): Buffer => Buffer.concat(frames.filter((f) => f.opcode < 8).map(payload));

function record(events: CaseEvent[], close: Partial<CaseRecord> = {}): CaseRecord {
  return { status: 101, events, closedByClient: false, clean: false, droppedByClient: false, serverClosed: true, serverCode: 1007, killed: false, outcome: 'close frame 1007', findings: [], durationMs: 0, bytesSent: 0, bytesReceived: 0, ...close };
}

describe('Autobahn 6.x: UTF-8 handling', () => {
  test("145 cases, as many in each sub-category as Autobahn's", () => {
    const expected: Record<string, number> = { '6.1': 3, '6.2': 4, '6.3': 2, '6.4': 4 };
    const perClass = [5, 11, 4, 2, 4, 3, 5, 8, 5, 10, 1, 3, 5, 5, 5, 7, 8, 34, 7];
    perClass.forEach((n, i) => (expected[`6.${i + 5}`] = n));
    assert.deepEqual(countsOf(UTF8_CASES), expected);
    assert.equal(Object.values(countsOf(UTF8_CASES)).reduce((a, b) => a + b, 0), 145);
    assert.deepEqual(UTF8_CLASSES.map((c) => c.id), perClass.map((_, i) => `6.${i + 5}`));
  });

  test("every 6.5–6.23 sequence's validity is what pushspec's validator says", () => {
    for (const cls of UTF8_CLASSES) cls.sequences.forEach((s, i) => assert.equal(isValidUtf8(s.bytes), s.valid, `${cls.id}.${i + 1} ${s.bytes.toString('hex')}`));
    // Spot checks against Kuhn's test, so the flags are not the validator's echo alone.
    const flag = (id: string): boolean => UTF8_CASES.find((c) => c.id === id)!.requirement === 'WS-UTF8-VALID';
    assert.deepEqual(['6.6.1', '6.6.2', '6.11.4', '6.11.5', '6.22.34', '6.20.1', '6.12.8', '6.13.1'].map(flag), [false, true, true, false, true, false, false, false]);
  });

  test('each 6.5–6.23 case sends its sequence as one text frame; valid ones expect the echo and a clean 1000, invalid ones 1007 from the server', async () => {
    for (const cls of UTF8_CLASSES) {
      for (const [i, s] of cls.sequences.entries()) {
        const c = UTF8_CASES.find((x) => x.id === `${cls.id}.${i + 1}`)!;
        const { conn, played } = recording();
        await c.script(conn);
        assert.equal(played.frames.length, 1, c.id);
        assert.equal(played.frames[0]!.opcode, OPCODE.text, c.id);
        assert.ok(payload(played.frames[0]!).equals(s.bytes), c.id);
        if (s.valid) {
          assert.equal(c.requirement, 'WS-UTF8-VALID', c.id);
          assert.ok(c.expected.ok[0]![0]!.kind === 'message' && c.expected.ok[0]![0]!.data!.equals(s.bytes), c.id);
          assert.deepEqual([c.close.closedByClient, c.close.codes, c.close.requireClean, c.ending.kind], [true, [1000], true, 'close'], c.id);
        } else {
          assert.equal(c.requirement, 'WS-UTF8-INVALID', c.id);
          assert.deepEqual(c.expected.ok, [[]], c.id);
          assert.deepEqual([c.close.closedByClient, c.close.codes, c.close.wrongEndpointIsFatal, c.ending.kind], [false, [1007], true, 'await'], c.id);
        }
      }
    }
  });

  test('6.1–6.3 send what Autobahn sends: empty fragments, 1-octet fragments, the surrogate text', async () => {
    const framesOf = async (id: string): Promise<FrameSpec[]> => {
      const { conn, played } = recording();
      await UTF8_CASES.find((c) => c.id === id)!.script(conn);
      return played.frames;
    };
    assert.deepEqual((await framesOf('6.1.2')).map((f) => [f.opcode, payload(f).length, f.fin]), [[1, 0, false], [0, 0, false], [0, 0, true]]);
    assert.equal(messageOf(await framesOf('6.1.3')).toString(), 'middle frame payload');
    const octets = await framesOf('6.2.3');
    assert.equal(octets.length, Buffer.byteLength('Hello-µ@ßöäüàá-UTF-8!!'));
    assert.equal(messageOf(octets).toString(), 'Hello-µ@ßöäüàá-UTF-8!!');
    const surrogate = await framesOf('6.3.2');
    assert.equal(surrogate.length, 20);
    assert.equal(messageOf(surrogate).toString('hex'), 'cebae1bdb9cf83cebcceb5eda080656469746564');
    assert.equal(isValidUtf8(messageOf(surrogate)), false);
  });

  test('6.4.x: the parts are cut where Autobahn cuts them, with pause A and B between, and stop once the server failed the connection', async () => {
    const cuts = { '6.4.1': [11, 15], '6.4.2': [12, 13], '6.4.3': [11, 15], '6.4.4': [12, 13] } as const;
    for (const [id, [first, second]] of Object.entries(cuts)) {
      const c = UTF8_CASES.find((x) => x.id === id)!;
      const { conn, played } = recording();
      await c.script(conn);
      assert.deepEqual(played.pauses, ['A', 'B'], id);
      if (id === '6.4.1' || id === '6.4.2') {
        assert.deepEqual(played.frames.map((f) => [f.opcode, payload(f).length, f.fin]), [[1, first, false], [0, second - first, false], [0, 21 - second, true]], id);
        assert.equal(messageOf(played.frames).toString('hex'), 'cebae1bdb9cf83cebcceb5f4908080656469746564', id);
      } else {
        assert.deepEqual(played.writes.map((w) => [w.frame.opcode, payload(w.frame).length, w.frame.fin, w.cuts]), [[1, 21, true, [first, second]]], id);
      }
      // A server that failed the connection in pause B: the rest is never sent.
      const failed = recording(2);
      await c.script(failed.conn);
      assert.equal(failed.played.frames.length + failed.played.writes.length, id < '6.4.3' ? 2 : 1, id);
      assert.deepEqual([c.requirement, c.nonStrictPart, c.close.codes, c.close.wrongEndpointIsFatal], ['WS-UTF8-INVALID', 'WS-UTF8-FAIL-FAST', [1007], true], id);
    }
  });

  test('6.4.x are judged as Autobahn judges them: failing in pause B is OK, after the whole message NON-STRICT (the MAY), before pause A FAILED', () => {
    const c = UTF8_CASES.find((x) => x.id === '6.4.3')!;
    const a: CaseEvent = { kind: 'timeout', tag: 'A' };
    const b: CaseEvent = { kind: 'timeout', tag: 'B' };
    const fast = record([a]);
    assert.equal(judgeCase(c, fast).behaviour, 'OK');
    assert.deepEqual(checkAutobahnCase(c, fast, judgeCase(c, fast)).find((p) => p.requirement === 'WS-UTF8-FAIL-FAST')?.held, true);
    const late = record([a, b]);
    assert.equal(judgeCase(c, late).behaviour, 'NON-STRICT');
    assert.deepEqual(checkAutobahnCase(c, late, judgeCase(c, late)).find((p) => p.requirement === 'WS-UTF8-FAIL-FAST')?.held, false);
    assert.equal(judgeCase(c, record([])).behaviour, 'FAILED', 'failing on the valid first part is no UTF-8 check');
    const never = record([a, b], { closedByClient: true, killed: true, serverClosed: true, serverCode: 1001 });
    assert.equal(judgeCase(c, never).behaviour, 'FAILED', 'the client had to close: the server never found the bad bytes');
    assert.equal(requirements.get('WS-UTF8-FAIL-FAST')?.level, 'MAY');
  });
});

describe('Autobahn 7.x: close handling', () => {
  test("37 cases, as many in each sub-category as Autobahn's", () => {
    assert.deepEqual(countsOf(CLOSING_CASES), { '7.1': 6, '7.3': 6, '7.5': 1, '7.7': 13, '7.9': 9, '7.13': 2 });
  });

  test('the client closes first in every case, and a code outside the list fails it (WRONG CODE is fatal in 7.x)', () => {
    for (const c of CLOSING_CASES) assert.deepEqual([c.close.closedByClient, c.close.wrongCodeIsFatal], [true, true], c.id);
  });

  test("each case sends Autobahn's close frame and expects Autobahn's codes", async () => {
    const closeOf = async (c: AutobahnCase): Promise<{ frames: FrameSpec[]; close: FrameSpec | undefined }> => {
      const { conn, played } = recording();
      await c.script(conn);
      return { frames: played.frames, close: played.frames.find((f) => f.opcode === OPCODE.close) };
    };
    const byId = (id: string): AutobahnCase => CLOSING_CASES.find((c) => c.id === id)!;
    const valid = [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999];
    for (const [i, code] of valid.entries()) {
      const c = byId(`7.7.${i + 1}`);
      assert.equal(parseClosePayload(payload((await closeOf(c)).close!)).code, code);
      assert.deepEqual([c.requirement, [...new Set([1000, code])], c.close.requireClean], ['WS-CLOSE-ECHO', c.close.codes, true], c.id);
    }
    for (const [i, code] of [0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999].entries()) {
      const c = byId(`7.9.${i + 1}`);
      assert.equal(parseClosePayload(payload((await closeOf(c)).close!)).code, code);
      assert.deepEqual([c.requirement, c.close.codes, c.close.requireClean], ['WS-CLOSE-INVALID', [1002], false], c.id);
    }
    assert.equal(payload((await closeOf(byId('7.3.1'))).close!).length, 0);
    assert.equal(payload((await closeOf(byId('7.3.2'))).close!).length, 1);
    assert.equal(payload((await closeOf(byId('7.3.5'))).close!).length, 125);
    assert.equal(payload((await closeOf(byId('7.3.6'))).close!).length, 126);
    assert.equal(isValidUtf8(payload((await closeOf(byId('7.5.1'))).close!).subarray(2)), false);
    assert.deepEqual(byId('7.5.1').close.codes, [1002, 1007]);
    assert.deepEqual((await closeOf(byId('7.1.5'))).frames.map((f) => f.opcode), [OPCODE.text, OPCODE.close, OPCODE.continuation]);
    assert.deepEqual((await closeOf(byId('7.1.3'))).frames.map((f) => f.opcode), [OPCODE.close, OPCODE.ping]);
    const large = (await closeOf(byId('7.1.6'))).frames;
    assert.deepEqual(large.map((f) => [f.opcode, payload(f).length]), [[1, 262144], [1, 12], [8, 2], [9, 0]]);
    assert.deepEqual(byId('7.1.1').ending.kind, 'close', '7.1.1 closes once the echo came (no suppressClose)');
  });

  test('7.1.6 and 7.13.x are INFORMATIONAL and belong to MAY requirements; every other 6.x/7.x case to a MUST', () => {
    const informational = CLOSING_CASES.filter((c) => c.informational === true).map((c) => c.id);
    assert.deepEqual(informational, ['7.1.6', '7.13.1', '7.13.2']);
    for (const c of [...UTF8_CASES, ...CLOSING_CASES]) assert.equal(requirements.get(c.requirement)?.level, c.informational === true ? 'MAY' : 'MUST', c.id);
    const judged = judgeCase(CLOSING_CASES.find((c) => c.id === '7.13.1')!, record([], { closedByClient: true, serverCode: 5000 }));
    assert.equal(judged.behaviour, 'INFORMATIONAL');
  });

  test('an invalid close answered by a dropped connection holds the MUST; the missing 1002 is the SHOULD of §7.1.7 (WS-FAIL-CLOSE-FRAME)', () => {
    const c = CLOSING_CASES.find((x) => x.id === '7.9.1')!;
    const dropped = record([], { closedByClient: true, serverClosed: false, serverCode: undefined, outcome: 'no close frame: the server dropped the TCP connection' });
    assert.equal(judgeCase(c, dropped).close, 'OK');
    assert.deepEqual(checkAutobahnCase(c, dropped, judgeCase(c, dropped)).map((p) => [p.requirement, p.held]), [['WS-FAIL-CLOSE-FRAME', false]]);
    const answered = record([], { closedByClient: true, clean: true, serverCode: 1002, outcome: 'clean, code 1002' });
    assert.deepEqual(checkAutobahnCase(c, answered, judgeCase(c, answered)).map((p) => [p.requirement, p.held]), [['WS-FAIL-CLOSE-FRAME', true], ['WS-CLOSE-TCP-BY-SERVER', true]]);
    const echoed = record([], { closedByClient: true, clean: true, serverCode: 1000, outcome: 'clean, code 1000' });
    assert.equal(judgeCase(c, echoed).close, 'WRONG CODE');
    assert.throws(() => checkAutobahnCase(c, echoed, judgeCase(c, echoed)), /Autobahn fails any other close code here/);
  });

  test('every case is in the catalogue once', () => {
    for (const c of [...UTF8_CASES, ...CLOSING_CASES]) assert.equal(CASES.filter((x) => x.id === c.id).length, 1, c.id);
  });
});

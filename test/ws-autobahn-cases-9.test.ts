/**
 * Autobahn 9.x as data, without a server: the ids, what each case sends (sizes,
 * payload patterns, frames, TCP chops, round trips), Autobahn's per-case
 * timeouts, and how a case is judged (type and length only; a ping does not
 * count; a refusal over a declared limit is judged against that limit).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { caseById, CASES, DISABLED_BY_AUTOBAHN } from '../techniques/websocket/autobahn/catalogue.ts';
import { LIMITS_CASES, sizeWords } from '../techniques/websocket/autobahn/cases-9-limits.ts';
import type { CaseConnection, SendOptions } from '../techniques/websocket/autobahn/connection.ts';
import { judgeCase } from '../techniques/websocket/autobahn/judge.ts';
import type { AutobahnCase, CaseEvent, CaseRecord } from '../techniques/websocket/autobahn/model.ts';
import { checkAutobahnCase } from '../techniques/websocket/autobahn/case-checks.ts';
import { outcomeWords } from '../techniques/websocket/autobahn/words.ts';

const KiB = 1024;
const MiB = 1024 * 1024;

interface Sent {
  type: 'text' | 'binary';
  data: Buffer;
  options: SendOptions;
}

/** What a case's script asks of its connection, recorded instead of sent. */
async function playScript(c: AutobahnCase): Promise<{ sent: Sent[]; roundTrips?: { count: number; eachMs: number; first: { type: string; data: Buffer } } }> {
  const sent: Sent[] = [];
  let roundTrips: { count: number; eachMs: number; first: { type: string; data: Buffer } } | undefined;
  const conn = {
    sendMessage: async (type: 'text' | 'binary', data: Buffer | string, options: SendOptions = {}) => {
      sent.push({ type, data: Buffer.from(data), options });
      return true;
    },
    roundTrips: async (count: number, next: (i: number) => { type: string; data: Buffer }, eachMs: number) => {
      roundTrips = { count, eachMs, first: next(0) };
    },
  } as unknown as CaseConnection;
  await c.script(conn);
  return roundTrips === undefined ? { sent } : { sent, roundTrips };
}

function record(events: CaseEvent[], extra: Partial<CaseRecord> = {}): CaseRecord {
  return {
    status: 101,
    events,
    closedByClient: true,
    clean: true,
    droppedByClient: false,
    serverCode: 1000,
    serverClosed: true,
    clientCode: 1000,
    killed: false,
    outcome: 'clean, code 1000',
    findings: [],
    durationMs: 10,
    bytesSent: 0,
    bytesReceived: 0,
    ...extra,
  };
}

const message = (type: 'text' | 'binary', length: number): CaseEvent => ({ kind: 'message', type, data: Buffer.alloc(length) });

describe('Autobahn 9.x cases', () => {
  it("are Autobahn's 54 ids, in Autobahn's order, registered in the catalogue; 9.9 and 9.10 stay out as disabled", () => {
    const counts = [6, 6, 9, 9, 6, 6, 6, 6];
    const ids = counts.flatMap((n, family) => Array.from({ length: n }, (_, i) => `9.${family + 1}.${i + 1}`));
    assert.deepEqual(
      LIMITS_CASES.map((c) => c.id),
      ids,
    );
    for (const c of LIMITS_CASES) assert.equal(caseById(c.id), c);
    assert.equal(CASES.filter((c) => c.id.startsWith('9.')).length, 54);
    assert.ok(CASES.every((c) => !c.id.startsWith('9.9.') && !c.id.startsWith('9.10.')));
    assert.ok('9.9.1' in DISABLED_BY_AUTOBAHN && '9.10.1' in DISABLED_BY_AUTOBAHN);
  });

  it('belong to one requirement per pair of families, and are all timed, judged on messages only, with their sizes declared', () => {
    const byFamily: Record<string, string> = { '9.1': 'WS-LARGE-MESSAGE', '9.2': 'WS-LARGE-MESSAGE', '9.3': 'WS-LARGE-FRAGMENTED', '9.4': 'WS-LARGE-FRAGMENTED', '9.5': 'WS-CHOPPED', '9.6': 'WS-CHOPPED', '9.7': 'WS-ROUND-TRIPS', '9.8': 'WS-ROUND-TRIPS' };
    for (const c of LIMITS_CASES) {
      assert.equal(c.requirement, byFamily[c.id.split('.').slice(0, 2).join('.')], c.id);
      assert.equal(c.timed, true, c.id);
      assert.equal(c.messagesOnly, true, c.id);
      assert.ok(c.sizes !== undefined, c.id);
      assert.deepEqual(c.close, { closedByClient: true, codes: [1000], requireClean: true }, c.id);
      assert.equal(c.ending.kind, 'close', c.id);
    }
  });

  it("keep Autobahn's per-case timeouts (WAITSECS), also as the time the client waits for the echo before closing", () => {
    const seconds = (prefix: string) => LIMITS_CASES.filter((c) => c.id.startsWith(prefix)).map((c) => c.timeoutMs! / 1000);
    assert.deepEqual(seconds('9.1.'), [10, 10, 100, 100, 100, 100]);
    assert.deepEqual(seconds('9.2.'), [10, 10, 10, 10, 100, 100]);
    assert.deepEqual(seconds('9.3.'), Array(9).fill(100));
    assert.deepEqual(seconds('9.4.'), Array(9).fill(100));
    assert.deepEqual(seconds('9.5.'), Array(6).fill(1000));
    assert.deepEqual(seconds('9.6.'), Array(6).fill(1000));
    assert.deepEqual(seconds('9.7.'), [60, 60, 60, 120, 240, 480]);
    assert.deepEqual(seconds('9.8.'), [60, 60, 60, 120, 240, 480]);
    for (const c of LIMITS_CASES) assert.equal(c.ending.afterMs, c.timeoutMs, c.id);
  });

  it("9.1/9.2 send one message of 64 KiB to 16 MiB in one frame, in Autobahn's cyclic patterns", async () => {
    const sizes = [64 * KiB, 256 * KiB, 1 * MiB, 4 * MiB, 8 * MiB, 16 * MiB];
    for (const [family, type, head] of [
      ['9.1', 'text', Buffer.from('BAsd7&jh23BAsd7')],
      ['9.2', 'binary', Buffer.from([0x00, 0xfe, 0x23, 0xfa, 0xf0, 0x00, 0xfe])],
    ] as const) {
      for (const [i, size] of sizes.entries()) {
        const c = caseById(`${family}.${i + 1}`);
        const { sent } = await playScript(c);
        assert.equal(sent.length, 1, c.id);
        assert.equal(sent[0]!.type, type, c.id);
        assert.equal(sent[0]!.data.length, size, c.id);
        assert.deepEqual(sent[0]!.data.subarray(0, head.length), head, c.id);
        assert.deepEqual(sent[0]!.options, {}, `${c.id}: one frame, one write`);
        assert.deepEqual(c.sizes, { messageBytes: size, frameBytes: size }, c.id);
        assert.deepEqual(c.expected.ok, [[{ kind: 'message', type, length: size }]], `${c.id}: type and length only, as Autobahn`);
        assert.equal(c.sends, `a ${type} message of ${sizeWords(size)}`);
      }
    }
  });

  it('9.3/9.4 send 4 MiB in frames of 64 bytes to 4 MiB', async () => {
    const fragments = [64, 256, 1 * KiB, 4 * KiB, 16 * KiB, 64 * KiB, 256 * KiB, 1 * MiB, 4 * MiB];
    for (const [family, type] of [
      ['9.3', 'text'],
      ['9.4', 'binary'],
    ] as const) {
      for (const [i, fragmentSize] of fragments.entries()) {
        const c = caseById(`${family}.${i + 1}`);
        const { sent } = await playScript(c);
        assert.equal(sent.length, 1, c.id);
        assert.equal(sent[0]!.type, type);
        assert.equal(sent[0]!.data.length, 4 * MiB);
        assert.deepEqual(sent[0]!.options, { fragmentSize }, c.id);
        // Autobahn: 9.3.x and 9.4.2–9 send '*', 9.4.1 sends 0xFE.
        assert.equal(sent[0]!.data[0], c.id === '9.4.1' ? 0xfe : 0x2a, c.id);
        assert.deepEqual(c.sizes, { messageBytes: 4 * MiB, frameBytes: fragmentSize }, c.id);
      }
    }
  });

  it('9.5/9.6 write one 1 MiB frame in TCP chops of 64 to 2048 bytes', async () => {
    const chopSizes = [64, 128, 256, 512, 1024, 2048];
    for (const [family, type] of [
      ['9.5', 'text'],
      ['9.6', 'binary'],
    ] as const) {
      for (const [i, size] of chopSizes.entries()) {
        const c = caseById(`${family}.${i + 1}`);
        const { sent } = await playScript(c);
        assert.equal(sent.length, 1, c.id);
        assert.equal(sent[0]!.type, type);
        assert.equal(sent[0]!.data.length, MiB);
        assert.deepEqual(sent[0]!.options, { split: { kind: 'chops', size } }, c.id);
        assert.equal(c.sends, `a ${type} message of 1 MiB in ${size}-byte writes`);
      }
    }
  });

  it('9.7/9.8 make 1000 strictly sequential round trips of 0 bytes to 4 KiB, each waiting at most the case timeout', async () => {
    const lengths = [0, 16, 64, 256, 1 * KiB, 4 * KiB];
    for (const [family, type] of [
      ['9.7', 'text'],
      ['9.8', 'binary'],
    ] as const) {
      for (const [i, length] of lengths.entries()) {
        const c = caseById(`${family}.${i + 1}`);
        const { sent, roundTrips } = await playScript(c);
        assert.equal(sent.length, 0, `${c.id}: everything goes through conn.roundTrips`);
        assert.equal(roundTrips?.count, 1000, c.id);
        assert.equal(roundTrips?.eachMs, c.timeoutMs, c.id);
        assert.equal(roundTrips?.first.type, type);
        assert.equal(roundTrips?.first.data.length, length);
        assert.equal(c.expected.ok[0]!.length, 1000);
        assert.equal(outcomeWords(c), '1000 echoes, then a clean close (1000)');
      }
    }
  });
});

describe('judging a 9.x case as Autobahn does', () => {
  const c = caseById('9.1.6');

  it('passes on an echo of the type and length sent, whatever its content, and a pong meanwhile changes nothing', () => {
    const events: CaseEvent[] = [{ kind: 'pong', payload: Buffer.alloc(0) }, message('text', 16 * MiB)];
    const judged = judgeCase(c, record(events));
    assert.equal(judged.behaviour, 'OK');
    assert.doesNotThrow(() => checkAutobahnCase(c, record(events), judged));
  });

  it('fails on an echo of another length or type, or none', () => {
    for (const events of [[message('text', 16 * MiB - 1)], [message('binary', 16 * MiB)], []]) {
      const judged = judgeCase(c, record(events));
      assert.equal(judged.behaviour, 'FAILED');
      assert.throws(() => checkAutobahnCase(c, record(events), judged), /text message of 16777216 bytes/);
    }
  });

  it('takes a 1009 refusal over a declared maximum, judged against that limit, and fails a refusal under it', () => {
    const refused = record([], { closedByClient: false, serverCode: 1009, outcome: 'clean, code 1009' });
    const judged = judgeCase(c, refused);
    const parts = checkAutobahnCase(c, refused, judged, { maxMessageBytes: 1 * MiB });
    assert.deepEqual(
      parts.map((p) => [p.requirement, p.held]),
      [['WS-FAIL-CLOSE-FRAME', true]],
    );
    assert.match(parts[0]!.expected, /declared maximum message of 1048576 bytes/);
    assert.throws(() => checkAutobahnCase(c, refused, judged, { maxMessageBytes: 16 * MiB }), /text message of 16777216 bytes/);
    const frames = caseById('9.3.1');
    assert.deepEqual(
      checkAutobahnCase(frames, refused, judgeCase(frames, refused), { maxFrameBytes: 32 }).map((p) => p.held),
      [true],
      'a frame over the declared maximum frame',
    );
  });
});

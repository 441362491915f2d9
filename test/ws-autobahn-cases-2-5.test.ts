/**
 * Autobahn 2.x–5.x and 10.1.1 as pushspec plays them, without a server under
 * test: each case's script runs on a real connection to a loopback server that
 * only completes the handshake and decodes what arrives, while the client
 * socket's writes are recorded, so the test sees the exact frames and how they
 * were split into writes. The expected lists and close expectations are
 * compared with Autobahn's own (its case*.py files, copied here as data).
 */
import { afterEach, describe, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { Transcript } from '../core/transcript.ts';
import { Signal, waitUntil } from '../core/wait.ts';
import { acceptKeyFor, FrameReader, type DecodedFrame } from '../techniques/websocket/frame.ts';
import { RawWebSocket } from '../techniques/websocket/raw-client.ts';
import { caseById, CASES } from '../techniques/websocket/autobahn/catalogue.ts';
import { CaseConnection } from '../techniques/websocket/autobahn/connection.ts';
import { behaviourOf } from '../techniques/websocket/autobahn/judge.ts';
import type { CaseEvent, ExpectedEvent } from '../techniques/websocket/autobahn/model.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Wire {
  /** Frames the server decoded, in order. */
  frames: DecodedFrame[];
  /** The byte count of each write the client made after the handshake. */
  writes: number[];
  conn: CaseConnection;
  /** Resolves once the server has decoded `count` frames. */
  framesAtLeast: (count: number) => Promise<void>;
}

/** A loopback server that answers the handshake and decodes every frame; a client whose writes are counted. */
async function wire(): Promise<Wire> {
  const frames: DecodedFrame[] = [];
  const arrived = new Signal();
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    let head = Buffer.alloc(0);
    let reader: FrameReader | undefined;
    socket.on('data', (chunk: Buffer) => {
      if (reader === undefined) {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        const key = /^sec-websocket-key: (.*)$/im.exec(head.subarray(0, end).toString())?.[1]?.trim() ?? '';
        socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${acceptKeyFor(key)}\r\n\r\n`);
        reader = new FrameReader();
        chunk = head.subarray(end + 4);
      }
      frames.push(...reader.push(chunk));
      arrived.notify();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/echo`;
  const ws = await RawWebSocket.connect({ url, actor: 'client', transcript: new Transcript(), deadlineMs: 2000 });
  const writes: number[] = [];
  // The raw client's socket is private; counting its writes is the point of this test.
  const socket = (ws as unknown as { socket: Socket }).socket;
  const write = socket.write.bind(socket) as (data: Buffer, ...rest: unknown[]) => boolean;
  // The rest (a callback) passes through: the client waits for each piece's write callback.
  socket.write = ((data: Buffer, ...rest: unknown[]) => {
    writes.push(data.length);
    return write(data, ...rest);
  }) as typeof socket.write;
  cleanups.push(async () => {
    ws.destroy();
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const framesAtLeast = (count: number): Promise<void> =>
    waitUntil(() => frames.length >= count, { what: `${count} frames at the server`, deadlineMs: 5000, seen: () => `${frames.length} frames`, signal: arrived });
  return { frames, writes, conn: new CaseConnection(ws), framesAtLeast };
}

/** Plays a case's script and waits until the server decoded `count` frames. */
async function played(id: string, count: number): Promise<Wire> {
  const w = await wire();
  await caseById(id).script(w.conn);
  await w.framesAtLeast(count);
  return w;
}

/** A frame as `opcode fin rsv "payload"`, for comparing with Autobahn's sendFrame calls. */
const shown = (f: DecodedFrame): string => `${f.opcode} ${f.fin ? 1 : 0} ${f.rsv} ${JSON.stringify(f.payload.toString('latin1'))}`;
/** Header bytes of a masked client frame with a payload of at most 125 bytes. */
const HEAD = 6;

describe('Autobahn 2.x–5.x and 10.1.1: every case is there', () => {
  test('2.1–2.11, 3.1–3.7, 4.1.1–4.1.5, 4.2.1–4.2.5, 5.1–5.20 and 10.1.1', () => {
    const wanted = [
      ...Array.from({ length: 11 }, (_, i) => `2.${i + 1}`),
      ...Array.from({ length: 7 }, (_, i) => `3.${i + 1}`),
      ...Array.from({ length: 5 }, (_, i) => `4.1.${i + 1}`),
      ...Array.from({ length: 5 }, (_, i) => `4.2.${i + 1}`),
      ...Array.from({ length: 20 }, (_, i) => `5.${i + 1}`),
      '10.1.1',
    ];
    const ids = new Set(CASES.map((c) => c.id));
    assert.deepEqual(wanted.filter((id) => !ids.has(id)), []);
  });
});

describe('the frames and writes a case puts on the wire', () => {
  test('2.6: a 125-byte ping, one byte per write', async () => {
    const w = await played('2.6', 1);
    assert.deepEqual(w.frames.map(shown), [`9 1 0 ${JSON.stringify('\xfe'.repeat(125))}`]);
    assert.deepEqual(w.writes, Array(HEAD + 125).fill(1));
  });

  test('2.11: ten pings payload-0 … payload-9, octet-wise', async () => {
    const w = await played('2.11', 10);
    assert.deepEqual(w.frames.map(shown), Array.from({ length: 10 }, (_, i) => `9 1 0 "payload-${i}"`));
    assert.equal(w.writes.length, 10 * (HEAD + 9));
    assert.ok(w.writes.every((n) => n === 1));
  });

  test('2.10: the same ten pings in one write', async () => {
    const w = await played('2.10', 10);
    assert.deepEqual(w.writes, [10 * (HEAD + 9)]);
  });

  test('3.3: a text message, the RSV 3 frame, an empty ping, one write per frame', async () => {
    const w = await played('3.3', 3);
    assert.deepEqual(w.frames.map(shown), ['1 1 0 "Hello, world!"', '1 1 3 "Hello, world!"', '9 1 0 ""']);
    assert.deepEqual(w.writes, [HEAD + 13, HEAD + 13, HEAD]);
  });

  test('4.2.5: a text message, opcode 15 with a payload, a ping, octet-wise', async () => {
    const w = await played('4.2.5', 3);
    assert.deepEqual(w.frames.map(shown), ['1 1 0 "Hello, world!"', '15 1 0 "Hello, world!"', '9 1 0 ""']);
    assert.equal(w.writes.length, 3 * HEAD + 26);
  });

  test('3.7: a close frame with RSV 7 does not start the client\'s closing handshake', async () => {
    const w = await played('3.7', 1);
    assert.deepEqual(w.frames.map(shown), ['8 1 7 ""']);
    assert.equal(w.conn.ws.closeSentAtMs, undefined);
  });

  test('5.14: a continuation with FIN clear, then a text message, octet-wise', async () => {
    const w = await played('5.14', 2);
    assert.deepEqual(w.frames.map(shown), ['0 0 0 "non-continuation payload"', '1 1 0 "Hello, world!"']);
    assert.equal(w.writes.length, 2 * HEAD + 24 + 13);
  });

  test('5.16: the three bad frames, twice, in one write', async () => {
    const w = await played('5.16', 6);
    const round = ['0 0 0 "fragment1"', '1 0 0 "fragment2"', '0 1 0 "fragment3"'];
    assert.deepEqual(w.frames.map(shown), [...round, ...round]);
    assert.deepEqual(w.writes, [6 * (HEAD + 9)]);
  });

  test('5.7: a fragment, a ping, the last fragment, one write per frame', async () => {
    const w = await played('5.7', 3);
    assert.deepEqual(w.frames.map(shown), ['1 0 0 "fragment1"', '9 1 0 "ping payload"', '0 1 0 "fragment2"']);
    assert.deepEqual(w.writes, [HEAD + 9, HEAD + 12, HEAD + 9]);
  });

  test('5.20: three frames, a 1 s pause ending in a timeout event, four frames, one write per frame', async () => {
    const w = await wire();
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      const script = caseById('5.20').script(w.conn);
      await w.framesAtLeast(3);
      assert.deepEqual(w.conn.events, [], 'nothing is recorded before the pause ends');
      mock.timers.tick(999);
      assert.equal(w.frames.length, 3, 'the second part waits for the whole pause');
      mock.timers.tick(1);
      await script;
    } finally {
      mock.timers.reset();
    }
    await w.framesAtLeast(7);
    assert.deepEqual(w.frames.map(shown), [
      '1 0 0 "fragment1"',
      '0 0 0 "fragment2"',
      '9 1 0 "pongme 1!"',
      '0 0 0 "fragment3"',
      '0 0 0 "fragment4"',
      '9 1 0 "pongme 2!"',
      '0 1 0 "fragment5"',
    ]);
    assert.equal(w.writes.length, 7);
    assert.deepEqual(w.conn.events, [{ kind: 'timeout', tag: 'A' }]);
  });

  test('10.1.1: 65536 bytes in one text frame and 50 continuations of 1300 bytes at most', async () => {
    const w = await played('10.1.1', 51);
    assert.equal(w.frames.length, 51);
    assert.deepEqual([w.frames[0]!.opcode, w.frames[0]!.fin], [1, false]);
    assert.ok(w.frames.slice(1).every((f) => f.opcode === 0));
    assert.deepEqual(w.frames.map((f) => f.payload.length), [...Array(50).fill(1300), 536]);
    assert.ok(w.frames.at(-1)!.fin && w.frames.slice(0, -1).every((f) => !f.fin));
    assert.ok(Buffer.concat(w.frames.map((f) => f.payload)).equals(Buffer.alloc(65536, 0x2a)));
  });
});

/** Autobahn's expected lists, as its case files write them: `["pong", payload]`, `["message", text]`. */
type AutobahnList = Array<['pong' | 'message', string]>;
const FIVE_FRAGMENTS: AutobahnList = [['pong', 'pongme 1!'], ['pong', 'pongme 2!'], ['message', 'fragment1fragment2fragment3fragment4fragment5']];
const AUTOBAHN: Record<string, { ok: AutobahnList; nonStrict?: AutobahnList; closedByMe: boolean; codes: number[]; requireClean: boolean }> = {
  '2.1': { ok: [['pong', '']], closedByMe: true, codes: [1000], requireClean: true },
  '2.5': { ok: [], closedByMe: false, codes: [1002], requireClean: false },
  '2.7': { ok: [], closedByMe: true, codes: [1000], requireClean: true },
  '2.9': { ok: [['pong', 'ping payload']], closedByMe: true, codes: [1000], requireClean: true },
  '2.10': { ok: Array.from({ length: 10 }, (_, i) => ['pong', `payload-${i}`] as ['pong', string]), closedByMe: true, codes: [1000], requireClean: true },
  '3.2': { ok: [['message', 'Hello, world!']], nonStrict: [], closedByMe: false, codes: [1002], requireClean: false },
  '4.1.4': { ok: [['message', 'Hello, world!']], nonStrict: [], closedByMe: false, codes: [1002], requireClean: false },
  '5.2': { ok: [], closedByMe: false, codes: [1002], requireClean: false },
  '5.8': { ok: [['pong', 'ping payload'], ['message', 'fragment1fragment2']], closedByMe: true, codes: [1000], requireClean: true },
  '5.15': { ok: [['message', 'fragment1fragment2']], nonStrict: [], closedByMe: false, codes: [1002], requireClean: false },
  // Autobahn has no NON-STRICT list here; pushspec's is Autobahn's OK list with the pause's end before the first pong.
  '5.19': { ok: FIVE_FRAGMENTS, nonStrict: FIVE_FRAGMENTS, closedByMe: true, codes: [1000], requireClean: true },
  '10.1.1': { ok: [['message', '*'.repeat(65536)]], closedByMe: true, codes: [1000], requireClean: true },
};

/** pushspec's expected events in Autobahn's shape; the 5.19/5.20 pause event is pushspec's own and left out. */
const asAutobahn = (list: readonly ExpectedEvent[]): AutobahnList =>
  list.flatMap((e): AutobahnList => (e.kind === 'timeout' ? [] : e.kind === 'pong' ? [['pong', e.payload.toString('latin1')]] : [['message', e.data!.toString('latin1')]]));

describe("the expected lists and close expectations are Autobahn's", () => {
  for (const [id, want] of Object.entries(AUTOBAHN)) {
    test(id, () => {
      const c = caseById(id);
      assert.deepEqual(c.expected.ok.map(asAutobahn), [want.ok]);
      assert.deepEqual(c.expected.nonStrict?.map(asAutobahn), want.nonStrict === undefined ? undefined : [want.nonStrict]);
      assert.deepEqual([c.close.closedByClient, c.close.codes, c.close.requireClean], [want.closedByMe, want.codes, want.requireClean]);
    });
  }

  test('a NON-STRICT outcome of 3.2–3.4, 4.x.3–5 and 5.15 is reported under WS-ECHO-BEFORE-FAIL, and only theirs', () => {
    const tolerant = CASES.filter((c) => /^(2|3|4|5|10)\./.test(c.id) && c.expected.nonStrict !== undefined).map((c) => `${c.id} ${c.nonStrictPart}`);
    const echoFirst = ['3.2', '3.3', '3.4', '4.1.3', '4.1.4', '4.1.5', '4.2.3', '4.2.4', '4.2.5', '5.15'].map((id) => `${id} WS-ECHO-BEFORE-FAIL`);
    assert.deepEqual(tolerant, [...echoFirst, '5.19 WS-PONG-PROMPT', '5.20 WS-PONG-PROMPT']);
  });
});

describe('judging 5.19: the first pong must come during the pause', () => {
  const c = caseById('5.19');
  const pong = (p: string): CaseEvent => ({ kind: 'pong', payload: Buffer.from(p) });
  const pause: CaseEvent = { kind: 'timeout', tag: 'A' };
  const message: CaseEvent = { kind: 'message', type: 'text', data: Buffer.from('fragment1fragment2fragment3fragment4fragment5') };

  test('a pong during the pause is OK', () => {
    assert.equal(behaviourOf(c, [pong('pongme 1!'), pause, pong('pongme 2!'), message]), 'OK');
  });

  test('a pong held until the pause ended is NON-STRICT (Autobahn: OK)', () => {
    assert.equal(behaviourOf(c, [pause, pong('pongme 1!'), pong('pongme 2!'), message]), 'NON-STRICT');
  });

  test('a connection that ended during the pause, or a message before its pongs, FAILED', () => {
    assert.equal(behaviourOf(c, [pong('pongme 1!'), pong('pongme 2!'), message]), 'FAILED');
    assert.equal(behaviourOf(c, [pause, message, pong('pongme 1!'), pong('pongme 2!')]), 'FAILED');
  });
});

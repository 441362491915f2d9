/**
 * The echo-case engine without a server: how writes are split, Autobahn's two
 * columns (events and closing behaviour) from a record, pushspec's verdicts
 * and parts from those, the pool's bound and memo, and a case played against
 * a loopback echo server written here.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { ConformanceFailure } from '../core/failure.ts';
import { Transcript } from '../core/transcript.ts';
import { chops, describeSplit, FRAME_WISE, OCTET_WISE, piecesOf, TOGETHER } from '../techniques/websocket/write-split.ts';
import { judgeCase, listMatches } from '../techniques/websocket/autobahn/judge.ts';
import { checkAutobahnCase } from '../techniques/websocket/autobahn/case-checks.ts';
import { CLEAN_CLOSE, echoOf, repeated, serverFails } from '../techniques/websocket/autobahn/build.ts';
import type { AutobahnCase, CaseRecord } from '../techniques/websocket/autobahn/model.ts';
import { CasePool } from '../techniques/websocket/autobahn/pool.ts';
import { outcomeWords } from '../techniques/websocket/autobahn/words.ts';
import { fragmentsOf } from '../techniques/websocket/autobahn/connection.ts';
import { OPCODE } from '../techniques/websocket/frame.ts';

const echoCase: AutobahnCase = {
  id: 'T1',
  requirement: 'WS-ECHO-TEXT',
  sends: 'a text message "hi"',
  script: async (conn) => void (await conn.sendMessage('text', 'hi')),
  expected: { ok: [[echoOf('text', 'hi')]] },
  close: CLEAN_CLOSE,
  ending: { kind: 'close', afterMs: 1000 },
};

const failCase: AutobahnCase = {
  id: 'T2',
  requirement: 'WS-RESERVED-BITS',
  sends: 'a text frame with reserved bit 1 after "ok"',
  script: async () => undefined,
  expected: { ok: [[echoOf('text', 'ok')]], nonStrict: [[]] },
  nonStrictPart: 'WS-ECHO-BEFORE-FAIL',
  close: serverFails([1002]),
  ending: { kind: 'await', afterMs: 1000 },
};

function record(over: Partial<CaseRecord>): CaseRecord {
  return { status: 101, events: [], closedByClient: true, clean: true, droppedByClient: false, serverClosed: true, serverCode: 1000, killed: false, outcome: 'clean, code 1000', findings: [], durationMs: 5, bytesSent: 2, bytesReceived: 2, ...over };
}

describe('write splitting', () => {
  const a = Buffer.from([1, 2, 3]);
  const b = Buffer.from([4, 5]);
  test('together is one write, frame-wise one per frame, chops cut across frames', () => {
    assert.deepEqual(piecesOf([a, b], TOGETHER), [Buffer.from([1, 2, 3, 4, 5])]);
    assert.deepEqual(piecesOf([a, b], FRAME_WISE), [a, b]);
    assert.deepEqual(piecesOf([a, b], chops(2)).map((p) => [...p]), [[1, 2], [3, 4], [5]]);
    assert.equal(piecesOf([a, b], OCTET_WISE).length, 5);
  });
  test('a chop size must be a whole number ≥ 1, and splits read in words', () => {
    assert.throws(() => chops(0), RangeError);
    assert.equal(describeSplit(OCTET_WISE), 'octet-wise (1-byte writes, 1 ms apart)');
    assert.equal(describeSplit(chops(997, 1000)), 'in 997-byte writes, 1000 ms apart');
  });
  test('a message in fragments: first frame with the opcode and RSV, continuations after, FIN on the last', () => {
    const frames = fragmentsOf(OPCODE.text, Buffer.from('abcde'), 2, 4);
    assert.deepEqual(frames.map((f) => [f.opcode, f.fin, f.rsv, String(f.payload)]), [[1, false, 4, 'ab'], [0, false, 0, 'cd'], [0, true, 0, 'e']]);
    assert.equal(repeated('ab', 5).toString(), 'ababa');
  });
});

describe("Autobahn's two columns", () => {
  test('the echo and a clean close: OK, OK', () => {
    const judged = judgeCase(echoCase, record({ events: [{ kind: 'message', type: 'text', data: Buffer.from('hi') }] }));
    assert.deepEqual([judged.behaviour, judged.close], ['OK', 'OK']);
    assert.deepEqual(checkAutobahnCase(echoCase, record({ events: [{ kind: 'message', type: 'text', data: Buffer.from('hi') }] }), judged), [
      { requirement: 'WS-CLOSE-TCP-BY-SERVER', held: true, expected: 'the server to close the TCP connection after the close handshake (RFC 6455 §5.5.1)', actual: 'clean, code 1000' },
    ]);
  });
  test('a binary echo of a text message fails the events, and pushspec fails the case', () => {
    const r = record({ events: [{ kind: 'message', type: 'binary', data: Buffer.from('hi') }] });
    assert.equal(judgeCase(echoCase, r).behaviour, 'FAILED');
    assert.throws(() => checkAutobahnCase(echoCase, r, judgeCase(echoCase, r)), ConformanceFailure);
  });
  test('no reply to the client close is UNCLEAN, which pushspec fails (RFC 6455 §5.5.1)', () => {
    const r = record({ events: [{ kind: 'message', type: 'text', data: Buffer.from('hi') }], clean: false, serverClosed: false, serverCode: undefined });
    assert.equal(judgeCase(echoCase, r).close, 'UNCLEAN');
    assert.throws(() => checkAutobahnCase(echoCase, r, judgeCase(echoCase, r)), /complete closing handshake/);
  });
  test('a server that never fails the connection: events OK, close FAILED (the wrong endpoint), a fail in pushspec', () => {
    const r = record({ events: [{ kind: 'message', type: 'text', data: Buffer.from('ok') }], closedByClient: true, killed: true, serverCode: 1001 });
    const judged = judgeCase(failCase, r);
    assert.deepEqual([judged.behaviour, judged.close], ['OK', 'FAILED']);
    assert.throws(() => checkAutobahnCase(failCase, r, judged), /did not fail the connection/);
  });
  test('failing before the echo is NON-STRICT, reported under the case part; a wrong code is the SHOULD of §7.1.7', () => {
    const r = record({ closedByClient: false, clean: false, serverCode: 1011, outcome: 'code 1011' });
    const judged = judgeCase(failCase, r);
    assert.deepEqual([judged.behaviour, judged.close], ['NON-STRICT', 'WRONG CODE']);
    const parts = checkAutobahnCase(failCase, r, judged);
    assert.deepEqual(parts.map((p) => [p.requirement, p.held]), [['WS-FAIL-CLOSE-FRAME', false], ['WS-ECHO-BEFORE-FAIL', false]]);
  });
  test('7.x: a wrong code fails the case', () => {
    const strict: AutobahnCase = { ...failCase, close: serverFails([1002], { wrongCodeIsFatal: true }) };
    const r = record({ closedByClient: false, clean: false, serverCode: 1000, events: [{ kind: 'message', type: 'text', data: Buffer.from('ok') }] });
    assert.throws(() => checkAutobahnCase(strict, r, judgeCase(strict, r)), /Autobahn fails any other close code/);
  });
  test('a close code no endpoint may send fails (RFC 6455 §7.4.1)', () => {
    const r = record({ closedByClient: false, clean: false, serverCode: 1005, events: [{ kind: 'message', type: 'text', data: Buffer.from('ok') }] });
    assert.throws(() => checkAutobahnCase(failCase, r, judgeCase(failCase, r)), /may send/);
  });
  test('a message over a declared limit may be refused with a failed connection', () => {
    const big: AutobahnCase = { ...echoCase, sizes: { messageBytes: 2048, frameBytes: 2048 } };
    const r = record({ closedByClient: false, clean: false, serverCode: 1009 });
    assert.deepEqual(checkAutobahnCase(big, r, judgeCase(big, r), { maxMessageBytes: 1024 }).map((p) => [p.requirement, p.held]), [['WS-FAIL-CLOSE-FRAME', true]]);
    assert.throws(() => checkAutobahnCase(big, r, judgeCase(big, r), {}), ConformanceFailure);
  });
  test('event lists compare type and bytes, or length only, or SHA-1', () => {
    const got = [{ kind: 'message' as const, type: 'text' as const, data: Buffer.from('abc') }];
    assert.ok(listMatches(got, [{ kind: 'message', type: 'text', length: 3 }]));
    assert.ok(!listMatches(got, [{ kind: 'message', type: 'text', length: 4 }]));
    assert.ok(listMatches(got, [{ kind: 'message', type: 'text', length: 3, sha1: 'a9993e364706816aba3e25717850c26c9cd0d89d' }]));
  });
  test("a row's outcome words come from the case's data", () => {
    assert.equal(outcomeWords(echoCase), 'the echo, then a clean close (1000)');
    assert.equal(outcomeWords(failCase), 'the echo (nothing back: non-strict), then the server fails the connection (1002)');
  });
});

describe('the pool', () => {
  test('plays each case once, at most `concurrency` at a time', async () => {
    const pool = new CasePool(2);
    let running = 0;
    let most = 0;
    const play = async () => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setImmediate(resolve));
      running -= 1;
      return { record: record({}), transcript: new Transcript(), judged: { behaviour: 'OK' as const, close: 'OK' as const, closeText: '' } };
    };
    const results = await Promise.all(['a', 'b', 'c', 'd', 'a'].map((id) => pool.schedule(id, play)));
    assert.equal(most, 2);
    assert.equal(results[0], results[4]);
  });
});

describe('a case played against a loopback echo server', () => {
  test('1.1.8-style chopped writes arrive whole, the echo comes back, the close is clean', async () => {
    const { playCase } = await import('../techniques/websocket/autobahn/play.ts');
    const { startEchoServer } = await import('./support/tiny-echo.ts');
    const server = await startEchoServer();
    try {
      const c: AutobahnCase = { ...echoCase, script: async (conn) => void (await conn.send({ opcode: OPCODE.text, payload: 'hi' }, OCTET_WISE)) };
      const played = await playCase(c, { url: server.url });
      assert.deepEqual([played.judged.behaviour, played.judged.close], ['OK', 'OK']);
      assert.ok(server.chunkSizes().some((n) => n === 1), `the server saw 1-byte chunks: ${server.chunkSizes().join(',')}`);
    } finally {
      await server.close();
    }
  });

  test("a server's own ping is answered, not taken for an event", async () => {
    const { playCase } = await import('../techniques/websocket/autobahn/play.ts');
    const { startEchoServer } = await import('./support/tiny-echo.ts');
    const server = await startEchoServer({ pingFirst: true });
    try {
      const played = await playCase(echoCase, { url: server.url });
      assert.deepEqual([played.judged.behaviour, played.judged.close], ['OK', 'OK']);
      assert.equal(played.record.events.length, 1);
    } finally {
      await server.close();
    }
  });
});

describe('a server that refuses a message and stops reading', () => {
  // python-websockets does this for a message over max_size: close 1009, then it reads no more and drops TCP only after
  // its close_timeout (10 s). The rest of a large write then never drains; the case must still end when the server's close came.
  test('the case ends with the close 1009, not at its deadline waiting for its own write', async () => {
    const { playCase } = await import('../techniques/websocket/autobahn/play.ts');
    const { createServer } = await import('node:http');
    const { createHash } = await import('node:crypto');
    const { encodeFrame } = await import('../techniques/websocket/frame.ts');
    const sockets = new Set<Duplex>();
    const http = createServer();
    http.on('upgrade', (request, socket) => {
      sockets.add(socket);
      const accept = createHash('sha1').update(`${request.headers['sec-websocket-key']}258EAFA5-E914-47DA-95CA-C5AB0DC11B85`).digest('base64');
      socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
      socket.once('data', () => {
        socket.pause();
        socket.write(encodeFrame({ opcode: OPCODE.close, payload: Buffer.from([0x03, 0xf1]), mask: false }));
      });
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const { port } = http.address() as AddressInfo;
    try {
      // 64 MiB: more than loopback's socket buffers hold, so the write cannot drain while the server does not read.
      const length = 64 * 1024 * 1024;
      const c: AutobahnCase = {
        ...echoCase,
        id: 'T3',
        requirement: 'WS-LARGE-MESSAGE',
        script: async (conn) => void (await conn.sendMessage('binary', Buffer.alloc(length, 7))),
        expected: { ok: [[{ kind: 'message', type: 'binary', length }]] },
        ending: { kind: 'close', afterMs: 60_000 },
        timeoutMs: 60_000,
        sizes: { messageBytes: length, frameBytes: length },
      };
      const played = await playCase(c, { url: `ws://127.0.0.1:${port}/` });
      assert.equal(played.record.aborted, undefined);
      assert.equal(played.record.serverCode, 1009);
      const parts = checkAutobahnCase(c, played.record, played.judged, { maxMessageBytes: 1024 * 1024 });
      assert.deepEqual(parts.map((p) => [p.requirement, p.held]), [['WS-FAIL-CLOSE-FRAME', true]]);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    }
  });
});

/**
 * RawWebSocket against a `ws` echo server and tiny raw `net` servers that
 * misbehave on purpose: what it records, how waits resolve and fail, the close
 * outcomes, and the findings it keeps for a server's protocol errors.
 * No fixed sleeps: servers act when the client's frames arrive.
 */
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { ConformanceFailure } from '../core/failure.ts';
import { READ_CAP_ENV } from '../core/read-cap.ts';
import { Transcript } from '../core/transcript.ts';
import { acceptKeyFor, closePayload, encodeFrame, FrameReader, type DecodedFrame } from '../techniques/websocket/frame.ts';
import { framePreview, RawWebSocket, WS_FINDING_CAP, type RawConnectOptions } from '../techniques/websocket/raw-client.ts';

const cleanups: Array<() => Promise<void> | void> = [];
const clients: RawWebSocket[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function connect(url: string, extra: Partial<RawConnectOptions> = {}): Promise<{ ws: RawWebSocket; transcript: Transcript }> {
  const transcript = extra.transcript ?? new Transcript();
  const ws = await RawWebSocket.connect({ url, actor: 'client alice', transcript, deadlineMs: 2000, ...extra });
  clients.push(ws);
  return { ws, transcript };
}

/** A `ws` server that echoes, and acts on a few command messages. */
async function echoServer(): Promise<string> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((resolve) => wss.once('listening', resolve));
  wss.on('connection', (socket: WebSocket) => {
    socket.on('error', () => {});
    socket.on('message', (data, isBinary) => {
      const text = isBinary ? '' : data.toString();
      if (text === 'close-me') socket.close(4000, 'bye');
      else if (text === 'ping-me') socket.ping('hello');
      else if (text === 'frag-me') {
        socket.send('ab', { fin: false });
        socket.send('cd', { fin: false });
        socket.send('ef', { fin: true });
      } else socket.send(data, { binary: isBinary });
    });
  });
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  );
  return `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/echo?x=1`;
}

interface RawConn {
  socket: Socket;
  head: string;
  key: string | undefined;
  /** Frames the client sent, decoded, as they arrive. */
  frames: DecodedFrame[];
  nextFrame: () => Promise<DecodedFrame>;
}

/** A raw TCP server: reads the request head, then hands the connection to the test. */
async function rawServer(handler: (conn: RawConn) => void): Promise<{ url: string; server: Server }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    let buffered = Buffer.alloc(0);
    let conn: RawConn | undefined;
    const reader = new FrameReader();
    const waiting: Array<(f: DecodedFrame) => void> = [];
    let read = 0;
    socket.on('data', (chunk: Buffer) => {
      if (conn) {
        for (const frame of reader.push(chunk)) {
          conn.frames.push(frame);
          waiting.shift()?.(frame);
        }
        return;
      }
      buffered = Buffer.concat([buffered, chunk]);
      const end = buffered.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buffered.subarray(0, end).toString();
      const key = /^sec-websocket-key: (.*)$/im.exec(head)?.[1]?.trim();
      const frames: DecodedFrame[] = [];
      conn = {
        socket,
        head,
        key,
        frames,
        nextFrame: () => {
          const already = frames[read];
          read += 1;
          return already ? Promise.resolve(already) : new Promise((resolve) => waiting.push(resolve));
        },
      };
      handler(conn);
      const rest = buffered.subarray(end + 4);
      if (rest.length > 0) socket.emit('data', rest);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  return { url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/raw`, server };
}

const upgrade = (key: string | undefined, extra = ''): string =>
  `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${acceptKeyFor(key ?? '')}\r\n${extra}\r\n`;

const serverFrame = (opcode: number, payload: Buffer | string = '', extra: { fin?: boolean; rsv?: number; mask?: boolean; length?: 'minimal' | 16 | 64 } = {}): Buffer =>
  encodeFrame({ opcode, payload, mask: false, ...extra });

describe('RawWebSocket against a ws echo server', () => {
  test('records the handshake and upgrades', async () => {
    const url = await echoServer();
    const { ws, transcript } = await connect(url, { protocols: ['chat', 'superchat'], origin: 'http://example.test', headers: { 'X-Extra': '1', 'sec-websocket-version': '13' } });
    assert.equal(ws.status, 101);
    assert.equal(ws.upgraded, true);
    assert.equal(ws.headers['upgrade']?.toLowerCase(), 'websocket');
    assert.equal(ws.headers['sec-websocket-accept'], ws.expectedAccept);
    const [exchange] = transcript.toEvidence().exchanges;
    assert.ok(exchange);
    assert.equal(exchange.actor, 'client alice');
    assert.equal(exchange.method, 'GET');
    assert.equal(exchange.url, '/echo?x=1');
    assert.equal(exchange.status, 101);
    assert.equal(exchange.requestHeaders['Upgrade'], 'websocket');
    assert.equal(exchange.requestHeaders['Sec-WebSocket-Protocol'], 'chat, superchat');
    assert.equal(exchange.requestHeaders['Origin'], 'http://example.test');
    assert.equal(exchange.requestHeaders['X-Extra'], '1');
    assert.equal(exchange.requestHeaders['sec-websocket-version'], '13');
    assert.equal(exchange.requestHeaders['Sec-WebSocket-Version'], undefined);
    assert.equal(exchange.responseHeaders?.['sec-websocket-accept'], ws.expectedAccept);
    assert.ok(exchange.endedAtMs !== undefined && exchange.endedAtMs >= exchange.startedAtMs);
    assert.equal(ws.exchange, exchange);
  });

  test('echoes text and binary, recording frames both ways', async () => {
    const url = await echoServer();
    const { ws, transcript } = await connect(url);
    ws.sendText('héllo');
    assert.deepEqual(await ws.inbox.nextMessage(2000), { type: 'text', data: Buffer.from('héllo'), frames: 1 });
    ws.sendBinary(Buffer.from([1, 2, 3]));
    const bin = await ws.inbox.nextMessage(2000);
    assert.equal(bin.type, 'binary');
    assert.deepEqual([...bin.data], [1, 2, 3]);
    const frames = transcript.toEvidence().frames ?? [];
    assert.deepEqual(
      frames.map((f) => [f.direction, f.opcode, f.masked, f.length, f.preview]),
      [
        ['sent', 1, true, 6, 'héllo'],
        ['received', 1, false, 6, 'héllo'],
        ['sent', 2, true, 3, '01 02 03'],
        ['received', 2, false, 3, '01 02 03'],
      ],
    );
    assert.equal(frames[0]?.connection, 'client alice');
    assert.deepEqual(ws.findings, []);
  });

  test('reassembles fragments both ways, with a ping between them', async () => {
    const url = await echoServer();
    const { ws } = await connect(url);
    ws.sendFragments(1, ['fr', 'ag', '-me'], new Map([[1, { opcode: 9, payload: 'mid' }]]));
    const pong = await ws.inbox.nextPong(2000);
    assert.equal(pong.payload.toString(), 'mid');
    const message = await ws.inbox.nextMessage(2000);
    assert.deepEqual([message.type, message.data.toString(), message.frames], ['text', 'abcdef', 3]);
    assert.equal(ws.inbox.pongs.length, 1);
  });

  test('answers the server ping with a pong', async () => {
    const url = await echoServer();
    const { ws, transcript } = await connect(url);
    ws.sendText('ping-me');
    const ping = await ws.inbox.nextFrame(2000);
    assert.equal(ping.opcode, 9);
    assert.equal(ws.inbox.pings.length, 1);
    const sentPong = (transcript.toEvidence().frames ?? []).find((f) => f.direction === 'sent' && f.opcode === 10);
    assert.equal(sentPong?.preview, '68 65 6c 6c 6f');
    // The server still answers after the pong: the connection is fine.
    ws.sendText('after');
    assert.equal((await ws.inbox.nextMessage(2000)).data.toString(), 'after');
  });

  test('client-initiated close handshake is clean with the code', async () => {
    const url = await echoServer();
    const { ws, transcript } = await connect(url);
    assert.equal(ws.close(1000, 'done'), true);
    const result = await ws.waitForClose(2000);
    assert.equal(result.outcome, 'clean, code 1000');
    assert.equal(result.tcpClosedBy, 'server');
    assert.equal(result.closeFrame?.code, 1000);
    assert.ok(result.tcpClosedAtMs !== undefined);
    assert.equal(transcript.closeOutcome, 'clean, code 1000');
    const closes = (transcript.toEvidence().frames ?? []).filter((f) => f.opcode === 8);
    assert.deepEqual(closes.map((f) => [f.direction, f.closeCode, f.preview]), [['sent', 1000, '1000 done'], ['received', 1000, '1000 done']]);
    assert.equal(ws.sendText('late'), false);
    assert.equal(ws.sendRaw(Buffer.from([0])), false);
  });

  test('server-initiated close is echoed and clean', async () => {
    const url = await echoServer();
    const { ws, transcript } = await connect(url);
    ws.sendText('close-me');
    const result = await ws.waitForClose(2000);
    assert.equal(result.outcome, 'clean, code 4000');
    assert.equal(result.closeFrame?.reason, 'bye');
    const sentClose = (transcript.toEvidence().frames ?? []).find((f) => f.direction === 'sent' && f.opcode === 8);
    assert.equal(sentClose?.closeCode, 4000);
    await assert.rejects(ws.inbox.nextMessage(500), (error: unknown) => error instanceof ConformanceFailure && /close frame \(code 4000\) instead/.test(error.actual));
  });

  test('an unmasked client frame makes ws close with 1002', async () => {
    const url = await echoServer();
    const { ws } = await connect(url);
    ws.sendText('naked', { mask: false });
    const result = await ws.waitForClose(2000);
    assert.equal(result.outcome, 'clean, code 1002');
  });
});

describe('RawWebSocket against raw servers', () => {
  test('a server that drops TCP without a close frame', async () => {
    const { url } = await rawServer(async (conn) => {
      conn.socket.write(upgrade(conn.key));
      await conn.nextFrame();
      conn.socket.destroy();
    });
    const { ws, transcript } = await connect(url);
    ws.sendText('bye?');
    const result = await ws.waitForClose(2000);
    assert.equal(result.outcome, 'no close frame: the server dropped the TCP connection');
    assert.equal(result.tcpClosedBy, 'server');
    assert.equal(result.closeFrame, undefined);
    assert.equal(transcript.closeOutcome, result.outcome);
    await assert.rejects(ws.inbox.nextFrame(500), (error: unknown) => error instanceof ConformanceFailure && /no frames received; the server closed the TCP connection/.test(error.actual));
  });

  test('a non-101 answer with a body is returned, not thrown', async () => {
    const { url } = await rawServer((conn) => {
      conn.socket.write('HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: 11\r\nX-A: 1\r\nX-A: 2\r\n\r\nbad request and more');
    });
    const { ws, transcript } = await connect(url);
    assert.equal(ws.status, 400);
    assert.equal(ws.statusText, 'Bad Request');
    assert.equal(ws.upgraded, false);
    assert.equal(ws.body, 'bad request');
    assert.equal(ws.headers['x-a'], '1, 2');
    const [exchange] = transcript.toEvidence().exchanges;
    assert.equal(exchange?.status, 400);
    assert.equal(exchange?.responseBody, 'bad request');
    assert.equal(exchange?.responseBytes, 11);
    assert.equal(ws.sendText('x'), false);
    const result = await ws.waitForClose(100);
    assert.equal(result.outcome, 'no close frame: the client closed the TCP connection');
  });

  test('a non-101 answer with a chunked body, and one ended by close', async () => {
    const { url: chunkedUrl } = await rawServer((conn) => {
      conn.socket.write('HTTP/1.1 426 Upgrade Required\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n');
    });
    const chunked = (await connect(chunkedUrl)).ws;
    assert.equal(chunked.status, 426);
    assert.equal(chunked.body, 'hello world');

    const { url: closeUrl } = await rawServer((conn) => {
      conn.socket.write('HTTP/1.0 403 Forbidden\r\n\r\nno ');
      conn.socket.end('entry');
    });
    const closed = (await connect(closeUrl)).ws;
    assert.equal(closed.status, 403);
    assert.equal(closed.body, 'no entry');

    const { url: slowUrl } = await rawServer((conn) => {
      conn.socket.write('HTTP/1.1 500 Oops\r\n\r\npartial');
    });
    const slow = (await connect(slowUrl, { deadlineMs: 150 })).ws;
    assert.equal(slow.status, 500);
    assert.equal(slow.body, 'partial');
  });

  test('the handshake with key and version omitted, another method and extra headers', async () => {
    let head = '';
    const { url } = await rawServer((conn) => {
      head = conn.head;
      conn.socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n');
    });
    const { ws, transcript } = await connect(url.replace('ws:', 'http:'), { key: null, version: null, method: 'POST' });
    assert.equal(ws.status, 400);
    assert.equal(ws.expectedAccept, undefined);
    assert.match(head, /^POST \/raw HTTP\/1.1\r\n/);
    assert.doesNotMatch(head, /sec-websocket-key/i);
    assert.doesNotMatch(head, /sec-websocket-version/i);
    const [exchange] = transcript.toEvidence().exchanges;
    assert.equal(exchange?.method, 'POST');
    assert.equal(exchange?.requestHeaders['Sec-WebSocket-Key'], undefined);
  });

  test('a fixed key gets the matching expected accept', async () => {
    const { url } = await rawServer((conn) => conn.socket.write(upgrade(conn.key)));
    const { ws } = await connect(url, { key: 'dGhlIHNhbXBsZSBub25jZQ==', version: '8' });
    assert.equal(ws.expectedAccept, 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
    assert.equal(ws.headers['sec-websocket-accept'], ws.expectedAccept);
  });

  test('findings for a server that breaks the framing rules', async () => {
    const { url } = await rawServer(async (conn) => {
      conn.socket.write(
        Buffer.concat([
          Buffer.from(upgrade(conn.key)),
          encodeFrame({ opcode: 1, payload: 'masked', maskKey: Buffer.from([1, 2, 3, 4]) }),
          serverFrame(1, 'long', { length: 16 }),
          serverFrame(1, 'rsv', { rsv: 2 }),
          serverFrame(3, 'x'),
          serverFrame(9, 'frag', { fin: false }),
          serverFrame(10, Buffer.alloc(126)),
          serverFrame(0, 'orphan'),
          serverFrame(1, 'start', { fin: false }),
          serverFrame(2, 'restart'),
        ]),
      );
      await conn.nextFrame();
      conn.socket.write(Buffer.concat([serverFrame(8, Buffer.from([3])), serverFrame(1, 'after close')]));
    });
    const { ws } = await connect(url);
    const first = await ws.inbox.nextMessage(2000);
    assert.equal(first.data.toString(), 'masked');
    ws.sendText('go');
    const result = await ws.waitForClose(300);
    assert.equal(result.closeFrame?.code, undefined);
    // The server's own malformed frame is named first, then how the connection ended.
    assert.match(result.outcome, /^the server sent a malformed frame: frame 1 \(text\) is masked \(RFC 6455 §5\.1: a server MUST NOT mask\); then close frame with no status code, but the TCP connection still open after 300 ms$/);
    const expected = [
      /frame 1 \(text\) is masked/,
      /frame 2 \(text\) uses a 16-bit length for 4 bytes/,
      /frame 3 \(text\) sets reserved bits 2/,
      /frame 4 \(opcode 3\) uses a reserved opcode/,
      /frame 5 \(ping\) is a fragmented control frame/,
      /frame 6 \(pong\) is a control frame with 126 payload bytes/,
      /frame 7 \(continuation\) continues no fragmented message/,
      /frame 9 \(binary\) starts a new message before the fragmented one ended/,
      /frame 10 \(close\) has a 1-byte payload/,
      /frame 11 \(text\) came after the server's close frame/,
    ];
    assert.equal(ws.findings.length, expected.length, ws.findings.map((f) => f.text).join('\n'));
    expected.forEach((pattern, i) => assert.match(ws.findings[i]?.text ?? '', pattern));
  });

  test('findings for bad close codes and reasons; reply with 1002 for an unsendable code', async () => {
    const { url } = await rawServer(async (conn) => {
      conn.socket.write(Buffer.concat([Buffer.from(upgrade(conn.key)), serverFrame(8, closePayload(1005, Buffer.from([0xff])))]));
      const reply = await conn.nextFrame();
      conn.socket.end(serverFrame(1, reply.payload.readUInt16BE(0).toString()));
    });
    const { ws } = await connect(url);
    const result = await ws.waitForClose(2000);
    assert.equal(result.outcome, 'clean, code 1005');
    assert.equal(result.closeFrame?.reasonValidUtf8, false);
    assert.equal(ws.received.at(-1)?.payload.toString(), '1002');
    assert.match(ws.findings[0]?.text ?? '', /close code 1005, which may not be sent/);
    assert.match(ws.findings[1]?.text ?? '', /not valid UTF-8/);
    assert.match(ws.findings[2]?.text ?? '', /came after the server's close frame/);
  });

  test('a text message that is not UTF-8, and a head sent with the first frame', async () => {
    const { url } = await rawServer((conn) => {
      conn.socket.write(Buffer.concat([Buffer.from(upgrade(conn.key, 'Sec-WebSocket-Extensions: permessage-deflate\r\n')), serverFrame(1, Buffer.from([0xc3, 0x28]), { rsv: 4 })]));
    });
    const { ws } = await connect(url);
    const message = await ws.inbox.nextMessage(2000);
    assert.equal(message.type, 'text');
    assert.deepEqual(ws.findings.length, 1);
    assert.match(ws.findings[0]?.text ?? '', /not valid UTF-8/);
  });

  test('autoPong off leaves pings unanswered; autoCloseReply off leaves the close unanswered', async () => {
    const { url } = await rawServer(async (conn) => {
      conn.socket.write(Buffer.concat([Buffer.from(upgrade(conn.key)), serverFrame(9, 'p'), serverFrame(8, closePayload(1000))]));
    });
    const { ws, transcript } = await connect(url, { autoPong: false, autoCloseReply: false });
    const result = await ws.waitForClose(200);
    assert.equal(result.outcome, 'close frame with code 1000, but the TCP connection still open after 200 ms');
    assert.equal(result.tcpClosedBy, 'still open');
    assert.equal((transcript.toEvidence().frames ?? []).filter((f) => f.direction === 'sent').length, 0);
    ws.destroy();
    ws.destroy();
    const after = await ws.waitForClose(10);
    assert.equal(after.outcome, 'close frame with code 1000, then the client closed the TCP connection');
  });

  test('a silent server: waits fail naming what was awaited and seen; close outcome still open', async () => {
    const { url } = await rawServer((conn) => {
      conn.socket.write(Buffer.concat([Buffer.from(upgrade(conn.key)), serverFrame(1, 'one'), serverFrame(9, '')]));
    });
    const { ws } = await connect(url);
    await ws.inbox.nextMessage(2000);
    await assert.rejects(ws.inbox.nextMessage(100), (error: unknown) => {
      assert.ok(error instanceof ConformanceFailure);
      assert.equal(error.expected, 'a message from the server within 100 ms');
      assert.equal(error.actual, '2 frames received: text, ping; the connection is still open');
      return true;
    });
    await assert.rejects(ws.inbox.nextPong(50), /a pong from the server within 50 ms/);
    const result = await ws.waitForClose(50);
    assert.equal(result.outcome, 'still open after 50 ms');
    assert.equal(result.tcpClosedBy, 'still open');
    ws.destroy();
    assert.equal((await ws.inbox.nextFrame(50)).opcode, 9, 'the ping, skipped by nextMessage, is still unread');
    await assert.rejects(ws.inbox.nextFrame(50), (error: unknown) => error instanceof ConformanceFailure && /the client closed the connection/.test(error.actual));
  });

  test('sendRaw, ping and pong are written and recorded', async () => {
    const { url } = await rawServer(async (conn) => {
      conn.socket.write(upgrade(conn.key));
      const a = await conn.nextFrame();
      const b = await conn.nextFrame();
      const c = await conn.nextFrame();
      conn.socket.write(serverFrame(1, `${a.opcode},${b.opcode},${c.opcode}:${c.payload.toString()}`));
    });
    const { ws, transcript } = await connect(url);
    ws.ping('x');
    ws.pong();
    ws.sendRaw(encodeFrame({ opcode: 1, payload: 'raw', maskKey: Buffer.from([0, 0, 0, 0]) }));
    assert.equal((await ws.inbox.nextMessage(2000)).data.toString(), '9,10,1:raw');
    const sent = (transcript.toEvidence().frames ?? []).filter((f) => f.direction === 'sent');
    assert.deepEqual(sent.map((f) => [f.opcode, f.preview]), [[9, '78'], [10, ''], [-1, '81 83 00 00 00 00 72 61 77']]);
  });

  test('a frame over maxFrameBytes is a finding and ends the connection', async () => {
    const { url } = await rawServer((conn) => {
      conn.socket.write(Buffer.concat([Buffer.from(upgrade(conn.key)), serverFrame(2, Buffer.alloc(500))]));
    });
    const { ws } = await connect(url, { maxFrameBytes: 100 });
    const result = await ws.waitForClose(2000);
    assert.equal(result.tcpClosedBy, 'client');
    assert.match(ws.findings[0]?.text ?? '', /500 payload bytes, over the 100-byte limit; the client stopped reading/);
  });

  test('a connection that sends more than the read cap is closed by the client, and its waits say why', async () => {
    const { url } = await rawServer((conn) => {
      conn.socket.write(upgrade(conn.key));
      // Small valid frames without end: each is kept, so only the cap bounds them.
      const burst = Buffer.concat(Array.from({ length: 512 }, () => serverFrame(9, 'x'.repeat(100))));
      const flood = (): void => {
        while (!conn.socket.destroyed && conn.socket.write(burst));
        if (!conn.socket.destroyed) conn.socket.once('drain', flood);
      };
      flood();
    });
    process.env[READ_CAP_ENV] = '1';
    const { ws } = await connect(url, { autoPong: false }).finally(() => delete process.env[READ_CAP_ENV]);
    const error = await ws.inbox.nextMessage(10_000).then(() => assert.fail('pings are no message'), (e: unknown) => e as ConformanceFailure);
    assert.ok(error instanceof ConformanceFailure);
    assert.match(error.actual, /; pushspec closed the connection after the server sent more than pushspec's read cap \(1 MiB, PUSHSPEC_READ_CAP_MIB\), at \d+(\.\d+)? ms$/);
    assert.equal(ws.tcpClosedBy, 'client');
  });

  test("the server's malformed frames are named as such in what a wait saw", async () => {
    const { url } = await rawServer((conn) => {
      conn.socket.write(Buffer.concat([Buffer.from(upgrade(conn.key)), serverFrame(1, 'masked', { mask: true })]));
      conn.socket.end();
    });
    const { ws } = await connect(url);
    await ws.inbox.nextMessage(2000);
    const error = await ws.inbox.nextMessage(2000).then(() => assert.fail('no second message was sent'), (e: unknown) => e as ConformanceFailure);
    assert.match(error.actual, /^the server sent a malformed frame: frame 1 \(text\) is masked .*; 1 frame received: text; the server closed the TCP connection/);
  });

  test('findings are capped', async () => {
    const { url } = await rawServer((conn) => {
      const frames = Array.from({ length: WS_FINDING_CAP + 5 }, () => serverFrame(3));
      conn.socket.write(Buffer.concat([Buffer.from(upgrade(conn.key)), ...frames, serverFrame(1, 'end')]));
    });
    const { ws } = await connect(url);
    await ws.inbox.nextMessage(2000);
    assert.equal(ws.findings.length, WS_FINDING_CAP);
    assert.equal(ws.inbox.omittedFindingCount, 5);
    await assert.rejects(async () => {
      for (;;) await ws.inbox.nextFrame(20);
    }, ConformanceFailure);
    assert.match(ws.describe(), /56 frames received: opcode 3, .*… 44 more/);
  });
});

describe('RawWebSocket handshake failures', () => {
  test('no response head within the deadline', async () => {
    const { url } = await rawServer((conn) => conn.socket.write('HTTP/1.1 101 Sw'));
    const transcript = new Transcript();
    await assert.rejects(RawWebSocket.connect({ url, actor: 'client bob', transcript, deadlineMs: 100 }), (error: unknown) => {
      assert.ok(error instanceof ConformanceFailure);
      assert.equal(error.expected, 'an answer to the WebSocket handshake GET /raw within 100 ms');
      assert.match(error.actual, /no complete response head after \d+ ms \(15 bytes received\)/);
      return true;
    });
    assert.match(transcript.toEvidence().exchanges[0]?.error ?? '', /no complete response head/);
  });

  test('a refused connection', async () => {
    const { url, server } = await rawServer(() => {});
    await new Promise((resolve) => server.close(resolve));
    await assert.rejects(connect(url), (error: unknown) => error instanceof ConformanceFailure && /the connection failed \(ECONNREFUSED/.test(error.actual));
  });

  test('the server closes before a complete head', async () => {
    const { url } = await rawServer((conn) => conn.socket.end('HTTP/1.1 101'));
    await assert.rejects(connect(url), (error: unknown) => error instanceof ConformanceFailure && /before a complete response head \(12 bytes received\)/.test(error.actual));
  });

  test('a response that is not HTTP, and a head that never ends', async () => {
    const { url } = await rawServer((conn) => conn.socket.write('SSH-2.0-OpenSSH\r\n\r\n'));
    await assert.rejects(connect(url), (error: unknown) => error instanceof ConformanceFailure && /a response that is not HTTP: "SSH-2.0-OpenSSH"/.test(error.actual));
    const { url: longUrl } = await rawServer((conn) => conn.socket.write(`HTTP/1.1 101 OK\r\nX: ${'a'.repeat(20000)}`));
    await assert.rejects(connect(longUrl), (error: unknown) => error instanceof ConformanceFailure && /a response head over 16384 bytes/.test(error.actual));
  });

  test('a scheme other than ws, wss, http or https is refused up front', async () => {
    await assert.rejects(RawWebSocket.connect({ url: 'ftp://127.0.0.1:1/', actor: 'a', transcript: new Transcript(), deadlineMs: 100 }), TypeError);
  });
});

test('framePreview: text cut at 60 characters, close code and reason, hex cut at 32 bytes', () => {
  assert.equal(framePreview(1, Buffer.from('x'.repeat(61))), `${'x'.repeat(60)}…`);
  assert.equal(framePreview(8, closePayload(1000, 'ok')), '1000 ok');
  assert.equal(framePreview(8, Buffer.alloc(0)), '');
  assert.equal(framePreview(8, Buffer.from([3])), '03');
  assert.equal(framePreview(2, Buffer.alloc(33)), `${'00 '.repeat(32).trim()} …`);
});

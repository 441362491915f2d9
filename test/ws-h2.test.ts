/**
 * WebSockets over HTTP/2 (RFC 8441): the client's exchange (techniques/websocket/h2-connect.ts) against an in-process
 * node:http2 server, and the pure checks (techniques/websocket/h2-checks.ts).
 */
import assert from 'node:assert/strict';
import { createServer, type ServerHttp2Stream } from 'node:http2';
import { describe, test } from 'node:test';
import { type ConformanceFailure } from '../core/failure.ts';
import { Transcript } from '../core/transcript.ts';
import { OPCODE } from '../techniques/websocket/frame.ts';
import { checkConnectProtocolEnabled, checkEchoOverHttp2 } from '../techniques/websocket/h2-checks.ts';
import { runH2Echo, type H2EchoRun } from '../techniques/websocket/h2-echo.ts';

/** Echoes unfragmented masked frames with payloads under 126 bytes, and a close with a close and END_STREAM. */
function tinyEcho(stream: ServerHttp2Stream): void {
  let pending = Buffer.alloc(0);
  stream.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= 6 && pending.length >= 6 + (pending[1]! & 0x7f)) {
      const opcode = pending[0]! & 0x0f;
      const length = pending[1]! & 0x7f;
      const payload = Buffer.from(pending.subarray(6, 6 + length)).map((b, i) => b ^ pending[2 + (i % 4)]!);
      pending = pending.subarray(6 + length);
      const frame = Buffer.concat([Buffer.from([0x80 | opcode, length]), payload]);
      if (opcode === OPCODE.close) stream.end(frame);
      else stream.write(frame);
    }
  });
}

async function against(enableConnectProtocol: boolean, status: number): Promise<H2EchoRun> {
  const server = createServer({ settings: { enableConnectProtocol } });
  server.on('stream', (stream, headers) => {
    assert.equal(headers[':protocol'], 'websocket');
    stream.respond({ ':status': status });
    if (status === 200) tinyEcho(stream);
    else stream.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as { port: number };
    return await runH2Echo({
      url: `ws://127.0.0.1:${port}/echo?x=1`,
      tls: {},
      transcript: new Transcript(),
      deadlineMs: 2000,
      messages: [
        { opcode: OPCODE.text, payload: Buffer.from('é ✓') },
        { opcode: OPCODE.binary, payload: Buffer.from([0, 1, 2, 255]) },
      ],
    });
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

describe('WebSockets over HTTP/2 (RFC 8441)', () => {
  test('a server that allows the extended CONNECT and echoes passes both checks', async () => {
    const run = await against(true, 200);
    // The tiny echo answers the close frame with its payload as it came: 1000.
    assert.deepEqual([run.enableConnectProtocol, run.status, run.closeCode, run.streamEnded], [true, 200, 1000, true]);
    checkConnectProtocolEnabled(run);
    checkEchoOverHttp2(run);
  });

  test('without SETTINGS_ENABLE_CONNECT_PROTOCOL no CONNECT is sent, and both checks fail, naming why', async () => {
    const run = await against(false, 200);
    assert.equal(run.status, undefined);
    assert.throws(() => checkConnectProtocolEnabled(run), (e: ConformanceFailure) => /did not carry it/.test(e.actual));
    assert.throws(() => checkEchoOverHttp2(run), (e: ConformanceFailure) => /RFC 8441 §3/.test(e.actual));
  });

  test('a CONNECT answered 404 fails the echo check with the status', async () => {
    const run = await against(true, 404);
    assert.throws(() => checkEchoOverHttp2(run), (e: ConformanceFailure) => e.actual === 'the extended CONNECT was answered 404');
  });

  test('the echo check: unchanged messages in order, then a close (1000) and END_STREAM', () => {
    const sent = [{ opcode: OPCODE.text, payload: Buffer.from('a') }];
    const frame = (opcode: number, payload: Buffer) => ({ fin: true, rsv: 0, opcode, masked: false, payload, lengthEncoding: 7 as const, minimalLength: true });
    const base: H2EchoRun = { enableConnectProtocol: true, status: 200, sent, received: [frame(OPCODE.text, Buffer.from('a')), frame(OPCODE.close, Buffer.from([3, 232]))], closeCode: 1000, streamEnded: true };
    checkEchoOverHttp2(base);
    assert.throws(() => checkEchoOverHttp2({ ...base, received: [frame(OPCODE.text, Buffer.from('b'))] }), (e: ConformanceFailure) => e.actual === 'came back: text "b"');
    assert.throws(() => checkEchoOverHttp2({ ...base, closeCode: undefined }), (e: ConformanceFailure) => /^no close frame; the stream ended/.test(e.actual));
  });
});

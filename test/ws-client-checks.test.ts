/** The WebSocket client checks (techniques/websocket/client-side/checks.ts): each holds on what a correct client does and fails on what a broken one does. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as check from '../techniques/websocket/client-side/checks.ts';
import type { ConnectionView, WsClientView } from '../techniques/websocket/client-side/checks.ts';
import type { ClientFrame } from '../techniques/websocket/client-side/scripted-ws-server.ts';
import { failure } from './support/checks.ts';

let at = 0;
const frame = (opcode: number, payload: string | Buffer, more: Partial<ClientFrame> = {}): ClientFrame => ({
  atMs: (at += 1),
  fin: true,
  rsv: 0,
  opcode,
  masked: true,
  maskKey: (1000 + at).toString(16).padStart(8, '0'),
  payload: Buffer.from(payload),
  ...more,
});
const conn = (more: Partial<ConnectionView> = {}): ConnectionView => ({ frames: [], cutByServer: false, ...more });
const request = (headers: Record<string, string>, more: Partial<{ method: string; version: string }> = {}) => ({
  method: 'GET',
  path: '/echo',
  version: 'HTTP/1.1',
  atMs: 1,
  headers: { host: '127.0.0.1:4000', upgrade: 'websocket', connection: 'Upgrade', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', 'sec-websocket-version': '13', ...headers },
  ...more,
});
const view = (connections: ConnectionView[], more: Partial<WsClientView> = {}, kase: Partial<WsClientView['case']> = {}): WsClientView => ({
  case: { name: 'a case', echoes: [], pongs: [], forbidden: [], ...kase },
  connections,
  reports: [],
  host: '127.0.0.1:4000',
  ...more,
});

describe('the opening handshake request', () => {
  test('a GET with every header holds; a wrong version or a missing Connection does not', () => {
    check.checkHandshakeRequest(view([conn({ request: request({ connection: 'keep-alive, Upgrade' }) })]));
    assert.throws(() => check.checkHandshakeRequest(view([conn({ request: request({ 'sec-websocket-version': '8' }) })])), failure(/Sec-WebSocket-Version: 13/, /Sec-WebSocket-Version "8"/));
    assert.throws(() => check.checkHandshakeRequest(view([conn({ request: request({}, { version: 'HTTP/1.0' }) })])), failure(/HTTP\/1.1/, /version HTTP\/1.0/));
  });

  test('keys: two different 16-byte nonces hold; the same key twice does not', () => {
    const other = Buffer.alloc(16, 7).toString('base64');
    check.checkFreshKeys(view([conn({ request: request({}) }), conn({ request: request({ 'sec-websocket-key': other }) })]));
    assert.throws(() => check.checkFreshKeys(view([conn({ request: request({}) }), conn({ request: request({}) })])), failure(/different Sec-WebSocket-Key/, /dGhlIHNhbXBsZSBub25jZQ==/));
    assert.throws(() => check.checkFreshKeys(view([conn({ request: request({ 'sec-websocket-key': 'c2hvcnQ=' }) }), conn({ request: request({}) })])), failure(/16 bytes/, /c2hvcnQ=/));
  });

  test('a refused answer: no open and no frame holds; an open does not', () => {
    check.checkRefused(view([conn({ clientEndedAtMs: 5 })]), true);
    assert.throws(() => check.checkRefused(view([conn()], { reports: [{ type: 'open', atMs: 3 }] }), false), failure(/not to open/, /reported open/));
    assert.throws(() => check.checkRefused(view([conn({ cutByServer: true })]), true), failure(/close the connection/, /still open/));
  });
});

describe('frames the client sends', () => {
  test('masking: all masked with ten keys of their own holds; an unmasked frame or a repeated key does not', () => {
    const frames = Array.from({ length: 10 }, (_, i) => frame(1, `m${i}`));
    check.checkAllMasked(view([conn({ frames })]));
    check.checkFreshMaskKeys(view([conn({ frames })]));
    assert.throws(() => check.checkAllMasked(view([conn({ frames: [...frames, frame(1, 'x', { masked: false })] })])), failure(/masked/, /1 of 11 frames unmasked/));
    const sameKey = frames.map((f) => ({ ...f, maskKey: 'deadbeef' }));
    assert.throws(() => check.checkFreshMaskKeys(view([conn({ frames: sameKey })])), failure(/fresh masking key/, /deadbeef/));
  });

  test('echoes: fragments joined and in order hold; a changed or missing message does not', () => {
    const echoes = [{ type: 'text' as const, data: Buffer.from('Hello, world!') }, { type: 'binary' as const, data: Buffer.from([1, 2]) }];
    const frames = [frame(1, 'Hello', { fin: false }), frame(0, ', world!'), frame(2, Buffer.from([1, 2]))];
    check.checkEchoes(view([conn({ frames })], {}, { echoes }));
    assert.throws(() => check.checkEchoes(view([conn({ frames: frames.slice(0, 2) })], {}, { echoes })), failure(/2 message\(s\) echoed/, /1 echoed/));
    assert.throws(() => check.checkEchoes(view([conn({ frames: [frame(1, 'Hello, world?'), frames[2]!] })], {}, { echoes })), failure(/echoed/, /message 1 was text "Hello, world\?"/));
  });

  test('pongs: the ping payload holds; an empty pong does not', () => {
    check.checkPongs(view([conn({ frames: [frame(10, 'ping!')] })], {}, { pongs: [Buffer.from('ping!')] }));
    assert.throws(() => check.checkPongs(view([conn({ frames: [frame(10, '')] })], {}, { pongs: [Buffer.from('ping!')] })), failure(/"ping!"/, /pong payloads ""/));
  });
});

describe('failing and closing', () => {
  const forbidden = ['bad', 'after'];
  test('a close frame and nothing delivered holds; a delivered message, an echo or a connection left open does not', () => {
    check.checkFailed(view([conn({ frames: [frame(8, Buffer.from([3, 234]))], clientClose: { code: 1002, reason: '', atMs: 2 } })], {}, { forbidden }));
    check.checkFailed(view([conn({ clientEndedAtMs: 3 })], {}, { forbidden }));
    assert.throws(() => check.checkFailed(view([conn()], { reports: [{ type: 'message', atMs: 2, data: 'after' }] }, { forbidden })), failure(/no message/, /"after"/));
    assert.throws(() => check.checkFailed(view([conn({ frames: [frame(1, 'after')] })], {}, { forbidden })), failure(/no message/, /echoed "after"/));
    assert.throws(() => check.checkFailed(view([conn({ cutByServer: true })], {}, { forbidden })), failure(/close the connection/, /still open/));
    assert.throws(() => check.checkFailed(view([conn({ clientClose: { code: 1005, reason: '', atMs: 1 } })], {}, { unsendableCode: 1005 })), failure(/not echoing code 1005/, /carried 1005/));
  });

  test('the close code of a failure: the right code holds; TCP without a close frame does not; a client that never failed is left to its MUST', () => {
    check.checkFailCode(view([conn({ clientClose: { code: 1007, reason: '', atMs: 1 } })], {}, { failCode: 1007 }));
    assert.throws(() => check.checkFailCode(view([conn({ clientEndedAtMs: 2, clientEndedFirst: true })], {}, { failCode: 1002 })), failure(/code 1002/, /closed TCP/));
    assert.throws(() => check.checkFailCode(view([conn({ clientClose: { code: 1000, reason: '', atMs: 1 } })], {}, { failCode: 1002 })), failure(/code 1002/, /code 1000/));
    check.checkFailCode(view([conn({ cutByServer: true })], {}, { failCode: 1002 }));
    check.checkFailCode(view([conn({ clientClose: { code: 1005, reason: '', atMs: 1 } })], {}, { failCode: 1002, unsendableCode: 1005 }));
    assert.throws(() => check.checkFailCode(view([conn({ clientClose: { code: 1000, reason: '', atMs: 1 } })], {}, { failCode: 1002, unsendableCode: 1005 })), failure(/code 1002/, /code 1000/));
  });

  test('the closing handshake: a close frame in answer holds, and the server closing TCP first; otherwise not', () => {
    const serverClose = { code: 1000, reason: 'bye', atMs: 1 };
    check.checkCloseAnswered(view([conn({ serverClose, clientClose: { code: 1000, reason: '', atMs: 2 } })]));
    assert.throws(() => check.checkCloseAnswered(view([conn({ serverClose, cutByServer: true })])), failure(/close frame from the client/, /still open/));
    check.checkServerClosesTcp(view([conn({ serverClose, serverEndedAtMs: 3, clientEndedAtMs: 4 })]));
    assert.throws(() => check.checkServerClosesTcp(view([conn({ serverClose, clientClose: { code: 1000, reason: '', atMs: 2 }, clientEndedAtMs: 2, clientEndedFirst: true })])), failure(/leaving the TCP close/, /0 ms after its close frame/));
  });
});

/** The scripted WebSocket server that plays cases against clients, its handshake answers, the case table and the adapter section. */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, test } from 'node:test';
import WebSocket from 'ws';
import { Transcript } from '../core/transcript.ts';
import { waitUntil } from '../core/wait.ts';
import { acceptKeyFor, OPCODE } from '../techniques/websocket/frame.ts';
import { CLIENT_CASE_NAMES, clientCase } from '../techniques/websocket/client-side/cases.ts';
import { wsClientSectionFrom } from '../techniques/websocket/client-side/contract.ts';
import { answerFor, parseHead, ScriptedWsServer } from '../techniques/websocket/client-side/scripted-ws-server.ts';

const KEY = 'dGhlIHNhbXBsZSBub25jZQ==';
const head = parseHead(`GET /echo HTTP/1.1\r\nHost: 127.0.0.1:1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${KEY}\r\nX-A: 1\r\nX-A: 2`, 0);

describe('the handshake answers', () => {
  test('the request head is read: method, path, version, headers lower-cased, repeats joined', () => {
    assert.deepEqual([head.method, head.path, head.version, head.headers['sec-websocket-key'], head.headers['x-a']], ['GET', '/echo', 'HTTP/1.1', KEY, '1, 2']);
  });

  test('"accept" answers 101 with the right accept key; each wrong answer is wrong in one way only', () => {
    const right = answerFor('accept', head);
    assert.match(right, /^HTTP\/1\.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n/);
    assert.ok(right.includes(`Sec-WebSocket-Accept: ${acceptKeyFor(KEY)}\r\n\r\n`));
    assert.ok(!answerFor('wrong-accept', head).includes(acceptKeyFor(KEY)));
    assert.ok(!answerFor('no-upgrade', head).includes('Upgrade: '));
    assert.match(answerFor('wrong-upgrade', head), /Upgrade: h2c/);
    assert.ok(!answerFor('no-connection', head).includes('Connection: '));
    assert.match(answerFor('status-200', head), /^HTTP\/1\.1 200 OK[^]*Content-Length: 0/);
  });
});

describe('the scripted server against a real client (ws)', () => {
  test('it records the masked frames with their keys, sends its own unmasked, and answers a close with a close, then ends TCP', async () => {
    const transcript = new Transcript();
    const server = await ScriptedWsServer.start(transcript, 'accept', async (conn) => conn.send([{ opcode: OPCODE.text, payload: 'hello' }]));
    try {
      const client = new WebSocket(`${server.origin}/echo`, { perMessageDeflate: false });
      const [data] = (await once(client, 'message')) as [Buffer];
      assert.equal(data.toString(), 'hello');
      client.send('back');
      client.close(1000, 'done');
      const [code] = (await once(client, 'close')) as [number];
      assert.equal(code, 1000);
      const conn = server.connections[0]!;
      await waitUntil(() => conn.closed, { what: 'the connection to close', deadlineMs: 3000, seen: () => 'open', signal: server.changes });
      assert.deepEqual(conn.frames.map((f) => [f.opcode, f.masked, /^[0-9a-f]{8}$/.test(f.maskKey ?? '')]), [[OPCODE.text, true, true], [OPCODE.close, true, true]]);
      assert.equal(conn.clientClose?.code, 1000);
      assert.equal(conn.serverClose?.code, 1000, 'the server echoed the code');
      assert.ok(conn.serverEndedAtMs !== undefined);
      const frames = transcript.toEvidence(undefined).frames ?? [];
      assert.ok(frames.some((f) => f.direction === 'sent' && f.preview.includes('(mask ')), 'the client frames show their mask keys');
    } finally {
      await server.close();
    }
  });

  test('a wrong Sec-WebSocket-Accept makes ws refuse the connection', async () => {
    const server = await ScriptedWsServer.start(new Transcript(), 'wrong-accept', async () => undefined);
    try {
      const client = new WebSocket(server.origin);
      const [error] = (await once(client, 'error')) as [Error];
      assert.match(error.message, /Sec-WebSocket-Accept/);
    } finally {
      await server.close();
    }
  });
});

describe('the case table and the adapter section', () => {
  test('names are unique; an unknown name is an error naming the known ones', () => {
    assert.equal(new Set(CLIENT_CASE_NAMES).size, CLIENT_CASE_NAMES.length);
    assert.throws(() => clientCase('no such case'), /no WebSocket client case "no such case" \(known: a text message;/);
    assert.equal(clientCase('a 1 MiB text message').echoes[0]!.data.length, 1024 * 1024);
  });

  test('"websocket": {"echo": true} is accepted; anything else names the field', () => {
    assert.deepEqual(wsClientSectionFrom({ echo: true }, 'a.json'), { echo: true });
    assert.throws(() => wsClientSectionFrom({}, 'a.json'), /a\.json: "websocket\.echo": expected true/);
    assert.throws(() => wsClientSectionFrom({ echo: true, binary: 1 }, 'a.json'), /unknown field "binary"/);
  });
});

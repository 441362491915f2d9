/**
 * The scripted poll server speaking engine.io v4 long-polling: the pure
 * encoding (read back with engine.io's own parser, so pushspec and engine.io
 * agree on the wire), the adapter section, and the server's session
 * plumbing (handshake and POSTs answered, never counted as polls).
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { describe, test } from 'node:test';
import { parser } from 'engine.io';
import { PushspecError } from '../core/errors.ts';
import { Transcript } from '../core/transcript.ts';
import { waitUntil } from '../core/wait.ts';
import { clientPollSectionFrom } from '../techniques/polling/client-side/contract.ts';
import { decodePayload, encodeEngineIoBatch, handshakeProblem, openPacket, RECORD_SEPARATOR, SESSION_DEFAULTS, sidOf } from '../techniques/polling/client-side/engine-io.ts';
import { ScriptedPollServer, type PlannedAnswer } from '../techniques/polling/client-side/poll-server.ts';

const invalidNaming = (field: string) => (error: unknown) => error instanceof PushspecError && error.code === 'PUSHSPEC_ERR_ADAPTER_INVALID' && error.message.includes(field);

/** engine.io's own reading of a payload, type and data of each packet. */
const readByEngineIo = (payload: string): Array<{ type: string; data?: unknown }> => parser.decodePayload(payload, 'nodebuffer').map((p) => ({ type: p.type, ...(p.data !== undefined ? { data: p.data } : {}) }));

describe('engine.io v4 packets, as engine.io reads them', () => {
  test('the handshake is an open packet with the session, no upgrades, and the heartbeat', () => {
    const packet = openPacket({ sid: 'abc', ...SESSION_DEFAULTS });
    assert.equal(packet[0], '0');
    const [open] = readByEngineIo(packet);
    assert.equal(open!.type, 'open');
    assert.deepEqual(JSON.parse(open!.data as string), { sid: 'abc', upgrades: [], pingInterval: 25_000, pingTimeout: 20_000, maxPayload: 1_000_000 });
  });

  test('messages are message packets in one payload, in order; none is a noop', () => {
    const payload = encodeEngineIoBatch([
      { id: '1', data: 'a' },
      { id: '2', data: 'b c' },
      { id: '3', data: '' },
    ]);
    assert.equal(payload, `4a${RECORD_SEPARATOR}4b c${RECORD_SEPARATOR}4`);
    assert.deepEqual(readByEngineIo(payload), [
      { type: 'message', data: 'a' },
      { type: 'message', data: 'b c' },
      // engine.io-parser reads a bare `4` as a message without data (decodePacket takes data only after the type digit)
      { type: 'message' },
    ]);
    assert.deepEqual(readByEngineIo(encodeEngineIoBatch([])), [{ type: 'noop' }]);
  });

  test('a message holding the record separator cannot be sent as text, and says so', () => {
    assert.throws(() => encodeEngineIoBatch([{ id: '1', data: `x${RECORD_SEPARATOR}y` }]), /record separator/);
  });

  test('what a client POSTs (pong, close, a message) is read as engine.io writes it', async () => {
    const written = await new Promise<string>((resolve) => parser.encodePayload([{ type: 'pong' }, { type: 'message', data: 'hi' }, { type: 'close' }], (p: string) => resolve(p)));
    assert.deepEqual(decodePayload(written), [
      { type: 'pong', data: '' },
      { type: 'message', data: 'hi' },
      { type: 'close', data: '' },
    ]);
    assert.deepEqual(decodePayload('9x'), [{ type: undefined, data: 'x' }]);
    assert.deepEqual(decodePayload(''), []);
  });

  test('the handshake is a GET without sid, for protocol 4 polling', () => {
    assert.equal(sidOf('/engine.io/?EIO=4&transport=polling&t=x'), undefined);
    assert.equal(sidOf('/engine.io/?EIO=4&transport=polling&sid=s1'), 's1');
    assert.equal(handshakeProblem('/engine.io/?EIO=4&transport=polling'), undefined);
    assert.match(handshakeProblem('/engine.io/?EIO=3&transport=polling')!, /EIO=3/);
    assert.match(handshakeProblem('/engine.io/?EIO=4&transport=websocket')!, /transport=websocket/);
  });
});

describe('a longPolling section speaking engine.io', () => {
  test('is accepted in longPolling alone, without cursor, format or waitParam', () => {
    assert.equal(clientPollSectionFrom({ protocol: 'engine.io' }, 'longPolling', 'a.json').protocol, 'engine.io');
    assert.throws(() => clientPollSectionFrom({ protocol: 'engine.io', intervalMs: 300 }, 'polling', 'a.json'), invalidNaming('"polling.protocol"'));
    for (const field of ['cursor', 'format', 'waitParam']) {
      assert.throws(() => clientPollSectionFrom({ protocol: 'engine.io', [field]: field === 'waitParam' ? 'wait' : { in: 'validators' } }, 'longPolling', 'a.json'), invalidNaming(`"longPolling.${field}"`));
    }
  });
});

/** One request; status, content type and body, or the error that broke it. */
function send(url: string, method = 'GET', body?: string): Promise<{ status: number; type: string | undefined; body: string } | { error: string }> {
  return new Promise((resolve) => {
    const req = request(url, { method, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, type: res.headers['content-type'], body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', (e) => resolve({ error: e.message }));
    req.end(body);
  });
}

test('the scripted server: handshake and POSTs are no polls; polls get packets, a noop, a status, a cut', async () => {
  const plan = new Map<number, PlannedAnswer>([
    [1, { kind: 'messages', data: ['one', 'two'] }],
    [2, { kind: 'empty', afterMs: 20 }],
    [3, { kind: 'status', status: 503, headers: { 'retry-after': '1' } }],
    [4, { kind: 'cut' }],
  ]);
  const transcript = new Transcript();
  const server = await ScriptedPollServer.start(transcript, clientPollSectionFrom({ protocol: 'engine.io' }, 'longPolling', 't.json'), (n) => plan.get(n) ?? { kind: 'hold' });
  try {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/engine\.io\/$/, 'an engine.io client is pointed at engine.io\'s default path');
    const refused = await send(`${server.url}?EIO=3&transport=polling`);
    assert.ok('status' in refused && refused.status === 400, 'a protocol 3 handshake is refused');
    const handshake = await send(`${server.url}?EIO=4&transport=polling&t=a`);
    assert.ok('status' in handshake);
    assert.equal(handshake.status, 200);
    const [open] = readByEngineIo(handshake.body);
    const sid = (JSON.parse(open!.data as string) as { sid: string }).sid;
    const poll = `${server.url}?EIO=4&transport=polling&sid=${sid}`;
    const pong = await send(poll, 'POST', '3');
    assert.ok('status' in pong && pong.status === 200 && pong.body === 'ok', 'a POST is answered ok');
    const first = await send(poll);
    assert.ok('status' in first);
    assert.equal(first.type, 'text/plain; charset=UTF-8');
    assert.deepEqual(readByEngineIo(first.body), [
      { type: 'message', data: 'one' },
      { type: 'message', data: 'two' },
    ]);
    const second = await send(poll);
    assert.ok('status' in second && second.body === '6', 'an empty answer is a noop');
    const third = await send(poll);
    assert.ok('status' in third && third.status === 503);
    assert.ok('error' in (await send(poll)), 'poll 4 is cut');
    // The client sees the cut before the server's own 'close' event has run.
    await waitUntil(() => server.poll(4)?.endedAtMs !== undefined, { what: 'the cut of poll 4 recorded', deadlineMs: 2000, seen: () => server.poll(4)?.outcome ?? 'no poll 4', signal: server.changes });
    assert.deepEqual(
      server.polls.map((p) => [p.n, p.request.method, p.cursor, p.outcome, p.status]),
      [
        [1, 'GET', undefined, 'answered', 200],
        [2, 'GET', undefined, 'answered', 200],
        [3, 'GET', undefined, 'answered', 503],
        [4, 'GET', undefined, 'cut', undefined],
      ],
      'only the GETs with sid are polls; engine.io gives no cursor',
    );
    assert.ok(transcript.toEvidence().notes.some((n) => n.includes('the client sent pong')), 'the POST\'s packets are in the evidence');
  } finally {
    await server.close();
  }
});

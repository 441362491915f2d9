/**
 * The fault-injecting proxy (core/fault-proxy.ts) with real sockets: a plain
 * TCP server behind it, a client in front, and each fault shown to do what it
 * says, and no more (bytes arrive intact unless the fault is a reset).
 */
import assert from 'node:assert/strict';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterEach, describe, test } from 'node:test';
import { ScenarioContext } from '../core/context.ts';
import { FaultProxy, type FaultPlan } from '../core/fault-proxy.ts';
import { Signal, waitUntil } from '../core/wait.ts';

const DEADLINE_MS = 3000;

/** What one socket has seen: each chunk with its arrival time, and how it ended. */
interface Seen {
  chunks: Array<{ data: Buffer; atMs: number }>;
  ended?: 'end' | 'close' | 'error';
  error?: string;
  changes: Signal;
  bytes(): Buffer;
}

function watch(socket: Socket): Seen {
  const seen: Seen = { chunks: [], changes: new Signal(), bytes: () => Buffer.concat(seen.chunks.map((c) => c.data)) };
  socket.on('data', (data: Buffer) => { seen.chunks.push({ data, atMs: Date.now() }); seen.changes.notify(); });
  socket.on('end', () => { seen.ended ??= 'end'; seen.changes.notify(); });
  socket.on('error', (error: NodeJS.ErrnoException) => { seen.ended = 'error'; seen.error = error.code ?? error.message; seen.changes.notify(); });
  socket.on('close', () => { seen.ended ??= 'close'; seen.changes.notify(); });
  return seen;
}

function until(seen: Seen, done: () => boolean, what: string): Promise<void> {
  return waitUntil(done, { what, deadlineMs: DEADLINE_MS, seen: () => `${seen.bytes().length} byte(s) in ${seen.chunks.length} chunk(s), ended: ${seen.ended ?? 'no'}`, signal: seen.changes });
}

let server: Server | undefined;
let proxy: FaultProxy | undefined;
const sockets: Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await proxy?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = proxy = undefined;
});

/** A server behind a proxy with `plan`; resolves with the client socket and the server's side of it. */
async function through(plan: FaultPlan): Promise<{ client: Socket; upstream: Socket; fromServer: Seen; fromClient: Seen }> {
  const accepted: Socket[] = [];
  const acceptedSignal = new Signal();
  server = createServer({ allowHalfOpen: true }, (socket) => { sockets.push(socket); accepted.push(socket); acceptedSignal.notify(); });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()));
  proxy = await FaultProxy.start({ host: '127.0.0.1', port: (server.address() as { port: number }).port }, plan);
  const client = connect({ host: '127.0.0.1', port: proxy.port, allowHalfOpen: true });
  sockets.push(client);
  const fromServer = watch(client);
  await waitUntil(() => accepted.length > 0, { what: 'the server accepted', deadlineMs: DEADLINE_MS, seen: () => 'none', signal: acceptedSignal });
  return { client, upstream: accepted[0]!, fromServer, fromClient: watch(accepted[0]!) };
}

const BYTES = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));

describe('fault proxy', () => {
  test('without faults, bytes pass intact both ways and an end is passed on', async () => {
    const { client, upstream, fromServer, fromClient } = await through({});
    client.write(BYTES);
    upstream.end(BYTES);
    await until(fromClient, () => fromClient.bytes().length === BYTES.length, 'the server to get every byte');
    await until(fromServer, () => fromServer.ended !== undefined, 'the client to see the end');
    assert.deepEqual(fromClient.bytes(), BYTES);
    assert.deepEqual(fromServer.bytes(), BYTES);
    assert.equal(fromServer.ended, 'end');
    assert.equal(proxy!.connections[0]!.ended, 'closed by the server');
  });

  test('resetAfter to-client delivers exactly the first N bytes, then resets the client', async () => {
    const { upstream, fromServer } = await through({ resetAfter: { bytes: 100, direction: 'to-client' } });
    upstream.write(BYTES);
    await until(fromServer, () => fromServer.ended !== undefined, 'the client to be cut');
    assert.deepEqual(fromServer.bytes(), BYTES.subarray(0, 100));
    assert.equal(proxy!.connections[0]!.ended, 'reset after 100 bytes to-client');
    assert.equal(proxy!.connections[0]!.bytes['to-client'], 100);
  });

  test('resetAfter to-server delivers exactly the first N bytes to the server, then resets it', async () => {
    const { client, fromClient } = await through({ resetAfter: { bytes: 10, direction: 'to-server' } });
    client.write(BYTES);
    await until(fromClient, () => fromClient.ended !== undefined, 'the server side to be cut');
    assert.deepEqual(fromClient.bytes(), BYTES.subarray(0, 10));
    assert.equal(proxy!.connections[0]!.ended, 'reset after 10 bytes to-server');
  });

  test('delayMs holds each chunk at least that long, in order', async () => {
    const { upstream, fromServer } = await through({ delayMs: 150 });
    const sentAt = Date.now();
    upstream.write('a');
    upstream.write('b');
    await until(fromServer, () => fromServer.bytes().length === 2, 'both bytes');
    assert.equal(fromServer.bytes().toString(), 'ab');
    assert.ok(fromServer.chunks[0]!.atMs - sentAt >= 145, `arrived ${fromServer.chunks[0]!.atMs - sentAt} ms after it was sent`);
  });

  test('bytesPerSecond paces the bytes in twentieths of a second', async () => {
    const { upstream, fromServer } = await through({ bytesPerSecond: 5000 });
    const sentAt = Date.now();
    upstream.write(BYTES);
    await until(fromServer, () => fromServer.bytes().length === BYTES.length, 'every byte');
    assert.deepEqual(fromServer.bytes(), BYTES);
    // 1000 bytes at 5000 B/s: pieces of 250 bytes, the last due 150 ms after the first.
    assert.equal(proxy!.connections[0]!.writes['to-client'], 4);
    assert.ok(fromServer.chunks.at(-1)!.atMs - sentAt >= 140, `all arrived within ${fromServer.chunks.at(-1)!.atMs - sentAt} ms`);
  });

  test('oneByteWrites writes every byte on its own, and the bytes arrive intact', async () => {
    const { client, upstream, fromServer, fromClient } = await through({ oneByteWrites: true });
    upstream.write(BYTES.subarray(0, 300));
    client.write('GET / HTTP/1.1\r\n\r\n');
    await until(fromServer, () => fromServer.bytes().length === 300, 'every byte to the client');
    await until(fromClient, () => fromClient.bytes().length === 18, 'every byte to the server');
    assert.deepEqual(fromServer.bytes(), BYTES.subarray(0, 300));
    assert.equal(fromClient.bytes().toString(), 'GET / HTTP/1.1\r\n\r\n');
    assert.deepEqual(proxy!.connections[0]!.writes, { 'to-client': 300, 'to-server': 18 });
    assert.ok(fromClient.chunks.length > 1, 'the server read the request in more than one piece');
  });

  test('bufferBytes holds server bytes until that many are waiting', async () => {
    const { client, upstream, fromServer, fromClient } = await through({ bufferBytes: 100 });
    upstream.write(BYTES.subarray(0, 10));
    // A round trip the other way proves the proxy has read the 10 bytes and still holds them.
    client.write('x');
    await until(fromClient, () => fromClient.bytes().length === 1, 'the client\'s byte to pass (requests are not buffered)');
    upstream.write(BYTES.subarray(10, 40));
    client.write('y');
    await until(fromClient, () => fromClient.bytes().length === 2, 'the second byte to pass');
    assert.equal(fromServer.chunks.length, 0, 'nothing reached the client before the buffer filled');
    upstream.write(BYTES.subarray(40, 100));
    await until(fromServer, () => fromServer.bytes().length === 100, 'the full buffer');
    assert.deepEqual(fromServer.bytes(), BYTES.subarray(0, 100));
  });

  test('bufferBytes releases what it holds when the server ends the connection', async () => {
    const { upstream, fromServer } = await through({ bufferBytes: 100 });
    upstream.end(BYTES.subarray(0, 10));
    await until(fromServer, () => fromServer.ended !== undefined, 'the end');
    assert.deepEqual(fromServer.bytes(), BYTES.subarray(0, 10));
    assert.equal(fromServer.ended, 'end');
  });

  test('idleTimeoutMs cuts a silent connection, and only a silent one', async () => {
    const { upstream, fromServer } = await through({ idleTimeoutMs: 300 });
    // Traffic every 100 ms for 600 ms: never 300 ms of silence, so the connection lives past the timeout.
    let lastByteAt = 0;
    for (let i = 0; i < 6; i++) {
      upstream.write(String(i));
      await until(fromServer, () => fromServer.bytes().length === i + 1, `byte ${i}`);
      lastByteAt = Date.now();
      if (i < 5) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(fromServer.ended, undefined, 'alive while bytes kept passing');
    await until(fromServer, () => fromServer.ended !== undefined, 'the silent connection to be cut');
    // Measured from the last byte, which the silence follows: a loaded machine can only make the cut later, never
    // earlier (measured from after a 100 ms timer, a late timer made the silence look short).
    assert.ok(Date.now() - lastByteAt >= 250, `cut only after the silence: ${Date.now() - lastByteAt} ms after the last byte`);
    assert.match(proxy!.connections[0]!.ended!, /^idle timeout/);
  });

  test('a plan chosen per connection, and resetAll cuts every open connection', async () => {
    const plans: number[] = [];
    const { fromServer } = await through((index) => { plans.push(index); return {}; });
    proxy!.resetAll();
    await until(fromServer, () => fromServer.ended !== undefined, 'the cut');
    assert.deepEqual(plans, [0]);
    assert.equal(proxy!.connections[0]!.ended, 'reset by the scenario');
  });
});

describe('a scenario through the fault proxy', () => {
  test("its clients' URLs point at the proxy once it is on the path, the publisher's never, and it closes with the scenario", async () => {
    server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()));
    const baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const context = new ScenarioContext({ name: 'test', baseUrl, publish: undefined });
    const direct = context.url('/channels/{channel}/events');
    assert.ok(direct.startsWith(`${baseUrl}/channels/`));
    const faulty = await context.throughFaults({});
    const routed = new URL(context.url('/channels/{channel}/events', { a: 'b' }));
    assert.equal(routed.port, String(faulty.port));
    assert.equal(routed.pathname, new URL(direct).pathname);
    assert.equal(routed.search, '?a=b');
    assert.equal(new URL(context.clientBaseUrl).port, String(faulty.port));
    assert.equal(context.target.baseUrl, baseUrl, 'the publisher still reaches the server itself');
    assert.equal(context.url('http://elsewhere.example/x'), 'http://elsewhere.example/x', 'another origin is not routed');
    await assert.rejects(context.throughFaults({}), /already has a fault proxy/);
    await context.close();
    const refused = connect({ host: '127.0.0.1', port: faulty.port });
    const seen = watch(refused);
    await until(seen, () => seen.ended !== undefined, 'the closed proxy to refuse');
    assert.equal(seen.error, 'ECONNREFUSED');
  });
});

// The reference server as a cluster: instances sharing one private Redis (redis-server on a free loopback port).
// Without redis-server (Debian's redis-server package) the file is skipped; on CI, which installs it, that fails.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import { createClient } from '@redis/client';
import WebSocket from 'ws';
import { REDIS_SERVER, startRedisServer, type RedisServer } from '../adapters/contract/launch/redis-server.ts';
import { findMissingIn } from '../adapters/contract/launch/programs.ts';
import { startReferenceServer, type ReferenceServer } from '../reference/server.ts';
import { waitFor as waitForLook } from '../core/wait.ts';

const ON_CI = process.env.CI !== undefined && process.env.CI !== '';
const NO_REDIS = findMissingIn([REDIS_SERVER], undefined) === undefined ? undefined : `needs ${REDIS_SERVER.name}: ${REDIS_SERVER.install}`;
if (NO_REDIS !== undefined && ON_CI) {
  test('redis-server is installed on CI', () => assert.fail(`CI is set but redis-server is missing; .ci/run should have installed it (${REDIS_SERVER.install})`));
}

let redis: RedisServer;
let prefix = 0;
const servers: ReferenceServer[] = [];

before(async () => {
  if (NO_REDIS === undefined) redis = await startRedisServer();
});
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await redis?.stop();
});

/** Looks every 20 ms until `done` holds; fails naming `what` after `deadlineMs`. */
function waitFor(done: () => boolean | Promise<boolean>, deadlineMs: number, what: string): Promise<void> {
  return waitForLook(async () => ((await done()) ? { value: undefined } : undefined), { what, deadlineMs, everyMs: 20, seen: () => 'not yet' });
}

/** Instances of a fresh cluster (its own key prefix on the shared Redis). */
async function cluster(count: number, url = redis.url): Promise<ReferenceServer[]> {
  prefix += 1;
  const started = await Promise.all(Array.from({ length: count }, () => instance(url, `t${prefix}`)));
  return started;
}

async function instance(url: string, redisPrefix: string): Promise<ReferenceServer> {
  const server = await startReferenceServer({ redis: url, redisPrefix, maxHoldMs: 5_000 });
  servers.push(server);
  return server;
}

async function publish(server: ReferenceServer, data: string, channel = 'c'): Promise<Response> {
  return fetch(`${server.url}/channels/${channel}/messages`, { method: 'POST', headers: { 'content-type': 'text/plain; charset=utf-8' }, body: data });
}

async function poll(server: ReferenceServer, cursor: string, wait = 0, channel = 'c'): Promise<{ status: number; body: { messages?: Array<{ id: string; data: string }>; cursor?: string; error?: string } }> {
  const response = await fetch(`${server.url}/channels/${channel}/messages?cursor=${cursor}&wait=${wait}`);
  return { status: response.status, body: (await response.json()) as never };
}

/** A channel WebSocket, collecting the data of what it receives. */
async function subscribe(server: ReferenceServer, cursor?: string): Promise<{ ws: WebSocket; got: string[]; closed: boolean }> {
  const ws = new WebSocket(`${server.url.replace('http', 'ws')}/channels/c/ws${cursor === undefined ? '' : `?cursor=${cursor}`}`);
  const sub = { ws, got: [] as string[], closed: false };
  ws.on('message', (data) => sub.got.push((JSON.parse(String(data)) as { data: string }).data));
  ws.on('close', () => (sub.closed = true));
  await once(ws, 'open');
  return sub;
}

describe('the reference server as a cluster on Redis', { skip: NO_REDIS }, () => {
  test('ids are shared, and a message published on any instance reaches the clients of every instance, in order', async () => {
    const [a, b, c] = await cluster(3);
    const subs = await Promise.all([a, b, c].map((s) => subscribe(s!)));
    const held = poll(c!, '0', 5_000);
    const ids: string[] = [];
    for (const [i, server] of [a, b, c, a, b, c].entries()) {
      const response = await publish(server!, `m${i}`);
      assert.equal(response.status, 201);
      ids.push(((await response.json()) as { id: string }).id);
    }
    assert.deepEqual(ids, ['1', '2', '3', '4', '5', '6']);
    const answered = await held;
    assert.deepEqual(answered.body.messages?.[0], { id: '1', data: 'm0' });
    const all = ['m0', 'm1', 'm2', 'm3', 'm4', 'm5'];
    await waitFor(() => subs.every((s) => s.got.length >= all.length), 5_000, 'every instance delivers the six messages');
    for (const sub of subs) assert.deepEqual(sub.got, all);
    for (const sub of subs) sub.ws.close();
  });

  test('a position from one instance means the same on another, and an instance started later has the history', async () => {
    const [a, b] = await cluster(2);
    for (const data of ['one', 'two', 'three']) assert.equal((await publish(a!, data)).status, 201);
    // Read your write on the instance that took it; the same cursor on the other gives the same messages.
    const onA = await poll(a!, '1');
    const onB = await poll(b!, '1');
    assert.deepEqual(onA.body, { messages: [{ id: '2', data: 'two' }, { id: '3', data: 'three' }], cursor: '3' });
    assert.deepEqual(onB.body, onA.body);
    const late = await instance(redis.url, `t${prefix}`);
    assert.deepEqual((await poll(late, '0')).body.messages?.map((m) => m.data), ['one', 'two', 'three']);
    // A WebSocket resuming on the late instance with a cursor from instance a gets exactly what follows it.
    const resumed = await subscribe(late, '2');
    await waitFor(() => resumed.got.length >= 1, 5_000, 'the replay after cursor 2');
    assert.deepEqual(resumed.got, ['three']);
    resumed.ws.close();
  });

  test('closing a channel on one instance closes it on every instance', async () => {
    const [a, b] = await cluster(2);
    assert.equal((await publish(a!, 'x')).status, 201);
    const held = poll(b!, '1', 5_000);
    const response = await fetch(`${a!.url}/channels/c`, { method: 'DELETE' });
    assert.equal(response.status, 204);
    const answered = await held;
    assert.equal(answered.status, 410);
    assert.equal(answered.body.error, 'channel_closed');
    assert.equal((await publish(b!, 'y')).status, 410);
  });

  test('a slow Redis: a publish is refused 503 store_unavailable with Retry-After, and nothing acknowledged is lost', async () => {
    const [a] = await cluster(1);
    assert.equal((await publish(a!, 'before')).status, 201);
    const admin = createClient({ url: redis.url });
    admin.on('error', () => {});
    await admin.connect();
    try {
      // Redis holds every write for 3 s: longer than the 2 s an instance waits for it.
      await admin.sendCommand(['CLIENT', 'PAUSE', '3000', 'WRITE']);
      const started = Date.now();
      const refused = await publish(a!, 'during');
      assert.equal(refused.status, 503);
      assert.ok(Date.now() - started < 3_000, 'refused before Redis took writes again');
      assert.equal(refused.headers.get('retry-after'), '1');
      assert.equal(((await refused.json()) as { error: string }).error, 'store_unavailable');
    } finally {
      await admin.sendCommand(['CLIENT', 'UNPAUSE']);
      await admin.close();
    }
    const after = await poll(a!, '0');
    assert.equal(after.body.messages?.[0]?.data, 'before');
    assert.equal((await publish(a!, 'after')).status, 201);
  });

  test('Redis cut off and back: publishes are refused meanwhile, clients stay connected and then get what was published elsewhere', async () => {
    const link = await ToggleProxy.start(redis.port);
    const [b] = await cluster(1);
    const a = await instance(`redis://127.0.0.1:${link.port}`, `t${prefix}`);
    const sub = await subscribe(a);
    link.cut();
    await waitFor(async () => ((await (await fetch(`${a.url}/stats`)).json()) as { redis: string }).redis === 'down' || (await publish(a, 'probe')).status === 503, 5_000, 'instance a notices Redis is gone');
    const refused = await publish(a, 'while cut');
    assert.equal(refused.status, 503);
    for (const data of ['p1', 'p2', 'p3']) assert.equal((await publish(b!, data)).status, 201);
    assert.equal(sub.closed, false, 'the WebSocket on instance a stays open');
    link.restore();
    await waitFor(() => sub.got.length >= 3, 10_000, 'instance a catches up once Redis is back');
    assert.deepEqual(sub.got, ['p1', 'p2', 'p3']);
    assert.equal(((await (await fetch(`${a.url}/stats`)).json()) as { redis: string }).redis, 'up');
    sub.ws.close();
    await a.close();
    await link.close();
  });
});

/** A TCP proxy in front of Redis that can be cut (every connection reset, new ones refused) and restored. */
class ToggleProxy {
  readonly #server: net.Server;
  readonly #sockets = new Set<net.Socket>();
  #up = true;

  private constructor(server: net.Server) {
    this.#server = server;
  }

  static async start(targetPort: number): Promise<ToggleProxy> {
    const server = net.createServer();
    const proxy = new ToggleProxy(server);
    server.on('connection', (client) => proxy.#accept(client, targetPort));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return proxy;
  }

  get port(): number {
    return (this.#server.address() as net.AddressInfo).port;
  }

  cut(): void {
    this.#up = false;
    for (const socket of this.#sockets) socket.resetAndDestroy();
  }

  restore(): void {
    this.#up = true;
  }

  async close(): Promise<void> {
    this.cut();
    this.#server.close();
    await once(this.#server, 'close');
  }

  #accept(client: net.Socket, targetPort: number): void {
    if (!this.#up) {
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect(targetPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      this.#sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => {
        this.#sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  }
}

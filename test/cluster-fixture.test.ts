/**
 * Smoke test of the independent cluster fixture (test/fixtures/cluster-server.mjs):
 * each adapter's 3 instances launched on a private Redis as pushspec launches
 * them; conformant with `--fault none`, and each fault changes exactly what it
 * says on the wire. Every wait has a deadline.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { EventEmitter, once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { after, afterEach, describe, it } from 'node:test';
import { Agent, request } from 'undici';
import WebSocket from 'ws';
import { findMissingIn } from '../adapters/contract/launch/programs.ts';
import { REDIS_SERVER } from '../adapters/contract/launch/redis-server.ts';
import { launchCluster, type LaunchedCluster } from '../adapters/contract/launch-cluster.ts';
import { loadAdapterFile } from '../adapters/contract/load.ts';
import { withDeadline } from './support/deadline.ts';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
/** Generous: only a broken fixture reaches it. */
const DEADLINE_MS = 5000;

const agent = new Agent({ keepAliveTimeout: 100 });
const sockets: WebSocket[] = [];
let cluster: LaunchedCluster | undefined;
after(() => agent.destroy());
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.terminate();
  await cluster?.stop();
  cluster = undefined;
});

/** Launches test/fixtures/<name>.json's 3 instances; resolves with their base URLs. */
async function launch(name: string): Promise<readonly string[]> {
  cluster = await launchCluster(await loadAdapterFile(`${FIXTURES}${name}.json`));
  return cluster.baseUrls;
}

let channels = 0;
const freshChannel = (): string => `fx${process.pid}-${++channels}`;

async function publish(base: string, channel: string, data: string): Promise<{ status: number; body: { id?: string; error?: string } }> {
  const { statusCode, body } = await request(`${base}/channels/${channel}/messages`, {
    method: 'POST',
    dispatcher: agent,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ data }),
    headersTimeout: DEADLINE_MS,
  });
  return { status: statusCode, body: (await body.json()) as { id?: string; error?: string } };
}

async function poll(base: string, channel: string, cursor: string): Promise<{ messages: Array<{ id: string; data: string }>; cursor: string }> {
  const { statusCode, body } = await request(`${base}/channels/${channel}/messages?cursor=${cursor}`, { dispatcher: agent, headersTimeout: DEADLINE_MS });
  assert.equal(statusCode, 200);
  return (await body.json()) as { messages: Array<{ id: string; data: string }>; cursor: string };
}

/** A channel WebSocket that keeps what it receives as `id:data`. */
class Subscriber {
  readonly got: string[] = [];
  private readonly arrived = new EventEmitter();
  private constructor(socket: WebSocket) {
    socket.on('message', (raw) => {
      const { id, data } = JSON.parse(String(raw)) as { id: string; data: string };
      this.got.push(`${id}:${data}`);
      this.arrived.emit('message');
    });
  }

  static async open(base: string, channel: string): Promise<Subscriber> {
    const socket = new WebSocket(`${base.replace(/^http/, 'ws')}/channels/${channel}/ws`);
    sockets.push(socket);
    await withDeadline(once(socket, 'open'), DEADLINE_MS, 'WebSocket open');
    return new Subscriber(socket);
  }

  async receive(count: number): Promise<string[]> {
    while (this.got.length < count) await withDeadline(once(this.arrived, 'message'), DEADLINE_MS, `message ${this.got.length + 1} of ${count}`);
    return this.got;
  }
}

describe('cluster fixture server', { skip: findMissingIn([REDIS_SERVER], undefined) === undefined ? false : `redis-server is not installed (${REDIS_SERVER.install})` }, () => {
  it('refuses an unknown fault, a missing --redis or an instance out of 1..8 with exit 2', () => {
    for (const args of [['--redis', 'redis://127.0.0.1:1', '--fault', 'bogus'], ['--instance', '1'], ['--redis', 'redis://127.0.0.1:1', '--instance', '9']]) {
      const child = spawnSync(process.execPath, [`${FIXTURES}cluster-server.mjs`, '--port', '0', ...args], { encoding: 'utf8', timeout: DEADLINE_MS });
      assert.equal(child.status, 2, args.join(' '));
      assert.match(child.stderr, /^usage: node cluster-server\.mjs/);
    }
  });

  it('none: a message published on any instance reaches every instance under one id, and a cursor works on every instance', async () => {
    const urls = await launch('cluster');
    const channel = freshChannel();
    const subscribers = await Promise.all(urls.map((url) => Subscriber.open(url, channel)));
    const ids = [];
    for (const [k, url] of urls.entries()) ids.push((await publish(url, channel, `m${k + 1}`)).body.id);
    assert.deepEqual(ids, ['1', '2', '3']);
    for (const subscriber of subscribers) assert.deepEqual(await subscriber.receive(3), ['1:m1', '2:m2', '3:m3']);
    assert.deepEqual(await poll(urls[2]!, channel, '1'), { messages: [{ id: '2', data: 'm2' }, { id: '3', data: 'm3' }], cursor: '3' });
  });

  it('per-instance-ids: instance k shows message n as n + 1000(k-1), so a cursor from instance 1 replays on instance 2 what the client had', async () => {
    const urls = await launch('cluster-per-instance-ids');
    const channel = freshChannel();
    const subscribers = await Promise.all(urls.map((url) => Subscriber.open(url, channel)));
    assert.deepEqual((await publish(urls[1]!, channel, 'a')).body, { id: '1001' });
    assert.deepEqual(await Promise.all(subscribers.map(async (s) => (await s.receive(1))[0])), ['1:a', '1001:a', '2001:a']);
    assert.deepEqual((await poll(urls[1]!, channel, '1')).messages, [{ id: '1001', data: 'a' }]);
  });

  it('no-fanout: a message is delivered and kept only on the instance that took it; ids stay shared', async () => {
    const urls = await launch('cluster-no-fanout');
    const channel = freshChannel();
    const [first, second] = await Promise.all([Subscriber.open(urls[0]!, channel), Subscriber.open(urls[1]!, channel)]);
    await publish(urls[0]!, channel, 'on-1');
    await publish(urls[1]!, channel, 'on-2');
    assert.deepEqual(await first!.receive(1), ['1:on-1']);
    // Instance 2 pushes its own message; had it heard of instance 1's, that one (published first) would be there too.
    assert.deepEqual(await second!.receive(1), ['2:on-2']);
    assert.deepEqual((await poll(urls[1]!, channel, '0')).messages, [{ id: '2', data: 'on-2' }]);
    assert.deepEqual((await poll(urls[2]!, channel, '0')).messages, []);
  });

  it('publish-needs-all: publishes are refused 503 while one instance is stopped, and accepted again once it is back', async () => {
    const urls = await launch('cluster-publish-needs-all');
    const channel = freshChannel();
    assert.equal((await publish(urls[0]!, channel, 'before')).status, 201);
    await cluster!.stopInstance(3);
    assert.deepEqual(await publish(urls[0]!, channel, 'while-down'), { status: 503, body: { error: 'instance_down', message: 'a publish needs every instance of the cluster up' } });
    await cluster!.startInstance(3);
    assert.deepEqual(await publish(urls[0]!, channel, 'after'), { status: 201, body: { id: '2' } });
  });
});

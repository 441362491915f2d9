/**
 * Launching a cluster (adapters/contract/launch-cluster.ts): a private Redis
 * first, then each instance with its own port, `{instance}` and `{redisUrl}`;
 * one instance stopped and started again on its port; everything stopped at the end.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { request } from 'undici';
import { launchedClusterControl } from '../adapters/contract/cluster-control.ts';
import { launchCluster, type LaunchedCluster } from '../adapters/contract/launch-cluster.ts';
import { adapterFromDefinition } from '../adapters/contract/load.ts';
import { findMissingIn } from '../adapters/contract/launch/programs.ts';
import { REDIS_SERVER } from '../adapters/contract/launch/redis-server.ts';

// Answers every request with its instance number and the Redis URL it was given.
const SERVER = `
import http from 'node:http';
const [port, instance, redis] = process.argv.slice(2);
http.createServer((req, res) => res.end(JSON.stringify({ instance, redis, env: process.env.WHO }))).listen(Number(port), '127.0.0.1');
`;

const redisMissing = findMissingIn([REDIS_SERVER], undefined);
let dir: string;
let cluster: LaunchedCluster | undefined;

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'pushspec-cluster-'));
  await writeFile(path.join(dir, 'server.mjs'), SERVER);
});
after(async () => {
  await cluster?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function answer(url: string): Promise<{ instance: string; redis: string; env: string }> {
  const { body } = await request(url, { headersTimeout: 2_000, bodyTimeout: 2_000 });
  return (await body.json()) as { instance: string; redis: string; env: string };
}

/** Whether something accepts TCP connections on `port` of 127.0.0.1. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

describe('launchCluster', { skip: redisMissing === undefined ? false : `redis-server is not installed (${REDIS_SERVER.install})` }, () => {
  it('starts Redis, then every instance with its placeholders; stops and restarts one; stops them all, then Redis', async () => {
    const adapter = adapterFromDefinition(
      {
        name: 'tiny-cluster',
        baseUrl: 'http://127.0.0.1:{port}',
        protocol: 'pushspec-reference',
        cluster: { instances: 3, redis: true },
        launch: { cwd: dir, command: ['node', 'server.mjs', '{port}', '{instance}', '{redisUrl}'], env: { WHO: 'instance {instance} on {redisPort}' } },
      },
      'tiny-cluster',
    );
    cluster = await launchCluster(adapter);
    assert.equal(launchedClusterControl(), cluster, 'the launched cluster is the run\'s cluster control');
    assert.equal(cluster.baseUrls.length, 3);
    assert.equal(new Set(cluster.baseUrls).size, 3, 'every instance has its own port');
    const redis = cluster.redis!;
    assert.match(redis.url, /^redis:\/\/127\.0\.0\.1:\d+$/);
    for (const [i, url] of cluster.baseUrls.entries()) {
      assert.deepEqual(await answer(url), { instance: String(i + 1), redis: redis.url, env: `instance ${i + 1} on ${redis.port}` });
    }
    const port2 = Number(new URL(cluster.baseUrls[1]!).port);
    await cluster.stopInstance(2);
    assert.equal(await listening(port2), false, 'instance 2 is gone');
    assert.equal((await answer(cluster.baseUrls[0]!)).instance, '1', 'the others still answer');
    await assert.rejects(cluster.startInstance(1), /only a stopped instance is started again/);
    await cluster.startInstance(2);
    assert.deepEqual(await answer(cluster.baseUrls[1]!), { instance: '2', redis: redis.url, env: `instance 2 on ${redis.port}` }, 'instance 2 is back on its port');
    await cluster.stop();
    assert.equal(launchedClusterControl(), undefined);
    for (const url of cluster.baseUrls) assert.equal(await listening(Number(new URL(url).port)), false);
    assert.equal(await listening(redis.port), false, 'Redis is stopped after the instances');
  });
});

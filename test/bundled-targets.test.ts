/**
 * The bundled third-party targets (adapters/targets/): every adapter is valid
 * and documented, every verdict that is not a pass is explained with its spec
 * passage, and docs/known-servers.md is what `npm run docs` renders. Running
 * the servers themselves is the system tier (test/system/known-servers.test.ts).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { test } from 'node:test';
import { loadAdapterFile } from '../adapters/contract/load.ts';
import { bundledAdapters } from '../cli/commands/matrix.ts';
import { renderKnownServersDoc } from '../scripts/known-servers-doc.ts';
import { EXPLAINED, loadExpected } from '../verdicts/expected.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const EXPECTED = join(ROOT, 'adapters', 'targets', 'expected-verdicts.json');

test('every bundled adapter is valid, named after its folder, documented and has expected verdicts', async () => {
  const expected = await loadExpected(EXPECTED);
  const files = bundledAdapters();
  assert.ok(files.length >= 6, `six bundled targets, found ${files.length}`);
  for (const file of files) {
    const adapter = await loadAdapterFile(file);
    const folder = basename(dirname(file));
    assert.equal(adapter.name, folder, `${file}: the adapter's name is its folder's`);
    assert.ok(adapter.launch?.requires?.length, `${file}: says what must be installed (launch.requires)`);
    assert.ok(existsSync(join(dirname(file), 'README.md')), `${folder}: has a README`);
    assert.ok(expected.targets[adapter.name], `${folder}: has expected verdicts`);
  }
  assert.ok(expected.targets.reference, 'the reference server is a column too');
});

test('every fail and non-strict verdict of a real server is explained with its spec passage', async () => {
  const expected = await loadExpected(EXPECTED);
  for (const [name, target] of Object.entries(expected.targets)) {
    for (const [id, verdict] of Object.entries(target.verdicts)) {
      if (EXPLAINED.includes(verdict)) assert.ok(target.deviations[id], `${name} ${id} is ${verdict} with no explanation`);
    }
    for (const id of Object.keys(target.deviations)) {
      // A verdict that varies between runs keeps its explanation while one of the verdicts seen needs it.
      const seen = target.varies?.[id]?.verdicts ?? [target.verdicts[id]!];
      assert.ok(seen.some((v) => EXPLAINED.includes(v)), `${name} ${id}: explained, but expected ${seen.join(' or ')}`);
    }
  }
  // The reference holds everything it can run; it has no long-polling session to move onto a WebSocket, and ws,
  // which it is built on, checks UTF-8 only once a message is whole (the MAY of failing fast, explained in the file).
  // The matrix's reference column is one embedded server, so the cluster requirements are unsupported there
  // (the clustered reference is adapters/examples/reference-cluster.json), and it speaks HTTP/1.1 there (the HTTP/2
  // requirements run with `pushspec run --http2`: test/e2e/http2.test.ts).
  const referenceLacks = new Set(['WS-UPGRADE-NO-LOSS']);
  const referenceNonStrict = new Set(['WS-UTF8-FAIL-FAST']);
  for (const [id, verdict] of Object.entries(expected.targets.reference?.verdicts ?? {})) {
    const lacks = referenceLacks.has(id) || id.includes('-CLUSTER-') || id.includes('-H2-');
    const allowed = verdict === 'pass' || verdict === 'informational' || (verdict === 'unsupported' && lacks) || (verdict === 'non-strict' && referenceNonStrict.has(id));
    assert.ok(allowed, `reference ${id} is ${verdict}`);
  }
});

test('docs/known-servers.md is what `npm run docs` generates', () => {
  const committed = readFileSync(join(ROOT, 'docs', 'known-servers.md'), 'utf8');
  assert.equal(committed, renderKnownServersDoc(), 'docs/known-servers.md is stale: run `npm run docs`');
});

test('the cluster targets are their single-server targets, run as a cluster: only the name, the cluster and the launch command differ', async () => {
  const pairs = [
    ['nchan', 'adapter.json', 'nchan-cluster', 'adapter.json'],
    ['socket.io', 'adapter.ts', 'socket.io-cluster', 'adapter.ts'],
  ] as const;
  for (const [single, singleFile, cluster, clusterFile] of pairs) {
    const one = await loadAdapterFile(join(ROOT, 'adapters', 'targets', single, singleFile));
    const many = await loadAdapterFile(join(ROOT, 'adapters', 'targets', cluster, clusterFile));
    assert.equal(one.cluster, undefined, `${single} is one server`);
    assert.ok(many.cluster?.redis === true && many.cluster.size >= 2, `${cluster} is several instances on one Redis`);
    // The same program, from the single target's folder, told where Redis is.
    assert.deepEqual(many.launch?.command, [...(one.launch?.command ?? []).map((part, i) => (i === 1 ? `../${single}/${part}` : part)), '--redis', '{redisUrl}']);
    // Everything a scenario reads is the single target's (a module adapter's functions compared by their source:
    // each adapter file is imported on its own).
    const rest = (adapter: object): string =>
      JSON.stringify(
        Object.fromEntries(Object.entries(adapter).filter(([key]) => !['name', 'cluster', 'launch', 'source'].includes(key))),
        (_key, value: unknown) => (typeof value === 'function' ? String(value) : value),
      );
    assert.equal(rest(many), rest(one), `${cluster} declares what ${single} declares`);
    assert.deepEqual({ ...many.launch, command: [], cwd: '', requires: [] }, { ...one.launch, command: [], cwd: '', requires: [] }, `${cluster} launches as ${single} does`);
  }
});

test('nchan-h2 is the nchan target over TLS with HTTP/2 for its HTTP techniques: nothing else differs', async () => {
  const plain = await loadAdapterFile(join(ROOT, 'adapters', 'targets', 'nchan', 'adapter.json'));
  const h2 = await loadAdapterFile(join(ROOT, 'adapters', 'targets', 'nchan-h2', 'adapter.json'));
  assert.equal(h2.baseUrl, plain.baseUrl.replace('http://', 'https://'));
  assert.ok(h2.tls !== undefined && plain.tls === undefined, 'only nchan-h2 trusts a certificate (its committed test-only one)');
  // The same launcher and template, told to listen with TLS and HTTP/2 (launch.mjs --tls).
  assert.deepEqual(h2.launch?.command, [...(plain.launch?.command ?? []).map((part, i) => (i === 1 ? `../nchan/${part}` : part)), '--tls', 'test-only.cert.pem', 'test-only.key.pem']);
  assert.equal(h2.launch?.readyUrl, plain.launch?.readyUrl?.replace('http://', 'https://'));
  for (const technique of ['polling', 'longPolling', 'sse'] as const) {
    assert.equal(h2[technique]?.http2, true, `${technique} speaks HTTP/2`);
    // sse.stats is read only over HTTP/2 (SSE-H2-CANCEL-RELEASED): only nchan-h2 declares it.
    const own = technique === 'sse' ? { http2: undefined, stats: undefined } : { http2: undefined };
    assert.deepEqual({ ...h2[technique], ...own }, { ...plain[technique], ...own }, `${technique} declares what nchan declares`);
  }
  // The SSE count is the long-polling one: Nchan's subscribers line counts every kind of subscriber.
  assert.deepEqual(h2.sse?.stats, { url: plain.longPolling?.stats?.url, streamsPattern: plain.longPolling?.stats?.heldPattern });
  assert.equal(plain.sse?.stats, undefined);
  // nginx has no RFC 8441: WebSockets stay on HTTP/1.1, declared as for nchan.
  assert.deepEqual(h2.websocket, plain.websocket);
  assert.deepEqual(h2.publish, plain.publish);
  const rest = (adapter: object): string[] => Object.keys(adapter).filter((key) => !['name', 'baseUrl', 'tls', 'launch', 'source'].includes(key)).sort();
  assert.deepEqual(rest(h2), rest(plain), 'no section beyond nchan\'s');
});

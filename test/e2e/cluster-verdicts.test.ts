/**
 * The cluster requirements' honesty check (docs/model.md M-11): an independent
 * clustered server (test/fixtures/cluster-server.mjs, 3 instances on a private
 * Redis) passes every cluster requirement of the techniques it declares, and
 * each of its faults fails exactly the requirements whose rule it breaks.
 *
 * The broken sets come from the rules, not from a run:
 * - per-instance-ids: a message has another id on each instance. Fan-out asks
 *   for the same id everywhere; resuming elsewhere and failing over carry a
 *   position from one instance to another, where it means something else. While
 *   one instance is down, what the others accept still reaches their
 *   subscribers (ids are not that rule's concern): PUBLISH-DOWN holds.
 * - no-fanout: a message reaches only the instance that took it, so every rule
 *   that has a subscriber or a resumed client on another instance than the
 *   publisher's breaks: all four.
 * - publish-needs-all: publishes are refused while an instance is down. That is
 *   PUBLISH-DOWN; FAILOVER asks only that no acknowledged message be lost, and
 *   "a message the publisher saw fail may be missing", so it holds. (The harness
 *   as merged here fails it: its failover waits for 5 publishes acknowledged
 *   after the clients moved, which this fault never acknowledges while an
 *   instance is down. That verdict is stricter than the sentence the
 *   requirement quotes, and this test fails on it until the harness or M-11 changes.)
 *
 * Needs redis-server (as the cluster adapters do); each run is one CLI process,
 * one after another, as the timing-sensitive fixture runs are.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { Technique } from '../../techniques/registry.ts';
import { loadCatalogue } from '../../verdicts/catalogue.ts';
import type { Summary, Verdict } from '../../verdicts/model.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'pushspec-cluster-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** The four cluster rules, as the suffixes of their requirement ids (`SSE-CLUSTER-FANOUT`, ...). */
type ClusterRule = 'FANOUT' | 'RESUME' | 'FAILOVER' | 'PUBLISH-DOWN';
const RULES: readonly ClusterRule[] = ['FANOUT', 'RESUME', 'FAILOVER', 'PUBLISH-DOWN'];

/** What each fault of cluster-server.mjs breaks (reasons in this file's header and the server's). */
const BROKEN: Record<string, readonly ClusterRule[]> = {
  cluster: [],
  'cluster-per-instance-ids': ['FANOUT', 'RESUME', 'FAILOVER'],
  'cluster-no-fanout': ['FANOUT', 'RESUME', 'FAILOVER', 'PUBLISH-DOWN'],
  'cluster-publish-needs-all': ['PUBLISH-DOWN'],
};

const TAG: Record<Technique, string> = { polling: '@polling', longPolling: '@long-polling', sse: '@sse', websocket: '@websocket' };

const catalogue = loadCatalogue().requirements;
const clusterRequirements = catalogue.filter((r) => /-CLUSTER-/.test(r.id));

/** Runs the CLI on one cluster adapter (test/fixtures/<name>.json), only the cluster scenarios of `techniques`. */
function runCluster(name: string, techniques: readonly Technique[]): { status: number | null; verdicts: Map<string, Verdict>; stdout: string } {
  const reportDir = join(work, name);
  const tags = `@cluster and (${techniques.map((t) => TAG[t]).join(' or ')})`;
  const child = spawnSync(process.execPath, ['bin/pushspec.mjs', 'run', '--adapter', `test/fixtures/${name}.json`, '--tags', tags, '--report-dir', reportDir, '--no-color'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 150_000,
  });
  assert.ok(child.status !== null, `pushspec did not finish: ${child.stderr}`);
  const summary = JSON.parse(readFileSync(join(reportDir, 'summary.json'), 'utf8')) as Summary;
  return { status: child.status, verdicts: new Map(summary.runs[0]!.results.map((r) => [r.id, r.verdict])), stdout: child.stdout };
}

/** The cluster requirements of `techniques`, each failed when its rule is in `broken`, passed otherwise (all are MUSTs). */
function expectedVerdicts(techniques: readonly Technique[], broken: readonly ClusterRule[]): Map<string, Verdict> {
  const expected = new Map<string, Verdict>();
  for (const r of clusterRequirements.filter((req) => techniques.includes(req.technique))) {
    const rule = RULES.find((suffix) => r.id.endsWith(`-CLUSTER-${suffix}`));
    assert.ok(rule !== undefined, `${r.id} is a cluster requirement of none of the four rules`);
    assert.equal(r.level, 'MUST', `${r.id}: M-11's rules are MUSTs`);
    expected.set(r.id, broken.includes(rule) ? 'fail' : 'pass');
  }
  return expected;
}

function assertVerdicts(name: string, techniques: readonly Technique[]): void {
  const { status, verdicts, stdout } = runCluster(name, techniques);
  const expected = expectedVerdicts(techniques, BROKEN[name]!);
  assert.equal(expected.size, 4 * techniques.length, 'four cluster requirements per technique');
  const cluster = [...verdicts].filter(([id]) => /-CLUSTER-/.test(id));
  assert.deepEqual(Object.fromEntries(cluster.sort()), Object.fromEntries([...expected].sort()), stdout);
  // The rest are requirements observed from scenarios that "@cluster" leaves out (WS-CLOSE-TCP-BY-SERVER, ...): not judged.
  for (const [id, verdict] of verdicts) if (!/-CLUSTER-/.test(id)) assert.equal(verdict, 'unsupported', `${id}: only cluster scenarios ran`);
  assert.equal(status, BROKEN[name]!.length === 0 ? 0 : 1, stdout);
}

// A fault that breaks a rule makes the harness wait out its delivery deadline, so each fault run takes
// two techniques (every technique meets at least one fault); the conformant run takes all four.
describe('a cluster is judged by the cluster requirements of the techniques it declares', () => {
  test('3 conformant instances on one Redis pass every cluster requirement of polling, long-polling, SSE and WebSocket', () => {
    assertVerdicts('cluster', ['polling', 'longPolling', 'sse', 'websocket']);
  });

  test('per-instance ids fail fan-out, resuming elsewhere and failover, and nothing else', () => {
    assertVerdicts('cluster-per-instance-ids', ['polling', 'sse']);
  });

  test('no fan-out through Redis fails all four cluster rules', () => {
    assertVerdicts('cluster-no-fanout', ['longPolling', 'websocket']);
  });

  test('refusing publishes while an instance is down fails publishing-while-down only', () => {
    // Polling too: no other fault breaks POLL-CLUSTER-PUBLISH-DOWN, so without it that rule had no failing fixture.
    assertVerdicts('cluster-publish-needs-all', ['polling', 'sse', 'websocket']);
  });
});

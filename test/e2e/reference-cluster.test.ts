/**
 * The reference server as a cluster, through the adapter users would write
 * (adapters/examples/reference-cluster.json: 3 instances on a private Redis,
 * with the embedded reference's short timers): each instance gives every
 * single-server requirement the verdict the embedded reference gives it, and
 * the cluster holds every cluster requirement; `--instance 2` points the
 * single-server requirements at instance 2, and the cluster scenarios then never stop it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { findMissingIn } from '../../adapters/contract/launch/programs.ts';
import { REDIS_SERVER } from '../../adapters/contract/launch/redis-server.ts';
import { loadCatalogue } from '../../verdicts/catalogue.ts';
import type { Summary } from '../../verdicts/model.ts';
import { runPushspec } from '../support/child-process.ts';

const ADAPTER = 'adapters/examples/reference-cluster.json';
const RUN_DEADLINE_MS = 180_000;
const work = mkdtempSync(join(tmpdir(), 'pushspec-reference-cluster-'));
after(() => rmSync(work, { recursive: true, force: true }));

// Under CI=true a missing redis-server fails (.ci/run installs it); elsewhere the tests are skipped.
const missing = findMissingIn([REDIS_SERVER], undefined);
const skip = missing === undefined || process.env.CI === 'true' ? false : `redis-server is not installed (${REDIS_SERVER.install})`;

function verdictsOf(reportDir: string): Map<string, string> {
  const summary = JSON.parse(readFileSync(join(reportDir, 'summary.json'), 'utf8')) as Summary;
  return new Map(summary.runs[0]!.results.map((r) => [r.id, r.verdict]));
}

describe('the reference server as a cluster on Redis', { skip }, () => {
  // The embedded reference's verdicts (the matrix's reference column): each instance must give the same for every
  // single-server requirement. Only the cluster ones differ: unsupported for one server, passed by the cluster.
  const embedded = (JSON.parse(readFileSync('adapters/targets/expected-verdicts.json', 'utf8')) as { targets: { reference: { verdicts: Record<string, string> } } }).targets.reference.verdicts;
  const cluster = loadCatalogue().requirements.filter((r) => r.id.includes('-CLUSTER-'));

  test('instance 1: the whole suite as the embedded reference gives it, and every cluster requirement of the four techniques', async () => {
    const reportDir = join(work, 'cluster');
    const run = await runPushspec(['run', '--adapter', ADAPTER, '--report-dir', reportDir, '--no-color'], RUN_DEADLINE_MS);
    assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
    const verdicts = verdictsOf(reportDir);
    assert.equal(cluster.length, 16);
    for (const r of cluster) assert.equal(verdicts.get(r.id), 'pass', r.id);
    for (const [id, verdict] of Object.entries(embedded)) if (!id.includes('-CLUSTER-')) assert.equal(verdicts.get(id), verdict, `instance 1: ${id}`);
    for (const k of [1, 2, 3]) assert.match(readFileSync(join(reportDir, `server-${k}.log`), 'utf8'), /pushspec launched `node \.\.\/\.\.\/bin\/pushspec\.mjs serve --port \d+ --redis redis:\/\/127\.0\.0\.1:\d+/);
  });

  for (const k of [2, 3]) {
    test(`instance ${k}: the whole single-server suite as the embedded reference gives it`, async () => {
      const reportDir = join(work, `single-${k}`);
      const run = await runPushspec(['run', '--adapter', ADAPTER, '--instance', String(k), '--tags', 'not @cluster', '--report-dir', reportDir, '--no-color'], RUN_DEADLINE_MS);
      assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
      assert.match(run.stdout, new RegExp(`instance ${k} of a cluster of 3`));
      const verdicts = verdictsOf(reportDir);
      for (const [id, verdict] of Object.entries(embedded)) if (!id.includes('-CLUSTER-')) assert.equal(verdicts.get(id), verdict, `instance ${k}: ${id}`);
    });
  }

  test('--instance 2: the single-server requirements check instance 2, and a cluster scenario stops another one', async () => {
    const reportDir = join(work, 'instance-2');
    const run = await runPushspec(['run', '--adapter', ADAPTER, '--instance', '2', '--tags', '@SSE-PROMPT or @SSE-CLUSTER-PUBLISH-DOWN', '--report-dir', reportDir, '--no-color'], RUN_DEADLINE_MS);
    assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
    const line = /pushspec: checking reference-cluster at (\S+) \(instance 2 of a cluster of 3: (\S+), (\S+), (\S+)\)/.exec(run.stdout);
    assert.ok(line !== null, run.stdout);
    assert.equal(line[1], line[3], 'the run checks instance 2');
    const verdicts = verdictsOf(reportDir);
    assert.deepEqual([verdicts.get('SSE-PROMPT'), verdicts.get('SSE-CLUSTER-PUBLISH-DOWN')], ['pass', 'pass']);
    const summary = JSON.parse(readFileSync(join(reportDir, 'summary.json'), 'utf8')) as Summary;
    const notes = summary.runs[0]!.results.find((r) => r.id === 'SSE-CLUSTER-PUBLISH-DOWN')!.evidence.notes;
    assert.ok(notes.some((n) => n.startsWith(`instance 2 (${line[4]}) stopped`)), `the scenario's instance 2 is the cluster's instance 3: ${notes.join(' | ')}`);
  });
});

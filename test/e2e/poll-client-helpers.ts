/**
 * What the long-polling and polling client verdict tests share: running
 * `pushspec clients` on a fixture adapter of test/fixtures/clients/adapters/
 * and asserting that exactly one requirement (or none) did not hold.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { loadClientCatalogue } from '../../verdicts/catalogue.ts';
import type { Summary, Verdict } from '../../verdicts/model.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'pushspec-poll-clients-'));
after(() => rmSync(work, { recursive: true, force: true }));

export const catalogue = loadClientCatalogue().requirements;

/** Runs `pushspec clients` on one fixture adapter (only its technique's cases); the verdicts of that technique's requirements. */
export function runClient(adapter: string, tag: string): Map<string, Verdict> {
  const reportDir = join(work, adapter);
  const child = spawnSync(process.execPath, ['bin/pushspec.mjs', 'clients', '--client', `test/fixtures/clients/adapters/${adapter}.json`, '--tags', tag, '--report-dir', reportDir, '--no-color'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });
  assert.ok(child.status !== null, `pushspec did not finish: ${child.stderr}`);
  const summary = JSON.parse(readFileSync(join(reportDir, 'summary.json'), 'utf8')) as Summary;
  return new Map(summary.runs[0]!.results.filter((r) => r.id.startsWith(prefixOf(tag))).map((r) => [r.id, r.verdict]));
}

const prefixOf = (tag: string): string => (tag === '@long-polling' ? 'LPC-' : 'POLLC-');

/** Every requirement of the technique has a verdict: `broken` as its level says, every other one a pass. */
export function assertOnly(verdicts: Map<string, Verdict>, tag: string, broken?: string): void {
  const ids = catalogue.filter((r) => r.id.startsWith(prefixOf(tag))).map((r) => r.id);
  assert.deepEqual([...verdicts.keys()].sort(), ids.sort(), 'every requirement of the technique has a verdict');
  for (const id of ids) {
    const level = catalogue.find((r) => r.id === id)!.level;
    const expected: Verdict = id !== broken ? 'pass' : level === 'MUST' ? 'fail' : 'non-strict';
    assert.equal(verdicts.get(id), expected, id);
  }
}


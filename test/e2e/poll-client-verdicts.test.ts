/**
 * The client checks' honesty for long-polling and polling: the fixture client
 * (test/fixtures/clients/poll-client.mjs), correct by default, passes every
 * LPC / POLLC requirement; broken on purpose one rule at a time, it is
 * reported as failing exactly that rule (fail for a MUST, non-strict for a
 * SHOULD), and nothing else.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { loadClientCatalogue } from '../../verdicts/catalogue.ts';
import type { Summary, Verdict } from '../../verdicts/model.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'pushspec-poll-clients-'));
after(() => rmSync(work, { recursive: true, force: true }));

const catalogue = loadClientCatalogue().requirements;

/** Runs `pushspec clients` on one fixture adapter (only its technique's cases); the verdicts of that technique's requirements. */
function runClient(adapter: string, tag: string): Map<string, Verdict> {
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
function assertOnly(verdicts: Map<string, Verdict>, tag: string, broken?: string): void {
  const ids = catalogue.filter((r) => r.id.startsWith(prefixOf(tag))).map((r) => r.id);
  assert.deepEqual([...verdicts.keys()].sort(), ids.sort(), 'every requirement of the technique has a verdict');
  for (const id of ids) {
    const level = catalogue.find((r) => r.id === id)!.level;
    const expected: Verdict = id !== broken ? 'pass' : level === 'MUST' ? 'fail' : 'non-strict';
    assert.equal(verdicts.get(id), expected, id);
  }
}

const LONG_POLLING_FAULTS: Record<string, string> = {
  'slow-repoll': 'LPC-REPOLL-AT-ONCE',
  'stop-on-empty': 'LPC-REPOLL-AFTER-TIMEOUT',
  'first-cursor': 'LPC-CURSOR',
  overlap: 'LPC-ONE-OUTSTANDING',
  'reverse-batch': 'LPC-BATCH-ORDER',
  'no-backoff': 'LPC-BACKOFF',
  'ignore-retry-after': 'LPC-RETRY-AFTER',
  'no-resume': 'LPC-RESUME-AFTER-CUT',
};

const POLLING_FAULTS: Record<string, string> = {
  fast: 'POLLC-INTERVAL',
  'first-cursor': 'POLLC-CURSOR',
  'no-validators': 'POLLC-VALIDATORS',
  '204-as-error': 'POLLC-NO-CONTENT',
  '304-as-message': 'POLLC-NOT-MODIFIED',
};

// One run at a time: the requirements judge timing (re-poll delays, back-off, intervals).
describe('a fixture long-polling client is judged rightly', () => {
  test('the correct client passes every LPC requirement', () => assertOnly(runClient('lp-client', '@long-polling'), '@long-polling'));
  for (const [fault, id] of Object.entries(LONG_POLLING_FAULTS)) {
    test(`--fault ${fault} fails ${id} and nothing else`, () => assertOnly(runClient(`lp-client-${fault}`, '@long-polling'), '@long-polling', id));
  }
});

describe('a fixture polling client is judged rightly', () => {
  test('the correct client passes every POLLC requirement', () => assertOnly(runClient('poll-client', '@polling'), '@polling'));
  for (const [fault, id] of Object.entries(POLLING_FAULTS)) {
    test(`--fault ${fault} fails ${id} and nothing else`, () => assertOnly(runClient(`poll-client-${fault}`, '@polling'), '@polling', id));
  }
});

test('every LPC and POLLC requirement has a fault that breaks it', () => {
  const covered = new Set([...Object.values(LONG_POLLING_FAULTS), ...Object.values(POLLING_FAULTS)]);
  for (const r of catalogue.filter((x) => x.id.startsWith('LPC-') || x.id.startsWith('POLLC-'))) assert.ok(covered.has(r.id), `${r.id} has no fault`);
});

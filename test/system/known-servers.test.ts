/**
 * The real third-party servers (issue 7), run for real: when the programs are
 * installed, the whole matrix runs and every verdict is the one
 * adapters/targets/expected-verdicts.json records. Under CI=true (.ci/run
 * installs every program) a target that cannot run fails the test instead of
 * being skipped. The fast checks of the bundled adapters and their
 * explanations are in test/bundled-targets.test.ts.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Summary } from '../../verdicts/model.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const EXPECTED = join(ROOT, 'adapters', 'targets', 'expected-verdicts.json');
const REPORT_DIR = join(ROOT, 'reports', 'matrix');
/** The matrix runs every target one after the other; generous, and still a deadline. */
const MATRIX_DEADLINE_MS = 30 * 60_000;

test('the matrix of real servers gives the expected verdicts', { timeout: MATRIX_DEADLINE_MS }, async (t) => {
  const child = spawn(process.execPath, ['bin/pushspec.mjs', 'matrix', '--expected', EXPECTED, '--report-dir', REPORT_DIR, '--no-color'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, 'close')) as [number | null];
  t.diagnostic(output.trim());
  assert.equal(code, 0, `pushspec matrix exited ${code}:\n${output}`);
  const summary = JSON.parse(readFileSync(join(REPORT_DIR, 'summary.json'), 'utf8')) as Summary;
  const notRun = summary.notRun ?? [];
  if (notRun.length > 0) {
    const missing = notRun.map((n) => `${n.adapter.name}: ${n.reason}${n.install ? ` (${n.install})` : ''}`).join('; ');
    if (process.env.CI === 'true') assert.fail(`CI installs every target, yet some did not run: ${missing}`);
    t.diagnostic(`not run here (install them to check them): ${missing}`);
  }
});

/**
 * The bundled real clients (issue 16), run for real: when their programs are
 * installed, `npm run clients` runs the whole client matrix and every verdict
 * is the one adapters/clients/expected-verdicts.json records, each fail and
 * non-strict one explained there with the spec sentence. Under CI=true
 * (.ci/run installs every program) a client that cannot run fails the test
 * instead of being skipped.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Summary } from '../../verdicts/model.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const EXPECTED = join(ROOT, 'adapters', 'clients', 'expected-verdicts.json');
const REPORT_DIR = join(ROOT, 'reports', 'clients');
/** The matrix runs every client one after the other (a browser starts per case); generous, and still a deadline. */
const MATRIX_DEADLINE_MS = 30 * 60_000;

test('the matrix of real clients gives the expected verdicts', { timeout: MATRIX_DEADLINE_MS }, async (t) => {
  const child = spawn(process.execPath, ['bin/pushspec.mjs', 'clients', '--expected', EXPECTED, '--report-dir', REPORT_DIR, '--no-color'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, 'close')) as [number | null];
  t.diagnostic(output.trim());
  assert.equal(code, 0, `pushspec clients exited ${code}:\n${output}`);
  const summary = JSON.parse(readFileSync(join(REPORT_DIR, 'summary.json'), 'utf8')) as Summary;
  const expected = JSON.parse(readFileSync(EXPECTED, 'utf8')) as { targets: Record<string, unknown> };
  const notRun = summary.notRun ?? [];
  assert.deepEqual(
    [...summary.runs.map((r) => r.adapter.name), ...notRun.map((n) => n.adapter.name)].sort(),
    Object.keys(expected.targets).sort(),
    'every bundled client is in the expected verdicts, and every client there is bundled',
  );
  if (notRun.length > 0) {
    const missing = notRun.map((n) => `${n.adapter.name}: ${n.reason}${n.install ? ` (${n.install})` : ''}`).join('; ');
    if (process.env.CI === 'true') assert.fail(`CI installs every client, yet some did not run: ${missing}`);
    t.diagnostic(`not run here (install them to check them): ${missing}`);
  }
});

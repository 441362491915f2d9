/**
 * The real third-party servers (issue 7): every bundled adapter is valid and
 * documented, every verdict that is not a pass is explained, docs/known-servers.md
 * is what `npm run docs` renders, and — when the programs are installed — the
 * whole matrix runs and every verdict is the one adapters/targets/expected-verdicts.json
 * records. Under CI=true (.ci/run installs every program) a target that cannot
 * run fails the test instead of being skipped.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { test } from 'node:test';
import { loadAdapterFile } from '../adapters/contract/load.ts';
import { EXPLAINED, loadExpected } from '../verdicts/expected.ts';
import { bundledAdapters } from '../cli/commands/matrix.ts';
import { renderKnownServersDoc } from '../scripts/known-servers-doc.ts';
import type { Summary } from '../verdicts/model.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const EXPECTED = join(ROOT, 'adapters', 'expected-verdicts.json');
const REPORT_DIR = join(ROOT, 'reports', 'matrix');
/** The matrix runs every target one after the other; generous, and still a deadline. */
const MATRIX_DEADLINE_MS = 30 * 60_000;

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
      assert.ok(EXPLAINED.includes(target.verdicts[id]!), `${name} ${id}: explained, but expected ${target.verdicts[id]}`);
    }
  }
  for (const verdict of Object.values(expected.targets.reference?.verdicts ?? {})) assert.ok(verdict === 'pass' || verdict === 'informational');
});

test('docs/known-servers.md is what `npm run docs` generates', () => {
  const committed = readFileSync(join(ROOT, 'docs', 'known-servers.md'), 'utf8');
  assert.equal(committed, renderKnownServersDoc(), 'docs/known-servers.md is stale: run `npm run docs`');
});

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

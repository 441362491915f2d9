/**
 * `pushspec run` stopping early, end to end: a launched server that exits
 * mid-run, a server not launched that dies, the run's --deadline, SIGINT and
 * SIGKILL. Each leaves reports with what was judged, the rest not run.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { waitUntil } from '../core/wait.ts';
import type { AdapterRun } from '../verdicts/model.ts';
import { stopChild } from './support/child-process.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const FIXTURES = join(ROOT, 'test', 'fixtures');
const work = mkdtempSync(join(tmpdir(), 'pushspec-stop-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** How long one command may take here; the runs below stop within seconds. */
const COMMAND_DEADLINE_MS = 90_000;

interface Outcome {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  dir: string;
}

/** Starts `pushspec run --report-dir <fresh dir> ...args`; `ended` resolves with how it ended. */
function start(name: string, ...args: string[]): { child: ChildProcess; dir: string; ended: Promise<Outcome> } {
  const dir = join(work, name);
  const child = spawn(process.execPath, ['bin/pushspec.mjs', 'run', '--no-color', '--report-dir', dir, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), COMMAND_DEADLINE_MS);
  const ended = once(child, 'close').then(([status, signal]) => {
    clearTimeout(timer);
    return { status: status as number | null, signal: signal as NodeJS.Signals | null, stdout, stderr, dir };
  });
  return { child, dir, ended };
}

function summaryRun(dir: string): AdapterRun {
  const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { schemaVersion: number; runs: AdapterRun[] };
  assert.equal(summary.schemaVersion, 3);
  assert.equal(summary.runs.length, 1);
  return summary.runs[0]!;
}

/** The checks every stopped run passes: reports written, the rest not run with the reason, the count line counting them as skipped. */
function assertStopped(outcome: Outcome, reason: RegExp): AdapterRun {
  const run = summaryRun(outcome.dir);
  assert.equal(run.complete, false);
  assert.match(run.stopReason ?? '', reason);
  assert.ok(run.totals['not-run'] > 0, `some cases not run: ${JSON.stringify(run.totals)}`);
  for (const result of run.results.filter((r) => r.verdict === 'not-run')) assert.match(result.message ?? '', new RegExp(`${reason.source}.* before this case was judged`));
  const junit = readFileSync(join(outcome.dir, 'junit.xml'), 'utf8');
  assert.equal(junit.match(/<skipped message="not run: /g)?.length, run.results.filter((r) => r.verdict === 'not-run').length);
  assert.ok(existsSync(join(outcome.dir, 'index.html')));
  const skipped = run.totals.unsupported + run.totals['not-run'];
  assert.match(outcome.stdout, new RegExp(`pushspec: \\d+ passed, ${run.totals.fail} failed, ${skipped} skipped\\n$`));
  return run;
}

describe('a run that stops early', { concurrency: true }, () => {
  test('a launched server that exits mid-run: said with its exit code and output, the rest not run, exit 3', async () => {
    const outcome = await start('exits', '--adapter', join(FIXTURES, 'polling-exits-mid-run.json')).ended;
    assert.equal(outcome.status, 3, outcome.stderr);
    assert.match(outcome.stderr, /pushspec: the server exited with code 1 while the suite ran\n--- last output of `node exit-after-server\.mjs[^\n]*\n[^]*exit-after-server: answered 20 requests; exiting with code 1, on purpose\n/);
    assert.match(outcome.stderr, /the case in progress and the ones left are reported not run/);
    const run = assertStopped(outcome, /the server exited with code 1 while the suite ran/);
    assert.equal(run.totals.fail, 0, 'nothing is reported failed because the server died');
    assert.match(outcome.stdout, /The run stopped early: the server exited with code 1 while the suite ran/);
  });

  test('a server pushspec did not launch that dies mid-run: probed, the rest not run, exit 3', async () => {
    const server = spawn(process.execPath, [join(FIXTURES, 'exit-after-server.mjs'), '--port', '0'], { env: { ...process.env, EXIT_AFTER_REQUESTS: '30' }, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let out = '';
      server.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
      await waitUntil(() => /on port \d+/.test(out), { what: 'the fixture listening', deadlineMs: 10_000, everyMs: 20, seen: () => out });
      const port = /on port (\d+)/.exec(out)![1];
      const adapter = join(work, 'external.json');
      const baseUrl = `http://127.0.0.1:${port}`;
      writeFileSync(adapter, JSON.stringify({ name: 'external', baseUrl, protocol: 'pushspec-reference', polling: { historyLimit: 50 }, longPolling: { maxHoldMs: 2000 } }));
      const outcome = await start('external', '--adapter', adapter).ended;
      assert.equal(outcome.status, 3, outcome.stderr);
      assert.match(outcome.stderr, new RegExp(`pushspec: the server stopped answering at ${baseUrl}: connection refused \\(ECONNREFUSED\\)\\n`));
      assertStopped(outcome, /the server stopped answering at http:\/\/127\.0\.0\.1:\d+: connection refused \(ECONNREFUSED\)/);
    } finally {
      await stopChild(server);
    }
  });

  test('--deadline: the case in progress and the rest not run, exit 5', async () => {
    const outcome = await start('deadline', '--deadline', '2').ended;
    assert.equal(outcome.status, 5, outcome.stderr);
    assert.match(outcome.stderr, /pushspec: the run's --deadline of 2 s passed\n/);
    assertStopped(outcome, /the run's --deadline of 2 s passed/);
  });

  test('--deadline with a bad value is a usage error, before any server starts', async () => {
    const outcome = await start('bad-deadline', '--deadline', 'soon').ended;
    assert.equal(outcome.status, 2);
    assert.match(outcome.stderr, /run: --deadline must be a number of seconds greater than 0 [^\n]*; got "soon"/);
    assert.equal(existsSync(join(outcome.dir, 'summary.json')), false);
  });

  test('SIGINT: the reports of what was judged are written, the rest not run, exit 130', async () => {
    const running = start('sigint');
    // Reports are written as cases finish: the first summary.json says the run is under way.
    await waitUntil(() => existsSync(join(running.dir, 'summary.json')), { what: 'the first reports', deadlineMs: 60_000, everyMs: 50, seen: () => 'no summary.json yet' });
    running.child.kill('SIGINT');
    const outcome = await running.ended;
    assert.equal(outcome.status, 130, outcome.stderr);
    assertStopped(outcome, /the run was interrupted \(SIGINT\)/);
  });

  test('SIGKILL: the last reports written stay, marked incomplete', async () => {
    const running = start('sigkill');
    await waitUntil(() => existsSync(join(running.dir, 'summary.json')), { what: 'the first reports', deadlineMs: 60_000, everyMs: 50, seen: () => 'no summary.json yet' });
    running.child.kill('SIGKILL');
    const outcome = await running.ended;
    assert.equal(outcome.signal, 'SIGKILL');
    const run = summaryRun(outcome.dir);
    assert.equal(run.complete, false);
    assert.ok(run.results.length > 0, 'what was judged is there');
    assert.ok(existsSync(join(outcome.dir, 'junit.xml')) && existsSync(join(outcome.dir, 'index.html')));
  });
});

/** Child processes in tests: fixture servers, `pushspec serve`, and scripts that must exit by themselves. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Stops `child`: SIGTERM, then SIGKILL if it is still there after 5 s.
 * Resolves at once when the child has already exited.
 *
 * @param child the process to stop
 */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/**
 * Starts a fixture server script (`node <script> --port 0 --fault <fault>`) on a free port
 * and waits for its ready line on stdout.
 *
 * `readyPattern` must match the ready line with the fault the fixture runs as its first
 * group and the port as its second, e.g. `/^sse fixture \(([\w-]+)\) on port (\d+)$/m`;
 * the fault printed must be `fault`. Rejects (and stops the child) when no ready line
 * arrives within `deadlineMs` or when the printed fault differs; rejects when the child
 * exits before it is ready. Once resolved, stopping the child is the caller's job.
 *
 * @param script path of the fixture server script
 * @param fault value of `--fault`
 * @param readyPattern ready line: group 1 the fault, group 2 the port
 * @param deadlineMs how long the fixture has to print its ready line
 * @returns the running child and the port it listens on
 */
export function startFixtureProcess(script: string, fault: string, readyPattern: RegExp, deadlineMs: number): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [script, '--port', '0', '--fault', fault], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  return new Promise((resolve, reject) => {
    const fail = (error: unknown): void => {
      clearTimeout(timer);
      void stopChild(child);
      reject(error);
    };
    const timer = setTimeout(() => fail(new Error(`fixture ${fault} printed no ready line within ${deadlineMs} ms: ${out}${err}`)), deadlineMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const ready = readyPattern.exec(out);
      if (ready !== null) {
        clearTimeout(timer);
        try {
          assert.equal(ready[1], fault);
        } catch (error) {
          fail(error);
          return;
        }
        resolve({ child, port: Number(ready[2]) });
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`fixture ${fault} exited with ${String(code)} before it was ready: ${err}`));
    });
  });
}

/**
 * Waits for `pushspec serve` (already spawned as `child`, stdout piped) to print
 * `listening on <url>`, failing after `deadlineMs` with what it printed so far.
 * Sets the child's stdout encoding to UTF-8.
 *
 * @param child the `pushspec serve` process
 * @param deadlineMs how long serve has to print its URL
 * @returns the base URL serve listens on
 */
export function waitForListening(child: ChildProcess, deadlineMs: number): Promise<string> {
  const stdout = child.stdout;
  if (stdout === null) return Promise.reject(new Error('serve was spawned without a stdout pipe'));
  let out = '';
  stdout.setEncoding('utf8');
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve printed no URL: ${out}`)), deadlineMs);
    stdout.on('data', (chunk: string) => {
      out += chunk;
      const match = /listening on (https?:\/\/\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
  });
}

/** How a script run by {@link runScriptUntilExit} ended, with everything it printed. */
export interface ScriptExit {
  /** Exit code, or null when a signal ended it. */
  code: number | null;
  /** The signal that ended it (SIGKILL when it outlived the deadline), or null when it exited by itself. */
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
}

/**
 * Writes `source` to a `shutdown.mts` in a fresh temporary directory, runs it with
 * `node --import tsx` from `cwd`, and waits for it to exit by itself: after `deadlineMs`
 * it is killed with SIGKILL, which shows as `signal`. The directory is removed afterwards.
 *
 * @param source TypeScript module source of the script
 * @param options `cwd` to run in, `tmpPrefix` for the temporary directory's name, `deadlineMs` before SIGKILL
 * @returns the exit code or signal and the script's stdout and stderr
 */
export async function runScriptUntilExit(source: string, options: { cwd: string; tmpPrefix: string; deadlineMs: number }): Promise<ScriptExit> {
  const work = mkdtempSync(join(tmpdir(), options.tmpPrefix));
  try {
    const script = join(work, 'shutdown.mts');
    writeFileSync(script, source);
    const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    const deadline = setTimeout(() => child.kill('SIGKILL'), options.deadlineMs);
    const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
    clearTimeout(deadline);
    return { code, signal, out, err };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** What a `pushspec` command run by {@link runPushspec} printed, and how it exited (null: killed at its deadline). */
export interface PushspecExit {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `node bin/pushspec.mjs <args>` from the package root in a child
 * process without blocking this one (tests run concurrently: a synchronous
 * spawn would stall the others' timers), killing it at `deadlineMs`.
 */
export async function runPushspec(args: readonly string[], deadlineMs: number): Promise<PushspecExit> {
  const child = spawn(process.execPath, ['bin/pushspec.mjs', ...args], { cwd: new URL('../..', import.meta.url).pathname, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), deadlineMs);
  const [status] = (await once(child, 'close')) as [number | null];
  clearTimeout(timer);
  return { status, stdout, stderr };
}

/**
 * What the client verdict tests share: running `pushspec clients` against a
 * fixture client adapter, several runs at once (each is mostly waiting on
 * scripted servers and clients), and reading its verdicts back.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Summary, Verdict } from '../../verdicts/model.ts';

const ROOT = new URL('../..', import.meta.url).pathname;

/** One run of `pushspec clients`: its exit code, its verdicts by requirement id, its console output. */
export interface ClientRun {
  status: number | null;
  verdicts: Map<string, Verdict>;
  stdout: string;
  stderr: string;
}

/** Runs `pushspec clients --client <adapter>` (a path from the repository's root), reports in `reportDir`. */
export function runClient(adapter: string, reportDir: string): Promise<ClientRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/pushspec.mjs', 'clients', '--client', adapter, '--report-dir', reportDir, '--no-color'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // A run that outlives this did not finish: the test fails on it rather than hanging.
    const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      try {
        const summary = JSON.parse(readFileSync(join(reportDir, 'summary.json'), 'utf8')) as Summary;
        resolve({ status, verdicts: new Map(summary.runs[0]!.results.map((r) => [r.id, r.verdict])), stdout, stderr });
      } catch (error) {
        reject(new Error(`pushspec clients --client ${adapter} left no summary (exit ${status}): ${(error as Error).message}\n${stderr}`));
      }
    });
  });
}

/** Runs `work` over `items`, at most `size` at once; the promises in the items' order, started as places free up. */
export function inPool<T, R>(items: readonly T[], size: number, work: (item: T) => Promise<R>): Array<Promise<R>> {
  let running = 0;
  const waiting: Array<() => void> = [];
  const place = async (): Promise<void> => {
    if (running < size) {
      running++;
      return;
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  };
  const free = (): void => {
    const next = waiting.shift();
    if (next === undefined) running--;
    else next();
  };
  return items.map(async (item) => {
    await place();
    try {
      return await work(item);
    } finally {
      free();
    }
  });
}

/** The fault names a fixture client's header lists (`//   <name>   <what it breaks>: <REQUIREMENT-ID>`), with the id each breaks. */
export function faultsListedIn(fixture: string): Map<string, string> {
  const faults = new Map<string, string>();
  for (const [, name, id] of readFileSync(join(ROOT, fixture), 'utf8').matchAll(/^\/\/ {3}([a-z0-9-]+) {2,}.*: ([A-Z]+C-[A-Z0-9-]+)$/gm)) faults.set(name!, id!);
  return faults;
}

/** The verdict a requirement holds with when nothing breaks it. */
export const holding = (level: string): Verdict => (level === 'MAY' ? 'informational' : 'pass');
/** The verdict a requirement gets when its rule is broken. */
export const broken = (level: string): Verdict => (level === 'MUST' ? 'fail' : 'non-strict');

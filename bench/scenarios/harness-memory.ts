/**
 * Issue 14: pushspec's own memory against a server whose answers never end.
 * A `pushspec run` child (`node bin/pushspec.mjs run`, one process) checks
 * bench/servers/endless-body.ts; its resident memory is read from
 * /proc/<pid>/status every 100 ms (VmRSS, and VmHWM, the kernel's peak) until
 * the run ends or the bound below passes (then it is killed). Three servers:
 *
 * - an endless 200 body on every poll (`--tags @polling`): core/http.ts reads
 *   at most MAX_BODY_BYTES (64 MiB) of one body;
 * - an endless event stream (`--tags @SSE-PROMPT`): the strict reader's events;
 * - endless WebSocket frames after a 101 (`--tags @WS-ECHO-TEXT`): the raw client's inbox.
 *
 * One run each (a cold process is what is measured). The figure is the peak,
 * with no target (what a bound should be is the harness's cap, 64 MiB a
 * body, plus the harness); the notes say whether memory was still growing
 * when the run ended, which is what "unbounded" looks like in a bounded
 * measurement.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchFigure } from '../model.ts';
import { startServer } from '../process.ts';
import type { BenchContext, Scenario, ScenarioResult } from '../scenario.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const MIB = 1024 * 1024;
/** RSS growth over a run's second half above this reads as memory still growing. */
const GROWING_MIB = 32;

interface Case {
  mode: 'bytes' | 'sse' | 'ws';
  what: string;
  tags: string;
  adapter: (baseUrl: string) => Record<string, unknown>;
}

const PUBLISH = { url: '/publish', body: '{data:json}' };

const CASES: Case[] = [
  { mode: 'bytes', what: 'an endless 200 body on every poll', tags: '@polling', adapter: (baseUrl) => ({ name: 'endless-body', baseUrl, polling: { path: '/poll/{channel}' }, publish: PUBLISH }) },
  { mode: 'sse', what: 'an endless event stream', tags: '@SSE-PROMPT', adapter: (baseUrl) => ({ name: 'endless-sse', baseUrl, sse: { path: '/sse/{channel}' }, publish: PUBLISH }) },
  { mode: 'ws', what: 'endless WebSocket frames after the 101', tags: '@WS-ECHO-TEXT', adapter: (baseUrl) => ({ name: 'endless-ws', baseUrl, websocket: { echoPath: '/echo' }, publish: PUBLISH }) },
];

interface Measured {
  peakMiB: number;
  seconds: number;
  ended: string;
  /** RSS at the end minus RSS at the middle of the run: still growing when positive and large. */
  lateGrowthMiB: number;
}

function statusField(status: string, field: string): number | undefined {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return match === null ? undefined : (Number(match[1]) * 1024) / MIB;
}

/** Runs pushspec against the server once, sampling its memory, killing it at `boundMs`. */
async function measure(adapterFile: string, tags: string, boundMs: number): Promise<Measured> {
  const reportDir = await mkdtemp(join(tmpdir(), 'pushspec-bench-endless-'));
  try {
    const started = performance.now();
    const child = spawn(process.execPath, ['bin/pushspec.mjs', 'run', '--adapter', adapterFile, '--tags', tags, '--no-color', '--report-dir', reportDir], { cwd: REPO, stdio: 'ignore' });
    const samples: Array<[number, number]> = [];
    let peak = 0;
    const sampler = setInterval(() => {
      void readFile(`/proc/${child.pid}/status`, 'utf8').then(
        (status) => {
          const rss = statusField(status, 'VmRSS');
          if (rss !== undefined) samples.push([performance.now() - started, rss]);
          peak = Math.max(peak, statusField(status, 'VmHWM') ?? 0, rss ?? 0);
        },
        () => undefined,
      );
    }, 100);
    const killer = setTimeout(() => child.kill('SIGKILL'), boundMs);
    const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
    clearInterval(sampler);
    clearTimeout(killer);
    const seconds = (performance.now() - started) / 1000;
    const middle = samples.find(([at]) => at >= (seconds * 1000) / 2)?.[1] ?? 0;
    const last = samples.at(-1)?.[1] ?? 0;
    return { peakMiB: peak, seconds, ended: signal === 'SIGKILL' ? `still running at the ${boundMs / 1000} s bound; killed` : `ended by itself with exit ${code}`, lateGrowthMiB: last - middle };
  } finally {
    await rm(reportDir, { recursive: true, force: true });
  }
}

async function run(context: BenchContext): Promise<ScenarioResult> {
  const boundMs = context.quick ? 20_000 : 60_000;
  const work = await mkdtemp(join(tmpdir(), 'pushspec-bench-adapters-'));
  const figures: BenchFigure[] = [];
  try {
    for (const c of CASES) {
      const server = await startServer('servers/endless-body.ts', ['--mode', c.mode]);
      try {
        const file = join(work, `${c.mode}.json`);
        await writeFile(file, JSON.stringify(c.adapter(`http://127.0.0.1:${server.port}`)));
        const m = await measure(file, c.tags, boundMs);
        context.log(`${c.what}: peak RSS ${m.peakMiB.toFixed(0)} MiB, ${m.ended} after ${m.seconds.toFixed(1)} s; growth over the second half ${m.lateGrowthMiB.toFixed(0)} MiB`);
        figures.push({
          id: `harness-memory-${c.mode}`,
          item: 8,
          title: `pushspec's peak memory (RSS) against ${c.what}`,
          subject: `pushspec run --tags ${c.tags}`,
          unit: 'MiB',
          better: 'lower',
          samples: [m.peakMiB],
          median: m.peakMiB,
          min: m.peakMiB,
          max: m.peakMiB,
          notes: [
            `bench/servers/endless-body.ts --mode ${c.mode}; the run ${m.ended} after ${m.seconds.toFixed(1)} s`,
            `RSS grew ${m.lateGrowthMiB.toFixed(0)} MiB over the second half of the run${m.lateGrowthMiB > GROWING_MIB ? ': still growing when the run ended' : ''}`,
            'one cold run; peak from /proc/<pid>/status VmHWM, sampled every 100 ms',
          ],
        });
      } finally {
        await server.stop();
      }
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return { figures };
}

export const harnessMemoryScenario: Scenario = {
  id: 'harness-memory',
  item: 8,
  title: "pushspec's memory against servers whose answers never end (64 MiB body cap)",
  run,
};

/**
 * The reference server as users run it, for the cluster benchmark: `node
 * bin/pushspec.mjs serve --port 0 ...` in a process of its own, with
 * `--redis <url>` for an instance of a cluster, without it for the embedded
 * in-memory server. Unlike bench/servers/reference.ts (a bench script with an
 * IPC channel) it is the real CLI, so it is read over HTTP only: its port from
 * the line `serve` prints, what it holds from `GET /stats`.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';

const CLI = fileURLToPath(new URL('../bin/pushspec.mjs', import.meta.url));
/** How long `serve` may take to print its listening line (tsx compiles the CLI as it loads). */
const READY_TIMEOUT_MS = 30_000;
/** Linux's USER_HZ, the unit of /proc/<pid>/stat times: 100 on every architecture Node runs on. */
const CLOCK_TICKS_PER_SECOND = 100;
/** How long an instance has to exit after SIGTERM before it is killed. */
const STOP_GRACE_MS = 5_000;

/** A running `pushspec serve`. */
export interface ServeInstance {
  port: number;
  pid: number;
  /** The Redis it shares its channels through, or undefined for an in-memory instance. */
  redisUrl: string | undefined;
  /** `GET /stats` (docs/reference-protocol.md): `streams`, `sockets`, `held`, … */
  stats(): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

/** The port in `pushspec reference server listening on http://127.0.0.1:P`, or undefined for any other line. */
export function listeningPort(line: string): number | undefined {
  const match = /listening on https?:\/\/[^\s/]+:(\d+)\b/.exec(line);
  return match === null ? undefined : Number(match[1]);
}

/** The soft `Max open files` of a running process (its `ulimit -n`), from /proc; NaN where /proc cannot say. */
export function openFileLimitOf(pid: number): number {
  try {
    const line = readFileSync(`/proc/${pid}/limits`, 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
    return line === undefined ? Number.NaN : Number(line.slice('Max open files'.length).trim().split(/\s+/)[0]);
  } catch {
    return Number.NaN;
  }
}

/** CPU time (user + system) a running process has used so far, in ms, from /proc; NaN where /proc cannot say. */
export function cpuTimeMsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

/**
 * Starts `pushspec serve --port 0` on 127.0.0.1 (`--redis redisUrl` when given) and resolves once it listens.
 * Keep-alive comments and pings are off (the longest interval serve takes, `--ws-ping 0`), so an idle subscriber
 * costs only what holding it costs, as in the other benchmarks.
 * @throws Error naming the exit status and the last lines it wrote, when it exits or stays silent first.
 */
export async function startServeInstance(redisUrl?: string): Promise<ServeInstance> {
  const args = ['serve', '--host', '127.0.0.1', '--port', '0', '--keep-alive', '3600000', '--ws-ping', '0', ...(redisUrl === undefined ? [] : ['--redis', redisUrl])];
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const tail: string[] = [];
  const keep = (line: string): void => {
    tail.push(line);
    if (tail.length > 20) tail.shift();
  };
  createInterface({ input: child.stderr! }).on('line', keep);
  const lines = createInterface({ input: child.stdout! });
  const exited = once(child, 'exit');
  let timer: NodeJS.Timeout | undefined;
  try {
    const port = await Promise.race([
      new Promise<number>((resolve) => {
        lines.on('line', (line) => {
          keep(line);
          const found = listeningPort(line);
          if (found !== undefined) resolve(found);
        });
      }),
      exited.then(([code, signal]) => {
        throw new Error(`pushspec ${args.join(' ')} exited (${signal ?? `code ${code}`}) before listening: ${tail.join(' | ')}`);
      }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`pushspec ${args.join(' ')} did not listen within ${READY_TIMEOUT_MS} ms: ${tail.join(' | ')}`)), READY_TIMEOUT_MS);
      }),
    ]);
    return {
      port,
      pid: child.pid!,
      redisUrl,
      stats: async () => {
        const response = await request(`http://127.0.0.1:${port}/stats`);
        if (response.statusCode !== 200) throw new Error(`GET /stats answered ${response.statusCode}: ${await response.body.text()}`);
        return (await response.body.json()) as Record<string, number>;
      },
      stop: async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        const kill = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
        await exited;
        clearTimeout(kill);
      },
    };
  } catch (error) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Child processes of a benchmark (TypeScript, run with `--import tsx`): servers and load generators each run in
 * their own Node process, so the load generator never competes with the
 * server for one event loop, and each can be measured (CPU, memory) alone.
 *
 * A child announces itself with one JSON line on stdout, `{"ready": true, ...}`
 * (a server adds its `port`); a load generator ends with one JSON line
 * `{"result": ...}`. A server answers `{"cmd": "usage"}` on its IPC channel
 * with its memory (after a GC when started with --expose-gc) and CPU time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The bench folder, where servers/ and load/ live. */
export const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));

/** What a server process reports about itself. */
export interface Usage {
  rssBytes: number;
  heapUsedBytes: number;
  externalBytes: number;
  /** CPU time since the process started, user + system, in µs. */
  cpuUs: number;
}

export interface ChildOptions {
  /** Extra flags for node, e.g. `--expose-gc`, `--import tsx`. */
  execArgv?: string[];
  env?: Record<string, string>;
  /** How long the child may take to say it is ready (default 15 s). */
  readyTimeoutMs?: number;
}

/** A running server process. */
export interface ServerProcess {
  port: number;
  pid: number;
  /** Whatever else its ready line said. */
  info: Record<string, unknown>;
  usage(): Promise<Usage>;
  /** Sends a command on the IPC channel and resolves with the reply (a `{reply}` message). */
  command(cmd: Record<string, unknown>): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

function lines(child: ChildProcess): AsyncIterableIterator<string> {
  return createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
}

/** Reads JSON lines until one has `key`, or the deadline passes, or the child exits. */
async function awaitLine(child: ChildProcess, reader: AsyncIterableIterator<string>, key: string, timeoutMs: number, what: string): Promise<Record<string, unknown>> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no ${key} line within ${timeoutMs} ms`)), timeoutMs);
  });
  const exited = once(child, 'exit').then(([code, signal]) => {
    throw new Error(`${what}: exited (${signal ?? `code ${code}`}) before its ${key} line`);
  });
  const read = (async () => {
    for await (const line of reader) {
      if (!line.startsWith('{')) continue;
      const parsed = JSON.parse(line) as Record<string, unknown>;
      if (key in parsed) return parsed;
    }
    throw new Error(`${what}: output ended before its ${key} line`);
  })();
  try {
    return await Promise.race([read, deadline, exited]);
  } finally {
    clearTimeout(timer);
    exited.catch(() => undefined);
  }
}

/** Starts `bench/<script>` as a server and waits for its ready line. */
export async function startServer(script: string, args: string[] = [], options: ChildOptions = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...(options.execArgv ?? []), fileURLToPath(new URL(script, import.meta.url)), ...args], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    env: { ...process.env, ...options.env },
  });
  const reader = lines(child);
  const ready = await awaitLine(child, reader, 'ready', options.readyTimeoutMs ?? 15_000, script).catch((error: Error) => {
    child.kill('SIGKILL');
    throw error;
  });
  // Keep draining stdout so the child never blocks on a full pipe.
  void (async () => {
    for await (const _ of reader);
  })().catch(() => undefined);
  let next = 0;
  const command = async (cmd: Record<string, unknown>): Promise<Record<string, unknown>> => {
    const id = ++next;
    const reply = new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.off('exit', onExit);
        reject(new Error(`${script}: no reply to ${JSON.stringify(cmd)} within 30 s`));
      }, 30_000);
      // A child that dies mid-run fails the command at once, not after the 30 s deadline.
      const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
        clearTimeout(timer);
        child.off('message', onMessage);
        reject(new Error(`${script}: exited (${signal ?? `code ${code}`}) before replying to ${JSON.stringify(cmd)}`));
      };
      const onMessage = (message: { id?: number; reply?: Record<string, unknown> }) => {
        if (message.id !== id) return;
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(message.reply ?? {});
      };
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
    child.send({ ...cmd, id });
    return reply;
  };
  return {
    port: Number(ready.port),
    pid: child.pid!,
    info: ready,
    command,
    usage: async () => (await command({ cmd: 'usage' })) as unknown as Usage,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Runs `bench/<script>` as a load generator to its end and returns its result line. */
export async function runLoad<T>(script: string, args: string[], options: ChildOptions & { timeoutMs?: number } = {}): Promise<T> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...(options.execArgv ?? []), fileURLToPath(new URL(script, import.meta.url)), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...options.env },
  });
  try {
    const line = await awaitLine(child, lines(child), 'result', options.timeoutMs ?? 120_000, script);
    return line.result as T;
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

/**
 * For a server script: answers `{"cmd": "usage"}` on the IPC channel, and
 * hands any other command to `handle`. Call once at start.
 */
export function serveCommands(handle: (cmd: Record<string, unknown>) => Promise<Record<string, unknown>> | Record<string, unknown> = () => ({})): void {
  process.on('message', async (message: Record<string, unknown> & { id: number }) => {
    let reply: Record<string, unknown>;
    if (message.cmd === 'usage') {
      const gc = (globalThis as { gc?: () => void }).gc;
      if (gc) {
        gc();
        gc();
      }
      const memory = process.memoryUsage();
      const cpu = process.cpuUsage();
      reply = { rssBytes: memory.rss, heapUsedBytes: memory.heapUsed, externalBytes: memory.external, cpuUs: cpu.user + cpu.system };
    } else {
      reply = await handle(message);
    }
    process.send?.({ id: message.id, reply });
  });
  process.on('SIGTERM', () => process.exit(0));
}

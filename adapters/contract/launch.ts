/**
 * Starts the server under test (when the adapter has `launch`), waits until it
 * answers HTTP, and stops it again, together with every process it started.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import { PushspecError } from '../../core/errors.ts';
import { fillPlaceholders } from '../../core/placeholders.ts';
import { OUTPUT_LINES, OutputTail } from './launch/output-tail.ts';
import { exitPromise, running, stopGroup, syncCleanupHandlers, within } from './launch/process-group.ts';
import { assertInstalled } from './launch/programs.ts';
import { watchGroup } from './launch/watchdog.ts';
import { openLog } from './launch/server-log.ts';
import { POLL_INTERVAL_MS, untrusted, waitUntilReady } from './launch/readiness.ts';
import type { ResolvedAdapter } from './resolve.ts';

export { assertInstalled, findMissingIn, findMissingProgram } from './launch/programs.ts';
export { checkReachable } from './launch/readiness.ts';

/** A server pushspec started; `stop()` it when done. */
export interface LaunchedServer {
  /** `baseUrl` with `{port}` filled in. */
  baseUrl: string;
  port: number;
  /** Process id, also the id of its process group. */
  pid: number;
  /** The last ~200 lines the server wrote to stdout and stderr. */
  output(): string;
  /** The last lines of its output under a heading naming the command (and the log file), for the console. */
  tail(): string;
  /** Where all of its output goes, when `logFile` was given. */
  logFile?: string;
  /** Resolves with how the server ended ("exited with code 1") if it ends before `stop()`; otherwise never. */
  exitedEarly: Promise<string>;
  /** SIGTERM to the whole process group, SIGKILL after 3 s; safe to call twice. */
  stop(): Promise<void>;
}

export interface LaunchOptions {
  /** Called with every line the server writes. */
  log?: (line: string) => void;
  /**
   * Every line the server writes goes to this file, which is created or
   * replaced: its output never mixes into pushspec's own, yet nothing is lost.
   */
  logFile?: string;
  /** Listen on this port instead of a free one: an instance of a cluster started again where it was. */
  port?: number;
  /** More placeholders filled wherever `{port}` is, e.g. `{instance}`, `{redisUrl}` (adapters/contract/launch-cluster.ts). */
  values?: Record<string, string>;
}

/** Lines of the server's output shown when it fails to start, exits early, or the run fails. */
export const TAIL_LINES = 20;

/**
 * Launches `adapter.launch` on a free loopback port and resolves once its
 * `readyUrl` answers with any HTTP status.
 *
 * @throws PushspecError `PUSHSPEC_ERR_LAUNCH` when the command cannot start,
 *   exits before it is ready, or is not ready within `readyTimeoutMs`;
 *   `PUSHSPEC_ERR_TLS_UNTRUSTED` when it answers with a certificate the adapter's `tls` does not make trusted.
 */
export async function launchServer(adapter: ResolvedAdapter, options: LaunchOptions = {}): Promise<LaunchedServer> {
  const launch = adapter.launch;
  if (launch === undefined) {
    throw new PushspecError('PUSHSPEC_ERR_LAUNCH', `${adapter.source}: the adapter has no "launch", so pushspec cannot start the server`);
  }
  assertInstalled(adapter);
  const port = options.port ?? (await freePort());
  const values = { ...options.values, port: String(port) };
  const baseUrl = fillPlaceholders(adapter.baseUrl, values);
  const command = launch.command.map((arg) => fillPlaceholders(arg, values));
  const env = Object.fromEntries(Object.entries(launch.env ?? {}).map(([k, v]) => [k, fillPlaceholders(v, values)]));
  const readyUrl = fillPlaceholders(launch.readyUrl ?? adapter.baseUrl, values);
  const readyTimeoutMs = launch.readyTimeoutMs ?? 10_000;
  const shown = command.join(' ');

  // detached: the server leads its own process group, so stop() can signal
  // everything it spawned (npm, sh -c, workers) with one kill(-pid).
  const child = spawn(command[0] ?? '', command.slice(1), {
    cwd: launch.cwd,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const file = options.logFile === undefined ? undefined : openLog(options.logFile, `pushspec launched \`${shown}\` on port ${port} at ${new Date().toISOString()}`);
  const output = new OutputTail((line) => {
    file?.write(line);
    options.log?.(line);
  });
  output.attach(child.stdout);
  output.attach(child.stderr);
  const exited = exitPromise(child);
  const closed = once(child, 'close').catch(() => undefined); // stdio drained
  // Bounded, because a surviving grandchild may hold the pipes open.
  const drained = (): Promise<void> => within(closed, 1_000);
  // `once` rejects on 'error' (e.g. ENOENT); exitPromise reports that error instead.
  const spawned = await Promise.race([once(child, 'spawn').then(() => true, () => false), exited.then(() => false)]);
  if (!spawned || child.pid === undefined) {
    const status = await exited;
    await file?.close(status);
    throw new PushspecError('PUSHSPEC_ERR_LAUNCH', `${adapter.source}: cannot start \`${shown}\`: ${status}`);
  }
  const pid = child.pid;
  running.add(pid);
  syncCleanupHandlers();
  // Exit handlers cover a normal exit and SIGINT/SIGTERM; the watchdog covers SIGKILL and the OOM killer.
  const watchdog = watchGroup(pid);

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (watchdog.dismiss(), stopGroup(child, pid, exited)).then(async () => {
      await drained();
      await file?.close(await exited);
    }));
  const where = options.logFile !== undefined ? ` (all of it in ${options.logFile})` : '';
  const tail = () => `\n--- last output of \`${shown}\`${where} ---\n${output.tail(TAIL_LINES) || '(no output)'}`;
  // 'exit' can come before the pipes are drained; the last lines are the useful ones.
  const exitedEarly = exited.then(async (status) => (stopping === undefined ? (await drained(), status) : new Promise<string>(() => {})));

  const ready = await waitUntilReady(readyUrl, readyTimeoutMs, exited, adapter.tls);
  if (ready.kind === 'untrusted') {
    await stop();
    throw untrusted(readyUrl, ready.error, adapter.tls);
  }
  if (ready.kind === 'exited') {
    await drained();
    await stop();
    throw new PushspecError('PUSHSPEC_ERR_LAUNCH', `${adapter.source}: \`${shown}\` ${ready.status} before it answered ${readyUrl}${tail()}`);
  }
  if (ready.kind === 'timeout') {
    await stop();
    throw new PushspecError(
      'PUSHSPEC_ERR_LAUNCH',
      `${adapter.source}: \`${shown}\` did not answer ${readyUrl} within ${readyTimeoutMs} ms ` +
        `(polled every ${POLL_INTERVAL_MS} ms); last error: ${ready.lastError}${tail()}`,
    );
  }
  return {
    baseUrl,
    port,
    pid,
    output: () => output.tail(OUTPUT_LINES),
    tail: () => tail().slice(1),
    ...(options.logFile !== undefined ? { logFile: options.logFile } : {}),
    exitedEarly,
    stop,
  };
}

/** Asks the OS for a free loopback port. Another process could take it before the server binds; rare enough. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

/**
 * Starts the server under test (when the adapter has `launch`), waits until it
 * answers HTTP, and stops it again, together with every process it started.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import type { Readable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { Agent, request } from 'undici';
import { PushspecError } from '../../core/errors.ts';
import { fillPlaceholders } from '../../core/placeholders.ts';
import type { RequiredProgram } from './definition.ts';
import type { ResolvedAdapter } from './resolve.ts';

/** A server pushspec started; `stop()` it when done. */
export interface LaunchedServer {
  /** `baseUrl` with `{port}` filled in. */
  baseUrl: string;
  port: number;
  /** Process id, also the id of its process group. */
  pid: number;
  /** The last ~200 lines the server wrote to stdout and stderr. */
  output(): string;
  /** SIGTERM to the whole process group, SIGKILL after 3 s; safe to call twice. */
  stop(): Promise<void>;
}

const OUTPUT_LINES = 200;
const TAIL_LINES = 20;
const POLL_INTERVAL_MS = 75;
const STOP_GRACE_MS = 3_000;

/**
 * Launches `adapter.launch` on a free loopback port and resolves once its
 * `readyUrl` answers with any HTTP status.
 *
 * @throws PushspecError `PUSHSPEC_ERR_LAUNCH` when the command cannot start,
 *   exits before it is ready, or is not ready within `readyTimeoutMs`.
 */
export async function launchServer(
  adapter: ResolvedAdapter,
  options: { log?: (line: string) => void } = {},
): Promise<LaunchedServer> {
  const launch = adapter.launch;
  if (launch === undefined) {
    throw new PushspecError('PUSHSPEC_ERR_LAUNCH', `${adapter.source}: the adapter has no "launch", so pushspec cannot start the server`);
  }
  assertInstalled(adapter);
  const port = await freePort();
  const values = { port: String(port) };
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
  const output = new OutputTail(options.log);
  output.attach(child.stdout);
  output.attach(child.stderr);
  const exited = exitPromise(child);
  const closed = once(child, 'close').catch(() => undefined); // stdio drained
  // `once` rejects on 'error' (e.g. ENOENT); exitPromise reports that error instead.
  const spawned = await Promise.race([once(child, 'spawn').then(() => true, () => false), exited.then(() => false)]);
  if (!spawned || child.pid === undefined) {
    const status = await exited;
    throw new PushspecError('PUSHSPEC_ERR_LAUNCH', `${adapter.source}: cannot start \`${shown}\`: ${status}`);
  }
  const pid = child.pid;
  running.add(pid);
  syncCleanupHandlers();

  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= stopGroup(child, pid, exited));
  const tail = () => `\n--- last output of \`${shown}\` ---\n${output.tail(TAIL_LINES) || '(no output)'}`;

  const ready = await waitUntilReady(readyUrl, readyTimeoutMs, exited);
  if (ready.kind === 'exited') {
    // 'exit' can come before the pipes are drained; the last lines are the useful ones.
    // Bounded, because a surviving grandchild may hold the pipes open.
    await within(closed, 1_000);
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
  return { baseUrl, port, pid, output: () => output.tail(OUTPUT_LINES), stop };
}

/** How long one `requires` check may take before it counts as failed. */
const CHECK_TIMEOUT_MS = 15_000;

/**
 * Runs each `launch.requires` check (from the adapter's folder) and returns
 * the first program that is missing, with why its check failed; `undefined`
 * when everything is installed.
 */
export function findMissingProgram(adapter: ResolvedAdapter): { program: RequiredProgram; why: string } | undefined {
  for (const program of adapter.launch?.requires ?? []) {
    const [command = '', ...args] = program.check;
    const result = spawnSync(command, args, { cwd: adapter.launch?.cwd, stdio: 'ignore', timeout: CHECK_TIMEOUT_MS });
    if (result.status === 0) continue;
    const why = result.error !== undefined ? (result.error as NodeJS.ErrnoException).code ?? result.error.message : result.signal ? `killed by ${result.signal}` : `exit ${result.status}`;
    return { program, why };
  }
  return undefined;
}

/**
 * Checks `launch.requires` before anything starts, so a missing program is
 * named with its install command rather than surfacing as a launch that died.
 *
 * @throws PushspecError `PUSHSPEC_ERR_NOT_INSTALLED` for the first check that fails.
 */
export function assertInstalled(adapter: ResolvedAdapter): void {
  const missing = findMissingProgram(adapter);
  if (missing === undefined) return;
  const { program, why } = missing;
  throw new PushspecError(
    'PUSHSPEC_ERR_NOT_INSTALLED',
    `${adapter.source}: ${program.name} is not installed (\`${program.check.join(' ')}\` failed: ${why}). Install it with: ${program.install}`,
  );
}

/**
 * Checks that something answers HTTP at `baseUrl`; any status will do.
 *
 * @throws PushspecError `PUSHSPEC_ERR_UNREACHABLE` ("nothing answers at <url>: <cause>").
 */
export async function checkReachable(baseUrl: string, timeoutMs = 5_000): Promise<void> {
  const error = await probe(baseUrl, timeoutMs);
  if (error !== undefined) {
    throw new PushspecError('PUSHSPEC_ERR_UNREACHABLE', `nothing answers at ${baseUrl}: ${error}`);
  }
}

/** Asks the OS for a free loopback port. Another process could take it before the server binds; rare enough. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

type Readiness = { kind: 'ready' } | { kind: 'exited'; status: string } | { kind: 'timeout'; lastError: string };

async function waitUntilReady(url: string, timeoutMs: number, exited: Promise<string>): Promise<Readiness> {
  const deadline = Date.now() + timeoutMs;
  let exitStatus: string | undefined;
  void exited.then((status) => (exitStatus = status));
  let lastError = 'no attempt finished';
  for (;;) {
    const remaining = deadline - Date.now();
    if (exitStatus !== undefined) return { kind: 'exited', status: exitStatus };
    if (remaining <= 0) return { kind: 'timeout', lastError };
    // Each attempt gets its own short timeout so one hung connect cannot eat the whole budget.
    const error = await probe(url, Math.min(1_000, remaining));
    if (error === undefined) return { kind: 'ready' };
    lastError = error;
    // Wake up early if the process dies, rather than sleeping through it.
    await within(exited, Math.min(POLL_INTERVAL_MS, Math.max(0, deadline - Date.now())));
  }
}

/** One GET; `undefined` when any HTTP response came back, else a description of why not. */
async function probe(url: string, timeoutMs: number): Promise<string | undefined> {
  // A private agent, closed after the attempt, so no keep-alive socket outlives it.
  const agent = new Agent({ connect: { timeout: timeoutMs } });
  try {
    const response = await request(url, { dispatcher: agent, signal: AbortSignal.timeout(timeoutMs) });
    await response.body.dump();
    return undefined;
  } catch (error) {
    const err = error as NodeJS.ErrnoException;
    if (err.name === 'TimeoutError' || err.name === 'AbortError') return `no response within ${timeoutMs} ms`;
    return err.code !== undefined && !err.message.includes(err.code) ? `${err.code}: ${err.message}` : err.message;
  } finally {
    await agent.destroy();
  }
}

/** Waits for `promise`, at most `ms`; unlike racing a sleep, leaves no timer keeping the process alive. */
async function within(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/** Resolves with "exited with code N" / "was killed by SIGX" / "failed to start: ..." once the process is gone. */
function exitPromise(child: ChildProcess): Promise<string> {
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve(signal !== null ? `was killed by ${signal}` : `exited with code ${code}`));
    child.once('error', (error) => resolve(`failed to start: ${error.message}`));
  });
}

async function stopGroup(child: ChildProcess, pid: number, exited: Promise<string>): Promise<void> {
  const leaderGone = () => child.exitCode !== null || child.signalCode !== null;
  signalGroup(pid, 'SIGTERM');
  // Wait for the leader and every other member of its group, up to the grace period.
  // Group members that are not our children can only be polled for.
  const deadline = Date.now() + STOP_GRACE_MS;
  while ((!leaderGone() || groupAlive(pid)) && Date.now() < deadline) {
    await (leaderGone() ? delay(25) : within(exited, 25));
  }
  if (!leaderGone() || groupAlive(pid)) signalGroup(pid, 'SIGKILL');
  // SIGKILL cannot be ignored; the bound only guards against a process stuck in the kernel.
  await within(exited, STOP_GRACE_MS);
  running.delete(pid);
  syncCleanupHandlers();
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    // ESRCH: the whole group is already gone, which is what we want.
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/**
 * Does any process of group `pid` still run? Zombies do not count: an orphan
 * re-parented to an init that reaps lazily (or not at all, as in containers
 * without one) stays a zombie, yet it is dead. Where /proc is missing, asks kill(0).
 */
function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return true;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited while we looked
    }
    // "pid (comm) state ppid pgrp ..."; comm may contain spaces and parentheses.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === pid && state !== 'Z') return true;
  }
  return false;
}

/** Keeps the last lines of a child's stdout and stderr, and passes each line to `log`. */
class OutputTail {
  private readonly lines: string[] = [];
  private readonly log: ((line: string) => void) | undefined;

  constructor(log: ((line: string) => void) | undefined) {
    this.log = log;
  }

  attach(stream: Readable | null): void {
    if (stream === null) return;
    let partial = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) this.push(line);
    });
    stream.on('end', () => partial !== '' && this.push(partial));
  }

  tail(count: number): string {
    return this.lines.slice(-count).join('\n');
  }

  private push(line: string): void {
    const clean = line.replace(/\r$/, '');
    this.lines.push(clean);
    if (this.lines.length > OUTPUT_LINES) this.lines.splice(0, this.lines.length - OUTPUT_LINES);
    this.log?.(clean);
  }
}

// Process groups of running servers. While any runs, the harness must not leave
// them behind: on exit (sync, so only SIGKILL is possible) or on SIGINT/SIGTERM.
const running = new Set<number>();
const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;
let handlersInstalled = false;

function killAllRunning(): void {
  for (const pid of running) signalGroup(pid, 'SIGKILL');
  running.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  killAllRunning();
  syncCleanupHandlers();
  // Other listeners got this same signal (emit calls them all) and decide what
  // happens next; if there are none, end the way the signal itself would have.
  if (process.listenerCount(signal) === 0) {
    process.exit(SIGNAL_EXIT_CODES[signal as keyof typeof SIGNAL_EXIT_CODES]);
  }
}

/** Installs the cleanup handlers while servers run and removes them once none does. */
function syncCleanupHandlers(): void {
  const wanted = running.size > 0;
  if (wanted === handlersInstalled) return;
  const method = wanted ? 'on' : 'off';
  process[method]('exit', killAllRunning);
  process[method]('SIGINT', onSignal);
  process[method]('SIGTERM', onSignal);
  handlersInstalled = wanted;
}

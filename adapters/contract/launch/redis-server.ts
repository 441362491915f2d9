/**
 * A private Redis for a cluster under test: `redis-server` started on a free
 * loopback port with no persistence and no config file, in a temporary folder
 * that is removed when it stops. Used by cluster adapters (`"cluster":
 * {"redis": true}`), by the tests of the reference server's Redis store, and by
 * the cluster bench. Redis's own `--port 0` turns TCP off rather than picking a
 * port, so the port is chosen first, as for launched servers.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PushspecError } from '../../../core/errors.ts';
import { freePort } from '../launch.ts';
import { findMissingIn } from './programs.ts';
import { OUTPUT_LINES, OutputTail } from './output-tail.ts';
import { exitPromise, running, stopGroup, syncCleanupHandlers, within } from './process-group.ts';
import type { RequiredProgram } from '../definition.ts';

/** What a cluster with `"redis": true` needs installed. */
export const REDIS_SERVER: RequiredProgram = {
  name: 'Redis (redis-server)',
  check: ['redis-server', '--version'],
  install: 'apt-get install -y redis-server',
};

/** How long redis-server has to answer PING. It takes ~0.3 s here. */
const READY_TIMEOUT_MS = 10_000;
/** Ports tried before giving up: another process may take a chosen port before Redis binds it. */
const PORT_ATTEMPTS = 3;

/** A running private Redis; `stop()` it when done. */
export interface RedisServer {
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** The last lines redis-server wrote. */
  output(): string;
  /** SIGTERM, SIGKILL after a grace period; removes its folder. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Starts `redis-server` on a free loopback port (`--save '' --appendonly no`,
 * no config file) and resolves once it answers PING.
 * @throws PushspecError `PUSHSPEC_ERR_NOT_INSTALLED` when redis-server is not installed;
 *   `PUSHSPEC_ERR_LAUNCH` when it does not start or answer within 10 s.
 */
export async function startRedisServer(): Promise<RedisServer> {
  const missing = findMissingIn([REDIS_SERVER], undefined);
  if (missing !== undefined) {
    throw new PushspecError(
      'PUSHSPEC_ERR_NOT_INSTALLED',
      `${REDIS_SERVER.name} is not installed (\`${REDIS_SERVER.check.join(' ')}\` failed: ${missing.why}). Install it with: ${REDIS_SERVER.install}`,
    );
  }
  let lastProblem = '';
  for (let attempt = 0; attempt < PORT_ATTEMPTS; attempt += 1) {
    const started = await startOnce(await freePort());
    if (started.kind === 'ok') return started.server;
    lastProblem = started.problem;
    // Only a port taken between choosing and binding is worth another port.
    if (!/Address already in use/i.test(started.problem)) break;
  }
  throw new PushspecError('PUSHSPEC_ERR_LAUNCH', `redis-server did not start: ${lastProblem}`);
}

async function startOnce(port: number): Promise<{ kind: 'ok'; server: RedisServer } | { kind: 'failed'; problem: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'pushspec-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no'];
  const child = spawn('redis-server', args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = new OutputTail(() => undefined);
  output.attach(child.stdout);
  output.attach(child.stderr);
  const exited = exitPromise(child);
  const spawned = await Promise.race([once(child, 'spawn').then(() => true, () => false), exited.then(() => false)]);
  if (!spawned || child.pid === undefined) {
    rmSync(dir, { recursive: true, force: true });
    return { kind: 'failed', problem: `${await exited}\n${output.tail(OUTPUT_LINES)}` };
  }
  const pid = child.pid;
  running.add(pid);
  syncCleanupHandlers();
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= stopGroup(child, pid, exited).then(() => rmSync(dir, { recursive: true, force: true })));
  const ready = await untilPong(port, exited);
  if (ready !== 'ready') {
    await stop();
    return { kind: 'failed', problem: `${ready}\n${output.tail(OUTPUT_LINES)}` };
  }
  return { kind: 'ok', server: { url: `redis://127.0.0.1:${port}`, port, output: () => output.tail(OUTPUT_LINES), stop } };
}

/** Sends PING (inline command) until `+PONG` comes back, the process exits, or the deadline passes. */
async function untilPong(port: number, exited: Promise<string>): Promise<string> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let gone: string | undefined;
  void exited.then((status) => (gone = status));
  let lastError = 'no answer yet';
  while (Date.now() < deadline) {
    if (gone !== undefined) return `redis-server ${gone} before it answered PING`;
    const answer = await ping(port).catch((error: Error) => error);
    if (answer === true) return 'ready';
    if (answer instanceof Error) lastError = answer.message;
    await within(exited, 50);
  }
  return `redis-server did not answer PING on port ${port} within ${READY_TIMEOUT_MS} ms (last error: ${lastError})`;
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let reply = '';
    socket.setTimeout(1_000, () => socket.destroy(new Error('PING timed out')));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
      if (reply.includes('\r\n')) {
        socket.end();
        resolve(reply.startsWith('+PONG'));
      }
    });
    socket.once('error', reject);
  });
}

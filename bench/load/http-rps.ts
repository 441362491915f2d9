/**
 * HTTP request rate: an undici Pool per target with C keep-alive connections,
 * each keeping `--pipelining` GET requests in flight (1 = one after the
 * other; more = HTTP/1.1 pipelining), every answer followed at once by the
 * next request, answers counted over a fixed time. An answer that is not a
 * 200, or a request that fails, counts as an error.
 *
 *   node --import tsx bench/load/http-rps.ts --url http://127.0.0.1:P/path [--url ...]
 *        [--connections 32] [--pipelining 1]
 *
 * Driven like ./ws-echo.ts: prints `{"ready": true, "port": 0, "connections": N}`,
 * then answers `{"cmd": "measure", "target": 0, "ms": 3000}` on its IPC
 * channel with `{"requests": n, "ms": elapsed, "errors": e, "bytes": b}`.
 *
 * Requests go through `Pool.dispatch` with a bare handler (no promise, no
 * body stream, no header parsing per request), so the client spends as
 * little as it can on each.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { Pool, type Dispatcher } from 'undici';
import { serveCommands } from '../process.ts';

const { values } = parseArgs({
  options: {
    url: { type: 'string', multiple: true, default: [] },
    connections: { type: 'string', default: '32' },
    pipelining: { type: 'string', default: '1' },
  },
});
const connections = Number(values.connections);
const pipelining = Number(values.pipelining);

/** One server under load and its counters (the same shape as in ./ws-echo.ts). */
interface LoadTarget {
  readonly pool: Pool;
  readonly path: string;
  running: boolean;
  counting: boolean;
  received: number;
  inFlight: number;
  errors: number;
  /** Response body bytes counted, to show what one answer weighs. */
  bytes: number;
  /** The first error seen in a window, for the runner's notes. */
  firstError: string | undefined;
}

const targets: LoadTarget[] = values.url!.map((url) => {
  const { origin, pathname, search } = new URL(url);
  return {
    pool: new Pool(origin, { connections, pipelining, keepAliveTimeout: 3_600_000, keepAliveMaxTimeout: 3_600_000 }),
    path: pathname + search,
    running: false,
    counting: false,
    received: 0,
    inFlight: 0,
    errors: 0,
    bytes: 0,
    firstError: undefined,
  };
});

function request(target: LoadTarget): void {
  target.inFlight++;
  let status = 0;
  let bytes = 0;
  const done = (error?: string): void => {
    target.inFlight--;
    if (target.counting) {
      target.received++;
      target.bytes += bytes;
      if (error !== undefined) {
        target.errors++;
        target.firstError ??= error;
      }
    }
    if (target.running) request(target);
  };
  // undici's own handler interface (the one its core calls): the newer
  // onResponse* interface is adapted onto it with a header parse per answer,
  // a cost this generator need not pay.
  const handler: Dispatcher.DispatchHandler = {
    onConnect: () => {},
    onHeaders: (statusCode) => {
      status = statusCode;
      return true;
    },
    onData: (chunk) => {
      bytes += chunk.length;
      return true;
    },
    onComplete: () => done(status === 200 ? undefined : `status ${status}`),
    onError: (error) => done(error.message),
  };
  target.pool.dispatch({ path: target.path, method: 'GET' }, handler);
}

/** Resolves true once nothing is in flight, false at the deadline. */
async function untilDrained(target: LoadTarget, deadlineMs: number): Promise<boolean> {
  const until = performance.now() + deadlineMs;
  while (target.inFlight > 0 && performance.now() < until) await sleep(5);
  return target.inFlight <= 0;
}

async function measure(index: number, ms: number): Promise<Record<string, unknown>> {
  const target = targets[index];
  if (target === undefined) return { error: `no target ${index}` };
  Object.assign(target, { received: 0, errors: 0, bytes: 0, firstError: undefined, running: true, counting: true });
  const started = performance.now();
  for (let i = 0; i < connections * pipelining; i++) request(target);
  await sleep(ms);
  target.counting = false;
  target.running = false;
  const elapsed = performance.now() - started;
  const drained = await untilDrained(target, 5_000);
  const errors = target.errors + (drained ? 0 : 1);
  return { requests: target.received - target.errors, ms: elapsed, errors, bytes: target.bytes, firstError: target.firstError ?? (drained ? undefined : 'requests still in flight 5 s after the window') };
}

// Open every connection before the first window, so connecting is never measured.
const deadline = setTimeout(() => {
  process.stderr.write('http-rps load: connections not open within 15 s\n');
  process.exit(1);
}, 15_000);
const warm = await Promise.all(
  targets.map(async (target) => {
    const answers = await Promise.all(Array.from({ length: connections }, () => target.pool.request({ path: target.path, method: 'GET' }).then(async (response) => {
      await response.body.dump();
      return response.statusCode;
    })));
    return answers.every((status) => status === 200);
  }),
);
clearTimeout(deadline);
if (!warm.every(Boolean)) {
  process.stderr.write('http-rps load: a target did not answer 200\n');
  process.exit(1);
}

serveCommands(async (cmd) => (cmd.cmd === 'measure' ? measure(Number(cmd.target), Number(cmd.ms)) : { error: `unknown command ${String(cmd.cmd)}` }));
process.stdout.write(`${JSON.stringify({ ready: true, port: 0, connections: connections * targets.length })}\n`);

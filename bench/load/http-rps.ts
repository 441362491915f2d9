/**
 * HTTP request rate: C keep-alive connections per target, each keeping
 * `--pipelining` GET requests in flight (1 = one after the other; more =
 * HTTP/1.1 pipelining), every answer followed at once by the next request,
 * answers counted over a fixed time. An answer that is not a 200, or a
 * request that fails, counts as an error.
 *
 *   node --import tsx bench/load/http-rps.ts --url http://127.0.0.1:P/path [--url ...]
 *        [--connections 32] [--pipelining 1] [--client raw|undici]
 *
 * Two clients:
 * - `undici`: an undici Pool per target, requests through `Pool.dispatch`
 *   with a bare handler (no promise, no body stream). The field's client,
 *   but it spends more CPU per request (about 15 µs on the 2-core machine
 *   this was written on) than bare node:http spends answering one (about
 *   12 µs), so it cannot keep such a server busy: it measures itself.
 * - `raw` (default): plain `net` sockets writing a prebuilt request and
 *   reading answers by their Content-Length, a few µs per request, so the
 *   server under test is what runs out first, as the issue requires of a
 *   load generator. Answers must carry Content-Length (chunked ones are
 *   counted as errors).
 *
 * Driven like ./ws-echo.ts: prints `{"ready": true, "port": 0, "connections": N}`,
 * then answers `{"cmd": "measure", "target": 0, "ms": 3000}` on its IPC
 * channel with `{"requests": n, "ms": elapsed, "errors": e, "bytes": b, "firstError"?: text}`.
 */
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { Pool, type Dispatcher } from 'undici';
import { serveCommands } from '../process.ts';

const { values } = parseArgs({
  options: {
    url: { type: 'string', multiple: true, default: [] },
    connections: { type: 'string', default: '32' },
    pipelining: { type: 'string', default: '1' },
    client: { type: 'string', default: 'raw' },
  },
});
const connections = Number(values.connections);
const pipelining = Number(values.pipelining);

/** One server under load and its counters (as in ./ws-echo.ts, plus what an HTTP answer adds). */
interface LoadTarget {
  /** Puts `connections × pipelining` requests in flight. */
  fill(): void;
  running: boolean;
  counting: boolean;
  /** Answers (good or not) counted in the window. */
  received: number;
  inFlight: number;
  errors: number;
  /** Bytes of the answers counted (the raw client: head and body; undici: body only). */
  bytes: number;
  /** The first error seen in a window, for the runner's notes. */
  firstError: string | undefined;
}

function newTarget(fill: (target: LoadTarget) => void): LoadTarget {
  const target: LoadTarget = { fill: () => fill(target), running: false, counting: false, received: 0, inFlight: 0, errors: 0, bytes: 0, firstError: undefined };
  return target;
}

/** Counts one answer; `error` when it was not a 200. */
function answered(target: LoadTarget, bytes: number, error?: string): void {
  target.inFlight--;
  if (!target.counting) return;
  target.received++;
  target.bytes += bytes;
  if (error !== undefined) {
    target.errors++;
    target.firstError ??= error;
  }
}

function undiciTarget(url: URL): LoadTarget {
  const pool = new Pool(url.origin, { connections, pipelining, keepAliveTimeout: 3_600_000, keepAliveMaxTimeout: 3_600_000 });
  const path = url.pathname + url.search;
  const request = (target: LoadTarget): void => {
    target.inFlight++;
    let status = 0;
    let bytes = 0;
    const done = (error?: string): void => {
      answered(target, bytes, error);
      if (target.running) request(target);
    };
    // undici's own handler interface (the one its core calls): the newer
    // onResponse* interface is adapted onto it with a header parse per answer.
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
    pool.dispatch({ path, method: 'GET' }, handler);
  };
  return newTarget((target) => {
    for (let i = 0; i < connections * pipelining; i++) request(target);
  });
}

const HEAD_END = Buffer.from('\r\n\r\n');
const CONTENT_LENGTH = Buffer.from('\r\ncontent-length:');

/** One raw connection and the requests it has out. */
interface RawConnection {
  readonly socket: net.Socket;
  inFlight: number;
}

function send(target: LoadTarget, connection: RawConnection, request: Buffer, count: number): void {
  connection.socket.write(count === 1 ? request : Buffer.concat(Array.from({ length: count }, () => request)));
  connection.inFlight += count;
  target.inFlight += count;
}

/** The raw client's reader: answers are cut from the byte stream by their Content-Length. */
function readAnswers(target: LoadTarget, connection: RawConnection, request: Buffer): void {
  let rest: Buffer | undefined;
  connection.socket.on('data', (chunk: Buffer) => {
    const buffer = rest === undefined ? chunk : Buffer.concat([rest, chunk]);
    let at = 0;
    let count = 0;
    for (;;) {
      const headEnd = buffer.indexOf(HEAD_END, at);
      if (headEnd < 0) break;
      // Header names as both servers send them: lower case (node keeps what it is given).
      const field = buffer.indexOf(CONTENT_LENGTH, at);
      const hasLength = field >= 0 && field < headEnd;
      let length = 0;
      if (hasLength) {
        let i = field + CONTENT_LENGTH.length;
        while (buffer[i] === 0x20) i++;
        while (buffer[i]! >= 0x30 && buffer[i]! <= 0x39) length = length * 10 + buffer[i++]! - 0x30;
      }
      const end = headEnd + 4 + length;
      if (end > buffer.length) break;
      // "HTTP/1.1 200 …": the status code is bytes 9–11 of the answer.
      const ok = hasLength && buffer.toString('latin1', at + 9, at + 12) === '200';
      connection.inFlight--;
      answered(target, end - at, ok ? undefined : `answer "${buffer.toString('latin1', at, Math.min(at + 40, headEnd))}" (not a 200 with Content-Length)`);
      at = end;
      count++;
    }
    rest = at < buffer.length ? buffer.subarray(at) : undefined;
    // Everything answered in this read is asked again in one write.
    if (target.running && count > 0) send(target, connection, request, count);
  });
  connection.socket.on('close', () => {
    // What was still out will never be answered: count it as failed.
    for (; connection.inFlight > 0; connection.inFlight--) answered(target, 0, 'connection closed by the server');
  });
}

async function rawTarget(url: URL): Promise<LoadTarget> {
  const request = Buffer.from(`GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\n\r\n`, 'latin1');
  const open: RawConnection[] = [];
  const target = newTarget((t) => {
    for (const connection of open) if (!connection.socket.destroyed) send(t, connection, request, pipelining);
  });
  await Promise.all(
    Array.from({ length: connections }, () =>
      new Promise<void>((resolve, reject) => {
        const connection: RawConnection = { socket: net.connect({ host: url.hostname, port: Number(url.port), noDelay: true }, () => resolve()), inFlight: 0 };
        connection.socket.once('error', reject);
        connection.socket.on('error', () => {});
        readAnswers(target, connection, request);
        open.push(connection);
      }),
    ),
  );
  return target;
}

/** Resolves true once nothing is in flight, false at the deadline. */
async function untilDrained(target: LoadTarget, deadlineMs: number): Promise<boolean> {
  const until = performance.now() + deadlineMs;
  while (target.inFlight > 0 && performance.now() < until) await sleep(5);
  return target.inFlight <= 0;
}

/** One window: requests go out for `ms`, then the ones in flight are let back. */
async function measure(target: LoadTarget | undefined, ms: number): Promise<Record<string, unknown>> {
  if (target === undefined) return { error: 'no such target' };
  Object.assign(target, { received: 0, errors: 0, bytes: 0, firstError: undefined, running: true, counting: true });
  const started = performance.now();
  target.fill();
  await sleep(ms);
  target.counting = false;
  target.running = false;
  const elapsed = performance.now() - started;
  const drained = await untilDrained(target, 5_000);
  const errors = target.errors + (drained ? 0 : 1);
  const firstError = target.firstError ?? (drained ? undefined : 'requests still in flight 5 s after the window');
  return { requests: target.received - target.errors, ms: elapsed, errors, bytes: target.bytes, ...(firstError === undefined ? {} : { firstError }) };
}

const deadline = setTimeout(() => {
  process.stderr.write('http-rps load: connections not open within 15 s\n');
  process.exit(1);
}, 15_000);
const urls = values.url!.map((url) => new URL(url));
const targets = values.client === 'undici' ? urls.map(undiciTarget) : await Promise.all(urls.map(rawTarget));
// Every connection open (and the undici ones used once) before the first window.
for (const target of targets) await measure(target, 50);
clearTimeout(deadline);

serveCommands(async (cmd) => (cmd.cmd === 'measure' ? measure(targets[Number(cmd.target)], Number(cmd.ms)) : { error: `unknown command ${String(cmd.cmd)}` }));
process.stdout.write(`${JSON.stringify({ ready: true, port: 0, connections: connections * targets.length, client: values.client })}\n`);

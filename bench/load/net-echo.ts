/**
 * The load generator's own ceiling: the same load as ./ws-echo.ts (N
 * connections, a window of 32-byte messages in flight on each, every echo
 * answered with a new message, echoes counted over a fixed time), over raw
 * TCP against bench/servers/net-echo.ts. With no WebSocket framing on either
 * side this is the most messages per second this machine's loopback and
 * event loops allow; a WebSocket figure at or above it would mean the
 * generator, not the server, set the pace.
 *
 *   node --import tsx bench/load/net-echo.ts --port P [--connections 50] [--window 16] [--size 32]
 *
 * Driven like ./ws-echo.ts: prints `{"ready": true, "port": 0, "connections": N}`,
 * then answers `{"cmd": "measure", "target": 0, "ms": 3000}` on its IPC
 * channel with `{"messages": n, "ms": elapsed, "errors": e}`.
 */
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { serveCommands } from '../process.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    host: { type: 'string', default: '127.0.0.1' },
    connections: { type: 'string', default: '50' },
    window: { type: 'string', default: '16' },
    size: { type: 'string', default: '32' },
  },
});
const connections = Number(values.connections);
const window = Number(values.window);
const size = Number(values.size);
// A connection never owes more than its window: one buffer serves every write.
const payload = Buffer.alloc(size * window, 'x');

/** The server under load and its counters (the same shape as in ./ws-echo.ts). */
const target = { running: false, counting: false, measuring: false, received: 0, inFlight: 0, errors: 0 };

interface Client {
  readonly socket: net.Socket;
  /** Bytes of a message whose echo has only partly arrived (TCP keeps no message boundaries). */
  partial: number;
  inFlight: number;
}

function send(client: Client, messages: number): void {
  client.socket.write(payload.subarray(0, messages * size));
  client.inFlight += messages;
  target.inFlight += messages;
}

function open(): Promise<Client> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: values.host!, port: Number(values.port), noDelay: true });
    const client: Client = { socket, partial: 0, inFlight: 0 };
    socket.once('connect', () => resolve(client));
    socket.once('error', reject);
    socket.on('error', () => {});
    socket.on('data', (chunk) => {
      const bytes = client.partial + chunk.length;
      const messages = Math.floor(bytes / size);
      client.partial = bytes % size;
      client.inFlight -= messages;
      target.inFlight -= messages;
      if (target.counting) target.received += messages;
      // Everything echoed in this read is answered in one write.
      if (target.running && messages > 0) send(client, messages);
    });
    socket.on('close', () => {
      target.inFlight -= client.inFlight;
      client.inFlight = 0;
      if (target.measuring) target.errors++;
    });
  });
}

/** Resolves true once nothing is in flight, false at the deadline. */
async function untilDrained(deadlineMs: number): Promise<boolean> {
  const until = performance.now() + deadlineMs;
  while (target.inFlight > 0 && performance.now() < until) await sleep(5);
  return target.inFlight <= 0;
}

async function measure(ms: number): Promise<Record<string, unknown>> {
  target.measuring = true;
  target.errors = 0;
  target.received = 0;
  target.running = true;
  target.counting = true;
  const started = performance.now();
  for (const client of clients) send(client, window);
  await sleep(ms);
  target.counting = false;
  target.running = false;
  const elapsed = performance.now() - started;
  const drained = await untilDrained(5_000);
  target.measuring = false;
  return { messages: target.received, ms: elapsed, errors: target.errors + (drained ? 0 : 1) };
}

const deadline = setTimeout(() => {
  process.stderr.write('net-echo load: connections not open within 15 s\n');
  process.exit(1);
}, 15_000);
const clients = await Promise.all(Array.from({ length: connections }, () => open()));
clearTimeout(deadline);

serveCommands(async (cmd) => (cmd.cmd === 'measure' ? measure(Number(cmd.ms)) : { error: `unknown command ${String(cmd.cmd)}` }));
process.stdout.write(`${JSON.stringify({ ready: true, port: 0, connections })}\n`);

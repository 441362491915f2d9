/**
 * WebSocket echo load: N `ws` clients per target, each keeping a window of
 * 32-byte text messages in flight (every echo received is answered with a
 * new message), counting the echoes that arrive within a fixed time.
 *
 *   node --import tsx bench/load/ws-echo.ts --url ws://127.0.0.1:P/echo [--url ...]
 *        [--connections 50] [--window 16] [--size 32]
 *
 * Unlike a one-shot load generator it is driven like a server (see
 * bench/process.ts `startServer`): it opens its connections to every `--url`,
 * prints `{"ready": true, "port": 0, "connections": N}`, then measures on
 * command over its IPC channel, one target at a time, so the runner can
 * interleave the subjects of a run (noise from the machine then falls on all
 * of them alike) and drive several load processes in step:
 *
 *   {"cmd": "measure", "target": 0, "ms": 3000}  →  {"messages": n, "ms": elapsed, "errors": e}
 *
 * Cheap on purpose, so the server is what runs out first: no masking (an
 * all-zero mask key, which ws then skips applying), no UTF-8 check of the
 * echoes, and the messages a connection owes are sent in one corked write
 * per burst of echoes rather than one write each.
 */
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { serveCommands } from '../process.ts';

const { values } = parseArgs({
  options: {
    url: { type: 'string', multiple: true, default: [] },
    connections: { type: 'string', default: '50' },
    window: { type: 'string', default: '16' },
    size: { type: 'string', default: '32' },
  },
});
const connections = Number(values.connections);
const window = Number(values.window);
const payload = Buffer.alloc(Number(values.size), 'x');

/** One server under load and its counters (./net-echo.ts and ./http-rps.ts keep the same ones). */
interface LoadTarget {
  /** Answer every echo with a new message. */
  running: boolean;
  /** Count the echoes that arrive. */
  counting: boolean;
  /** A measure command is under way (a connection closing then is an error). */
  measuring: boolean;
  received: number;
  inFlight: number;
  errors: number;
}

interface Client {
  readonly ws: WebSocket;
  readonly socket: Socket;
  /** Messages this client owes the server (one per echo received while running). */
  owed: number;
  inFlight: number;
  flushQueued: boolean;
}

/** Sends what a client owes in one write: ws writes each frame itself, so cork its socket around them. */
function flush(target: LoadTarget, client: Client): void {
  client.flushQueued = false;
  if (client.owed === 0 || client.ws.readyState !== WebSocket.OPEN) return;
  client.socket.cork();
  for (let i = 0; i < client.owed; i++) client.ws.send(payload, { binary: false });
  client.socket.uncork();
  client.inFlight += client.owed;
  target.inFlight += client.owed;
  client.owed = 0;
}

function open(target: LoadTarget, url: string): Promise<Client> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, {
      perMessageDeflate: false,
      skipUTF8Validation: true,
      handshakeTimeout: 10_000,
      // Zero key: masking is then a no-op ws skips (the server unmasks all the same).
      generateMask: (mask: Buffer) => mask.fill(0),
    });
    ws.once('open', () => {
      // ws keeps its socket private; corking it is the only way to batch its frames.
      const client: Client = { ws, socket: (ws as unknown as { _socket: Socket })._socket, owed: 0, inFlight: 0, flushQueued: false };
      ws.on('message', () => {
        client.inFlight--;
        target.inFlight--;
        if (target.counting) target.received++;
        if (!target.running) return;
        client.owed++;
        if (!client.flushQueued) {
          client.flushQueued = true;
          // Echoes that arrived in one read are all emitted before this runs.
          queueMicrotask(() => flush(target, client));
        }
      });
      ws.on('close', () => {
        target.inFlight -= client.inFlight;
        client.inFlight = 0;
        if (target.measuring) target.errors++;
      });
      resolve(client);
    });
    ws.once('error', reject);
    ws.on('error', () => {});
  });
}

/** Every connection open within 15 s, or the process fails (the runner sees it exit before its ready line). */
async function connectAll(url: string): Promise<{ target: LoadTarget; clients: Client[] }> {
  const target: LoadTarget = { running: false, counting: false, measuring: false, received: 0, inFlight: 0, errors: 0 };
  const clients = await Promise.all(Array.from({ length: connections }, () => open(target, url)));
  return { target, clients };
}

/** Resolves true once nothing is in flight, false at the deadline. */
async function untilDrained(target: LoadTarget, deadlineMs: number): Promise<boolean> {
  const until = performance.now() + deadlineMs;
  while (target.inFlight > 0 && performance.now() < until) await sleep(5);
  return target.inFlight <= 0;
}

const deadline = setTimeout(() => {
  process.stderr.write('ws-echo load: connections not open within 15 s\n');
  process.exit(1);
}, 15_000);
const targets = await Promise.all(values.url!.map((url) => connectAll(url)));
clearTimeout(deadline);

async function measure(index: number, ms: number): Promise<Record<string, unknown>> {
  const entry = targets[index];
  if (entry === undefined) return { error: `no target ${index}` };
  const { target, clients } = entry;
  target.measuring = true;
  target.errors = 0;
  target.received = 0;
  target.running = true;
  target.counting = true;
  const started = performance.now();
  for (const client of clients) {
    client.owed += window;
    flush(target, client);
  }
  await sleep(ms);
  target.counting = false;
  target.running = false;
  const elapsed = performance.now() - started;
  // Let the messages still in flight come back, so the next window starts from an idle server.
  const drained = await untilDrained(target, 5_000);
  target.measuring = false;
  return { messages: target.received, ms: elapsed, errors: target.errors + (drained ? 0 : 1) };
}

serveCommands(async (cmd) => (cmd.cmd === 'measure' ? measure(Number(cmd.target), Number(cmd.ms)) : { error: `unknown command ${String(cmd.cmd)}` }));
process.stdout.write(`${JSON.stringify({ ready: true, port: 0, connections: connections * targets.length })}\n`);

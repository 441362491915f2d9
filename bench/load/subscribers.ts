/**
 * A load process holding many subscribers (SSE, WebSocket or held
 * long-polls), for the fan-out, idle-memory and connection benchmarks; a
 * scenario drives several through bench/load/subscriber-fleet.ts:
 *
 *   node --import tsx bench/load/subscribers.ts
 *
 * Started through bench/process.ts `startServer` (it prints a ready line and
 * takes IPC commands), so a scenario can open connections, publish, and
 * read what arrived, in steps:
 * - `{cmd: 'open', technique, port, channel, count, localAddress}` opens
 *   `count` more subscribers (`sse`, `websocket` or `longPolling`) of
 *   `channel` on 127.0.0.1:`port`, from that 127.x.y.z source address,
 *   {@link CONCURRENCY} in flight at once, and answers when each is open or
 *   failed: `{opened, failed, errors, startedAt, endedAt}` (times as below);
 * - `{cmd: 'status'}`: `{open, dropped, droppedReasons}` (open now; closed
 *   after opening, by error code);
 * - `{cmd: 'progress', seq}`: how many subscribers have received message `seq`;
 * - `{cmd: 'deliveries'}`: per message, every subscriber's publish-to-receive
 *   latency, and how many receipts came out of order;
 * - `{cmd: 'close'}` drops every subscriber and forgets what they received.
 *
 * Published data is `<seq> <publish time>` (time as `performance.timeOrigin
 * + performance.now()`, comparable across processes on one machine), so a
 * subscriber computes the latency itself from its own receive time.
 * SSE and long-polls are raw `net` readers (no HTTP client object per
 * connection, so the load process stays cheaper than the server it
 * measures); WebSockets use `ws`. A receipt whose seq is not above the
 * subscriber's previous one counts as out of order; a missing one shows as
 * fewer receipts of that seq.
 */
import net from 'node:net';
import WebSocket from 'ws';
import { serveCommands } from '../process.ts';
import type { Technique } from './subscriber-fleet.ts';

/** What a held poll asks for: an hour, so it stays held (the server caps it at its max-hold). */
const HOLD_MS = 3_600_000;
/** In-flight opens per process: with a few processes this stays under the server's listen backlog (511). */
const CONCURRENCY = 128;
/** A subscriber not open within this long counts as an error. */
const OPEN_TIMEOUT_MS = 15_000;

/** Wall-clock time in ms with sub-ms precision, the same clock as the publisher's. */
const clock = (): number => performance.timeOrigin + performance.now();

interface Subscriber {
  /** Highest seq received, -1 before the first: each receipt must be higher. */
  lastSeq: number;
  open: boolean;
  destroy(): void;
}

const subscribers = new Set<Subscriber>();
/** seq → latencies (ms) of every receipt of that message. */
let latencies = new Map<number, number[]>();
let outOfOrder = 0;
let dropped = 0;
let droppedReasons: Record<string, number> = {};

function receive(subscriber: Subscriber, data: string, now: number): void {
  const space = data.indexOf(' ');
  const seq = Number(data.slice(0, space));
  const sentAt = Number(data.slice(space + 1));
  if (seq <= subscriber.lastSeq) outOfOrder += 1;
  else subscriber.lastSeq = seq;
  let list = latencies.get(seq);
  if (list === undefined) latencies.set(seq, (list = []));
  list.push(now - sentAt);
}

/**
 * Callbacks a subscriber reports through: `ready` once open; `fail` before
 * that is an open error, after it a drop (both destroy the connection).
 */
interface Opening {
  ready(): void;
  fail(code: string): void;
}

/** Where subscribers connect, and from which address. */
interface Target {
  technique: Technique;
  port: number;
  channel: string;
  localAddress: string;
}

function request(target: Target, path: string): string {
  return `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${target.port}\r\nAccept: */*\r\n\r\n`;
}

/** A raw TCP connection to the server, with the hooks every technique needs. */
function connect(subscriber: Subscriber, opening: Opening, target: Target, onData: (chunk: string, now: number) => void, onConnect: (socket: net.Socket) => void): net.Socket {
  const socket = net.connect({ host: '127.0.0.1', port: target.port, localAddress: target.localAddress });
  socket.setNoDelay(true);
  // Everything these servers send here is ASCII: latin1 decodes it fastest, and keeps 1 char = 1 byte for Content-Length.
  socket.setEncoding('latin1');
  socket.on('connect', () => onConnect(socket));
  socket.on('data', (chunk: string) => onData(chunk, clock()));
  socket.on('error', (error: NodeJS.ErrnoException) => opening.fail(error.code ?? error.message));
  socket.on('close', () => opening.fail('closed'));
  subscriber.destroy = () => socket.destroy();
  return socket;
}

/** SSE: reads the head, then every `data:` line (each event arrives in one chunk of the chunked body). */
function openSse(subscriber: Subscriber, opening: Opening, target: Target): void {
  let buffer = '';
  let headDone = false;
  connect(subscriber, opening, target, (chunk, now) => {
    buffer += chunk;
    if (!headDone) {
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      if (!buffer.startsWith('HTTP/1.1 200')) return opening.fail(`HTTP ${buffer.slice(9, 12)}`);
      headDone = true;
      buffer = buffer.slice(end + 4);
      opening.ready();
    }
    const last = buffer.lastIndexOf('\n');
    if (last < 0) return;
    for (const line of buffer.slice(0, last).split('\n')) if (line.startsWith('data: ')) receive(subscriber, line.slice(6), now);
    buffer = buffer.slice(last + 1);
  }, (socket) => socket.write(request(target, `/channels/${target.channel}/events`)));
}

/**
 * Long-polling on one keep-alive connection: a first poll with `wait=0`
 * learns the cursor (its answer is what "open" means), then a poll is always
 * held, sent again with the new cursor as soon as each answer arrives.
 */
function openLongPoll(subscriber: Subscriber, opening: Opening, target: Target): void {
  let buffer = '';
  let first = true;
  const base = `/channels/${target.channel}/messages`;
  const socket = connect(subscriber, opening, target, (chunk, now) => {
    buffer += chunk;
    for (;;) {
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = /\r\ncontent-length: *(\d+)/i.exec(buffer.slice(0, end));
      if (length === null) return opening.fail('no content-length');
      const bodyEnd = end + 4 + Number(length[1]);
      if (buffer.length < bodyEnd) return;
      if (!buffer.startsWith('HTTP/1.1 200')) return opening.fail(`HTTP ${buffer.slice(9, 12)}`);
      const body = JSON.parse(buffer.slice(end + 4, bodyEnd)) as { messages: Array<{ data: string }>; cursor: string };
      buffer = buffer.slice(bodyEnd);
      for (const message of body.messages) receive(subscriber, message.data, now);
      socket.write(request(target, `${base}?cursor=${body.cursor}&wait=${HOLD_MS}`));
      if (first) {
        first = false;
        opening.ready();
      }
    }
  }, (connected) => connected.write(request(target, `${base}?wait=0`)));
}

function openWebSocket(subscriber: Subscriber, opening: Opening, target: Target): void {
  const { port, channel, localAddress } = target;
  const ws = new WebSocket(`ws://127.0.0.1:${port}/channels/${channel}/ws`, { localAddress, perMessageDeflate: false, skipUTF8Validation: true });
  ws.on('open', () => opening.ready());
  ws.on('message', (data) => {
    const now = clock();
    receive(subscriber, (JSON.parse(String(data)) as { data: string }).data, now);
  });
  ws.on('error', (error: NodeJS.ErrnoException) => opening.fail(error.code ?? error.message));
  ws.on('close', () => opening.fail('closed'));
  subscriber.destroy = () => ws.terminate();
}

const OPENERS = { sse: openSse, longPolling: openLongPoll, websocket: openWebSocket };

/** Opens one subscriber; resolves with undefined once open, or with an error code. */
function openOne(target: Target): Promise<string | undefined> {
  return new Promise((resolve) => {
    const subscriber: Subscriber = { lastSeq: -1, open: false, destroy: () => {} };
    subscribers.add(subscriber);
    let settled = false;
    const timer = setTimeout(() => opening.fail('timeout'), OPEN_TIMEOUT_MS);
    const opening: Opening = {
      ready: () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        subscriber.open = true;
        resolve(undefined);
      },
      fail: (code) => {
        if (settled) {
          // After open: the connection broke (or the server answered an error); a 'close' we caused is not a drop.
          if (subscriber.open) {
            subscriber.open = false;
            dropped += 1;
            droppedReasons[code] = (droppedReasons[code] ?? 0) + 1;
            subscriber.destroy();
          }
          return;
        }
        settled = true;
        clearTimeout(timer);
        subscribers.delete(subscriber);
        subscriber.destroy();
        resolve(code);
      },
    };
    OPENERS[target.technique](subscriber, opening, target);
  });
}

/** Opens `count` subscribers, at most {@link CONCURRENCY} in flight, and says how it went. */
async function openMany(count: number, target: Target): Promise<Record<string, unknown>> {
  const startedAt = clock();
  const errors: Record<string, number> = {};
  let opened = 0;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      next += 1;
      const error = await openOne(target);
      if (error === undefined) opened += 1;
      else errors[error] = (errors[error] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, count) }, worker));
  return { opened, failed: count - opened, errors, startedAt, endedAt: clock() };
}

serveCommands(async (cmd) => {
  switch (cmd.cmd) {
    case 'open': {
      const target = { technique: cmd.technique, port: Number(cmd.port), channel: String(cmd.channel), localAddress: String(cmd.localAddress) } as Target;
      if (!(target.technique in OPENERS)) return { error: `unknown technique ${String(target.technique)}` };
      return openMany(Number(cmd.count), target);
    }
    case 'status': {
      let open = 0;
      for (const subscriber of subscribers) if (subscriber.open) open += 1;
      return { open, dropped, droppedReasons };
    }
    case 'progress':
      return { received: latencies.get(Number(cmd.seq))?.length ?? 0 };
    case 'deliveries': {
      // Rounded to µs: enough for ms percentiles, and a third of the bytes on the IPC channel.
      const bySeq: Record<string, number[]> = {};
      for (const [seq, list] of latencies) bySeq[seq] = list.map((ms) => Math.round(ms * 1000) / 1000);
      return { latencies: bySeq, outOfOrder };
    }
    case 'close': {
      for (const subscriber of subscribers) {
        subscriber.open = false;
        subscriber.destroy();
      }
      subscribers.clear();
      latencies = new Map();
      outOfOrder = 0;
      dropped = 0;
      droppedReasons = {};
      return { closed: true };
    }
    default:
      return { error: `unknown command ${String(cmd.cmd)}` };
  }
});
process.stdout.write(`${JSON.stringify({ ready: true, port: 0, pid: process.pid })}\n`);

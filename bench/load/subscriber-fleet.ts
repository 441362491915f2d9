/**
 * The scenario's side of bench/load/subscribers.ts: several load processes
 * holding subscribers together, so no process passes ~20,000 sockets, each
 * batch opened from a fresh 127.x.y.z source address so ephemeral ports
 * (and an earlier batch's TIME_WAIT) never run out. Used by the fan-out,
 * idle-memory and connections benchmarks.
 */
import { startServer, type ServerProcess } from '../process.ts';

export type Technique = 'sse' | 'websocket' | 'longPolling';

/** Subscribers per load process: well under the ~20,000 sockets one process may hold. */
export const SUBSCRIBERS_PER_PROCESS = 5000;

/** Loopback source addresses, a fresh one per batch: from a random 127.x.y.0/24 so an earlier run's TIME_WAIT ports never collide. */
let addressCounter = (2 + Math.floor(Math.random() * 250)) * 65536 + Math.floor(Math.random() * 256) * 256;
function nextLocalAddress(): string {
  addressCounter += 1;
  if (addressCounter % 256 === 0 || addressCounter % 256 === 255) addressCounter += 2;
  return `127.${(addressCounter >> 16) & 255}.${(addressCounter >> 8) & 255}.${addressCounter & 255}`;
}

/** What opening a batch of subscribers gave, over every load process. */
export interface OpenResult {
  opened: number;
  failed: number;
  /** Failed opens by error code (`ECONNRESET`, `timeout`, `HTTP 503`, …). */
  errors: Record<string, number>;
  /** From the first attempt to the last subscriber open, over every process, in ms. */
  durationMs: number;
}

/** Adds `more` error counts into `into`. */
export function addErrors(into: Record<string, number>, more: Record<string, number>): void {
  for (const [code, times] of Object.entries(more)) into[code] = (into[code] ?? 0) + times;
}

/** Load processes (bench/load/subscribers.ts) holding subscribers; one per {@link SUBSCRIBERS_PER_PROCESS}. */
export class SubscriberFleet {
  readonly #processes: ServerProcess[];

  private constructor(processes: ServerProcess[]) {
    this.#processes = processes;
  }

  /** The load processes' ids (to read their limits from /proc). */
  get pids(): number[] {
    return this.#processes.map((p) => p.pid);
  }

  /** Starts enough load processes for `maxSubscribers` at once. */
  static async start(maxSubscribers: number): Promise<SubscriberFleet> {
    const count = Math.max(1, Math.ceil(maxSubscribers / SUBSCRIBERS_PER_PROCESS));
    const started = await Promise.allSettled(Array.from({ length: count }, () => startServer('load/subscribers.ts')));
    const processes = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const failure = started.find((s) => s.status === 'rejected');
    if (failure !== undefined) {
      await Promise.all(processes.map((p) => p.stop()));
      throw (failure as PromiseRejectedResult).reason;
    }
    return new SubscriberFleet(processes);
  }

  /** Opens `count` subscribers of `technique` on `channel`, spread evenly over the processes, all at once. */
  async open(technique: Technique, port: number, channel: string, count: number): Promise<OpenResult> {
    const n = this.#processes.length;
    const replies = await Promise.all(
      this.#processes.map((p, i) =>
        p.command({ cmd: 'open', technique, port, channel, count: Math.floor(count / n) + (i < count % n ? 1 : 0), localAddress: nextLocalAddress() }),
      ),
    );
    const errors: Record<string, number> = {};
    for (const reply of replies) addErrors(errors, reply.errors as Record<string, number>);
    const opened = replies.reduce((sum, r) => sum + Number(r.opened), 0);
    const durationMs = Math.max(...replies.map((r) => Number(r.endedAt))) - Math.min(...replies.map((r) => Number(r.startedAt)));
    return { opened, failed: count - opened, errors, durationMs };
  }

  /** Subscribers open now, and those that closed after opening (with why). */
  async status(): Promise<{ open: number; dropped: number; droppedReasons: Record<string, number> }> {
    const replies = await Promise.all(this.#processes.map((p) => p.command({ cmd: 'status' })));
    const droppedReasons: Record<string, number> = {};
    for (const r of replies) addErrors(droppedReasons, r.droppedReasons as Record<string, number>);
    return { open: replies.reduce((s, r) => s + Number(r.open), 0), dropped: replies.reduce((s, r) => s + Number(r.dropped), 0), droppedReasons };
  }

  /** Receipts of message `seq` so far, over every subscriber. */
  async received(seq: number): Promise<number> {
    const replies = await Promise.all(this.#processes.map((p) => p.command({ cmd: 'progress', seq })));
    return replies.reduce((s, r) => s + Number(r.received), 0);
  }

  /** Every receipt's publish-to-receive latency (ms) per message seq, and how many came out of order. */
  async deliveries(): Promise<{ latencies: Map<number, number[]>; outOfOrder: number }> {
    const latencies = new Map<number, number[]>();
    let outOfOrder = 0;
    for (const p of this.#processes) {
      const reply = await p.command({ cmd: 'deliveries' });
      outOfOrder += Number(reply.outOfOrder);
      for (const [seq, list] of Object.entries(reply.latencies as Record<string, number[]>)) {
        const all = latencies.get(Number(seq)) ?? [];
        for (const ms of list) all.push(ms);
        latencies.set(Number(seq), all);
      }
    }
    return { latencies, outOfOrder };
  }

  /** Drops every subscriber and forgets what they received (the processes stay, ready for the next batch). */
  async closeAll(): Promise<void> {
    await Promise.all(this.#processes.map((p) => p.command({ cmd: 'close' })));
  }

  async stop(): Promise<void> {
    await Promise.all(this.#processes.map((p) => p.stop()));
  }
}

/** Polls `check` every 25 ms until it holds or `timeoutMs` passes; resolves with whether it held. */
export async function waitUntil(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (performance.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

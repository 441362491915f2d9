/**
 * Publishers for the cluster benchmark, in a process of their own so that
 * publishing never shares an event loop with the servers or the subscribers
 * it is timed against:
 *
 *   node --import tsx bench/load/publishers.ts
 *
 * Started through bench/process.ts `startServer`; IPC commands:
 * - `{cmd: 'flood', ports, channel, publishers, durationMs}`: `publishers`
 *   concurrent publishers, publisher i on its own keep-alive connection to
 *   127.0.0.1:`ports[i % ports.length]`, each sending its next
 *   `POST /channels/{channel}/messages` as soon as the last one is answered,
 *   for `durationMs`; answers `{acknowledged, errors, firstError?, ms,
 *   cpuPercent, ackP50, ackP99}` (acknowledged = answered 201; ack times in
 *   ms; cpuPercent its own CPU time over the round, % of one core);
 * - `{cmd: 'paced', ports, channel, firstSeq, count, intervalMs}`: message
 *   `firstSeq + i` sent at `start + i·intervalMs` to `ports[i % ports.length]`
 *   (one keep-alive connection per port, pipelined so a slow answer does not
 *   delay the next), answers once every publish is answered: `{published,
 *   errors, firstError?}`.
 *
 * A message's data is `<seq> <publish time>` (bench/load/subscribers.ts reads
 * it), the time taken just before it is sent, on the clock every bench
 * process shares (`performance.timeOrigin + performance.now()`).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'undici';
import { serveCommands } from '../process.ts';
import { percentile } from '../stats.ts';

const clock = (): number => performance.timeOrigin + performance.now();
/** Every publish has a deadline: a server that stops answering fails the round, it does not hang it. */
const ANSWER_DEADLINE_MS = 10_000;

interface Outcome {
  errors: number;
  firstError?: string;
}

async function publishOne(client: Client, channel: string, seq: number, outcome: Outcome): Promise<boolean> {
  try {
    const response = await client.request({
      path: `/channels/${channel}/messages`,
      method: 'POST',
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body: `${seq} ${clock().toFixed(3)}`,
      headersTimeout: ANSWER_DEADLINE_MS,
      bodyTimeout: ANSWER_DEADLINE_MS,
    });
    const text = await response.body.text();
    if (response.statusCode === 201) return true;
    throw new Error(`publish answered ${response.statusCode}: ${text.slice(0, 120)}`);
  } catch (error) {
    outcome.errors += 1;
    outcome.firstError ??= (error as Error).message;
    return false;
  }
}

function clientFor(port: number, pipelining: number): Client {
  return new Client(`http://127.0.0.1:${port}`, { pipelining, keepAliveTimeout: 600_000 });
}

/** Closed-loop publishers for a while: how many publishes the servers acknowledge per second. */
async function flood(cmd: Record<string, unknown>): Promise<Record<string, unknown>> {
  const ports = cmd.ports as number[];
  const channel = String(cmd.channel);
  const until = clock() + Number(cmd.durationMs);
  const clients = Array.from({ length: Number(cmd.publishers) }, (_, i) => clientFor(ports[i % ports.length]!, 1));
  const outcome: Outcome = { errors: 0 };
  const ackMs: number[] = [];
  let seq = 0;
  const started = clock();
  const cpu = process.cpuUsage();
  try {
    await Promise.all(
      clients.map(async (client) => {
        while (clock() < until && outcome.errors === 0) {
          const sent = clock();
          if (await publishOne(client, channel, seq++, outcome)) ackMs.push(clock() - sent);
        }
      }),
    );
  } finally {
    await Promise.all(clients.map((c) => c.close()));
  }
  const ms = clock() - started;
  const used = process.cpuUsage(cpu);
  // Its own CPU, as a share of one core: near 100 % means the publisher, not the server, set the pace.
  const cpuPercent = ((used.user + used.system) / 1000 / ms) * 100;
  return { acknowledged: ackMs.length, ...outcome, ms, cpuPercent, ackP50: percentile(ackMs, 50), ackP99: percentile(ackMs, 99) };
}

/** Messages at a steady pace, spread over the ports: each subscriber times its own receipt of each. */
async function paced(cmd: Record<string, unknown>): Promise<Record<string, unknown>> {
  const ports = cmd.ports as number[];
  const channel = String(cmd.channel);
  const firstSeq = Number(cmd.firstSeq);
  const count = Number(cmd.count);
  const intervalMs = Number(cmd.intervalMs);
  const clients = ports.map((port) => clientFor(port, 16));
  const outcome: Outcome = { errors: 0 };
  const answers: Array<Promise<boolean>> = [];
  const started = clock();
  try {
    for (let i = 0; i < count; i++) {
      const wait = started + i * intervalMs - clock();
      if (wait > 0) await sleep(wait);
      answers.push(publishOne(clients[i % clients.length]!, channel, firstSeq + i, outcome));
    }
    const published = (await Promise.all(answers)).filter(Boolean).length;
    return { published, ...outcome };
  } finally {
    await Promise.all(clients.map((c) => c.close()));
  }
}

serveCommands(async (cmd) => {
  switch (cmd.cmd) {
    case 'flood':
      return flood(cmd);
    case 'paced':
      return paced(cmd);
    default:
      return { error: `unknown command ${String(cmd.cmd)}` };
  }
});
process.stdout.write(`${JSON.stringify({ ready: true, port: 0, pid: process.pid })}\n`);

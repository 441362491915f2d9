/**
 * The publisher of the technique comparison (issue 8, item 6), in a process
 * of its own so that publishing never shares an event loop with the clients
 * it is timed against (bench/load/technique-client.ts).
 *
 *   node --import tsx bench/load/technique-publisher.ts
 *
 * Started through bench/process.ts `startServer`; IPC commands:
 * - `{cmd: 'publish', port, channel, count, intervalMs, jitterMs}` publishes
 *   `count` 32-byte messages (bench/load/technique-payload.ts) with
 *   `POST /channels/{channel}/messages`, message i due at
 *   `start + i·intervalMs + random(0, jitterMs)`, and answers once every
 *   publish is answered: `{published, errors, firstError?, bytes, ms}`;
 * - `{cmd: 'clock'}` answers `{now}`.
 *
 * Each server gets one keep-alive connection, pipelined so a slow answer does
 * not delay the next publish; HTTP/1.1 answers them in order, so the
 * channel's ids follow the seqs. `bytes` is what the publishes cost on the
 * wire, the same for every technique: the comparison leaves it out of the
 * clients' figures and reports it beside them.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'undici';
import { serveCommands } from '../process.ts';
import { clock, formatPayload } from './technique-payload.ts';
import { SocketTally } from './technique-sockets.ts';

interface Connection {
  client: Client;
  tally: SocketTally;
}

const connections = new Map<number, Connection>();

function connectionTo(port: number): Connection {
  let connection = connections.get(port);
  if (connection === undefined) {
    const tally = new SocketTally();
    connection = { tally, client: new Client(`http://127.0.0.1:${port}`, { connect: tally.connector(), pipelining: 16, keepAliveTimeout: 600_000 }) };
    connections.set(port, connection);
  }
  return connection;
}

async function publish(cmd: Record<string, unknown>): Promise<Record<string, unknown>> {
  const count = Number(cmd.count);
  const intervalMs = Number(cmd.intervalMs);
  const jitterMs = Number(cmd.jitterMs ?? 0);
  const { client, tally } = connectionTo(Number(cmd.port));
  const path = `/channels/${String(cmd.channel)}/messages`;
  const before = tally.bytes();
  const started = clock();
  let errors = 0;
  let firstError: string | undefined;
  const answers: Array<Promise<void>> = [];
  for (let seq = 0; seq < count; seq++) {
    const due = started + seq * intervalMs + Math.random() * jitterMs;
    const wait = due - clock();
    if (wait > 0) await sleep(wait);
    // Stamped when the publish is sent: the delay a client sees runs from here.
    const body = formatPayload(seq, clock());
    answers.push(
      client
        .request({ path, method: 'POST', headers: { 'content-type': 'text/plain; charset=utf-8' }, body })
        .then(async (response) => {
          const text = await response.body.text();
          if (response.statusCode !== 201) throw new Error(`publish answered ${response.statusCode}: ${text.slice(0, 120)}`);
        })
        .catch((error: Error) => {
          errors++;
          firstError ??= error.message;
        }),
    );
  }
  // Every publish has a deadline: a server that stops answering fails the window, it does not hang it.
  const deadline = sleep(10_000).then(() => 'timeout' as const);
  const outcome = await Promise.race([Promise.all(answers).then(() => 'done' as const), deadline]);
  if (outcome === 'timeout') {
    errors++;
    firstError ??= 'publishes not answered within 10 s';
  }
  const after = tally.bytes();
  return {
    published: count - errors,
    errors,
    ...(firstError === undefined ? {} : { firstError }),
    bytes: after.read - before.read + (after.written - before.written),
    ms: clock() - started,
  };
}

serveCommands(async (cmd) => {
  switch (cmd.cmd) {
    case 'publish':
      return publish(cmd);
    case 'clock':
      return { now: clock() };
    default:
      return { error: `unknown command ${String(cmd.cmd)}` };
  }
});
process.stdout.write(`${JSON.stringify({ ready: true, port: 0, pid: process.pid })}\n`);

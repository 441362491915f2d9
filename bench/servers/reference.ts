/**
 * The reference server in a process of its own, for the benchmarks: listens
 * on 127.0.0.1 on a free port, prints `{"ready": true, "port": N}`, and
 * answers `usage` (and `stats`) on its IPC channel.
 *
 *   node --import tsx [--expose-gc] bench/servers/reference.ts [--max-hold ms] [--history n] [--http2]
 *
 * Keep-alives and pings are off unless asked for, so an idle connection
 * costs only what holding it costs. `--http2`: HTTP/2 beside HTTP/1.1 on the
 * same port (h2c with prior knowledge here, in the clear; reference/http2.ts).
 */
import { parseArgs } from 'node:util';
import { startReferenceServer } from '../../reference/server.ts';
import { serveCommands } from '../process.ts';

const { values } = parseArgs({
  options: {
    'max-hold': { type: 'string', default: '25000' },
    history: { type: 'string', default: '1000' },
    'keep-alive': { type: 'string', default: '3600000' },
    'ws-ping': { type: 'string', default: '0' },
    http2: { type: 'boolean', default: false },
  },
});

const server = await startReferenceServer({
  host: '127.0.0.1',
  port: 0,
  maxHoldMs: Number(values['max-hold']),
  historyLimit: Number(values.history),
  sseKeepAliveMs: Number(values['keep-alive']),
  wsPingIntervalMs: Number(values['ws-ping']),
  http2: values.http2,
});
// Time each broadcast until its writes are flushed, not only its loop (see lastBroadcast in the reference).
for (const technique of [server.held, server.streams, server.sockets]) technique.lastBroadcast.timeFlush = true;
serveCommands((cmd) => {
  if (cmd.cmd === 'stats') {
    return {
      held: server.held.count(),
      streams: server.streams.count(),
      sockets: server.sockets.count(),
      // Each technique's last broadcast write loop (subscribers, ms), for the fan-out benchmark.
      lastBroadcast: { longPolling: server.held.lastBroadcast, sse: server.streams.lastBroadcast, websocket: server.sockets.lastBroadcast },
    };
  }
  return { error: `unknown command ${String(cmd.cmd)}` };
});
process.on('SIGTERM', () => {
  void server.close().finally(() => process.exit(0));
});
process.stdout.write(`${JSON.stringify({ ready: true, port: server.port, url: server.url })}\n`);

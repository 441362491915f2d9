/**
 * engine.io 6 (protocol 4), the transport under Socket.IO, described as a
 * module adapter: a handshake opens a session whose id (`sid`) every later
 * request carries; a long-poll's answer is packets joined by the record
 * separator 0x1E (`4hello` a message, `2` a ping the client answers with `3`);
 * a WebSocket frame is one packet. See README.md.
 */
import type { AdapterDefinition, DecodeFunction, SessionFunction, WebSocketCodec } from 'pushspec';

const ENDPOINT = '/engine.io/?EIO=4&channel={channel}';

/** The handshake: a poll without `sid` answers the open packet `0{"sid": …}`. */
const handshake: SessionFunction = async ({ request }) => {
  const answer = await request({ method: 'GET', query: { transport: 'polling' } });
  if (answer.status !== 200 || !answer.body.startsWith('0')) throw new Error(`the handshake was answered ${answer.status} ${answer.body.slice(0, 80)}`);
  const { sid } = JSON.parse(answer.body.slice(1)) as { sid: string };
  return { values: { sid }, query: { transport: 'polling', sid } };
};

/** A long-poll's answer: packets joined by 0x1E (engine.io protocol 4, "payload"). */
const decodePayload: DecodeFunction = ({ body }) => {
  const packets = body.split('\u001e');
  if (packets.includes('1')) return { kind: 'error', problem: 'the server closed the session (packet 1)' };
  return {
    kind: 'batch',
    messages: packets.filter((p) => p.startsWith('4')).map((p) => ({ data: p.slice(1) })),
    // A ping (2) is answered with a pong (3), posted on the session, as engine.io-client does.
    replies: packets.filter((p) => p === '2').map(() => ({ method: 'POST' as const, body: '3' })),
  };
};

/** A WebSocket frame is one packet. */
const codec: WebSocketCodec = {
  decode: (text) => {
    if (text.startsWith('0')) return { open: true };
    // The heartbeat: answered with a pong, and counted as a keep-alive (WS-KEEPALIVE-PING).
    if (text === '2') return { replies: ['3'], keepAlive: true };
    if (text.startsWith('4')) return { messages: [{ data: text.slice(1) }] };
    return {};
  },
  encode: (data) => `4${data}`,
  awaitOpen: true,
};

export default {
  name: 'engine.io',
  baseUrl: 'http://127.0.0.1:{port}',
  launch: {
    requires: [
      {
        name: 'the npm package engine.io 6.6 (Node >= 20)',
        check: ['node', '-e', "require.resolve('engine.io')"],
        install: 'npm install engine.io@6.6.13 (in the pushspec folder)',
      },
    ],
    command: ['node', 'server.mjs', '{port}'],
    readyUrl: 'http://127.0.0.1:{port}/',
    readyTimeoutMs: 10000,
  },
  longPolling: {
    path: ENDPOINT,
    session: handshake,
    // engine.io keeps no position a client could send: the session queues what it has not yet polled.
    cursor: { in: 'none' },
    format: decodePayload,
    // No hold parameter: a poll is held until a message or the next ping (pingInterval 1000 ms).
    holdMs: 1000,
    maxHoldMs: 1500,
    // A second poll on a session answers 400 and closes the session, which ends the held one (packet 1).
    concurrentPolls: 'close-both',
  },
  websocket: {
    channelPath: `${ENDPOINT}&transport=websocket`,
    codec,
    clientPublishes: true,
    // engine.io pings every pingInterval (1000 ms in server.mjs) with the packet 2, not a Ping frame.
    pingIntervalMs: 1000,
    // engine.io-client's upgrade: the same sid over a WebSocket, a probe, then the upgrade packet 5.
    upgrade: {
      path: `${ENDPOINT}&transport=websocket&sid={sid}`,
      handshake: [{ send: '2probe' }, { expect: '3probe' }, { send: '5' }],
    },
  },
  publish: {
    method: 'POST',
    url: '/publish/{channel}',
    headers: { 'content-type': 'text/plain; charset=utf-8' },
    body: '{data}',
  },
} satisfies AdapterDefinition;

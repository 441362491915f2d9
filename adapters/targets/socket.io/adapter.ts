/**
 * Socket.IO 4 (socket.io 4.8, Socket.IO protocol 5 over engine.io protocol 4)
 * described as a module adapter. Socket.IO rides on engine.io: an engine.io
 * handshake opens a session (`sid`), then the client connects to the default
 * namespace with the packet `40` and the server answers `40{"sid": …}`; only
 * then does the server's `connection` handler run (and the glue join the
 * room). Events travel in engine.io message packets as `42["message","<data>"]`;
 * a long-poll's answer is packets joined by 0x1E; engine.io's ping `2` is
 * answered `3`. See README.md.
 */
import type { AdapterDefinition, DecodeFunction, DecodedMessage, SessionContext, SessionFunction, WebSocketCodec } from 'pushspec';

const ENDPOINT = '/socket.io/?EIO=4&channel={channel}';

/** engine.io's payload separator (protocol 4): a long-poll's answer is packets joined by it. */
const SEPARATOR = '\u001e';

/**
 * An event packet of the default namespace, `42[…]` (engine.io message `4`,
 * Socket.IO EVENT `2`, possibly an ack id): its `message` event's data, or
 * undefined for any other event.
 */
function eventData(packet: string): DecodedMessage | undefined {
  const match = /^42\d*(\[.*)$/s.exec(packet);
  if (match === null) return undefined;
  const args = JSON.parse(match[1]!) as unknown[];
  if (args[0] !== 'message') return undefined;
  const data = args[1];
  return { data: typeof data === 'string' ? data : JSON.stringify(data) };
}

/** Posts a pong `3` for each ping `2` among `packets`, as engine.io-client does. */
async function pong(request: SessionContext['request'], sid: string, packets: string[]): Promise<void> {
  for (const packet of packets) {
    if (packet === '2') await request({ method: 'POST', query: { transport: 'polling', sid }, body: '3' });
  }
}

/**
 * The handshake, as socket.io-client makes it on the polling transport: the
 * engine.io open (a poll without `sid` answers `0{"sid": …}`), then the
 * namespace CONNECT `40` posted on the session, then a poll that reads the
 * server's `40{"sid": …}`. The client has joined its room once that arrives.
 */
const handshake: SessionFunction = async ({ request }) => {
  const open = await request({ method: 'GET', query: { transport: 'polling' } });
  if (open.status !== 200 || !open.body.startsWith('0')) throw new Error(`the engine.io handshake was answered ${open.status} ${open.body.slice(0, 80)}`);
  const { sid } = JSON.parse(open.body.slice(1)) as { sid: string };
  const query = { transport: 'polling', sid };
  const connect = await request({ method: 'POST', query, body: '40' });
  if (connect.status !== 200) throw new Error(`the namespace CONNECT 40 was answered ${connect.status} ${connect.body.slice(0, 80)}`);
  // The CONNECT answer is normally the first packet of the next poll; a ping may come first.
  for (let polls = 0; polls < 3; polls++) {
    const answer = await request({ method: 'GET', query });
    if (answer.status !== 200) throw new Error(`the poll after CONNECT was answered ${answer.status} ${answer.body.slice(0, 80)}`);
    const packets = answer.body.split(SEPARATOR);
    await pong(request, sid, packets);
    if (packets.some((p) => p.startsWith('44'))) throw new Error(`the namespace refused the connection: ${answer.body.slice(0, 120)}`);
    if (packets.some((p) => p.startsWith('40'))) return { query };
  }
  throw new Error('the server did not answer the namespace CONNECT 40 with 40{"sid": …}');
};

/** A long-poll's answer: engine.io packets joined by 0x1E, events among them. */
const decodePayload: DecodeFunction = ({ body }) => {
  const packets = body.split(SEPARATOR);
  if (packets.includes('1')) return { kind: 'error', problem: 'the server closed the engine.io session (packet 1)' };
  if (packets.includes('41')) return { kind: 'error', problem: 'the server disconnected the namespace (packet 41)' };
  const messages: DecodedMessage[] = [];
  for (const packet of packets) {
    if (!packet.startsWith('42')) continue;
    let message;
    try {
      message = eventData(packet);
    } catch {
      return { kind: 'error', problem: `an event packet that is not JSON: ${packet.slice(0, 60)}` };
    }
    if (message !== undefined) messages.push(message);
  }
  return {
    kind: 'batch',
    messages,
    // A ping (2) is answered with a pong (3), posted on the session, as engine.io-client does.
    replies: packets.filter((p) => p === '2').map(() => ({ method: 'POST' as const, body: '3' })),
  };
};

/** A WebSocket frame is one engine.io packet. */
const codec: WebSocketCodec = {
  decode: (text) => {
    // engine.io's open `0{…}` is not enough: the namespace is open with Socket.IO's CONNECT answer.
    if (text.startsWith('40')) return { open: true };
    // The heartbeat: answered with a pong, and counted as a keep-alive (WS-KEEPALIVE-PING).
    if (text === '2') return { replies: ['3'], keepAlive: true };
    const message = eventData(text);
    return message !== undefined ? { messages: [message] } : {};
  },
  // What the client publishes is emitted as the event `publish` (the glue emits it to the room).
  encode: (data) => `42${JSON.stringify(['publish', data])}`,
  // The namespace CONNECT, sent at once, as socket.io-client does once engine.io is open.
  hello: ['40'],
  awaitOpen: true,
};

export default {
  name: 'socket.io',
  baseUrl: 'http://127.0.0.1:{port}',
  launch: {
    requires: [
      {
        name: 'the npm package socket.io 4.8 (Node >= 20)',
        check: ['node', '-e', "require.resolve('socket.io')"],
        install: 'npm install socket.io@4.8.4 (in the pushspec folder)',
      },
    ],
    command: ['node', 'server.mjs', '{port}'],
    readyUrl: 'http://127.0.0.1:{port}/',
    readyTimeoutMs: 10000,
  },
  longPolling: {
    path: ENDPOINT,
    session: handshake,
    // Socket.IO keeps no position a client could send: the session queues what it has not yet polled.
    cursor: { in: 'none' },
    format: decodePayload,
    // No hold parameter: a poll is held until a packet or the next ping (pingInterval 1000 ms).
    holdMs: 1000,
    maxHoldMs: 1500,
    // engine.io answers a second poll on one sid 400 and closes the session, ending the held one (packet 1).
    concurrentPolls: 'close-both',
  },
  websocket: {
    channelPath: `${ENDPOINT}&transport=websocket`,
    codec,
    clientPublishes: true,
    // engine.io pings every pingInterval (1000 ms in server.mjs) with the packet 2, not a Ping frame.
    pingIntervalMs: 1000,
  },
  publish: {
    method: 'POST',
    url: '/publish/{channel}',
    headers: { 'content-type': 'text/plain; charset=utf-8' },
    body: '{data}',
  },
} satisfies AdapterDefinition;

/**
 * SockJS (sockjs-node 0.3.24, SockJS protocol 0.3), described as a module
 * adapter. Every SockJS transport lives under a session URL the client makes
 * up, `/sockjs/<server>/<session>/<transport>` (server: three digits, session:
 * a random string), and carries SockJS frames: `o` (the session is open), `h`
 * (a heartbeat), `a["m1","m2"]` (messages, a JSON array of strings), `c[code,
 * "reason"]` (the session is closed). Three transports are described here:
 * xhr-polling as long-polling, eventsource as Server-Sent Events, and the
 * SockJS-framed websocket. See README.md.
 */
import { randomInt, randomUUID } from 'node:crypto';
import type { AdapterDefinition, DecodeFunction, SessionFunction, SseDecodeFunction, WebSocketCodec } from 'pushspec';

const PREFIX = '/sockjs';
/** `{channel}` goes in the query of every session URL: the server reads it from the request that opens the session. */
const sessionPath = (transport: string): string => `${PREFIX}/{server}/{session}/${transport}?channel={channel}`;

/** A new session's URL parts, as sockjs-client makes them up: a three-digit server id and a random session id. */
function newSession(): { server: string; session: string } {
  return { server: String(randomInt(0, 1000)).padStart(3, '0'), session: randomUUID().replaceAll('-', '') };
}

/** The messages of an `a[...]` frame, or undefined when `frame` is not one. */
function messagesOf(frame: string): Array<{ data: string }> | undefined {
  if (!frame.startsWith('a')) return undefined;
  const list: unknown = JSON.parse(frame.slice(1));
  if (!Array.isArray(list) || !list.every((m) => typeof m === 'string')) throw new Error(`not an array of strings: ${frame.slice(0, 80)}`);
  return list.map((data: string) => ({ data }));
}

/**
 * xhr-polling: the session opens with a first `POST …/xhr`, answered `o` at once
 * (SockJS protocol, "Protocol": "When server opens a new sesion it must
 * immediately send an frame containing a letter `o`").
 */
const openXhrSession: SessionFunction = async ({ request }) => {
  const values = newSession();
  const answer = await request({ method: 'POST', path: `${PREFIX}/${values.server}/${values.session}/xhr?channel={channel}` });
  if (answer.status !== 200 || answer.body !== 'o\n') throw new Error(`the session's first poll was answered ${answer.status} ${JSON.stringify(answer.body.slice(0, 80))}, not the open frame "o\\n"`);
  return { values };
};

/** An xhr poll's answer: one frame and a newline. */
const decodeXhr: DecodeFunction = ({ body }) => {
  const frame = body.endsWith('\n') ? body.slice(0, -1) : body;
  if (frame === 'h') return { kind: 'batch', messages: [] }; // the heartbeat: the hold ran out with nothing new
  if (frame.startsWith('a')) return { kind: 'batch', messages: messagesOf(frame)! };
  if (frame === 'o') {
    // The session function already read this session's `o`: another one means the server forgot the
    // session and opened a new one under the same id (sockjs-client closes with 1006 "Server lost session").
    return { kind: 'error', problem: 'the open frame "o" again: the server had closed the session and opened a new one; what was queued on the old one is gone' };
  }
  if (frame.startsWith('c')) return { kind: 'error', problem: `the close frame ${frame}: the server closed the session` };
  return { kind: 'error', problem: `not a SockJS frame: ${JSON.stringify(frame.slice(0, 80))}` };
};

/** eventsource and websocket: the session opens with the transport's own request; only an id is made up. */
const madeUpSession: SessionFunction = () => ({ values: newSession() });

/** An eventsource event carries one frame: `a[...]` messages; `o`, `h` and `c[...]` none. */
const decodeEvent: SseDecodeFunction = ({ data }) => ({ messages: messagesOf(data) ?? [] });

/** A websocket text frame is one SockJS frame; what the client sends is a JSON array of messages. */
const codec: WebSocketCodec = {
  decode: (text) => {
    if (text === 'o') return { open: true };
    return { messages: messagesOf(text) ?? [] };
  },
  encode: (data) => JSON.stringify([data]),
  awaitOpen: true,
};

export default {
  name: 'sockjs',
  baseUrl: 'http://127.0.0.1:{port}',
  launch: {
    requires: [
      {
        name: 'the npm package sockjs 0.3 (sockjs-node)',
        check: ['node', '-e', "require.resolve('sockjs')"],
        install: 'npm install sockjs@0.3.24 (in the pushspec folder)',
      },
    ],
    command: ['node', 'server.mjs', '{port}'],
    readyUrl: 'http://127.0.0.1:{port}/',
    readyTimeoutMs: 10000,
  },
  longPolling: {
    path: sessionPath('xhr'),
    method: 'POST',
    session: openXhrSession,
    // The session queues what its client has not yet polled: there is no position a client could send.
    cursor: { in: 'none' },
    format: decodeXhr,
    // No hold parameter: a poll is held until a message or the next heartbeat (heartbeat_delay 1000 ms).
    holdMs: 1000,
    maxHoldMs: 1000,
    // A second poll on one session is answered c[2010,"Another connection still open"]; the held one keeps waiting.
    concurrentPolls: 'reject-new',
  },
  sse: {
    path: sessionPath('eventsource'),
    session: madeUpSession,
    decode: decodeEvent,
    // SockJS sends no event ids and keeps no history.
    replay: false,
    // The heartbeat frame `data: h` comes every heartbeat_delay on an idle stream.
    keepAliveMs: 1000,
    // sockjs answers any Origin with Access-Control-Allow-Origin: <that origin> and credentials.
    corsOrigin: 'https://app.example',
  },
  websocket: {
    channelPath: sessionPath('websocket'),
    session: madeUpSession,
    codec,
    clientPublishes: true,
    // On a websocket session sockjs's heartbeat is a WebSocket ping, every heartbeat_delay.
    pingIntervalMs: 1000,
  },
  publish: {
    method: 'POST',
    url: '/publish/{channel}',
    headers: { 'content-type': 'text/plain; charset=utf-8' },
    body: '{data}',
  },
} satisfies AdapterDefinition;

/**
 * The four ways a client can get a channel's messages from the reference
 * server (docs/reference-protocol.md), each on ONE connection whose bytes a
 * {@link SocketTally} counts, for the technique comparison (issue 8, item 6):
 * - Ajax polling: `GET /channels/{ch}/messages?cursor=` every `pollIntervalMs`
 *   on a fixed schedule at a random phase (a tick is skipped while a poll is
 *   still out);
 * - HTTP long-polling: the same with `&wait=25000`, sent again as soon as each
 *   answer arrives, so one request is always held;
 * - Server-Sent Events: one `GET /channels/{ch}/events` stream;
 * - WebSocket: one `/channels/{ch}/ws` connection (ws, no compression).
 * HTTP goes through undici (a Client is one keep-alive connection) with its
 * usual headers only: a browser would add a few hundred bytes per request
 * (User-Agent, Accept-*, cookies), which weighs on the two polling kinds.
 * The three HTTP kinds speak HTTP/1.1 or HTTP/2 (h2c with prior knowledge,
 * one connection, each request a stream on it) as asked, through
 * core/http-version.ts's connector, which says how each connection spoke
 * (`onConnection`) and refuses one that fell back to HTTP/1.1. WebSocket
 * stays on HTTP/1.1 (the reference has no RFC 8441).
 */
import { Client } from 'undici';
import WebSocket from 'ws';
import { versionedConnector, type HttpVersion } from '../../core/http-version.ts';
import { clock } from './technique-payload.ts';
import type { SocketTally } from './technique-sockets.ts';

export type TechniqueName = 'polling' | 'longPolling' | 'sse' | 'websocket';

/** How long a long-poll asks to be held: the reference server's default cap (25 s). */
const LONG_POLL_WAIT_MS = 25_000;

export interface TransportOptions {
  port: number;
  channel: string;
  /** What the HTTP kinds speak; WebSocket ignores it (an HTTP/1.1 upgrade). */
  http: HttpVersion;
  /** Told how each HTTP connection spoke, e.g. `HTTP/2 (h2c, prior knowledge)` (core/http-version.ts). */
  onConnection(how: string): void;
  /** Ajax polling only: time between polls. */
  pollIntervalMs: number;
  tally: SocketTally;
  /** Each message's data, with the time it was read (the same for every message of one answer). */
  onMessage(data: string, receivedAt: number): void;
  /** Something went wrong after the transport was ready (an error answer, a stream or socket that ended). */
  onError(error: string): void;
}

/** A client of one technique, receiving from one channel. */
export interface Transport {
  /** Resolves after the first round trip: a first poll answered, a stream head or an upgrade received. */
  readonly ready: Promise<void>;
  /** HTTP requests sent so far (a WebSocket upgrade is one). */
  requests(): number;
  /**
   * The two polling kinds: bytes (both ways, at the socket) of each poll from
   * its request to the end of its answer, in order. The first one opens the
   * connection; over HTTP/2 the later ones show what HPACK's table saves.
   */
  pollBytes?(): number[];
  /** Asks for nothing more (no next poll); what is already out stays until {@link close}. */
  stop(): void;
  /** Drops the connection at once. */
  close(): Promise<void>;
}

interface PollBody {
  messages: Array<{ id: string; data: string }>;
  cursor: string;
}

function httpClient(options: TransportOptions): Client {
  const connect = versionedConnector({ version: options.http, tls: {}, onConnection: (_origin, how) => options.onConnection(how) });
  // No body timeout: a held poll or an event stream is silent for as long as the channel is. Over HTTP/2 undici
  // PINGs every 60 s by default, longer than any window, so no PING falls in one.
  return new Client(`http://127.0.0.1:${options.port}`, { connect: options.tally.connector(connect), allowH2: options.http === '2', keepAliveTimeout: 60_000, bodyTimeout: 0 });
}

/** Polls (held or not) on one keep-alive connection; shared by Ajax polling and long-polling. */
function poller(options: TransportOptions) {
  const client = httpClient(options);
  const state = { cursor: '0', requests: 0, stopped: false, closed: false, pollBytes: [] as number[] };
  const counted = (): number => {
    const { read, written } = options.tally.bytes();
    return read + written;
  };
  const poll = async (waitMs: number): Promise<void> => {
    state.requests++;
    const before = counted();
    const response = await client.request({ path: `/channels/${options.channel}/messages?cursor=${state.cursor}${waitMs > 0 ? `&wait=${waitMs}` : ''}`, method: 'GET' });
    const text = await response.body.text();
    const receivedAt = clock();
    state.pollBytes.push(counted() - before);
    if (response.statusCode !== 200) throw new Error(`poll answered ${response.statusCode}: ${text.slice(0, 120)}`);
    const body = JSON.parse(text) as PollBody;
    state.cursor = body.cursor;
    for (const message of body.messages) options.onMessage(message.data, receivedAt);
  };
  const fail = (error: unknown): void => {
    if (!state.closed) options.onError((error as Error).message ?? String(error));
  };
  const close = async (): Promise<void> => {
    state.closed = true;
    state.stopped = true;
    await client.destroy().catch(() => undefined);
  };
  return { state, poll, fail, close };
}

function openPolling(options: TransportOptions): Transport {
  const { state, poll, fail, close } = poller(options);
  let inFlight = false;
  let timer: NodeJS.Timeout | undefined;
  const pollOnce = async (): Promise<void> => {
    inFlight = true;
    try {
      await poll(0);
    } finally {
      inFlight = false;
    }
  };
  // A fixed schedule (not "interval after the answer"), as a page's setInterval would poll, at a random
  // phase: the publisher starts as soon as the first poll is answered, and a phase fixed to that moment
  // would give every message of a short window the same delay.
  const started = clock() - Math.random() * options.pollIntervalMs;
  let tick = 0;
  const schedule = (): void => {
    if (state.stopped) return;
    tick++;
    timer = setTimeout(() => {
      if (!inFlight && !state.stopped) pollOnce().catch(fail);
      schedule();
    }, Math.max(0, started + tick * options.pollIntervalMs - clock()));
  };
  const ready = pollOnce().then(schedule);
  return {
    ready,
    requests: () => state.requests,
    pollBytes: () => state.pollBytes,
    stop: () => {
      state.stopped = true;
      clearTimeout(timer);
    },
    close: () => {
      clearTimeout(timer);
      return close();
    },
  };
}

function openLongPolling(options: TransportOptions): Transport {
  const { state, poll, fail, close } = poller(options);
  // The first poll (wait=0) is answered at once: the connection is then open and the client has its cursor.
  const ready = poll(0);
  void ready
    .then(async () => {
      while (!state.stopped) await poll(LONG_POLL_WAIT_MS);
    })
    .catch(fail);
  return { ready, requests: () => state.requests, pollBytes: () => state.pollBytes, stop: () => void (state.stopped = true), close };
}

function openSse(options: TransportOptions): Transport {
  const client = httpClient(options);
  let closed = false;
  const fail = (error: unknown): void => {
    if (!closed) options.onError((error as Error).message ?? String(error));
  };
  const ready = client.request({ path: `/channels/${options.channel}/events`, method: 'GET', headers: { accept: 'text/event-stream' } }).then((response) => {
    if (response.statusCode !== 200) throw new Error(`event stream answered ${response.statusCode}`);
    const body = response.body;
    body.setEncoding('utf8');
    let buffer = '';
    body.on('data', (chunk: string) => {
      const receivedAt = clock();
      buffer += chunk;
      // An event ends at a blank line; the reference server ends lines with LF only.
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const lines = buffer.slice(0, end).split('\n');
        buffer = buffer.slice(end + 2);
        const data = lines.filter((line) => line.startsWith('data:')).map((line) => line.slice(line.startsWith('data: ') ? 6 : 5));
        if (data.length > 0) options.onMessage(data.join('\n'), receivedAt);
      }
    });
    body.on('error', fail);
    body.on('end', () => fail(new Error('event stream ended')));
  });
  return {
    ready,
    requests: () => 1,
    stop: () => {},
    close: async () => {
      closed = true;
      await client.destroy().catch(() => undefined);
    },
  };
}

function openWebSocket(options: TransportOptions): Transport {
  const ws = new WebSocket(`ws://127.0.0.1:${options.port}/channels/${options.channel}/ws`, { perMessageDeflate: false, createConnection: options.tally.createConnection, handshakeTimeout: 10_000 });
  let closed = false;
  const ready = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  ws.on('error', (error) => {
    if (!closed) options.onError(error.message);
  });
  ws.on('close', (code) => {
    if (!closed) options.onError(`WebSocket closed (${code})`);
  });
  ws.on('message', (data) => {
    const receivedAt = clock();
    options.onMessage((JSON.parse(String(data)) as { data: string }).data, receivedAt);
  });
  return {
    ready,
    requests: () => 1,
    stop: () => {},
    close: async () => {
      closed = true;
      ws.terminate();
    },
  };
}

/** Why the session's connections are not what its row says (HTTP/1.1 or HTTP/2), or undefined when they are. */
export function protocolProblem(technique: TechniqueName, http: HttpVersion, protocols: readonly string[]): string | undefined {
  if (technique === 'websocket') return undefined;
  const label = `${technique} (HTTP/${http})`;
  if (protocols.length === 0) return `${label}: the client noted no HTTP connection`;
  const wrong = protocols.find((how) => !how.startsWith(`HTTP/${http}`));
  return wrong === undefined ? undefined : `${label}: a connection spoke ${wrong}, not HTTP/${http}; its figures would be mislabelled`;
}

/** Opens a client of `technique`; see {@link Transport}. */
export function openTransport(technique: TechniqueName, options: TransportOptions): Transport {
  switch (technique) {
    case 'polling':
      return openPolling(options);
    case 'longPolling':
      return openLongPolling(options);
    case 'sse':
      return openSse(options);
    case 'websocket':
      return openWebSocket(options);
  }
}

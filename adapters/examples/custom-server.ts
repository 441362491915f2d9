/**
 * Example adapter for a hypothetical third-party server, "acme-feed", written as
 * a module. The same server is described as JSON in custom-server.json; the
 * module form exists for what JSON cannot say, here a `publish` function and a
 * function that decodes long-poll answers.
 *
 * Run it with: pushspec run --adapter adapters/examples/custom-server.ts
 */
import { request } from 'undici';
import { defineAdapter } from 'pushspec';

export default defineAdapter({
  name: 'acme-feed',
  // {port} is a free loopback port pushspec picks because it launches the server.
  baseUrl: 'http://127.0.0.1:{port}',
  launch: {
    // Relative to this file's folder.
    command: ['./acme-feed', '--listen', '127.0.0.1:{port}'],
    env: { ACME_LOG_LEVEL: 'warn', ACME_PORT: '{port}' },
    readyUrl: 'http://127.0.0.1:{port}/healthz',
    readyTimeoutMs: 20_000,
  },
  polling: {
    // Each poll returns the newest message as plain text, with an ETag.
    path: '/feeds/{channel}/latest',
    // The position travels as ETag / If-None-Match, so "nothing new" is 304.
    cursor: { in: 'validators' },
    emptyStatus: 304,
    format: { type: 'text' },
    // A first poll without If-None-Match returns the oldest retained message.
    start: 'oldest',
    historyLimit: 100,
    gapStatus: 410,
    malformedCursor: 'W/"not-an-etag"',
  },
  longPolling: {
    // acme-feed holds every poll for a fixed second (it takes no wait
    // parameter, so there is no `waitParam` and the longest hold is `holdMs`).
    // `/wait` answers the message as plain text (custom-server.json reads that
    // with `format: {type: 'text'}`); `/wait.json` wraps it in an envelope,
    // {"item": {"seq": 7, "payload": "..."}}, that also carries the message id.
    // No built-in format reads that envelope, so a function decodes it.
    path: '/feeds/{channel}/wait.json',
    cursor: { in: 'validators' },
    holdMs: 1000,
    // A hold that runs out is answered 304 Not Modified, which never reaches the decoder.
    timeoutStatus: 304,
    format: (answer) => {
      let item: unknown;
      try {
        item = (JSON.parse(answer.body) as { item?: unknown } | null)?.item;
      } catch {
        return { kind: 'error', problem: `the answer is not JSON: ${answer.body.slice(0, 80)}` };
      }
      const { seq, payload } = (typeof item === 'object' && item !== null ? item : {}) as { seq?: unknown; payload?: unknown };
      if (typeof seq !== 'number' || typeof payload !== 'string') {
        return { kind: 'error', problem: 'expected {"item": {"seq": <number>, "payload": <string>}}' };
      }
      // The cursor travels as ETag / If-None-Match, so the decoder returns none.
      return { kind: 'batch', messages: [{ id: String(seq), data: payload }] };
    },
    start: 'oldest',
    malformedCursor: 'W/"not-an-etag"',
  },
  sse: {
    path: '/feeds/{channel}/stream',
    // Each event's data is the published string as a JSON string literal:
    // "hello" arrives as `data: "hello"`, and a line break as `\n` on one line.
    dataEncoding: 'json',
    // acme-feed replays what a client missed after its Last-Event-ID; a
    // browser's first connection can name the id in `?last_event_id=`.
    replay: true,
    lastEventIdParam: 'last_event_id',
    // A `:` comment every 20 s on an idle stream, and `retry: 2000` when one opens.
    keepAliveMs: 20_000,
    retryMs: 2000,
  },
  websocket: {
    // An echo endpoint for the RFC 6455 protocol checks (framing, UTF-8, close handshake)...
    echoPath: '/ws/echo',
    // ...and one socket per feed, each frame's text the published string as is.
    channelPath: '/ws/feeds/{channel}',
    messageFormat: 'raw',
    // acme-feed closes a connection with 1009 on a message over 64 KiB. It takes
    // no resume parameter and ignores what clients send, so no `cursorParam` and
    // no `clientPublishes`; it speaks no subprotocol and checks no Origin.
    maxMessageBytes: 65_536,
  },
  // acme-feed wants the event name in a header, and omits the header (rather
  // than sending it empty) for messages without one: a template cannot do that.
  async publish(message, { baseUrl }) {
    const headers: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8' };
    if (message.event !== undefined) headers['x-acme-event'] = message.event;
    const response = await request(`${baseUrl}/feeds/${encodeURIComponent(message.channel)}`, {
      method: 'PUT',
      headers,
      body: message.data,
    });
    await response.body.dump();
    if (response.statusCode >= 300) throw new Error(`acme-feed refused the message: HTTP ${response.statusCode}`);
    const id = response.headers['x-acme-message-id'];
    return typeof id === 'string' ? { id } : {};
  },
});

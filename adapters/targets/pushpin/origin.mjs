#!/usr/bin/env node
// The origin ("backend") behind Pushpin for pushspec's "pushpin" adapter.
//
//   node origin.mjs <origin-port> <pushpin-publish-api-port>
//
// Pushpin is a GRIP proxy: it holds client connections, but what a held
// request is subscribed to, how long it is held and what is sent on it are the
// origin's instructions (GRIP headers), and what is published is the
// publisher's bytes. This origin gives the instructions the Pushpin docs show
// as ordinary use, and nothing more: it keeps NO message history, NO cursor and
// NO state at all, so every push behaviour the suite sees is Pushpin's own.
//
//   GET /lp/<ch>    long-poll: an empty 200 held by Pushpin ("Grip-Hold: response")
//                   on channel <ch> for 5 s ("Grip-Timeout: 5"); on timeout
//                   Pushpin answers with this response as it is.
//   GET /sse/<ch>   Server-Sent Events: a 200 text/event-stream opened at once
//                   ("Grip-Hold: stream") on channel <ch>, with Pushpin sending a
//                   keep-alive comment after 1 s of silence ("Grip-Keep-Alive").
//   OPTIONS /lp/<ch>, /sse/<ch>   204: a CORS preflight; Pushpin adds the CORS headers.
//   POST /ws/<ch>   WebSocket channel, over HTTP: Pushpin (route option
//                   over_http) terminates the client's WebSocket itself and
//                   posts its events here (WebSocket-over-HTTP, content type
//                   application/websocket-events). OPEN is accepted with the
//                   GRIP extension and two control messages: subscribe the
//                   connection to channel <ch>, and ping it whenever it has
//                   been idle for 1 s (a Pushpin keep-alive); CLOSE is answered with CLOSE
//                   (the closing handshake); client messages are ignored.
//   POST /echo      WebSocket echo, over HTTP: every TEXT / BINARY event is
//                   answered with the same event, PING with a PONG carrying
//                   the same bytes, CLOSE with the same CLOSE.
//                   The frames, the handshake and the protocol errors are
//                   Pushpin's own (condure and pushpin-proxy); this only echoes.
//   POST /publish/<ch>   GLUE, not part of Pushpin: pushspec publishes through
//                   one base URL, so this forwards the request body (the message
//                   data; header X-Event: an optional event name) to Pushpin's
//                   HTTP publish API as one item in three formats: http-response
//                   (the long-poll answer: the data as the body), http-stream
//                   (an SSE event the publisher frames: id, event, data lines)
//                   and ws-message (a WebSocket text message: the data).
//                   It answers {"id": "<id>"} with the id it gave the item.
//   GET /ready      GLUE: answers 200 once Pushpin's publish API answers too, so
//                   pushspec's readiness probe (through Pushpin) proves that
//                   the client port, the proxy, zurl, this origin and the
//                   handler's publish API all work.
//   anything else   404.
import { createServer } from 'node:http';

const [originPort, publishPort] = process.argv.slice(2).map(Number);
if (!(originPort > 0) || !(publishPort > 0)) {
  console.error('usage: node origin.mjs <origin-port> <pushpin-publish-api-port>');
  process.exit(2);
}

// Hold and keep-alive times, in whole seconds (the GRIP headers take seconds).
// 5 s is the shortest hold Pushpin grants: it raises any smaller Grip-Timeout to
// 5 (MINIMUM_RESPONSE_TIMEOUT in src/handler/instruct.cpp). Keep-alive: at least
// 1 s, and Pushpin sends it up to 1 s early (a random jitter).
const HOLD_SECONDS = 5;
const KEEP_ALIVE_SECONDS = 1;

// GLUE: ids for published messages, so SSE events carry an `id:` field. A
// process-wide counter: with GRIP the publisher writes the event, id included;
// Pushpin relays the bytes.
let lastId = 0;

/** An SSE event framed as WHATWG HTML §9.2.6 wants: one data line per line of the data. */
function sseEvent(id, event, data) {
  const lines = data.split(/\r\n|\r|\n/);
  return `id: ${id}\n${event ? `event: ${event}\n` : ''}${lines.map((l) => `data: ${l}\n`).join('')}\n`;
}

async function publish(channel, data, event) {
  const id = String(++lastId);
  // No item "id" for Pushpin: it only matters with prev-id sequencing, which a
  // storeless setup does not use; the id lives in the SSE framing alone.
  const formats = {
    // Pushpin answers the held poll with the held response's status and
    // headers (Content-Type, Cache-Control of GET /lp/<ch> below) and this body.
    'http-response': { body: data },
    'http-stream': { content: sseEvent(id, event, data) },
    'ws-message': { content: data },
  };
  // One publish request per format: Pushpin's publish API refuses a body over
  // its limit ("Request body too large"), and three copies of a 900 KB message
  // in one item exceed it where one copy does not.
  for (const [name, format] of Object.entries(formats)) {
    const answer = await fetch(`http://127.0.0.1:${publishPort}/publish/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ items: [{ channel, formats: { [name]: format } }] }),
    });
    const text = await answer.text();
    if (!answer.ok) throw new Error(`Pushpin's publish API answered ${answer.status}: ${text}`);
  }
  return id;
}

/** Reads WebSocket-over-HTTP events: `TYPE[ <hex size>]\r\n[<content>\r\n]`, one after another. */
function readEvents(body) {
  const events = [];
  let at = 0;
  while (at < body.length) {
    const eol = body.indexOf('\r\n', at);
    if (eol === -1) break;
    const [type, hex] = body.subarray(at, eol).toString('latin1').split(' ');
    at = eol + 2;
    let content = Buffer.alloc(0);
    if (hex !== undefined) {
      const size = parseInt(hex, 16);
      content = body.subarray(at, at + size);
      at += size + 2;
    }
    events.push({ type, content });
  }
  return events;
}

/** Writes WebSocket-over-HTTP events. */
function writeEvents(events) {
  return Buffer.concat(
    events.flatMap(({ type, content }) =>
      content === undefined ? [Buffer.from(`${type}\r\n`)] : [Buffer.from(`${type} ${content.length.toString(16)}\r\n`), content, Buffer.from('\r\n')],
    ),
  );
}

/** The answer to one batch of WebSocket events on the echo (channel undefined) or a channel endpoint. */
function answerEvents(events, channel) {
  const out = [];
  for (const { type, content } of events) {
    if (type === 'OPEN') {
      out.push({ type: 'OPEN' });
      if (channel !== undefined) {
        out.push({ type: 'TEXT', content: Buffer.from(`c:${JSON.stringify({ type: 'subscribe', channel })}`) });
        // Pushpin's WebSocket keep-alive (pushpin.org/docs/advanced, "Keep-alives"):
        // a ping whenever the connection has been idle for 1 s.
        out.push({ type: 'TEXT', content: Buffer.from(`c:${JSON.stringify({ type: 'keep-alive', 'message-type': 'ping', content: '', timeout: 1 })}`) });
      }
    } else if ((type === 'TEXT' || type === 'BINARY') && channel === undefined) {
      out.push({ type, content });
    } else if (type === 'PING') {
      // Pushpin passes a client's ping on to the origin; the pong is the origin's to send.
      out.push({ type: 'PONG', content });
    } else if (type === 'CLOSE') {
      out.push({ type: 'CLOSE', content });
    }
  }
  return out;
}

/** GLUE: resolves once Pushpin's publish API answers any HTTP status. */
async function publishApiUp() {
  for (;;) {
    try {
      await (await fetch(`http://127.0.0.1:${publishPort}/`)).arrayBuffer();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://origin');
  if (req.method === 'GET' && url.pathname === '/ready') {
    publishApiUp().then(() => res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ready\n'));
    return;
  }
  const isEvents = (req.headers['content-type'] ?? '').startsWith('application/websocket-events');
  if (req.method === 'POST' && isEvents && (url.pathname === '/echo' || url.pathname.startsWith('/ws/'))) {
    const channel = url.pathname === '/echo' ? undefined : decodeURIComponent(url.pathname.slice('/ws/'.length));
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const headers = { 'Content-Type': 'application/websocket-events' };
      // The GRIP extension lets this origin send control messages (c:...); its
      // own messages would then carry the prefix m:. The echo needs neither.
      if (channel !== undefined) headers['Sec-WebSocket-Extensions'] = 'grip';
      res.writeHead(200, headers).end(writeEvents(answerEvents(readEvents(Buffer.concat(chunks)), channel)));
    });
    return;
  }
  const [, kind, channel, ...rest] = url.pathname.split('/');
  if (channel === undefined || channel === '' || rest.length > 0) {
    res.writeHead(404).end();
    return;
  }
  const ch = decodeURIComponent(channel);
  if (req.method === 'GET' && kind === 'lp') {
    res.writeHead(200, {
      'Content-Type': 'text/plain; charset=utf-8',
      'Cache-Control': 'no-store',
      'Grip-Hold': 'response',
      'Grip-Channel': ch,
      'Grip-Timeout': String(HOLD_SECONDS),
    });
    res.end();
  } else if (req.method === 'GET' && kind === 'sse') {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache',
      'Grip-Hold': 'stream',
      'Grip-Channel': ch,
      'Grip-Keep-Alive': `:\\n\\n; format=cstring; timeout=${KEEP_ALIVE_SECONDS}`,
    });
    res.end(':ok\n\n');
  } else if (req.method === 'OPTIONS' && (kind === 'lp' || kind === 'sse')) {
    // A CORS preflight: Pushpin (auto_cross_origin=true) adds the
    // Access-Control-* headers, but forwards the request and keeps the
    // origin's status, so the origin only has to say yes.
    res.writeHead(204).end();
  } else if (req.method === 'POST' && kind === 'publish') {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const event = req.headers['x-event'] || undefined;
      publish(ch, Buffer.concat(chunks).toString('utf8'), event).then(
        (id) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ id })),
        (error) => res.writeHead(502, { 'Content-Type': 'text/plain' }).end(String(error.message)),
      );
    });
  } else {
    res.writeHead(404).end();
  }
});

server.listen(originPort, '127.0.0.1', () => console.log(`origin listening on 127.0.0.1:${originPort}`));
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.close(() => process.exit(0)).closeAllConnections());

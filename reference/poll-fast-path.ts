/**
 * The commonest request of all, a plain `GET /channels/{channel}/messages`
 * (with or without `?cursor=<id>`, no hold), answered straight from node's
 * `request` event, before fastify: fastify's per-request machinery (routing,
 * request and reply objects, hooks) costs about a quarter of the polling
 * path's throughput against bare node:http (npm run bench, http-polling),
 * and no route-level change recovers it.
 *
 * Only a request whose answer is certain takes this path: a GET (not HEAD)
 * without a body, whose path and query are exactly that shape, whose Host is
 * allowed, on an open channel, with a cursor the channel can serve. It gets
 * exactly the answer fastify's route would send (routes/polling.ts): 200,
 * `Cache-Control: no-store`, the CORS headers its Origin earns, the same
 * JSON. Everything else (a hold, an error of any kind, HEAD, another route)
 * goes to fastify unchanged, and so does every request of a server that logs
 * requests or is closing.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { ChannelStore } from './channel-store.ts';
import type { CorsPolicy } from './cors.ts';
import type { HostPolicy } from './hosts.ts';
import { isValidChannelName, parseCursor } from './validation.ts';

/** What the fast path needs to answer as the route would. */
export interface PollFastPathOptions {
  store: ChannelStore;
  hosts: HostPolicy;
  cors: CorsPolicy;
  /** Requests are logged: fastify must see every one. */
  logging: boolean;
}

/** `/channels/{name}/messages` and an optional `?cursor=…` and nothing else; the name and cursor are checked apart. */
const PLAIN_POLL = /^\/channels\/([^/?]+)\/messages(?:\?cursor=([^&]*))?$/;

const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

type RequestListener = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * Puts the fast path in front of fastify's request handler on `app.server`.
 * Call before the app's own preClose hooks are added: from the start of
 * `close()` every request goes to fastify, which refuses it as closing.
 */
export function installPollFastPath(app: FastifyInstance, options: PollFastPathOptions): void {
  const server: Server = app.server;
  const handlers = server.listeners('request') as RequestListener[];
  // Not the one handler fastify installs: leave the server as it is.
  if (options.logging || handlers.length !== 1) return;
  const fastify = handlers[0]!;
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  server.removeListener('request', fastify);
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    if (closing || !answerPlainPoll(request, response, options)) fastify(request, response);
  });
}

/** The request headers the fast path reads, found in `rawHeaders`: node builds `request.headers` only when asked, at a cost the bare server never pays. */
interface PollHeaders {
  host: string | undefined;
  origin: string | undefined;
  /** Two Host or Origin headers, or a body announced: not a plain poll. */
  unusual: boolean;
}

function pollHeaders(raw: readonly string[]): PollHeaders {
  const found: PollHeaders = { host: undefined, origin: undefined, unusual: false };
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    // Only names of these lengths can matter; the rest are skipped without lower-casing them.
    // HTTP/2's `:authority` stands for Host (RFC 9113 §8.3.1).
    if ((name.length === 4 && name.toLowerCase() === 'host') || name === ':authority') {
      found.unusual ||= found.host !== undefined;
      found.host = raw[i + 1];
    } else if (name.length === 6 && name.toLowerCase() === 'origin') {
      found.unusual ||= found.origin !== undefined;
      found.origin = raw[i + 1];
    } else if ((name.length === 14 && name.toLowerCase() === 'content-length') || (name.length === 17 && name.toLowerCase() === 'transfer-encoding')) {
      found.unusual = true;
    }
  }
  return found;
}

/** Answers the request if it is a plain poll whose answer is certain; returns whether it did. */
function answerPlainPoll(request: IncomingMessage, response: ServerResponse, { store, hosts, cors }: PollFastPathOptions): boolean {
  const { method, url } = request;
  if (method !== 'GET' || url === undefined) return false;
  const match = PLAIN_POLL.exec(url);
  if (match === null) return false;
  const channel = match[1]!;
  const cursor = match[2];
  if (!isValidChannelName(channel) || (cursor !== undefined && parseCursor(cursor) === undefined)) return false;
  const headers = pollHeaders(request.rawHeaders);
  if (headers.unusual || !hosts.allows(headers.host) || store.isClosed(channel)) return false;
  const result = store.read(channel, cursor ?? store.latestId(channel));
  if (result.kind !== 'batch') return false;
  const body = JSON.stringify({ messages: result.messages, cursor: result.cursor });
  response
    .writeHead(200, {
      'cache-control': 'no-store',
      ...cors.headersFor(headers.origin),
      'content-type': JSON_CONTENT_TYPE,
      'content-length': Buffer.byteLength(body),
    })
    .end(body);
  return true;
}

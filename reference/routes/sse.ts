/**
 * Server-Sent Events (WHATWG HTML §9.2): `GET /channels/{channel}/events`
 * opens a `text/event-stream` of the channel's messages. This route checks
 * the request (channel, closed channel, last event id) and writes the head;
 * ../sse/streams.ts does everything after that.
 *
 * The head is written straight to node's response (the reply is hijacked),
 * with every header fastify's hooks set (CORS, …), and flushed at once, so a
 * client sees the stream open before the first event. Nothing in this server
 * compresses responses, and `Cache-Control: no-transform` asks proxies not to
 * either: a compressed stream would be buffered, not pushed.
 */
import type { OutgoingHttpHeaders } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ChannelStore } from '../channel-store.ts';
import { cursorAhead, malformedCursor } from '../cursor-errors.ts';
import type { ReferenceHttpError } from '../errors.ts';
import type { SseStreams } from '../sse/streams.ts';
import { catchUp, type StoreSync } from '../publishing.ts';
import { parseCursor, quote } from '../validation.ts';
import { requireValidChannel, type ChannelParams } from './channel-param.ts';

/** Options of {@link sseRoutes}. */
export interface SseRoutesOptions {
  store: ChannelStore;
  streams: SseStreams;
  /** The shared store of a cluster; absent for one server. */
  sync?: StoreSync;
}

/** The routes this plugin adds, for `GET /`. */
export const SSE_ENDPOINTS: Readonly<Record<string, string>> = {
  events: 'GET /channels/{channel}/events',
  eventsAfter: 'GET /channels/{channel}/events?lastEventId={id}',
};

/** The head of every stream (and of a HEAD request for one). */
export const STREAM_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/event-stream; charset=utf-8',
  // no-transform: a proxy that compresses or rewrites would buffer the stream.
  'cache-control': 'no-store, no-transform',
  // nginx buffers proxied responses unless told not to.
  'x-accel-buffering': 'no',
};

/** Query parameters as fastify parses them: repeated parameters become arrays. */
interface EventsQuery {
  lastEventId?: string | string[];
}

/** Where the client's last event id came from, for error messages. */
interface LastEventId {
  value: string;
  source: 'Last-Event-ID' | 'lastEventId';
}

/** Fastify plugin adding the event-stream route (and, through fastify, its HEAD twin). */
export async function sseRoutes(app: FastifyInstance, options: SseRoutesOptions): Promise<void> {
  const { store, streams, sync } = options;

  app.get<{ Params: ChannelParams; Querystring: EventsQuery }>(
    '/channels/:channel/events',
    { onRequest: requireValidChannel },
    async (request, reply) => {
      const { channel } = request.params;
      // 204 is how a server tells an EventSource to stop reconnecting for good.
      if (store.isClosed(channel)) return reply.code(204).send();
      const lastEventId = chooseLastEventId(request);
      // An id another instance of a cluster gave out may be ahead of this one's copy for a moment.
      if (lastEventId !== undefined && sync !== undefined && isAhead(store, channel, lastEventId)) await catchUp(sync);
      if (request.raw.destroyed) return reply;
      if (lastEventId !== undefined) checkLastEventId(store, channel, lastEventId);
      if (store.isClosed(channel)) return reply.code(204).send();
      if (request.method === 'HEAD') return reply.code(200).headers(STREAM_HEADERS).send();
      openStream(reply, () => streams.open(channel, reply.raw, { lastEventId: lastEventId?.value }));
      return reply;
    },
  );
}

/**
 * The id to resume after: the `Last-Event-ID` header (what an EventSource
 * sends when it reconnects) or else the `lastEventId` query parameter (how a
 * page resumes on its first connection, where it cannot set headers). The
 * header wins, because after a reconnect it is newer than the URL the page
 * built. An empty value counts as absent: it is what a client without a last
 * event id has.
 */
function chooseLastEventId(request: FastifyRequest<{ Querystring: EventsQuery }>): LastEventId | undefined {
  const header = request.headers['last-event-id'];
  if (header !== undefined && header !== '') return { value: String(header), source: 'Last-Event-ID' };
  const query = request.query.lastEventId;
  if (query !== undefined && query !== '') {
    // A repeated parameter is an array: malformed, reported with every value.
    if (Array.isArray(query)) throw malformed(quote(query), 'lastEventId');
    return { value: query, source: 'lastEventId' };
  }
  return undefined;
}

/** Refuses an id that is no cursor, or that the channel has not reached (same rules as a poll's cursor). */
function checkLastEventId(store: ChannelStore, channel: string, { value, source }: LastEventId): void {
  const position = parseCursor(value);
  if (position === undefined) throw malformed(quote(value), source);
  const latest = store.latestId(channel);
  if (position > Number(latest)) {
    throw cursorAhead(source, value, channel, latest);
  }
}

/** Whether a well-formed id is beyond this server's latest (a malformed one is left to {@link checkLastEventId}). */
function isAhead(store: ChannelStore, channel: string, { value }: LastEventId): boolean {
  const position = parseCursor(value);
  return position !== undefined && position > Number(store.latestId(channel));
}

function malformed(shown: string, source: LastEventId['source']): ReferenceHttpError {
  return malformedCursor(source, shown);
}

/**
 * Takes the response over from fastify, writes and flushes the head, then
 * hands the response to `start`. Runs in the same synchronous step as the
 * checks before it, so what they read is still true when the stream opens.
 */
function openStream(reply: FastifyReply, start: () => void): void {
  reply.hijack();
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (value !== undefined) headers[name] = value;
  }
  reply.raw.writeHead(200, { ...headers, ...STREAM_HEADERS });
  reply.raw.flushHeaders();
  start();
}

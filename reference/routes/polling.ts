/**
 * Ajax polling and HTTP long-polling on one route:
 * `GET /channels/{channel}/messages?cursor=<id>&wait=<ms>` answers with every
 * retained message after the cursor and the cursor to send next. With a
 * positive `wait` and nothing to send yet, the request is held (see
 * ../held-polls.ts) until a message arrives, the wait (capped at `maxHoldMs`)
 * runs out, the client goes away, the channel is closed (`410
 * channel_closed`) or the server shuts down. A poll never creates channel
 * state beyond the time it is held.
 */
import { finished } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ChannelStore, ReadResult, StoredMessage } from '../channel-store.ts';
import { malformedCursor, unservableCursor } from '../cursor-errors.ts';
import { ReferenceHttpError } from '../errors.ts';
import type { HeldPolls, HoldOutcome } from '../held-polls.ts';
import { catchUp, type StoreSync } from '../publishing.ts';
import { parseCursor, parseWait, quote } from '../validation.ts';
import { requireValidChannel, type ChannelParams } from './channel-param.ts';
import { requireOpenChannel } from './channels.ts';

/** Options of {@link pollingRoutes}. */
export interface PollingRoutesOptions {
  store: ChannelStore;
  /** The shared store of a cluster; absent for one server. */
  sync?: StoreSync;
  /** Where long-polls wait; its `maxHoldMs` caps every `wait`. */
  held: HeldPolls;
}

/** The routes this plugin adds, for `GET /`. */
export const POLLING_ENDPOINTS: Readonly<Record<string, string>> = {
  poll: 'GET /channels/{channel}/messages?cursor={id}',
  longPoll: 'GET /channels/{channel}/messages?cursor={id}&wait={ms}',
};

/** Body of a successful poll, immediate or held. */
export interface PollResponse {
  messages: StoredMessage[];
  cursor: string;
}

/** Query parameters as fastify parses them: repeated parameters become arrays. */
interface PollQuery {
  cursor?: string | string[];
  wait?: string | string[];
}

/** Fastify plugin adding the polling route (and, through fastify, its HEAD twin). */
export async function pollingRoutes(app: FastifyInstance, options: PollingRoutesOptions): Promise<void> {
  const { store, held, sync } = options;

  app.get<{ Params: ChannelParams; Querystring: PollQuery }>(
    '/channels/:channel/messages',
    { onRequest: [requireValidChannel, requireOpenChannel(store)] },
    // Not async on purpose: an async handler makes fastify track a promise and its end-of-stream
    // listeners for every held poll, about 3 KiB each (1.65× a bare node:http hold in npm run bench,
    // 1.27× without). Errors thrown here still reach fastify's error handler.
    (request, reply): void => {
      const { channel } = request.params;
      const { cursor, wait } = request.query;
      if (cursor !== undefined && parseCursor(cursor) === undefined) {
        throw malformedCursor('cursor', quote(cursor));
      }
      const waitMs = wait === undefined ? 0 : parseWait(wait);
      if (waitMs === undefined) {
        throw new ReferenceHttpError('malformed_wait', `wait ${quote(wait)} is malformed: expected a non-negative integer`);
      }
      // Without a cursor the client starts from now: reading from the latest
      // id answers the same empty batch, and it is where a long-poll waits from.
      const start = typeof cursor === 'string' ? cursor : store.latestId(channel);
      const result = store.read(channel, start);
      // A cursor another instance of a cluster gave out may be ahead of this one's copy for a moment.
      if (result.kind === 'ahead' && sync !== undefined) {
        catchUp(sync).then(
          () => answerPoll(reply, store.read(channel, start), channel, start, waitMs, held),
          (error: unknown) => reply.send(error),
        );
        return;
      }
      answerPoll(reply, result, channel, start, waitMs, held);
    },
  );
}

/** Answers a poll at once, or holds it when there is nothing new and the client asked to wait. */
function answerPoll(reply: FastifyReply, result: ReadResult, channel: string, start: string, waitMs: number, held: HeldPolls): void {
  if (reply.raw.destroyed) return;
  const answer = toPollResponse(result, channel, start);
  if (answer.messages.length > 0 || waitMs === 0) {
    reply.send(answer);
    return;
  }
  // Answered later, by reply.send when the hold ends; nothing of it stays once the socket closes.
  holdPoll(held, reply, channel, answer.cursor, waitMs);
}

/**
 * Turns a store read into the poll body, or throws the error a client gets
 * for a cursor the channel cannot serve.
 */
function toPollResponse(result: ReadResult, channel: string, cursor: string): PollResponse {
  if (result.kind === 'batch') return { messages: result.messages, cursor: result.cursor };
  throw unservableCursor(result, channel, cursor);
}

/**
 * Holds one poll and answers it when the hold ends. A client that goes away
 * first (the response closes before it finished) cancels the hold at once,
 * so nothing of it stays behind, and it is never answered.
 */
function holdPoll(held: HeldPolls, reply: FastifyReply, channel: string, cursor: string, waitMs: number): void {
  const cancel = held.hold({
    channel,
    cursor,
    waitMs,
    release: (outcome) => answerHeld(reply, channel, cursor, outcome),
  });
  // Always: cancel is a no-op once the hold was released. (`writableFinished` is no guide: an HTTP/2 response whose
  // stream the client reset (RST_STREAM) reports itself finished, and the hold stayed behind until its timeout.)
  reply.raw.on('close', cancel);
}

/**
 * Sends the answer of a released hold. On shutdown the returned promise
 * settles once the response is flushed (or its socket is gone), so the
 * server closes idle connections only after the client has its answer.
 */
function answerHeld(reply: FastifyReply, channel: string, cursor: string, outcome: HoldOutcome): Promise<void> | undefined {
  // The socket can be gone a moment before the response's 'close' event
  // cancels the hold; there is no one left to answer then.
  if (reply.raw.destroyed || reply.request.raw.socket?.destroyed === true) return undefined;
  if (outcome.reason === 'closed') {
    reply.send(
      new ReferenceHttpError(
        'channel_closed',
        `channel ${quote(channel)} was closed for good (DELETE /channels/${channel}) while this poll was held`,
      ),
    );
    return undefined;
  }
  if (outcome.reason !== 'message') {
    // The hold ran out (or the server is closing) with nothing new: the
    // empty batch and the unchanged cursor, exactly as an immediate poll.
    const flushed = outcome.reason === 'shutdown' ? responseDone(reply) : undefined;
    reply.send({ messages: [], cursor } satisfies PollResponse);
    return flushed;
  }
  let body: PollResponse;
  try {
    body = toPollResponse(outcome.result, channel, cursor);
  } catch (error) {
    // Cannot happen for a cursor held at the latest id (it is read inside
    // the publish), but if it did the client gets the same error as a poll.
    reply.send(error);
    return undefined;
  }
  reply.send(body);
  return undefined;
}

/** Settles when the response has finished or its connection closed, whichever comes first. */
function responseDone(reply: FastifyReply): Promise<void> {
  return new Promise((resolve) => {
    finished(reply.raw, () => resolve());
  });
}

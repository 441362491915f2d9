/**
 * Closing a channel for good: `DELETE /channels/{channel}` answers `204`.
 * The store drops the channel's history and tells every technique (held
 * long-polls are answered `channel_closed`, SSE streams end); from then on
 * streams answer 204 (so an EventSource stops reconnecting) and polls and
 * publishes `410 channel_closed`, until the name is forgotten (see
 * ../closed-channels.ts).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ChannelStore } from '../channel-store.ts';
import { ReferenceHttpError } from '../errors.ts';
import { quote } from '../validation.ts';
import { requireAuthority, type AuthorityOptions } from './authority.ts';
import { requireValidChannel, type ChannelParams } from './channel-param.ts';
import { storeRefusal, type ChannelPublisher } from '../publishing.ts';

/** Options of {@link channelRoutes}. */
export interface ChannelRoutesOptions {
  /** The store itself, or a cluster's link to its shared store. */
  publisher: ChannelPublisher;
  /** Who may close channels (Origin, publish token). */
  authority: AuthorityOptions;
}

/** The routes this plugin adds, for `GET /`. */
export const CHANNEL_ENDPOINTS: Readonly<Record<string, string>> = {
  closeChannel: 'DELETE /channels/{channel}',
};

/** Fastify plugin adding `DELETE /channels/{channel}`. Idempotent: closing a closed (or unused) channel is 204 too. */
export async function channelRoutes(app: FastifyInstance, options: ChannelRoutesOptions): Promise<void> {
  const { publisher } = options;
  app.delete<{ Params: ChannelParams }>('/channels/:channel', { onRequest: [requireAuthority(options.authority), requireValidChannel] }, async (request, reply) => {
    try {
      await publisher.close(request.params.channel);
    } catch (error) {
      throw storeRefusal(error, request.params.channel) ?? error;
    }
    return reply.code(204).send();
  });
}

/**
 * An `onRequest` hook (run after {@link requireValidChannel}) refusing
 * polls and publishes of a closed channel with `410 channel_closed`, before
 * any body is read.
 */
export function requireOpenChannel(store: ChannelStore) {
  return async function rejectClosedChannel(request: FastifyRequest<{ Params: ChannelParams }>): Promise<void> {
    assertOpenChannel(store, request.params.channel);
  };
}

/**
 * Throws `410 channel_closed` when `channel` is closed. Routes that read a
 * body call it again right before touching the store: the channel may have
 * been closed while the body was arriving.
 */
export function assertOpenChannel(store: ChannelStore, channel: string): void {
  if (store.isClosed(channel)) {
    throw new ReferenceHttpError(
      'channel_closed',
      `channel ${quote(channel)} was closed for good (DELETE /channels/${channel}); it takes no more polls or publishes`,
    );
  }
}

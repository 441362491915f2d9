/**
 * Publishing: `POST /channels/{channel}/messages` with a text/plain or JSON
 * body stores one message and answers `201 {"id": "<id>"}`. Every check runs
 * before the store is touched, so a refused publish changes no channel. A
 * closed channel is refused (`410 channel_closed`) before its body is read.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ChannelLimitError, type ChannelStore, type MessageInput } from '../channel-store.ts';
import { ReferenceHttpError } from '../errors.ts';
import { quote } from '../validation.ts';
import { requireAuthority, type AuthorityOptions } from './authority.ts';
import { decodeJsonBody, decodeTextBody } from '../message-body.ts';
import { storeRefusal, type ChannelPublisher } from '../publishing.ts';
import { requireValidChannel, type ChannelParams } from './channel-param.ts';
import { assertOpenChannel, requireOpenChannel } from './channels.ts';

/** Options of {@link publishRoutes}. */
export interface PublishRoutesOptions {
  store: ChannelStore;
  /** The store itself, or a cluster's link to its shared store. */
  publisher: ChannelPublisher;
  /** Who may publish (Origin, publish token). */
  authority: AuthorityOptions;
}

/** Retry-After, in seconds, of a publish refused for the channel limit: channels free up only when closed or emptied. */
export const CHANNEL_LIMIT_RETRY_AFTER_S = 60;

/** The 503 a publish gets when it would create one channel more than the store holds. */
function channelLimit(channel: string, limit: number): ReferenceHttpError {
  return new ReferenceHttpError(
    'channel_limit',
    `channel ${quote(channel)} would be one more than the ${limit} channels this server holds (maxChannels); publish on an existing channel, or close one`,
    { extra: { limit }, headers: { 'retry-after': String(CHANNEL_LIMIT_RETRY_AFTER_S) } },
  );
}

/** The routes this plugin adds, for `GET /`. */
export const PUBLISH_ENDPOINTS: Readonly<Record<string, string>> = {
  publish: 'POST /channels/{channel}/messages',
};

/**
 * Fastify plugin adding the publish route and the two body parsers it
 * accepts. The parsers are registered inside this plugin (fastify
 * encapsulation), so no other route parses bodies; the size limit is the
 * app's `bodyLimit` (= `maxMessageBytes`), enforced by fastify while reading.
 */
export async function publishRoutes(app: FastifyInstance, options: PublishRoutesOptions): Promise<void> {
  const { store, publisher } = options;
  // Before the body is read: a refused publish should cost as little as possible.
  const requireRoom = async (request: FastifyRequest<{ Params: ChannelParams }>): Promise<void> => {
    if (!store.canPublish(request.params.channel)) throw channelLimit(request.params.channel, store.maxChannels);
  };

  app.addContentTypeParser('text/plain', { parseAs: 'buffer' }, async (request: FastifyRequest, body: Buffer) =>
    decodeTextBody(body, request.headers['content-type']),
  );
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, async (_request: FastifyRequest, body: Buffer) =>
    decodeJsonBody(body),
  );

  app.post<{ Params: ChannelParams; Body: MessageInput | undefined }>(
    '/channels/:channel/messages',
    { onRequest: [requireAuthority(options.authority), requireValidChannel, requireOpenChannel(store), requireRoom] },
    async (request, reply) => {
      // fastify skips parsing (body undefined) when there is neither a
      // Content-Type nor a body; a body without a Content-Type is refused by
      // fastify itself (FST_ERR_CTP_INVALID_MEDIA_TYPE → 415).
      if (request.body === undefined) {
        throw new ReferenceHttpError(
          'unsupported_media_type',
          'a publish needs a Content-Type: text/plain; charset=utf-8 or application/json (none was given)',
        );
      }
      // Closed while the body was arriving: refused all the same, not a store error.
      assertOpenChannel(store, request.params.channel);
      let message;
      try {
        message = await publisher.publish(request.params.channel, request.body);
      } catch (error) {
        // Other publishes may have taken the last channel while this body was arriving.
        if (error instanceof ChannelLimitError) throw channelLimit(request.params.channel, error.limit);
        throw storeRefusal(error, request.params.channel) ?? error;
      }
      return reply.code(201).send({ id: message.id });
    },
  );
}

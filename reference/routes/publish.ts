/**
 * Publishing: `POST /channels/{channel}/messages` with a text/plain or JSON
 * body stores one message and answers `201 {"id": "<id>"}`. Every check runs
 * before the store is touched, so a refused publish changes no channel. A
 * closed channel is refused (`410 channel_closed`) before its body is read.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ChannelStore, MessageInput } from '../channel-store.ts';
import { ReferenceHttpError } from '../errors.ts';
import { decodeJsonBody, decodeTextBody } from '../message-body.ts';
import { requireValidChannel, type ChannelParams } from './channel-param.ts';
import { assertOpenChannel, requireOpenChannel } from './channels.ts';

/** Options of {@link publishRoutes}. */
export interface PublishRoutesOptions {
  store: ChannelStore;
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
  const { store } = options;

  app.addContentTypeParser('text/plain', { parseAs: 'buffer' }, async (request: FastifyRequest, body: Buffer) =>
    decodeTextBody(body, request.headers['content-type']),
  );
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, async (_request: FastifyRequest, body: Buffer) =>
    decodeJsonBody(body),
  );

  app.post<{ Params: ChannelParams; Body: MessageInput | undefined }>(
    '/channels/:channel/messages',
    { onRequest: [requireValidChannel, requireOpenChannel(store)] },
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
      const message = store.publish(request.params.channel, request.body);
      return reply.code(201).send({ id: message.id });
    },
  );
}

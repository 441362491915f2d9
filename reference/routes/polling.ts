/**
 * Ajax polling: `GET /channels/{channel}/messages?cursor=<id>` answers at
 * once with every retained message after the cursor and the cursor to send
 * next. A poll never creates channel state.
 */
import type { FastifyInstance } from 'fastify';
import type { ChannelStore, StoredMessage } from '../channel-store.ts';
import { ReferenceHttpError } from '../errors.ts';
import { parseCursor, parseWait, quote } from '../validation.ts';
import { requireValidChannel, type ChannelParams } from './channel-param.ts';

/** Options of {@link pollingRoutes}. */
export interface PollingRoutesOptions {
  store: ChannelStore;
}

/** The routes this plugin adds, for `GET /`. */
export const POLLING_ENDPOINTS: Readonly<Record<string, string>> = {
  poll: 'GET /channels/{channel}/messages?cursor={id}',
};

/** Body of a successful poll. */
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
  const { store } = options;

  app.get<{ Params: ChannelParams; Querystring: PollQuery }>(
    '/channels/:channel/messages',
    { onRequest: requireValidChannel },
    async (request): Promise<PollResponse> => {
      const { channel } = request.params;
      const { cursor, wait } = request.query;
      if (cursor !== undefined && parseCursor(cursor) === undefined) {
        throw new ReferenceHttpError(
          'malformed_cursor',
          `cursor ${quote(cursor)} is malformed: expected "0" or a decimal integer without leading zeros, at most 16 digits`,
        );
      }
      // `wait` is reserved for long-polling: validated now so clients learn
      // the contract early, ignored until long-polling is plugged in here
      // (hold the request via store.subscribe when the batch is empty).
      if (wait !== undefined && parseWait(wait) === undefined) {
        throw new ReferenceHttpError('malformed_wait', `wait ${quote(wait)} is malformed: expected a non-negative integer`);
      }
      const result = store.read(channel, cursor as string | undefined);
      switch (result.kind) {
        case 'batch':
          return { messages: result.messages, cursor: result.cursor };
        case 'ahead':
          throw new ReferenceHttpError(
            'cursor_ahead',
            `cursor ${quote(cursor)} is ahead of channel ${quote(channel)}, whose latest id is ${result.latest}`,
            { extra: { latest: result.latest } },
          );
        case 'expired':
          throw new ReferenceHttpError(
            'cursor_expired',
            `cursor ${quote(cursor)} is older than the history of channel ${quote(channel)}: ` +
              `messages before ${result.oldest} are no longer retained; resume from cursor ${String(Number(result.oldest) - 1)} ` +
              `to read from the oldest retained message`,
            { extra: { oldest: result.oldest } },
          );
      }
    },
  );
}

/**
 * The `{channel}` path parameter shared by every channel route. It is checked
 * in an `onRequest` hook, before the body is read, so an invalid channel is
 * reported as such whatever else is wrong with the request.
 */
import type { FastifyRequest } from 'fastify';
import { ReferenceHttpError } from '../errors.ts';
import { isValidChannelName, quote } from '../validation.ts';

/** Route generic for routes under `/channels/:channel/…`. */
export interface ChannelParams {
  channel: string;
}

/** `onRequest` hook: refuses the request with `invalid_channel` unless `:channel` is valid. */
export async function requireValidChannel(request: FastifyRequest<{ Params: ChannelParams }>): Promise<void> {
  const { channel } = request.params;
  if (!isValidChannelName(channel)) {
    throw new ReferenceHttpError(
      'invalid_channel',
      `channel name ${quote(channel)} is invalid: use 1 to 128 of the characters A-Z a-z 0-9 . _ -`,
    );
  }
}

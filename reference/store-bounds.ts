/**
 * The store's bounds, their defaults and how a message is counted against the
 * memory budget (see channel-store.ts). Plain data: no fastify.
 */
import { quote } from './validation.ts';

/** Bytes of retained history, all channels together, unless told otherwise: 256 MiB. */
export const DEFAULT_HISTORY_MAX_BYTES = 256 * 1024 * 1024;
/** Smallest `historyMaxBytes`. */
export const MIN_HISTORY_MAX_BYTES = 1024;
/** Channels holding messages unless told otherwise. */
export const DEFAULT_MAX_CHANNELS = 10_000;
/**
 * What each retained message counts against the budget on top of its data
 * and event bytes: the message object, its id string and its bookkeeping
 * (measured at about 100 bytes per message on Node 20; rounded up).
 */
export const MESSAGE_OVERHEAD_BYTES = 128;

/** What a message counts against the memory budget: its data and event as UTF-8, plus the overhead. */
export function messageBytes(data: string, event: string | undefined): number {
  return Buffer.byteLength(data, 'utf8') + (event === undefined ? 0 : Buffer.byteLength(event, 'utf8')) + MESSAGE_OVERHEAD_BYTES;
}

/**
 * Thrown by {@link ChannelStore.publish} when the message would create one
 * channel more than `maxChannels`; nothing is stored. Routes answer it
 * `503 channel_limit`.
 */
export class ChannelLimitError extends Error {
  readonly limit: number;
  constructor(channel: string, limit: number) {
    super(`channel ${quote(channel)} would be one more than the ${limit} channels this server holds (maxChannels)`);
    this.name = 'ChannelLimitError';
    this.limit = limit;
  }
}

/**
 * What routes change channels through, and how they catch up with a shared
 * store. One server publishes into its own {@link ChannelStore} (at once);
 * an instance of a cluster publishes through Redis (reference/cluster/), and
 * waits for it. Routes await either alike.
 */
import type { MessageInput, StoredMessage } from './channel-store.ts';
import { ChannelClosedError, StoreUnavailableError } from './cluster/errors.ts';
import { ReferenceHttpError } from './errors.ts';
import { quote } from './validation.ts';

/** Publishes and closes channels: the store itself, or a cluster's link to its shared store. */
export interface ChannelPublisher {
  publish(channel: string, input: MessageInput): StoredMessage | Promise<StoredMessage>;
  close(channel: string): void | Promise<void>;
}

/** A shared store this instance copies (a cluster); absent for one server. */
export interface StoreSync {
  /** Resolves once this instance has everything the shared store had when called; rejects with StoreUnavailableError. */
  catchUp(): Promise<void>;
}

/** Seconds a client is told to wait (Retry-After) when the shared store is unavailable. */
export const STORE_RETRY_AFTER_S = 1;

/**
 * The HTTP error for a publish, close or catch-up a cluster's shared store
 * refused, or `undefined` for any other error (the caller handles or rethrows it).
 */
export function storeRefusal(error: unknown, channel: string): ReferenceHttpError | undefined {
  if (error instanceof ChannelClosedError) {
    return new ReferenceHttpError('channel_closed', `channel ${quote(channel)} was closed for good (DELETE /channels/${channel}); it takes no more polls or publishes`);
  }
  return storeUnavailable(error, 'nothing was acknowledged, try again');
}

/** `503 store_unavailable` for a StoreUnavailableError (its message, then `advice`), else `undefined`. */
function storeUnavailable(error: unknown, advice: string): ReferenceHttpError | undefined {
  if (!(error instanceof StoreUnavailableError)) return undefined;
  return new ReferenceHttpError('store_unavailable', `${error.message}; ${advice}`, {
    headers: { 'retry-after': String(STORE_RETRY_AFTER_S) },
  });
}

/**
 * Catches this instance up with the shared store before it judges a position
 * a client brought (it may come from another instance).
 * @throws ReferenceHttpError `store_unavailable` when the shared store does not answer in time.
 */
export async function catchUp(sync: StoreSync): Promise<void> {
  try {
    await sync.catchUp();
  } catch (error) {
    throw storeUnavailable(error, 'the position could not be checked, try again') ?? error;
  }
}

/**
 * What a cluster's shared store can refuse. Apart from redis-cluster.ts so
 * the routes can tell these errors without loading a Redis client.
 */

/** Raised when Redis is slow or unreachable; the routes answer 503 store_unavailable. */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

/** Raised when a publish reaches a channel closed on another instance a moment ago. */
export class ChannelClosedError extends Error {
  readonly channel: string;

  constructor(channel: string) {
    super(`channel ${channel} is closed`);
    this.channel = channel;
    this.name = 'ChannelClosedError';
  }
}

/**
 * An instance's link to its cluster, usable before the Redis client is
 * loaded: the client (about 110 ms of module loading) is imported only by a
 * server started with `redis`, when the app gets ready, never by one server.
 */
import type { MessageInput, StoredMessage } from '../channel-store.ts';
import type { ChannelPublisher, StoreSync } from '../publishing.ts';
import type { RedisCluster, RedisClusterOptions } from './redis-cluster.ts';

/** Publishes, closes and catches up through the cluster's Redis once {@link start}ed. */
export class ClusterLink implements ChannelPublisher, StoreSync {
  readonly #options: RedisClusterOptions;
  #cluster: RedisCluster | undefined;

  constructor(options: RedisClusterOptions) {
    this.#options = options;
  }

  /** Loads the Redis client, connects and copies the cluster's state (see {@link RedisCluster.start}). */
  async start(): Promise<void> {
    const { RedisCluster } = await import('./redis-cluster.ts');
    const cluster = new RedisCluster(this.#options);
    await cluster.start();
    this.#cluster = cluster;
  }

  async stop(): Promise<void> {
    await this.#cluster?.stop();
  }

  /** `up`, or `down` while Redis does not answer. */
  get state(): 'up' | 'down' {
    return this.#started().state;
  }

  publish(channel: string, input: MessageInput): Promise<StoredMessage> {
    return this.#started().publish(channel, input);
  }

  close(channel: string): Promise<void> {
    return this.#started().close(channel);
  }

  catchUp(): Promise<void> {
    return this.#started().catchUp();
  }

  #started(): RedisCluster {
    // The app serves nothing before its onReady hook (start) has resolved.
    if (this.#cluster === undefined) throw new Error('the cluster link is used before start()');
    return this.#cluster;
  }
}

/**
 * The reference server as one instance of a cluster: Redis holds every
 * channel's ids and history (redis-keys.ts), and this instance keeps a copy in
 * its own {@link ChannelStore}, which every technique reads and subscribes to
 * exactly as in a single server. So polls, streams and sockets cost no Redis
 * round trip; only publishing, closing and catching up do.
 *
 * - Publishing runs one Lua script in Redis (the id, the history and the feed
 *   in one atomic step) and answers once this instance's copy has the message
 *   too, so a client that publishes and then polls the same instance reads
 *   its own write.
 * - Every instance reads the feed with a blocking XREAD on its own connection
 *   and applies each entry to its copy ({@link ChannelStore.apply}), which
 *   hands it to that instance's clients.
 * - A position this instance has not reached yet (a client resuming here with
 *   an id another instance gave it) is served after {@link RedisCluster.catchUp}.
 * - Redis slow or gone: publishes and closes fail after {@link COMMAND_TIMEOUT_MS}
 *   (503 store_unavailable); clients stay connected; once Redis answers again
 *   the feed is read from where it stopped, after reading every channel's
 *   history again in case the feed was trimmed past that point meanwhile.
 */
import { createClient } from '@redis/client';
import type { ChannelStore, MessageInput, StoredMessage } from '../channel-store.ts';
import { ChannelLimitError } from '../store-bounds.ts';
import { CLOSE_SCRIPT, FEED_WINDOW_MS, PUBLISH_SCRIPT, clusterKeys, type ClusterKeys } from './redis-keys.ts';
import { FeedPosition, compareFeedIds } from './feed-position.ts';
import { fieldMap, readFeed, type FeedEntry } from './feed-entries.ts';
import { ChannelClosedError, StoreUnavailableError } from './errors.ts';

/** Longest a publish, a close or a catch-up waits for Redis before it is refused. */
export const COMMAND_TIMEOUT_MS = 2_000;
/** Longest start-up waits for Redis (under fastify's 10 s for a plugin to get ready). */
const CONNECT_TIMEOUT_MS = 5_000;
/** How long one blocking read of the feed waits before asking again (it is how often a stop is noticed). */
const FEED_BLOCK_MS = 1_000;
/** Feed entries read at once. */
const FEED_BATCH = 1_000;
/** Pause before reading again after Redis failed, growing to the second value. */
const RETRY_MS = [50, 1_000] as const;

/** Options of {@link RedisCluster}. */
export interface RedisClusterOptions {
  /** `redis://host:port` (or `rediss://`). */
  url: string;
  /** Prefix of every key, so several clusters can share one Redis. */
  prefix: string;
  /** This instance's copy; its limits are the cluster's. */
  store: ChannelStore;
  closedChannelLimit: number;
  /** Told about Redis going away and coming back (not per failed command). */
  log: (level: 'warn' | 'info', message: string) => void;
}

/**
 * A client that fails its first connection at once (a Redis that cannot be reached at start-up is a mistake to
 * report, not to wait out) and, once connected, reconnects for ever, waiting 50 ms doubling up to 1 s.
 */
function makeClient(url: string, connected: () => boolean) {
  return createClient({
    url,
    RESP: 2,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: CONNECT_TIMEOUT_MS,
      reconnectStrategy: (retries: number, cause: Error) => (connected() ? Math.min(RETRY_MS[0] * 2 ** retries, RETRY_MS[1]) : cause),
    },
  });
}
type Client = ReturnType<typeof makeClient>;

/** One instance's link to the cluster's Redis. */
export class RedisCluster {
  readonly #client: Client;
  readonly #reader: Client;
  readonly #keys: ClusterKeys;
  readonly #store: ChannelStore;
  readonly #options: RedisClusterOptions;
  readonly #position = new FeedPosition();
  #reading: Promise<void> | undefined;
  #stopped = false;
  #up = true;
  /** Set once both connections were made: from then on a lost connection is retried for ever. */
  #connected = false;

  /** Builds the link; nothing happens until {@link start}. */
  constructor(options: RedisClusterOptions) {
    this.#options = options;
    this.#store = options.store;
    this.#keys = clusterKeys(options.prefix);
    // RESP2: the raw replies read below keep one shape. No offline queue: while Redis is away a command fails at
    // once (503) instead of waiting for it.
    this.#client = makeClient(options.url, () => this.#connected);
    // A blocking XREAD holds its connection: the feed gets its own.
    this.#reader = makeClient(options.url, () => this.#connected);
    // Failures are handled where commands fail; an 'error' without a listener would end the process.
    this.#client.on('error', () => {});
    this.#reader.on('error', () => {});
  }

  /**
   * Connects, copies every channel's retained history and the closed channels
   * into the store, and starts reading the feed.
   * @throws Error naming the URL when Redis does not answer within 10 s.
   */
  async start(): Promise<void> {
    const { url } = this.#options;
    try {
      await withDeadline(Promise.all([this.#client.connect(), this.#reader.connect()]), CONNECT_TIMEOUT_MS, `Redis at ${url} did not answer`);
      this.#connected = true;
    } catch (error) {
      await this.stop();
      throw new Error(`cannot reach Redis at ${url}: ${(error as Error).message}`, { cause: error });
    }
    try {
      this.#position.set(await this.#feedTip());
      await this.#copyHistories();
    } catch (error) {
      await this.stop();
      throw new Error(`cannot read the cluster's state from Redis at ${url}: ${(error as Error).message}`, { cause: error });
    }
    this.#reading = this.#readFeed();
  }

  /** `up` while the last exchange with Redis worked, `down` after one failed. */
  get state(): 'up' | 'down' {
    return this.#up ? 'up' : 'down';
  }

  /**
   * Publishes through Redis and resolves once this instance's copy has the
   * message (or after {@link COMMAND_TIMEOUT_MS}: it is stored all the same).
   * @throws ChannelLimitError, ChannelClosedError, or StoreUnavailableError (nothing acknowledged).
   */
  async publish(channel: string, input: MessageInput): Promise<StoredMessage> {
    const { seq, channels, closed, feed } = this.#keys;
    const hasEvent = input.event !== undefined;
    const args = [channel, input.data, input.event ?? '', hasEvent ? '1' : '0', String(this.#store.historyLimit), String(this.#store.maxChannels), String(FEED_WINDOW_MS)];
    const reply = (await this.#command(
      () => this.#timed().eval(PUBLISH_SCRIPT, { keys: [seq, channels, closed, this.#keys.history(channel), feed], arguments: args }),
      'publish',
    )) as [string, number?];
    if (reply[0] === 'closed') throw new ChannelClosedError(channel);
    if (reply[0] === 'limit') throw new ChannelLimitError(channel, this.#store.maxChannels);
    const id = String(reply[1]);
    await this.#position.until(() => Number(this.#store.latestId(channel)) >= Number(id) || this.#store.isClosed(channel), COMMAND_TIMEOUT_MS).catch(() => undefined);
    return Object.freeze(hasEvent ? { id, data: input.data, event: input.event as string } : { id, data: input.data });
  }

  /**
   * Closes a channel for the whole cluster and resolves once this instance has closed it too.
   * @throws StoreUnavailableError
   */
  async close(channel: string): Promise<void> {
    const { seq, channels, closed, closedOrder, feed } = this.#keys;
    await this.#command(
      () =>
        this.#timed().eval(CLOSE_SCRIPT, {
          keys: [seq, channels, closed, closedOrder, this.#keys.history(channel), feed],
          arguments: [channel, String(this.#options.closedChannelLimit), String(FEED_WINDOW_MS)],
        }),
      'close',
    );
    await this.#position.until(() => this.#store.isClosed(channel), COMMAND_TIMEOUT_MS).catch(() => undefined);
  }

  /**
   * Resolves once this instance's copy has everything Redis had when called:
   * before serving a position another instance may have given out.
   * @throws StoreUnavailableError when Redis does not answer, or the feed is not read that far within {@link COMMAND_TIMEOUT_MS}.
   */
  async catchUp(): Promise<void> {
    const tip = await this.#command(() => this.#feedTip(), 'catch up');
    try {
      await this.#position.until(() => compareFeedIds(this.#position.id, tip) >= 0, COMMAND_TIMEOUT_MS);
    } catch {
      throw new StoreUnavailableError(`this instance has not read the cluster's feed up to ${tip} within ${COMMAND_TIMEOUT_MS} ms`);
    }
  }

  /** Stops reading the feed and closes both connections. Safe to call twice. */
  async stop(): Promise<void> {
    if (this.#stopped) return this.#reading;
    this.#stopped = true;
    this.#position.abandon();
    // The reader may be blocked in XREAD for up to a second: cut it rather than wait.
    await Promise.allSettled([this.#reader.isOpen ? this.#reader.destroy() : undefined, this.#client.isOpen ? this.#client.destroy() : undefined]);
    await this.#reading;
  }

  #timed(): Client {
    return this.#client.withCommandOptions({ timeout: COMMAND_TIMEOUT_MS, rejectInFlight: true }) as unknown as Client;
  }

  /** Runs a command; a Redis failure becomes StoreUnavailableError. */
  async #command<T>(run: () => Promise<T>, what: string): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw new StoreUnavailableError(`the cluster's Redis did not take the ${what}: ${(error as Error).message}`, { cause: error });
    }
  }

  /** Id of the feed's newest entry, `0-0` when empty. */
  async #feedTip(): Promise<string> {
    const last = (await this.#timed().sendCommand(['XREVRANGE', this.#keys.feed, '+', '-', 'COUNT', '1'])) as Array<[string, unknown]>;
    return last[0]?.[0] ?? '0-0';
  }

  /** Copies the closed channels, then every channel's retained history (messages this copy has are skipped). */
  async #copyHistories(): Promise<void> {
    const closed = (await this.#timed().sendCommand(['LRANGE', this.#keys.closedOrder, '0', '-1'])) as string[];
    for (const channel of closed) if (!this.#store.isClosed(channel)) this.#store.close(channel);
    const channels = (await this.#timed().sendCommand(['SMEMBERS', this.#keys.channels])) as string[];
    // Sent together: node-redis pipelines concurrent commands, so this is one round trip, not one per channel.
    const histories = await Promise.all(
      channels.map((channel) => this.#timed().sendCommand(['XRANGE', this.#keys.history(channel), '-', '+']) as Promise<Array<[string, string[]]>>),
    );
    for (const [index, entries] of histories.entries()) {
      const channel = channels[index] as string;
      for (const [entryId, fields] of entries) {
        const field = fieldMap(fields);
        this.#apply({ kind: 'message', channel, id: entryId.slice(2), data: field.get('d') ?? '', event: field.get('e') });
      }
    }
  }

  /** The feed loop: read, apply, advance; on a Redis failure wait, copy the histories again, go on. */
  async #readFeed(): Promise<void> {
    let failures = 0;
    while (!this.#stopped) {
      try {
        if (failures > 0) await this.#copyHistories();
        if (failures > 0) this.#position.changed();
        const entries = await readFeed(this.#reader, this.#keys.feed, this.#position.id, FEED_BATCH, FEED_BLOCK_MS);
        if (failures > 0) this.#options.log('info', `the cluster's Redis answers again (${this.#options.url}); caught up`);
        failures = 0;
        this.#up = true;
        for (const entry of entries) {
          this.#apply(entry);
          this.#position.set(entry.feedId);
        }
        this.#position.changed();
      } catch (error) {
        if (this.#stopped) return;
        if (failures === 0) this.#options.log('warn', `lost the cluster's Redis (${this.#options.url}): ${(error as Error).message}`);
        failures += 1;
        this.#up = false;
        await pause(Math.min(RETRY_MS[0] * 2 ** (failures - 1), RETRY_MS[1]));
      }
    }
  }

  /** Applies one entry to the copy; one this store refuses (a foreign writer under the same prefix) is skipped. */
  #apply(entry: FeedEntry): void {
    try {
      if (entry.kind === 'close') {
        this.#store.close(entry.channel);
        return;
      }
      const message = entry.event === undefined ? { id: entry.id, data: entry.data } : { id: entry.id, data: entry.data, event: entry.event };
      this.#store.apply(entry.channel, message);
    } catch (error) {
      this.#options.log('warn', `skipped a feed entry for channel ${JSON.stringify(entry.channel)}: ${(error as Error).message}`);
    }
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

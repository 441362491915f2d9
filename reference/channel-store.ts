/**
 * The reference server's state: named channels, each with a bounded history
 * and a set of live listeners. Every push technique (polling, long-polling,
 * SSE; WebSocket later) reads from and subscribes to this one store, so they
 * all see the same ids in the same order. A channel can be closed for good;
 * the store remembers the name (bounded, see closed-channels.ts) and tells
 * every technique, through {@link ChannelStore.onClose}, to end its clients.
 *
 * Bounded by design: the retained history of all channels together counts
 * against a memory budget (bytes), past which the oldest messages server-wide
 * are evicted first; the number of channels holding messages is capped; and
 * ids never restart: a channel created afresh (never seen, forgotten after
 * closing, or emptied by the budget and dropped) starts after the highest id
 * any dropped channel reached (the "floor"), so a client still holding an
 * old id gets the gap signal, never somebody else's messages under its ids.
 * No fastify import: the store is plain data and can be tested on its own.
 */
import { ClosedChannels, DEFAULT_CLOSED_CHANNEL_LIMIT } from './closed-channels.ts';
import { History, type StoredMessage } from './history.ts';
import { PublishOrder, type OrderEntry } from './publish-order.ts';
import { ChannelLimitError, DEFAULT_HISTORY_MAX_BYTES, DEFAULT_MAX_CHANNELS, MIN_HISTORY_MAX_BYTES, messageBytes } from './store-bounds.ts';
import { eventNameProblem, isValidChannelName, parseCursor, quote } from './validation.ts';

export type { StoredMessage } from './history.ts';
export { ChannelLimitError, DEFAULT_HISTORY_MAX_BYTES, DEFAULT_MAX_CHANNELS, MESSAGE_OVERHEAD_BYTES, MIN_HISTORY_MAX_BYTES, messageBytes } from './store-bounds.ts';

/** Messages a channel retains unless told otherwise. */
export const DEFAULT_HISTORY_LIMIT = 1000;
/** Options of {@link ChannelStore}. */
export interface ChannelStoreOptions {
  /** Messages retained per channel; a positive integer. Default {@link DEFAULT_HISTORY_LIMIT}. */
  historyLimit?: number;
  /**
   * Closed channel names remembered; past it the one closed longest ago is
   * forgotten (and is a fresh channel again). A positive integer. Default
   * {@link DEFAULT_CLOSED_CHANNEL_LIMIT}.
   */
  closedChannelLimit?: number;
  /**
   * Bytes of retained history, all channels together (see {@link messageBytes});
   * past it the oldest messages server-wide are evicted. An integer of at
   * least {@link MIN_HISTORY_MAX_BYTES}. Default {@link DEFAULT_HISTORY_MAX_BYTES}.
   */
  historyMaxBytes?: number;
  /** Channels holding messages; a publish that would create one more is refused. Default {@link DEFAULT_MAX_CHANNELS}. */
  maxChannels?: number;
  /**
   * Called when a listener (message or close listener) throws. The message is already stored and the other
   * listeners still get it, so one broken subscriber can't fail a publish.
   * Default: print to stderr.
   */
  onListenerError?: (error: unknown, channel: string) => void;
}

/** What a publisher hands the store. */
export interface MessageInput {
  data: string;
  event?: string;
}

/** Called synchronously, in subscription order, with each message published after subscribing. */
export type MessageListener = (message: StoredMessage) => void;

/** Called synchronously with the name of a channel just closed by {@link ChannelStore.close}. */
export type CloseListener = (channel: string) => void;

/** Outcome of {@link ChannelStore.read}. */
export type ReadResult =
  /** Every retained message after the cursor (possibly none) and the cursor to use next. */
  | { kind: 'batch'; messages: StoredMessage[]; cursor: string }
  /** The message right after the cursor has been evicted; `oldest` is the first retained id. */
  | { kind: 'expired'; oldest: string }
  /** The cursor names a message the channel has not had yet. */
  | { kind: 'ahead'; latest: string };

/** Totals for `GET /stats` (and for tests checking nothing leaks). */
export interface StoreStats {
  /** Channels the store holds state for: published to, or currently listened to. */
  channels: number;
  /** Messages retained across all channels. */
  messages: number;
  /** Listeners currently subscribed across all channels. */
  listeners: number;
}

interface Channel {
  readonly name: string;
  /** Replaced only when a cluster's feed skips ahead (see {@link ChannelStore.apply}). */
  history: History;
  readonly listeners: Set<MessageListener>;
  /** False once closed or dropped: its entries in the publish order are stale. */
  live: boolean;
}

/** In-memory channels with bounded history and synchronous publish notification. */
export class ChannelStore {
  readonly historyLimit: number;
  readonly historyMaxBytes: number;
  readonly maxChannels: number;
  readonly #channels = new Map<string, Channel>();
  readonly #order = new PublishOrder<Channel>((entry) => isRetained(entry));
  /** The highest id any dropped channel (forgotten after closing, or emptied by the budget) reached. */
  #floor = 0;
  /** Channels in #channels that hold or held messages (what maxChannels counts). */
  #publishedChannels = 0;
  #bytes = 0;
  readonly #closed: ClosedChannels;
  readonly #closeListeners = new Set<CloseListener>();
  readonly #onListenerError: (error: unknown, channel: string) => void;
  /** Kept as a running total so stats() is O(1) however many channels there are. */
  #messageCount = 0;
  #listenerCount = 0;

  constructor(options: ChannelStoreOptions = {}) {
    const {
      historyLimit = DEFAULT_HISTORY_LIMIT,
      closedChannelLimit = DEFAULT_CLOSED_CHANNEL_LIMIT,
      historyMaxBytes = DEFAULT_HISTORY_MAX_BYTES,
      maxChannels = DEFAULT_MAX_CHANNELS,
      onListenerError = defaultListenerError,
    } = options;
    if (!Number.isSafeInteger(historyLimit) || historyLimit < 1) {
      throw new TypeError(`historyLimit must be a positive integer, got ${String(historyLimit)}`);
    }
    if (!Number.isSafeInteger(historyMaxBytes) || historyMaxBytes < MIN_HISTORY_MAX_BYTES) {
      throw new TypeError(`historyMaxBytes must be an integer of at least ${MIN_HISTORY_MAX_BYTES}, got ${String(historyMaxBytes)}`);
    }
    if (!Number.isSafeInteger(maxChannels) || maxChannels < 1) {
      throw new TypeError(`maxChannels must be a positive integer, got ${String(maxChannels)}`);
    }
    this.historyLimit = historyLimit;
    this.historyMaxBytes = historyMaxBytes;
    this.maxChannels = maxChannels;
    this.#closed = new ClosedChannels(closedChannelLimit);
    this.#onListenerError = onListenerError;
  }

  /**
   * Stores a message at the end of `channel` (creating the channel), evicts
   * the oldest messages server-wide while the budget is exceeded (never the
   * one just stored), then hands it to the channel's listeners.
   * @throws ChannelLimitError when the channel would be one more than `maxChannels` (nothing stored).
   * @throws TypeError when the channel name, data or event name is invalid, or
   *   the channel is closed; routes check these first, so this only guards
   *   against programming errors.
   */
  publish(channel: string, input: MessageInput): StoredMessage {
    assertChannel(channel);
    this.#assertOpen(channel);
    if (typeof input.data !== 'string') throw new TypeError('message data must be a string');
    if (input.event !== undefined) {
      const problem = typeof input.event === 'string' ? eventNameProblem(input.event) : 'event name must be a string';
      if (problem !== undefined) throw new TypeError(problem);
    }
    if (!this.canPublish(channel)) throw new ChannelLimitError(channel, this.maxChannels);
    return this.#append(this.#channels.get(channel) ?? this.#create(channel), input);
  }

  /**
   * Adds a message whose id was given elsewhere: by the shared store of a
   * cluster (reference/cluster/), which numbers every channel's messages for
   * all instances. Then it goes out as a publish does. A message this store
   * already has (id at or below the channel's latest) is ignored, so the same
   * message may come twice (from the history read at start-up and from the
   * live feed). A message further on than the next id starts the channel's
   * history afresh after it (what was in between is missing here: a cursor
   * into it gets the gap signal, never other messages). Closed channels take
   * nothing. No channel limit: the shared store enforces it.
   * @throws TypeError when the channel name or the id is invalid.
   */
  apply(channel: string, message: StoredMessage): void {
    assertChannel(channel);
    const id = parseCursor(message.id);
    if (id === undefined || id === 0) throw new TypeError(`message id ${quote(message.id)} is not a positive decimal integer`);
    if (this.#closed.has(channel)) return;
    let state = this.#channels.get(channel);
    if (state !== undefined && id <= state.history.latestId) return;
    if (state !== undefined && id > state.history.latestId + 1) this.#restart(state, id - 1);
    state ??= this.#create(channel, id - 1);
    this.#append(state, message.event === undefined ? { data: message.data } : { data: message.data, event: message.event });
  }

  /** Stores a message at the end of a channel's history, keeps the budget, tells the listeners. */
  #append(state: Channel, input: MessageInput): StoredMessage {
    const channel = state.name;
    if (!state.history.published) this.#publishedChannels += 1;
    const { size, bytes } = state.history;
    const message = state.history.append(input.data, input.event, messageBytes(input.data, input.event));
    this.#messageCount += state.history.size - size;
    this.#bytes += state.history.bytes - bytes;
    // The per-channel limit evicted one: its entry in the publish order is stale now.
    if (state.history.size === size) this.#order.markStale(1);
    this.#order.push(state, state.history.latestId);
    this.#enforceBudget(state);
    // Snapshot: a listener may unsubscribe itself (a long-poll answered once)
    // or subscribe others while we iterate.
    for (const listener of [...state.listeners]) {
      // Skip listeners removed by an earlier listener during this same dispatch.
      if (!state.listeners.has(listener)) continue;
      try {
        listener(message);
      } catch (error) {
        this.#onListenerError(error, channel);
      }
    }
    return message;
  }

  /**
   * True when a publish on `channel` would not be refused for the channel
   * limit: the channel holds (or held) messages already, or there is room
   * for one more. Routes ask before reading a body.
   */
  canPublish(channel: string): boolean {
    return this.#publishedChannels < this.maxChannels || this.#channels.get(channel)?.history.published === true;
  }

  /**
   * Reads what a client holding `cursor` has not seen. Without a cursor the
   * client starts from now: an empty batch and the latest id. Never creates a
   * channel, so polling unknown channels costs no memory. A cursor from
   * before a channel's first id (its name was dropped and the channel created
   * afresh above the floor, `"0"` included) is behind the history, so it gets
   * the gap signal: the store cannot tell it from a client that missed the
   * dropped messages.
   * @throws TypeError when `cursor` is given but malformed (routes check first).
   */
  read(channel: string, cursor: string | undefined): ReadResult {
    const history = this.#channels.get(channel)?.history;
    // A channel the store holds nothing for reads as one emptied right after the floor.
    const latest = history?.latestId ?? this.#floor;
    if (cursor === undefined) return { kind: 'batch', messages: [], cursor: String(latest) };
    const given = parseCursor(cursor);
    if (given === undefined) throw new TypeError(`cursor ${quote(cursor)} is malformed`);
    if (given > latest) return { kind: 'ahead', latest: String(latest) };
    if (given === latest) return { kind: 'batch', messages: [], cursor };
    const oldest = history?.oldestId ?? this.#floor + 1;
    // The client needs given + 1 next; if that is gone it has missed messages.
    if (given < oldest - 1) return { kind: 'expired', oldest: String(oldest) };
    return { kind: 'batch', messages: history?.after(given) ?? [], cursor: String(latest) };
  }

  /** Id of the channel's newest message; for a channel with none, the id its first message will follow (`"0"` until a channel was dropped). */
  latestId(channel: string): string {
    return String(this.#channels.get(channel)?.history.latestId ?? this.#floor);
  }

  /**
   * Calls `listener` with every message published to `channel` from now on.
   * Returns an idempotent unsubscribe; once the last listener of a channel
   * without messages leaves, the channel is forgotten.
   * @throws TypeError when the channel name is invalid or the channel is closed (routes check first).
   */
  subscribe(channel: string, listener: MessageListener): () => void {
    assertChannel(channel);
    this.#assertOpen(channel);
    const state = this.#channels.get(channel) ?? this.#create(channel);
    // A Set ignores a second add, so count only real additions.
    if (state.listeners.has(listener)) return () => this.#unsubscribe(channel, state, listener);
    state.listeners.add(listener);
    this.#listenerCount += 1;
    return () => this.#unsubscribe(channel, state, listener);
  }

  /**
   * Closes `channel` for good: its history is dropped at once, the name is
   * remembered as closed (so publish and subscribe refuse it), then every
   * close listener is called with it, so each technique ends its clients of
   * the channel. Closing a channel nobody used, or one already closed, is
   * fine (the listeners are called again; they have nothing left to end).
   * @throws TypeError when the channel name is invalid (routes check first).
   */
  close(channel: string): void {
    assertChannel(channel);
    if (this.#closed.has(channel)) {
      this.#notifyClosed(channel);
      return;
    }
    const state = this.#channels.get(channel);
    const forgotten = this.#closed.add(channel, state?.history.latestId ?? this.#floor);
    // The name closed longest ago is forgotten: its ids must not come back.
    if (forgotten !== undefined) this.#floor = Math.max(this.#floor, forgotten);
    // Listeners still subscribed keep their (now detached) record until
    // they unsubscribe, which the close listeners make them do right below.
    if (state !== undefined) this.#drop(state);
    this.#notifyClosed(channel);
  }

  #notifyClosed(channel: string): void {
    for (const listener of [...this.#closeListeners]) {
      try {
        listener(channel);
      } catch (error) {
        this.#onListenerError(error, channel);
      }
    }
  }

  /** True when `channel` was closed and its name is still remembered. */
  isClosed(channel: string): boolean {
    return this.#closed.has(channel);
  }

  /**
   * Calls `listener` with the name of every channel closed from now on
   * (techniques register once, not per channel). Returns an idempotent
   * unregister.
   */
  onClose(listener: CloseListener): () => void {
    this.#closeListeners.add(listener);
    return () => {
      this.#closeListeners.delete(listener);
    };
  }

  /** Current totals; O(1). */
  stats(): StoreStats {
    return { channels: this.#channels.size, messages: this.#messageCount, listeners: this.#listenerCount };
  }

  /** What the retained messages count against `historyMaxBytes` (see {@link messageBytes}); O(1). */
  get historyBytes(): number {
    return this.#bytes;
  }

  /** The id a channel created now starts after (see the file comment). */
  get floor(): number {
    return this.#floor;
  }

  /** Entries in the publish order, stale ones included: for tests checking it stays bounded. */
  get orderLength(): number {
    return this.#order.length;
  }

  #create(channel: string, base = this.#floor): Channel {
    const state: Channel = { name: channel, history: new History(this.historyLimit, base), listeners: new Set(), live: true };
    this.#channels.set(channel, state);
    return state;
  }

  /** Evicts the oldest messages server-wide while over budget; never the one just stored (in `current`). */
  #enforceBudget(current: Channel): void {
    while (this.#bytes > this.historyMaxBytes) {
      const oldest = this.#order.peekLive();
      if (oldest === undefined || (oldest.owner === current && oldest.id === current.history.latestId)) return;
      this.#order.shiftLive();
      const state = oldest.owner;
      this.#bytes -= state.history.dropOldest();
      this.#messageCount -= 1;
      // Emptied and nobody listening: the channel is dropped (the floor keeps its ids from coming back).
      if (state !== current && state.history.size === 0 && state.listeners.size === 0) this.#drop(state);
    }
  }

  /** Empties a channel's history and starts it again after `base`; its listeners stay (see {@link apply}). */
  #restart(state: Channel, base: number): void {
    this.#messageCount -= state.history.size;
    this.#bytes -= state.history.bytes;
    // Its entries in the publish order name ids below the new history's oldest: stale from now on.
    this.#order.markStale(state.history.size);
    if (state.history.published) this.#publishedChannels -= 1;
    state.history = new History(this.historyLimit, base);
  }

  /** Forgets a channel's state (closed, or emptied by the budget): its counts go, its ids raise the floor unless its name stays closed. */
  #drop(state: Channel): void {
    state.live = false;
    this.#messageCount -= state.history.size;
    this.#bytes -= state.history.bytes;
    this.#order.markStale(state.history.size);
    if (state.history.published) this.#publishedChannels -= 1;
    if (!this.#closed.has(state.name)) this.#floor = Math.max(this.#floor, state.history.latestId);
    if (this.#channels.get(state.name) === state) this.#channels.delete(state.name);
  }

  #unsubscribe(channel: string, state: Channel, listener: MessageListener): void {
    if (!state.listeners.delete(listener)) return;
    this.#listenerCount -= 1;
    // Only a listener-only channel is dropped: published history is kept.
    // The identity check leaves alone a newer record under the same name
    // (this one may have been detached by close()).
    if (state.listeners.size === 0 && state.history.size === 0 && state.live && this.#channels.get(channel) === state) {
      this.#drop(state);
    }
  }

  #assertOpen(channel: string): void {
    if (this.#closed.has(channel)) throw new TypeError(`channel ${quote(channel)} is closed`);
  }
}

function assertChannel(channel: string): void {
  if (!isValidChannelName(channel)) {
    throw new TypeError(`channel name ${quote(channel)} must match [A-Za-z0-9._-]{1,128}`);
  }
}

/** Whether a publish-order entry's message is still in its channel's history. */
function isRetained(entry: OrderEntry<Channel>): boolean {
  return entry.owner.live && entry.id >= entry.owner.history.oldestId;
}

function defaultListenerError(error: unknown, channel: string): void {
  console.error(`pushspec reference: a listener on channel ${channel} threw`, error);
}

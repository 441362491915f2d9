/**
 * The reference server's state: named channels, each with a bounded history
 * and a set of live listeners. Every push technique (polling, long-polling,
 * SSE; WebSocket later) reads from and subscribes to this one store, so they
 * all see the same ids in the same order. A channel can be closed for good;
 * the store remembers the name (bounded, see closed-channels.ts) and tells
 * every technique, through {@link ChannelStore.onClose}, to end its clients.
 * No fastify import: the store is plain data and can be tested on its own.
 */
import { ClosedChannels, DEFAULT_CLOSED_CHANNEL_LIMIT } from './closed-channels.ts';
import { History, type StoredMessage } from './history.ts';
import { eventNameProblem, isValidChannelName, parseCursor, quote } from './validation.ts';

export type { StoredMessage } from './history.ts';

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
  readonly history: History;
  readonly listeners: Set<MessageListener>;
}

/** In-memory channels with bounded history and synchronous publish notification. */
export class ChannelStore {
  readonly historyLimit: number;
  readonly #channels = new Map<string, Channel>();
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
      onListenerError = defaultListenerError,
    } = options;
    if (!Number.isSafeInteger(historyLimit) || historyLimit < 1) {
      throw new TypeError(`historyLimit must be a positive integer, got ${String(historyLimit)}`);
    }
    this.historyLimit = historyLimit;
    this.#closed = new ClosedChannels(closedChannelLimit);
    this.#onListenerError = onListenerError;
  }

  /**
   * Stores a message at the end of `channel` (creating the channel), then
   * hands it to the channel's listeners.
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
    const state = this.#channels.get(channel) ?? this.#create(channel);
    const before = state.history.size;
    const message = state.history.append(input.data, input.event);
    this.#messageCount += state.history.size - before;
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
   * Reads what a client holding `cursor` has not seen. Without a cursor the
   * client starts from now: an empty batch and the latest id. Never creates a
   * channel, so polling unknown channels costs no memory.
   * @throws TypeError when `cursor` is given but malformed (routes check first).
   */
  read(channel: string, cursor: string | undefined): ReadResult {
    const history = this.#channels.get(channel)?.history;
    const latest = history?.latestId ?? 0;
    if (cursor === undefined) return { kind: 'batch', messages: [], cursor: String(latest) };
    const position = parseCursor(cursor);
    if (position === undefined) throw new TypeError(`cursor ${quote(cursor)} is malformed`);
    if (position > latest) return { kind: 'ahead', latest: String(latest) };
    if (history === undefined || position === latest) return { kind: 'batch', messages: [], cursor };
    // The client needs position + 1 next; if that is gone it has missed messages.
    if (position < history.oldestId - 1) return { kind: 'expired', oldest: String(history.oldestId) };
    return { kind: 'batch', messages: history.after(position), cursor: String(latest) };
  }

  /** Id of the channel's newest message, `"0"` when it has none. */
  latestId(channel: string): string {
    return String(this.#channels.get(channel)?.history.latestId ?? 0);
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
    this.#closed.add(channel);
    const state = this.#channels.get(channel);
    if (state !== undefined) {
      this.#messageCount -= state.history.size;
      // Listeners still subscribed keep their (now detached) record until
      // they unsubscribe, which the close listeners make them do right below.
      this.#channels.delete(channel);
    }
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

  #create(channel: string): Channel {
    const state: Channel = { history: new History(this.historyLimit), listeners: new Set() };
    this.#channels.set(channel, state);
    return state;
  }

  #unsubscribe(channel: string, state: Channel, listener: MessageListener): void {
    if (!state.listeners.delete(listener)) return;
    this.#listenerCount -= 1;
    // Only a listener-only channel is dropped: published history is kept.
    // The identity check leaves alone a newer record under the same name
    // (this one may have been detached by close()).
    if (state.listeners.size === 0 && state.history.latestId === 0 && this.#channels.get(channel) === state) {
      this.#channels.delete(channel);
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

function defaultListenerError(error: unknown, channel: string): void {
  console.error(`pushspec reference: a listener on channel ${channel} threw`, error);
}

/**
 * The long-polls the reference server is holding, and what ends each hold: a
 * message on its channel, its time running out, the client going away, the
 * channel being closed for good, or the server shutting down. No fastify here: a hold is a channel, a cursor, a
 * duration and a callback, so this can be tested on its own;
 * routes/polling.ts turns a release into an HTTP answer.
 *
 * Each channel with held polls has exactly one store listener, which walks
 * that channel's held set: one publish to 10,000 held polls costs one
 * listener call, not 10,000, and reads the store once per distinct cursor.
 */
import type { ChannelStore, ReadResult } from './channel-store.ts';
import { isValidChannelName, parseCursor, quote } from './validation.ts';

/**
 * Longest hold unless configured otherwise: 25 s, below the 30 s that RFC 6202
 * (section 5.5) reports intermediaries commonly tolerate on an idle response.
 */
export const DEFAULT_MAX_HOLD_MS = 25_000;

/** Upper bound of the `maxHoldMs` option (one hour); anything longer is a typo, not a policy. */
export const MAX_HOLD_LIMIT_MS = 3_600_000;

/** Why a hold ended; handed to {@link HoldRequest.release}. */
export type HoldOutcome =
  /** A message was published on the channel; `result` is what the poll's cursor reads now. */
  | { reason: 'message'; result: ReadResult }
  /** `min(waitMs, maxHoldMs)` passed without a message. */
  | { reason: 'timeout' }
  /** {@link HeldPolls.releaseAll} or {@link HeldPolls.close} ended it (the server is shutting down). */
  | { reason: 'shutdown' }
  /** The channel was closed for good ({@link ChannelStore.close}); the poll is answered `channel_closed`. */
  | { reason: 'closed' };

/** One poll to hold. */
export interface HoldRequest {
  /** A valid channel name. */
  channel: string;
  /** The cursor the poll waits after, normally the channel's latest id. */
  cursor: string;
  /** How long the client is willing to wait, in ms; positive. Capped at {@link HeldPolls.maxHoldMs}. */
  waitMs: number;
  /**
   * Called exactly once when the hold ends (never after the hold was
   * cancelled). It may return a promise, e.g. one that settles when the
   * answer has been flushed: {@link HeldPolls.releaseAll} waits for it.
   */
  release: (outcome: HoldOutcome) => void | PromiseLike<unknown>;
}

/** Options of {@link HeldPolls}. */
export interface HeldPollsOptions {
  /** Longest hold in ms, whatever a client asks for: an integer from 1 to {@link MAX_HOLD_LIMIT_MS}. Default {@link DEFAULT_MAX_HOLD_MS}. */
  maxHoldMs?: number;
  /**
   * Called when a release callback throws or its promise rejects. The other
   * held polls are released all the same, so one broken answer can't strand
   * the rest. Default: print to stderr.
   */
  onReleaseError?: (error: unknown, channel: string) => void;
}

interface Entry {
  readonly request: HoldRequest;
  readonly holds: ChannelHolds;
  timer: ReturnType<typeof setTimeout> | undefined;
  /** False once released or cancelled: every way out checks it, so each hold ends once. */
  active: boolean;
}

/** The held polls of one channel and the single store listener serving them. */
interface ChannelHolds {
  readonly channel: string;
  readonly entries: Set<Entry>;
  unsubscribe: () => void;
}

/** Held long-polls, indexed by channel, each released once by whatever comes first. */
export class HeldPolls {
  /** The longest any poll is held, in ms. */
  readonly maxHoldMs: number;
  readonly #store: ChannelStore;
  readonly #onReleaseError: (error: unknown, channel: string) => void;
  readonly #channels = new Map<string, ChannelHolds>();
  /** Kept as a running total so count() is O(1) however many channels there are. */
  #count = 0;
  #closed = false;
  /**
   * The last broadcast, for the benchmarks (bench/servers/reference.ts
   * `stats`): how many polls it answered, and its loop's time in ms. With
   * `timeFlush` set (only the benchmark sets it), `flushedMs` also counts the
   * socket writes node defers to the end of the tick (an HTTP response corks
   * its socket until then), read at the next setImmediate. Two clock reads
   * per publish, nothing per poll.
   */
  readonly lastBroadcast = { subscribers: 0, ms: 0, flushedMs: 0, timeFlush: false };

  /** @throws TypeError when `maxHoldMs` is not an integer from 1 to {@link MAX_HOLD_LIMIT_MS}. */
  constructor(store: ChannelStore, options: HeldPollsOptions = {}) {
    const { maxHoldMs = DEFAULT_MAX_HOLD_MS, onReleaseError = defaultReleaseError } = options;
    if (!Number.isSafeInteger(maxHoldMs) || maxHoldMs < 1 || maxHoldMs > MAX_HOLD_LIMIT_MS) {
      throw new TypeError(`maxHoldMs must be a positive integer of at most ${MAX_HOLD_LIMIT_MS}, got ${String(maxHoldMs)}`);
    }
    this.#store = store;
    this.maxHoldMs = maxHoldMs;
    this.#onReleaseError = onReleaseError;
    // One close listener for all channels: closing a channel releases its holds.
    store.onClose((channel) => this.#closeChannel(channel));
  }

  /**
   * Holds a poll until the next message on its channel, `min(waitMs,
   * maxHoldMs)`, the channel being closed, or shutdown, whichever comes
   * first, then calls its release once. After {@link close} it is released
   * at once (synchronously) as `shutdown`; on a closed channel, as
   * `closed`. Returns a cancel function for a client that went away: it
   * frees the hold (timer, set entry, and the channel's store listener when
   * it was the last) without calling release; idempotent, and a no-op once
   * released.
   * @throws TypeError when the channel, cursor or waitMs is invalid (routes check first).
   */
  hold(request: HoldRequest): () => void {
    const { channel, cursor, waitMs } = request;
    if (!isValidChannelName(channel)) throw new TypeError(`channel name ${quote(channel)} must match [A-Za-z0-9._-]{1,128}`);
    if (parseCursor(cursor) === undefined) throw new TypeError(`cursor ${quote(cursor)} is malformed`);
    if (typeof waitMs !== 'number' || !(waitMs > 0)) throw new TypeError(`waitMs must be a positive number, got ${String(waitMs)}`);
    if (this.#closed) {
      void this.#release(channel, request, { reason: 'shutdown' });
      return () => {};
    }
    if (this.#store.isClosed(channel)) {
      // Routes refuse polls of closed channels first; should one slip
      // through, it ends like the holds the close released.
      void this.#release(channel, request, { reason: 'closed' });
      return () => {};
    }
    const holds = this.#channels.get(channel) ?? this.#watch(channel);
    const entry: Entry = { request, holds, timer: undefined, active: true };
    holds.entries.add(entry);
    this.#count += 1;
    entry.timer = setTimeout(() => {
      if (this.#end(entry)) void this.#release(channel, request, { reason: 'timeout' });
    }, Math.min(waitMs, this.maxHoldMs));
    return () => {
      this.#end(entry);
    };
  }

  /** Polls currently held, across all channels; O(1). */
  count(): number {
    return this.#count;
  }

  /**
   * Releases every held poll as `shutdown`. Resolves once every release
   * (and any promise it returned) has settled; never rejects.
   */
  releaseAll(): Promise<void> {
    const pending: Array<Promise<void>> = [];
    for (const holds of [...this.#channels.values()]) {
      for (const entry of [...holds.entries]) {
        if (this.#end(entry)) pending.push(this.#release(holds.channel, entry.request, { reason: 'shutdown' }));
      }
    }
    return Promise.all(pending).then(() => undefined);
  }

  /**
   * Shutdown: {@link releaseAll}, and from now on every new hold is released
   * at once as `shutdown`, so a request that slips in while the server closes
   * is not held past it.
   */
  close(): Promise<void> {
    this.#closed = true;
    return this.releaseAll();
  }

  /**
   * The channel was closed for good: releases every poll held on it as
   * `closed`, synchronously inside the close, so no hold outlives the
   * channel.
   */
  #closeChannel(channel: string): void {
    const holds = this.#channels.get(channel);
    if (holds === undefined) return;
    for (const entry of [...holds.entries]) {
      if (this.#end(entry)) void this.#release(channel, entry.request, { reason: 'closed' });
    }
  }

  /** Starts serving a channel: one store listener for all its held polls. */
  #watch(channel: string): ChannelHolds {
    const holds: ChannelHolds = { channel, entries: new Set(), unsubscribe: () => {} };
    holds.unsubscribe = this.#store.subscribe(channel, () => this.#wake(holds));
    this.#channels.set(channel, holds);
    return holds;
  }

  /**
   * A message arrived: releases every poll held on the channel right now,
   * synchronously inside the publish, so no later message can slip between
   * the publish and the read (the cursor cannot expire before it is read).
   * Polls held with the same cursor share one read.
   */
  #wake(holds: ChannelHolds): void {
    const started = performance.now();
    let released = 0;
    const reads = new Map<string, ReadResult>();
    // Snapshot: a release may hold or cancel other polls on this channel.
    for (const entry of [...holds.entries]) {
      if (!this.#end(entry)) continue;
      const { cursor } = entry.request;
      let result = reads.get(cursor);
      if (result === undefined) {
        result = this.#store.read(holds.channel, cursor);
        reads.set(cursor, result);
      }
      void this.#release(holds.channel, entry.request, { reason: 'message', result });
      released += 1;
    }
    this.lastBroadcast.subscribers = released;
    this.lastBroadcast.ms = performance.now() - started;
    if (this.lastBroadcast.timeFlush) setImmediate(() => (this.lastBroadcast.flushedMs = performance.now() - started));
  }

  /**
   * Forgets a hold: its timer, its set entry and, with the channel's last
   * hold, the store listener. Returns false when it had already ended.
   */
  #end(entry: Entry): boolean {
    if (!entry.active) return false;
    entry.active = false;
    clearTimeout(entry.timer);
    const { holds } = entry;
    holds.entries.delete(entry);
    this.#count -= 1;
    if (holds.entries.size === 0) {
      // The last hold of the channel: a later one starts a fresh record.
      holds.unsubscribe();
      this.#channels.delete(holds.channel);
    }
    return true;
  }

  /** Calls release, routing a throw or a rejection to onReleaseError; the promise never rejects. */
  #release(channel: string, request: HoldRequest, outcome: HoldOutcome): Promise<void> {
    const report = (error: unknown): void => {
      try {
        this.#onReleaseError(error, channel);
      } catch {
        // A failing error reporter must not stop the other releases.
      }
    };
    try {
      const returned = request.release(outcome);
      if (returned !== undefined && returned !== null && typeof returned.then === 'function') {
        return Promise.resolve(returned).then(() => undefined, report);
      }
    } catch (error) {
      report(error);
    }
    return Promise.resolve();
  }
}

function defaultReleaseError(error: unknown, channel: string): void {
  console.error(`pushspec reference: answering a held poll on channel ${channel} failed`, error);
}

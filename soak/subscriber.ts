/**
 * What the soak asks of a subscriber, whatever its technique: take a position
 * in the channel, collect what arrives, survive being cut (resuming from its
 * position where the adapter declares it can), and close everything at the end.
 */
import { pause } from '../core/wait.ts';
import type { Receipt } from './accounting.ts';

/** The soak's messages carry their publish sequence number: `soak-<n>`. */
export const SOAK_DATA = /^soak-(\d+)$/;

/** The data of the soak's message number `seq`. */
export function soakData(seq: number): string {
  return `soak-${seq}`;
}

/** Errors kept word for word per subscriber; the rest are only counted. */
const ERROR_CAP = 5;

export interface Subscriber {
  readonly name: string;
  /** Every soak message received, in arrival order (repeats included). */
  readonly receipts: Receipt[];
  /** Connections opened again after a cut or after the server ended one. */
  readonly reconnects: number;
  /** Failed requests or connections (the first few word for word). */
  readonly errors: { count: number; first: string[] };
  /** Resolves once the subscriber holds its position: what is published from then on is due to it. */
  start(): Promise<void>;
  /** Cuts the connection abruptly; the subscriber reconnects and resumes from its position. */
  cut(): void;
  /** Stops and closes every connection; resolves once they are closed. */
  stop(): Promise<void>;
}

/** The bookkeeping every subscriber shares. */
export abstract class SubscriberBase {
  readonly receipts: Receipt[] = [];
  reconnects = 0;
  readonly errors = { count: 0, first: [] as string[] };
  protected stopped = false;
  readonly name: string;

  constructor(name: string) {
    this.name = name;
  }

  /** Keeps a received message if it is one of the soak's (anything else on the channel is not counted). */
  protected take(data: string, atMs: number): void {
    const match = SOAK_DATA.exec(data);
    if (match !== null) this.receipts.push({ seq: Number(match[1]), atMs });
  }

  protected failed(what: string): void {
    this.errors.count += 1;
    if (this.errors.first.length < ERROR_CAP) this.errors.first.push(what);
  }
}

/**
 * A subscriber on one long-lived connection (an event stream, a WebSocket):
 * reopened after a cut or when the server ends it, one reopening at a time,
 * again and again (with a pause) until it is up or the subscriber stops.
 */
export abstract class ReconnectingSubscriber extends SubscriberBase {
  private reopening: Promise<void> | undefined;
  /** Pause before reopening a connection the server ended or refused. */
  protected abstract readonly retryDelayMs: number;

  /** Opens the connection from the subscriber's position; never rejects (a failure is counted, and the connection is then down). */
  protected abstract open(): Promise<void>;
  /** The connection is not (or no longer) up. */
  protected abstract isDown(): boolean;
  /** Drops the current connection without ceremony. */
  protected abstract teardown(): void;

  protected get isReopening(): boolean {
    return this.reopening !== undefined;
  }

  /** Reopens after `afterMs`, unless a reopening is already under way (which then covers this one). */
  protected scheduleReopen(afterMs: number): void {
    if (this.stopped || this.reopening !== undefined) return;
    this.teardown();
    this.reconnects += 1;
    const attempt = (async () => {
      await pause(afterMs, () => this.stopped);
      if (!this.stopped) await this.open();
    })();
    this.reopening = attempt;
    void attempt.finally(() => {
      this.reopening = undefined;
      // Ended again while opening (refused, or closed at once): try again after the pause.
      if (!this.stopped && this.isDown()) this.scheduleReopen(this.retryDelayMs);
    });
  }

  cut(): void {
    if (this.stopped || this.reopening !== undefined) return;
    this.scheduleReopen(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    while (this.reopening !== undefined) await this.reopening;
    this.teardown();
  }
}

/**
 * What a cluster scenario (docs/model.md M-11) works with, whatever the
 * technique: the instances' contexts (one channel, one transcript), publishing
 * on instance k, stopping and starting instance k; and what each technique
 * provides for it, subscribers that can be opened on any instance and resume
 * there from a position another instance gave (techniques/<t>/cluster-actions.ts).
 * The World builds the scene; the technique's cluster actions see only this.
 */
import type { ScenarioContext } from './context.ts';
import type { PublishedMessage } from './publisher.ts';

/** A message published on one instance of the cluster. */
export interface ClusterPublished extends PublishedMessage {
  /** The instance it was published on, 1..N. */
  instance: number;
}

/** The cluster as a scenario sees it. Instances are numbered 1..N. */
export interface ClusterScene {
  readonly size: number;
  /** Instance k's base URL. */
  baseUrl(k: number): string;
  /** The scenario on instance k: the same channel and transcript, the server at instance k's base URL. */
  instance(k: number): ScenarioContext;
  /** Publishes one message, its data unique to the scenario, on instance k; resolves once acknowledged. */
  publishOn(k: number): Promise<ClusterPublished>;
  /** Every acknowledged publish of the scenario, in publish order, whatever the instance. */
  readonly published: readonly ClusterPublished[];
}

/** A message as a subscriber received it. */
export interface ClusterReceipt {
  data: string;
  /** The id the instance gave it (an event id, a message id), when the technique shows one. */
  id?: string;
}

/**
 * A technique's subscribers on a cluster. A subscriber is named; it may leave
 * one instance and subscribe on another from a position it got on the first:
 * what it receives is kept across instances, in arrival order.
 */
export interface ClusterSubscribers {
  /**
   * Subscribes `name` on instance k, from `position` when given (only what was
   * published after it), else from now; resolves once the subscription is in place.
   */
  subscribe(name: string, k: number, position?: string): Promise<void>;
  /** Everything `name` received so far, on every instance it subscribed on, in arrival order. */
  received(name: string): ClusterReceipt[];
  /** Where `name` would resume: the position after the last message it received (undefined: none yet). */
  position(name: string): string | undefined;
  /** Waits until `name` received every one of `data`, or the deadline passed (the check then says what is missing). */
  waitFor(name: string, data: readonly string[], deadlineMs: number): Promise<void>;
  /** Ends `name`'s subscription on its current instance (its connection, its poll loop). */
  leave(name: string): Promise<void>;
  /** Closes everything; called when the scenario ends. */
  close(): Promise<void>;
}

/**
 * The bookkeeping every technique's subscribers share: one set of the
 * technique's actions per instance, made on first use and closed together, and
 * for each named subscriber what it opened (a stream, a connection, a poll
 * loop), instance after instance, in order.
 */
export class SubscriberBook<A extends { close(): unknown }, S> {
  readonly #make: (k: number) => A;
  readonly #perInstance = new Map<number, A>();
  readonly #opened = new Map<string, S[]>();

  /** @param make builds the technique's actions on instance k. */
  constructor(make: (k: number) => A) {
    this.#make = make;
  }

  /** The actions on instance k. */
  on(k: number): A {
    let actions = this.#perInstance.get(k);
    if (actions === undefined) {
      actions = this.#make(k);
      this.#perInstance.set(k, actions);
    }
    return actions;
  }

  /** A name for `name`'s next subscription on instance k: `a (instance 2, stream 2)` from its second on. */
  label(name: string, k: number, what: string): string {
    const count = this.opened(name).length;
    return `${name} (instance ${k}${count > 0 ? `, ${what} ${count + 1}` : ''})`;
  }

  add(name: string, opened: S): void {
    this.#opened.set(name, [...this.opened(name), opened]);
  }

  /** Everything `name` opened, oldest first. */
  opened(name: string): readonly S[] {
    return this.#opened.get(name) ?? [];
  }

  /** Every subscription of every subscriber. */
  all(): S[] {
    return [...this.#opened.values()].flat();
  }

  /** `name`'s latest subscription. @throws Error when it has none. */
  current(name: string): S {
    const current = this.opened(name).at(-1);
    if (current === undefined) throw new Error(`${name} has not subscribed`);
    return current;
  }

  /** Closes the actions of every instance. */
  async closeAll(): Promise<void> {
    await Promise.all([...this.#perInstance.values()].map((actions) => actions.close()));
  }
}

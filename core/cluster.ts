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

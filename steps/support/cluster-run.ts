/**
 * One cluster scenario (docs/model.md M-11), whatever the technique: the
 * instances' contexts, publishing on instance k, stopping and starting an
 * instance, and the four runs the cluster requirements make with the
 * technique's subscribers (techniques/<t>/cluster-actions.ts). The World
 * creates it on first use; what it records goes to the scenario's transcript,
 * and the shared check (core/cluster-checks.ts) judges what it returns.
 */
import { waitUntilReady } from '../../adapters/contract/launch/readiness.ts';
import type { ClusterControl } from '../../adapters/contract/cluster-control.ts';
import type { ClusterPublished, ClusterScene, ClusterSubscribers } from '../../core/cluster.ts';
import type { DeliveryExpectation, SubscriberRecord } from '../../core/cluster-checks.ts';
import type { ScenarioContext } from '../../core/context.ts';
import { ANSWER_DEADLINE_MS } from '../../core/context.ts';
import type { TlsTrust } from '../../core/tls.ts';
import { ConformanceFailure } from '../../core/failure.ts';
import { pause, waitUntil, Signal } from '../../core/wait.ts';

/** Messages the fan-out publishes, round-robin over the instances. */
export const FANOUT_MESSAGES = 10;
/** How long every subscriber has to receive what it is owed, once publishing ended. */
const DELIVERY_DEADLINE_MS = 10_000;
/** How long the failover's clients have for the first messages, before their instance is stopped (the check judges them all later). */
const FIRST_DELIVERY_DEADLINE_MS = 5_000;
/** How long a stopped instance has to answer again once started. */
const RESTART_DEADLINE_MS = 30_000;
/** The pace of the continuous publisher during a failover: each publish is awaited, then this pause (the pace is the scenario, not a wait). */
const FAILOVER_PACE_MS = 25;
/** Acknowledged publishes before the instance is stopped, and publishes answered (acknowledged or refused) after the clients resumed. */
const FAILOVER_BEFORE = 5;
const FAILOVER_AFTER = 5;

/** What a run gives the shared check: the rule's expectation, and each subscriber's receipts. */
export interface ClusterOutcome {
  expectation: DeliveryExpectation;
  subscribers: SubscriberRecord[];
  /** Publishes that were refused or got no answer, `instance k: why`: PUBLISH-DOWN fails on any. */
  refused: string[];
}

export class ClusterRun implements ClusterScene {
  readonly published: ClusterPublished[] = [];
  /** The data of publishes that were refused or got no answer: M-11 lets them be missing (or arrive). */
  readonly unacknowledged = new Set<string>();
  private attempts = 0;
  /** Why a subscriber could not resume where it was sent (the instance refused its position), by name. */
  private readonly resumeProblems = new Map<string, string>();
  private readonly contexts = new Map<number, ScenarioContext>();
  private readonly stopped = new Set<number>();
  /** Notifies whenever a publish is answered, acknowledged or refused. */
  private readonly answered = new Signal();
  private subscribersMade: ClusterSubscribers | undefined;
  private readonly scenario: ScenarioContext;
  private readonly control: ClusterControl;
  private readonly makeSubscribers: (scene: ClusterScene) => ClusterSubscribers;
  private readonly tls: TlsTrust | undefined;
  /** The cluster's own number of the scenario's instance k, at k - 1. */
  private readonly order: number[];

  /**
   * `first`: the cluster's instance the single-server requirements check
   * (`--instance`). It is the scenario's instance 1, and the others follow it
   * in turn, so the instance a scenario stops (its instance 2) is never the one
   * the rest of the run talks to: work detached from its scenario (the
   * WebSocket echo cases' pool) may still be talking to it.
   */
  constructor(scenario: ScenarioContext, control: ClusterControl, makeSubscribers: (scene: ClusterScene) => ClusterSubscribers, tls: TlsTrust | undefined, first = 1) {
    this.scenario = scenario;
    this.control = control;
    this.makeSubscribers = makeSubscribers;
    this.tls = tls;
    const size = control.baseUrls.length;
    this.order = Array.from({ length: size }, (_, i) => ((first - 1 + i) % size) + 1);
    if (first !== 1) scenario.transcript.note(`the scenario's instances 1 to ${size} are the cluster's instances ${this.order.join(', ')} (--instance ${first} is its instance 1)`);
  }

  get size(): number {
    return this.control.baseUrls.length;
  }

  baseUrl(k: number): string {
    const url = this.control.baseUrls[this.physical(k) - 1];
    if (url === undefined) throw new RangeError(`the cluster has instances 1 to ${this.size}, not ${k}`);
    return url;
  }

  /** The cluster's own number of the scenario's instance k. */
  private physical(k: number): number {
    const n = this.order[k - 1];
    if (n === undefined) throw new RangeError(`the cluster has instances 1 to ${this.size}, not ${k}`);
    return n;
  }

  instance(k: number): ScenarioContext {
    let context = this.contexts.get(k);
    if (context === undefined) {
      context = this.scenario.onInstance(this.baseUrl(k));
      this.contexts.set(k, context);
    }
    return context;
  }

  async publishOn(k: number): Promise<ClusterPublished> {
    this.attempts += 1;
    const data = `c${String(this.attempts).padStart(3, '0')}-i${k}-${this.scenario.channel.slice(-6)}`;
    const acknowledged = await this.instance(k).publishData(data).catch((error: unknown) => {
      this.unacknowledged.add(data);
      throw error;
    });
    const message = { ...acknowledged, instance: k };
    this.published.push(message);
    this.answered.notify();
    return message;
  }

  /** The technique's subscribers, made on first use. */
  get subscribers(): ClusterSubscribers {
    this.subscribersMade ??= this.makeSubscribers(this);
    return this.subscribersMade;
  }

  /** Stops instance k and notes how long it took. */
  async stopInstance(k: number): Promise<void> {
    const started = performance.now();
    this.stopped.add(k);
    await this.control.stopInstance(this.physical(k));
    this.scenario.transcript.note(`instance ${k} (${this.baseUrl(k)}) stopped in ${Math.round(performance.now() - started)} ms`);
  }

  /** Starts instance k again and waits until it answers HTTP, so later cases have the whole cluster. */
  async startInstance(k: number): Promise<void> {
    const started = performance.now();
    await this.control.startInstance(this.physical(k));
    const ready = await waitUntilReady(this.baseUrl(k), RESTART_DEADLINE_MS, new Promise<string>(() => {}), this.tls);
    if (ready.kind !== 'ready') throw new Error(`instance ${k} (${this.baseUrl(k)}) was started again but does not answer: ${JSON.stringify(ready)}`);
    this.stopped.delete(k);
    this.scenario.transcript.note(`instance ${k} started again and answering after ${Math.round(performance.now() - started)} ms`);
  }

  /** FANOUT: a subscriber on every instance; messages published round-robin over the instances. */
  async fanOut(count = FANOUT_MESSAGES): Promise<ClusterOutcome> {
    const names = this.instanceNumbers().map((k) => `subscriber on instance ${k}`);
    for (const [i, name] of names.entries()) await this.subscribers.subscribe(name, i + 1);
    for (let i = 0; i < count; i++) await this.publishOn((i % this.size) + 1);
    const owed = this.published.map((m) => m.data);
    await this.deliveredTo(names, owed);
    return {
      expectation: { expected: `every subscriber, one on each of the ${this.size} instances, to receive the ${count} messages published round-robin on them once each, in publish order, under the same id on every instance`, owed, sameIds: true },
      subscribers: names.map((name) => ({ label: `the ${name}`, received: this.subscribers.received(name) })),
      refused: [],
    };
  }

  /** RESUME: receive some on instance 1, leave, more are published, resume on instance 2 from instance 1's position. */
  async resumeElsewhere(): Promise<ClusterOutcome> {
    const name = 'client';
    await this.subscribers.subscribe(name, 1);
    for (let i = 0; i < 3; i++) await this.publishOn(1);
    await this.deliveredTo([name], this.published.map((m) => m.data));
    const position = this.subscribers.position(name);
    const before = this.subscribers.received(name).length;
    await this.subscribers.leave(name);
    this.scenario.transcript.note(`the client left instance 1 at position ${JSON.stringify(position)}`);
    for (let i = 0; i < 4; i++) await this.publishOn((i % this.size) + 1);
    const missed = this.published.slice(3).map((m) => m.data);
    await this.resume(name, 2, position);
    await this.deliveredTo([name], missed);
    return {
      expectation: { expected: `the client, resuming on instance 2 from the position instance 1 gave it (${JSON.stringify(position)}), to receive exactly the ${missed.length} messages published while it was away, once each, in publish order`, owed: missed },
      subscribers: [this.record(name, 'the client on instance 2', before)],
      refused: [],
    };
  }

  /**
   * FAILOVER: clients on instance 2 while instance 1 publishes without pause;
   * instance 2 stops; the clients resume on instance 3 (instance 1 in a
   * cluster of two) from their positions; instance 2 is started again at the end.
   */
  async failover(): Promise<ClusterOutcome> {
    const names = ['client a', 'client b'];
    const elsewhere = this.size >= 3 ? 3 : 1;
    for (const name of names) await this.subscribers.subscribe(name, 2);
    const refused: string[] = [];
    let publishing = true;
    // Publishes that ended, acknowledged or not: a cluster may refuse publishes while one instance is down (M-11
    // lets those be missing), so the run goes on by attempts, not by acknowledgements, once the instance stopped.
    let settled = 0;
    const publisher = (async () => {
      while (publishing) {
        await this.publishOn(1).catch((error: Error) => refused.push(`instance 1: ${error.message}`));
        settled += 1;
        this.answered.notify();
        await pause(FAILOVER_PACE_MS);
      }
    })();
    try {
      await this.acknowledgedCount(FAILOVER_BEFORE);
      await this.deliveredTo(names, this.published.slice(0, FAILOVER_BEFORE).map((m) => m.data), FIRST_DELIVERY_DEADLINE_MS);
      await this.stopInstance(2);
      for (const name of names) {
        const position = this.subscribers.position(name);
        await this.subscribers.leave(name);
        await this.resume(name, elsewhere, position);
        this.scenario.transcript.note(`${name} resumed on instance ${elsewhere} from position ${JSON.stringify(position)}`);
      }
      const resumedAt = settled;
      await waitUntil(() => settled >= resumedAt + FAILOVER_AFTER, {
        what: `${FAILOVER_AFTER} more publishes answered on instance 1 after the clients resumed`,
        deadlineMs: ANSWER_DEADLINE_MS * (FAILOVER_AFTER + 1),
        seen: () => `${settled - resumedAt} answered`,
        signal: this.answered,
      });
    } finally {
      publishing = false;
      await publisher;
    }
    if (refused.length > 0) this.scenario.transcript.note(`instance 1 refused ${refused.length} publish(es) during the failover (M-11 lets them be missing): ${refused[0]}`);
    const owed = this.published.map((m) => m.data);
    await this.deliveredTo(names, owed);
    await this.startInstance(2);
    return {
      expectation: { expected: `each client, moved from instance 2 (stopped mid-stream) to instance ${elsewhere} with its last position, to have received every one of the ${owed.length} messages instance 1 acknowledged, none twice, in publish order (a publish it refused may be missing)`, owed, mayMiss: this.unacknowledged },
      subscribers: names.map((name) => this.record(name, name)),
      refused,
    };
  }

  /** PUBLISH-DOWN: instance 2 stopped; publishes on instances 1 and 3 must be accepted and reach subscribers there. */
  async publishWhileOneIsDown(count = 6): Promise<ClusterOutcome> {
    const up = this.instanceNumbers().filter((k) => k !== 2);
    const names = up.map((k) => `subscriber on instance ${k}`);
    for (const [i, name] of names.entries()) await this.subscribers.subscribe(name, up[i]!);
    await this.stopInstance(2);
    const refused: string[] = [];
    for (let i = 0; i < count; i++) {
      const k = up[i % up.length]!;
      await this.publishOn(k).catch((error: Error) => refused.push(`instance ${k}: ${error.message}`));
    }
    const owed = this.published.map((m) => m.data);
    await this.deliveredTo(names, owed);
    await this.startInstance(2);
    return {
      expectation: { expected: `with instance 2 stopped, the ${count} publishes on instances ${up.join(' and ')} to be accepted and to reach the subscriber on each of them, once each, in publish order`, owed },
      subscribers: names.map((name) => ({ label: `the ${name}`, received: this.subscribers.received(name) })),
      refused,
    };
  }

  /** Closes the subscribers, and starts again any instance a scenario cut short left stopped. */
  async close(): Promise<void> {
    await this.subscribersMade?.close();
    for (const k of [...this.stopped]) {
      await this.startInstance(k).catch((error: Error) => this.scenario.transcript.note(`instance ${k} could not be started again: ${error.message}`));
    }
  }

  /**
   * Subscribes `name` on instance k from `position`. An instance that refuses
   * the position (a handshake or poll answered 4xx) is noted, for the check
   * to say beside what the subscriber received, and the scenario goes on.
   */
  private async resume(name: string, k: number, position: string | undefined): Promise<void> {
    try {
      await this.subscribers.subscribe(name, k, position);
    } catch (error) {
      const why = error instanceof ConformanceFailure ? error.actual : (error as Error).message;
      this.resumeProblems.set(name, `resuming on instance ${k} from ${JSON.stringify(position)} failed: ${why}`);
      this.scenario.transcript.note(`${name}: ${this.resumeProblems.get(name)}`);
    }
  }

  /** `name`'s receipts (from `from` on) for the check, with the problem its resumption met. */
  private record(name: string, label: string, from = 0): SubscriberRecord {
    const note = this.resumeProblems.get(name);
    return { label, received: this.subscribers.received(name).slice(from), ...(note !== undefined ? { note } : {}) };
  }

  private instanceNumbers(): number[] {
    return Array.from({ length: this.size }, (_, i) => i + 1);
  }

  /** Waits, with a deadline, until every subscriber of `names` has every one of `data` (the check says what is missing if not). */
  private async deliveredTo(names: readonly string[], data: readonly string[], deadlineMs = DELIVERY_DEADLINE_MS): Promise<void> {
    await Promise.all(names.map((name) => this.subscribers.waitFor(name, data, deadlineMs)));
  }

  private acknowledgedCount(count: number): Promise<void> {
    return waitUntil(() => this.published.length >= count, {
      what: `${count} publish(es) acknowledged`,
      deadlineMs: ANSWER_DEADLINE_MS * 2,
      seen: () => `${this.published.length} acknowledged`,
      signal: this.answered,
    });
  }
}

/**
 * Polling subscribers on a cluster's instances (docs/model.md M-11), for Ajax
 * polling and long-polling alike: each is the technique's poll client in a
 * loop on one instance; it resumes on another with the cursor the first gave
 * it. A loop ends when its subscriber leaves, or when a poll fails (the
 * instance went away): the cursor it holds then is its position.
 */
import { SubscriberBook, type ClusterReceipt, type ClusterScene, type ClusterSubscribers } from '../../core/cluster.ts';
import type { ScenarioContext } from '../../core/context.ts';
import { pause, waitUntil } from '../../core/wait.ts';
import type { PollActions } from './poll-actions.ts';

/** The Ajax poller's interval in a cluster scenario: often enough that ten messages take well under a second. */
const POLL_PACE_MS = 50;

/** The Ajax polling subscribers of one cluster scenario: a poll every {@link POLL_PACE_MS}. */
export function pollingClusterSubscribers(scene: ClusterScene, makeActions: (context: ScenarioContext) => PollActions): ClusterSubscribers {
  return new PollClusterSubscribers(scene, makeActions, POLL_PACE_MS);
}

/** How often a wait looks at what the loops received: polls are fetched, so nothing signals them. */
const LOOK_EVERY_MS = 20;

/** One poll loop a subscriber ran: on which instance's actions, as which client. */
interface Loop {
  actions: PollActions;
  client: string;
  abort: AbortController;
  done: Promise<void>;
  left: boolean;
  /** Why the loop ended on its own (a failed poll), once it did. */
  ended?: string;
}

export class PollClusterSubscribers implements ClusterSubscribers {
  private readonly scene: ClusterScene;
  /** Pause between one answer and the next poll: the Ajax poller's interval; 0 for long-polls, which the server holds. */
  private readonly paceMs: number;
  /** The technique's poll client on each instance's context, and each subscriber's loops. */
  private readonly book: SubscriberBook<PollActions, Loop>;

  constructor(scene: ClusterScene, makeActions: (context: ScenarioContext) => PollActions, paceMs: number) {
    this.scene = scene;
    this.book = new SubscriberBook((k) => makeActions(scene.instance(k)));
    this.paceMs = paceMs;
  }

  async subscribe(name: string, k: number, position?: string): Promise<void> {
    const actions = this.book.on(k);
    const client = this.book.label(name, k, 'loop');
    if (position !== undefined) actions.client(client).cursor = position;
    // From now: the first poll without a cursor answers at once and gives the cursor to go on from.
    else await actions.pollWithoutCursor(client);
    const loop: Loop = { actions, client, abort: new AbortController(), done: Promise.resolve(), left: false };
    loop.done = this.run(loop);
    this.book.add(name, loop);
  }

  received(name: string): ClusterReceipt[] {
    return this.book.opened(name).flatMap(({ actions, client }) =>
      actions.client(client).received.map((m) => ({ data: m.data, ...(m.id !== undefined ? { id: m.id } : {}) })),
    );
  }

  position(name: string): string | undefined {
    const loop = this.book.opened(name).at(-1);
    return loop === undefined ? undefined : loop.actions.client(loop.client).cursor;
  }

  async waitFor(name: string, data: readonly string[], deadlineMs: number): Promise<void> {
    const loop = this.book.current(name);
    await waitUntil(
      () => {
        const got = new Set(this.received(name).map((r) => r.data));
        return data.every((d) => got.has(d));
      },
      {
        what: `${data.length} message(s)`,
        deadlineMs,
        everyMs: LOOK_EVERY_MS,
        seen: () => `${this.received(name).length} message(s) received`,
        endedFirst: () => loop.ended,
      },
    ).catch(() => undefined); // the check says what is missing
  }

  async leave(name: string): Promise<void> {
    const loop = this.book.current(name);
    loop.left = true;
    loop.abort.abort();
    await loop.done;
  }

  async close(): Promise<void> {
    for (const loop of this.book.all()) {
      loop.left = true;
      loop.abort.abort();
    }
    await Promise.all(this.book.all().map((loop) => loop.done));
    await this.book.closeAll();
  }

  /** Polls until the subscriber leaves or a poll fails; what it received stays in its client. */
  private async run(loop: Loop): Promise<void> {
    const transcript = this.scene.instance(1).transcript;
    while (!loop.left) {
      try {
        const answer = await loop.actions.poll(loop.client, { signal: loop.abort.signal });
        if (answer.kind === 'error' || answer.kind === 'invalid') {
          loop.ended = `${loop.client}'s poll was answered ${answer.status}${answer.problem !== undefined ? ` (${answer.problem})` : ''}`;
          break;
        }
        if (this.paceMs > 0) await pause(this.paceMs, () => loop.left);
      } catch (error) {
        if (!loop.left) loop.ended = `${loop.client}'s poll failed: ${(error as Error).message}`;
        break;
      }
    }
    if (loop.ended !== undefined) transcript.note(`${loop.ended}; its loop ends there`);
  }
}

/**
 * Server-Sent Events subscribers on a cluster's instances (docs/model.md
 * M-11): each is the strict reader's stream on one instance; it resumes on
 * another with the last event id it got there, sent as `Last-Event-ID`, as a
 * browser's EventSource does when the load balancer moves it.
 */
import { SubscriberBook, type ClusterReceipt, type ClusterScene, type ClusterSubscribers } from '../../core/cluster.ts';
import { SseActions } from './actions.ts';
import type { ResolvedSse } from './adapter.ts';

/** One stream a subscriber opened: on which instance's actions, under which name. */
interface Segment {
  actions: SseActions;
  stream: string;
}

export class SseClusterSubscribers implements ClusterSubscribers {
  private readonly spec: ResolvedSse;
  /** The stream reader of the technique on each instance's context, and each subscriber's streams. */
  private readonly book: SubscriberBook<SseActions, Segment>;

  constructor(scene: ClusterScene, spec: ResolvedSse) {
    this.spec = spec;
    this.book = new SubscriberBook((k) => new SseActions(scene.instance(k), spec));
  }

  async subscribe(name: string, k: number, position?: string): Promise<void> {
    const actions = this.book.on(k);
    const stream = this.book.label(name, k, 'stream');
    await actions.open(stream, position !== undefined ? { lastEventId: position } : {});
    this.book.add(name, { actions, stream });
  }

  /** The events of every stream `name` opened; the declared gap event is a signal, not a message, and is left out. */
  received(name: string): ClusterReceipt[] {
    return this.book.opened(name).flatMap(({ actions, stream }) =>
      actions
        .view(stream)
        .events.filter((e) => this.spec.gapEvent === undefined || e.type !== this.spec.gapEvent)
        .map((e) => ({ data: actions.decode(e.data), ...(e.idField !== undefined ? { id: e.idField } : {}) })),
    );
  }

  position(name: string): string | undefined {
    return [...this.received(name)].reverse().find((r) => r.id !== undefined)?.id;
  }

  async waitFor(name: string, data: readonly string[], deadlineMs: number): Promise<void> {
    const current = this.book.current(name);
    const has = (): boolean => {
      const got = new Set(this.received(name).map((r) => r.data));
      return data.every((d) => got.has(d));
    };
    // The stream's own wait ends early when it ends; the check then says what is missing.
    await current.actions.waitForStream(current.stream, has, `${data.length} message(s)`, deadlineMs).catch(() => undefined);
  }

  async leave(name: string): Promise<void> {
    const current = this.book.current(name);
    current.actions.closeStream(current.stream);
  }

  async close(): Promise<void> {
    await this.book.closeAll();
  }
}

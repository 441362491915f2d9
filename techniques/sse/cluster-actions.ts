/**
 * Server-Sent Events subscribers on a cluster's instances (docs/model.md
 * M-11): each is the strict reader's stream on one instance; it resumes on
 * another with the last event id it got there, sent as `Last-Event-ID`, as a
 * browser's EventSource does when the load balancer moves it.
 */
import type { ClusterReceipt, ClusterScene, ClusterSubscribers } from '../../core/cluster.ts';
import { SseActions } from './actions.ts';
import type { ResolvedSse } from './adapter.ts';

/** One stream a subscriber opened: on which instance's actions, under which name. */
interface Segment {
  actions: SseActions;
  stream: string;
}

export class SseClusterSubscribers implements ClusterSubscribers {
  private readonly scene: ClusterScene;
  private readonly spec: ResolvedSse;
  private readonly perInstance = new Map<number, SseActions>();
  private readonly segments = new Map<string, Segment[]>();

  constructor(scene: ClusterScene, spec: ResolvedSse) {
    this.scene = scene;
    this.spec = spec;
  }

  async subscribe(name: string, k: number, position?: string): Promise<void> {
    const actions = this.on(k);
    const list = this.segments.get(name) ?? [];
    const stream = `${name} (instance ${k}${list.length > 0 ? `, stream ${list.length + 1}` : ''})`;
    await actions.open(stream, position !== undefined ? { lastEventId: position } : {});
    list.push({ actions, stream });
    this.segments.set(name, list);
  }

  /** The events of every stream `name` opened; the declared gap event is a signal, not a message, and is left out. */
  received(name: string): ClusterReceipt[] {
    return (this.segments.get(name) ?? []).flatMap(({ actions, stream }) =>
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
    const current = this.current(name);
    const has = (): boolean => {
      const got = new Set(this.received(name).map((r) => r.data));
      return data.every((d) => got.has(d));
    };
    // The stream's own wait ends early when it ends; the check then says what is missing.
    await current.actions.waitForStream(current.stream, has, `${data.length} message(s)`, deadlineMs).catch(() => undefined);
  }

  async leave(name: string): Promise<void> {
    const current = this.current(name);
    current.actions.closeStream(current.stream);
  }

  async close(): Promise<void> {
    await Promise.all([...this.perInstance.values()].map((a) => a.close()));
  }

  /** The SSE actions on instance k: the stream reader of the technique, on that instance's context. */
  private on(k: number): SseActions {
    let actions = this.perInstance.get(k);
    if (actions === undefined) {
      actions = new SseActions(this.scene.instance(k), this.spec);
      this.perInstance.set(k, actions);
    }
    return actions;
  }

  private current(name: string): Segment {
    const current = this.segments.get(name)?.at(-1);
    if (current === undefined) throw new Error(`${name} has not subscribed`);
    return current;
  }
}

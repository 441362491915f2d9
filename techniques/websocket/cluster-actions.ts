/**
 * WebSocket subscribers on a cluster's instances (docs/model.md M-11): each is
 * a connection to the channel endpoint of one instance, read by the raw
 * client; it resumes on another instance with the id of the last message it
 * got, in the declared cursor parameter (`?cursor=`).
 */
import type { ClusterReceipt, ClusterScene, ClusterSubscribers } from '../../core/cluster.ts';
import { WebSocketActions } from './actions.ts';
import type { ResolvedWebSocket } from './adapter.ts';

/** One connection a subscriber opened: on which instance's actions, under which name. */
interface Segment {
  actions: WebSocketActions;
  connection: string;
}

export class WebSocketClusterSubscribers implements ClusterSubscribers {
  private readonly scene: ClusterScene;
  private readonly spec: ResolvedWebSocket;
  private readonly perInstance = new Map<number, WebSocketActions>();
  private readonly segments = new Map<string, Segment[]>();

  constructor(scene: ClusterScene, spec: ResolvedWebSocket) {
    this.scene = scene;
    this.spec = spec;
  }

  async subscribe(name: string, k: number, position?: string): Promise<void> {
    const actions = this.on(k);
    const list = this.segments.get(name) ?? [];
    const connection = `${name} (instance ${k}${list.length > 0 ? `, connection ${list.length + 1}` : ''})`;
    const cursor = this.spec.cursorParam;
    if (position !== undefined && cursor === undefined) throw new Error('the adapter declares no cursor parameter (the @ws-resume tag should have skipped this)');
    await actions.channel.connect(connection, position !== undefined && cursor !== undefined ? { [cursor]: position } : undefined);
    list.push({ actions, connection });
    this.segments.set(name, list);
  }

  received(name: string): ClusterReceipt[] {
    return (this.segments.get(name) ?? []).flatMap(({ actions, connection }) =>
      actions.channel.messagesOf(connection).map((m) => ({ data: m.data, ...(m.id !== undefined ? { id: m.id } : {}) })),
    );
  }

  position(name: string): string | undefined {
    return [...this.received(name)].reverse().find((r) => r.id !== undefined)?.id;
  }

  async waitFor(name: string, data: readonly string[], deadlineMs: number): Promise<void> {
    const { actions, connection } = this.current(name);
    const ws = actions.client(connection);
    const has = (): boolean => {
      const got = new Set(this.received(name).map((r) => r.data));
      return data.every((d) => got.has(d));
    };
    await ws.inbox.until(has, deadlineMs, `${data.length} message(s)`, () => ws.describe()).catch(() => undefined); // the check says what is missing
  }

  async leave(name: string): Promise<void> {
    const { actions, connection } = this.current(name);
    actions.client(connection).destroy();
  }

  async close(): Promise<void> {
    await Promise.all([...this.perInstance.values()].map((a) => a.close()));
  }

  /** The WebSocket actions on instance k: the raw client of the technique, on that instance's context. */
  private on(k: number): WebSocketActions {
    let actions = this.perInstance.get(k);
    if (actions === undefined) {
      actions = new WebSocketActions(this.scene.instance(k), this.spec);
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

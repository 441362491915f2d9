/**
 * WebSocket subscribers on a cluster's instances (docs/model.md M-11): each is
 * a connection to the channel endpoint of one instance, read by the raw
 * client; it resumes on another instance with the id of the last message it
 * got, in the declared cursor parameter (`?cursor=`).
 */
import { SubscriberBook, type ClusterReceipt, type ClusterScene, type ClusterSubscribers } from '../../core/cluster.ts';
import { WebSocketActions } from './actions.ts';
import type { ResolvedWebSocket } from './adapter.ts';

/** One connection a subscriber opened: on which instance's actions, under which name. */
interface Segment {
  actions: WebSocketActions;
  connection: string;
}

export class WebSocketClusterSubscribers implements ClusterSubscribers {
  private readonly spec: ResolvedWebSocket;
  /** The raw client of the technique on each instance's context, and each subscriber's connections. */
  private readonly book: SubscriberBook<WebSocketActions, Segment>;

  constructor(scene: ClusterScene, spec: ResolvedWebSocket) {
    this.spec = spec;
    this.book = new SubscriberBook((k) => new WebSocketActions(scene.instance(k), spec));
  }

  async subscribe(name: string, k: number, position?: string): Promise<void> {
    const actions = this.book.on(k);
    const connection = this.book.label(name, k, 'connection');
    const cursor = this.spec.cursorParam;
    if (position !== undefined && cursor === undefined) throw new Error('the adapter declares no cursor parameter (the @ws-resume tag should have skipped this)');
    await actions.channel.connect(connection, position !== undefined && cursor !== undefined ? { [cursor]: position } : undefined);
    this.book.add(name, { actions, connection });
  }

  received(name: string): ClusterReceipt[] {
    return this.book.opened(name).flatMap(({ actions, connection }) =>
      actions.channel.messagesOf(connection).map((m) => ({ data: m.data, ...(m.id !== undefined ? { id: m.id } : {}) })),
    );
  }

  position(name: string): string | undefined {
    return [...this.received(name)].reverse().find((r) => r.id !== undefined)?.id;
  }

  async waitFor(name: string, data: readonly string[], deadlineMs: number): Promise<void> {
    const { actions, connection } = this.book.current(name);
    const ws = actions.client(connection);
    const has = (): boolean => {
      const got = new Set(this.received(name).map((r) => r.data));
      return data.every((d) => got.has(d));
    };
    await ws.inbox.until(has, deadlineMs, `${data.length} message(s)`, () => ws.describe()).catch(() => undefined); // the check says what is missing
  }

  async leave(name: string): Promise<void> {
    const { actions, connection } = this.book.current(name);
    actions.client(connection).destroy();
  }

  async close(): Promise<void> {
    await this.book.closeAll();
  }
}

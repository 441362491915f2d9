/**
 * The WebSocket channel behind faults on the path (core/fault-proxy.ts, model
 * M-10): a client that reconnects with its cursor after every cut, while
 * thousands of messages are published; and an idle connection through an
 * intermediary that cuts what stays silent.
 */
import type { ScenarioContext } from '../../core/context.ts';
import type { FaultProxy } from '../../core/fault-proxy.ts';
import { dataOf, randomResets, runThroughResets, type IdleThroughTimeout, type ResetRun } from '../../core/fault-runs.ts';
import { idlePlan } from '../../core/idle-watch.ts';
import { duration } from '../../core/progress.ts';
import { Signal, waitUntil } from '../../core/wait.ts';
import type { ResolvedWebSocket } from './adapter.ts';
import type { ChannelActions } from './channel-actions.ts';
import type { RawWebSocket } from './raw-client.ts';

/** A connection must open, or a message arrive, well within this. */
const CONNECT_DEADLINE_MS = 5000;

/** Connections in a row that deliver nothing before the follower gives up (a server that refuses to resume). */
const FRUITLESS_CONNECTIONS = 20;

export class WebSocketFaults {
  private readonly context: ScenarioContext;
  private readonly spec: ResolvedWebSocket;
  private readonly channel: ChannelActions;
  private readonly connection: (name?: string) => RawWebSocket;
  private proxy: FaultProxy | undefined;
  private idleTimeoutMs: number | undefined;
  /** The exactly-once run, once done. */
  resetRun: ResetRun | undefined;

  constructor(context: ScenarioContext, spec: ResolvedWebSocket, channel: ChannelActions, connection: (name?: string) => RawWebSocket) {
    this.context = context;
    this.spec = spec;
    this.channel = channel;
    this.connection = connection;
  }

  /** Cuts each connection after 8-32 KiB have reached the client: some 10 cuts over 5,000 JSON frames. */
  async throughRandomCuts(): Promise<void> {
    this.proxy = await this.context.throughFaults(randomResets(8 * 1024, 32 * 1024));
  }

  /**
   * Publishes `count` messages while the client follows the channel: after
   * every cut it reconnects at once with the cursor of the last message it received.
   */
  async followThroughCuts(count: number): Promise<ResetRun> {
    const proxy = this.requireProxy();
    const changes = new Signal();
    let connected = false;
    const follow = async (stopped: () => boolean): Promise<void> => {
      let fruitless = 0;
      while (!stopped() && fruitless < FRUITLESS_CONNECTIONS) {
        const before = this.channel.messagesOf().length;
        const last = this.channel.messagesOf().at(-1)?.id;
        try {
          await this.channel.connect('client', last === undefined ? undefined : { [this.spec.cursorParam!]: last });
          connected = true;
          changes.notify();
          const ws = this.connection();
          const unsubscribe = ws.inbox.changes.subscribe(() => changes.notify());
          await ws.inbox.until(() => ws.tcpClosedAtMs !== undefined || stopped(), 60_000, 'the connection to be cut', () => ws.describe()).catch(() => undefined);
          unsubscribe();
          ws.destroy();
        } catch {
          // A handshake the proxy cut: connect again.
        }
        fruitless = this.channel.messagesOf().length > before ? 0 : fruitless + 1;
        changes.notify();
      }
    };
    const follower = { follow, changes, received: dataOf(() => this.channel.messagesOf(), (m) => m.data) };
    const subscribed = (): Promise<void> =>
      waitUntil(() => connected, { what: 'the client connected to the channel', deadlineMs: CONNECT_DEADLINE_MS, seen: () => 'not connected', signal: changes });
    this.resetRun = await runThroughResets(this.context, proxy, follower, subscribed, count);
    return this.resetRun;
  }

  /**
   * An intermediary that cuts a connection silent for twice the declared ping
   * interval plus the idle watch's slack (model M-10): the 15 s / 30 s ratio
   * of WHATWG HTML §9.2.7's advice, scaled to the declared interval.
   */
  async throughIdleTimeout(): Promise<void> {
    const plan = idlePlan(this.spec.pingIntervalMs!);
    this.idleTimeoutMs = 2 * plan.intervalMs + plan.slackMs;
    this.proxy = await this.context.throughFaults({ idleTimeoutMs: this.idleTimeoutMs });
    this.context.transcript.figure('intermediary idle timeout', this.idleTimeoutMs, 'ms');
  }

  /** Stays idle for the idle timeout plus one ping interval, or until the connection ends. */
  async stayIdlePastTimeout(): Promise<void> {
    const ws = this.connection();
    const waitMs = this.idleTimeoutMs! + this.spec.pingIntervalMs!;
    this.context.announceWait('idle through an intermediary with an idle timeout', waitMs, `the idle timeout ${duration(this.idleTimeoutMs!)} + one ping interval`);
    await ws.inbox.until(() => ws.tcpClosedAtMs !== undefined, waitMs, 'the connection to end', () => ws.describe()).catch(() => undefined);
  }

  /** Whether the connection survived and the last published message arrived on it. */
  async afterIdle(): Promise<IdleThroughTimeout> {
    const ws = this.connection();
    const last = this.context.published.at(-1)!.data;
    const arrived = (): boolean => this.channel.messagesOf().some((m) => m.data === last);
    await ws.inbox.until(arrived, CONNECT_DEADLINE_MS, 'the message to arrive', () => ws.describe()).catch(() => undefined);
    const cut = this.requireProxy().connections.find((c) => c.ended !== undefined)?.ended;
    return { idleTimeoutMs: this.idleTimeoutMs!, cut, arrived: arrived(), connection: ws.describe() };
  }

  private requireProxy(): FaultProxy {
    if (this.proxy === undefined) throw new Error('the scenario put no fault proxy on the path');
    return this.proxy;
  }
}

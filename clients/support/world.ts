/**
 * The World of the client checks: per scenario, the client adapter, the
 * scenario's transcript, and each technique's client-side actions (which
 * start scripted servers and the client under test). Steps talk only to it.
 */
import { setDefaultTimeout, setWorldConstructor, World, type IWorldOptions } from '@cucumber/cucumber';
import { loadClientAdapter, type ClientAdapter } from '../contract/adapter.ts';
import type { ClientHost } from '../contract/client-process.ts';
import type { ConformanceFailure } from '../../core/failure.ts';
import { Transcript } from '../../core/transcript.ts';
import { SseClientActions } from '../../techniques/sse/client-side/actions.ts';
import { WsClientActions } from '../../techniques/websocket/client-side/actions.ts';
import { PollClientActions } from '../../techniques/polling/client-side/actions.ts';
import type { ClientParameters } from './parameters.ts';

/** A backstop for a step; every wait inside one has its own, shorter deadline. */
setDefaultTimeout(60_000);

const adapters = new Map<string, Promise<ClientAdapter>>();

/** Something a scenario started and must end: a client process, a scripted server. */
export interface Closable {
  close(): Promise<void>;
}

export class ClientWorld extends World<ClientParameters> {
  readonly transcript = new Transcript();
  client!: ClientAdapter;
  failure: ConformanceFailure | undefined;
  unsupported: string | undefined;
  notRun: string | undefined;
  private readonly closables: Closable[] = [];
  private sseActions: SseClientActions | undefined;
  private wsActions: WsClientActions | undefined;
  private longPollingActions: PollClientActions | undefined;
  private pollingActions: PollClientActions | undefined;

  constructor(options: IWorldOptions<ClientParameters>) {
    super(options);
  }

  /** Loads the client adapter (once per process). */
  async prepare(): Promise<ClientAdapter> {
    const file = this.parameters.client.file;
    let loading = adapters.get(file);
    if (loading === undefined) {
      loading = loadClientAdapter(file);
      adapters.set(file, loading);
    }
    this.client = await loading;
    return this.client;
  }

  /** What each technique's client-side actions get: the adapter, the transcript, and what to end with the scenario. */
  private get host(): ClientHost {
    return { client: this.client, transcript: this.transcript, onClose: (c) => this.onClose(c) };
  }

  /** Ends `closable` when the scenario ends. */
  onClose<T extends Closable>(closable: T): T {
    this.closables.push(closable);
    return closable;
  }

  get sse(): SseClientActions {
    this.sseActions ??= new SseClientActions(this.host);
    return this.sseActions;
  }

  get websocket(): WsClientActions {
    this.wsActions ??= new WsClientActions(this.host);
    return this.wsActions;
  }

  /** Long-polling clients: the scripted long-poll server's plan, the client, what both saw. */
  get longPolling(): PollClientActions {
    this.longPollingActions ??= new PollClientActions(this.host, 'longPolling');
    return this.longPollingActions;
  }

  /** Polling clients: the scripted poll server's plan, the client, what both saw. */
  get polling(): PollClientActions {
    this.pollingActions ??= new PollClientActions(this.host, 'polling');
    return this.pollingActions;
  }

  /** Whichever of {@link longPolling} and {@link polling} the scenario set up, for the steps they share. */
  get pollClient(): PollClientActions {
    const actions = this.longPollingActions ?? this.pollingActions;
    if (actions === undefined) throw new Error('no poll server was planned: a step must set up the long-poll or poll server first');
    return actions;
  }

  /** Ends every client and server the scenario started, the last started first. */
  async close(): Promise<void> {
    for (const closable of this.closables.reverse()) await closable.close().catch(() => undefined);
    this.closables.length = 0;
  }
}

setWorldConstructor(ClientWorld);

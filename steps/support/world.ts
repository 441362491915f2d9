/**
 * The one World every step talks to. Per scenario it loads the adapter,
 * composes the scenario's context (core/context.ts: channel, transcript,
 * publisher) and hands each technique's section to that technique's actions,
 * created on first use. Steps reach the actions through `this.actions.<technique>`;
 * the actions never see the World.
 */
import { setDefaultTimeout, setWorldConstructor, World, type IWorldOptions } from '@cucumber/cucumber';
import { adapterFromDefinition, loadAdapterFile } from '../../adapters/contract/load.ts';
import type { ResolvedAdapter } from '../../adapters/contract/resolve.ts';
import { ScenarioContext } from '../../core/context.ts';
import type { PartObservation } from '../../core/evidence.ts';
import type { ConformanceFailure } from '../../core/failure.ts';
import { PROGRESS_MEDIA_TYPE } from '../../core/progress.ts';
import type { PublishedMessage } from '../../core/publisher.ts';
import { ONE_BYTE_WRITES } from '../../core/fault-runs.ts';
import type { H2HeaderBlocks } from '../../core/transcript.ts';
import { joinTrust, readCertificates, type TlsTrust } from '../../core/tls.ts';
import type { PollActions } from '../../techniques/polling/poll-actions.ts';
import { TECHNIQUE_MODULES, techniqueModule, type ActionsOf, type Technique } from '../../techniques/registry.ts';
import type { PushParameters } from '../parameters.ts';
import { commandControl, launchedClusterControl } from '../../adapters/contract/cluster-control.ts';
import { ClusterRun } from './cluster-run.ts';

/**
 * Cucumber's fixed timeout is off: step-deadline.ts gives every step a
 * backstop sized to the times the adapter declares. Every wait inside a step
 * has its own, shorter deadline.
 */
setDefaultTimeout(-1);

/** Each technique's actions, by the technique's adapter field. */
export type TechniqueActions = { readonly [K in Technique]: ActionsOf<K> };

const adapters = new Map<string, Promise<ResolvedAdapter>>();

/** A requirement id tag (`@SSE-KEEPALIVE`); technique, level and capability tags are lower-case. */
const REQUIREMENT_TAG = /^@[A-Z]+-[A-Z0-9-]+$/;

/** The certificates of the files the runner names (`--ca`, the embedded reference's own); it read them already, so a problem here is a bug. */
function trustOf(files: readonly string[]): TlsTrust | undefined {
  if (files.length === 0) return undefined;
  const pems = files.map((file) => {
    const read = readCertificates(file);
    if ('problem' in read) throw new Error(`a certificate file the runner checked cannot be read now: ${read.problem}`);
    return read.pem;
  });
  return { ca: pems.join('\n'), files };
}

/** Loads the adapter once per process; every scenario reuses it. */
function resolveAdapter(parameters: PushParameters): Promise<ResolvedAdapter> {
  const key = JSON.stringify(parameters);
  let adapter = adapters.get(key);
  if (adapter === undefined) {
    const source = parameters.adapter;
    const loaded = 'file' in source ? loadAdapterFile(source.file) : Promise.resolve(adapterFromDefinition(source.inline, '(inline adapter)'));
    adapter = loaded.then((a) => {
      const tls = joinTrust(a.tls, trustOf(parameters.caFiles ?? []));
      // A cluster's instances are known once the run launched (or reached) them.
      const cluster = a.cluster === undefined ? undefined : { ...a.cluster, ...(parameters.clusterBaseUrls !== undefined ? { baseUrls: parameters.clusterBaseUrls } : {}) };
      return { ...a, baseUrl: parameters.baseUrl, ...(tls !== undefined ? { tls } : {}), ...(cluster !== undefined ? { cluster } : {}) };
    });
    adapters.set(key, adapter);
  }
  return adapter;
}

export class PushWorld extends World<PushParameters> {
  /** The first requirement check that did not hold: the Expected/Actual of the report. */
  failure: ConformanceFailure | undefined;
  /** Set by the Before hook when the adapter lacks what the scenario needs. */
  unsupported: string | undefined;
  /** Set when the run stopped before or while the scenario ran (core/run-control.ts): why it was not judged. */
  notRun: string | undefined;
  /** The technique of the scenario's feature (its technique tag), set by the Before hook. */
  technique: Technique | undefined;
  /** Each technique's actions, created on first use from the adapter's section. */
  readonly actions: TechniqueActions;
  private resolved: ResolvedAdapter | undefined;
  private context: ScenarioContext | undefined;
  private readonly created = new Map<Technique, unknown>();
  private clusterRun: ClusterRun | undefined;

  constructor(options: IWorldOptions<PushParameters>) {
    super(options);
    const getters = TECHNIQUE_MODULES.map((m) => [m.key, { get: () => this.actionsOf(m.key), enumerable: true }] as const);
    this.actions = Object.defineProperties({}, Object.fromEntries(getters)) as TechniqueActions;
  }

  /**
   * Loads the adapter and opens the scenario's context; called by the first
   * Before hook with the scenario's tags. Progress lines name the requirement
   * (its id tag) and travel as attachments, which the runner sees at once.
   */
  async prepare(tags: readonly string[] = []): Promise<ResolvedAdapter> {
    this.resolved = await resolveAdapter(this.parameters);
    const label = tags.find((tag) => REQUIREMENT_TAG.test(tag))?.slice(1);
    this.context = new ScenarioContext(
      { name: this.resolved.name, baseUrl: this.resolved.baseUrl, publish: this.resolved.publish, ...(this.resolved.tls !== undefined ? { tls: this.resolved.tls } : {}) },
      { ...(label !== undefined ? { label } : {}), progress: (line) => this.attach(line, PROGRESS_MEDIA_TYPE) },
    );
    return this.resolved;
  }

  /** The adapter once the Before hook has loaded it, for the step backstop. */
  get loadedAdapter(): ResolvedAdapter | undefined {
    return this.resolved;
  }

  get adapter(): ResolvedAdapter {
    if (this.resolved === undefined) throw new Error('the adapter is not loaded yet (the Before hook loads it)');
    return this.resolved;
  }

  /** The scenario's channel, transcript and publisher. */
  get scenario(): ScenarioContext {
    if (this.context === undefined) throw new Error('the scenario has no context yet (the Before hook opens it)');
    return this.context;
  }

  /** The polling clients of the scenario's technique: phrases Ajax polling and long-polling share go through here. */
  get polls(): PollActions {
    if (this.technique === 'longPolling' || this.technique === 'polling') return this.actions[this.technique];
    throw new Error(`a polling phrase in a scenario of technique ${this.technique ?? '(none)'}`);
  }

  /**
   * The cluster (docs/model.md M-11), made on first use: the instances, the
   * launched cluster's control (or the adapter's stop / start commands), and
   * the scenario's technique's subscribers. The Before hook skips `@cluster`
   * scenarios of an adapter without one.
   */
  get cluster(): ClusterRun {
    if (this.clusterRun === undefined) {
      const cluster = this.adapter.cluster;
      const key = this.technique;
      if (cluster?.baseUrls === undefined || key === undefined) throw new Error('a cluster phrase without a cluster or a technique (the @cluster tag should have skipped this)');
      const control = launchedClusterControl() ?? commandControl(cluster, cluster.baseUrls);
      const technique = techniqueModule(key);
      const section = (this.adapter as unknown as Record<string, unknown>)[key];
      const first = control.baseUrls.indexOf(this.adapter.baseUrl) + 1;
      const run = new ClusterRun(this.scenario, control, (scene) => technique.clusterSubscribers(scene, section), this.adapter.tls, Math.max(first, 1));
      this.scenario.onClose(() => run.close());
      this.clusterRun = run;
    }
    return this.clusterRun;
  }

  /** Every message published in this scenario, in publish order. */
  get published(): readonly PublishedMessage[] {
    return this.scenario.published;
  }

  /** What the header blocks the servers sent over HTTP/2 in this scenario held (core/h2-header-filter.ts). */
  get http2HeaderBlocks(): H2HeaderBlocks {
    return this.scenario.transcript.h2HeaderBlocks;
  }

  /** Puts an intermediary that writes every byte on its own (both ways) between the scenario's clients and the server. */
  async throughOneByteWrites(): Promise<void> {
    await this.scenario.throughFaults(ONE_BYTE_WRITES);
  }

  /** Publishes `count` distinct messages one after another, each acknowledged before the next. */
  publishMessages(count: number): Promise<PublishedMessage[]> {
    return this.scenario.publishMessages(count);
  }

  /**
   * Publishes `count` messages one after another while the long-polling
   * client moves its session onto a WebSocket, once a third has been
   * published: some arrive over the polls, the rest over the socket.
   */
  async upgradeWhilePublishing(count: number): Promise<void> {
    const polls = this.actions.longPolling;
    const polling = polls.keepPolling('client');
    const publishing = this.publishMessages(count);
    await this.scenario.publisher.waitForCount(Math.ceil(count / 3), 10_000);
    try {
      await this.actions.websocket.channel.connectUpgraded('client', await polls.client('client').sessionValues());
    } finally {
      await polling.stop();
      await publishing;
    }
  }

  /** What the upgraded client received over its polls and then its WebSocket, against the last `count` published; recorded as figures. */
  async receivedAcrossUpgrade(count: number): Promise<{ overPolls: string[]; overSocket: string[]; owed: string[] }> {
    const overPolls = this.actions.longPolling.client('client').received.map((m) => m.data);
    const owed = this.published.slice(-count).map((m) => m.data);
    const overSocket = (await this.actions.websocket.channel.receivedOrSoFar('client', Math.max(1, count - overPolls.length))).map((m) => m.data);
    this.scenario.transcript.figure('messages over the polls', overPolls.length, '');
    this.scenario.transcript.figure('messages over the WebSocket', overSocket.length, '');
    return { overPolls, overSocket, owed };
  }

  /**
   * Keeps what a check observed about parts of other requirements (a SHOULD
   * inside a MUST case): each is reported as a result of its own requirement.
   */
  observe(parts: readonly PartObservation[]): void {
    for (const part of parts) this.scenario.transcript.observe(part);
  }

  /** Closes every connection the scenario opened: cucumber waits for the event loop to drain. */
  async close(): Promise<void> {
    await this.context?.close();
  }

  private actionsOf<K extends Technique>(key: K): ActionsOf<K> {
    let actions = this.created.get(key) as ActionsOf<K> | undefined;
    if (actions === undefined) {
      const technique = techniqueModule(key);
      const section = (this.adapter as unknown as Record<string, unknown>)[key];
      // The Before hook skips scenarios whose technique is not declared; reaching here without it is a bug.
      if (section === undefined) throw new Error(`the adapter declares no ${technique.what} ("${key}")`);
      const created = technique.actions(this.scenario, section) as ActionsOf<K>;
      this.scenario.onClose(() => created.close());
      this.created.set(key, created);
      actions = created;
    }
    return actions;
  }
}

setWorldConstructor(PushWorld);

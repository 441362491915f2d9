/**
 * What polling clients do in a scenario, for both Ajax polling and
 * long-polling: join, poll, catch up, poll while messages are published.
 * Steps call these through the World; the checks then judge what was recorded.
 * Actions see the scenario's context, never the World.
 * The techniques differ only in how a poll is made ({@link PollProfile}).
 */
import type { Client } from 'undici';
import { versionedClient } from '../../core/http-version.ts';
import { missedDeadline } from '../../core/wait.ts';
import { checkReadableWhileCatchingUp } from './poll-checks.ts';
import { PollClient, type PollAnswer } from './poll-client.ts';
import type { PollEndpoint } from './poll-endpoint.ts';
import type { PublishedMessage } from '../../core/publisher.ts';
import { ANSWER_DEADLINE_MS, type ScenarioContext } from '../../core/context.ts';

/** Catching up must end: a server that never answers "nothing new" fails instead of looping. */
const CATCH_UP_DEADLINE_MS = 30_000;

/** How a technique polls: what hold it asks for, how long an answer may take, what it declares. */
export interface PollProfile {
  /** Hold asked for on an ordinary poll (long-polling only). */
  waitMs?: number;
  /** Hold asked for while catching up: 0 lets a long-polling server answer "nothing new" at once. */
  catchUpWaitMs?: number;
  /** Deadline of one poll. */
  deadlineMs: number;
  /** A cursor value the server must refuse as malformed. */
  malformedCursor: string;
  /** Where a first poll without a cursor starts. */
  start: 'newest' | 'oldest';
}

export class PollActions {
  protected readonly context: ScenarioContext;
  protected readonly endpoint: PollEndpoint;
  protected readonly profile: PollProfile;
  private readonly clients = new Map<string, PollClient>();
  /** How many messages had been published when each client caught up. */
  private readonly joinedAt = new Map<string, number>();
  /** How many messages had been published at each client's first poll without a cursor. */
  private readonly firstPollAt = new Map<string, number>();
  /** The answer the last step was about ("that answer"). */
  lastAnswer: PollAnswer | undefined;
  private shared: Client | undefined;
  /** Clients that poll on the one shared connection once made (see {@link shareConnection}). */
  private readonly onShared = new Set<string>();

  /** `names`, when first used, poll on one shared connection (over HTTP/2: streams of one connection, as a page's are). */
  shareConnection(names: readonly string[]): void {
    for (const name of names) this.onShared.add(name);
  }
  replayed: [PollAnswer, PollAnswer] | undefined;

  constructor(context: ScenarioContext, endpoint: PollEndpoint, profile: PollProfile) {
    this.context = context;
    this.endpoint = endpoint;
    this.profile = profile;
  }

  /** The status that means "nothing new" for this technique (200: an empty batch). */
  get emptyStatus(): number {
    return this.endpoint.emptyStatus;
  }

  /** Where a first poll without a cursor starts, as declared. */
  get start(): 'newest' | 'oldest' {
    return this.profile.start;
  }

  /**
   * The one connection clients made with `onSharedConnection` poll on, as a
   * page's requests share one over HTTP/2; created on first use.
   */
  private sharedConnection(): Client {
    this.shared ??= versionedClient(new URL(this.endpoint.path, this.context.clientBaseUrl).origin, {
      version: this.endpoint.version,
      tls: this.context.clientTls,
      onConnection: (origin, how) => this.context.transcript.note(`the shared connection to ${origin}: ${how}`),
      onHeaderBlock: (block) => this.context.transcript.recordH2HeaderBlock(block),
    });
    return this.shared;
  }

  /**
   * The client called `name`, created on first use; `sharing`: on that client's
   * session (a second tab); `onSharedConnection`: on the one shared connection.
   */
  client(name: string, sharing?: string, onSharedConnection = false): PollClient {
    let client = this.clients.get(name);
    if (client === undefined) {
      const other = sharing === undefined ? undefined : this.client(sharing);
      const shared = onSharedConnection || this.onShared.has(name);
      const target = { baseUrl: this.context.clientBaseUrl, channel: this.context.channel, tls: this.context.clientTls, ...(shared ? { connection: this.sharedConnection() } : {}) };
      client = new PollClient(name, this.endpoint, target, this.context.transcript, other);
      this.clients.set(name, client);
    }
    return client;
  }

  /** The answer the last step was about ("that answer"). */
  get answer(): PollAnswer {
    if (this.lastAnswer === undefined) throw new Error('no poll was made before this step');
    return this.lastAnswer;
  }

  /** The last answer, with how long it took recorded as a figure. */
  timedAnswer(figure = 'answer time'): PollAnswer {
    const answer = this.answer;
    this.context.transcript.figure(figure, answer.endedAtMs - answer.startedAtMs, 'ms');
    return answer;
  }

  /** Polls once with the client's cursor, or with the one given (`null`: none). */
  async poll(name: string, options: { cursor?: string | null; waitMs?: number; signal?: AbortSignal; sharing?: string; onSharedConnection?: boolean } = {}): Promise<PollAnswer> {
    if (options.sharing !== undefined || options.onSharedConnection === true) this.client(name, options.sharing, options.onSharedConnection === true);
    const waitMs = options.waitMs ?? this.profile.waitMs;
    this.lastAnswer = await this.client(name).poll({
      deadlineMs: this.profile.deadlineMs,
      ...(options.cursor !== undefined ? { cursor: options.cursor } : {}),
      ...(waitMs !== undefined ? { waitMs } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return this.lastAnswer;
  }

  /** Several clients join at once (a server with a fixed hold makes each join take a whole hold). */
  async joinAll(names: readonly string[]): Promise<void> {
    const results = await Promise.allSettled(names.map((name) => this.join(name)));
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** A new client's first poll carries no cursor: it starts where the server declares. */
  pollWithoutCursor(name: string): Promise<PollAnswer> {
    if (!this.firstPollAt.has(name)) this.firstPollAt.set(name, this.context.published.length);
    return this.poll(name, { cursor: null, ...this.catchUpWait() });
  }

  /** Polls until an answer says nothing is new; every answer on the way must be readable. */
  async catchUp(name: string): Promise<void> {
    const until = performance.now() + CATCH_UP_DEADLINE_MS;
    for (;;) {
      const answer = await this.poll(name, this.catchUpWait());
      if (answer.kind === 'empty') return;
      checkReadableWhileCatchingUp(name, answer);
      if (performance.now() > until) {
        throw missedDeadline(`${name} to catch up`, CATCH_UP_DEADLINE_MS, `still receiving after ${this.client(name).answers.length} polls`);
      }
    }
  }

  /** A client joins: it catches up from no cursor, and is owed every message published from then on. */
  async join(name: string): Promise<void> {
    const first = await this.pollWithoutCursor(name);
    if (first.kind !== 'empty') await this.catchUp(name);
    this.joinedAt.set(name, this.context.published.length);
    // What it got while joining belongs to the history before it, not to what it is owed.
    this.client(name).received.length = 0;
  }

  /** The last answer `name` received. */
  lastAnswerOf(name: string): PollAnswer {
    const answer = this.client(name).answers.at(-1);
    if (answer === undefined) throw new Error(`${name} never polled`);
    return answer;
  }

  /** The clients that joined, in the order they did. */
  joinedNames(): string[] {
    return [...this.joinedAt.keys()];
  }

  /** The messages published since `name` caught up. */
  owedTo(name: string): PublishedMessage[] {
    return this.context.published.slice(this.joinedAt.get(name) ?? 0);
  }

  /** The messages published before a client's first poll, and those after. */
  splitAtFirstPoll(name: string): { before: PublishedMessage[]; after: PublishedMessage[] } {
    const at = this.firstPollAt.get(name);
    if (at === undefined) throw new Error(`${name} never polled without a cursor`);
    return { before: this.context.published.slice(0, at), after: this.context.published.slice(at) };
  }

  /** Polls with the cursor the adapter declares malformed, as a client of its own. */
  pollWithMalformedCursor(name: string): Promise<PollAnswer> {
    const malformed = this.profile.malformedCursor;
    if (this.endpoint.cursor.in !== 'validators') return this.poll(name, { cursor: malformed });
    // With validators the malformed part travels as If-None-Match, beside a well-formed
    // If-Modified-Since: a server whose cursor is the pair (Nchan) then sees a whole cursor with a
    // bad tag, not half a cursor; a server that reads one validator is unaffected, as
    // If-None-Match makes a recipient ignore If-Modified-Since (RFC 9110 §13.1.3).
    return this.poll(name, { cursor: JSON.stringify({ etag: malformed, lastModified: new Date().toUTCString() }) });
  }

  async pollTwiceWithSameCursor(name: string): Promise<void> {
    const cursor = this.client(name).cursor ?? null;
    const first = await this.poll(name, { cursor });
    const second = await this.poll(name, { cursor });
    this.replayed = [first, second];
  }

  /**
   * Polls in the background, one poll after another, until `stop()`; `stop()`
   * resolves once the poll in flight has ended (its answer is kept). A poll
   * that fails ends the loop, and `stop()` then rejects with its failure.
   */
  keepPolling(name: string): { stop: () => Promise<void> } {
    let stopping = false;
    const loop = (async () => {
      while (!stopping) await this.poll(name);
    })();
    return {
      stop: async () => {
        stopping = true;
        await loop;
      },
    };
  }

  async pollTimes(name: string, times: number): Promise<void> {
    for (let i = 0; i < times; i++) await this.poll(name);
  }

  /**
   * Publishes `count` messages one after another while `name` keeps polling,
   * then lets the client catch up. The gap between an answer and the next
   * poll is where servers lose messages, so whenever the client has all it is
   * owed, it sends its next poll only once a message was published after the
   * last answer: such a gap always holds one. A client that is behind polls
   * again at once.
   */
  async publishWhilePolling(name: string, count: number): Promise<void> {
    let publishing = true;
    const publisher = this.context.publishMessages(count).finally(() => {
      publishing = false;
    });
    const poller = (async () => {
      while (publishing) {
        await this.poll(name);
        const atAnswer = this.context.published.length;
        const caughtUp = this.client(name).received.length >= this.owedTo(name).length;
        if (caughtUp) await Promise.race([this.context.publisher.waitForCount(atAnswer + 1, ANSWER_DEADLINE_MS + 1000), publisher]);
      }
    })();
    const firstAnswer = this.client(name).answers.length;
    await settleBoth(publisher, poller);
    await this.catchUp(name);
    this.recordCost(this.client(name).answers.slice(firstAnswer), count);
  }

  /** What delivering `messages` cost: requests and response body bytes per message (the technique comparison's figures). */
  recordCost(answers: readonly PollAnswer[], messages: number): void {
    if (messages === 0) return;
    const bytes = answers.reduce((sum, a) => sum + Buffer.byteLength(a.body), 0);
    this.context.transcript.figure('requests per message', answers.length / messages, '');
    this.context.transcript.figure('bytes per message', bytes / messages, 'B');
  }

  /** How many TCP connections `name`'s polls needed (a figure for the report), and how many polls it made. */
  connectionsUsed(name: string): { connections: number; polls: number } {
    const client = this.client(name);
    this.context.transcript.figure('connections', client.connections, '');
    return { connections: client.connections, polls: client.answers.length };
  }

  async close(): Promise<void> {
    await Promise.all([...this.clients.values()].map((c) => c.close()));
    await this.shared?.destroy();
  }

  private catchUpWait(): { waitMs?: number } {
    return this.profile.catchUpWaitMs !== undefined ? { waitMs: this.profile.catchUpWaitMs } : {};
  }
}

/** Waits for both tasks; if either failed, the first failure is rethrown once both have stopped. */
export async function settleBoth(a: Promise<unknown>, b: Promise<unknown>): Promise<void> {
  const [first, second] = await Promise.allSettled([a, b]);
  if (first.status === 'rejected') throw first.reason;
  if (second.status === 'rejected') throw second.reason;
}

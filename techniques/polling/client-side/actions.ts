/**
 * Polling and long-polling clients under test: pushspec plays the poll
 * server. A scenario plans how poll N is answered (techniques/polling/
 * client-side/poll-server.ts), starts the client pointed at the poll
 * endpoint, and waits on what the server recorded and the client reported.
 * Long-polling uses this as it is (techniques/long-polling/client-side/).
 */
import { ClientProcess, type ClientHost } from '../../../clients/contract/client-process.ts';
import type { ClientMessage as Message } from '../../../clients/contract/reports.ts';
import { ConformanceFailure } from '../../../core/failure.ts';
import { waitUntil } from '../../../core/wait.ts';
import { POLL_END_MARKER } from './checks.ts';
import { clientPollSectionFrom, type ClientPollSection } from './contract.ts';
import { ScriptedPollServer, type PlannedAnswer, type PollRecord } from './poll-server.ts';

/** How long a client has to show what a step awaits (a poll, its messages), unless the step says otherwise. */
export const CLIENT_POLL_MS = 5000;


export class PollClientActions {
  readonly section: ClientPollSection;
  server: ScriptedPollServer | undefined;
  process: ClientProcess | undefined;
  private readonly plan = new Map<number, PlannedAnswer>();
  /** How polls the plan does not name are answered. */
  private later: PlannedAnswer;

  private readonly host: ClientHost;
  readonly technique: 'polling' | 'longPolling';

  constructor(host: ClientHost, technique: 'polling' | 'longPolling') {
    this.host = host;
    this.technique = technique;
    this.section = clientPollSectionFrom(host.client.techniques[technique] ?? {}, technique, host.client.source);
    // A long-poll with nothing to send is held; a plain poll is answered at once, empty.
    this.later = technique === 'longPolling' ? { kind: 'hold' } : { kind: 'empty' };
  }

  /** Poll `n` (1-based) is answered as `answer` says. */
  answerPoll(n: number, answer: PlannedAnswer): void {
    this.plan.set(n, answer);
  }

  /** Every poll the plan does not name is answered as `answer` says. */
  answerOtherPolls(answer: PlannedAnswer): void {
    this.later = answer;
  }

  /** The client's declared polling interval (polling only). */
  get intervalMs(): number {
    return this.section.intervalMs ?? 1000;
  }

  /** Starts the scripted poll server and the client, pointed at its poll endpoint. */
  async connect(): Promise<void> {
    const server = this.host.onClose(await ScriptedPollServer.start(this.host.transcript, this.section, (n) => this.plan.get(n) ?? this.later));
    this.server = server;
    const proc = ClientProcess.forCase(this.host, server.url, this.technique);
    this.process = proc;
  }

  /** Waits until poll `n` came (or the deadline passed, or the client exited); the poll, if it came. */
  async waitForPoll(n: number, deadlineMs = CLIENT_POLL_MS): Promise<PollRecord | undefined> {
    const server = this.requireServer();
    await this.until(() => server.polls.length >= n, `poll ${n}`, deadlineMs);
    return server.poll(n);
  }

  /** Waits until poll `n` was answered (or ended); the poll. */
  async waitForAnswer(n: number, deadlineMs = CLIENT_POLL_MS): Promise<PollRecord | undefined> {
    const server = this.requireServer();
    await this.until(() => server.poll(n)?.endedAtMs !== undefined, `the answer to poll ${n}`, deadlineMs);
    return server.poll(n);
  }

  /**
   * Waits for the answer to poll `n`, then for poll `n + 1` (at most
   * `deadlineMs`); keeps the delay between them as the case's figure.
   */
  async answerAndNextPoll(n: number, deadlineMs: number): Promise<{ answered: PollRecord | undefined; next: PollRecord | undefined }> {
    const answered = await this.waitForAnswer(n);
    const next = await this.waitForPoll(n + 1, deadlineMs);
    if (answered?.answeredAtMs !== undefined && next !== undefined) this.host.transcript.figure(`new poll after the answer to poll ${n}`, next.atMs - answered.answeredAtMs, 'ms');
    return { answered, next };
  }

  /** The polls made within `windowMs` of the first (watched until more than `limit` came); their count is the case's figure. */
  async pollsInWindow(limit: number, windowMs: number): Promise<readonly PollRecord[]> {
    await this.waitForPoll(1);
    const polls = await this.watchPolls((p) => p.length > limit, `more than ${limit} polls`, windowMs);
    const first = polls[0];
    if (first !== undefined) this.host.transcript.figure('polls in the window', polls.filter((p) => p.atMs - first.atMs <= windowMs).length, 'polls');
    return polls;
  }

  /** Polls to measure a polling client's interval on (`count`, or as many as came in time); the shortest gap is the case's figure. */
  async pollsForInterval(count: number): Promise<readonly PollRecord[]> {
    const polls = await this.watchPolls((p) => p.length >= count, `${count} polls`, this.intervalMs * (count + 1) + 2000);
    const gaps = polls.slice(1).map((p, i) => p.atMs - polls[i]!.atMs);
    if (gaps.length > 0) this.host.transcript.figure('shortest gap between polls', Math.min(...gaps), 'ms');
    return polls;
  }

  /** Waits until `done()` holds over the polls so far, at most `deadlineMs`; never throws. */
  async watchPolls(done: (polls: readonly PollRecord[]) => boolean, what: string, deadlineMs: number): Promise<readonly PollRecord[]> {
    const server = this.requireServer();
    await this.until(() => done(server.polls), what, deadlineMs);
    return server.polls;
  }

  /** Waits until the client reported the end marker; the messages before it, and whether it came. */
  async messagesBeforeMarker(deadlineMs = CLIENT_POLL_MS * 2): Promise<{ messages: Message[]; sawMarker: boolean }> {
    const proc = this.requireProcess();
    const reached = (): number => proc.of('message').findIndex((m) => m.data === POLL_END_MARKER);
    await proc.waitFor(() => reached() !== -1, 'the client to report the end marker', deadlineMs);
    const all = proc.of('message');
    const end = reached();
    return end === -1 ? { messages: all, sawMarker: false } : { messages: all.slice(0, end), sawMarker: true };
  }

  /** The polls so far. */
  polls(): readonly PollRecord[] {
    return this.server?.polls ?? [];
  }

  private async until(done: () => boolean, what: string, deadlineMs: number): Promise<void> {
    const server = this.requireServer();
    const proc = this.requireProcess();
    const unsubscribe = proc.changes.subscribe(() => server.changes.notify());
    try {
      await waitUntil(() => done() || proc.exitStatus !== undefined, { what, deadlineMs: deadlineMs + proc.startupLeftMs(), seen: () => `${server.polls.length} poll(s)`, signal: server.changes }).catch((error: unknown) => {
        // A missed deadline is no verdict here: the check says what was missing. Anything else (the run stopped) goes on.
        if (!(error instanceof ConformanceFailure)) throw error;
      });
    } finally {
      unsubscribe();
    }
  }

  private requireServer(): ScriptedPollServer {
    if (this.server === undefined) throw new Error('no client was started: a step must start it first');
    return this.server;
  }

  private requireProcess(): ClientProcess {
    if (this.process === undefined) throw new Error('no client was started: a step must start it first');
    return this.process;
  }
}

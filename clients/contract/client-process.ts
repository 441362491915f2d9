/**
 * The client under test, for one case: its command started with the case's
 * URL, its report lines read as they come (clients/contract/reports.ts), and
 * its end: pushspec stops it when the case has seen what it needs (SIGTERM,
 * then SIGKILL), so a client that never exits costs one case, not the run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Transcript } from '../../core/transcript.ts';
import { Signal, waitUntil } from '../../core/wait.ts';
import { commandFor, type ClientAdapter, type ClientTechnique } from './adapter.ts';
import { isReport, parseReport, type ClientReport, type GlueProblem } from './reports.ts';

/** What a technique's client-side actions get from the ClientWorld: the adapter, the scenario's transcript, and what to end with it. */
export interface ClientHost {
  client: ClientAdapter;
  transcript: Transcript;
  onClose: <T extends { close(): Promise<void> }>(closable: T) => T;
}

/** How long a client has to exit after SIGTERM before it is killed. */
const TERM_GRACE_MS = 2000;

/** The last lines of standard error kept for the evidence. */
const STDERR_LINES = 20;

export class ClientProcess {
  readonly reports: ClientReport[] = [];
  readonly problems: GlueProblem[] = [];
  /** Notifies on every report, problem and exit. */
  readonly changes = new Signal();
  private readonly child: ChildProcess;
  private readonly stderr: string[] = [];
  private readonly transcript: Transcript;
  private exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private readonly exit: Promise<void>;
  /** When the client may be expected to have started: spawn time plus the adapter's `startupMs`. */
  private readonly startedBy: number;

  private constructor(command: readonly string[], options: { cwd: string; env: Record<string, string>; transcript: Transcript; startupMs: number }) {
    this.transcript = options.transcript;
    this.startedBy = performance.now() + options.startupMs;
    const [file, ...args] = command;
    this.child = spawn(file!, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.exit = new Promise((resolve) => {
      this.child.once('error', (error) => {
        this.problems.push({ atMs: this.transcript.now(), line: '', problem: `the client could not be started: ${error.message}` });
        this.exited ??= { code: null, signal: null };
        this.changes.notify();
        resolve();
      });
      this.child.once('close', (code, signal) => {
        this.exited = { code, signal };
        this.changes.notify();
        resolve();
      });
    });
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      if (line.trim() === '') return;
      const parsed = parseReport(line, this.transcript.now());
      if (isReport(parsed)) {
        this.reports.push(parsed);
        this.transcript.note(`client: ${describeReport(parsed)}`);
      } else {
        this.problems.push(parsed);
        this.transcript.note(`client glue wrote a line that is no report (${parsed.problem}): ${parsed.line.slice(0, 200)}`);
      }
      this.changes.notify();
    });
    createInterface({ input: this.child.stderr! }).on('line', (line) => {
      this.stderr.push(line);
      if (this.stderr.length > STDERR_LINES) this.stderr.shift();
    });
  }

  /**
   * Starts the client under test for one case, pointed at `url`: its adapter's
   * command, folder, environment (plus `env`) and start-up allowance; it is
   * stopped when the scenario ends.
   */
  static forCase(host: ClientHost, url: string, technique: ClientTechnique, env: Record<string, string> = {}): ClientProcess {
    const { client, transcript } = host;
    const proc = ClientProcess.start(commandFor(client, { url, technique }), { cwd: client.dir, env: { ...client.env, ...env }, transcript, startupMs: client.startupMs ?? 0 });
    host.onClose({ close: () => proc.stop() });
    return proc;
  }

  /** Starts the client's command (placeholders filled already); `startupMs`: the adapter's, how long the client takes to start. */
  static start(command: readonly string[], options: { cwd: string; env?: Record<string, string>; transcript: Transcript; startupMs?: number }): ClientProcess {
    options.transcript.note(`client started: ${command.join(' ')}`);
    return new ClientProcess(command, { cwd: options.cwd, env: options.env ?? {}, transcript: options.transcript, startupMs: options.startupMs ?? 0 });
  }

  /**
   * What is left of the client's start-up allowance (the adapter's
   * `startupMs`), to add to a deadline that counts from the client's start:
   * a wait for the client's first connection or report. 0 once it is over.
   */
  startupLeftMs(): number {
    return Math.max(0, Math.ceil(this.startedBy - performance.now()));
  }

  /** The reports of one type. */
  of<T extends ClientReport['type']>(type: T): Array<Extract<ClientReport, { type: T }>> {
    return this.reports.filter((r): r is Extract<ClientReport, { type: T }> => r.type === type);
  }

  /** Whether it has exited, and how. */
  get exitStatus(): { code: number | null; signal: NodeJS.Signals | null } | undefined {
    return this.exited;
  }

  /** The last lines it wrote to standard error. */
  stderrTail(): string {
    return this.stderr.join('\n');
  }

  /**
   * Waits until `done()` holds, the client exits, or `deadlineMs` passes (plus
   * what is left of the start-up allowance); never throws (the check says what was missing).
   */
  async waitFor(done: () => boolean, what: string, deadlineMs: number): Promise<boolean> {
    return waitUntil(() => done() || this.exited !== undefined, { what, deadlineMs: deadlineMs + this.startupLeftMs(), seen: () => `${this.reports.length} report(s)`, signal: this.changes }).then(
      () => done(),
      () => false,
    );
  }

  /** Ends the client: SIGTERM, then SIGKILL after a grace period. Safe to call more than once. */
  async stop(): Promise<void> {
    if (this.exited === undefined) {
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), TERM_GRACE_MS);
      await this.exit;
      clearTimeout(timer);
    }
    if (this.stderr.length > 0) this.transcript.note(`client's standard error (last lines):\n${this.stderrTail()}`);
  }

}

/** One line on a report, for the evidence. */
export function describeReport(r: ClientReport): string {
  switch (r.type) {
    case 'open':
      return 'open';
    case 'message':
      return `message ${JSON.stringify(r.data)}${r.event !== undefined ? ` event ${JSON.stringify(r.event)}` : ''}${r.lastEventId !== undefined ? ` lastEventId ${JSON.stringify(r.lastEventId)}` : ''}${r.binary ? ' (binary)' : ''}`;
    case 'error':
      return `error${r.readyState !== undefined ? ` readyState ${r.readyState}` : ''}${r.message !== undefined ? `: ${r.message}` : ''}`;
    case 'close':
      return `close${r.code !== undefined ? ` ${r.code}` : ''}${r.reason ? ` "${r.reason}"` : ''}${r.wasClean !== undefined ? (r.wasClean ? ' clean' : ' not clean') : ''}`;
  }
}

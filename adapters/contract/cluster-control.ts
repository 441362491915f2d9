/**
 * Stopping and starting one instance of a cluster, whoever started it. A
 * cluster pushspec launched (launch-cluster.ts) registers itself here, for the
 * scenarios of the same process (cucumber loads the support code in the CLI's
 * process, as for core/run-control.ts); a cluster that already runs is
 * stopped and started with the adapter's `cluster.stop` / `cluster.start`
 * commands ({@link commandControl}).
 */
import { spawn } from 'node:child_process';
import { fillPlaceholders } from '../../core/placeholders.ts';
import { exitPromise, within } from './launch/process-group.ts';
import type { ResolvedCluster } from './resolve.ts';

/** What the scenarios may do to a cluster's instances (numbered 1..N). */
export interface ClusterControl {
  /** Each instance's base URL, no trailing `/`. */
  readonly baseUrls: readonly string[];
  /** Why an instance cannot be stopped (no `stop` / `start` commands), or undefined when it can. */
  readonly cannotStop: string | undefined;
  /** Stops instance k; resolves once it is gone (a launched one) or its stop command ended. */
  stopInstance(k: number): Promise<void>;
  /** Starts instance k again, on the same address; resolves once its command ended (a launched one: once it answers). */
  startInstance(k: number): Promise<void>;
}

let active: ClusterControl | undefined;

/** Makes `control` the run's cluster (or none); the CLI's launched cluster calls it. */
export function setClusterControl(control: ClusterControl | undefined): void {
  active = control;
}

/** The cluster pushspec launched in this process, if any. */
export function launchedClusterControl(): ClusterControl | undefined {
  return active;
}

/** How long a `cluster.stop` or `cluster.start` command may run. */
export const CLUSTER_COMMAND_DEADLINE_MS = 30_000;

/** Why a cluster that already runs cannot have an instance stopped, or undefined when it can. */
export function cannotStopReason(cluster: ResolvedCluster): string | undefined {
  if (cluster.launched) return undefined;
  if (cluster.stop !== undefined && cluster.start !== undefined) return undefined;
  return 'the adapter says neither how to stop an instance of its cluster nor how to start it again ("cluster.stop" and "cluster.start")';
}

/** The control of a cluster that already runs: its base URLs, and its stop / start commands, run from the adapter's folder. */
export function commandControl(cluster: ResolvedCluster, baseUrls: readonly string[]): ClusterControl {
  const run = async (which: 'stop' | 'start', k: number): Promise<void> => {
    const given = cluster[which];
    if (given === undefined) throw new Error(cannotStopReason(cluster));
    await runCommand(given.command.map((arg) => fillPlaceholders(arg, { instance: String(k) })), cluster.cwd);
  };
  return {
    baseUrls,
    cannotStop: cannotStopReason(cluster),
    stopInstance: (k) => run('stop', k),
    startInstance: (k) => run('start', k),
  };
}

/** Runs `command` to its end; a non-zero exit, a failure to start or the deadline is an Error naming the command and its last output. */
async function runCommand(command: string[], cwd: string | undefined): Promise<void> {
  const shown = command.join(' ');
  const child = spawn(command[0] ?? '', command.slice(1), { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-2_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = exitPromise(child);
  let status: string | undefined;
  void exited.then((s) => (status = s));
  await within(exited, CLUSTER_COMMAND_DEADLINE_MS);
  if (status === undefined) {
    child.kill('SIGKILL');
    throw new Error(`\`${shown}\` did not end within ${CLUSTER_COMMAND_DEADLINE_MS} ms${tail(output)}`);
  }
  if (status !== 'exited with code 0') throw new Error(`\`${shown}\` ${status}${tail(output)}`);
}

function tail(output: string): string {
  const text = output.trim();
  return text === '' ? '' : `; its last output: ${text.slice(-500)}`;
}

/**
 * A launched server's process group: stopping all of it (SIGTERM, then
 * SIGKILL after a grace period, grandchildren included), telling when it is
 * gone, and never leaving one behind when pushspec exits or is interrupted.
 */
import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';

/** How long a group has to exit after SIGTERM before SIGKILL. */
const STOP_GRACE_MS = 3_000;

/** Waits for `promise`, at most `ms`; unlike racing a sleep, leaves no timer keeping the process alive. */
export async function within(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/** Resolves with "exited with code N" / "was killed by SIGX" / "failed to start: ..." once the process is gone. */
export function exitPromise(child: ChildProcess): Promise<string> {
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve(signal !== null ? `was killed by ${signal}` : `exited with code ${code}`));
    child.once('error', (error) => resolve(`failed to start: ${error.message}`));
  });
}

export async function stopGroup(child: ChildProcess, pid: number, exited: Promise<string>): Promise<void> {
  const leaderGone = () => child.exitCode !== null || child.signalCode !== null;
  signalGroup(pid, 'SIGTERM');
  // Wait for the leader and every other member of its group, up to the grace period.
  // Group members that are not our children can only be polled for.
  const deadline = Date.now() + STOP_GRACE_MS;
  while ((!leaderGone() || groupAlive(pid)) && Date.now() < deadline) {
    await (leaderGone() ? delay(25) : within(exited, 25));
  }
  if (!leaderGone() || groupAlive(pid)) signalGroup(pid, 'SIGKILL');
  // SIGKILL cannot be ignored; the bound only guards against a process stuck in the kernel.
  await within(exited, STOP_GRACE_MS);
  running.delete(pid);
  syncCleanupHandlers();
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    // ESRCH: the whole group is already gone, which is what we want.
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/**
 * Does any process of group `pid` still run? Zombies do not count: an orphan
 * re-parented to an init that reaps lazily (or not at all, as in containers
 * without one) stays a zombie, yet it is dead. Where /proc is missing, asks kill(0).
 */
function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return true;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited while we looked
    }
    // "pid (comm) state ppid pgrp ..."; comm may contain spaces and parentheses.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === pid && state !== 'Z') return true;
  }
  return false;
}

// Process groups of running servers. While any runs, the harness must not leave
// them behind: on exit (sync, so only SIGKILL is possible) or on SIGINT/SIGTERM.
export const running = new Set<number>();
const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;
let handlersInstalled = false;

function killAllRunning(): void {
  for (const pid of running) signalGroup(pid, 'SIGKILL');
  running.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  killAllRunning();
  syncCleanupHandlers();
  // Other listeners got this same signal (emit calls them all) and decide what
  // happens next; if there are none, end the way the signal itself would have.
  if (process.listenerCount(signal) === 0) {
    process.exit(SIGNAL_EXIT_CODES[signal as keyof typeof SIGNAL_EXIT_CODES]);
  }
}

/** Installs the cleanup handlers while servers run and removes them once none does. */
export function syncCleanupHandlers(): void {
  const wanted = running.size > 0;
  if (wanted === handlersInstalled) return;
  const method = wanted ? 'on' : 'off';
  process[method]('exit', killAllRunning);
  process[method]('SIGINT', onSignal);
  process[method]('SIGTERM', onSignal);
  handlersInstalled = wanted;
}

/**
 * A launched server must never outlive pushspec, even when pushspec cannot
 * clean up: SIGKILL, or the kernel's out-of-memory killer, runs no exit
 * handler. So each server gets a watchdog: a tiny process of its own that
 * holds the read end of a pipe from pushspec. The kernel closes pushspec's end
 * whatever way pushspec dies; the watchdog reads end-of-file and kills the
 * server's whole process group. When pushspec stops the server itself, it
 * kills the watchdog first, so the watchdog never signals a group id that
 * could since have been reused.
 */
import { spawn, type ChildProcess } from 'node:child_process';

/** The watchdog's program: waits for its stdin to end, then SIGKILLs the group named by its argument. */
const WATCHDOG_SOURCE = `
const group = Number(process.argv[1]);
const end = () => { try { process.kill(-group, 'SIGKILL'); } catch {} process.exit(0); };
process.stdin.on('end', end).on('error', end).resume();
`;

/** A running watchdog; `dismiss()` when the server was stopped the ordinary way. */
export interface Watchdog {
  /** Its process id (for tests). */
  pid: number | undefined;
  /** Ends the watchdog without touching the group. Safe to call twice. */
  dismiss(): void;
}

/**
 * Starts a watchdog for process group `group`. It runs detached (its own
 * group, so signals meant for the server's group or pushspec's terminal do
 * not reach it) and keeps neither pushspec's event loop nor the server alive.
 */
export function watchGroup(group: number): Watchdog {
  const child: ChildProcess = spawn(process.execPath, ['-e', WATCHDOG_SOURCE, String(group)], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  // The pipe and the process must not keep pushspec running once the run is over.
  child.unref();
  (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  child.on('error', () => {}); // a watchdog that cannot start leaves the exit handlers in charge
  // Closed only once the watchdog is gone: closing it first would read as pushspec's death.
  child.once('exit', () => child.stdin?.destroy());
  let dismissed = false;
  return {
    pid: child.pid,
    dismiss: () => {
      if (dismissed) return;
      dismissed = true;
      child.kill('SIGKILL');
    },
  };
}

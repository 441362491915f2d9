/**
 * What stops a `pushspec run` early, wired to the run control
 * (core/run-control.ts): the launched server exiting, the server no longer
 * answering (asked after a case failed for want of an answer), the run's
 * --deadline, and SIGINT/SIGTERM. Each stops the run once, with a reason
 * every case it did not judge carries, and says so on stderr at once.
 */
import type { LaunchedServer } from '../adapters/contract/launch.ts';
import { PROBE_DEADLINE_MS, probeServer } from '../core/server-probe.ts';
import { stopExitCode, type RunControl, type StopReason } from '../core/run-control.ts';

/** How long a launched server that no longer answers has to be seen exiting, so its exit status can be named. */
const EXIT_GRACE_MS = 2_000;

export interface RunWatchOptions {
  baseUrl: string;
  launched?: LaunchedServer;
  /** The run-wide deadline: `seconds` as given to --deadline, of which `remainingMs` are left now. */
  deadline?: { seconds: number; remainingMs: number };
  /** Told once, when the run stops (after the reason is set). */
  onStop?: (stop: StopReason) => void;
}

/** Starts watching; returns the function that stops watching (timers and signal handlers removed). */
export function watchRun(control: RunControl, options: RunWatchOptions): () => void {
  const { baseUrl, launched } = options;
  const removeListener = control.onStop((stop) => options.onStop?.(stop));
  const exited = launched?.exitedEarly.then((status) => control.stop({ code: 'PUSHSPEC_ERR_SERVER_EXITED', reason: `the server ${status} while the suite ran` }));
  control.setServerCheck(async () => {
    const seen = await probeServer(baseUrl, PROBE_DEADLINE_MS);
    if (seen === undefined) return undefined;
    // A launched server that stopped answering has often just exited: give its exit a moment to be named.
    if (exited !== undefined) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, EXIT_GRACE_MS)))]);
      clearTimeout(timer);
      if (control.stopped !== undefined) return control.stopped;
    }
    return { code: 'PUSHSPEC_ERR_SERVER_GONE', reason: `the server stopped answering at ${baseUrl}: ${seen}` };
  });
  const given = options.deadline;
  const deadline = given === undefined ? undefined : setTimeout(() => control.stop({ code: 'PUSHSPEC_ERR_DEADLINE', reason: `the run's --deadline of ${given.seconds} s passed` }), Math.max(0, given.remainingMs));
  deadline?.unref();
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    const stop: StopReason = signal === 'SIGINT' ? { code: 'PUSHSPEC_ERR_INTERRUPTED', reason: 'the run was interrupted (SIGINT)' } : { code: 'PUSHSPEC_ERR_TERMINATED', reason: 'the run was terminated (SIGTERM)' };
    // A second signal: the user means it. The launched server's group is already killed by its own handler.
    if (signalled) process.exit(stopExitCode(stop));
    signalled = true;
    control.stop(stop);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    clearTimeout(deadline);
    removeListener();
    control.setServerCheck(undefined);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}

/**
 * One backstop for every step and hook, sized to the server under test, and
 * the case's own end: the run stopped, or the case's deadline passed.
 *
 * Cucumber's step timeout is one number fixed when the steps load, but how
 * long a correct step takes follows what the adapter declares: an idle
 * connection watched for up to two 30 s ping intervals plus slack, a
 * long-poll held for 25 s. A fixed 60 s cut such runs short with cucumber's
 * "function timed out" instead of a verdict. So cucumber's own timeout is off
 * (world.ts) and this wrapper races every definition against 60 s plus three
 * times the longest time the adapter declares (step-backstop.ts says why
 * three). Every wait inside a step keeps its own,
 * shorter deadline; the backstop only catches a wait that lacks one, a
 * harness bug, and says so.
 *
 * A step also ends when the case's signal aborts (core/run-control.ts): the
 * run stopped (the server died, --deadline, SIGINT) or the case's deadline
 * passed. Its waits end with it and say what they awaited; the wrapper gives
 * them a moment to, then ends the step itself with the signal's reason, so a
 * step that waits on something else (a request with its own timeout) ends too.
 * A definition marked {@link UNCUT} (the After hook, which closes the case's
 * connections and attaches its evidence) is never cut short.
 */
import { setDefinitionFunctionWrapper } from '@cucumber/cucumber';
import type { ResolvedAdapter } from '../../adapters/contract/resolve.ts';
import { runControl } from '../../core/run-control.ts';
import { backstopMs } from './step-backstop.ts';

/** What a World offers the wrapper; test-run hooks (BeforeAll) have no World. */
interface WithAdapter {
  loadedAdapter?: ResolvedAdapter;
}

/** Marks a hook the case's end must not cut short. */
export const UNCUT = Symbol.for('pushspec.uncut');

/** How long a step cut short has to end on its own, its waits naming what they awaited, before the wrapper ends it. */
const CUT_GRACE_MS = 100;

setDefinitionFunctionWrapper((fn: (...args: unknown[]) => unknown) =>
  function (this: WithAdapter | undefined, ...args: unknown[]) {
    const limit = backstopMs(this?.loadedAdapter);
    const caseSignal = (fn as { [UNCUT]?: boolean })[UNCUT] === true ? undefined : runControl().caseSignal;
    let timer: NodeJS.Timeout | undefined;
    let grace: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    const backstop = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`pushspec's backstop: the step did not finish within ${limit} ms; a wait inside it has no deadline of its own, which is a bug in pushspec (please report it)`)),
        limit,
      );
      if (caseSignal === undefined) return;
      onAbort = () => (grace = setTimeout(() => reject(caseSignal.reason), CUT_GRACE_MS));
      if (caseSignal.aborted) onAbort();
      else caseSignal.addEventListener('abort', onAbort, { once: true });
    });
    return Promise.race([Promise.resolve().then(() => fn.apply(this, args)), backstop]).finally(() => {
      clearTimeout(timer);
      clearTimeout(grace);
      if (onAbort !== undefined) caseSignal?.removeEventListener('abort', onAbort);
    });
  },
);

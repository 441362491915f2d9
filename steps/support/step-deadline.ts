/**
 * One backstop for every step and hook, sized to the server under test.
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
 */
import { setDefinitionFunctionWrapper } from '@cucumber/cucumber';
import type { ResolvedAdapter } from '../../adapters/contract/resolve.ts';
import { backstopMs } from './step-backstop.ts';

/** What a World offers the wrapper; test-run hooks (BeforeAll) have no World. */
interface WithAdapter {
  loadedAdapter?: ResolvedAdapter;
}

setDefinitionFunctionWrapper((fn: (...args: unknown[]) => unknown) =>
  function (this: WithAdapter | undefined, ...args: unknown[]) {
    const limit = backstopMs(this?.loadedAdapter);
    let timer: NodeJS.Timeout | undefined;
    const backstop = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`pushspec's backstop: the step did not finish within ${limit} ms; a wait inside it has no deadline of its own, which is a bug in pushspec (please report it)`)),
        limit,
      );
    });
    return Promise.race([Promise.resolve().then(() => fn.apply(this, args)), backstop]).finally(() => clearTimeout(timer));
  },
);

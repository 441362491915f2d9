/**
 * Whether a server answers HTTP yet: one probe with its own short timeout,
 * and the loop that repeats it until the server is ready, exits, or the
 * launch's time runs out.
 */
import { Agent, request } from 'undici';
import { PushspecError } from '../../../core/errors.ts';
import { within } from './process-group.ts';

/** How often readiness is probed while the server starts. */
export const POLL_INTERVAL_MS = 75;

/**
 * Checks that something answers HTTP at `baseUrl`; any status will do.
 *
 * @throws PushspecError `PUSHSPEC_ERR_UNREACHABLE` ("nothing answers at <url>: <cause>").
 */
export async function checkReachable(baseUrl: string, timeoutMs = 5_000): Promise<void> {
  const error = await probe(baseUrl, timeoutMs);
  if (error !== undefined) {
    throw new PushspecError('PUSHSPEC_ERR_UNREACHABLE', `nothing answers at ${baseUrl}: ${error}`);
  }
}

export type Readiness = { kind: 'ready' } | { kind: 'exited'; status: string } | { kind: 'timeout'; lastError: string };

export async function waitUntilReady(url: string, timeoutMs: number, exited: Promise<string>): Promise<Readiness> {
  const deadline = Date.now() + timeoutMs;
  let exitStatus: string | undefined;
  void exited.then((status) => (exitStatus = status));
  let lastError = 'no attempt finished';
  for (;;) {
    const remaining = deadline - Date.now();
    if (exitStatus !== undefined) return { kind: 'exited', status: exitStatus };
    if (remaining <= 0) return { kind: 'timeout', lastError };
    // Each attempt gets its own short timeout so one hung connect cannot eat the whole budget.
    const error = await probe(url, Math.min(1_000, remaining));
    if (error === undefined) return { kind: 'ready' };
    lastError = error;
    // Wake up early if the process dies, rather than sleeping through it.
    await within(exited, Math.min(POLL_INTERVAL_MS, Math.max(0, deadline - Date.now())));
  }
}

/** One GET; `undefined` when any HTTP response came back, else a description of why not. */
export async function probe(url: string, timeoutMs: number): Promise<string | undefined> {
  // A private agent, closed after the attempt, so no keep-alive socket outlives it.
  const agent = new Agent({ connect: { timeout: timeoutMs } });
  try {
    const response = await request(url, { dispatcher: agent, signal: AbortSignal.timeout(timeoutMs) });
    await response.body.dump();
    return undefined;
  } catch (error) {
    const err = error as NodeJS.ErrnoException;
    if (err.name === 'TimeoutError' || err.name === 'AbortError') return `no response within ${timeoutMs} ms`;
    return err.code !== undefined && !err.message.includes(err.code) ? `${err.code}: ${err.message}` : err.message;
  } finally {
    await agent.destroy();
  }
}

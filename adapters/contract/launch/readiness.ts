/**
 * Whether a server answers HTTP yet: one probe with its own short timeout,
 * and the loop that repeats it until the server is ready, exits, or the
 * launch's time runs out. Over TLS the probe trusts what the run trusts; a
 * certificate it does not accept ends the wait at once, with words saying
 * how to trust it, since waiting longer cannot change it.
 */
import { Agent, request } from 'undici';
import { PushspecError } from '../../../core/errors.ts';
import { isCertificateError, tlsClientOptions, TRUST_HINT, type TlsTrust } from '../../../core/tls.ts';
import { within } from './process-group.ts';

/** How often readiness is probed while the server starts. */
export const POLL_INTERVAL_MS = 75;

/** Why a probe got no HTTP answer; `untrusted` when the server's certificate was refused. */
export interface ProbeFailure {
  error: string;
  untrusted: boolean;
}

/**
 * Checks that something answers HTTP at `baseUrl`; any status will do.
 *
 * @throws PushspecError `PUSHSPEC_ERR_UNREACHABLE` ("nothing answers at <url>: <cause>"),
 *   `PUSHSPEC_ERR_TLS_UNTRUSTED` when it answers with a certificate pushspec does not trust.
 */
export async function checkReachable(baseUrl: string, timeoutMs = 5_000, trust?: TlsTrust): Promise<void> {
  const failure = await probe(baseUrl, timeoutMs, trust);
  if (failure?.untrusted === true) throw untrusted(baseUrl, failure.error, trust);
  if (failure !== undefined) {
    throw new PushspecError('PUSHSPEC_ERR_UNREACHABLE', `nothing answers at ${baseUrl}: ${failure.error}`);
  }
}

/** The error of a server whose certificate pushspec does not accept, saying what was trusted and how to trust it. */
export function untrusted(url: string, error: string, trust: TlsTrust | undefined): PushspecError {
  const trusted = trust === undefined ? "Node's bundled CAs only" : `Node's bundled CAs and ${trust.files.join(', ')}`;
  return new PushspecError('PUSHSPEC_ERR_TLS_UNTRUSTED', `${url} answers over TLS, but pushspec does not accept its certificate (${error}; trusted: ${trusted}): ${TRUST_HINT}`);
}

export type Readiness = { kind: 'ready' } | { kind: 'exited'; status: string } | { kind: 'timeout'; lastError: string } | { kind: 'untrusted'; error: string };

export async function waitUntilReady(url: string, timeoutMs: number, exited: Promise<string>, trust?: TlsTrust): Promise<Readiness> {
  const deadline = Date.now() + timeoutMs;
  let exitStatus: string | undefined;
  void exited.then((status) => (exitStatus = status));
  let lastError = 'no attempt finished';
  for (;;) {
    const remaining = deadline - Date.now();
    if (exitStatus !== undefined) return { kind: 'exited', status: exitStatus };
    if (remaining <= 0) return { kind: 'timeout', lastError };
    // Each attempt gets its own short timeout so one hung connect cannot eat the whole budget.
    const failure = await probe(url, Math.min(1_000, remaining), trust);
    if (failure === undefined) return { kind: 'ready' };
    if (failure.untrusted) return { kind: 'untrusted', error: failure.error };
    lastError = failure.error;
    // Wake up early if the process dies, rather than sleeping through it.
    await within(exited, Math.min(POLL_INTERVAL_MS, Math.max(0, deadline - Date.now())));
  }
}

/** One GET; `undefined` when any HTTP response came back, else why not. */
export async function probe(url: string, timeoutMs: number, trust?: TlsTrust): Promise<ProbeFailure | undefined> {
  // A private agent, closed after the attempt, so no keep-alive socket outlives it.
  const agent = new Agent({ connect: { ...tlsClientOptions(trust), timeout: timeoutMs } });
  try {
    const response = await request(url, { dispatcher: agent, signal: AbortSignal.timeout(timeoutMs) });
    await response.body.dump();
    return undefined;
  } catch (error) {
    const err = error as NodeJS.ErrnoException;
    if (err.name === 'TimeoutError' || err.name === 'AbortError') return { error: `no response within ${timeoutMs} ms`, untrusted: false };
    const text = err.code !== undefined && !err.message.includes(err.code) ? `${err.code}: ${err.message}` : err.message;
    return { error: text, untrusted: isCertificateError(error) };
  } finally {
    await agent.destroy();
  }
}

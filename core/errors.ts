/**
 * pushspec's own errors and the process exit codes, in one registry: every
 * error pushspec raises itself has a code here, the code decides the exit
 * code, and docs/errors.md explains each one (a test keeps the three in step,
 * as fastify does for its FST_ERR_* codes). A server that breaks a rule is not
 * an error of this kind: that is a verdict (see failure.ts).
 */

/** Process exit codes, documented in the README ("Exit codes"). */
export const EXIT = {
  /** Every MUST requirement passed (SHOULD failures are reported as non-strict). */
  OK: 0,
  /** A MUST requirement failed, or a SHOULD one with --strict. */
  NONCONFORMANT: 1,
  /** Usage error, or an adapter file that cannot be loaded or is invalid. */
  USAGE: 2,
  /** The server under test could not be started or reached. */
  UNREACHABLE: 3,
  /** A bug in pushspec. */
  INTERNAL: 4,
  /** The run stopped before every case was judged (its --deadline passed); the rest are reported not run. */
  INCOMPLETE: 5,
  /** Interrupted by SIGINT (Ctrl-C), after writing the reports of what was judged. */
  INTERRUPTED: 130,
  /** Terminated by SIGTERM, after writing the reports of what was judged. */
  TERMINATED: 143,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export const ERROR_CODES = {
  /** The command line could not be understood. */
  PUSHSPEC_ERR_USAGE: { exit: EXIT.USAGE },
  /** The adapter file is missing, unreadable, or not valid JSON / not a module. */
  PUSHSPEC_ERR_ADAPTER_LOAD: { exit: EXIT.USAGE },
  /** The adapter parsed but a field is missing or has a wrong value. */
  PUSHSPEC_ERR_ADAPTER_INVALID: { exit: EXIT.USAGE },
  /** The launched server exited, or did not answer `readyUrl` in time. */
  PUSHSPEC_ERR_LAUNCH: { exit: EXIT.UNREACHABLE },
  /** A program the adapter's `launch.requires` names is not installed; the message gives the install command. */
  PUSHSPEC_ERR_NOT_INSTALLED: { exit: EXIT.UNREACHABLE },
  /** The server under test does not answer at `baseUrl`. */
  PUSHSPEC_ERR_UNREACHABLE: { exit: EXIT.UNREACHABLE },
  /** The server answers over TLS with a certificate pushspec does not accept (not signed by a trusted CA, or not for its host name). */
  PUSHSPEC_ERR_TLS_UNTRUSTED: { exit: EXIT.UNREACHABLE },
  /** The launched server exited while the suite ran: the run stopped, the cases left are reported not run. */
  PUSHSPEC_ERR_SERVER_EXITED: { exit: EXIT.UNREACHABLE },
  /** The server under test stopped answering while the suite ran: the run stopped, the cases left are reported not run. */
  PUSHSPEC_ERR_SERVER_GONE: { exit: EXIT.UNREACHABLE },
  /** The run's --deadline passed: the case in progress and the rest are reported not run. */
  PUSHSPEC_ERR_DEADLINE: { exit: EXIT.INCOMPLETE },
  /** pushspec got SIGINT: the reports of what was judged are written, the rest is reported not run. */
  PUSHSPEC_ERR_INTERRUPTED: { exit: EXIT.INTERRUPTED },
  /** pushspec got SIGTERM: the reports of what was judged are written, the rest is reported not run. */
  PUSHSPEC_ERR_TERMINATED: { exit: EXIT.TERMINATED },
  /** A summary.json given to `pushspec report` is not one pushspec wrote. */
  PUSHSPEC_ERR_SUMMARY_INVALID: { exit: EXIT.USAGE },
  /** A bug in pushspec: please report it. */
  PUSHSPEC_ERR_INTERNAL: { exit: EXIT.INTERNAL },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** An error with a registry code; its message names the problem and what was expected. */
export class PushspecError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PushspecError';
    this.code = code;
  }

  /** The process exit code this error ends a command with. */
  get exitCode(): number {
    return ERROR_CODES[this.code].exit;
  }
}

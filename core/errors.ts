/**
 * Every error pushspec itself raises has a code from this registry, so the CLI
 * can map it to an exit code and docs/errors.md can explain it (a test keeps
 * the two in step, as fastify does for its FST_ERR_* codes).
 */
import { EXIT } from './exit-codes.ts';

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

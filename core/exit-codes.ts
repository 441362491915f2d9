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
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Option parsing shared by the commands: node's parseArgs, with its errors turned into usage errors (exit 2). */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { PushspecError } from '../core/errors.ts';

export type Parsed = ReturnType<typeof parseArgs>;

/** Parses a command's options, turning node's parse errors into usage errors. */
export function parseOptions(command: string, args: string[], options: NonNullable<ParseArgsConfig['options']>, allowPositionals = false): Parsed {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true, allowNegative: true });
  } catch (error) {
    throw new PushspecError('PUSHSPEC_ERR_USAGE', `${command}: ${(error as Error).message}\nRun "pushspec --help" for usage.`);
  }
}

/** The largest --deadline accepted: a week, far beyond any run, yet a number a timer can hold. */
const MAX_DEADLINE_SECONDS = 7 * 24 * 3600;

/**
 * Reads `--deadline <seconds>`: a positive number of seconds (decimals allowed),
 * or undefined when the option is absent. Anything else is a usage error naming the value.
 */
export function parseDeadline(command: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value).trim();
  const seconds = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
  if (!(seconds > 0) || seconds > MAX_DEADLINE_SECONDS) {
    throw new PushspecError('PUSHSPEC_ERR_USAGE', `${command}: --deadline must be a number of seconds greater than 0 and at most ${MAX_DEADLINE_SECONDS} (a week), e.g. --deadline 600; got "${text}"`);
  }
  return seconds;
}

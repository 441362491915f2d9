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

/** Colour only where a person reads a terminal: honours NO_COLOR, FORCE_COLOR and --no-color. */

/** ANSI SGR codes used besides the verdict colours of reporting/verdict-style.ts. */
export const BOLD = '1';
export const DIM = '90';

/** Wraps text in an ANSI SGR code, or returns it as is when colour is off. */
export type Painter = (sgr: string, text: string) => string;

export function painter(stream: NodeJS.WriteStream, disabledByFlag: boolean): Painter {
  const env = process.env;
  const enabled = !disabledByFlag && env.NO_COLOR === undefined && (env.FORCE_COLOR !== undefined ? env.FORCE_COLOR !== '0' : stream.isTTY === true);
  return (sgr, text) => (enabled ? `\x1b[${sgr}m${text}\x1b[0m` : text);
}

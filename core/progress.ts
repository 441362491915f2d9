/**
 * Progress lines for long waits. A step that waits out a declared time (an
 * idle stream watched for keep-alives, a poll held to its maximum) may be
 * quiet for a minute against a real server's defaults; a line on the console
 * says so, so a run that waits is not taken for one that hangs.
 *
 * A scenario announces a wait through its context (core/context.ts); the
 * World sends the line as a cucumber attachment of {@link PROGRESS_MEDIA_TYPE},
 * which reaches the runner's message stream at once (steps/run-suite.ts), and
 * the CLI prints it. Shorter waits pass unannounced.
 */

/** The media type of a progress line attached to a scenario. */
export const PROGRESS_MEDIA_TYPE = 'text/vnd.pushspec.progress+plain';

/** Waits longer than this are announced. */
export const LONG_WAIT_MS = 5000;

/** `SSE-KEEPALIVE: watching an idle stream for up to 38 s (2 × 15 s + 7.5 s)`. */
export function progressLine(who: string, what: string, upToMs: number, why: string): string {
  return `${who}: ${what} for up to ${Math.ceil(upToMs / 1000)} s (${why})`;
}

/** `500 ms`, `7.5 s`, `15 s`: a declared time as a progress line says it. */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${Number((ms / 1000).toFixed(1))} s`;
}

/**
 * Pure parsing and validation of what clients send the reference server:
 * channel names, cursors, `wait` values and event names. No fastify here, so
 * the store and every route share one definition of "valid".
 */

/** Channel names: 1–128 of `A-Z a-z 0-9 . _ -` (safe in a URL path segment without encoding). */
export const CHANNEL_NAME_PATTERN = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * Cursors: `"0"` or a decimal integer without leading zeros, at most 16 digits.
 * Leading zeros are refused so that each position has exactly one spelling.
 */
export const CURSOR_PATTERN = /^(0|[1-9][0-9]{0,15})$/;

/** `wait`: a non-negative integer, same spelling rules and length bound as a cursor. */
export const WAIT_PATTERN = /^(0|[1-9][0-9]{0,15})$/;

/** Longest event name, in Unicode code points (event names later go into SSE `event:` lines). */
export const MAX_EVENT_NAME_LENGTH = 64;

/** How much of a client-supplied value an error message quotes, so replies stay small. */
const QUOTE_LIMIT = 80;

/** True when `name` is a valid channel name. */
export function isValidChannelName(name: unknown): name is string {
  return typeof name === 'string' && CHANNEL_NAME_PATTERN.test(name);
}

/**
 * Parses a cursor string into its numeric position, or returns `undefined` when
 * it is malformed. Values above `Number.MAX_SAFE_INTEGER` lose precision, which
 * is harmless: no channel gets anywhere near that many messages, so such a
 * cursor is always "ahead" whatever its exact value.
 */
export function parseCursor(raw: unknown): number | undefined {
  if (typeof raw !== 'string' || !CURSOR_PATTERN.test(raw)) return undefined;
  return Number(raw);
}

/** Parses a `wait` value (non-negative integer), or returns `undefined` when malformed. */
export function parseWait(raw: unknown): number | undefined {
  if (typeof raw !== 'string' || !WAIT_PATTERN.test(raw)) return undefined;
  return Number(raw);
}

/**
 * Explains why `event` is not a usable event name, or returns `undefined` when
 * it is fine. CR, LF and NUL are refused because they would break (or be
 * silently dropped from) an SSE `event:` line.
 */
export function eventNameProblem(event: string): string | undefined {
  const length = [...event].length;
  if (length < 1 || length > MAX_EVENT_NAME_LENGTH) {
    return `event name ${quote(event)} must be 1 to ${MAX_EVENT_NAME_LENGTH} characters long (got ${length})`;
  }
  if (/[\r\n\0]/.test(event)) {
    return `event name ${quote(event)} must not contain CR, LF or NUL`;
  }
  return undefined;
}

/**
 * Renders a client-supplied value for an error message: JSON-quoted (so
 * control characters stay visible) and cut to a bounded length.
 */
export function quote(value: unknown): string {
  // fastify's query parser turns a repeated parameter into an array.
  if (Array.isArray(value)) return `${value.map(quote).join(', ')} (given more than once)`;
  if (typeof value !== 'string') return String(value);
  const cut = value.length > QUOTE_LIMIT ? `${value.slice(0, QUOTE_LIMIT)}…` : value;
  return JSON.stringify(cut);
}

/**
 * The bytes of a Server-Sent Events stream (WHATWG HTML §9.2.6, "Interpreting
 * an event stream"), as pure functions from a message to text: no I/O, so
 * every rule of the wire format is testable on its own.
 *
 * A parser splits the stream into lines at CRLF, a lone CR or a lone LF, and
 * a blank line dispatches an event. So data is cut at every one of those
 * three line breaks and each piece goes on its own `data:` line: no data can
 * end a line early, and so none can inject a field or an event. A parser
 * joins `data:` lines with LF, so a CR or CRLF in the data arrives as LF: the
 * reference normalises line breaks; data without a line break, including any
 * Unicode beyond the BMP, arrives byte for byte.
 */
import type { StoredMessage } from '../history.ts';

/** The event by which a stream says that messages after the client's `Last-Event-ID` were evicted. */
export const GAP_EVENT = 'gap';

/** The comment written while a stream is idle, so intermediaries do not time it out. */
export const KEEP_ALIVE = ': keep-alive\n\n';

/** What a parser treats as the end of a line: CRLF, a lone CR or a lone LF. */
const LINE_BREAK = /\r\n|\r|\n/;

/**
 * Splits data into the lines a parser will see, at CRLF, lone CR and lone LF.
 * The empty string is one empty line (so it still makes one `data:` line),
 * and a trailing break leaves a last empty line (a parser then ends the data
 * with LF, as the data did).
 */
export function dataLines(data: string): string[] {
  return data.split(LINE_BREAK);
}

/**
 * One message as an event: `id:`, `event:` when it has an event name, one
 * `data:` line per line of its data, and the blank line that dispatches it.
 * Every field has one space after the colon, which a parser removes, so a
 * value that starts with a space keeps it. Event names never contain CR, LF
 * or NUL (validation.ts refuses them), nor do ids (decimal digits).
 */
export function formatMessage(message: StoredMessage): string {
  let text = `id: ${message.id}\n`;
  if (message.event !== undefined) text += `event: ${message.event}\n`;
  for (const line of dataLines(message.data)) text += `data: ${line}\n`;
  return `${text}\n`;
}

/**
 * The `retry:` field telling a client how long to wait before reconnecting,
 * followed by a blank line. With no data, that blank line dispatches no event.
 * @param ms a non-negative integer (options.ts checks it).
 */
export function formatRetry(ms: number): string {
  return `retry: ${ms}\n\n`;
}

/**
 * A comment: ignored by parsers, but it keeps the connection busy. Line
 * breaks in `text` are replaced by spaces, so it stays a single comment line.
 */
export function formatComment(text: string): string {
  return `: ${text.replace(/\r\n|\r|\n/g, ' ')}\n\n`;
}

/**
 * The `gap` event: messages after `lastEventId` up to (not including)
 * `oldest` are no longer retained, and the stream continues from `oldest`.
 * It has no `id:` line, so the client's last event id stays what it was
 * until the first replayed message arrives.
 * @param lastEventId the id the client resumed from (a valid cursor, so JSON-safe).
 * @param oldest the first retained id.
 */
export function formatGap(lastEventId: string, oldest: string): string {
  return `event: ${GAP_EVENT}\ndata: ${JSON.stringify({ lastEventId, oldest })}\n\n`;
}

/**
 * The answers for a cursor a channel cannot serve, shared by polling,
 * long-polling, SSE's Last-Event-ID and the WebSocket `?cursor=`: one wording,
 * one set of codes, wherever the cursor came from.
 */
import type { ReadResult } from './channel-store.ts';
import { ReferenceHttpError } from './errors.ts';
import { quote } from './validation.ts';

/** `name` says where the cursor came from (`cursor`, `Last-Event-ID`, …); `shown` is its value, already quoted. */
export function malformedCursor(name: string, shown: string): ReferenceHttpError {
  return new ReferenceHttpError('malformed_cursor', `${name} ${shown} is malformed: expected "0" or a decimal integer without leading zeros, at most 16 digits`);
}

export function cursorAhead(name: string, value: string, channel: string, latest: string): ReferenceHttpError {
  return new ReferenceHttpError('cursor_ahead', `${name} ${quote(value)} is ahead of channel ${quote(channel)}, whose latest id is ${latest}`, { extra: { latest } });
}

/** The error for a read that found the cursor ahead of the channel or behind its history. */
export function unservableCursor(result: Exclude<ReadResult, { kind: 'batch' }>, channel: string, cursor: string): ReferenceHttpError {
  if (result.kind === 'ahead') return cursorAhead('cursor', cursor, channel, result.latest);
  return new ReferenceHttpError(
    'cursor_expired',
    `cursor ${quote(cursor)} is older than the history of channel ${quote(channel)}: ` +
      `messages before ${result.oldest} are no longer retained; resume from cursor ${String(Number(result.oldest) - 1)} ` +
      `to read from the oldest retained message`,
    { extra: { oldest: result.oldest } },
  );
}

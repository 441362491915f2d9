/** What the checks' unit tests share: a validator for the failures checks throw, and poll answers built by hand. */
import assert from 'node:assert/strict';
import { ConformanceFailure } from '../../core/failure.ts';
import type { PollAnswer, ReceivedMessage } from '../../techniques/polling/poll-client.ts';

/** A validator for assert.throws: a ConformanceFailure whose texts match. */
export const failure =
  (expected: RegExp, actual: RegExp) =>
  (error: unknown): true => {
    assert.ok(error instanceof ConformanceFailure, `expected a ConformanceFailure, got ${String(error)}`);
    assert.match(error.expected, expected);
    assert.match(error.actual, actual);
    return true;
  };

/** The fields of a poll answer a test sets, with `data` for the messages it carries. */
export type AnswerFields = Partial<Omit<PollAnswer, 'messages'>> & { data?: string[] };

/** A poll answer started at 0: status 200 after 10 ms, a batch when `data` is given, else empty, no cursor. */
export function pollAnswer({ data = [], ...fields }: AnswerFields = {}): PollAnswer {
  const index = fields.index ?? 0;
  const endedAtMs = fields.endedAtMs ?? 10;
  const messages: ReceivedMessage[] = data.map((d) => ({ data: d, answerIndex: index, receivedAtMs: endedAtMs }));
  return { status: 200, headers: {}, body: '', startedAtMs: 0, endedAtMs, index, kind: data.length > 0 ? 'batch' : 'empty', cursorSent: undefined, cursorNext: undefined, ...fields, messages };
}

/**
 * The wire of a scripted poll server, pure: a batch written in the format the
 * client adapter declares, and the cursor read back from a client's poll.
 */
import type { ClientPollSection, JsonBatchFormat } from './contract.ts';

/** One message the scripted server sends. */
export interface WireMessage {
  id: string;
  data: string;
  event?: string;
}

/** Sets `value` at a JSON Pointer (RFC 6901) inside `target`, making objects on the way; `""` is the document itself (not settable). */
export function setPointer(target: Record<string, unknown>, pointer: string, value: unknown): void {
  if (pointer === '') throw new Error('cannot set the whole document through the pointer ""');
  const tokens = pointer
    .slice(1)
    .split('/')
    .map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'));
  let at: Record<string, unknown> = target;
  for (const token of tokens.slice(0, -1)) {
    const next = at[token];
    if (typeof next !== 'object' || next === null) at[token] = {};
    at = at[token] as Record<string, unknown>;
  }
  at[tokens.at(-1)!] = value;
}

/** The body of an answer carrying `messages` (possibly none) and the cursor to send next, in `format`. */
export function encodeBatch(format: JsonBatchFormat, messages: readonly WireMessage[], cursor: string): string {
  const doc: Record<string, unknown> = {};
  const items = messages.map((m) => {
    const item: Record<string, unknown> = {};
    if (format.id !== undefined) setPointer(item, format.id, m.id);
    setPointer(item, format.data, m.data);
    if (format.event !== undefined && m.event !== undefined) setPointer(item, format.event, m.event);
    return item;
  });
  if (format.messages === '') return JSON.stringify(items);
  setPointer(doc, format.messages, items);
  if (format.cursor !== undefined && format.cursor !== '') setPointer(doc, format.cursor, cursor);
  return JSON.stringify(doc);
}

/** The ETag that carries `cursor` when the cursor travels in the validators. */
export function etagOf(cursor: string): string {
  return `"${cursor}"`;
}

/** An entity tag without its quotes and weak prefix: `W/"7"` → `7`. */
export function unquoteTag(tag: string): string {
  const m = /^(?:W\/)?"(.*)"$/.exec(tag.trim());
  return m === null ? tag.trim() : m[1]!;
}

/** The cursor a poll carried where the section says it travels, or undefined when it carried none. */
export function cursorSent(poll: { url: string; headers: Record<string, string> }, cursor: ClientPollSection['cursor']): string | undefined {
  if (cursor.in === 'validators') {
    const tag = poll.headers['if-none-match'];
    return tag === undefined ? undefined : unquoteTag(tag);
  }
  return new URL(poll.url, 'http://scripted.invalid').searchParams.get(cursor.param) ?? undefined;
}

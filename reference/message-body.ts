/**
 * Turning a publish request body into a message: text/plain bodies are the
 * data verbatim; JSON bodies are `{"data": string, "event"?: string}`. Pure
 * functions over bytes, so each rule is testable without HTTP. Every refusal
 * is a {@link ReferenceHttpError} that names the problem.
 */
import type { MessageInput } from './channel-store.ts';
import { ReferenceHttpError } from './errors.ts';
import { eventNameProblem, quote } from './validation.ts';

/** Charsets a text/plain body may declare: UTF-8 and its subset US-ASCII. */
const TEXT_CHARSETS: ReadonlySet<string> = new Set(['utf-8', 'utf8', 'us-ascii']);

/** `fatal` so invalid bytes are refused instead of silently becoming U+FFFD. */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
/** JSON may start with a BOM (RFC 8259 §8.1 lets parsers ignore it), so this one drops it. */
const jsonUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes a text/plain body. The whole body is the data, byte for byte
 * (a leading BOM is kept), including the empty string.
 * @param contentType the request's Content-Type header, to check its charset.
 */
export function decodeTextBody(body: Buffer, contentType: string | undefined): MessageInput {
  const charset = /;\s*charset\s*=\s*"?([^";\s]*)"?/i.exec(contentType ?? '')?.[1];
  if (charset !== undefined && !TEXT_CHARSETS.has(charset.toLowerCase())) {
    throw new ReferenceHttpError(
      'unsupported_media_type',
      `text/plain charset ${quote(charset)} is not supported: send the body as UTF-8 (charset=utf-8)`,
    );
  }
  try {
    return { data: strictUtf8.decode(body) };
  } catch (cause) {
    throw new ReferenceHttpError('invalid_message', 'the text/plain body is not valid UTF-8', { cause });
  }
}

/** Decodes and checks a JSON body `{"data": string, "event"?: string}`. */
export function decodeJsonBody(body: Buffer): MessageInput {
  if (body.length === 0) {
    throw new ReferenceHttpError('malformed_json', 'the body is empty but Content-Type is application/json');
  }
  let value: unknown;
  try {
    value = JSON.parse(jsonUtf8.decode(body));
  } catch (cause) {
    const reason = cause instanceof SyntaxError ? cause.message : 'it is not valid UTF-8';
    throw new ReferenceHttpError('malformed_json', `the body is not valid JSON: ${reason}`, { cause });
  }
  return toMessageInput(value);
}

/**
 * Checks the shape of a parsed JSON message. Unknown fields are ignored (so
 * publishers can send extra metadata); `"event": null` counts as no event,
 * because adapter body templates render a missing event as `null`.
 */
export function toMessageInput(value: unknown): MessageInput {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ReferenceHttpError('invalid_message', `the JSON body must be an object, got ${jsonType(value)}`);
  }
  const { data, event } = value as Record<string, unknown>;
  if (typeof data !== 'string') {
    const got = data === undefined ? 'it is missing' : `got ${jsonType(data)}`;
    throw new ReferenceHttpError('invalid_message', `"data" must be a string, ${got}`);
  }
  if (event === undefined || event === null) return { data };
  if (typeof event !== 'string') {
    throw new ReferenceHttpError('invalid_message', `"event" must be a string or null, got ${jsonType(event)}`);
  }
  const problem = eventNameProblem(event);
  if (problem !== undefined) throw new ReferenceHttpError('invalid_event', problem);
  return { data, event };
}

/** Names a JSON value's type the way a JSON author would. */
function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value} (${JSON.stringify(value)})`;
}

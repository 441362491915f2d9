/**
 * Reading a poll answer's body the way the adapter declares: the reference
 * JSON shape (or any JSON, through pointers), one message as plain text, or
 * the adapter's own decoder function.
 */
import type { DecodedMessage, SessionRequest } from './contract.ts';
import { readJsonPointer } from '../../core/placeholders.ts';
import type { HttpAnswer } from '../../core/http.ts';
import type { PollEndpoint } from './poll-endpoint.ts';

/** A cursor carried by HTTP validators, kept as one opaque JSON string. */
export interface Validators {
  etag?: string;
  lastModified?: string;
}

/** The validators of an answer as a cursor, or undefined when it carries none. */
export function validatorsCursor(headers: Record<string, string>): string | undefined {
  const validators: Validators = {};
  if (headers.etag !== undefined) validators.etag = headers.etag;
  if (headers['last-modified'] !== undefined) validators.lastModified = headers['last-modified'];
  return validators.etag === undefined && validators.lastModified === undefined ? undefined : JSON.stringify(validators);
}

/**
 * The cursor after an answer that repeats only some validators: those it carries replace the
 * ones sent, the others keep their value. Either side may be undefined (no cursor / none carried).
 */
export function mergeValidators(sent: string | undefined, carried: string | undefined): string | undefined {
  if (sent === undefined || carried === undefined) return carried ?? sent;
  return JSON.stringify({ ...(JSON.parse(sent) as Validators), ...(JSON.parse(carried) as Validators) });
}

/**
 * `byDecoder`: the adapter's decoder function itself read the answer as an
 * error (a protocol's refusal, e.g. SockJS's close frame), as opposed to a
 * body the declared JSON or text format cannot read, or a decoder that threw.
 */
export type BodyRead = { kind: 'batch'; messages: DecodedMessage[]; cursor?: string; replies?: SessionRequest[] } | { kind: 'error'; problem: string; byDecoder?: true };

/** Reads the messages (and the next cursor, when the body names one) of a success answer. */
export function decodeBody(endpoint: PollEndpoint, http: HttpAnswer, emptyStatus: number): BodyRead {
  const format = endpoint.format;
  if (typeof format === 'function') {
    try {
      const read = format({ status: http.status, headers: http.headers, body: http.body });
      return read.kind === 'error' ? { ...read, byDecoder: true } : read;
    } catch (error) {
      return { kind: 'error', problem: `the adapter's decoder threw: ${(error as Error).message}` };
    }
  }
  if (format.type === 'text') {
    // A text answer carries one message; an empty 200 can only mean "nothing new".
    if (http.body === '' && emptyStatus === 200) return { kind: 'batch', messages: [] };
    return { kind: 'batch', messages: [{ data: http.body }] };
  }
  let doc: unknown;
  try {
    doc = JSON.parse(http.body);
  } catch {
    return { kind: 'error', problem: 'the body is not JSON' };
  }
  const list = readJsonPointer(doc, format.messages);
  if (!Array.isArray(list)) return { kind: 'error', problem: `no array at JSON pointer "${format.messages}"` };
  const messages: DecodedMessage[] = [];
  for (const item of list) {
    const data = readJsonPointer(item, format.data);
    if (typeof data !== 'string') return { kind: 'error', problem: `a message has no string at "${format.data}"` };
    const id = format.id !== undefined ? readJsonPointer(item, format.id) : undefined;
    const event = format.event !== undefined ? readJsonPointer(item, format.event) : undefined;
    messages.push({ data, ...(id !== undefined && id !== null ? { id: String(id) } : {}), ...(typeof event === 'string' ? { event } : {}) });
  }
  const cursor = format.cursor !== undefined ? readJsonPointer(doc, format.cursor) : undefined;
  return { kind: 'batch', messages, ...(cursor !== undefined && cursor !== null ? { cursor: String(cursor) } : {}) };
}

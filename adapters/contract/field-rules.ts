/**
 * Rules shared by several sections: value predicates (URLs, paths, origins,
 * query parameters, HTTP tokens, JSON Pointers), the "expected" texts that go
 * with them, and the cursor and batch-format rules both poll sections follow.
 *
 * Shared so the same kind of value is accepted, and described, the same way
 * wherever it appears.
 */
import { fillPlaceholders, isJsonPointer } from '../../core/placeholders.ts';
import type { Ctx, Path } from '../../core/fields.ts';
import { at, describe, isObject, oneOf, unknownFields } from '../../core/fields.ts';

/** The sections that read batches from poll answers. */
export type PollSection = 'polling' | 'longPolling';

/** The values of `<section>.start`: where a fresh client begins reading. */
export const START = ['newest', 'oldest'];
/** The characters of a query parameter the harness appends without encoding. */
export const PARAM_CHARS = 'letters, digits, ".", "_", "~" or "-"';
/** An HTTP token (RFC 9110 section 5.6.2): what a header name is made of. */
export const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Expected text for a base or readiness URL. */
export const URL_EXPECTED = 'a URL such as "http://127.0.0.1:{port}"';
/** Expected text for an HTTP endpoint of a poll section or of `publish`. */
export const PATH_EXPECTED = 'a path starting with "/" (such as "/channels/{channel}/messages") or an http(s) URL';
/** Expected text for a JSON Pointer into a response body. */
export const POINTER_EXPECTED = 'a JSON Pointer: "" or a string starting with "/", such as "/messages"';
/** Expected text for `<section>.malformedCursor`. */
export const REFUSAL = 'a string the server must refuse as a cursor, such as "not-a-cursor"';
const ORIGIN_EXPECTED = 'an origin such as "https://app.example" (http or https, a host and an optional port)';
const FORMAT_EXPECTED = '{"type": "json", "messages": "/messages", "data": "/data", ...} or {"type": "text"}';
const JSON_FORMAT_FIELDS = ['type', 'messages', 'data', 'cursor', 'id', 'event'];

/** A predicate accepting exactly `values`. */
export function isOneOf(values: readonly unknown[]): (value: unknown) => boolean {
  return (value) => values.includes(value);
}

/** A predicate accepting whole numbers from `min` to `max`, both included. */
export function isInteger(min: number, max: number): (value: unknown) => boolean {
  return (value) => Number.isInteger(value) && (value as number) >= min && (value as number) <= max;
}

/** A query parameter name the harness can append as is. */
export function isQueryParam(value: unknown): boolean {
  return typeof value === 'string' && /^[A-Za-z0-9._~-]+$/.test(value);
}

/** A value an SSE `event:` line can carry (WHATWG HTML §9.2.6): one line, not empty. */
export function isEventName(value: unknown): boolean {
  return typeof value === 'string' && value !== '' && !/[\r\n\0]/.test(value);
}

/** A whole number of at least 1. */
export function isPositiveInteger(value: unknown): boolean {
  return Number.isInteger(value) && (value as number) >= 1;
}

/** An http(s) URL once `{port}` (and `{channel}`) are given sample values. */
export function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(fillPlaceholders(value, { port: '8080', channel: 'c' }));
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** A path starting with "/" (resolved against `baseUrl`) or an http(s) URL. */
export function isPathOrUrl(value: unknown): boolean {
  return typeof value === 'string' && (value.startsWith('/') || isHttpUrl(value));
}

/** A path, or a ws/wss/http/https URL once `{port}` and `{channel}` are given sample values. */
export function isWsPathOrUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  if (value.startsWith('/')) return true;
  try {
    const url = new URL(fillPlaceholders(value, { port: '8080', channel: 'c' }));
    return ['ws:', 'wss:', 'http:', 'https:'].includes(url.protocol) && url.hostname !== '';
  } catch {
    return false;
  }
}

/** What is wrong with `value` as an origin (the "expected ..." text), or undefined when it is one. */
export function originProblem(value: unknown): string | undefined {
  if (value === '*') return `${ORIGIN_EXPECTED}: "*" is what a server may answer, not the origin of a page, so name one origin the server allows`;
  if (typeof value !== 'string') return ORIGIN_EXPECTED;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return ORIGIN_EXPECTED;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return ORIGIN_EXPECTED;
  if (url.origin === value) return undefined;
  let why: string;
  if (value === `${url.origin}/`) why = 'an origin has no trailing slash';
  else if (url.pathname !== '/') why = 'an origin has no path';
  else if (url.search !== '' || url.hash !== '' || /[?#]/.test(value)) why = 'an origin has no query or fragment';
  else why = 'a browser sends an origin serialized: scheme and host in lower case, no default port, no user';
  return `${ORIGIN_EXPECTED}: ${why}, so write ${JSON.stringify(url.origin)}`;
}

/**
 * Checks an optional object of strings (environment variables, headers) at `path`;
 * `why` says why values must be text, and each wrong value gets its string form suggested.
 */
export function checkStringRecord(value: unknown, path: Path, bad: Ctx['bad'], why: string): void {
  if (value === undefined) return;
  if (!isObject(value)) return bad(path, 'an object whose values are strings');
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string') bad([...path, key], `a string (${why}: write ${JSON.stringify(String(v))})`);
  }
}

/** Checks `<section>.cursor`; returns where the cursor travels (`query` by default). */
export function checkCursor({ def, problems, bad, check }: Ctx, section: PollSection): unknown {
  const cursor = at(def, [section, 'cursor']);
  if (cursor === undefined) return 'query'; // the default transport
  if (!isObject(cursor)) {
    bad([section, 'cursor'], '{"in": "query", "param": "cursor"}, {"in": "validators"} or {"in": "none"}');
  } else if (cursor.in === 'query') {
    unknownFields(cursor, ['in', 'param'], [section, 'cursor'], problems);
    const isName = (v: unknown) => typeof v === 'string' && v !== '';
    check([section, 'cursor', 'param'], isName, 'the name of the query parameter, such as "cursor"', true);
  } else if (cursor.in === 'validators' || cursor.in === 'none') {
    unknownFields(cursor, ['in'], [section, 'cursor'], problems);
  } else {
    bad([section, 'cursor', 'in'], oneOf(['query', 'validators', 'none']));
  }
  return isObject(cursor) ? cursor.in : 'query';
}

/**
 * Reports `<section>.<field>` set to 304 without validators: a 304 status only
 * makes sense with validators, since it answers a conditional request.
 * `instead` names the statuses that would work with the declared cursor.
 */
export function checkNotModified({ problems }: Ctx, section: PollSection, field: string, cursorIn: unknown, instead: string): void {
  if (cursorIn === 'validators') return;
  problems.push(
    `field "${section}.${field}" is 304 but "${section}.cursor.in" is ${describe(cursorIn)}; expected ${instead}: ` +
      '304 Not Modified only answers a conditional request (If-None-Match / If-Modified-Since), ' +
      `so it needs "${section}.cursor": {"in": "validators"}`,
  );
}

/** Checks `<section>.format`: a batch format, or (in a module) a decode function. */
export function checkFormat({ def, problems, bad, check }: Ctx, section: PollSection, cursorIn: unknown, allowFunctions: boolean): void {
  const format = at(def, [section, 'format']);
  if (format === undefined) return;
  if (typeof format === 'function') {
    // A decoder returns the cursor itself, so any cursor transport goes.
    if (!allowFunctions) bad([section, 'format'], `${FORMAT_EXPECTED}: a decode function is only possible in a .ts/.js adapter module`);
    return;
  }
  if (!isObject(format) || (format.type !== 'json' && format.type !== 'text')) {
    return bad(isObject(format) ? [section, 'format', 'type'] : [section, 'format'], FORMAT_EXPECTED);
  }
  if (format.type === 'text') {
    unknownFields(format, ['type'], [section, 'format'], problems);
  } else {
    unknownFields(format, JSON_FORMAT_FIELDS, [section, 'format'], problems);
    for (const key of ['messages', 'data', 'cursor', 'id', 'event']) {
      check([section, 'format', key], isJsonPointer, POINTER_EXPECTED, key === 'messages' || key === 'data');
    }
  }
  // A query cursor is read back from the body: the format must say where it is.
  if (cursorIn === 'query' && format.cursor === undefined) {
    problems.push(
      `field "${section}.format.cursor" is missing; expected a JSON Pointer to the next cursor in the body, because ` +
        `"${section}.cursor.in" is "query" (or use "${section}.cursor": {"in": "validators"})`,
    );
  }
}

/**
 * Reading an adapter's fields and saying what is wrong with them: the problem
 * collection every rule reports into, the helpers that word a problem (field
 * paths, renderings of received values, "one of" lists, the "did you mean"
 * suggestion for misspelt names), and the value predicates every section
 * shares (URLs, paths, origins, query parameters, HTTP tokens), each with the
 * "expected" text that goes with it.
 *
 * Shared so every section words its messages the same way, and the same kind
 * of value is accepted, and described, the same way wherever it appears.
 */
import { fillPlaceholders } from './placeholders.ts';

/** Where a value sits in the definition: field names and array indexes, outermost first. */
export type Path = Array<string | number>;

/** A plain JSON-like object, as the definition and its sections are read. */
export type Obj = Record<string, unknown>;

/** Collects the problems of one definition; every check reads values by path from `def`. */
export interface Ctx {
  def: Obj;
  problems: string[];
  /** Reports `path` as holding the wrong value. */
  bad(path: Path, expected: string): void;
  /** Reports `path` unless it passes `ok`; an absent value passes unless `required`. */
  check(path: Path, ok: (value: unknown) => boolean, expected: string, required?: boolean): void;
}

/** A context that reports the problems of `def` into `problems`, in the order they are found. */
export function createCtx(def: Obj, problems: string[]): Ctx {
  const bad = (path: Path, expected: string) => problems.push(mismatch(path, at(def, path), expected));
  const check: Ctx['check'] = (path, ok, expected, required = false) => {
    const value = at(def, path);
    if (!(value === undefined && !required) && !ok(value)) bad(path, expected);
  };
  return { def, problems, bad, check };
}

/** Reports every key of `obj` (found at `path`) that is not in `known`, suggesting the nearest known one. */
export function unknownFields(obj: Obj, known: string[], path: Path, problems: string[]): void {
  for (const key of Object.keys(obj)) {
    if (known.includes(key)) continue;
    const best = closest(key, known);
    const hint = best === undefined ? `known fields are ${known.map((k) => `"${k}"`).join(', ')}` : `did you mean "${formatPath([...path, best])}"?`;
    problems.push(`unknown field "${formatPath([...path, key])}"; ${hint}`);
  }
}

/** The known name nearest to `key` when it is at most 2 edits away (case ignored). */
function closest(key: string, known: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const name of known) {
    const d = editDistance(key.toLowerCase(), name.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [name, d];
  }
  return best;
}

/** Levenshtein distance, one row at a time. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min((previous[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost));
    }
    previous = row;
  }
  return previous[b.length] ?? 0;
}

/** The message for a field holding the wrong value: `field "<path>" is <value>; expected <expected>`. */
export function mismatch(path: Path, value: unknown, expected: string): string {
  const got = value === undefined ? 'is missing' : `is ${describe(value)}`;
  return `field "${formatPath(path)}" ${got}; expected ${expected}`;
}

/** A short rendering of a received value: JSON where possible, capped in length. */
export function describe(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  if (value === undefined) return 'undefined';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** `path` as an adapter author would write it: `a.b[0]["odd key"]`. */
export function formatPath(path: Path): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(part)) out += out === '' ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}

/** The value at `path` under `root`, or undefined when any step along the way is not an object or array. */
export function at(root: unknown, path: Path): unknown {
  let current = root;
  for (const part of path) current = isObject(current) || Array.isArray(current) ? (current as Obj)[part] : undefined;
  return current;
}

/** The "expected" text for a closed list of values: `one of "a", "b"`. */
export function oneOf(values: readonly (string | number)[]): string {
  return `one of ${values.map((v) => JSON.stringify(v)).join(', ')}`;
}

/** A plain object: not null and not an array. */
export function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

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
const ORIGIN_EXPECTED = 'an origin such as "https://app.example" (http or https, a host and an optional port)';

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

/** `session` (in any section) is a function from a module: `async ({ request }) => ({ values: { session: '…' } })`. */
export function checkSessionFunction({ def, bad }: Pick<Ctx, 'def' | 'bad'>, path: string[], allowFunctions: boolean): void {
  const session = at(def, path);
  if (session === undefined) return;
  const expected = 'a function that opens a session, such as async ({ request }) => ({ query: { sid } })';
  if (typeof session !== 'function') return bad(path, expected);
  if (!allowFunctions) bad(path, `${expected}: a function is only possible in a .ts/.js adapter module`);
}

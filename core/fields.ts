/**
 * The problem collection every rule reports into, and the helpers that word
 * a problem: field paths, renderings of received values, "one of" lists and
 * the "did you mean" suggestion for misspelt field names.
 *
 * Kept apart from the rules so every section words its messages the same way.
 */

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

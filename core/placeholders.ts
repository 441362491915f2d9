/**
 * Small pure helpers shared by the adapter loader, the launcher, the clients
 * and the publisher: `{name}` templates and RFC 6901 JSON Pointers.
 */
// A placeholder is `{word}` or `{word:modifier}`; anything else in braces (a JSON
// object in a body template, say) never matches because it contains quotes, spaces
// or nested braces.
const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*(?::[A-Za-z_][A-Za-z0-9_]*)?)\}/g;

/**
 * Replaces every `{name}` whose name is a key of `values`; unknown names and any
 * other braces are left exactly as they are, because JSON bodies contain braces.
 *
 * @example fillPlaceholders('{"data":{data:json}}', { 'data:json': '"hi"' }) // '{"data":"hi"}'
 */
export function fillPlaceholders(template: string, values: Record<string, string>): string {
  return template.replace(PLACEHOLDER, (whole, name: string) =>
    Object.hasOwn(values, name) ? (values[name] as string) : whole,
  );
}

/** True when `template` contains `{name}` (e.g. `{port}`) as a placeholder. */
export function hasPlaceholder(template: string, name: string): boolean {
  return template.includes(`{${name}}`);
}


/** True for a syntactically valid JSON Pointer: `""` (the whole document) or `/`-prefixed. */
export function isJsonPointer(value: unknown): value is string {
  // `~` must be followed by 0 or 1 (RFC 6901 section 3).
  return typeof value === 'string' && (value === '' || value.startsWith('/')) && !/~(?![01])/.test(value);
}

/**
 * Reads the value `pointer` designates in `doc` (RFC 6901), undoing the `~1` (`/`)
 * and `~0` (`~`) escapes. Returns `undefined` when the value is absent, including
 * array indices that are out of range or not canonical (`01`, `-`).
 *
 * @throws TypeError when `pointer` is not a JSON Pointer (validation rejects those earlier).
 */
export function readJsonPointer(doc: unknown, pointer: string): unknown {
  if (!isJsonPointer(pointer)) throw new TypeError(`not a JSON Pointer: ${JSON.stringify(pointer)}`);
  if (pointer === '') return doc;
  let current: unknown = doc;
  for (const raw of pointer.slice(1).split('/')) {
    // ~1 first, then ~0: "~01" must become "~1", not "/".
    const token = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (Array.isArray(current)) {
      if (!/^(0|[1-9][0-9]*)$/.test(token)) return undefined;
      current = current[Number(token)];
    } else if (current !== null && typeof current === 'object') {
      if (!Object.hasOwn(current, token)) return undefined;
      current = (current as Record<string, unknown>)[token];
    } else {
      return undefined;
    }
    if (current === undefined) return undefined;
  }
  return current;
}

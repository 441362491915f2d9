/**
 * The field rules Ajax polling and long-polling share: where the cursor
 * travels, what "nothing new" may look like, and how a batch is read.
 */
import { isJsonPointer } from '../../core/placeholders.ts';
import type { Ctx } from '../../core/fields.ts';
import { POINTER_EXPECTED, at, checkSessionFunction, describe, isObject, isOneOf, oneOf, unknownFields } from '../../core/fields.ts';

/** The sections that read batches from poll answers. */
export type PollSection = 'polling' | 'longPolling';

/** The values of `<section>.start`: where a fresh client begins reading. */
export const START = ['newest', 'oldest'];
/** Expected text for `<section>.malformedCursor`. */
export const REFUSAL = 'a string the server must refuse as a cursor, such as "not-a-cursor"';
const FORMAT_EXPECTED = '{"type": "json", "messages": "/messages", "data": "/data", ...} or {"type": "text"}';
const JSON_FORMAT_FIELDS = ['type', 'messages', 'data', 'cursor', 'id', 'event'];

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

const METHODS = ['GET', 'POST'];

/**
 * Checks the session fields a poll section may have: `method`, and `session`,
 * a function only a .ts/.js module can give.
 */
export function checkSessionFields({ def, bad, check }: Ctx, section: PollSection, allowFunctions: boolean): void {
  check([section, 'method'], isOneOf(METHODS), oneOf(METHODS));
  checkSessionFunction({ def, bad }, [section, 'session'], allowFunctions);
}

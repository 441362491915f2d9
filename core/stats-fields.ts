/**
 * The adapter field that says where a server reports a count it keeps
 * (`longPolling.stats`: held polls, `sse.stats`: open event streams), checked
 * the same way for both: a URL, and either a JSON Pointer into a JSON page or
 * a pattern whose first group is the count in a text one.
 */
import { at, isObject, isPathOrUrl, unknownFields, type Ctx } from './fields.ts';
import { isJsonPointer } from './placeholders.ts';

/** How one technique names its stats fields. */
export interface StatsFieldNames {
  /** Where the object is: `['sse', 'stats']`. */
  path: string[];
  /** The pointer and pattern fields: `streamsPointer`, `streamsPattern`. */
  pointer: string;
  pattern: string;
  /** What is counted, for the messages: `open event streams`. */
  counted: string;
  /** A pointer to show as an example: `/streams`. */
  example: string;
}

/** Adds a problem for each thing wrong with the stats object at `names.path`; nothing when it is absent. */
export function checkStatsFields({ def, problems, bad, check }: Ctx, names: StatsFieldNames): void {
  const { path, pointer, pattern, counted, example } = names;
  const stats = at(def, path);
  if (stats === undefined) return;
  if (!isObject(stats)) return bad(path, `an object such as {"url": "/stats", "${pointer}": "${example}"}`);
  unknownFields(stats, ['url', pointer, pattern], path, problems);
  check([...path, 'url'], isPathOrUrl, 'a path starting with "/" (such as "/stats") or an http(s) URL answering JSON', true);
  if (stats[pattern] === undefined) {
    check([...path, pointer], isJsonPointer, `a JSON Pointer to the number of ${counted}, such as "${example}"`, true);
    return;
  }
  check([...path, pattern], isCountPattern, `a regular expression whose first group is the number of ${counted}, such as "^subscribers: (\\\\d+)$"`);
  if (stats[pointer] !== undefined) {
    const field = path.join('.');
    problems.push(`fields "${field}.${pointer}" and "${field}.${pattern}" are both given; expected one of them: "${pointer}" for a JSON answer, "${pattern}" for a text one`);
  }
}

/** A regular expression that compiles and has a group to capture the count. */
function isCountPattern(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    return new RegExp(`${value}|`).exec('')!.length > 1;
  } catch {
    return false;
  }
}

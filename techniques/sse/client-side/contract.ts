/**
 * The `sse` section of a client adapter: how an EventSource client's glue
 * reports what its application sees.
 *
 * ```json
 * "sse": { "eventTypes": "listed" }
 * ```
 *
 * - `eventTypes`: `"all"` (the default): the glue reports every event, whatever
 *   its type (a client with one callback for all events). `"listed"`: the glue
 *   can only listen for event types by name, as `EventSource.addEventListener`
 *   does; pushspec then sets the environment variable `PUSHSPEC_EVENT_TYPES` to
 *   the types named by the case's `event:` fields, comma-separated, and the
 *   glue adds a listener for each (and `onmessage` for the type `message`).
 *   An event of a type that was not listed cannot be seen by such a glue.
 */
import { PushspecError } from '../../../core/errors.ts';

/** The environment variable that names the event types a `listed` glue listens for. */
export const EVENT_TYPES_ENV = 'PUSHSPEC_EVENT_TYPES';

/** The `sse` section, checked. */
export interface SseClientSpec {
  eventTypes: 'all' | 'listed';
}

/**
 * Checks a client adapter's `sse` section.
 * @throws PushspecError `PUSHSPEC_ERR_ADAPTER_INVALID` naming the field that is wrong.
 */
export function sseClientSpecFrom(section: Record<string, unknown>, source: string): SseClientSpec {
  for (const key of Object.keys(section)) {
    if (key !== 'eventTypes') throw new PushspecError('PUSHSPEC_ERR_ADAPTER_INVALID', `${source}: "sse": unknown field "${key}" (known: eventTypes)`);
  }
  const eventTypes = section.eventTypes ?? 'all';
  if (eventTypes !== 'all' && eventTypes !== 'listed') {
    throw new PushspecError('PUSHSPEC_ERR_ADAPTER_INVALID', `${source}: "sse.eventTypes": expected "all" (the glue reports every event) or "listed" (it listens for the types named in ${EVENT_TYPES_ENV}), got ${JSON.stringify(eventTypes)}`);
  }
  return { eventTypes };
}

/** The event types a stream's `event:` fields name (one leading space removed), in order, without repeats or the empty type. */
export function eventTypesNamedIn(bytes: Buffer): string[] {
  const types: string[] = [];
  for (const line of bytes.toString('utf8').split(/\r\n|\r|\n/)) {
    if (!line.startsWith('event:')) continue;
    const value = line.slice('event:'.length).replace(/^ /, '');
    if (value !== '' && !types.includes(value)) types.push(value);
  }
  return types;
}

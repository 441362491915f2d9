/**
 * What a client adapter's `polling` and `longPolling` sections declare: the
 * protocol the scripted server speaks to the client under test. The fields
 * are the server adapters' own (techniques/polling/contract.ts), so a client
 * of any server pushspec knows can be described; every field defaults to
 * pushspec's reference protocol (docs/reference-protocol.md), whose client
 * is pointed at `{url}` = the poll endpoint and adds `?cursor=<id>` (and
 * `&wait=<ms>` for a long-poll) itself:
 *
 * ```json
 * "longPolling": {},
 * "polling": { "intervalMs": 300 }
 * ```
 */
import { PushspecError } from '../../../core/errors.ts';
import { REFERENCE_FORMAT } from '../adapter.ts';
import type { BatchFormat, CursorTransport } from '../contract.ts';

/** The protocols a scripted poll server can speak: pushspec's reference protocol, and engine.io v4 long-polling (./engine-io.ts). */
export const CLIENT_POLL_PROTOCOLS = ['pushspec-reference', 'engine.io'] as const;
export type ClientPollProtocol = (typeof CLIENT_POLL_PROTOCOLS)[number];

/** A JSON batch format: every field a JSON Pointer (RFC 6901) into the answer. */
export type JsonBatchFormat = Extract<BatchFormat, { type: 'json' }>;

/** A client adapter's `polling` / `longPolling` section, defaults filled in. */
export interface ClientPollSection {
  /** `engine.io`: long-polling only, and the cursor, format and wait fields do not apply (filled with the defaults, unused). */
  protocol: ClientPollProtocol;
  /** Where the client sends its cursor: a query parameter (default `cursor`), or the validators (the ETag it got, sent back as If-None-Match). */
  cursor: Exclude<CursorTransport, { in: 'none' }>;
  /** The answer's shape (default: the reference JSON, `{"messages": [{"id", "data", "event"}], "cursor"}`). */
  format: JsonBatchFormat;
  /** Polling only: the interval the client is set to poll at, in ms (its glue sets it). */
  intervalMs?: number;
  /** Long-polling only: the query parameter through which the client asks for a hold (informational: the scripted server holds as the case says). */
  waitParam?: string;
}

const PROTOCOL_FIELDS = new Set(['protocol', 'cursor', 'format']);

/**
 * Checks a client adapter's `polling` or `longPolling` section and fills its defaults.
 * @throws PushspecError `PUSHSPEC_ERR_ADAPTER_INVALID` naming the field that is wrong.
 */
export function clientPollSectionFrom(section: Record<string, unknown>, name: 'polling' | 'longPolling', source: string): ClientPollSection {
  const invalid = (field: string, problem: string): never => {
    throw new PushspecError('PUSHSPEC_ERR_ADAPTER_INVALID', `${source}: "${name}.${field}": ${problem}`);
  };
  const own = name === 'polling' ? 'intervalMs' : 'waitParam';
  for (const key of Object.keys(section)) if (!PROTOCOL_FIELDS.has(key) && key !== own) invalid(key, `unknown field (known: ${[...PROTOCOL_FIELDS, own].join(', ')})`);
  const protocol = section.protocol ?? 'pushspec-reference';
  if (!CLIENT_POLL_PROTOCOLS.includes(protocol as ClientPollProtocol)) invalid('protocol', `expected one of ${CLIENT_POLL_PROTOCOLS.map((p) => `"${p}"`).join(', ')}, got ${JSON.stringify(protocol)}`);
  if (protocol === 'engine.io') {
    // engine.io's session (sid) and packets stand for all of these: a field that cannot be obeyed is refused, not ignored.
    if (name === 'polling') invalid('protocol', 'engine.io polling is long-polling: declare it in "longPolling"');
    for (const field of ['cursor', 'format', 'waitParam']) if (section[field] !== undefined) invalid(field, 'does not apply to "protocol": "engine.io" (no cursor; the answers are engine.io packets)');
  }
  const out: ClientPollSection = { protocol: protocol as ClientPollProtocol, cursor: cursorFrom(section.cursor, invalid), format: formatFrom(section.format, invalid) };
  if (name === 'polling') {
    const interval = section.intervalMs;
    if (!Number.isInteger(interval) || (interval as number) < 50 || (interval as number) > 10_000) {
      invalid('intervalMs', `expected the interval the client polls at, an integer of ms from 50 to 10000 (keep it near 300 so the cases run in seconds), got ${JSON.stringify(interval)}`);
    }
    out.intervalMs = interval as number;
  } else if (section.waitParam !== undefined) {
    if (typeof section.waitParam !== 'string' || section.waitParam === '') invalid('waitParam', 'expected a query parameter name, e.g. "wait"');
    out.waitParam = section.waitParam as string;
  } else out.waitParam = 'wait';
  return out;
}

type Invalid = (field: string, problem: string) => never;

function cursorFrom(value: unknown, invalid: Invalid): ClientPollSection['cursor'] {
  if (value === undefined) return { in: 'query', param: 'cursor' };
  const v = value as Record<string, unknown>;
  if (typeof v !== 'object' || v === null) return invalid('cursor', 'expected {"in": "query", "param": "cursor"} or {"in": "validators"}');
  if (v.in === 'validators') return { in: 'validators' };
  if (v.in === 'query') {
    if (typeof v.param !== 'string' || v.param === '') return invalid('cursor.param', 'expected the query parameter that carries the cursor, e.g. "cursor"');
    return { in: 'query', param: v.param };
  }
  return invalid('cursor.in', `expected "query" or "validators", got ${JSON.stringify(v.in)}`);
}

function formatFrom(value: unknown, invalid: Invalid): JsonBatchFormat {
  if (value === undefined) return REFERENCE_FORMAT as JsonBatchFormat;
  const v = value as Record<string, unknown>;
  if (typeof v !== 'object' || v === null || v.type !== 'json') return invalid('format', 'expected {"type": "json", "messages": "/messages", "data": "/data", ...} (JSON Pointers; "text" is not built for clients)');
  for (const field of ['messages', 'data', 'cursor', 'id', 'event']) {
    const p = v[field];
    if (p === undefined && (field === 'messages' || field === 'data')) invalid(`format.${field}`, 'required: a JSON Pointer, e.g. "/messages"');
    if (p !== undefined && (typeof p !== 'string' || (p !== '' && !p.startsWith('/')))) invalid(`format.${field}`, `expected a JSON Pointer (RFC 6901) such as "/${field}", got ${JSON.stringify(p)}`);
  }
  return { type: 'json', messages: v.messages as string, data: v.data as string, ...(v.cursor !== undefined ? { cursor: v.cursor as string } : {}), ...(v.id !== undefined ? { id: v.id as string } : {}), ...(v.event !== undefined ? { event: v.event as string } : {}) };
}

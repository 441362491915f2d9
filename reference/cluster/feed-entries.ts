/**
 * Reading the cluster's feed (see redis-keys.ts): one blocking XREAD, its
 * reply turned into entries. A malformed entry (written by something else
 * under the same prefix) is skipped rather than stopping the instance.
 */
import type { RedisClientType } from '@redis/client';

/** One feed entry: a message published, or a channel closed. */
export type FeedEntry =
  | { kind: 'message'; channel: string; id: string; data: string; event: string | undefined; feedId?: string }
  | { kind: 'close'; channel: string; feedId?: string };

/** Any connected client: only `sendCommand` is used. */
type Client = Pick<RedisClientType, 'sendCommand'>;
type XReadReply = Array<[string, Array<[string, string[]]>]> | null;

/**
 * Entries after `after`, at most `count`, waiting up to `blockMs` for the
 * first; an empty list when none came.
 */
export async function readFeed(client: Client, key: string, after: string, count: number, blockMs: number): Promise<Array<FeedEntry & { feedId: string }>> {
  const reply = (await client.sendCommand(['XREAD', 'COUNT', String(count), 'BLOCK', String(blockMs), 'STREAMS', key, after])) as XReadReply;
  const entries: Array<FeedEntry & { feedId: string }> = [];
  for (const [, streamEntries] of reply ?? []) {
    for (const [feedId, fields] of streamEntries) {
      const entry = toEntry(fields);
      if (entry !== undefined) entries.push({ ...entry, feedId });
    }
  }
  return entries;
}

/** A stream entry's flat `[field, value, ...]` list as a map. */
export function fieldMap(fields: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i] as string, fields[i + 1] as string);
  return map;
}

function toEntry(fields: string[]): FeedEntry | undefined {
  const field = fieldMap(fields);
  const channel = field.get('ch');
  if (channel === undefined) return undefined;
  if (field.get('t') === 'c') return { kind: 'close', channel };
  const id = field.get('id');
  const data = field.get('d');
  if (field.get('t') !== 'm' || id === undefined || data === undefined) return undefined;
  return { kind: 'message', channel, id, data, event: field.get('e') };
}

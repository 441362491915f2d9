/**
 * Where a clustered reference server keeps its state in Redis, and the two Lua
 * scripts that change it. Each script runs atomically in Redis, so a message's
 * id, its place in the channel's history and its place in the feed every
 * instance reads are decided in one step: no two instances can give one id to
 * two messages, and every instance sees a channel's messages in id order.
 *
 * Keys, under a prefix (default `pushspec`):
 * - `<p>:seq`          hash, channel → the channel's latest id. Never reset, so ids never restart.
 * - `<p>:ch:<channel>` stream, the channel's retained history: entry `0-<id>`, fields `d` (data), `e` (event).
 *                      Trimmed exactly to the history limit.
 * - `<p>:channels`     set of the channels holding messages (what `maxChannels` counts).
 * - `<p>:closed`       hash, closed channel → its latest id when closed; `<p>:closed-order` lists them, oldest
 *                      first, so only the last `closedChannelLimit` are remembered (as in one instance).
 * - `<p>:feed`         stream every instance reads (blocking XREAD): `t` = `m` (message: `ch`, `id`, `d`, `e`)
 *                      or `c` (channel closed: `ch`). Trimmed approximately to {@link FEED_MAX_LENGTH}.
 */

/** Entries kept in the feed: how far an instance cut off from Redis can fall behind and still catch up from it alone. */
export const FEED_MAX_LENGTH = 100_000;

/** The keys of one cluster. */
export interface ClusterKeys {
  readonly seq: string;
  readonly channels: string;
  readonly closed: string;
  readonly closedOrder: string;
  readonly feed: string;
  history(channel: string): string;
}

/** The keys under `prefix`. */
export function clusterKeys(prefix: string): ClusterKeys {
  return {
    seq: `${prefix}:seq`,
    channels: `${prefix}:channels`,
    closed: `${prefix}:closed`,
    closedOrder: `${prefix}:closed-order`,
    feed: `${prefix}:feed`,
    history: (channel) => `${prefix}:ch:${channel}`,
  };
}

/**
 * KEYS: seq, channels, closed, history, feed. ARGV: channel, data, event, has-event (`1`/`0`), history limit,
 * max channels, feed length. Returns `{"ok", id}`, `{"closed"}` or `{"limit"}` (nothing stored).
 */
export const PUBLISH_SCRIPT = `
if redis.call('HEXISTS', KEYS[3], ARGV[1]) == 1 then return {'closed'} end
if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 0 then
  if redis.call('SCARD', KEYS[2]) >= tonumber(ARGV[6]) then return {'limit'} end
  redis.call('SADD', KEYS[2], ARGV[1])
end
local id = redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
if ARGV[4] == '1' then
  redis.call('XADD', KEYS[4], 'MAXLEN', ARGV[5], '0-' .. id, 'd', ARGV[2], 'e', ARGV[3])
  redis.call('XADD', KEYS[5], 'MAXLEN', '~', ARGV[7], '*', 't', 'm', 'ch', ARGV[1], 'id', id, 'd', ARGV[2], 'e', ARGV[3])
else
  redis.call('XADD', KEYS[4], 'MAXLEN', ARGV[5], '0-' .. id, 'd', ARGV[2])
  redis.call('XADD', KEYS[5], 'MAXLEN', '~', ARGV[7], '*', 't', 'm', 'ch', ARGV[1], 'id', id, 'd', ARGV[2])
end
return {'ok', id}
`;

/**
 * KEYS: seq, channels, closed, closed-order, history, feed. ARGV: channel, closed channel limit, feed length.
 * Closing twice is fine: the feed carries the close again, and instances have nothing left to end.
 */
export const CLOSE_SCRIPT = `
if redis.call('HEXISTS', KEYS[3], ARGV[1]) == 0 then
  redis.call('HSET', KEYS[3], ARGV[1], redis.call('HGET', KEYS[1], ARGV[1]) or '0')
  redis.call('RPUSH', KEYS[4], ARGV[1])
  if redis.call('LLEN', KEYS[4]) > tonumber(ARGV[2]) then
    redis.call('HDEL', KEYS[3], redis.call('LPOP', KEYS[4]))
  end
  redis.call('SREM', KEYS[2], ARGV[1])
  redis.call('DEL', KEYS[5])
end
redis.call('XADD', KEYS[6], 'MAXLEN', '~', ARGV[3], '*', 't', 'c', 'ch', ARGV[1])
return 'ok'
`;

/**
 * `pushspec serve`: the reference server on its own, until Ctrl-C. The publish
 * token may come from the environment (`PUSHSPEC_PUBLISH_TOKEN`), so it does
 * not show in `ps`.
 */
import { once } from 'node:events';
import { PushspecError, EXIT } from '../../core/errors.ts';
import { originProblem } from '../../reference/cors.ts';
import { DEFAULT_MAX_HOLD_MS, MAX_HOLD_LIMIT_MS } from '../../reference/held-polls.ts';
import { startReferenceServer } from '../../reference/server.ts';
import { REDIS_PREFIX, isRedisUrl } from '../../reference/options.ts';
import {
  DEFAULT_SSE_KEEP_ALIVE_MS,
  DEFAULT_SSE_RETRY_MS,
  MAX_SSE_INTERVAL_MS,
  MIN_SSE_KEEP_ALIVE_MS,
} from '../../reference/sse/streams.ts';
import {
  DEFAULT_WS_MAX_BUFFER_BYTES,
  DEFAULT_WS_MAX_MESSAGE_BYTES,
  DEFAULT_WS_PING_INTERVAL_MS,
  MAX_WS_PING_INTERVAL_MS,
  MIN_WS_MAX_BUFFER_BYTES,
  MIN_WS_PING_INTERVAL_MS,
} from '../../reference/websocket/sockets.ts';
import { DEFAULT_HISTORY_MAX_BYTES, DEFAULT_MAX_CHANNELS, MIN_HISTORY_MAX_BYTES } from '../../reference/channel-store.ts';
import { publishTokenProblem } from '../../reference/publish-token.ts';
import { DEFAULT_HEADERS_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT_MS, MAX_TIMEOUT_MS, MIN_TIMEOUT_MS } from '../../reference/timeouts.ts';
import { parseOptions } from '../options.ts';
import { readServerTls, SERVER_TLS_OPTIONS } from '../tls-options.ts';
import { hostProblem } from '../../reference/hosts.ts';

function integer(name: string, value: unknown, min: number, max: number): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < min || number > max) {
    throw new PushspecError('PUSHSPEC_ERR_USAGE', `serve: --${name} is ${JSON.stringify(value)}; expected an integer from ${min} to ${max}`);
  }
  return number;
}

/** Checks each `--allow-origin` (or its former name `--cors-origin`) here, so a typo is a usage error (exit 2), not a failed start. */
function origins(flag: string, value: unknown): string[] {
  const given = Array.isArray(value) ? value.map(String) : [];
  for (const origin of given) {
    const problem = originProblem(origin);
    if (problem !== undefined) throw new PushspecError('PUSHSPEC_ERR_USAGE', `serve: --${flag}: ${problem}`);
  }
  return given;
}

/** `--publish-token`, else `PUSHSPEC_PUBLISH_TOKEN`, else none; checked here so a bad one is a usage error. */
function publishToken(value: unknown): string {
  const fromFlag = typeof value === 'string';
  const token = fromFlag ? value : (process.env.PUSHSPEC_PUBLISH_TOKEN ?? '');
  const problem = publishTokenProblem(token);
  if (problem !== undefined) {
    throw new PushspecError('PUSHSPEC_ERR_USAGE', `serve: ${fromFlag ? '--publish-token' : 'PUSHSPEC_PUBLISH_TOKEN'} ${problem}`);
  }
  return token;
}

/** Checks each `--allow-host` here, so a typo is a usage error (exit 2), not a failed start. */
function hosts(value: unknown): string[] {
  const given = Array.isArray(value) ? value.map(String) : [];
  for (const host of given) {
    const problem = hostProblem(host);
    if (problem !== undefined) throw new PushspecError('PUSHSPEC_ERR_USAGE', `serve: --allow-host: ${problem}`);
  }
  return given;
}

/** The reference's `redis` and `redisPrefix` options from `--redis` and `--redis-prefix`, checked. */
function cluster(url: unknown, prefix: unknown): { redis?: string; redisPrefix?: string } {
  if (url === undefined) return {};
  if (typeof url !== 'string' || !isRedisUrl(url)) {
    throw new PushspecError('PUSHSPEC_ERR_USAGE', `serve: --redis is ${JSON.stringify(url)}; expected a Redis URL such as redis://127.0.0.1:6379`);
  }
  if (typeof prefix !== 'string' || !REDIS_PREFIX.test(prefix)) {
    throw new PushspecError('PUSHSPEC_ERR_USAGE', `serve: --redis-prefix is ${JSON.stringify(prefix)}; expected 1 to 64 of A-Z a-z 0-9 . _ : -`);
  }
  return { redis: url, redisPrefix: prefix };
}

/** The reference's `tls` option from what `--tls-cert` and `--tls-key` read, if they were given. */
function withTls(read: ReturnType<typeof readServerTls>): { tls?: { cert: Buffer | string; key: Buffer | string } } {
  return read === undefined ? {} : { tls: { cert: read.cert, key: read.key } };
}

export async function serveCommand(args: string[]): Promise<number> {
  const { values } = parseOptions('serve', args, {
    port: { type: 'string', default: '8080' },
    host: { type: 'string', default: '127.0.0.1' },
    history: { type: 'string', default: '1000' },
    'max-message-bytes': { type: 'string', default: '1048576' },
    'max-hold': { type: 'string', default: String(DEFAULT_MAX_HOLD_MS) },
    retry: { type: 'string', default: String(DEFAULT_SSE_RETRY_MS) },
    'keep-alive': { type: 'string', default: String(DEFAULT_SSE_KEEP_ALIVE_MS) },
    'history-max-bytes': { type: 'string', default: String(DEFAULT_HISTORY_MAX_BYTES) },
    'max-channels': { type: 'string', default: String(DEFAULT_MAX_CHANNELS) },
    'allow-origin': { type: 'string', multiple: true, default: [] },
    'cors-origin': { type: 'string', multiple: true, default: [] },
    'publish-token': { type: 'string' },
    'headers-timeout': { type: 'string', default: String(DEFAULT_HEADERS_TIMEOUT_MS) },
    'request-timeout': { type: 'string', default: String(DEFAULT_REQUEST_TIMEOUT_MS) },
    'ws-max-buffer-bytes': { type: 'string', default: String(DEFAULT_WS_MAX_BUFFER_BYTES) },
    'allow-host': { type: 'string', multiple: true, default: [] },
    'ws-ping': { type: 'string', default: String(DEFAULT_WS_PING_INTERVAL_MS) },
    'ws-max-message-bytes': { type: 'string', default: String(DEFAULT_WS_MAX_MESSAGE_BYTES) },
    redis: { type: 'string' },
    'redis-prefix': { type: 'string', default: 'pushspec' },
    http2: { type: 'boolean', default: false },
    ...SERVER_TLS_OPTIONS,
  });
  const wsPing = integer('ws-ping', values['ws-ping'], 0, MAX_WS_PING_INTERVAL_MS);
  if (wsPing !== 0 && wsPing < MIN_WS_PING_INTERVAL_MS) {
    throw new PushspecError(
      'PUSHSPEC_ERR_USAGE',
      `serve: --ws-ping is ${JSON.stringify(values['ws-ping'])}; expected 0 (off) or an integer from ${MIN_WS_PING_INTERVAL_MS} to ${MAX_WS_PING_INTERVAL_MS}`,
    );
  }
  const headersTimeoutMs = integer('headers-timeout', values['headers-timeout'], MIN_TIMEOUT_MS, MAX_TIMEOUT_MS);
  const requestTimeoutMs = integer('request-timeout', values['request-timeout'], MIN_TIMEOUT_MS, MAX_TIMEOUT_MS);
  if (headersTimeoutMs > requestTimeoutMs) {
    throw new PushspecError('PUSHSPEC_ERR_USAGE', `serve: --headers-timeout (${headersTimeoutMs}) must not be greater than --request-timeout (${requestTimeoutMs})`);
  }
  const options = {
    host: String(values.host),
    port: integer('port', values.port, 0, 65535),
    historyLimit: integer('history', values.history, 1, 10_000_000),
    maxMessageBytes: integer('max-message-bytes', values['max-message-bytes'], 1, 1 << 30),
    maxHoldMs: integer('max-hold', values['max-hold'], 1, MAX_HOLD_LIMIT_MS),
    sseRetryMs: integer('retry', values.retry, 0, MAX_SSE_INTERVAL_MS),
    sseKeepAliveMs: integer('keep-alive', values['keep-alive'], MIN_SSE_KEEP_ALIVE_MS, MAX_SSE_INTERVAL_MS),
    historyMaxBytes: integer('history-max-bytes', values['history-max-bytes'], MIN_HISTORY_MAX_BYTES, Number.MAX_SAFE_INTEGER),
    maxChannels: integer('max-channels', values['max-channels'], 1, 100_000_000),
    allowedOrigins: [...origins('allow-origin', values['allow-origin']), ...origins('cors-origin', values['cors-origin'])],
    publishToken: publishToken(values['publish-token']),
    headersTimeoutMs,
    requestTimeoutMs,
    wsMaxBufferBytes: integer('ws-max-buffer-bytes', values['ws-max-buffer-bytes'], MIN_WS_MAX_BUFFER_BYTES, Number.MAX_SAFE_INTEGER),
    allowedHosts: hosts(values['allow-host']),
    wsPingIntervalMs: wsPing,
    wsMaxMessageBytes: integer('ws-max-message-bytes', values['ws-max-message-bytes'], 1, 1 << 30),
    ...withTls(readServerTls('serve', values)),
    ...cluster(values.redis, values['redis-prefix']),
    ...(values.http2 === true ? { http2: true } : {}),
  };
  let server;
  try {
    server = await startReferenceServer(options);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const hint = code === 'EADDRINUSE' ? ' (the port is taken; try another --port, or --port 0 for a free one)' : '';
    // A cluster instance that cannot reach its Redis says so (the message names the URL); anything else is the listen.
    const what = options.redis !== undefined && /Redis/.test((error as Error).message) ? 'cannot start' : `cannot listen on ${options.host}:${options.port}`;
    throw new PushspecError('PUSHSPEC_ERR_LAUNCH', `serve: ${what}: ${(error as Error).message}${hint}`);
  }
  const clustered = options.redis === undefined ? '' : ` (a cluster instance on ${options.redis}, keys ${options.redisPrefix}:*)`;
  const h2 = options.http2 === true ? (options.tls === undefined ? ' (HTTP/2 by prior knowledge, h2c, beside HTTP/1.1)' : ' (HTTP/2 by ALPN beside HTTP/1.1)') : '';
  process.stdout.write(`pushspec reference server listening on ${server.url}${h2}${clustered}\n`);
  await Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
  await server.close();
  process.stdout.write('pushspec reference server stopped\n');
  return EXIT.OK;
}

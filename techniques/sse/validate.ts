/**
 * Rules for `sse`: Server-Sent Events, including the resume fields that only
 * mean something for a server that replays after a Last-Event-ID.
 */
import type { Protocol } from '../../core/technique.ts';
import { SSE_PROTOCOLS } from './adapter.ts';
import { PARAM_CHARS, TOKEN, checkStringRecord, isEventName, isInteger, isOneOf, isPathOrUrl, isPositiveInteger, isQueryParam, originProblem, at, checkSessionFunction, describe, isObject, oneOf, unknownFields } from '../../core/fields.ts';
import type { Ctx } from '../../core/fields.ts';
import { checkStatsFields } from '../../core/stats-fields.ts';

const SSE_FIELDS = [
  'path',
  'session',
  'decode',
  'requestHeaders',
  'dataEncoding',
  'replay',
  'lastEventIdParam',
  'historyLimit',
  'gapEvent',
  'keepAliveMs',
  'retryMs',
  'close',
  'corsOrigin',
  'slowClientLimitBytes',
  'http2',
  'stats',
];
const DATA_ENCODINGS = ['raw', 'json'];
const CLOSE_METHODS = ['DELETE', 'POST'];
const SSE_PATH_EXPECTED = 'a path starting with "/" (such as "/channels/{channel}/events") or an http(s) URL';
/** `sse` fields that only mean something for a server that replays: their own check, and why. */
const REPLAY_ONLY: Array<[field: string, ok: (value: unknown) => boolean, why: string]> = [
  ['lastEventIdParam', isQueryParam, 'the parameter tells the server where to resume, and a server that replays nothing resumes nobody'],
  [
    'historyLimit',
    isPositiveInteger,
    'the history is what the server replays after a Last-Event-ID, and a server that replays nothing keeps none for its clients',
  ],
  [
    'gapEvent',
    isEventName,
    'the gap event tells a resuming client that events older than the history are lost, and a server that replays nothing ' +
      'resumes nobody, so it has no gap to signal',
  ],
];
/** Bounds of `sse.keepAliveMs` and `sse.retryMs`. */
const MIN_KEEP_ALIVE_MS = 50;
const MAX_SSE_MS = 3_600_000;
/** The least `sse.slowClientLimitBytes`: less would drop a client for one ordinary event. */
const MIN_SLOW_CLIENT_BYTES = 1024;

/**
 * Checks `sse`; call it only when the definition has one. `protocol` is the
 * (valid) protocol whose defaults fill what the section leaves out;
 * `hasProtocol` says one is set at all (even a wrong one, already reported),
 * which makes `path` optional.
 */
export function checkSse(ctx: Ctx, protocol: Protocol | undefined, hasProtocol: boolean, allowFunctions = false): void {
  const { def, problems, bad, check } = ctx;
  const spec = def.sse;
  if (!isObject(spec)) return bad(['sse'], 'an object such as {"path": "/channels/{channel}/events"}');
  unknownFields(spec, SSE_FIELDS, ['sse'], problems);
  check(['sse', 'path'], isPathOrUrl, SSE_PATH_EXPECTED, !hasProtocol);
  checkRequestHeaders(ctx);
  check(['sse', 'dataEncoding'], isOneOf(DATA_ENCODINGS), oneOf(DATA_ENCODINGS));
  checkSessionFunction(ctx, ['sse', 'session'], allowFunctions);
  const decode = at(def, ['sse', 'decode']);
  if (decode !== undefined) {
    const expected = 'a function that reads the messages of one event, such as ({ data }) => ({ messages: JSON.parse(data.slice(1)).map((d) => ({ data: d })) })';
    if (typeof decode !== 'function') bad(['sse', 'decode'], expected);
    else if (!allowFunctions) bad(['sse', 'decode'], `${expected}: a function is only possible in a .ts/.js adapter module`);
  }
  check(['sse', 'replay'], (v) => typeof v === 'boolean', 'true or false');
  check(['sse', 'http2'], (v) => typeof v === 'boolean', 'true or false');
  check(
    ['sse', 'lastEventIdParam'],
    isQueryParam,
    `the name of the query parameter carrying a last event id on a first connection (${PARAM_CHARS}), such as "lastEventId"`,
  );
  check(['sse', 'historyLimit'], isPositiveInteger, 'a positive whole number of messages');
  check(['sse', 'gapEvent'], isEventName, 'an event name: a non-empty string without CR, LF or NUL, such as "gap"');
  check(['sse', 'keepAliveMs'], isInteger(MIN_KEEP_ALIVE_MS, MAX_SSE_MS), `a whole number of milliseconds from ${MIN_KEEP_ALIVE_MS} to ${MAX_SSE_MS} (one hour)`);
  check(['sse', 'retryMs'], isInteger(0, MAX_SSE_MS), `a whole number of milliseconds from 0 to ${MAX_SSE_MS} (one hour)`);
  checkClose(ctx);
  checkOrigin(ctx);
  check(['sse', 'slowClientLimitBytes'], isInteger(MIN_SLOW_CLIENT_BYTES, Infinity), `a whole number of bytes, at least ${MIN_SLOW_CLIENT_BYTES}`);
  checkStatsFields(ctx, { path: ['sse', 'stats'], pointer: 'streamsPointer', pattern: 'streamsPattern', counted: 'open event streams', example: '/streams' });

  // Resume fields describe what a replaying server does with a Last-Event-ID.
  if (spec.replay !== undefined && typeof spec.replay !== 'boolean') return; // already reported
  const replay = spec.replay ?? (protocol === undefined ? false : SSE_PROTOCOLS[protocol].replay);
  if (replay) return;
  const replayText = spec.replay === undefined ? 'false (the default)' : 'false';
  for (const [field, ok, why] of REPLAY_ONLY) {
    const value = spec[field];
    // A value that is wrong in itself is reported once, above.
    if (value === undefined || !ok(value)) continue;
    problems.push(
      `field "sse.${field}" is ${describe(value)} but "sse.replay" is ${replayText}; expected "sse.replay": true ` +
        `or no "sse.${field}": ${why}`,
    );
  }
}

/** `sse.requestHeaders`: header names are HTTP tokens, values are text on one line. */
function checkRequestHeaders({ def, problems, bad }: Ctx): void {
  const path = ['sse', 'requestHeaders'];
  const headers = at(def, path);
  checkStringRecord(headers, path, bad, 'header values are text');
  if (!isObject(headers)) return;
  for (const [name, value] of Object.entries(headers)) {
    if (!TOKEN.test(name)) {
      problems.push(
        `field "sse.requestHeaders" has the header name ${JSON.stringify(name)}; expected header names made of letters, ` +
          'digits and !#$%&\'*+-.^_`|~ only (an HTTP token, RFC 9110), such as "authorization"',
      );
    }
    if (typeof value === 'string' && /[\r\n\0]/.test(value)) bad([...path, name], 'a header value on one line: without CR, LF or NUL');
  }
}

/** `sse.close`: the request that closes a channel for good. */
function checkClose({ def, problems, bad, check }: Ctx): void {
  const close = at(def, ['sse', 'close']);
  if (close === undefined) return;
  if (!isObject(close)) return bad(['sse', 'close'], 'an object such as {"method": "DELETE", "url": "/channels/{channel}"}');
  unknownFields(close, ['method', 'url'], ['sse', 'close'], problems);
  check(['sse', 'close', 'method'], isOneOf(CLOSE_METHODS), oneOf(CLOSE_METHODS), true);
  check(['sse', 'close', 'url'], isPathOrUrl, 'a path starting with "/" (such as "/channels/{channel}") or an http(s) URL', true);
}

/** `sse.corsOrigin`: exactly what a browser sends in `Origin`, so the server's answer can be compared with it. */
function checkOrigin({ def, bad }: Ctx): void {
  const path = ['sse', 'corsOrigin'];
  const value = at(def, path);
  if (value === undefined) return;
  const problem = originProblem(value);
  if (problem !== undefined) bad(path, problem);
}


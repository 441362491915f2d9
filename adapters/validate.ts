/**
 * Hand-written validation of an adapter definition (JSON or module default export).
 *
 * Written by hand rather than with a schema library so every message can say, in
 * the adapter author's terms, which field is wrong, what it holds and what was
 * expected, and so typos in field names get a "did you mean" suggestion.
 */
import type { AdapterDefinition, Protocol } from './contract.ts';
import { PROTOCOLS } from './contract.ts';
import { DEFAULT_HOLD_MS, REFERENCE_MAX_HOLD_MS, protocolSse, protocolWebSocket } from './resolve.ts';
import { fillPlaceholders, hasPlaceholder, isJsonPointer } from './placeholders.ts';
import { PushspecError } from '../harness/errors.ts';

const TOP_FIELDS = ['name', 'baseUrl', 'protocol', 'launch', 'polling', 'longPolling', 'sse', 'websocket', 'publish'];
const LAUNCH_FIELDS = ['command', 'cwd', 'env', 'readyUrl', 'readyTimeoutMs'];
const POLLING_FIELDS = ['path', 'cursor', 'emptyStatus', 'format', 'start', 'historyLimit', 'gapStatus', 'malformedCursor'];
const LONG_POLLING_FIELDS = [
  'path',
  'cursor',
  'waitParam',
  'holdMs',
  'maxHoldMs',
  'timeoutStatus',
  'format',
  'start',
  'concurrentPolls',
  'malformedCursor',
  'stats',
];
const SSE_FIELDS = [
  'path',
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
];
const WEBSOCKET_FIELDS = [
  'echoPath',
  'channelPath',
  'messageFormat',
  'cursorParam',
  'clientPublishes',
  'subprotocols',
  'allowedOrigins',
  'maxMessageBytes',
  'pingIntervalMs',
];
const JSON_FORMAT_FIELDS = ['type', 'messages', 'data', 'cursor', 'id', 'event'];
const PUBLISH_FIELDS = ['method', 'url', 'headers', 'body', 'idPointer'];
/**
 * Declared techniques that need a way to publish; grows with the contract.
 * (`websocket` needs one only for its channel endpoint: see checkDefinition.)
 */
const TECHNIQUE_FIELDS = ['polling', 'longPolling', 'sse'];
/** The sections that read batches from poll answers. */
type PollSection = 'polling' | 'longPolling';
const START = ['newest', 'oldest'];
const CONCURRENT_POLLS = ['independent', 'preempt-old', 'reject-new'];
const TIMEOUT_STATUSES = [200, 204, 304, 408];
const DATA_ENCODINGS = ['raw', 'json'];
const CLOSE_METHODS = ['DELETE', 'POST'];
const MESSAGE_FORMATS = ['json', 'raw'];
/** `websocket` fields that describe the channel endpoint: their own check, and why they need `channelPath`. */
const CHANNEL_ONLY: Array<[field: string, ok: (value: unknown) => boolean, why: string]> = [
  ['cursorParam', isQueryParam, 'the parameter resumes a connection to a channel after a message id, and without a channel endpoint there is nothing to resume'],
  [
    'clientPublishes',
    (v) => typeof v === 'boolean',
    'it says what the channel endpoint does with text a client sends, and without a channel endpoint there is none to send it to',
  ],
];
/** Bounds of `websocket.pingIntervalMs`. */
const MIN_PING_INTERVAL_MS = 10;
const MAX_PING_INTERVAL_MS = 3_600_000;
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
/** The characters of a query parameter the harness appends without encoding. */
const PARAM_CHARS = 'letters, digits, ".", "_", "~" or "-"';
/** An HTTP token (RFC 9110 section 5.6.2): what a header name is made of. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Bounds of `longPolling.holdMs` and `longPolling.maxHoldMs` (one hour, as the reference server allows). */
const MIN_HOLD_MS = 100;
const MAX_HOLD_MS = 120_000;
const MAX_MAX_HOLD_MS = 3_600_000;
const MODULE_SOURCE = /\.(?:[cm]?ts|[cm]?js)$/i;

const URL_EXPECTED = 'a URL such as "http://127.0.0.1:{port}"';
const PATH_EXPECTED = 'a path starting with "/" (such as "/channels/{channel}/messages") or an http(s) URL';
const SSE_PATH_EXPECTED = 'a path starting with "/" (such as "/channels/{channel}/events") or an http(s) URL';
const WS_ECHO_EXPECTED = 'a path starting with "/" (such as "/echo") or a ws, wss, http or https URL';
const WS_CHANNEL_EXPECTED = 'a path starting with "/" (such as "/channels/{channel}/ws") or a ws, wss, http or https URL';
const ORIGIN_EXPECTED = 'an origin such as "https://app.example" (http or https, a host and an optional port)';
const POINTER_EXPECTED = 'a JSON Pointer: "" or a string starting with "/", such as "/messages"';
const TEMPLATE = '{"url": "/channels/{channel}/messages", "body": "{data}"}';
const FORMAT_EXPECTED = '{"type": "json", "messages": "/messages", "data": "/data", ...} or {"type": "text"}';
const REFUSAL = 'a string the server must refuse as a cursor, such as "not-a-cursor"';

type Path = Array<string | number>;
type Obj = Record<string, unknown>;

/** Options of {@link validateAdapter}. */
export interface ValidateOptions {
  /** May `publish` and poll `format`s be functions? Default: only when `source` names a .ts/.js module. */
  allowFunctions?: boolean;
}

/**
 * Checks that `value` is a well-formed adapter definition and returns it typed.
 * With `protocol` set, technique fields may be partial: they override the
 * protocol's defaults field by field (see resolveAdapter).
 *
 * @param source the file (or other origin) named at the start of every message.
 * @throws PushspecError `PUSHSPEC_ERR_ADAPTER_INVALID` listing every problem, one per line.
 */
export function validateAdapter(value: unknown, source: string, options: ValidateOptions = {}): AdapterDefinition {
  const problems: string[] = [];
  const allowFunctions = options.allowFunctions ?? MODULE_SOURCE.test(source);
  if (!isObject(value)) {
    problems.push(`the adapter is ${describe(value)}; expected an object with at least "name" and "baseUrl"`);
  } else {
    checkDefinition(value, problems, allowFunctions);
  }
  if (problems.length > 0) {
    throw new PushspecError('PUSHSPEC_ERR_ADAPTER_INVALID', problems.map((p) => `${source}: ${p}`).join('\n'));
  }
  return value as AdapterDefinition;
}

/** Collects the problems of one definition; every check reads values by path from `def`. */
interface Ctx {
  def: Obj;
  problems: string[];
  /** Reports `path` as holding the wrong value. */
  bad(path: Path, expected: string): void;
  /** Reports `path` unless it passes `ok`; an absent value passes unless `required`. */
  check(path: Path, ok: (value: unknown) => boolean, expected: string, required?: boolean): void;
}

function checkDefinition(def: Obj, problems: string[], allowFunctions: boolean): void {
  const bad = (path: Path, expected: string) => problems.push(mismatch(path, at(def, path), expected));
  const check: Ctx['check'] = (path, ok, expected, required = false) => {
    const value = at(def, path);
    if (!(value === undefined && !required) && !ok(value)) bad(path, expected);
  };
  const ctx: Ctx = { def, problems, bad, check };
  unknownFields(def, TOP_FIELDS, [], problems);

  check(['name'], (v) => typeof v === 'string' && /^[A-Za-z0-9._-]{1,64}$/.test(v), 'a name of 1 to 64 letters, digits, ".", "_" or "-"', true);
  check(['baseUrl'], isHttpUrl, URL_EXPECTED, true);
  check(['protocol'], isOneOf(PROTOCOLS), oneOf(PROTOCOLS));
  const hasProtocol = def.protocol !== undefined;

  if (def.launch !== undefined) checkLaunch(ctx);
  else {
    // Without launch pushspec does not start the server, so it has no port to fill in.
    for (const path of findPortPlaceholders(def)) {
      problems.push(
        `${mismatch(path, at(def, path), 'a fixed port')}: {port} is only filled in when pushspec starts ` +
          'the server, so add "launch" or write the port the server listens on',
      );
    }
  }
  if (def.polling !== undefined) checkPolling(ctx, hasProtocol, allowFunctions);
  if (def.longPolling !== undefined) checkLongPolling(ctx, hasProtocol, allowFunctions);
  const protocol = isOneOf(PROTOCOLS)(def.protocol) ? (def.protocol as Protocol) : undefined;
  if (def.sse !== undefined) checkSse(ctx, protocol, hasProtocol);
  if (def.websocket !== undefined) checkWebSocket(ctx, protocol, hasProtocol);
  if (def.publish !== undefined) checkPublish(ctx, hasProtocol, allowFunctions);
  else if (!hasProtocol) {
    for (const technique of TECHNIQUE_FIELDS.filter((t) => def[t] !== undefined)) {
      problems.push(
        `field "publish" is missing; "${technique}" cannot be checked without "publish": the harness must make ` +
          `the server emit messages, so give a request template such as ${TEMPLATE} (or set "protocol")`,
      );
    }
    // The echo checks publish nothing; only a channel endpoint needs messages to push.
    if (isObject(def.websocket) && def.websocket.channelPath !== undefined) {
      problems.push(
        'field "publish" is missing; "websocket.channelPath" cannot be checked without "publish": the harness must make ' +
          `the server push messages on the channel endpoint, so give a request template such as ${TEMPLATE} ` +
          '(or set "protocol", or declare only "websocket.echoPath", whose checks publish nothing)',
      );
    }
  }
}

function checkLaunch({ def, problems, bad, check }: Ctx): void {
  const launch = def.launch;
  if (!isObject(launch)) return bad(['launch'], 'an object such as {"command": ["node", "server.mjs", "--port", "{port}"]}');
  unknownFields(launch, LAUNCH_FIELDS, ['launch'], problems);
  const command = launch.command;
  if (!Array.isArray(command) || command.length === 0 || command[0] === '') {
    bad(['launch', 'command'], 'a non-empty array of strings such as ["node", "server.mjs", "--port", "{port}"]');
  } else {
    command.forEach((arg, i) => typeof arg !== 'string' && bad(['launch', 'command', i], 'a string'));
  }
  check(['launch', 'cwd'], (v) => typeof v === 'string', 'a folder path (relative to the adapter file)');
  checkStringRecord(launch.env, ['launch', 'env'], bad, 'environment values are text');
  check(['launch', 'readyUrl'], isHttpUrl, URL_EXPECTED);
  check(['launch', 'readyTimeoutMs'], isInteger(1, 120_000), 'a whole number of milliseconds from 1 to 120000');
}

function checkPolling(ctx: Ctx, hasProtocol: boolean, allowFunctions: boolean): void {
  const { def, problems, bad, check } = ctx;
  const polling = def.polling;
  if (!isObject(polling)) return bad(['polling'], 'an object such as {"path": "/channels/{channel}/messages"}');
  unknownFields(polling, POLLING_FIELDS, ['polling'], problems);
  // With a protocol the path has a default; without one there is nothing to poll.
  check(['polling', 'path'], isPathOrUrl, PATH_EXPECTED, !hasProtocol);
  const cursorIn = checkCursor(ctx, 'polling');

  check(['polling', 'emptyStatus'], isOneOf([200, 204, 304]), oneOf([200, 204, 304]));
  if (polling.emptyStatus === 304) checkNotModified(ctx, 'polling', 'emptyStatus', cursorIn, '200 or 204');
  checkFormat(ctx, 'polling', cursorIn, allowFunctions);

  check(['polling', 'start'], isOneOf(START), oneOf(START));
  check(['polling', 'historyLimit'], isInteger(1, Infinity), 'a positive whole number of messages');
  check(['polling', 'gapStatus'], isInteger(400, 599), 'an HTTP error status from 400 to 599, such as 410');
  check(['polling', 'malformedCursor'], (v) => typeof v === 'string', REFUSAL);
}

function checkLongPolling(ctx: Ctx, hasProtocol: boolean, allowFunctions: boolean): void {
  const { def, problems, bad, check } = ctx;
  const spec = def.longPolling;
  if (!isObject(spec)) return bad(['longPolling'], 'an object such as {"path": "/channels/{channel}/messages", "waitParam": "wait"}');
  unknownFields(spec, LONG_POLLING_FIELDS, ['longPolling'], problems);
  check(['longPolling', 'path'], isPathOrUrl, PATH_EXPECTED, !hasProtocol);
  const cursorIn = checkCursor(ctx, 'longPolling');
  check(['longPolling', 'waitParam'], isQueryParam, `the name of the query parameter carrying the hold in milliseconds (${PARAM_CHARS}), such as "wait"`);

  // The hold the harness asks for, and the longest the server ever holds.
  const holdOk = spec.holdMs === undefined || isInteger(MIN_HOLD_MS, MAX_HOLD_MS)(spec.holdMs);
  if (!holdOk) {
    bad(['longPolling', 'holdMs'], `a whole number of milliseconds from ${MIN_HOLD_MS} to ${MAX_HOLD_MS} (keep it near 1000 so the suite runs in seconds)`);
  }
  const holdMs = typeof spec.holdMs === 'number' ? spec.holdMs : DEFAULT_HOLD_MS;
  const maxHold = spec.maxHoldMs;
  if (maxHold !== undefined) {
    if (!isInteger(-Infinity, MAX_MAX_HOLD_MS)(maxHold)) {
      bad(['longPolling', 'maxHoldMs'], `a whole number of milliseconds from "longPolling.holdMs" to ${MAX_MAX_HOLD_MS} (one hour)`);
    } else if (holdOk && (maxHold as number) < holdMs) {
      const held = spec.holdMs === undefined ? `${holdMs} (the default)` : String(holdMs);
      problems.push(
        `field "longPolling.maxHoldMs" is ${String(maxHold)} but "longPolling.holdMs" is ${held}; expected at least ${holdMs}: ` +
          'no server holds a poll longer than its maximum, so lower "longPolling.holdMs" or raise "longPolling.maxHoldMs"',
      );
    }
  } else if (hasProtocol && holdOk && holdMs > REFERENCE_MAX_HOLD_MS) {
    problems.push(
      `field "longPolling.holdMs" is ${holdMs} but "longPolling.maxHoldMs" is ${REFERENCE_MAX_HOLD_MS} (the "pushspec-reference" default); ` +
        `expected at most ${REFERENCE_MAX_HOLD_MS}, or declare the server's longer "longPolling.maxHoldMs"`,
    );
  }

  const timeout = spec.timeoutStatus;
  if (timeout !== undefined && !isOneOf(TIMEOUT_STATUSES)(timeout)) {
    const why = isInteger(400, 599)(timeout)
      ? 'the status of a poll whose hold ran out: a server whose held polls end in 504 or another error does not time out ' +
        'on its own; declare 200, 204, 304, or 408 for a legacy server'
      : oneOf(TIMEOUT_STATUSES);
    bad(['longPolling', 'timeoutStatus'], why);
  }
  if (timeout === 304) checkNotModified(ctx, 'longPolling', 'timeoutStatus', cursorIn, '200, 204 or 408');
  checkFormat(ctx, 'longPolling', cursorIn, allowFunctions);

  check(['longPolling', 'start'], isOneOf(START), oneOf(START));
  check(['longPolling', 'concurrentPolls'], isOneOf(CONCURRENT_POLLS), oneOf(CONCURRENT_POLLS));
  check(['longPolling', 'malformedCursor'], (v) => typeof v === 'string', REFUSAL);

  const stats = spec.stats;
  if (stats !== undefined) {
    if (!isObject(stats)) {
      bad(['longPolling', 'stats'], 'an object such as {"url": "/stats", "heldPointer": "/held"}');
    } else {
      unknownFields(stats, ['url', 'heldPointer'], ['longPolling', 'stats'], problems);
      check(['longPolling', 'stats', 'url'], isPathOrUrl, 'a path starting with "/" (such as "/stats") or an http(s) URL answering JSON', true);
      check(['longPolling', 'stats', 'heldPointer'], isJsonPointer, 'a JSON Pointer to the number of held polls, such as "/held"', true);
    }
  }
}

/**
 * Checks `sse`. `protocol` is the (valid) protocol whose defaults fill what the
 * section leaves out; `hasProtocol` says one is set at all (even a wrong one,
 * already reported), which makes `path` optional.
 */
function checkSse(ctx: Ctx, protocol: Protocol | undefined, hasProtocol: boolean): void {
  const { def, problems, bad, check } = ctx;
  const spec = def.sse;
  if (!isObject(spec)) return bad(['sse'], 'an object such as {"path": "/channels/{channel}/events"}');
  unknownFields(spec, SSE_FIELDS, ['sse'], problems);
  check(['sse', 'path'], isPathOrUrl, SSE_PATH_EXPECTED, !hasProtocol);
  checkRequestHeaders(ctx);
  check(['sse', 'dataEncoding'], isOneOf(DATA_ENCODINGS), oneOf(DATA_ENCODINGS));
  check(['sse', 'replay'], (v) => typeof v === 'boolean', 'true or false');
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

  // Resume fields describe what a replaying server does with a Last-Event-ID.
  if (spec.replay !== undefined && typeof spec.replay !== 'boolean') return; // already reported
  const replay = spec.replay ?? (protocol === undefined ? false : protocolSse(protocol).replay);
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

/**
 * Checks `websocket`. `protocol` is the (valid) protocol whose endpoints fill
 * what the section leaves out; `hasProtocol` says one is set at all (even a
 * wrong one, already reported), which makes both endpoints optional.
 */
function checkWebSocket(ctx: Ctx, protocol: Protocol | undefined, hasProtocol: boolean): void {
  const { def, problems, bad, check } = ctx;
  const spec = def.websocket;
  if (!isObject(spec)) return bad(['websocket'], 'an object such as {"echoPath": "/echo", "channelPath": "/channels/{channel}/ws"}');
  unknownFields(spec, WEBSOCKET_FIELDS, ['websocket'], problems);
  if (!hasProtocol && spec.echoPath === undefined && spec.channelPath === undefined) {
    problems.push(
      'field "websocket.echoPath" is missing and so is "websocket.channelPath"; expected at least one of them: ' +
        '"echoPath" (such as "/echo") for the RFC 6455 protocol checks, "channelPath" (such as "/channels/{channel}/ws") ' +
        'for messages pushed on a channel',
    );
  }
  const echo = spec.echoPath;
  if (typeof echo === 'string' && isWsPathOrUrl(echo) && hasPlaceholder(echo, 'channel')) {
    bad(['websocket', 'echoPath'], `${WS_ECHO_EXPECTED} without {channel}: the echo endpoint belongs to no channel (that is "websocket.channelPath")`);
  } else {
    check(['websocket', 'echoPath'], isWsPathOrUrl, WS_ECHO_EXPECTED);
  }
  check(['websocket', 'channelPath'], isWsPathOrUrl, WS_CHANNEL_EXPECTED);
  check(['websocket', 'messageFormat'], isOneOf(MESSAGE_FORMATS), oneOf(MESSAGE_FORMATS));
  check(
    ['websocket', 'cursorParam'],
    isQueryParam,
    `the name of the query parameter carrying the id of the last message a client has (${PARAM_CHARS}), such as "cursor"`,
  );
  check(['websocket', 'clientPublishes'], (v) => typeof v === 'boolean', 'true or false');
  checkSubprotocols(ctx);
  checkOrigins(ctx);
  check(['websocket', 'maxMessageBytes'], isPositiveInteger, 'a positive whole number of bytes, such as 1048576 (1 MiB)');
  check(
    ['websocket', 'pingIntervalMs'],
    isInteger(MIN_PING_INTERVAL_MS, MAX_PING_INTERVAL_MS),
    `a whole number of milliseconds from ${MIN_PING_INTERVAL_MS} to ${MAX_PING_INTERVAL_MS} (one hour)`,
  );

  // Channel fields describe the channel endpoint: without one they describe nothing.
  if (spec.channelPath !== undefined || (protocol !== undefined && protocolWebSocket(protocol).channelPath !== undefined)) return;
  for (const [field, ok, why] of CHANNEL_ONLY) {
    const value = spec[field];
    // A value that is wrong in itself is reported once, above.
    if (value === undefined || !ok(value)) continue;
    problems.push(
      `field "websocket.${field}" is ${describe(value)} but "websocket.channelPath" is missing; expected a ` +
        `"websocket.channelPath" or no "websocket.${field}": ${why}`,
    );
  }
}

/** `websocket.subprotocols`: names a client offers in `Sec-WebSocket-Protocol`, so HTTP tokens. */
function checkSubprotocols({ def, bad }: Ctx): void {
  const path = ['websocket', 'subprotocols'];
  const value = at(def, path);
  if (value === undefined) return;
  if (!Array.isArray(value)) return bad(path, 'an array of subprotocol names such as ["pushspec.v1"]');
  value.forEach((name, i) => {
    if (typeof name !== 'string' || !TOKEN.test(name)) {
      bad(
        [...path, i],
        'a subprotocol name: letters, digits and !#$%&\'*+-.^_`|~ only (an HTTP token, RFC 6455 section 4.1), such as "pushspec.v1"',
      );
    }
  });
}

/** `websocket.allowedOrigins`: each one exactly what a browser sends in `Origin`. */
function checkOrigins({ def, bad }: Ctx): void {
  const path = ['websocket', 'allowedOrigins'];
  const value = at(def, path);
  if (value === undefined) return;
  if (!Array.isArray(value)) return bad(path, 'an array of origins such as ["https://app.example"]');
  value.forEach((origin, i) => {
    const problem = originProblem(origin);
    if (problem !== undefined) bad([...path, i], problem);
  });
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

/** What is wrong with `value` as an origin (the "expected ..." text), or undefined when it is one. */
function originProblem(value: unknown): string | undefined {
  if (value === '*') return `${ORIGIN_EXPECTED}: "*" is what a server may answer, not the origin of a page, so name one origin the server allows`;
  if (typeof value !== 'string') return ORIGIN_EXPECTED;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return ORIGIN_EXPECTED;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return ORIGIN_EXPECTED;
  if (url.origin === value) return undefined;
  let why: string;
  if (value === `${url.origin}/`) why = 'an origin has no trailing slash';
  else if (url.pathname !== '/') why = 'an origin has no path';
  else if (url.search !== '' || url.hash !== '' || /[?#]/.test(value)) why = 'an origin has no query or fragment';
  else why = 'a browser sends an origin serialized: scheme and host in lower case, no default port, no user';
  return `${ORIGIN_EXPECTED}: ${why}, so write ${JSON.stringify(url.origin)}`;
}

/** Checks `<section>.cursor`; returns where the cursor travels (`query` by default). */
function checkCursor({ def, problems, bad, check }: Ctx, section: PollSection): unknown {
  const cursor = at(def, [section, 'cursor']);
  if (cursor === undefined) return 'query'; // the default transport
  if (!isObject(cursor)) {
    bad([section, 'cursor'], '{"in": "query", "param": "cursor"} or {"in": "validators"}');
  } else if (cursor.in === 'query') {
    unknownFields(cursor, ['in', 'param'], [section, 'cursor'], problems);
    const isName = (v: unknown) => typeof v === 'string' && v !== '';
    check([section, 'cursor', 'param'], isName, 'the name of the query parameter, such as "cursor"', true);
  } else if (cursor.in === 'validators') {
    unknownFields(cursor, ['in'], [section, 'cursor'], problems);
  } else {
    bad([section, 'cursor', 'in'], oneOf(['query', 'validators']));
  }
  return isObject(cursor) ? cursor.in : 'query';
}

/** A 304 status only makes sense with validators: it answers a conditional request. */
function checkNotModified({ problems }: Ctx, section: PollSection, field: string, cursorIn: unknown, instead: string): void {
  if (cursorIn === 'validators') return;
  problems.push(
    `field "${section}.${field}" is 304 but "${section}.cursor.in" is ${describe(cursorIn)}; expected ${instead}: ` +
      '304 Not Modified only answers a conditional request (If-None-Match / If-Modified-Since), ' +
      `so it needs "${section}.cursor": {"in": "validators"}`,
  );
}

/** Checks `<section>.format`: a batch format, or (in a module) a decode function. */
function checkFormat({ def, problems, bad, check }: Ctx, section: PollSection, cursorIn: unknown, allowFunctions: boolean): void {
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

function checkPublish({ def, problems, bad, check }: Ctx, hasProtocol: boolean, allowFunctions: boolean): void {
  const publish = def.publish;
  if (typeof publish === 'function') {
    if (!allowFunctions) {
      bad(['publish'], `a request template such as ${TEMPLATE}: a function is only possible in a .ts/.js adapter module`);
    }
    return;
  }
  if (!isObject(publish)) return bad(['publish'], `a request template such as ${TEMPLATE}`);
  unknownFields(publish, PUBLISH_FIELDS, ['publish'], problems);
  check(['publish', 'method'], isOneOf(['POST', 'PUT']), oneOf(['POST', 'PUT']));
  // With a protocol, url and body default to the protocol's; without one they are required.
  check(['publish', 'url'], isPathOrUrl, PATH_EXPECTED, !hasProtocol);
  checkStringRecord(publish.headers, ['publish', 'headers'], bad, 'header values are text');
  const body = 'a body template string such as "{data}" or "{\\"data\\":{data:json}}"';
  check(['publish', 'body'], (v) => typeof v === 'string', body, !hasProtocol);
  check(['publish', 'idPointer'], isJsonPointer, POINTER_EXPECTED);
}

function checkStringRecord(value: unknown, path: Path, bad: Ctx['bad'], why: string): void {
  if (value === undefined) return;
  if (!isObject(value)) return bad(path, 'an object whose values are strings');
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string') bad([...path, key], `a string (${why}: write ${JSON.stringify(String(v))})`);
  }
}

/** Paths of every string in `def` that uses `{port}`. */
function findPortPlaceholders(value: unknown, path: Path = []): Path[] {
  if (typeof value === 'string') return hasPlaceholder(value, 'port') ? [path] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => findPortPlaceholders(v, [...path, i]));
  if (isObject(value)) return Object.entries(value).flatMap(([k, v]) => findPortPlaceholders(v, [...path, k]));
  return [];
}

function unknownFields(obj: Obj, known: string[], path: Path, problems: string[]): void {
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

function mismatch(path: Path, value: unknown, expected: string): string {
  const got = value === undefined ? 'is missing' : `is ${describe(value)}`;
  return `field "${formatPath(path)}" ${got}; expected ${expected}`;
}

/** A short rendering of a received value: JSON where possible, capped in length. */
function describe(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  if (value === undefined) return 'undefined';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function formatPath(path: Path): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(part)) out += out === '' ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}

function at(root: unknown, path: Path): unknown {
  let current = root;
  for (const part of path) current = isObject(current) || Array.isArray(current) ? (current as Obj)[part] : undefined;
  return current;
}

function oneOf(values: readonly (string | number)[]): string {
  return `one of ${values.map((v) => JSON.stringify(v)).join(', ')}`;
}

function isOneOf(values: readonly unknown[]): (value: unknown) => boolean {
  return (value) => values.includes(value);
}

function isInteger(min: number, max: number): (value: unknown) => boolean {
  return (value) => Number.isInteger(value) && (value as number) >= min && (value as number) <= max;
}

/** A query parameter name the harness can append as is. */
function isQueryParam(value: unknown): boolean {
  return typeof value === 'string' && /^[A-Za-z0-9._~-]+$/.test(value);
}

/** A value an SSE `event:` line can carry (WHATWG HTML §9.2.6): one line, not empty. */
function isEventName(value: unknown): boolean {
  return typeof value === 'string' && value !== '' && !/[\r\n\0]/.test(value);
}

function isPositiveInteger(value: unknown): boolean {
  return Number.isInteger(value) && (value as number) >= 1;
}

function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An http(s) URL once `{port}` (and `{channel}`) are given sample values. */
function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(fillPlaceholders(value, { port: '8080', channel: 'c' }));
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

function isPathOrUrl(value: unknown): boolean {
  return typeof value === 'string' && (value.startsWith('/') || isHttpUrl(value));
}

/** A path, or a ws/wss/http/https URL once `{port}` and `{channel}` are given sample values. */
function isWsPathOrUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  if (value.startsWith('/')) return true;
  try {
    const url = new URL(fillPlaceholders(value, { port: '8080', channel: 'c' }));
    return ['ws:', 'wss:', 'http:', 'https:'].includes(url.protocol) && url.hostname !== '';
  } catch {
    return false;
  }
}

/**
 * Rules for `websocket`: an echo endpoint for the RFC 6455 protocol checks
 * and a channel endpoint for pushed messages, plus the fields that only
 * describe the channel endpoint.
 */
import type { Protocol } from '../../core/technique.ts';
import { hasPlaceholder } from '../../core/placeholders.ts';
import { WEBSOCKET_PROTOCOLS } from './adapter.ts';
import { PARAM_CHARS, TOKEN, isInteger, isOneOf, isPositiveInteger, isQueryParam, isWsPathOrUrl, originProblem, at, checkSessionFunction, describe, isObject, oneOf, unknownFields } from '../../core/fields.ts';
import type { Ctx } from '../../core/fields.ts';

const WEBSOCKET_FIELDS = [
  'echoPath',
  'channelPath',
  'messageFormat',
  'codec',
  'session',
  'upgrade',
  'cursorParam',
  'clientPublishes',
  'subprotocols',
  'allowedOrigins',
  'maxMessageBytes',
  'maxFrameBytes',
  'pingIntervalMs',
  'permessageDeflate',
  'http2',
];
const MESSAGE_FORMATS = ['json', 'raw'];
const WS_ECHO_EXPECTED = 'a path starting with "/" (such as "/echo") or a ws, wss, http or https URL';
const WS_CHANNEL_EXPECTED = 'a path starting with "/" (such as "/channels/{channel}/ws") or a ws, wss, http or https URL';
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

/**
 * Checks `websocket`; call it only when the definition has one. `protocol` is
 * the (valid) protocol whose endpoints fill what the section leaves out;
 * `hasProtocol` says one is set at all (even a wrong one, already reported),
 * which makes both endpoints optional.
 */
export function checkWebSocket(ctx: Ctx, protocol: Protocol | undefined, hasProtocol: boolean, allowFunctions = false): void {
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
  checkCodec(ctx, allowFunctions);
  checkSessionFunction(ctx, ['websocket', 'session'], allowFunctions);
  checkUpgrade(ctx);
  check(
    ['websocket', 'cursorParam'],
    isQueryParam,
    `the name of the query parameter carrying the id of the last message a client has (${PARAM_CHARS}), such as "cursor"`,
  );
  check(['websocket', 'clientPublishes'], (v) => typeof v === 'boolean', 'true or false');
  checkSubprotocols(ctx);
  checkOrigins(ctx);
  check(['websocket', 'maxMessageBytes'], isPositiveInteger, 'a positive whole number of bytes, such as 1048576 (1 MiB)');
  check(['websocket', 'maxFrameBytes'], isPositiveInteger, 'a positive whole number of bytes, such as 65536 (64 KiB)');
  check(['websocket', 'permessageDeflate'], (v) => typeof v === 'boolean', 'true or false');
  check(['websocket', 'http2'], (v) => typeof v === 'boolean', 'true or false');
  check(
    ['websocket', 'pingIntervalMs'],
    isInteger(MIN_PING_INTERVAL_MS, MAX_PING_INTERVAL_MS),
    `a whole number of milliseconds from ${MIN_PING_INTERVAL_MS} to ${MAX_PING_INTERVAL_MS} (one hour)`,
  );

  // Channel fields describe the channel endpoint: without one they describe nothing.
  if (spec.channelPath !== undefined || (protocol !== undefined && WEBSOCKET_PROTOCOLS[protocol].channelPath !== undefined)) return;
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

/** `codec`: an object whose `decode` (and `encode`, if given) are functions, from a module. */
function checkCodec({ def, bad }: Ctx, allowFunctions: boolean): void {
  const codec = at(def, ['websocket', 'codec']);
  if (codec === undefined) return;
  const expected = 'an object such as { decode: (text) => ({ messages: [{ data: text.slice(1) }] }), hello: ["40"] }';
  if (!isObject(codec) || typeof codec.decode !== 'function') return bad(['websocket', 'codec'], expected);
  if (!allowFunctions) return bad(['websocket', 'codec'], `${expected}: functions are only possible in a .ts/.js adapter module`);
  if (codec.encode !== undefined && typeof codec.encode !== 'function') bad(['websocket', 'codec', 'encode'], 'a function that wraps text the client publishes, such as (data) => `4${data}`');
  if (codec.hello !== undefined && !(Array.isArray(codec.hello) && codec.hello.every((f) => typeof f === 'string'))) bad(['websocket', 'codec', 'hello'], 'an array of text frames, such as ["40"]');
  if (codec.awaitOpen !== undefined && typeof codec.awaitOpen !== 'boolean') bad(['websocket', 'codec', 'awaitOpen'], 'true or false');
}

/** `upgrade`: a WebSocket path and the frames of the handshake; the session comes from `longPolling`. */
function checkUpgrade({ def, problems, bad, check }: Ctx): void {
  const upgrade = at(def, ['websocket', 'upgrade']);
  if (upgrade === undefined) return;
  if (!isObject(upgrade)) return bad(['websocket', 'upgrade'], 'an object such as {"path": "/engine.io/?EIO=4&transport=websocket&sid={sid}", "handshake": [{"send": "2probe"}, {"expect": "3probe"}, {"send": "5"}]}');
  unknownFields(upgrade, ['path', 'handshake'], ['websocket', 'upgrade'], problems);
  check(['websocket', 'upgrade', 'path'], isWsPathOrUrl, WS_CHANNEL_EXPECTED, true);
  const steps = upgrade.handshake;
  const isStep = (s: unknown): boolean => isObject(s) && Object.keys(s).length === 1 && (typeof s.send === 'string' || typeof s.expect === 'string');
  if (!Array.isArray(steps) || !steps.every(isStep)) bad(['websocket', 'upgrade', 'handshake'], 'an array of steps, each {"send": "<text frame>"} or {"expect": "<text frame>"}');
  if (def.longPolling === undefined) {
    problems.push('field "websocket.upgrade" needs a "longPolling" section: the upgrade moves a long-polling session onto a WebSocket, and without long-polling there is no session to move');
  }
}

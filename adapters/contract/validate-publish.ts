/**
 * Rules for `publish`, the request (or, in a module, the function) the harness
 * uses to make the server emit messages, and for its absence where a declared
 * technique needs one.
 */
import { isJsonPointer } from '../../core/placeholders.ts';
import { PATH_EXPECTED, POINTER_EXPECTED, checkStringRecord, isOneOf, isPathOrUrl, isObject, oneOf, unknownFields } from '../../core/fields.ts';
import type { Ctx } from '../../core/fields.ts';

const PUBLISH_FIELDS = ['method', 'url', 'headers', 'body', 'idPointer'];
/**
 * Declared techniques that need a way to publish; grows with the contract.
 * (`websocket` needs one only for its channel endpoint: see checkMissingPublish.)
 */
const TECHNIQUE_FIELDS = ['polling', 'longPolling', 'sse'];
const TEMPLATE = '{"url": "/channels/{channel}/messages", "body": "{data}"}';

/**
 * Checks `publish`; call it only when the definition has one. Without a
 * protocol, `url` and `body` are required; `allowFunctions` says whether a
 * publish function is possible (only in a .ts/.js module).
 */
export function checkPublish({ def, problems, bad, check }: Ctx, hasProtocol: boolean, allowFunctions: boolean): void {
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

/**
 * Reports each declared technique that cannot be checked because the
 * definition has neither `publish` nor `protocol` (whose publish would stand in).
 */
export function checkMissingPublish({ def, problems }: Ctx): void {
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

/**
 * Rules for `polling`: plain (Ajax) polling, where each request answers at once.
 */
import { PATH_EXPECTED, isInteger, isOneOf, isPathOrUrl, isObject, oneOf, unknownFields } from '../../core/fields.ts';
import { REFUSAL, START, checkCursor, checkFormat, checkNotModified, checkSessionFields } from './poll-fields.ts';
import type { Ctx } from '../../core/fields.ts';

const POLLING_FIELDS = ['path', 'method', 'session', 'cursor', 'emptyStatus', 'format', 'start', 'historyLimit', 'gapStatus', 'malformedCursor', 'http2'];

/**
 * Checks `polling`; call it only when the definition has one. `hasProtocol`
 * makes `path` optional; `allowFunctions` allows a decode function as `format`.
 */
export function checkPolling(ctx: Ctx, hasProtocol: boolean, allowFunctions: boolean): void {
  const { def, problems, bad, check } = ctx;
  const polling = def.polling;
  if (!isObject(polling)) return bad(['polling'], 'an object such as {"path": "/channels/{channel}/messages"}');
  unknownFields(polling, POLLING_FIELDS, ['polling'], problems);
  // With a protocol the path has a default; without one there is nothing to poll.
  check(['polling', 'path'], isPathOrUrl, PATH_EXPECTED, !hasProtocol);
  const cursorIn = checkCursor(ctx, 'polling');
  checkSessionFields(ctx, 'polling', allowFunctions);

  check(['polling', 'emptyStatus'], isOneOf([200, 204, 304]), oneOf([200, 204, 304]));
  if (polling.emptyStatus === 304) checkNotModified(ctx, 'polling', 'emptyStatus', cursorIn, '200 or 204');
  checkFormat(ctx, 'polling', cursorIn, allowFunctions);

  check(['polling', 'start'], isOneOf(START), oneOf(START));
  check(['polling', 'historyLimit'], isInteger(1, Infinity), 'a positive whole number of messages');
  check(['polling', 'gapStatus'], isInteger(400, 599), 'an HTTP error status from 400 to 599, such as 410');
  check(['polling', 'malformedCursor'], (v) => typeof v === 'string', REFUSAL);
  check(['polling', 'http2'], (v) => typeof v === 'boolean', 'true or false');
}

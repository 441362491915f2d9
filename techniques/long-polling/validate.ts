/**
 * Rules for `longPolling`: polls the server holds open until a message arrives
 * or the hold runs out.
 */
import { checkStatsFields } from '../../core/stats-fields.ts';
import { DEFAULT_HOLD_MS, REFERENCE_MAX_HOLD_MS } from './adapter.ts';
import { PARAM_CHARS, PATH_EXPECTED, isInteger, isOneOf, isPathOrUrl, isQueryParam, isObject, oneOf, unknownFields } from '../../core/fields.ts';
import { REFUSAL, START, checkCursor, checkFormat, checkNotModified, checkSessionFields } from '../polling/poll-fields.ts';
import type { Ctx } from '../../core/fields.ts';

const LONG_POLLING_FIELDS = [
  'path',
  'method',
  'session',
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
  'http2',
];
const CONCURRENT_POLLS = ['independent', 'preempt-old', 'reject-new', 'close-both'];
const TIMEOUT_STATUSES = [200, 204, 304, 408];
/** Bounds of `longPolling.holdMs` and `longPolling.maxHoldMs` (one hour, as the reference server allows). */
const MIN_HOLD_MS = 100;
const MAX_HOLD_MS = 120_000;
const MAX_MAX_HOLD_MS = 3_600_000;

/**
 * Checks `longPolling`; call it only when the definition has one. `hasProtocol`
 * makes `path` optional and brings the reference server's maximum hold into
 * play; `allowFunctions` allows a decode function as `format`.
 */
export function checkLongPolling(ctx: Ctx, hasProtocol: boolean, allowFunctions: boolean): void {
  const { def, problems, bad, check } = ctx;
  const spec = def.longPolling;
  if (!isObject(spec)) return bad(['longPolling'], 'an object such as {"path": "/channels/{channel}/messages", "waitParam": "wait"}');
  unknownFields(spec, LONG_POLLING_FIELDS, ['longPolling'], problems);
  check(['longPolling', 'path'], isPathOrUrl, PATH_EXPECTED, !hasProtocol);
  const cursorIn = checkCursor(ctx, 'longPolling');
  checkSessionFields(ctx, 'longPolling', allowFunctions);
  check(['longPolling', 'http2'], (v) => typeof v === 'boolean', 'true or false');
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
  checkStatsFields(ctx, { path: ['longPolling', 'stats'], pointer: 'heldPointer', pattern: 'heldPattern', counted: 'held polls', example: '/held' });
}


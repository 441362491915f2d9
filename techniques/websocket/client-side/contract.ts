/**
 * The `websocket` section of a client adapter: how the client under test
 * takes part in the WebSocket client checks.
 *
 * ```json
 * "websocket": { "echo": true }
 * ```
 *
 * `echo` (required, true): the glue sends every message it receives back, text
 * as text and binary as binary, as Autobahn|Testsuite's fuzzingserver expects,
 * and reports `open`, `message` and `close` (code, reason, wasClean) lines. The
 * checks judge what comes back, so a client must echo to take part.
 */
import { PushspecError } from '../../../core/errors.ts';

export interface WsClientSection {
  echo: true;
}

/**
 * Checks a client adapter's `websocket` section.
 * @throws PushspecError `PUSHSPEC_ERR_ADAPTER_INVALID` naming the field that is wrong.
 */
export function wsClientSectionFrom(section: Record<string, unknown>, source: string): WsClientSection {
  if (section.echo !== true) {
    throw new PushspecError('PUSHSPEC_ERR_ADAPTER_INVALID', `${source}: "websocket.echo": expected true (the glue echoes every message it receives, text as text and binary as binary), got ${JSON.stringify(section.echo ?? null)}`);
  }
  const unknown = Object.keys(section).filter((k) => k !== 'echo');
  if (unknown.length > 0) throw new PushspecError('PUSHSPEC_ERR_ADAPTER_INVALID', `${source}: "websocket": unknown field "${unknown[0]}" (known: echo)`);
  return { echo: true };
}

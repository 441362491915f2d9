/**
 * From Autobahn's two columns to pushspec's verdicts. Pure, as checks are.
 *
 * - FAILED events fail the case's requirement (a MUST), as in Autobahn.
 * - A close that Autobahn marks FAILED (the wrong endpoint ended it) or UNCLEAN
 *   (no closing handshake where one is required) fails too: RFC 6455 says the
 *   server MUST fail the connection (§5.2, §5.4, §8.1) or MUST answer a close
 *   (§5.5.1). Autobahn shows these as a red close column beside a passing case;
 *   features/websocket/README.md lists this difference.
 * - WRONG CODE fails only where Autobahn fails it (7.x); elsewhere it is the
 *   SHOULD of §7.1.7, reported as WS-FAIL-CLOSE-FRAME.
 * - FAILED BY CLIENT is §5.5.1's "the server MUST close the TCP connection",
 *   reported as WS-CLOSE-TCP-BY-SERVER.
 * - NON-STRICT is reported under the case's `nonStrictPart` (a SHOULD or MAY).
 * - INFORMATIONAL cases belong to MAY requirements: recorded, never failed.
 * - A message over a limit the adapter declares may be refused by failing the
 *   connection (best with 1009) instead of echoed.
 */
import type { PartObservation } from '../../../core/evidence.ts';
import { expectThat } from '../../../core/failure.ts';
import { CLOSE_TCP_BY_SERVER, FAIL_CLOSE_FRAME, mayBeSent } from '../checks.ts';
import { malformedFrameNote } from '../frame-measures.ts';
import { describeEvents, type Judgement } from './judge.ts';
import type { AutobahnCase, CaseRecord } from './model.ts';


/** Limits the adapter declares for the echo endpoint. */
export interface DeclaredLimits {
  maxMessageBytes?: number;
  maxFrameBytes?: number;
}

/** The declared limit the case's message is over, in words, if any. */
export function overLimit(c: AutobahnCase, limits: DeclaredLimits): string | undefined {
  if (c.sizes === undefined) return undefined;
  if (limits.maxMessageBytes !== undefined && c.sizes.messageBytes > limits.maxMessageBytes) return `the declared maximum message of ${limits.maxMessageBytes} bytes`;
  if (limits.maxFrameBytes !== undefined && c.sizes.frameBytes > limits.maxFrameBytes) return `the declared maximum frame of ${limits.maxFrameBytes} bytes`;
  return undefined;
}

/** What Autobahn expected, in words, for the Expected line. */
export function expectedWords(c: AutobahnCase): string {
  const lists = c.expected.ok.map((l) => describeEvents(l)).join(' or ');
  const ending = c.close.closedByClient
    ? `then a clean closing handshake started by the client (the server answering with ${c.close.codes.join(' or ')})`
    : `the server failing the connection${c.close.codes.length > 0 ? ` (close code ${c.close.codes.join(' or ')}, or no code, or${c.close.requireClean ? '' : ' the TCP connection dropped'})` : ''}`.replace(/, or\)$/, ')');
  return `${lists === 'nothing' ? 'nothing back' : lists}, ${ending}`;
}

/** The case's verdict: throws a ConformanceFailure when it fails, else returns the parts of other requirements it observed. */
export function checkAutobahnCase(c: AutobahnCase, record: CaseRecord, judged: Judgement, limits: DeclaredLimits = {}): PartObservation[] {
  const autobahn = `Autobahn: ${judged.behaviour}, close ${judged.close}`;
  const actual = (): string => `${describeEvents(record.events)}; ${record.outcome} (${autobahn})`;
  expectThat(record.aborted === undefined, expectedWords(c), () => `${record.aborted}; ${actual()}`);
  const limit = overLimit(c, limits);
  const serverFailed = record.serverClosed || (!record.closedByClient && !record.killed);
  // Only a server that speaks WebSocket refuses: a stream of malformed frames is no refusal (a hostile server, say).
  if (limit !== undefined && judged.behaviour === 'FAILED' && serverFailed && malformedFrameNote(record.findings) === undefined) {
    // A message over a declared limit may be refused; how is the close frame's SHOULD.
    const held = record.serverCode === 1009;
    return [{ requirement: FAIL_CLOSE_FRAME, held, expected: `a close frame with code 1009 for a message over ${limit} (RFC 6455 §7.4.1)`, actual: record.outcome }];
  }
  expectThat(judged.behaviour !== 'FAILED', expectedWords(c), actual);
  const framing = record.findings.filter((f) => f.rule === 'masked' || f.rule === 'non-minimal-length').map((f) => f.text);
  expectThat(framing.length === 0, 'server frames unmasked, each with the minimal length encoding (RFC 6455 §5.1, §5.2)', () => framing.slice(0, 3).join('; '));
  const code = record.serverCode;
  if (c.informational === true) return [];
  expectThat(code === undefined || mayBeSent(code), 'a close frame whose status code an endpoint may send (RFC 6455 §5.5.1, §7.4.1)', actual);
  expectThat(judged.close !== 'FAILED', expectedWords(c), () => `${c.close.closedByClient ? 'the server ended the connection before the client closed it' : 'the server did not fail the connection: the client had to'}; ${actual()}`);
  expectThat(judged.close !== 'UNCLEAN', `${expectedWords(c)}: a complete closing handshake (RFC 6455 §5.5.1: an endpoint that receives a Close frame MUST send one in response)`, actual);
  if (judged.close === 'WRONG CODE' && c.close.wrongCodeIsFatal === true) expectThat(false, `${expectedWords(c)} (Autobahn fails any other close code here)`, actual);
  const parts: PartObservation[] = [];
  // The server must fail the connection, also where the client closed first with a close frame it must refuse (7.3.2, 7.9).
  if (!c.close.closedByClient || !c.close.requireClean) {
    const held = code !== undefined && c.close.codes.includes(code);
    parts.push({ requirement: FAIL_CLOSE_FRAME, held, expected: `a close frame with code ${c.close.codes.join(' or ')} before the connection ends (RFC 6455 §7.1.7)`, actual: record.outcome });
  }
  if (c.close.closedByClient && (record.clean || record.droppedByClient)) {
    parts.push({ requirement: CLOSE_TCP_BY_SERVER, held: !record.droppedByClient, expected: 'the server to close the TCP connection after the close handshake (RFC 6455 §5.5.1)', actual: record.outcome });
  }
  if (c.nonStrictPart !== undefined) {
    parts.push({ requirement: c.nonStrictPart, held: judged.behaviour === 'OK', expected: describeEvents(c.expected.ok[0] ?? []), actual: `${describeEvents(record.events)} (${autobahn})` });
  }
  return parts;
}

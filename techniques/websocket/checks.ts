/**
 * The WebSocket requirements as checks over what the raw client recorded:
 * handshake answers, echoed messages, and how the server closed.
 */
import type { PartObservation } from '../../core/evidence.ts';
import { expectThat } from '../../core/failure.ts';
import type { IdleThroughTimeout } from '../../core/fault-runs.ts';
import type { Silence } from '../../core/idle-watch.ts';
import { describeSequenceDifference, listFindings, listSome } from '../../core/sequence.ts';
import { malformedFrameNote } from './frame-measures.ts';
import type { WsFinding, WsFindingRule } from './inspect.ts';

/** The handshake answer, as the raw client saw it. */
export interface HandshakeView {
  status: number;
  headers: Record<string, string>;
  /** Undefined when the handshake sent no key. */
  expectedAccept: string | undefined;
}

/** How the connection ended, as the raw client saw it. */
export interface CloseView {
  closeFrame?: { code?: number; reason: string };
  tcpClosedBy: 'server' | 'client' | 'still open';
  outcome: string;
  /** `the server sent a malformed frame: <rule>`, when it did before the end. */
  malformed?: string;
}

/** The findings an echo is judged by, besides its bytes: how the server framed it. */
const ECHO_FRAMING: readonly WsFindingRule[] = ['masked', 'non-minimal-length'];

const has = (value: string | undefined, token: string): boolean => (value ?? '').toLowerCase().split(',').some((part) => part.trim() === token);

export function checkHandshakeAccepted(answer: HandshakeView): void {
  const { status, headers } = answer;
  expectThat(
    status === 101 && headers['sec-websocket-accept'] === answer.expectedAccept && has(headers.upgrade, 'websocket') && has(headers.connection, 'upgrade'),
    `101 Switching Protocols with Sec-WebSocket-Accept ${answer.expectedAccept ?? "(no key sent)"}, Upgrade: websocket and Connection: Upgrade`,
    () => `${status}; Sec-WebSocket-Accept ${JSON.stringify(headers['sec-websocket-accept'] ?? '(absent)')}, Upgrade ${JSON.stringify(headers.upgrade ?? '(absent)')}, Connection ${JSON.stringify(headers.connection ?? '(absent)')}`,
  );
}

/** A scenario about frames starts only on an upgraded connection. */
export function checkUpgraded(answer: HandshakeView, where: 'echo' | 'channel'): void {
  expectThat(answer.status === 101, `the ${where} endpoint to accept a well-formed handshake (101)`, () => `status ${answer.status}`);
}

/** Refused: no upgrade, and when `status` is given, that status. */
export function checkRefused(answer: HandshakeView, status?: number): void {
  expectThat(answer.status !== 101 && (status === undefined || answer.status === status), status === undefined ? 'the handshake refused (no 101)' : `the handshake refused with status ${status}`, () => `status ${answer.status}`);
}

/**
 * RFC 6455 §4.2.2: "an appropriate HTTP error code (such as 426 Upgrade Required)" and a
 * Sec-WebSocket-Version naming the versions the server speaks. 426 is an example, not a
 * SHOULD: §4.4's own example of this refusal is `400 Bad Request`, so any 4xx conforms.
 */
export function checkVersionRefused(answer: HandshakeView): void {
  const versions = (answer.headers['sec-websocket-version'] ?? '').split(',').map((v) => v.trim());
  expectThat(answer.status >= 400 && answer.status <= 499 && versions.includes('13'), 'a 4xx refusal (such as 426 or 400) with Sec-WebSocket-Version naming 13', () =>
    `status ${answer.status}; Sec-WebSocket-Version ${JSON.stringify(answer.headers['sec-websocket-version'] ?? '(absent)')}`,
  );
}

export function checkSubprotocolOffered(answer: HandshakeView, offered: readonly string[]): void {
  const chosen = answer.headers['sec-websocket-protocol'];
  // The precondition first: without an upgrade there is no choice to judge, and no pass.
  expectThat(answer.status === 101, `the handshake accepted (101), with no Sec-WebSocket-Protocol or one of ${offered.join(', ')}`, () => `status ${answer.status}: the server did not upgrade the connection`);
  expectThat(chosen === undefined || offered.includes(chosen.trim()), `no Sec-WebSocket-Protocol, or one of ${offered.join(', ')}`, () => `Sec-WebSocket-Protocol ${JSON.stringify(chosen)} (status ${answer.status})`);
}

/** The echoed message equals what was sent, and the server framed it with minimal lengths and no mask. */
export function checkEchoed(sent: { type: string; data: Buffer }, got: { type: string; data: Buffer }, findings: readonly WsFinding[]): void {
  const same = sent.type === got.type && sent.data.equals(got.data);
  expectThat(same, `the ${sent.type} message of ${sent.data.length} bytes back, byte for byte`, () => {
    const what = got.type !== sent.type ? `a ${got.type} message of ${got.data.length} bytes` : `${got.data.length} bytes, first difference at byte ${firstDifference(sent.data, got.data)}`;
    // Garbage that happened to read as a message: the server's malformed frames say why.
    const malformed = malformedFrameNote(findings);
    return malformed === undefined ? what : `${what}; ${malformed}`;
  });
  const framing = findings.filter((f) => ECHO_FRAMING.includes(f.rule)).map((f) => f.text);
  expectThat(framing.length === 0, 'server frames unmasked, each with the minimal length encoding (RFC 6455 §5.2)', () => listFindings(framing, 3));
}

/**
 * A message came back intact; or, for a message over a limit the adapter
 * declares, the server refused it by failing the connection (best with 1009,
 * judged as WS-FAIL-CLOSE-FRAME). Declaring a limit is what makes a refusal
 * legitimate: a server without one must echo.
 */
export function checkEchoedWithinLimits(outcome: {
  sent: { type: string; data: Buffer; overLimit?: string };
  got?: { type: string; data: Buffer };
  close?: CloseView;
  findings: readonly WsFinding[];
}): PartObservation[] {
  const { sent, got, close } = outcome;
  if (got !== undefined) {
    checkEchoed(sent, got, outcome.findings);
    return [];
  }
  expectThat(sent.overLimit !== undefined && close !== undefined, `the ${sent.type} message of ${sent.data.length} bytes back`, () => close?.outcome ?? 'no message');
  return checkFailedWith(close, [1009], false);
}

function firstDifference(a: Buffer, b: Buffer): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return i;
  return Math.min(a.length, b.length);
}

/**
 * How a failed connection's close frame is judged: §7.1.7 says an endpoint that
 * must _Fail the WebSocket Connection_ SHOULD first send a close frame with an
 * appropriate code (observed as WS-FAIL-CLOSE-FRAME); where a rule only says
 * the server MAY send one (§5.1, an unmasked frame), the frame is not judged.
 */
export type CloseFrameLevel = 'SHOULD' | 'MAY';

/** The requirement a failed connection's close frame is reported under. */
export const FAIL_CLOSE_FRAME = 'WS-FAIL-CLOSE-FRAME';
/** The requirement the server's closing of TCP after a close handshake is reported under. */
export const CLOSE_TCP_BY_SERVER = 'WS-CLOSE-TCP-BY-SERVER';

/**
 * The server failed (or closed) the connection: the MUST of the rule that
 * requires it. A close frame, whatever its code, or the server ending TCP
 * without answering the forbidden frames, is a failed connection. Throws when
 * it is not; otherwise returns what was seen of the close frame, judged against
 * the `codes` Autobahn accepts for the case, as a part at its own level.
 */
export function checkFailedWith(close: CloseView, codes: readonly number[], echoedSomething: boolean, closeFrame: CloseFrameLevel = 'SHOULD'): PartObservation[] {
  const frame = close.closeFrame;
  const failed = frame !== undefined || (close.tcpClosedBy === 'server' && !echoedSomething);
  const wanted = codes.join(' or ');
  expectThat(failed, `the server to fail the connection: a close frame (with code ${wanted}), or at least the TCP connection ended, without acting on the forbidden frames`, () =>
    `${close.outcome}${echoedSomething ? '; the server answered the forbidden frames as if they were fine' : ''}`,
  );
  // Whatever the case, a close frame the server sends carries a code it may send (a MUST on its own).
  expectThat(frame?.code === undefined || mayBeSent(frame.code), 'a close frame whose status code an endpoint may send (RFC 6455 §5.5.1: a code Section 7.4 defines; §7.4.1: 1005, 1006 and 1015 MUST NOT be set)', () =>
    `a close frame with code ${frame?.code}, which ${describeUnsendable(frame?.code ?? 0)}: ${close.outcome}`,
  );
  if (closeFrame === 'MAY') return [];
  const held = frame?.code !== undefined && codes.includes(frame.code);
  const missing = frame === undefined ? 'no close frame' : frame.code === undefined ? 'a close frame without a status code' : `a close frame with code ${frame.code}`;
  return [{ requirement: FAIL_CLOSE_FRAME, held, expected: `a close frame with code ${wanted} before the connection ends (RFC 6455 §7.1.7)`, actual: held ? close.outcome : `${missing}: ${close.outcome}` }];
}

/**
 * Whether an endpoint may put `code` in a close frame it sends: RFC 6455
 * §5.5.1 (MUST) allows only codes Section 7.4 defines, and §7.4.1 says 1005,
 * 1006 and 1015 MUST NOT be set; 0-999 are not used and 1016-2999 are reserved
 * for the protocol (§7.4.2), except those IANA has since registered (1012-1014),
 * which Autobahn's case 7.7 accepts too.
 */
export function mayBeSent(code: number): boolean {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}

function describeUnsendable(code: number): string {
  if (code === 1005 || code === 1006 || code === 1015) return '§7.4.1 says an endpoint MUST NOT set';
  if (code < 1000) return 'is in 0-999, which §7.4.2 says is not used';
  if (code === 1004) return 'is reserved (§7.4.1)';
  return 'is reserved for future revisions of the protocol (§7.4.2)';
}

/** Every channel client got the one published message. */
export function checkAllReceived(received: ReadonlyMap<string, readonly { data: string }[]>, data: string): void {
  const missing = [...received].filter(([, messages]) => !messages.some((m) => m.data === data)).map(([name]) => name);
  expectThat(missing.length === 0, `every one of the ${received.size} connections to receive ${JSON.stringify(data)}`, () => `${missing.length} did not: ${listSome(missing, 5)}`);
}

/** Both directions arrived whole: each side's messages once, in the order that side sent them. */
export function checkBothDirections(received: readonly string[], published: readonly string[], sent: readonly string[]): void {
  const fromServer = received.filter((d) => published.includes(d));
  const fromClient = received.filter((d) => sent.includes(d));
  const serverDiff = describeSequenceDifference(published, fromServer);
  const clientDiff = describeSequenceDifference(sent, fromClient);
  expectThat(serverDiff === '' && clientDiff === '' && received.length === published.length + sent.length, `all ${published.length + sent.length} messages exactly once: the published in publish order, the client's own in the order sent`, () =>
    [`received ${received.length}`, serverDiff && `published: ${serverDiff}`, clientDiff && `the client's own: ${clientDiff}`].filter(Boolean).join('; '),
  );
}

export function checkInOrder(who: string, received: readonly string[], expected: readonly string[]): void {
  const difference = describeSequenceDifference(expected, received);
  expectThat(difference === '', `${who} to receive the ${expected.length} message(s), each exactly once, in order`, () => `received ${received.length}: ${difference}`);
}

/** The server pinged an idle connection at least once per declared interval, give or take the slack: no longer stretch without a ping. */
export function checkPinged(silence: Silence, intervalMs: number, slackMs: number): void {
  const expected = `a ping at least every ${intervalMs} ms (the declared interval, +${slackMs} ms slack) while idle`;
  // A connection that ended while watched was not kept alive, however short its silences were.
  expectThat(silence.ended === undefined, expected, () => `${silence.ended}, after ${silence.chunks} ping(s) while idle`);
  expectThat(silence.longestMs <= intervalMs + slackMs, expected, () =>
    `the longest stretch without a ping was ${Math.round(silence.longestMs)} ms (${silence.chunks} ping(s) in ${Math.round(silence.windowMs)} ms)`,
  );
}

/**
 * Across an upgrade, every message arrived exactly once, in publish order:
 * first what the polls carried, then what the WebSocket did; and the
 * WebSocket did carry some (else nothing was upgraded).
 */
export function checkAcrossUpgrade(overPolls: readonly string[], overSocket: readonly string[], published: readonly string[]): void {
  const together = [...overPolls, ...overSocket];
  const difference = describeSequenceDifference(published, together);
  expectThat(difference === '' && overSocket.length > 0, `all ${published.length} messages exactly once, in publish order, the later ones over the WebSocket`, () =>
    [`${overPolls.length} over the polls, ${overSocket.length} over the WebSocket`, difference].filter(Boolean).join('; '),
  );
}

export { checkDeliveredThroughResets } from '../../core/sequence.ts';

/** Model M-10: the declared pings kept the connection open through the intermediary's idle timeout, and it still delivers. */
export function checkKeptOpenThroughIdleTimeout(idle: IdleThroughTimeout): void {
  expectThat(idle.cut === undefined && idle.arrived, `the connection still open after more than the intermediary's ${idle.idleTimeoutMs} ms idle timeout, and the message published then arriving on it`, () =>
    idle.cut !== undefined ? `the intermediary's connection ended: ${idle.cut}; ${idle.connection}` : `the connection stayed open but the message did not arrive; ${idle.connection}`,
  );
}

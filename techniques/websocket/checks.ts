/**
 * The WebSocket requirements as checks over what the raw client recorded:
 * handshake answers, echoed messages, and how the server closed.
 */
import { expectThat, NonStrictFailure } from '../../core/failure.ts';
import { describeSequenceDifference, listSome } from '../../core/sequence.ts';
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
  expectThat(chosen === undefined || offered.includes(chosen.trim()), `no Sec-WebSocket-Protocol, or one of ${offered.join(', ')}`, () => `Sec-WebSocket-Protocol ${JSON.stringify(chosen)} (status ${answer.status})`);
}

/** The echoed message equals what was sent, and the server framed it with minimal lengths and no mask. */
export function checkEchoed(sent: { type: string; data: Buffer }, got: { type: string; data: Buffer }, findings: readonly WsFinding[]): void {
  const same = sent.type === got.type && sent.data.equals(got.data);
  expectThat(same, `the ${sent.type} message of ${sent.data.length} bytes back, byte for byte`, () =>
    got.type !== sent.type ? `a ${got.type} message of ${got.data.length} bytes` : `${got.data.length} bytes, first difference at byte ${firstDifference(sent.data, got.data)}`,
  );
  const framing = findings.filter((f) => ECHO_FRAMING.includes(f.rule)).map((f) => f.text);
  expectThat(framing.length === 0, 'server frames unmasked, each with the minimal length encoding (RFC 6455 §5.2)', () => listSome(framing, 3));
}

function firstDifference(a: Buffer, b: Buffer): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return i;
  return Math.min(a.length, b.length);
}

/**
 * The server failed the connection with `code`: a close frame with that code.
 * Dropping TCP without a close frame is the right outcome done badly (non-strict).
 */
export function checkFailedWith(close: CloseView, code: number, echoedSomething: boolean): void {
  const frame = close.closeFrame;
  // The server failed the connection (RFC 6455's MUST) but without the close frame and status
  // code that §7.1.7 says it SHOULD send first: no close frame at all, or one with no code.
  if (frame?.code === undefined && close.tcpClosedBy === 'server' && !echoedSomething) {
    const missing = frame === undefined ? 'a close frame' : 'a status code in its close frame';
    throw new NonStrictFailure(`a close frame with code ${code} before the connection ends`, `${close.outcome} (RFC 6455 §7.1.7 asks for ${missing})`);
  }
  expectThat(frame?.code === code, `the connection failed with a close frame carrying code ${code}`, () =>
    `${close.outcome}${echoedSomething ? '; the server answered the forbidden frames as if they were fine' : ''}`,
  );
}

/** A close was answered with a close frame echoing its code, and the server ended TCP. */
export function checkCloseAnswered(close: CloseView, code: number): void {
  expectThat(close.closeFrame !== undefined, `a close frame in answer to the client's close with code ${code}`, () => close.outcome);
  if (close.closeFrame?.code !== code) throw new NonStrictFailure(`the answering close frame to echo code ${code}, as endpoints typically do (RFC 6455 §5.5.1)`, close.outcome);
  if (close.tcpClosedBy !== 'server') throw new NonStrictFailure('the server to close the TCP connection after the close handshake (RFC 6455 §7.1.1)', close.outcome);
}

export function checkPong(pong: { payload: Buffer } | undefined, payload: Buffer): void {
  expectThat(pong !== undefined && pong.payload.equals(payload), `a pong carrying the ${payload.length} bytes of the ping`, () => (pong === undefined ? 'no pong' : `a pong of ${pong.payload.length} bytes with other content`));
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

/** After the client's close, nothing but the server's close frame came back. */
export function checkOnlyClose(close: CloseView, echoedData: boolean): void {
  expectThat(!echoedData && close.closeFrame !== undefined, 'a close frame, and no echo of the text sent after the close', () =>
    `${echoedData ? 'the text sent after the close came back; ' : ''}${close.outcome}`,
  );
}

/** The server pinged an idle connection at least twice in three declared intervals. */
export function checkPinged(pings: number, intervalMs: number): void {
  expectThat(pings >= 2, `at least 2 pings in 3 × ${intervalMs} ms of idleness`, () => `${pings} ping(s)`);
}

/**
 * The WebSocket checks over handshake answers, echoes, findings and closes
 * built by hand, with the line each draws between a failure and a
 * non-strict outcome (the right thing done in a way the RFC recommends against).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as check from '../techniques/websocket/checks.ts';
import type { CloseView, HandshakeView } from '../techniques/websocket/checks.ts';
import type { WsFinding, WsFindingRule } from '../techniques/websocket/inspect.ts';
import { silenceOf } from '../core/idle-watch.ts';
import { failure } from './support/checks.ts';

/** RFC 6455 §1.3's sample key and its accept value. */
const ACCEPT = 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=';

/** A well-formed 101 answer to a handshake that sent a key, unless `fields` says otherwise. */
const handshake = (fields: Partial<HandshakeView> = {}, headers: Record<string, string> = {}): HandshakeView => ({
  status: 101,
  expectedAccept: ACCEPT,
  ...fields,
  headers: { upgrade: 'websocket', connection: 'Upgrade', 'sec-websocket-accept': ACCEPT, ...headers },
});
/** A refusal: `status` with only the headers given. */
const refusal = (status: number, headers: Record<string, string> = {}): HandshakeView => ({ status, headers, expectedAccept: ACCEPT });
const close = (fields: Partial<CloseView> = {}): CloseView => ({ tcpClosedBy: 'server', outcome: 'the outcome', ...fields });
const frame = (code?: number) => ({ ...(code !== undefined ? { code } : {}), reason: '' });
const text = (data: string) => ({ type: 'text', data: Buffer.from(data) });
const findingOf = (rule: WsFindingRule): WsFinding => ({ rule, text: `frame 2 (text) ${rule}` });

describe('the handshake', () => {
  test('checkHandshakeAccepted: 101, the right accept value, the Upgrade and Connection tokens in any case or list', () => {
    check.checkHandshakeAccepted(handshake());
    check.checkHandshakeAccepted(handshake({}, { upgrade: 'WebSocket', connection: 'keep-alive, UPGRADE' }));
    const expected = /^101 Switching Protocols with Sec-WebSocket-Accept s3pPLMBiTxaQ9kYGzzhZRbK\+xOo=, Upgrade: websocket and Connection: Upgrade$/;
    assert.throws(() => check.checkHandshakeAccepted(handshake({}, { 'sec-websocket-accept': 'wrong=' })), failure(expected, /^101; Sec-WebSocket-Accept "wrong="/));
    assert.throws(() => check.checkHandshakeAccepted(handshake({ status: 200 })), failure(expected, /^200; /));
    assert.throws(() => check.checkHandshakeAccepted(handshake({}, { upgrade: 'h2c' })), failure(expected, /Upgrade "h2c"/));
    assert.throws(() => check.checkHandshakeAccepted(handshake({}, { connection: 'keep-alive' })), failure(expected, /Connection "keep-alive"$/));
    assert.throws(() => check.checkHandshakeAccepted(refusal(101, { upgrade: 'websocket', connection: 'Upgrade' })), failure(expected, /Sec-WebSocket-Accept "\(absent\)"/));
  });

  test('checkUpgraded: a frame scenario needs a 101', () => {
    check.checkUpgraded(handshake(), 'echo');
    assert.throws(() => check.checkUpgraded(refusal(404), 'channel'), failure(/^the channel endpoint to accept a well-formed handshake \(101\)$/, /^status 404$/));
  });

  test('checkRefused: anything but 101, or exactly the status asked for', () => {
    check.checkRefused(refusal(400));
    check.checkRefused(refusal(403), 403);
    assert.throws(() => check.checkRefused(handshake()), failure(/^the handshake refused \(no 101\)$/, /^status 101$/));
    assert.throws(() => check.checkRefused(refusal(400), 403), failure(/^the handshake refused with status 403$/, /^status 400$/));
  });

  test('checkVersionRefused: any 4xx naming version 13', () => {
    check.checkVersionRefused(refusal(426, { 'sec-websocket-version': '13' }));
    check.checkVersionRefused(refusal(400, { 'sec-websocket-version': '13, 8, 7' }));
    check.checkVersionRefused(refusal(499, { 'sec-websocket-version': '8,13' }));
    const expected = /^a 4xx refusal \(such as 426 or 400\) with Sec-WebSocket-Version naming 13$/;
    assert.throws(() => check.checkVersionRefused(refusal(426)), failure(expected, /^status 426; Sec-WebSocket-Version "\(absent\)"$/));
    assert.throws(() => check.checkVersionRefused(refusal(426, { 'sec-websocket-version': '8' })), failure(expected, /"8"$/));
    assert.throws(() => check.checkVersionRefused(refusal(101, { 'sec-websocket-version': '13' })), failure(expected, /^status 101; /));
    assert.throws(() => check.checkVersionRefused(refusal(500, { 'sec-websocket-version': '13' })), failure(expected, /^status 500; /));
  });

  test('checkSubprotocolOffered: none, or one the client offered', () => {
    check.checkSubprotocolOffered(handshake(), ['chat']);
    check.checkSubprotocolOffered(handshake({}, { 'sec-websocket-protocol': 'superchat' }), ['chat', 'superchat']);
    assert.throws(() => check.checkSubprotocolOffered(handshake({}, { 'sec-websocket-protocol': 'mqtt' }), ['chat', 'superchat']), failure(/^no Sec-WebSocket-Protocol, or one of chat, superchat$/, /^Sec-WebSocket-Protocol "mqtt" \(status 101\)$/));
    // A server that never upgrades has made no choice: no pass on a precondition that did not hold.
    assert.throws(() => check.checkSubprotocolOffered(handshake({ status: 200 }), ['chat']), failure(/^the handshake accepted \(101\)/, /^status 200: the server did not upgrade/));
  });
});

describe('messages', () => {
  test('checkEchoed: the same message back, byte for byte', () => {
    check.checkEchoed(text('hello'), text('hello'), []);
    check.checkEchoed({ type: 'binary', data: Buffer.alloc(0) }, { type: 'binary', data: Buffer.alloc(0) }, []);
    assert.throws(() => check.checkEchoed(text('hello'), text('heLlo'), []), failure(/^the text message of 5 bytes back, byte for byte$/, /^5 bytes, first difference at byte 2$/));
    assert.throws(() => check.checkEchoed(text('hello'), text('hell'), []), failure(/5 bytes back/, /^4 bytes, first difference at byte 4$/));
    assert.throws(() => check.checkEchoed(text('hello'), { type: 'binary', data: Buffer.from('hello') }, []), failure(/^the text message/, /^a binary message of 5 bytes$/));
    const reserved = { rule: 'reserved-bits' as const, text: 'frame 1 (text) sets reserved bits 5 with no extension negotiated (RFC 6455 §5.2)' };
    assert.throws(() => check.checkEchoed(text('hello'), text('x!'), [reserved]), failure(/5 bytes back/, /^2 bytes, first difference at byte 0; the server sent a malformed frame: frame 1 \(text\) sets reserved bits 5 /), "the server's malformed frames are named");
  });

  test('checkEchoed: a masked or non-minimal-length server frame fails; other findings are not its business', () => {
    check.checkEchoed(text('hi'), text('hi'), (['after-close', 'reserved-bits', 'text-not-utf8', 'fragmented-control'] as const).map(findingOf));
    const expected = /^server frames unmasked, each with the minimal length encoding \(RFC 6455 §5\.2\)$/;
    assert.throws(() => check.checkEchoed(text('hi'), text('hi'), [findingOf('reserved-bits'), findingOf('masked')]), failure(expected, /^frame 2 \(text\) masked$/));
    assert.throws(() => check.checkEchoed(text('hi'), text('hi'), [findingOf('non-minimal-length')]), failure(expected, /non-minimal-length/));
  });

  test('checkAllReceived: every connection got the message', () => {
    check.checkAllReceived(new Map([['alice', [{ data: 'x' }, { data: 'news' }]], ['bob', [{ data: 'news' }]]]), 'news');
    assert.throws(() => check.checkAllReceived(new Map([['alice', [{ data: 'news' }]], ['bob', []], ['carol', [{ data: 'old' }]]]), 'news'), failure(/^every one of the 3 connections to receive "news"$/, /^2 did not: "bob", "carol"$/));
  });

  test('checkBothDirections: each side\'s messages once, in its own order, interleaved any way', () => {
    check.checkBothDirections(['p1', 'c1', 'p2', 'c2'], ['p1', 'p2'], ['c1', 'c2']);
    check.checkBothDirections(['c1', 'c2', 'p1', 'p2'], ['p1', 'p2'], ['c1', 'c2']);
    const expected = /^all 4 messages exactly once: the published in publish order, the client's own in the order sent$/;
    assert.throws(() => check.checkBothDirections(['p2', 'c1', 'p1', 'c2'], ['p1', 'p2'], ['c1', 'c2']), failure(expected, /^received 4; published: out of publish order/));
    assert.throws(() => check.checkBothDirections(['p1', 'c1', 'p2'], ['p1', 'p2'], ['c1', 'c2']), failure(expected, /^received 3; the client's own: missing 1: "c2"$/));
    assert.throws(() => check.checkBothDirections(['p1', 'c1', 'p2', 'c1', 'c2'], ['p1', 'p2'], ['c1', 'c2']), failure(expected, /duplicated 1: "c1 ×2"/));
    assert.throws(() => check.checkBothDirections(['p1', 'c1', 'p2', 'c2', 'stray'], ['p1', 'p2'], ['c1', 'c2']), failure(expected, /^received 5$/));
  });

  test('checkInOrder', () => {
    check.checkInOrder('alice', ['a', 'b', 'c'], ['a', 'b', 'c']);
    assert.throws(() => check.checkInOrder('alice', ['a', 'c', 'b'], ['a', 'b', 'c']), failure(/^alice to receive the 3 message\(s\), each exactly once, in order$/, /^received 3: out of publish order from position 2/));
  });

  test('checkPinged: no stretch without a ping longer than the declared interval plus slack', () => {
    // Pings every interval, and a watch that ended at its second ping (or a little after it).
    check.checkPinged(silenceOf([1000, 2000], 0, 2000), 1000, 500);
    check.checkPinged(silenceOf([1490, 2980], 0, 3000), 1000, 500);
    const expected = /^a ping at least every 1000 ms \(the declared interval, \+500 ms slack\) while idle$/;
    assert.throws(() => check.checkPinged(silenceOf([1000], 0, 2501), 1000, 500), failure(expected, /^the longest stretch without a ping was 1501 ms \(1 ping\(s\) in 2501 ms\)$/));
    assert.throws(() => check.checkPinged(silenceOf([], 0, 1501), 1000, 500), failure(expected, /^the longest stretch without a ping was 1501 ms \(0 ping\(s\) in 1501 ms\)$/), 'a server that never pings');
    assert.throws(() => check.checkPinged(silenceOf([100, 200], 0, 2000), 1000, 500), failure(expected, /1800 ms \(2 ping\(s\)/), 'two pings at once, then silence');
    assert.throws(() => check.checkPinged(silenceOf([100], 0, 300, 'the connection ended while idle: 1 frame received: ping; the server closed the TCP connection at 300 ms'), 1000, 500), failure(expected, /^the connection ended while idle: .*, after 1 ping\(s\) while idle$/), 'a connection that ended is not kept alive');
  });
});

describe('closing', () => {
  test('checkFailedWith: the connection failed (a close frame, or TCP ended by the server) holds its MUST; the close frame is a SHOULD part', () => {
    const held = check.checkFailedWith(close({ closeFrame: frame(1002) }), [1002], false);
    assert.deepEqual(held.map((p) => [p.requirement, p.held]), [[check.FAIL_CLOSE_FRAME, true]]);
    assert.match(held[0]!.expected, /^a close frame with code 1002 before the connection ends \(RFC 6455 §7\.1\.7\)$/);
    assert.equal(check.checkFailedWith(close({ closeFrame: frame(1007) }), [1002, 1007], false)[0]!.held, true, 'any accepted code');
    assert.equal(check.checkFailedWith(close({ closeFrame: frame(1002), tcpClosedBy: 'client' }), [1002], false)[0]!.held, true);
  });

  test('checkFailedWith: no close frame, no code in it, or another code holds the MUST and not the SHOULD part', () => {
    const dropped = check.checkFailedWith(close({ outcome: 'no close frame: the server dropped the TCP connection' }), [1002], false);
    assert.deepEqual(dropped.map((p) => p.held), [false]);
    assert.match(dropped[0]!.actual, /^no close frame: no close frame: the server dropped/);
    assert.match(check.checkFailedWith(close({ closeFrame: frame() }), [1002], false)[0]!.actual, /^a close frame without a status code: /);
    const wrong = check.checkFailedWith(close({ closeFrame: frame(1003), outcome: 'clean, code 1003' }), [1002], false);
    assert.deepEqual([wrong[0]!.held, wrong[0]!.actual], [false, 'a close frame with code 1003: clean, code 1003']);
  });

  test('checkFailedWith: a close frame with a code no endpoint may send fails the MUST (§5.5.1, §7.4.1), echoed or not', () => {
    for (const code of [0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000]) {
      assert.throws(() => check.checkFailedWith(close({ closeFrame: frame(code), outcome: `clean, code ${code}` }), [1002], false), failure(/^a close frame whose status code an endpoint may send/, new RegExp(`^a close frame with code ${code}, which `)), String(code));
      assert.throws(() => check.checkFailedWith(close({ closeFrame: frame(code) }), [1002], false, 'MAY'), Error, `${code} (MAY)`);
    }
    assert.throws(() => check.checkFailedWith(close({ closeFrame: frame(1005) }), [1002], false), failure(/./, /which §7\.4\.1 says an endpoint MUST NOT set/));
    for (const code of [1000, 1001, 1002, 1003, 1007, 1011, 1012, 1014, 3000, 4999]) assert.ok(check.mayBeSent(code), String(code));
  });

  test('checkFailedWith: where the close frame is only a MAY (§5.1), it is not judged', () => {
    assert.deepEqual(check.checkFailedWith(close({ closeFrame: frame(1003) }), [1002], false, 'MAY'), []);
    assert.deepEqual(check.checkFailedWith(close(), [1002], false, 'MAY'), []);
  });

  test('checkFailedWith: a connection left open, closed only by the client, or answering the forbidden frames fails the MUST', () => {
    const expected = /^the server to fail the connection: a close frame \(with code 1002\), or at least the TCP connection ended, without acting on the forbidden frames$/;
    assert.throws(() => check.checkFailedWith(close({ tcpClosedBy: 'still open', outcome: 'still open' }), [1002], false), failure(expected, /^still open$/));
    assert.throws(() => check.checkFailedWith(close({ tcpClosedBy: 'client' }), [1002], false), failure(expected, /^the outcome$/));
    assert.throws(() => check.checkFailedWith(close(), [1002], true), failure(expected, /^the outcome; the server answered the forbidden frames as if they were fine$/));
    assert.throws(() => check.checkFailedWith(close({ tcpClosedBy: 'still open' }), [1002], false, 'MAY'), failure(expected, /^the outcome$/));
  });

  test('checkEchoedWithinLimits: the echo is judged as ever; only a message over a declared limit may be refused, by failing the connection', () => {
    const sent = text('hello');
    assert.deepEqual(check.checkEchoedWithinLimits({ sent, got: text('hello'), findings: [] }), []);
    assert.throws(() => check.checkEchoedWithinLimits({ sent, got: text('world'), findings: [] }), failure(/^the text message of 5 bytes back, byte for byte$/, /first difference at byte 0/));
    assert.throws(() => check.checkEchoedWithinLimits({ sent, close: close({ closeFrame: frame(1009) }), findings: [] }), failure(/^the text message of 5 bytes back$/, /^the outcome$/));
    const over = { ...text('x'.repeat(70_000)), overLimit: 'a 70000-byte message, over the declared maxMessageBytes 65536' };
    const refused = check.checkEchoedWithinLimits({ sent: over, close: close({ closeFrame: frame(1009) }), findings: [] });
    assert.deepEqual(refused.map((p) => [p.requirement, p.held]), [[check.FAIL_CLOSE_FRAME, true]]);
    assert.equal(check.checkEchoedWithinLimits({ sent: over, close: close({ closeFrame: frame(1000) }), findings: [] })[0]!.held, false, '1009 is the code a size refusal should carry');
    assert.deepEqual(check.checkEchoedWithinLimits({ sent: over, got: { type: 'text', data: over.data }, findings: [] }), [], 'a server may accept more than it declares');
    assert.throws(() => check.checkEchoedWithinLimits({ sent: over, close: close({ tcpClosedBy: 'still open' }), findings: [] }), failure(/^the server to fail the connection/, /^the outcome$/));
  });
});

/** The EventSource client checks (techniques/sse/client-side): each holds on what the rule wants and fails, with Expected / Actual, on what breaks it. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ClientMessage as Message } from '../clients/contract/reports.ts';
import type { RecordedRequest } from '../core/scripted-http.ts';
import { bytesOf, splitBytes, splitOf } from '../techniques/sse/client-side/actions.ts';
import {
  checkAcceptsEventStream,
  checkFollowed,
  checkHeader,
  checkLastEventIdHeaderIfAny,
  checkLastEventIdHeaderNot,
  checkLastEventIdNot,
  checkLastEventIds,
  checkMessages,
  checkMessageType,
  checkNoLastEventId,
  checkNoRequestAfter,
  checkNotSooner,
  checkReadToMarker,
  checkReconnectDelay,
  checkReconnected,
} from '../techniques/sse/client-side/checks.ts';
import { eventTypesNamedIn, sseClientSpecFrom } from '../techniques/sse/client-side/contract.ts';
import { failure } from './support/checks.ts';

const message = (data: string, fields: Partial<Message> = {}): Message => ({ type: 'message', atMs: 0, data, ...fields });
const request = (index: number, atMs: number, headers: Record<string, string> = {}, url = '/events'): RecordedRequest => ({ index, connection: index, method: 'GET', url, headers, atMs });

describe('what the client reported', () => {
  test('the messages, in order', () => {
    checkMessages([message('a'), message('b')], ['a', 'b']);
    assert.throws(() => checkMessages([message('a')], ['a', 'b']), failure(/"a", "b", in this order/, /^"a"$/));
    assert.throws(() => checkMessages([message('b'), message('a')], ['a', 'b']), failure(/"a", "b"/, /"b", "a"/));
    assert.throws(() => checkMessages([message('')], []), failure(/\(none\)/, /^""$/));
  });

  test('the end marker was reached', () => {
    checkReadToMarker(true, []);
    assert.throws(() => checkReadToMarker(false, [message('a')]), failure(/end marker/, /"a" and no end marker/));
  });

  test('a message of a type', () => {
    checkMessageType([message('a', { event: 'add' })], 'a', 'add');
    checkMessageType([message('a')], 'a', 'message');
    assert.throws(() => checkMessageType([message('a', { event: 'message' })], 'a', 'add'), failure(/"a" of the type "add"/, /its type was "message"/));
    assert.throws(() => checkMessageType([message('b')], 'a', 'add'), failure(/"a"/, /no message "a": "b"/));
  });

  test('the last event ids, in order', () => {
    checkLastEventIds([message('a', { lastEventId: '1' }), message('b', { lastEventId: '1' })], ['1', '1']);
    assert.throws(() => checkLastEventIds([message('a', { lastEventId: '1' }), message('b', { lastEventId: '' })], ['1', '1']), failure(/"1", "1"/, /"b" with the last event id ""/));
    assert.throws(() => checkLastEventIds([message('a')], ['1']), failure(/"1"/, /no lastEventId reported/));
  });

  test('an id that was to be ignored', () => {
    checkLastEventIdNot([message('b', { lastEventId: '1' })], 'b', '2\0x');
    checkLastEventIdNot([message('b', { lastEventId: '' })], 'b', '2\0x');
    assert.throws(() => checkLastEventIdNot([message('b', { lastEventId: '2\0x' })], 'b', '2\0x'), failure(/not "2\\u0000x"/, /was "2\\u0000x"/));
    assert.throws(() => checkLastEventIdNot([], 'b', '2'), failure(/"b"/, /no message "b"/));
  });
});

describe('what the client sent', () => {
  test('Accept lists text/event-stream', () => {
    checkAcceptsEventStream(request(0, 0, { accept: 'text/event-stream' }));
    checkAcceptsEventStream(request(0, 0, { accept: 'text/html, Text/Event-Stream;q=0.9' }));
    assert.throws(() => checkAcceptsEventStream(request(0, 0, {})), failure(/Accept: text\/event-stream/, /no Accept/));
    assert.throws(() => checkAcceptsEventStream(request(0, 0, { accept: '*/*' })), failure(/Accept/, /"\*\/\*"/));
    assert.throws(() => checkAcceptsEventStream(undefined), failure(/Accept/, /no request/));
  });

  test('a header with a value', () => {
    checkHeader(request(0, 0, { 'cache-control': 'no-cache' }), 'cache-control', 'no-cache');
    assert.throws(() => checkHeader(request(0, 0, {}), 'cache-control', 'no-cache'), failure(/cache-control: no-cache/, /no cache-control/));
    assert.throws(() => checkHeader(request(1, 0, { 'last-event-id': '6' }), 'last-event-id', '7'), failure(/last-event-id: 7/, /"6"/));
  });

  test('Last-Event-ID: none on the first request; never an uncommitted id; the expected one if any', () => {
    checkNoLastEventId(request(0, 0));
    assert.throws(() => checkNoLastEventId(request(0, 0, { 'last-event-id': '0' })), failure(/without Last-Event-ID/, /"0"/));
    checkLastEventIdHeaderNot(request(1, 0, { 'last-event-id': '1' }), '2');
    checkLastEventIdHeaderNot(request(1, 0), '2');
    assert.throws(() => checkLastEventIdHeaderNot(request(1, 0, { 'last-event-id': '2' }), '2'), failure(/not "2"/, /"2"/));
    assert.throws(() => checkLastEventIdHeaderNot(undefined, '2'), failure(/not "2"/, /no reconnection/));
    checkLastEventIdHeaderIfAny(request(1, 0, { 'last-event-id': '2' }), '2');
    checkLastEventIdHeaderIfAny(request(1, 0), '2');
    assert.throws(() => checkLastEventIdHeaderIfAny(request(1, 0, { 'last-event-id': '1' }), '2'), failure(/Last-Event-ID: 2 \(or none\)/, /"1"/));
  });

  test('a reconnection at all', () => {
    checkReconnected(request(1, 500), 8000);
    assert.throws(() => checkReconnected(undefined, 8000), failure(/within 8000 ms/, /no request within 8000 ms/));
  });

  test('the reconnection delay, 25 % either way', () => {
    checkReconnectDelay(100, request(1, 1100), 1000);
    checkReconnectDelay(100, request(1, 850), 1000);
    checkReconnectDelay(100, request(1, 1350), 1000);
    assert.throws(() => checkReconnectDelay(100, request(1, 840), 1000), failure(/1000 ms after the stream ended \(750 ms to 1250 ms\)/, /740 ms after/));
    assert.throws(() => checkReconnectDelay(100, request(1, 3100), 1000), failure(/750 ms to 1250 ms/, /3000 ms after/));
    assert.throws(() => checkReconnectDelay(100, undefined, 1000), failure(/1000 ms/, /no reconnection/));
    assert.throws(() => checkReconnectDelay(undefined, request(1, 100), 1000), failure(/1000 ms/, /no reconnection/));
  });

  test('no sooner than the reconnection time, less 25 %; later is the client\'s right', () => {
    checkNotSooner(0, request(1, 450), 600);
    checkNotSooner(0, request(1, 5000), 600);
    assert.throws(() => checkNotSooner(0, request(1, 210), 600), failure(/no sooner than 450 ms .*stays 600 ms/, /210 ms after/));
  });

  test('no request after a refused answer', () => {
    checkNoRequestAfter(request(1, 300), undefined, 1000);
    assert.throws(() => checkNoRequestAfter(request(1, 300), request(2, 520, { 'last-event-id': '7' }), 1000), failure(/no request within 1000 ms/, /GET \/events with last-event-id: "7" 220 ms after it/));
    assert.throws(() => checkNoRequestAfter(undefined, undefined, 1000), failure(/no request/, /never made the request/));
  });

  test('a redirect followed', () => {
    checkFollowed(request(1, 10, {}, '/moved'), '/moved');
    assert.throws(() => checkFollowed(request(1, 10, {}, '/events'), '/moved'), failure(/GET \/moved/, /GET \/events/));
    assert.throws(() => checkFollowed(undefined, '/moved'), failure(/GET \/moved/, /no request after the redirect/));
  });
});

describe('the sse section of a client adapter', () => {
  test('eventTypes is "all" by default, or "listed"; anything else names the field', () => {
    assert.deepEqual(sseClientSpecFrom({}, 'a.json'), { eventTypes: 'all' });
    assert.deepEqual(sseClientSpecFrom({ eventTypes: 'listed' }, 'a.json'), { eventTypes: 'listed' });
    assert.throws(() => sseClientSpecFrom({ eventTypes: 'some' }, 'a.json'), /a\.json: "sse\.eventTypes": expected "all" .* got "some"/);
    assert.throws(() => sseClientSpecFrom({ eventType: 'listed' }, 'a.json'), /a\.json: "sse": unknown field "eventType"/);
  });

  test('the event types a stream names, for a glue that listens by name', () => {
    assert.deepEqual(eventTypesNamedIn(Buffer.from('event: add\ndata: a\n\nevent:remove\r\nevent:\nevent: add\rEvent: x\n')), ['add', 'remove']);
    assert.deepEqual(eventTypesNamedIn(Buffer.from('data: a\n\n')), []);
  });
});

describe('the bytes a scenario writes', () => {
  test('escapes: \\n \\r \\t \\0 \\\\ \\xHH \\u{…}', () => {
    assert.deepEqual(bytesOf('a\\r\\n\\t\\0\\\\'), Buffer.from('a\r\n\t\0\\'));
    assert.deepEqual(bytesOf('caf\\xc3\\xa9'), Buffer.from('café'));
    assert.deepEqual(bytesOf('\\u{feff}x'), Buffer.from([0xef, 0xbb, 0xbf, 0x78]));
    assert.throws(() => bytesOf('\\q'), /unknown escape \\q/);
  });

  test('splits', () => {
    assert.deepEqual(splitBytes(Buffer.from('abcde'), splitOf('in writes of 2 bytes')).map(String), ['ab', 'cd', 'e']);
    assert.deepEqual(splitBytes(Buffer.from('abc'), splitOf('one byte per write')).map(String), ['a', 'b', 'c']);
    assert.deepEqual(splitBytes(Buffer.from('abc'), splitOf('in one write')).map(String), ['abc']);
    assert.throws(() => splitOf('in halves'), /unknown way to split/);
  });
});

/**
 * The Server-Sent Events checks over streams, real-client records and
 * slow-client runs built by hand, and the silence measure the keep-alive
 * check judges: each check holds on good evidence and fails on bad.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { PublishedMessage } from '../core/publisher.ts';
import * as check from '../techniques/sse/checks.ts';
import type { CancelReleaseRun, Decode, StalledReaderRun, StreamView } from '../techniques/sse/checks.ts';
import { silenceOf } from '../core/idle-watch.ts';
import type { RealClientMessage, RealClientRequest } from '../techniques/sse/real-client.ts';
import type { SlowClientRun } from '../techniques/sse/slow-reader.ts';
import { failure } from './support/checks.ts';

type Event = StreamView['events'][number];
type Finding = StreamView['findings'][number];

/** A stream that opened well (200, text/event-stream, no-store, head after 5 ms) and carried what `fields` says. */
const stream = (fields: Partial<StreamView> = {}): StreamView => ({
  status: 200,
  headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-store' },
  startedAtMs: 0,
  headersAtMs: 5,
  events: [],
  findings: [],
  retries: [],
  ...fields,
});
const event = (data: string, fields: Partial<Event> = {}): Event => ({ type: 'message', data, idField: data, atMs: 0, ...fields });
const finding = (rule: string, line = 3): Finding => ({ rule, line, detail: `${rule} here` });
const published = (data: string, startedAtMs = 0): PublishedMessage => ({ seq: 0, data, startedAtMs, ackedAtMs: startedAtMs + 1 });
const publishedAll = (...data: string[]): PublishedMessage[] => data.map((d, seq) => ({ ...published(d), seq }));
const clientMessage = (data: string, fields: Partial<RealClientMessage> = {}): RealClientMessage => ({ type: 'message', data, lastEventId: '1', atMs: 0, ...fields });
const same: Decode = (data) => data;
const json: Decode = (data) => JSON.parse(data) as string;


describe('helpers', () => {
  test('asLinesRebuildIt: CRLF and lone CR come back as LF', () => {
    assert.equal(check.asLinesRebuildIt('a\r\nb\rc\nd'), 'a\nb\nc\nd');
    assert.equal(check.asLinesRebuildIt('\r\r\n'), '\n\n');
    assert.equal(check.asLinesRebuildIt('plain'), 'plain');
  });

  test('silenceOf: the longest gap between the window\'s edges and the arrivals inside it', () => {
    assert.deepEqual(silenceOf([100, 250, 900], 0, 1000), { longestMs: 650, chunks: 3, windowMs: 1000 });
    assert.deepEqual(silenceOf([], 200, 1200), { longestMs: 1000, chunks: 0, windowMs: 1000 }, 'no arrival: the whole window');
    assert.deepEqual(silenceOf([50, 200, 1000, 1300], 200, 1000), { longestMs: 800, chunks: 0, windowMs: 800 }, 'arrivals on or outside the edges do not count');
  });
});

describe('opening the stream', () => {
  test('checkStatus200', () => {
    check.checkStatus200(stream());
    assert.throws(() => check.checkStatus200(stream({ status: 500 })), failure(/^the event stream answered with status 200$/, /^status 500$/));
    assert.throws(() => check.checkStatus200(stream({ status: undefined })), failure(/status 200/, /^status \(none\)$/));
  });

  test('checkEventStreamType: the essence text/event-stream, parameters and case aside', () => {
    check.checkEventStreamType(stream());
    check.checkEventStreamType(stream({ headers: { 'content-type': 'Text/Event-Stream; charset=utf-8' } }));
    const expected = /^Content-Type text\/event-stream \(parameters such as charset=utf-8 allowed\)$/;
    assert.throws(() => check.checkEventStreamType(stream({ headers: { 'content-type': 'text/plain' } })), failure(expected, /^Content-Type "text\/plain"$/));
    assert.throws(() => check.checkEventStreamType(stream({ headers: { 'content-type': 'text/event-streams' } })), failure(expected, /"text\/event-streams"/));
    assert.throws(() => check.checkEventStreamType(stream({ headers: {} })), failure(expected, /^Content-Type "\(absent\)"$/));
  });

  test('checkOpenedAtOnce: a 200 head within the bound', () => {
    check.checkOpenedAtOnce(stream({ startedAtMs: 5, headersAtMs: 105 }), 100);
    const expected = /^the stream's head \(status 200\) within 100 ms, before any event was published$/;
    assert.throws(() => check.checkOpenedAtOnce(stream({ startedAtMs: 5, headersAtMs: 106 }), 100), failure(expected, /^status 200 after 101 ms$/));
    assert.throws(() => check.checkOpenedAtOnce(stream({ headersAtMs: undefined }), 100), failure(expected, /^no head arrived$/));
    assert.throws(() => check.checkOpenedAtOnce(stream({ status: 503 }), 100), failure(expected, /^status 503 after 5 ms$/));
  });

  test('checkStreamNotCacheable', () => {
    for (const value of ['no-store', 'no-cache', 'max-age=0', 'private, no-cache']) check.checkStreamNotCacheable(stream({ headers: { 'cache-control': value } }));
    const expected = /^Cache-Control: no-store, no-cache or max-age=0 on the stream$/;
    assert.throws(() => check.checkStreamNotCacheable(stream({ headers: { 'cache-control': 'public, max-age=3600' } })), failure(expected, /^Cache-Control "public, max-age=3600"$/));
    assert.throws(() => check.checkStreamNotCacheable(stream({ headers: {} })), failure(expected, /"\(absent\)"/));
  });

  test('checkNoContent and checkStopped: 204, and the real client closed for good', () => {
    check.checkNoContent(stream({ status: 204 }));
    assert.throws(() => check.checkNoContent(stream()), failure(/^a stream request on the closed channel answered 204 No Content$/, /^status 200$/));
    check.checkStopped(204, 2, 'closed');
    const expected = /^a stream request answered 204 No Content, and the real client closed for good$/;
    assert.throws(() => check.checkStopped(204, 0, 'reconnecting'), failure(expected, /^status 204; reconnecting$/));
    assert.throws(() => check.checkStopped(200, 2, 'closed'), failure(expected, /^status 200; closed$/));
    assert.throws(() => check.checkStopped(undefined, 2, 'closed'), failure(expected, /^status \(none\); closed$/));
  });

  test('checkCorsAllowed: the origin itself or *', () => {
    check.checkCorsAllowed({ 'access-control-allow-origin': 'https://a.example' }, 'https://a.example');
    check.checkCorsAllowed({ 'access-control-allow-origin': '*' }, 'https://a.example');
    const expected = /^Access-Control-Allow-Origin: https:\/\/a\.example \(or \*\) on the stream$/;
    assert.throws(() => check.checkCorsAllowed({ 'access-control-allow-origin': 'https://b.example' }, 'https://a.example'), failure(expected, /"https:\/\/b\.example"/));
    assert.throws(() => check.checkCorsAllowed({}, 'https://a.example'), failure(expected, /"\(absent\)"/));
  });

  test('checkPreflightAllowsLastEventId: a 2xx allowing the origin and Last-Event-ID', () => {
    const origin = 'https://a.example';
    const ok = { 'access-control-allow-origin': origin, 'access-control-allow-headers': 'Content-Type, Last-Event-ID' };
    check.checkPreflightAllowsLastEventId(204, ok, origin);
    check.checkPreflightAllowsLastEventId(200, { 'access-control-allow-origin': '*', 'access-control-allow-headers': '*' }, origin);
    check.checkPreflightAllowsLastEventId(299, { ...ok, 'access-control-allow-headers': 'last-event-id' }, origin);
    const expected = /^a 2xx preflight answer allowing origin https:\/\/a\.example and the header Last-Event-ID$/;
    assert.throws(() => check.checkPreflightAllowsLastEventId(403, ok, origin), failure(expected, /^status 403; /));
    assert.throws(() => check.checkPreflightAllowsLastEventId(300, ok, origin), failure(expected, /^status 300; /));
    assert.throws(() => check.checkPreflightAllowsLastEventId(204, { ...ok, 'access-control-allow-origin': 'https://b.example' }, origin), failure(expected, /Access-Control-Allow-Origin "https:\/\/b\.example"/));
    assert.throws(() => check.checkPreflightAllowsLastEventId(204, { 'access-control-allow-origin': origin, 'access-control-allow-headers': 'Content-Type' }, origin), failure(expected, /Access-Control-Allow-Headers "Content-Type"$/));
    assert.throws(() => check.checkPreflightAllowsLastEventId(204, { 'access-control-allow-origin': origin }, origin), failure(expected, /Access-Control-Allow-Headers "\(absent\)"$/));
  });
});

describe('the format', () => {
  test('checkValidUtf8: invalid UTF-8 or a late BOM fails; other findings do not', () => {
    check.checkValidUtf8(stream({ findings: [finding('unknown-field')] }));
    const expected = /^valid UTF-8 throughout, with a byte order mark only as the very first character$/;
    assert.throws(() => check.checkValidUtf8(stream({ findings: [finding('invalid-utf8', 3)] })), failure(expected, /^line 3: invalid-utf8 here$/));
    assert.throws(() => check.checkValidUtf8(stream({ findings: [finding('bom-not-at-start', 7)] })), failure(expected, /line 7: bom-not-at-start/));
  });

  test('checkKnownFields: an unknown field fails; other findings do not', () => {
    check.checkKnownFields(stream({ findings: [finding('invalid-utf8'), finding('retry-not-digits')] }));
    assert.throws(() => check.checkKnownFields(stream({ findings: [finding('unknown-field', 4)] })), failure(/^every line a comment or a "data", "event", "id" or "retry" field/, /line 4: unknown-field/));
  });

  test('checkOneEventEach: one event per message, decoded, gap events aside, every event ended', () => {
    check.checkOneEventEach(stream({ events: [event('a'), event('x', { type: 'gap' }), event('b')] }), publishedAll('a', 'b'), same, 'gap');
    // An event named gap is a message when the adapter declares another gap event, or none.
    assert.throws(() => check.checkOneEventEach(stream({ events: [event('a'), event('x', { type: 'gap' }), event('b')] }), publishedAll('a', 'b'), same, 'missed'));
    check.checkOneEventEach(stream({ events: [event('"a"'), event('"b"')] }), publishedAll('a', 'b'), json);
    const expected = /^each of the 2 messages dispatched as an event of its own \(ended by a blank line\)$/;
    assert.throws(() => check.checkOneEventEach(stream({ events: [event('a\nb')] }), publishedAll('a', 'b'), same), failure(expected, /missing 2: "a", "b"; not expected 1/));
    assert.throws(() => check.checkOneEventEach(stream({ events: [event('a'), event('b')], findings: [finding('unterminated-event', 9)] }), publishedAll('a', 'b'), same), failure(expected, /^line 9: unterminated-event here$/));
  });

  test('checkIds: an id on every message event, none with U+0000', () => {
    check.checkIds(stream({ events: [event('a'), event('missed', { type: 'gap', idField: undefined })] }), 'gap');
    assert.throws(() => check.checkIds(stream({ events: [event('a'), event('missed', { type: 'gap', idField: undefined })] })));
    const expected = /^an id on every message event, none holding U\+0000$/;
    assert.throws(() => check.checkIds(stream({ events: [event('a'), event('b', { idField: undefined })] })), failure(expected, /^1 event\(s\) without an id: "b"$/));
    assert.throws(() => check.checkIds(stream({ events: [event('a')], findings: [finding('id-has-nul', 2)] })), failure(expected, /line 2: id-has-nul/));
  });

  test('checkRetryField: digits only, and the declared value among those sent', () => {
    check.checkRetryField(stream({ retries: [{ value: 1000 }, { value: 2000 }] }), 2000);
    check.checkRetryField(stream(), undefined);
    assert.throws(() => check.checkRetryField(stream({ retries: [{ value: 3000 }] }), 2000), failure(/^retry fields of ASCII digits only, one of them the declared 2000 ms$/, /^retry values seen: 3000$/));
    assert.throws(() => check.checkRetryField(stream(), 2000), failure(/declared 2000 ms/, /^retry values seen: none$/));
    assert.throws(() => check.checkRetryField(stream({ findings: [finding('retry-not-digits', 5)] }), undefined), failure(/^retry fields of ASCII digits only$/, /line 5: retry-not-di.*; retry values seen: none$/));
  });
});

describe('delivery', () => {
  test('checkDataIntact: each message once, intact; raw data rebuilt with LF', () => {
    check.checkDataIntact([clientMessage('a\nb'), clientMessage('c')], [published('a\r\nb'), published('c')], same, true);
    check.checkDataIntact([clientMessage('"a"')], [published('a')], json, false);
    assert.throws(() => check.checkDataIntact([clientMessage('a\nb')], [published('a\r\nb')], same, false), failure(/^the real client to receive each message's data intact, as one "message" event each$/, /missing 1/));
    const rawExpected = /data intact \(line breaks as LF, as the format rebuilds them\), as one "message" event each$/;
    assert.throws(() => check.checkDataIntact([clientMessage('a'), clientMessage('b', { type: 'evil', lastEventId: '2' })], publishedAll('a', 'b'), same, true), failure(rawExpected, /^forged: evil id 2$/));
    assert.throws(() => check.checkDataIntact([clientMessage('a', { lastEventId: check.FORGED_ID })], publishedAll('a'), same, true), failure(rawExpected, /forged: message id forged-by-data-666$/));
    check.checkDataIntact([clientMessage('a', { lastEventId: '666' })], publishedAll('a'), same, true);
  });

  test('checkPrompt: each event before the next message was published', () => {
    const messages = [published('a', 0), published('b', 100)];
    check.checkPrompt(stream({ events: [event('a', { atMs: 99 }), event('b', { atMs: 5000 })] }), messages, same);
    const expected = /^each event to arrive before the next message was published$/;
    assert.throws(() => check.checkPrompt(stream({ events: [event('a', { atMs: 100 }), event('b', { atMs: 150 })] }), messages, same), failure(expected, /^1 of 2 did not: a \(published at \+0 ms, arrived at \+100 ms, next published at \+100 ms\)$/));
    assert.throws(() => check.checkPrompt(stream({ events: [event('a', { atMs: 10 })] }), messages, same), failure(expected, /^1 of 2 did not: b \(published at \+100 ms, never arrived\)$/));
  });

  test('checkNeverSilent: the longest silence within the keep-alive interval plus slack', () => {
    check.checkNeverSilent(silenceOf([1500, 3000], 0, 4500), 1000, 500);
    assert.throws(() => check.checkNeverSilent(silenceOf([1501], 0, 3000), 1000, 500), failure(/^no silence longer than the declared 1000 ms keep-alive interval \(\+500 ms slack\) while idle$/, /^the longest silence was 1501 ms \(1 chunk\(s\) in 3000 ms\)$/));
    // A stream that ended while watched was not kept alive, though no silence was long.
    assert.throws(() => check.checkNeverSilent(silenceOf([100], 0, 200, 'the stream ended at +200 ms (closed by the server)'), 1000, 500), failure(/^no silence longer than/, /^the stream ended at \+200 ms \(closed by the server\), after 1 line\(s\) while idle$/));
  });

  test('checkReceivedInOrder', () => {
    check.checkReceivedInOrder('bob', ['a', 'b'], publishedAll('a', 'b'));
    assert.throws(() => check.checkReceivedInOrder('bob', ['b', 'a'], publishedAll('a', 'b')), failure(/^bob to receive the 2 message\(s\), each exactly once, in publish order$/, /^received 2: out of publish order from position 1/));
    assert.throws(() => check.checkReceivedInOrder('bob', ['a'], publishedAll('a', 'b')), failure(/bob/, /^received 1: missing 1: "b"$/));
  });

  test('checkSlowClientDropped: dropped by the server before everything reached it', () => {
    const run = (fields: Partial<SlowClientRun>): SlowClientRun => ({ published: publishedAll('a', 'b', 'c'), received: [{ data: 'a' }], droppedByServer: true, how: 'the server closed the connection', bytes: 40, ...fields });
    check.checkSlowClientDropped(run({}), 65536);
    const expected = /^the server to drop a client that reads nothing once more than 65536 bytes are waiting for it$/;
    assert.throws(() => check.checkSlowClientDropped(run({ droppedByServer: false, how: 'still open at the deadline' }), 65536), failure(expected, /^still open at the deadline; it would have delivered 1 of 3 events \(40 bytes\)$/));
    assert.throws(() => check.checkSlowClientDropped(run({ received: [{ data: 'a' }, { data: 'b' }, { data: 'c' }] }), 65536), failure(expected, /delivered 3 of 3 events/));
  });

  test('checkStalledReaderDidNotDelay: the reading stream gets all, the marker in time, while the other stalled; a stall that never happened proves nothing', () => {
    const run = (fields: Partial<StalledReaderRun>): StalledReaderRun => ({ published: ['a', 'b', 'm'], publishedBytes: 300_000, received: ['a', 'b', 'm'], markerLatencyMs: 12, stalledTookBytes: 65_578, ...fields });
    check.checkStalledReaderDidNotDelay(run({}), 5000);
    // A server that dropped the stalled stream holds; the drop is named in the evidence.
    check.checkStalledReaderDidNotDelay(run({ stalledEnded: 'closed by the server' }), 5000);
    assert.throws(() => check.checkStalledReaderDidNotDelay(run({ stalledEnded: 'closed by the server', received: ['a', 'b'], markerLatencyMs: undefined }), 5000), failure(/^the reading stream/, /the stalled stream took 65578 bytes after it stopped reading \(closed by the server\)$/));
    const expected = /^the reading stream to receive all 3 messages in order, the last within 5000 ms, while the other stream on its connection had stopped reading$/;
    assert.throws(() => check.checkStalledReaderDidNotDelay(run({ markerLatencyMs: 5001 }), 5000), failure(expected, /^the last message arrived 5001 ms after its publish; the stalled stream took 65578 bytes after it stopped reading$/));
    assert.throws(() => check.checkStalledReaderDidNotDelay(run({ received: ['a'], markerLatencyMs: undefined }), 5000), failure(expected, /^received 1: missing 2: "b", "m"; the last message never arrived; /));
    assert.throws(() => check.checkStalledReaderDidNotDelay(run({ received: ['b', 'a', 'm'] }), 5000), failure(expected, /^received 3: out of publish order/));
    assert.throws(
      () => check.checkStalledReaderDidNotDelay(run({ stalledTookBytes: 300_000 }), 5000),
      failure(/^a setup in which the first stream stops taking data: fewer bytes than the 300000 published at it$/, /^the stalled stream took 300000 bytes after it stopped reading: its flow-control window never ran out, so the run says nothing about the rule$/),
    );
  });

  test('checkCancelledStreamsReleased: the count back at its baseline within the bound, on a connection still open; a count that never saw the streams proves nothing', () => {
    const run = (fields: Partial<CancelReleaseRun>): CancelReleaseRun => ({ opened: 10, baseline: 2, countAfterOpen: 12, countAfterCancel: 2, releaseMs: 58, readForMs: 58, connectionClosed: false, ...fields });
    check.checkCancelledStreamsReleased(run({}), 1200);
    check.checkCancelledStreamsReleased(run({ releaseMs: 1200, readForMs: 1200 }), 1200);
    // Other streams opened meanwhile (another page): a count that rose by more still saw these ones.
    check.checkCancelledStreamsReleased(run({ countAfterOpen: 13 }), 1200);
    const expected = /^the 10 cancelled streams released within 1200 ms: the count of open event streams back at 2 \(model M-8, RFC 9113 §6\.4\)$/;
    assert.throws(() => check.checkCancelledStreamsReleased(run({ releaseMs: 1201, readForMs: 1201 }), 1200), failure(expected, /^back at 2 only after 1201 ms$/));
    assert.throws(
      () => check.checkCancelledStreamsReleased(run({ countAfterCancel: 12, releaseMs: undefined, readForMs: 1702 }), 1200),
      failure(expected, /^the count was still 12 1702 ms after the streams were cancelled, on a connection still open$/),
    );
    assert.throws(
      () => check.checkCancelledStreamsReleased(run({ countAfterOpen: 7, countAfterCancel: undefined, releaseMs: undefined, readForMs: 0 }), 1200),
      failure(/^a setup in which the server's count of open event streams rises by the 10 streams opened \(from 2 to at least 12\)$/, /^it counted 7 once their heads had come: the count does not see these streams, so their release cannot be seen either$/),
    );
    assert.throws(
      () => check.checkCancelledStreamsReleased(run({ connectionClosed: true, releaseMs: 300 }), 1200),
      failure(/^the connection the 10 cancelled streams shared to stay open, so a release is the streams' own$/, /^the connection closed after the streams were cancelled \(the count was back at 2 after 300 ms\)$/),
    );
  });
});

describe('reconnection', () => {
  const request = (fields: Partial<RealClientRequest> = {}): RealClientRequest => ({ atMs: 0, status: 200, ...fields });

  test('checkReconnectedWithLastId: the second request carries the last id', () => {
    check.checkReconnectedWithLastId([request(), request({ lastEventId: '7' })], '7');
    const expected = /^a reconnection carrying Last-Event-ID "7"$/;
    assert.throws(() => check.checkReconnectedWithLastId([request()], '7'), failure(expected, /^no reconnection$/));
    assert.throws(() => check.checkReconnectedWithLastId([request(), request()], '7'), failure(expected, /^the reconnection carried no Last-Event-ID \(status 200\)$/));
    assert.throws(() => check.checkReconnectedWithLastId([request(), request({ lastEventId: '6', status: undefined })], '7'), failure(expected, /^the reconnection carried Last-Event-ID "6" \(status none\)$/));
  });

  test('checkReconnectDelay: within -25% and +25% + 250 ms of the retry value', () => {
    for (const delay of [750, 1000, 1500]) check.checkReconnectDelay(delay, 1000);
    const expected = /^a reconnection 1000 ms \(-25%, \+25% \+ 250 ms\) after the connection was lost$/;
    assert.throws(() => check.checkReconnectDelay(749, 1000), failure(expected, /^it reconnected after 749 ms$/));
    assert.throws(() => check.checkReconnectDelay(1501, 1000), failure(expected, /after 1501 ms$/));
    assert.throws(() => check.checkReconnectDelay(3000, 2000), failure(/a reconnection 2000 ms/, /after 3000 ms$/), 'the default 3 s means the retry field was ignored');
  });

  test('checkGapEvent: the declared gap event, then the oldest retained message', () => {
    const oldest = published('c');
    check.checkGapEvent(stream({ events: [event('2', { type: 'gap' }), event('c'), event('d')] }), 'gap', oldest, same);
    check.checkGapEvent(stream({ events: [event('{}', { type: 'missed' }), event('"c"')] }), 'missed', oldest, json);
    const expected = /^an event "gap" saying messages were missed, then the oldest retained message "c"$/;
    assert.throws(() => check.checkGapEvent(stream({ events: [event('c'), event('d')] }), 'gap', oldest, same), failure(expected, /^first events: "message: c", "message: d"$/));
    assert.throws(() => check.checkGapEvent(stream({ events: [event('2', { type: 'gap' }), event('d')] }), 'gap', oldest, same), failure(expected, /"gap: 2", "message: d"/));
    assert.throws(() => check.checkGapEvent(stream({ events: [event('2', { type: 'gap' })] }), 'gap', oldest, same), failure(expected, /^first events: "gap: 2"$/));
    assert.throws(() => check.checkGapEvent(stream({ events: [event('2', { type: 'gap' }), event('c')] }), undefined, oldest, same), failure(/^an event "\(none declared\)"/, /"gap: 2"/));
  });

  test('checkNoReplayOfUnknownId: from now, a 4xx refusal, or a gap signal before a replay hold; a silent replay or a lost new message does not', () => {
    const earlier = publishedAll('a', 'b', 'c');
    const latest = published('d');
    check.checkNoReplayOfUnknownId(stream({ events: [event('d')] }), earlier, latest, same, undefined);
    check.checkNoReplayOfUnknownId(stream({ status: 400 }), earlier, latest, same, undefined);
    check.checkNoReplayOfUnknownId(stream({ events: [event('{}', { type: 'gap' }), event('a'), event('b'), event('c'), event('d')] }), earlier, latest, same, 'gap');
    const expected = /^none of the 3 earlier messages again, then the new one/;
    assert.throws(() => check.checkNoReplayOfUnknownId(stream({ events: [event('a'), event('b'), event('c'), event('d')] }), earlier, latest, same, 'gap'), failure(expected, /^status 200; 3 of the 3 earlier messages sent again, without a "gap" event first$/));
    assert.throws(() => check.checkNoReplayOfUnknownId(stream({ events: [event('c'), event('{}', { type: 'gap' }), event('d')] }), earlier, latest, same, 'gap'), failure(expected, /1 of the 3 earlier/));
    assert.throws(() => check.checkNoReplayOfUnknownId(stream({ events: [] }), earlier, latest, same, undefined), failure(expected, /^status 200; the new message never arrived$/));
    assert.throws(() => check.checkNoReplayOfUnknownId(stream({ status: 500 }), earlier, latest, same, undefined), failure(expected, /^status 500; the new message never arrived$/));
  });

  test('checkSampleReceived: raw data lines may turn CR and CRLF into LF; a JSON-encoded one may not', () => {
    check.checkSampleReceived([clientMessage('a\nb'), clientMessage('m')], 'a\r\nb', 'm', same, true);
    assert.throws(() => check.checkSampleReceived([clientMessage('"a\\nb"'), clientMessage('"m"')], 'a\r\nb', 'm', json, false), failure(/as one message, byte for byte, then/, /^3 characters where 4 were published; from character 2/));
  });
});

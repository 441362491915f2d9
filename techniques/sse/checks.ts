/**
 * The Server-Sent Events requirements as pure checks over what the strict
 * stream reader and the real client recorded.
 */
import type { RealClientMessage, RealClientRequest } from './real-client.ts';
import type { PublishedMessage } from '../../core/publisher.ts';
import { expectThat } from '../../core/failure.ts';
import type { IdleThroughTimeout } from '../../core/fault-runs.ts';
import { checkSampleIntact } from '../../core/sample-checks.ts';
import { forbidsCaching, mimeEssence } from '../../core/http-headers.ts';
import { describeSequenceDifference, listFindings, listSome } from '../../core/sequence.ts';
import type { Silence } from '../../core/idle-watch.ts';
import type { SlowClientRun } from './slow-reader.ts';

/** What a stream looked like, as far as these checks care (the strict reader's state). */
export interface StreamView {
  status?: number;
  headers: Record<string, string>;
  startedAtMs: number;
  headersAtMs?: number;
  events: readonly { type: string; data: string; idField?: string; atMs: number }[];
  findings: readonly { rule: string; line: number; detail: string }[];
  retries: readonly { value: number }[];
}

/** An event's data, decoded as the adapter declares (`json`: the data is a JSON string). */
export type Decode = (data: string) => string;

/** What a spec client can rebuild of data written line by line: line breaks come back as LF. */
export function asLinesRebuildIt(data: string): string {
  return data.replace(/\r\n|\r/g, '\n');
}

export function checkStatus200(stream: StreamView): void {
  expectThat(stream.status === 200, 'the event stream answered with status 200', () => `status ${stream.status ?? '(none)'}`);
}

export function checkEventStreamType(stream: StreamView): void {
  const type = stream.headers['content-type'];
  expectThat(mimeEssence(type) === 'text/event-stream', 'Content-Type text/event-stream (parameters such as charset=utf-8 allowed)', () => `Content-Type ${JSON.stringify(type ?? '(absent)')}`);
}

/** The head came within `ms`, with no event yet: the stream is open before there is news. */
export function checkOpenedAtOnce(stream: StreamView, ms: number): void {
  const took = stream.headersAtMs === undefined ? undefined : Math.round(stream.headersAtMs - stream.startedAtMs);
  expectThat(took !== undefined && took <= ms && stream.status === 200, `the stream's head (status 200) within ${ms} ms, before any event was published`, () =>
    took === undefined ? 'no head arrived' : `status ${stream.status} after ${took} ms`,
  );
}

export function checkStreamNotCacheable(stream: StreamView): void {
  const value = stream.headers['cache-control'];
  expectThat(forbidsCaching(value), 'Cache-Control: no-store, no-cache or max-age=0 on the stream', () => `Cache-Control ${JSON.stringify(value ?? '(absent)')}`);
}

function findingsOf(stream: StreamView, rules: readonly string[]): string[] {
  return stream.findings.filter((f) => rules.includes(f.rule)).map((f) => `line ${f.line}: ${f.detail}`);
}

export function checkValidUtf8(stream: StreamView): void {
  const problems = findingsOf(stream, ['invalid-utf8', 'bom-not-at-start']);
  expectThat(problems.length === 0, 'valid UTF-8 throughout, with a byte order mark only as the very first character', () => listFindings(problems, 3));
}

export function checkKnownFields(stream: StreamView): void {
  const problems = findingsOf(stream, ['unknown-field']);
  expectThat(problems.length === 0, 'every line a comment or a "data", "event", "id" or "retry" field (names are case-sensitive)', () => listFindings(problems, 3));
}

/** The id an injection sample (a message whose data holds `id: …` lines) tries to forge; a real id never looks like it. */
export const FORGED_ID = 'forged-by-data-666';

/** Each published message became one dispatched event with its data, in order; the declared gap event is not a message. */
export function checkOneEventEach(stream: StreamView, published: readonly PublishedMessage[], decode: Decode, gapEvent?: string): void {
  const received = stream.events.filter((e) => gapEvent === undefined || e.type !== gapEvent).map((e) => decode(e.data));
  const difference = describeSequenceDifference(
    published.map((m) => m.data),
    received,
  );
  const unterminated = findingsOf(stream, ['unterminated-event']);
  expectThat(difference === '' && unterminated.length === 0, `each of the ${published.length} messages dispatched as an event of its own (ended by a blank line)`, () =>
    [difference, ...unterminated].filter(Boolean).join('; ') || 'no difference',
  );
}

/** The real client rebuilt every message's data, one event each, and no forged event or field appeared. */
export function checkDataIntact(messages: readonly RealClientMessage[], published: readonly PublishedMessage[], decode: Decode, raw: boolean): void {
  const expected = published.map((m) => (raw ? asLinesRebuildIt(m.data) : m.data));
  const received = messages.map((m) => decode(m.data));
  const difference = describeSequenceDifference(expected, received);
  const forged = messages.filter((m) => m.type !== 'message' || m.lastEventId === FORGED_ID);
  expectThat(difference === '' && forged.length === 0, `the real client to receive each message's data intact${raw ? ' (line breaks as LF, as the format rebuilds them)' : ''}, as one "message" event each`, () =>
    [difference, forged.length > 0 ? `forged: ${listFindings(forged.map((m) => `${m.type} id ${m.lastEventId}`), 3)}` : ''].filter(Boolean).join('; '),
  );
}

/**
 * A framing sample reached the real client whole (SSE-DATA-INTACT): one event,
 * then the marker's. Raw data lines are rebuilt with LF, the one change the
 * format defines (§9.2.6: CR, LF and CRLF all end a line).
 */
export function checkSampleReceived(messages: readonly RealClientMessage[], sample: string, marker: string, decode: Decode, raw: boolean): void {
  const allowed = raw ? { change: asLinesRebuildIt, why: 'CR and CRLF may arrive as LF, as the format rebuilds lines' } : undefined;
  checkSampleIntact('the real client', messages.map((m) => decode(m.data)), sample, marker, allowed);
}

export function checkIds(stream: StreamView, gapEvent?: string): void {
  const missing = stream.events.filter((e) => (gapEvent === undefined || e.type !== gapEvent) && e.idField === undefined).map((e) => e.data);
  const nul = findingsOf(stream, ['id-has-nul']);
  expectThat(missing.length === 0 && nul.length === 0, 'an id on every message event, none holding U+0000', () =>
    [missing.length > 0 ? `${missing.length} event(s) without an id: ${listSome(missing, 3)}` : '', nul.length > 0 ? listFindings(nul, 3) : ''].filter(Boolean).join('; '),
  );
}

export function checkRetryField(stream: StreamView, declaredMs: number | undefined): void {
  const bad = findingsOf(stream, ['retry-not-digits']);
  const sent = stream.retries.map((r) => r.value);
  const declaredSent = declaredMs === undefined || sent.includes(declaredMs);
  expectThat(bad.length === 0 && declaredSent, `retry fields of ASCII digits only${declaredMs !== undefined ? `, one of them the declared ${declaredMs} ms` : ''}`, () =>
    [bad.length > 0 ? listFindings(bad, 3) : '', `retry values seen: ${sent.length > 0 ? sent.join(', ') : 'none'}`].filter(Boolean).join('; '),
  );
}

/** Each event arrived before the next message's publish started. */
export function checkPrompt(stream: StreamView, published: readonly PublishedMessage[], decode: Decode): void {
  const late: string[] = [];
  published.forEach((message, i) => {
    const event = stream.events.find((e) => decode(e.data) === message.data);
    const next = published[i + 1];
    const by = next?.startedAtMs ?? Number.POSITIVE_INFINITY;
    if (event === undefined || event.atMs >= by) {
      late.push(`${message.data} (published at +${Math.round(message.startedAtMs)} ms, ${event ? `arrived at +${Math.round(event.atMs)} ms` : 'never arrived'}${next ? `, next published at +${Math.round(by)} ms` : ''})`);
    }
  });
  expectThat(late.length === 0, 'each event to arrive before the next message was published', () => `${late.length} of ${published.length} did not: ${listFindings(late, 2)}`);
}

/** The longest silence on an idle stream stayed within the keep-alive interval plus slack. */
export function checkNeverSilent(silence: Silence, keepAliveMs: number, slackMs: number): void {
  const expected = `no silence longer than the declared ${keepAliveMs} ms keep-alive interval (+${slackMs} ms slack) while idle`;
  // A stream that ended while watched was not kept alive, however short its silences were.
  expectThat(silence.ended === undefined, expected, () => `${silence.ended}, after ${silence.chunks} line(s) while idle`);
  expectThat(silence.longestMs <= keepAliveMs + slackMs, expected, () =>
    `the longest silence was ${Math.round(silence.longestMs)} ms (${silence.chunks} chunk(s) in ${Math.round(silence.windowMs)} ms)`,
  );
}

/** The reconnection request carried the id of the last event received before the cut. */
export function checkReconnectedWithLastId(requests: readonly RealClientRequest[], lastIdBeforeCut: string): void {
  const reconnect = requests[1];
  expectThat(reconnect !== undefined && reconnect.lastEventId === lastIdBeforeCut, `a reconnection carrying Last-Event-ID ${JSON.stringify(lastIdBeforeCut)}`, () =>
    reconnect === undefined ? 'no reconnection' : `the reconnection carried ${reconnect.lastEventId === undefined ? 'no Last-Event-ID' : `Last-Event-ID ${JSON.stringify(reconnect.lastEventId)}`} (status ${reconnect.status ?? 'none'})`,
  );
}

export function checkReceivedInOrder(who: string, received: readonly string[], expected: readonly PublishedMessage[]): void {
  const difference = describeSequenceDifference(
    expected.map((m) => m.data),
    received,
  );
  expectThat(difference === '', `${who} to receive the ${expected.length} message(s), each exactly once, in publish order`, () => `received ${received.length}: ${difference}`);
}

/**
 * ±25% as web-platform-tests allow; lateness gets 250 ms more, because a late
 * timer on a busy machine says nothing about the server, while an early or
 * default (3 s) reconnection says the retry field was not taken.
 */
export function checkReconnectDelay(delayMs: number, retryMs: number): void {
  const low = retryMs * 0.75;
  const high = retryMs * 1.25 + 250;
  expectThat(delayMs >= low && delayMs <= high, `a reconnection ${retryMs} ms (-25%, +25% + 250 ms) after the connection was lost`, () => `it reconnected after ${Math.round(delayMs)} ms`);
}

/** The first event after resuming is the declared gap event; the next is the oldest retained message. */
export function checkGapEvent(stream: StreamView, gapEvent: string | undefined, oldestRetained: PublishedMessage, decode: Decode): void {
  const [first, second] = stream.events;
  expectThat(gapEvent !== undefined && first?.type === gapEvent && second !== undefined && decode(second.data) === oldestRetained.data, `an event "${gapEvent ?? '(none declared)'}" saying messages were missed, then the oldest retained message ${JSON.stringify(oldestRetained.data)}`, () =>
    `first events: ${listSome(stream.events.slice(0, 2).map((e) => `${e.type}: ${e.data.slice(0, 40)}`), 2)}`,
  );
}

/**
 * A last event id the server could not place did not make it send again what
 * the client already had (model M-5). Starting from now holds, and so do a
 * refusal (a 4xx: the client is told) and a declared gap signal before
 * anything replayed (the client is told it cannot resume).
 */
export function checkNoReplayOfUnknownId(stream: StreamView, earlier: readonly PublishedMessage[], latest: PublishedMessage, decode: Decode, gapEvent: string | undefined): void {
  if (stream.status !== undefined && stream.status >= 400 && stream.status < 500) return;
  const data = stream.events.map((e) => (e.type === gapEvent ? undefined : decode(e.data)));
  const firstReplay = data.findIndex((d) => earlier.some((m) => m.data === d));
  const gapAt = gapEvent === undefined ? -1 : stream.events.findIndex((e) => e.type === gapEvent);
  const replayed = earlier.filter((m) => data.includes(m.data));
  const toldFirst = gapAt >= 0 && gapAt < firstReplay;
  const gotLatest = data.includes(latest.data);
  expectThat(stream.status === 200 && gotLatest && (replayed.length === 0 || toldFirst), `none of the ${earlier.length} earlier messages again, then the new one (a refusal with a 4xx holds too, and so does a gap signal before a replay)`, () =>
    [
      `status ${stream.status ?? '(none)'}`,
      replayed.length > 0 ? `${replayed.length} of the ${earlier.length} earlier messages sent again${gapEvent !== undefined ? `, without a "${gapEvent}" event first` : ''}` : '',
      gotLatest ? '' : 'the new message never arrived',
    ].filter(Boolean).join('; '),
  );
}

/** A stream request on a channel closed for good answered 204 No Content, which tells clients to stop. */
export function checkNoContent(stream: StreamView): void {
  expectThat(stream.status === 204, 'a stream request on the closed channel answered 204 No Content', () => `status ${stream.status}`);
}

/** The slow client was dropped by the server before everything published reached it. */
export function checkSlowClientDropped(run: SlowClientRun, boundBytes: number | undefined): void {
  expectThat(run.droppedByServer && run.received.length < run.published.length, `the server to drop a client that reads nothing once more than ${boundBytes} bytes are waiting for it`, () =>
    `${run.how}; it would have delivered ${run.received.length} of ${run.published.length} events (${run.bytes} bytes)`,
  );
}

export function checkStopped(status: number | undefined, readyState: number, describe: string): void {
  expectThat(status === 204 && readyState === 2, 'a stream request answered 204 No Content, and the real client closed for good', () => `status ${status ?? '(none)'}; ${describe}`);
}

export function checkCorsAllowed(headers: Record<string, string>, origin: string): void {
  const allowed = headers['access-control-allow-origin'];
  expectThat(allowed === origin || allowed === '*', `Access-Control-Allow-Origin: ${origin} (or *) on the stream`, () => `Access-Control-Allow-Origin ${JSON.stringify(allowed ?? '(absent)')}`);
}

export function checkPreflightAllowsLastEventId(status: number, headers: Record<string, string>, origin: string): void {
  const allowedOrigin = headers['access-control-allow-origin'];
  const allowedHeaders = (headers['access-control-allow-headers'] ?? '').toLowerCase().split(',').map((h) => h.trim());
  expectThat(status >= 200 && status < 300 && (allowedOrigin === origin || allowedOrigin === '*') && (allowedHeaders.includes('last-event-id') || allowedHeaders.includes('*')), `a 2xx preflight answer allowing origin ${origin} and the header Last-Event-ID`, () =>
    `status ${status}; Access-Control-Allow-Origin ${JSON.stringify(allowedOrigin ?? '(absent)')}; Access-Control-Allow-Headers ${JSON.stringify(headers['access-control-allow-headers'] ?? '(absent)')}`,
  );
}

export { checkDeliveredThroughResets } from '../../core/sequence.ts';

/** Model M-10: the declared keep-alive comments kept the stream open through the intermediary's idle timeout, and it still delivers. */
export function checkKeptOpenThroughIdleTimeout(idle: IdleThroughTimeout): void {
  expectThat(idle.cut === undefined && idle.arrived, `the stream still open after more than the intermediary's ${idle.idleTimeoutMs} ms idle timeout, and the message published then arriving on it`, () =>
    idle.cut !== undefined ? `the intermediary's connection ended: ${idle.cut}; ${idle.connection}` : `the stream stayed open but the message did not arrive; ${idle.connection}`,
  );
}

/**
 * Model M-10: what came through a buffering intermediary is the first
 * messages published, each once, in order; how many were held back is the
 * report's figure, never a failure.
 */
export function checkBufferedInOrder(buffered: BufferedDelivery): void {
  const difference = describeSequenceDifference(buffered.published.slice(0, buffered.received.length), buffered.received);
  expectThat(buffered.received.length > 0 && difference === '', 'the events that came through the buffer to be the first messages published, each once, in publish order', () =>
    buffered.received.length === 0 ? `no event came through after ${buffered.published.length} message(s) were published` : `received ${buffered.received.length}: ${difference}`,
  );
}

/** What the buffering case saw, for the check and the report. */
export interface BufferedDelivery {
  /** The data of the events that arrived, in order. */
  received: string[];
  /** The data published, in order. */
  published: string[];
  /** Messages acknowledged before the first event reached the client (1: none held back). */
  publishedBeforeFirst: number | undefined;
}

/**
 * Every stream on one HTTP/2 connection received the message (RFC 9113
 * §6.5.2's 100 concurrent streams; SSE-H2-MULTIPLEX): a server that refuses
 * streams past a lower limit, or starves some, fails.
 */
export function checkEveryStreamGotIt(receipts: readonly { name: string; received: boolean }[], message: { data: string }): void {
  const missing = receipts.filter((r) => !r.received).map((r) => r.name);
  expectThat(
    missing.length === 0,
    `every one of ${receipts.length} streams on one connection to receive ${JSON.stringify(message.data)}`,
    () => `${missing.length} did not within the deadline: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}`,
  );
}

/** What SSE-H2-STALLED-READER saw: one stream that stopped reading, one that read, on one HTTP/2 connection. */
export interface StalledReaderRun {
  /** The data published once the first stream had stopped reading, in order; the marker last. */
  published: readonly string[];
  /** Data bytes of those messages (their SSE framing not counted). */
  publishedBytes: number;
  /** What the reading stream received after the first stream stopped, decoded, in order. */
  received: readonly string[];
  /** Publish to receipt of the marker on the reading stream; absent when it did not arrive. */
  markerLatencyMs?: number;
  /** Body bytes the stalled stream's HTTP library took after it stopped reading. */
  stalledTookBytes: number;
  /** How the stalled stream ended, read again afterwards, when the server had ended or dropped it. */
  stalledEnded?: string;
}

/**
 * The reading stream on one HTTP/2 connection got every message, the marker
 * within `boundMs`, while the other stream had stopped taking data (RFC 9113
 * §5.2; SSE-H2-STALLED-READER). A stalled stream that took as many bytes as
 * were published was never held back by flow control: then the run proved
 * nothing, and says so. A server that dropped the stalled stream holds (it
 * took fewer bytes than were published, the drop is named in the evidence).
 */
export function checkStalledReaderDidNotDelay(run: StalledReaderRun, boundMs: number): void {
  const took = `the stalled stream took ${run.stalledTookBytes} bytes after it stopped reading${run.stalledEnded !== undefined ? ` (${run.stalledEnded})` : ''}`;
  expectThat(
    run.stalledTookBytes < run.publishedBytes,
    `a setup in which the first stream stops taking data: fewer bytes than the ${run.publishedBytes} published at it`,
    () => `${took}: its flow-control window never ran out, so the run says nothing about the rule`,
  );
  const difference = describeSequenceDifference(run.published, run.received);
  const latency = run.markerLatencyMs === undefined ? 'the last message never arrived' : `the last message arrived ${Math.round(run.markerLatencyMs)} ms after its publish`;
  expectThat(
    difference === '' && run.markerLatencyMs !== undefined && run.markerLatencyMs <= boundMs,
    `the reading stream to receive all ${run.published.length} messages in order, the last within ${boundMs} ms, while the other stream on its connection had stopped reading`,
    () => [difference === '' ? '' : `received ${run.received.length}: ${difference}`, latency, took].filter(Boolean).join('; '),
  );
}

/** What SSE-H2-CANCEL-RELEASED saw: the server's count of open streams as streams opened and were cancelled on one HTTP/2 connection. */
export interface CancelReleaseRun {
  /** Streams opened, then cancelled. */
  opened: number;
  /** The count before they opened. */
  baseline: number;
  /** The count once their heads had come (the last read, within a deadline). */
  countAfterOpen: number;
  /** The last count read after the cancel; absent when the setup failed and it was not read. */
  countAfterCancel?: number;
  /** From the cancel to the first count back at the baseline; absent when it never was. */
  releaseMs?: number;
  /** How long the count was read after the cancel. */
  readForMs: number;
  /** The shared connection closed after the cancel: a release then may be the connection's, not the streams'. */
  connectionClosed: boolean;
}

/**
 * Event streams cancelled on an HTTP/2 connection that stays open are
 * released within `boundMs` (model M-8 after RFC 9113 §6.4;
 * SSE-H2-CANCEL-RELEASED). A count that did not rise by the streams opened
 * proves nothing, nor does a release when the connection closed too: both fail as a setup.
 */
export function checkCancelledStreamsReleased(run: CancelReleaseRun, boundMs: number): void {
  expectThat(
    run.countAfterOpen - run.baseline >= run.opened,
    `a setup in which the server's count of open event streams rises by the ${run.opened} streams opened (from ${run.baseline} to at least ${run.baseline + run.opened})`,
    () => `it counted ${run.countAfterOpen} once their heads had come: the count does not see these streams, so their release cannot be seen either`,
  );
  expectThat(
    !run.connectionClosed,
    `the connection the ${run.opened} cancelled streams shared to stay open, so a release is the streams' own`,
    () => `the connection closed after the streams were cancelled${run.releaseMs !== undefined ? ` (the count was back at ${run.baseline} after ${Math.round(run.releaseMs)} ms)` : ''}`,
  );
  expectThat(
    run.releaseMs !== undefined && run.releaseMs <= boundMs,
    `the ${run.opened} cancelled streams released within ${boundMs} ms: the count of open event streams back at ${run.baseline} (model M-8, RFC 9113 §6.4)`,
    () =>
      run.releaseMs !== undefined
        ? `back at ${run.baseline} only after ${Math.round(run.releaseMs)} ms`
        : `the count was still ${run.countAfterCancel ?? run.countAfterOpen} ${Math.round(run.readForMs)} ms after the streams were cancelled, on a connection still open`,
  );
}

/**
 * Pure checks on an EventSource client (WHATWG HTML §9.2 client side): what
 * it reported (its messages, their types and last event ids), then what it
 * sent the scripted server (its requests, their headers, and when it came back).
 */
import type { ClientMessage as Message } from '../../../clients/contract/reports.ts';
import type { RecordedRequest } from '../../../core/scripted-http.ts';
import { expectThat } from '../../../core/failure.ts';

/** The data of the event that ends every scripted stream's case bytes. */
export const END_MARKER = 'pushspec-end-of-case';


const show = (messages: readonly Message[]): string =>
  messages.length === 0 ? 'no message' : messages.map((m) => `${JSON.stringify(m.data)}${m.event !== undefined && m.event !== 'message' ? ` (event ${JSON.stringify(m.event)})` : ''}`).join(', ');

/** The client saw the end marker, so it read all the case's bytes. */
export function checkReadToMarker(sawMarker: boolean, messages: readonly Message[]): void {
  expectThat(sawMarker, `the client to report every event, then the end marker event "${END_MARKER}"`, () => `it reported ${show(messages)} and no end marker within the deadline`);
}

/** The client dispatched exactly these messages' data, in this order. */
export function checkMessages(messages: readonly Message[], expected: readonly string[]): void {
  const got = messages.map((m) => m.data);
  expectThat(got.length === expected.length && got.every((d, i) => d === expected[i]), `the messages ${expected.map((d) => JSON.stringify(d)).join(', ') || '(none)'}, in this order`, () => show(messages));
}

/** The message with this data had this event type (a message the client did not report fails too). */
export function checkMessageType(messages: readonly Message[], data: string, type: string): void {
  const message = messages.find((m) => m.data === data);
  expectThat(message !== undefined && (message.event ?? 'message') === type, `the message ${JSON.stringify(data)} of the type ${JSON.stringify(type)}`, () =>
    message === undefined ? `no message ${JSON.stringify(data)}: ${show(messages)}` : `its type was ${JSON.stringify(message.event ?? 'message')}`,
  );
}

/** The messages' last event ids were these, in order (the client reports `lastEventId` with each message). */
export function checkLastEventIds(messages: readonly Message[], expected: readonly string[]): void {
  const got = messages.map((m) => m.lastEventId);
  expectThat(got.length === expected.length && got.every((id, i) => id === expected[i]), `messages whose last event ids are ${expected.map((id) => JSON.stringify(id)).join(', ')}`, () =>
    messages.length === 0 ? 'no message' : messages.map((m) => `${JSON.stringify(m.data)} with ${m.lastEventId === undefined ? 'no lastEventId reported' : `the last event id ${JSON.stringify(m.lastEventId)}`}`).join(', '),
  );
}

/** The message with this data did not carry this last event id (the id field that would have set it was to be ignored). */
export function checkLastEventIdNot(messages: readonly Message[], data: string, ignored: string): void {
  const message = messages.find((m) => m.data === data);
  expectThat(message !== undefined && message.lastEventId !== ignored, `the message ${JSON.stringify(data)}, its last event id not ${JSON.stringify(ignored)} (that id field is ignored)`, () =>
    message === undefined ? `no message ${JSON.stringify(data)}: ${show(messages)}` : `its last event id was ${JSON.stringify(message.lastEventId)}`,
  );
}

// What the client sent.

/** The tolerance on a reconnection delay, as web-platform-tests' format-field-retry allows. */
export const DELAY_TOLERANCE = 0.25;

const ms = (n: number): string => `${Math.round(n)} ms`;

const describeRequest = (r: RecordedRequest): string => `${r.method} ${r.url}${Object.keys(r.headers).length === 0 ? '' : ` with ${Object.entries(r.headers).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(', ')}`}`;

/** The request has `name` with exactly `value` (names lower-case). */
export function checkHeader(request: RecordedRequest | undefined, name: string, value: string): void {
  expectThat(request !== undefined && request.headers[name] === value, `a request with ${name}: ${value}`, () => (request === undefined ? 'no request' : `the request had ${request.headers[name] === undefined ? `no ${name}` : `${name}: ${JSON.stringify(request.headers[name])}`}`));
}

/** The request was a GET with `Accept: text/event-stream` among its media types. */
export function checkAcceptsEventStream(request: RecordedRequest | undefined): void {
  const accept = request?.headers.accept;
  const listed = accept !== undefined && accept.split(',').some((part) => part.split(';')[0]!.trim().toLowerCase() === 'text/event-stream');
  expectThat(request !== undefined && listed, 'a request with Accept: text/event-stream', () => (request === undefined ? 'no request' : `the request had ${accept === undefined ? 'no Accept' : `Accept: ${JSON.stringify(accept)}`}`));
}

/** The request carried no `Last-Event-ID`. */
export function checkNoLastEventId(request: RecordedRequest | undefined): void {
  expectThat(request !== undefined && request.headers['last-event-id'] === undefined, 'a request without Last-Event-ID', () => (request === undefined ? 'no request' : `Last-Event-ID: ${JSON.stringify(request.headers['last-event-id'])}`));
}

/** The request carried a `Last-Event-ID` other than `uncommitted` (or none). */
export function checkLastEventIdHeaderNot(request: RecordedRequest | undefined, uncommitted: string): void {
  expectThat(request !== undefined && request.headers['last-event-id'] !== uncommitted, `a reconnection whose Last-Event-ID is not ${JSON.stringify(uncommitted)}, the id of an event never dispatched`, () =>
    request === undefined ? 'no reconnection' : `Last-Event-ID: ${JSON.stringify(request.headers['last-event-id'])}`,
  );
}

/** When the reconnection carries a `Last-Event-ID` at all, it is `expected` (whether one is sent is another requirement's). */
export function checkLastEventIdHeaderIfAny(request: RecordedRequest | undefined, expected: string): void {
  const sent = request?.headers['last-event-id'];
  expectThat(request !== undefined && (sent === undefined || sent === expected), `a reconnection with Last-Event-ID: ${expected} (or none)`, () => (request === undefined ? 'no reconnection' : `Last-Event-ID: ${JSON.stringify(sent)}`));
}

/** The client came back: a request after the one whose answer ended or was cut. */
export function checkReconnected(next: RecordedRequest | undefined, deadlineMs: number): void {
  expectThat(next !== undefined, `a new request within ${ms(deadlineMs)} of losing the stream`, () => `no request within ${ms(deadlineMs)}`);
}

/**
 * The client waited the reconnection time the server set, within the
 * tolerance: `endedAtMs` is when the stream ended, `next` the reconnection.
 */
export function checkReconnectDelay(endedAtMs: number | undefined, next: RecordedRequest | undefined, retryMs: number): void {
  const low = retryMs * (1 - DELAY_TOLERANCE);
  const high = retryMs * (1 + DELAY_TOLERANCE);
  const gap = endedAtMs === undefined || next === undefined ? undefined : next.atMs - endedAtMs;
  expectThat(gap !== undefined && gap >= low && gap <= high, `a reconnection ${ms(retryMs)} after the stream ended (${ms(low)} to ${ms(high)})`, () => (gap === undefined ? 'no reconnection' : `it came ${ms(gap)} after the stream ended`));
}

/** The client did not come back sooner than the reconnection time (less the tolerance): it kept the time `retryMs`. */
export function checkNotSooner(endedAtMs: number | undefined, next: RecordedRequest | undefined, retryMs: number): void {
  const low = retryMs * (1 - DELAY_TOLERANCE);
  const gap = endedAtMs === undefined || next === undefined ? undefined : next.atMs - endedAtMs;
  expectThat(gap !== undefined && gap >= low, `a reconnection no sooner than ${ms(low)} after the stream ended (the reconnection time stays ${ms(retryMs)})`, () => (gap === undefined ? 'no reconnection' : `it came ${ms(gap)} after the stream ended`));
}

/** No request followed the refused answer within the window watched. */
export function checkNoRequestAfter(refused: RecordedRequest | undefined, next: RecordedRequest | undefined, windowMs: number): void {
  expectThat(refused !== undefined && next === undefined, `no request within ${ms(windowMs)} after the answer that fails the connection`, () =>
    refused === undefined ? 'the client never made the request that was to be refused' : `${describeRequest(next!)} ${ms(next!.atMs - refused.atMs)} after it`,
  );
}

/** The client followed the redirect: its next request went to `location`. */
export function checkFollowed(next: RecordedRequest | undefined, location: string): void {
  expectThat(next !== undefined && next.method === 'GET' && next.url === location, `a GET ${location}, the redirect's target`, () => (next === undefined ? 'no request after the redirect' : describeRequest(next)));
}

/** Server-Sent Events phrases: each hands over to the World's SSE actions or to a check. */
import { setTimeout as delay } from 'node:timers/promises';
import { Given, Then, When } from '@cucumber/cucumber';
import * as check from './checks.ts';
import { ConformanceFailure } from '../../core/failure.ts';
import { sendRecorded } from '../../core/http.ts';
import { EVENT_DEADLINE_MS } from './actions.ts';
import type { PushWorld } from '../../steps/support/world.ts';

/** Texts in several scripts, with characters beyond the Basic Multilingual Plane. */
const SCRIPTS = ['Grüße, Ελληνικά, русский', 'עברית · العربية · हिन्दी', '中文 · 日本語 · 한국어', 'beyond the BMP: 😀 𝄞 𠜎 🇫🇷'];
/** Data a server must write line by line: line breaks of every kind, empty lines, and text that looks like fields. */
const MULTILINE = ['two\nlines', 'carriage\rreturn', 'crlf\r\nline', 'empty\n\nline', '\nleading break', 'trailing break\n', 'event: injected\nid: 666\n\ndata: forged', '😀\n𝄞 beyond the BMP'];

/** Makes each text unique to the scenario, so what arrives can be matched to what was published. */
function tagged(world: PushWorld, text: string, i: number): string {
  return `[${world.channel.slice(-6)}-${i}] ${text}`;
}

Given('a client that has opened the event stream', async function (this: PushWorld) {
  await this.sse.open('client');
});

When('a client opens the event stream', async function (this: PushWorld) {
  await this.sse.open('client');
});

When('a client opens the event stream and nothing is published', async function (this: PushWorld) {
  await this.sse.open('client', { headAtOnce: true });
});

Given('a client that accepts compressed answers has opened the event stream', async function (this: PushWorld) {
  await this.sse.open('client', { acceptCompression: true });
});

When('a client from the declared origin opens the event stream', async function (this: PushWorld) {
  await this.sse.open('client', { origin: this.sse.spec.corsOrigin! });
});

Given('a real client that has opened the event stream', async function (this: PushWorld) {
  await this.sse.openReal();
});

Given('a client that has opened the event stream, received a first message, and stopped reading', async function (this: PushWorld) {
  await this.sse.openAndStopReading();
});

When('messages in several scripts, with characters beyond the BMP, are published', async function (this: PushWorld) {
  for (const [i, text] of SCRIPTS.entries()) await this.publishData(tagged(this, text, i));
  await this.sse.stream('client').waitForEvents(SCRIPTS.length, EVENT_DEADLINE_MS);
});

When('{int} messages are published, one of them with an event name', async function (this: PushWorld, count: number) {
  for (let i = 0; i < count; i++) await this.publishData(tagged(this, 'fields', i), i === 1 ? 'named' : undefined);
  await this.sse.stream('client').waitForEvents(count, EVENT_DEADLINE_MS);
});

When('messages whose data holds LF, CR, CRLF, empty lines, field-like lines and characters beyond the BMP are published', async function (this: PushWorld) {
  for (const [i, text] of MULTILINE.entries()) await this.publishData(tagged(this, text, i));
  await this.sse.realReceived(MULTILINE.length).catch(() => undefined); // the check below says what went wrong
});

When('{int} messages are published {int} ms apart', async function (this: PushWorld, count: number, intervalMs: number) {
  await this.sse.publishPaced(count, intervalMs);
  await this.sse.stream('client').waitForEvents(count, EVENT_DEADLINE_MS).catch(() => undefined);
});

When('nothing is published for {int} keep-alive intervals', async function (this: PushWorld, intervals: number) {
  // The silence is the measurement window: there is no event to wait for.
  await delay(intervals * this.sse.spec.keepAliveMs!);
});

When('more data than the declared bound is published', async function (this: PushWorld) {
  await this.sse.publishBeyondBound();
});

Given('{int} message(s) was/were published and received', async function (this: PushWorld, count: number) {
  await this.publishMessages(count);
  await this.sse.realReceived(count);
});

When('its connection is lost', function (this: PushWorld) {
  this.sse.real.cutConnection();
});

When('{int} messages are published while it is disconnected', async function (this: PushWorld, count: number) {
  await this.publishMessages(count);
});

Given('{int} message(s) was/were published and its/their event id(s) read from the stream', async function (this: PushWorld, count: number) {
  await this.sse.publishAndReadIds(count);
});

When("a client opens the event stream with the first message's id in the query", async function (this: PushWorld) {
  await this.sse.open('client', { lastEventIdInQuery: this.sse.idOf(this.published[0]!) });
});

When('more messages than the stream retains are published', async function (this: PushWorld) {
  await this.publishMessages(this.sse.spec.historyLimit! + 1);
});

When('a client opens the event stream with that id as Last-Event-ID', async function (this: PushWorld) {
  await this.sse.open('client', { lastEventId: this.sse.idOf(this.published[0]!) });
});

When('the channel is closed for good', async function (this: PushWorld) {
  await this.sse.closeChannel();
});

Then('the stream opened with status 200', async function (this: PushWorld) {
  check.checkStatus200(await this.sse.headOf('client'));
});

Then("the stream's content type is text\\/event-stream", async function (this: PushWorld) {
  check.checkEventStreamType(await this.sse.headOf('client'));
});

Then('the stream opened within {int} ms, before any event', function (this: PushWorld, ms: number) {
  const stream = this.sse.stream('client');
  if (stream.headersAtMs !== undefined) this.transcript.figure('time to open', stream.headersAtMs - stream.startedAtMs, 'ms');
  check.checkOpenedAtOnce(stream, ms);
});

Then('the stream forbids caching', async function (this: PushWorld) {
  check.checkStreamNotCacheable(await this.sse.headOf('client'));
});

Then('the stream allows that origin', async function (this: PushWorld) {
  check.checkCorsAllowed((await this.sse.headOf('client')).headers, this.sse.spec.corsOrigin!);
});

Then('a preflight from that origin is allowed to send Last-Event-ID', async function (this: PushWorld) {
  const origin = this.sse.spec.corsOrigin!;
  const answer = await sendRecorded(this.httpAgent, this.transcript, {
    actor: 'client',
    method: 'OPTIONS',
    url: this.sse.url(),
    headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'last-event-id' },
    deadlineMs: EVENT_DEADLINE_MS,
  });
  check.checkPreflightAllowsLastEventId(answer.status, answer.headers, origin);
});

Then('the stream is valid UTF-8 with no byte order mark after its start', function (this: PushWorld) {
  check.checkValidUtf8(this.sse.stream('client'));
});

Then('every line of the stream is a comment or a data, event, id or retry field', function (this: PushWorld) {
  check.checkKnownFields(this.sse.stream('client'));
});

Then('each of the {int} messages arrived as an event of its own', async function (this: PushWorld, count: number) {
  const stream = this.sse.stream('client');
  await stream.waitForEvents(count, EVENT_DEADLINE_MS).catch(() => undefined); // the check says what arrived
  check.checkOneEventEach(stream, this.published.slice(-count), this.sse.decode);
});

Then("the real client received each message's data intact, as one event each", function (this: PushWorld) {
  check.checkDataIntact(this.sse.real.messages, this.published, this.sse.decode, this.sse.spec.dataEncoding === 'raw');
});

Then('every message\'s event carried an id without a NUL character', async function (this: PushWorld) {
  const stream = this.sse.stream('client');
  await stream.waitForEvents(this.published.length, EVENT_DEADLINE_MS);
  check.checkIds(stream);
});

Then('every retry field holds ASCII digits only, and the declared reconnection time was sent', async function (this: PushWorld) {
  const stream = this.sse.stream('client');
  await stream.waitForEvents(this.published.length, EVENT_DEADLINE_MS);
  check.checkRetryField(stream, this.sse.spec.retryMs);
});

Then('each event arrived before the next message was published', function (this: PushWorld) {
  const stream = this.sse.stream('client');
  this.sse.recordLatency(stream);
  check.checkPrompt(stream, this.published, this.sse.decode);
});

Then('the stream was never silent for longer than the declared keep-alive interval', function (this: PushWorld) {
  const stream = this.sse.stream('client');
  const keepAlive = this.sse.spec.keepAliveMs!;
  const arrivals = this.sse.arrivalTimes(stream);
  // Slack for timers on a busy machine; a server that sends no keep-alive stays silent for all three intervals.
  const longest = check.checkNeverSilent(arrivals, stream.headersAtMs ?? stream.startedAtMs, this.transcript.now(), keepAlive, Math.max(300, keepAlive / 2));
  this.transcript.figure('longest silence', longest, 'ms');
});

Then("the server dropped the slow client's connection", async function (this: PushWorld) {
  await this.sse.drainSlowReader();
});

Then('a client resuming from the last event the slow client received gets every later message, exactly once', async function (this: PushWorld) {
  await this.sse.resumeAfterSlowReader();
});

Then('it reconnected, sending the id of the last event it received as Last-Event-ID', async function (this: PushWorld) {
  const real = this.sse.real;
  const lastBeforeCut = [...real.messages].reverse().find((m) => m.atMs <= (real.cutAtMs ?? 0));
  await real.waitUntil(() => real.requests.length >= 2, EVENT_DEADLINE_MS + (this.sse.spec.retryMs ?? 3000), 'the real client to reconnect', () => real.describe());
  check.checkReconnectedWithLastId(real.requests, lastBeforeCut?.lastEventId ?? '');
});

Then('the real client received all {int} messages exactly once, in publish order', async function (this: PushWorld, count: number) {
  await this.sse.realReceived(count).catch(() => undefined); // the check says what arrived
  check.checkReceivedInOrder('the real client', this.sse.real.messages.map((m) => this.sse.decode(m.data)), this.published.slice(-count));
});

Then('it received the {int} later messages, exactly once, in publish order', async function (this: PushWorld, count: number) {
  const stream = this.sse.stream('client');
  await stream.waitForEvents(count, EVENT_DEADLINE_MS).catch(() => undefined);
  check.checkReceivedInOrder('the resuming client', stream.events.map((e) => this.sse.decode(e.data)), this.published.slice(-count));
});

Then('it reconnected after the declared reconnection time, within 25%', async function (this: PushWorld) {
  const real = this.sse.real;
  const retry = this.sse.spec.retryMs!;
  await real.waitUntil(() => real.requests.length >= 2, retry * 2 + EVENT_DEADLINE_MS, 'the real client to reconnect', () => real.describe());
  const delayMs = real.requests[1]!.atMs - (real.cutAtMs ?? 0);
  this.transcript.figure('reconnect delay', delayMs, 'ms');
  this.transcript.figure('declared retry', retry, 'ms');
  check.checkReconnectDelay(delayMs, retry);
});

Then('it was told that messages were missed before it received the retained ones', async function (this: PushWorld) {
  const stream = this.sse.stream('client');
  await stream.waitForEvents(2, EVENT_DEADLINE_MS).catch(() => undefined);
  check.checkGapEvent(stream, this.sse.spec.gapEvent, this.published[2]!, this.sse.decode);
});

Then('a new stream request is answered 204 No Content', async function (this: PushWorld) {
  const stream = await this.sse.open('after close');
  if (stream.status !== 204) throw new ConformanceFailure('a stream request on the closed channel answered 204 No Content', `status ${stream.status}`);
});

Then('the real client stopped for good, without reconnecting', async function (this: PushWorld) {
  const real = this.sse.real;
  await real.waitUntil(() => real.readyState === 2, (this.sse.spec.retryMs ?? 3000) * 2 + EVENT_DEADLINE_MS, 'the real client to close for good', () => real.describe()).catch(() => undefined);
  check.checkStopped(real.requests.at(-1)?.status, real.readyState, real.describe());
});

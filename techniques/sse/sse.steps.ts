/** Server-Sent Events phrases: each hands over to the World's SSE actions, then to a check. */
import { defineParameterType, Given, Then, When } from '@cucumber/cucumber';
import type { PushWorld } from '../../steps/support/world.ts';
import * as check from './checks.ts';

/** Texts in several scripts, with characters beyond the Basic Multilingual Plane. */
/** Where a last event id travels: the header a reconnecting client sends, or the declared query parameter. */
defineParameterType({
  name: 'id place',
  regexp: /the Last-Event-ID header|the query/,
  transformer: (text: string): 'header' | 'query' => (text === 'the query' ? 'query' : 'header'),
});

const SCRIPTS = ['Grüße, Ελληνικά, русский', 'עברית · العربية · हिन्दी', '中文 · 日本語 · 한국어', 'beyond the BMP: 😀 𝄞 𠜎 🇫🇷'];
/** Data a server must write line by line: line breaks of every kind, empty lines, and text that looks like fields. */
const MULTILINE = ['two\nlines', 'carriage\rreturn', 'crlf\r\nline', 'empty\n\nline', '\nleading break', 'trailing break\n', `event: injected\nid: ${check.FORGED_ID}\n\ndata: forged`, '😀\n𝄞 beyond the BMP'];

Given('a client that has opened the event stream', async function (this: PushWorld) {
  await this.actions.sse.open('client');
});

When('a client opens the event stream', async function (this: PushWorld) {
  await this.actions.sse.open('client');
});

When('a client opens the event stream and nothing is published', async function (this: PushWorld) {
  await this.actions.sse.open('client', { headAtOnce: true });
});

Given('a client that accepts compressed answers has opened the event stream', async function (this: PushWorld) {
  await this.actions.sse.open('client', { acceptCompression: true });
});

When('a client from the declared origin opens the event stream', async function (this: PushWorld) {
  await this.actions.sse.open('client', { origin: this.actions.sse.spec.corsOrigin! });
});

Given('a real client that has opened the event stream', async function (this: PushWorld) {
  await this.actions.sse.real.open();
});

Given('a client that has opened the event stream, received a first message, and stopped reading', async function (this: PushWorld) {
  await this.actions.sse.openAndStopReading();
});

When('messages in several scripts, with characters beyond the BMP, are published', async function (this: PushWorld) {
  await this.actions.sse.publishTexts('client', SCRIPTS);
});

When('{int} messages are published, one of them with an event name', async function (this: PushWorld, count: number) {
  await this.actions.sse.publishTexts('client', Array.from({ length: count }, () => 'fields'), 1);
});

When('messages whose data holds LF, CR, CRLF, empty lines, field-like lines and characters beyond the BMP are published', async function (this: PushWorld) {
  await this.actions.sse.publishTextsToReal(MULTILINE);
});

When('{int} messages are published {int} ms apart', async function (this: PushWorld, count: number, intervalMs: number) {
  await this.actions.sse.publishPaced('client', count, intervalMs);
});

When('nothing is published while the stream is watched for at most {int} keep-alive intervals', async function (this: PushWorld, intervals: number) {
  await this.actions.sse.watchIdle('client', intervals);
});

When('more data than the declared bound is published', async function (this: PushWorld) {
  await this.actions.sse.publishBeyondBound();
});

Given('{int} message(s) was/were published and received', async function (this: PushWorld, count: number) {
  await this.actions.sse.real.publishAndReceive(count);
});

When('its connection is lost', function (this: PushWorld) {
  this.actions.sse.real.cutConnection();
});

When('{int} messages are published while it is disconnected', async function (this: PushWorld, count: number) {
  await this.publishMessages(count);
});

Given('{int} message(s) was/were published and its/their event id(s) read from the stream', async function (this: PushWorld, count: number) {
  await this.actions.sse.publishAndReadIds(count);
});

When("a client opens the event stream with the first message's id in the query", async function (this: PushWorld) {
  await this.actions.sse.open('client', { lastEventIdInQuery: this.actions.sse.idOf(0) });
});

When('a client opens the event stream with {string} as its last event id, in {id place}', async function (this: PushWorld, id: string, place: 'header' | 'query') {
  await this.actions.sse.open('client', place === 'header' ? { lastEventId: id } : { lastEventIdInQuery: id });
});

Then('it received none of the {int} earlier messages again, and then the new one', async function (this: PushWorld, count: number) {
  const latest = this.published.at(-1)!;
  const stream = await this.actions.sse.eventsUntil('client', latest);
  check.checkNoReplayOfUnknownId(stream, this.published.slice(-1 - count, -1), latest, this.actions.sse.decode, this.actions.sse.spec.gapEvent);
});

When('more messages than the stream retains are published', async function (this: PushWorld) {
  await this.publishMessages(this.actions.sse.spec.historyLimit! + 1);
});

When('a client opens the event stream with that id as Last-Event-ID', async function (this: PushWorld) {
  await this.actions.sse.open('client', { lastEventId: this.actions.sse.idOf(0) });
});

When('the channel is closed for good', async function (this: PushWorld) {
  await this.actions.sse.closeChannel();
});

Then('the stream opened with status 200', async function (this: PushWorld) {
  check.checkStatus200(await this.actions.sse.head('client'));
});

Then("the stream's content type is text\\/event-stream", async function (this: PushWorld) {
  check.checkEventStreamType(await this.actions.sse.head('client'));
});

Then('the stream opened within {int} ms, before any event', function (this: PushWorld, ms: number) {
  check.checkOpenedAtOnce(this.actions.sse.timeToOpen('client'), ms);
});

Then('the stream forbids caching', async function (this: PushWorld) {
  check.checkStreamNotCacheable(await this.actions.sse.head('client'));
});

Then('the stream allows that origin', async function (this: PushWorld) {
  check.checkCorsAllowed((await this.actions.sse.head('client')).headers, this.actions.sse.spec.corsOrigin!);
});

Then('a preflight from that origin is allowed to send Last-Event-ID', async function (this: PushWorld) {
  const origin = this.actions.sse.spec.corsOrigin!;
  const answer = await this.actions.sse.preflight(origin);
  check.checkPreflightAllowsLastEventId(answer.status, answer.headers, origin);
});

Then('the stream is valid UTF-8 with no byte order mark after its start', function (this: PushWorld) {
  check.checkValidUtf8(this.actions.sse.view('client'));
});

Then('every line of the stream is a comment or a data, event, id or retry field', function (this: PushWorld) {
  check.checkKnownFields(this.actions.sse.view('client'));
});

Then('each of the {int} messages arrived as an event of its own', async function (this: PushWorld, count: number) {
  const stream = await this.actions.sse.events('client', count);
  check.checkOneEventEach(stream, this.published.slice(-count), this.actions.sse.decode, this.actions.sse.spec.gapEvent);
});

Then("the real client received each message's data intact, as one event each", async function (this: PushWorld) {
  const { decode } = this.actions.sse;
  check.checkDataIntact((await this.actions.sse.real.view()).messages, this.published, decode, this.actions.sse.lineBreaksMayChange);
});

Then("the real client received that message's data byte for byte, then the ordinary one", async function (this: PushWorld) {
  const [sample, marker] = this.published.slice(-2);
  if (sample === undefined || marker === undefined) throw new Error('the scenario published no sample and marker');
  const { decode } = this.actions.sse;
  const view = await this.actions.sse.real.receivedUntil((m) => decode(m.data) === marker.data);
  check.checkSampleReceived(view.messages, sample.data, marker.data, decode, this.actions.sse.lineBreaksMayChange);
});

Then("every message's event carried an id without a NUL character", async function (this: PushWorld) {
  check.checkIds(await this.actions.sse.events('client', this.published.length, { required: true }), this.actions.sse.spec.gapEvent);
});

Then('every retry field holds ASCII digits only, and the declared reconnection time was sent', async function (this: PushWorld) {
  const stream = await this.actions.sse.events('client', this.published.length, { required: true });
  check.checkRetryField(stream, this.actions.sse.spec.retryMs);
});

Then('each event arrived before the next message was published', function (this: PushWorld) {
  check.checkPrompt(this.actions.sse.measuredLatency('client'), this.published, this.actions.sse.decode);
});

Then('the stream was never silent for longer than the declared keep-alive interval', function (this: PushWorld) {
  // The slack forgives late timers on a busy machine; a server that sends no keep-alive stays silent far past it.
  const { silence, keepAliveMs, slackMs } = this.actions.sse.longestSilence('client');
  check.checkNeverSilent(silence, keepAliveMs, slackMs);
});

Then("the server dropped the slow client's connection", async function (this: PushWorld) {
  check.checkSlowClientDropped(await this.actions.sse.drainSlowClient(), this.actions.sse.spec.slowClientLimitBytes);
});

Then('a client resuming from the last event the slow client received gets every later message, exactly once', async function (this: PushWorld) {
  const { together, published } = await this.actions.sse.resumeAfterSlowClient();
  check.checkReceivedInOrder('the slow client and the client resuming after it', together, published);
});

Then('it reconnected, sending the id of the last event it received as Last-Event-ID', async function (this: PushWorld) {
  const lastId = this.actions.sse.real.lastIdBeforeCut();
  check.checkReconnectedWithLastId((await this.actions.sse.real.awaitReconnection()).requests, lastId);
});

Then('the real client received all {int} messages exactly once, in publish order', async function (this: PushWorld, count: number) {
  const real = await this.actions.sse.real.view(count);
  check.checkReceivedInOrder('the real client', real.messages.map((m) => this.actions.sse.decode(m.data)), this.published.slice(-count));
});

Then('it received the {int} later messages, exactly once, in publish order', async function (this: PushWorld, count: number) {
  const stream = await this.actions.sse.events('client', count);
  check.checkReceivedInOrder('the resuming client', stream.events.map((e) => this.actions.sse.decode(e.data)), this.published.slice(-count));
});

Then('it reconnected after the declared reconnection time, within 25%', async function (this: PushWorld) {
  check.checkReconnectDelay(await this.actions.sse.real.measureReconnectDelay(), this.actions.sse.spec.retryMs!);
});

Then('it was told that messages were missed before it received the retained ones', async function (this: PushWorld) {
  const stream = await this.actions.sse.events('client', 2);
  check.checkGapEvent(stream, this.actions.sse.spec.gapEvent, this.published[2]!, this.actions.sse.decode);
});

Then('a new stream request is answered 204 No Content', async function (this: PushWorld) {
  await this.actions.sse.open('after close');
  check.checkNoContent(this.actions.sse.view('after close'));
});

Then('the real client stopped for good, without reconnecting', async function (this: PushWorld) {
  const real = await this.actions.sse.real.awaitClosed();
  check.checkStopped(real.requests.at(-1)?.status, real.readyState, real.description);
});

Given('{int} event streams opened on one HTTP\\/2 connection', async function (this: PushWorld, count: number) {
  await this.actions.sse.http2.openOnOneConnection(count);
});

When('a message is published to all of them', async function (this: PushWorld) {
  await this.actions.sse.http2.publishToAll();
});

Then('every one of those streams received it', function (this: PushWorld) {
  const { receipts, message } = this.actions.sse.http2.lastRun();
  check.checkEveryStreamGotIt(receipts, message);
});

Given('two event streams opened on one HTTP\\/2 connection, the first of which stops reading', async function (this: PushWorld) {
  await this.actions.sse.h2Stalled.openOneStalled();
});

When("more data than one stream's flow-control window is published, then one more message", async function (this: PushWorld) {
  await this.actions.sse.h2Stalled.publishPastWindow();
});

Then('the second stream received every message, the last one promptly, while the first had stopped taking data', function (this: PushWorld) {
  const { h2Stalled } = this.actions.sse;
  check.checkStalledReaderDidNotDelay(h2Stalled.lastRun(), h2Stalled.promptMs);
});

Given('the number of event streams the server holds', async function (this: PushWorld) {
  await this.actions.sse.h2Cancel.rememberCount();
});

When('{int} event streams opened on one HTTP\\/2 connection are cancelled at once, the connection staying open', async function (this: PushWorld, count: number) {
  await this.actions.sse.h2Cancel.openAndCancel(count);
});

Then('the server released those streams within one keep-alive interval', function (this: PushWorld) {
  const { h2Cancel } = this.actions.sse;
  check.checkCancelledStreamsReleased(h2Cancel.lastRun(), h2Cancel.boundMs);
});

/** Step phrases of the EventSource client checks: thin, they talk only to the ClientWorld. */
import { Given, Then, When } from '@cucumber/cucumber';
import type { ClientWorld } from '../../../clients/support/world.ts';
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
} from './checks.ts';

/**
 * `"one", "two"` or `none`: JSON strings. Gherkin turns `\n` in an Examples
 * table into a line feed before the step sees it; it goes back to an escape.
 */
const listOf = (list: string): string[] => (list === 'none' ? [] : (JSON.parse(`[${list.replaceAll('\n', '\\n')}]`) as string[]));

// What the scripted server answers, request by request: each Given answers the next request.

Given('the server\'s event stream sends {string} {}', function (this: ClientWorld, text: string, split: string) {
  this.sse.streamSends(text, split);
});

Given('the server\'s event stream, served as {string}, sends {string} {}', function (this: ClientWorld, contentType: string, text: string, split: string) {
  this.sse.streamSendsAs(contentType, text, split);
});

Given('the server\'s event stream sends {string}, then, once the client reported {string}, {string}', function (this: ClientWorld, first: string, afterMessage: string, rest: string) {
  this.sse.streamSendsInTwo(first, afterMessage, rest);
});

Given('the server\'s event stream sends {string}, then the stream ends', function (this: ClientWorld, text: string) {
  this.sse.streamSendsThen(text, 'end');
});

Given('the server\'s event stream sends {string}, then the connection is cut', function (this: ClientWorld, text: string) {
  this.sse.streamSendsThen(text, 'cut');
});

Given('the next answer has the status {int} and the body {string}', function (this: ClientWorld, status: number, text: string) {
  this.sse.answersStatus(status, text);
});

Given('the next answer has the status {int} and no body', function (this: ClientWorld, status: number) {
  this.sse.answersStatus(status);
});

// An empty content type stands for none at all: the answer has no Content-Type header.
Given('the next answer has the content type {string} and the body {string}', function (this: ClientWorld, contentType: string, text: string) {
  this.sse.answersContentType(contentType === '' ? null : contentType, text);
});

Given('the server redirects the first request with status {int} to {string}', function (this: ClientWorld, status: number, location: string) {
  this.sse.redirects(status, location);
});

When('the client opens the event stream', async function (this: ClientWorld) {
  await this.sse.connect();
});

// What the client reported.

// A regular expression, not {}: a list read from an Examples table may hold line feeds.
Then(/^the client received the messages ([\s\S]+)$/, async function (this: ClientWorld, list: string) {
  const { messages, sawMarker } = await this.sse.messagesBeforeMarker();
  checkReadToMarker(sawMarker, messages);
  checkMessages(messages, listOf(list));
});

Then(/^in all, the client received the messages ([\s\S]+)$/, function (this: ClientWorld, list: string) {
  checkMessages(this.sse.messagesSoFar(), listOf(list));
});

Then('the message {string} had the type {string}', async function (this: ClientWorld, data: string, type: string) {
  checkMessageType((await this.sse.messagesBeforeMarker()).messages, data, type);
});

Then('the last event ids of those messages were {}', async function (this: ClientWorld, list: string) {
  checkLastEventIds((await this.sse.messagesBeforeMarker()).messages, listOf(list));
});

Then('the message {string} did not have the last event id {string}', async function (this: ClientWorld, data: string, id: string) {
  // The id is written with the byte escapes of the stream's text (\0 for U+0000 NULL).
  checkLastEventIdNot((await this.sse.messagesBeforeMarker()).messages, data, this.sse.textOf(id));
});

// What the client sent.

Then('the first request carried Accept: text\\/event-stream', async function (this: ClientWorld) {
  checkAcceptsEventStream(await this.sse.firstRequest());
});

Then('the first request carried Cache-Control: no-cache', async function (this: ClientWorld) {
  checkHeader(await this.sse.firstRequest(), 'cache-control', 'no-cache');
});

Then('the first request carried no Last-Event-ID', async function (this: ClientWorld) {
  checkNoLastEventId(await this.sse.firstRequest());
});

Then('the client followed the redirect to {string}', async function (this: ClientWorld, location: string) {
  checkFollowed(await this.sse.request(1), location);
});

Then('the client reconnected', async function (this: ClientWorld) {
  checkReconnected(await this.sse.request(1), this.sse.reconnectDeadlineMs);
});

Then('the client reconnected {int} ms after the stream ended, give or take 25 %', async function (this: ClientWorld, retryMs: number) {
  const next = await this.sse.request(1);
  checkReconnectDelay(this.sse.answerEndedAt(0), next, retryMs);
});

Then('the client reconnected no sooner than {int} ms after the stream ended, less 25 %', async function (this: ClientWorld, retryMs: number) {
  const next = await this.sse.request(1);
  checkNotSooner(this.sse.answerEndedAt(0), next, retryMs);
});

Then('the reconnection carried Last-Event-ID {string}', async function (this: ClientWorld, id: string) {
  checkHeader(await this.sse.request(1), 'last-event-id', id);
});

Then('the reconnection did not carry Last-Event-ID {string}', async function (this: ClientWorld, id: string) {
  checkLastEventIdHeaderNot(await this.sse.request(1), id);
});

Then('the reconnection carried Last-Event-ID {string}, if it carried one', async function (this: ClientWorld, id: string) {
  checkLastEventIdHeaderIfAny(await this.sse.request(1), id);
});

Then('the client made no new request within {int} ms of the refused answer', async function (this: ClientWorld, windowMs: number) {
  const refused = await this.sse.request(1);
  const next = refused === undefined ? undefined : await this.sse.watchForRequestAfter(1, windowMs);
  checkNoRequestAfter(refused, next, windowMs);
});

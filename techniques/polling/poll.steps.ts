/**
 * Phrases Ajax polling and long-polling share. Each goes to the polling
 * clients of the scenario's technique (`this.polls`), so one phrase reads the
 * same in both features and is checked by the same code.
 */
import { Given, Then, When } from '@cucumber/cucumber';
import * as check from './poll-checks.ts';
import { checkSampleIntact } from '../../core/sample-checks.ts';
import type { PushWorld } from '../../steps/support/world.ts';

Given('a client that has caught up with the channel', async function (this: PushWorld) {
  await this.polls.join('client');
});

Given('clients {string} and {string} that have caught up with the channel', async function (this: PushWorld, a: string, b: string) {
  await this.polls.join(a);
  await this.polls.join(b);
});

When('{client} polls', async function (this: PushWorld, client: string) {
  await this.polls.poll(client);
});

When('{client} catches up', async function (this: PushWorld, client: string) {
  await this.polls.catchUp(client);
});

When('{client} polls {int} times', async function (this: PushWorld, client: string, times: number) {
  await this.polls.pollTimes(client, times);
});

When('a new client polls without a cursor', async function (this: PushWorld) {
  await this.polls.pollWithoutCursor('new client');
});

When('{client} polls twice with the same cursor', async function (this: PushWorld, client: string) {
  await this.polls.pollTwiceWithSameCursor(client);
});

When('another client polls with a malformed cursor', async function (this: PushWorld) {
  await this.polls.pollWithMalformedCursor('another client');
});

When('{int} messages are published one after another while {client} keeps polling', async function (this: PushWorld, count: number, client: string) {
  await this.polls.publishWhilePolling(client, count);
});

Then('the answer is the declared empty answer', function (this: PushWorld) {
  check.checkDeclaredEmpty(this.polls.answer, this.polls.emptyStatus);
});

Then('the cursor to send next is the one that was sent', function (this: PushWorld) {
  check.checkCursorUnchanged(this.polls.answer);
});

Then('{client} has received all {int} messages exactly once, in publish order', function (this: PushWorld, client: string, count: number) {
  const owed = this.polls.owedTo(client);
  if (owed.length !== count) throw new Error(`the scenario published ${owed.length} messages to ${client}, not ${count}`);
  check.checkExactlyOnceInOrder(client, this.polls.client(client).received, owed);
});

Then('{client} has received every message published since it caught up, exactly once, in publish order', function (this: PushWorld, client: string) {
  check.checkExactlyOnceInOrder(client, this.polls.client(client).received, this.polls.owedTo(client));
});

Then('the new client has received exactly the messages its declared starting point promises, in publish order', function (this: PushWorld) {
  const { before, after } = this.polls.splitAtFirstPoll('new client');
  check.checkStartPolicy('the new client', this.polls.start, this.polls.client('new client').received, before, after);
});

Then('that answer holds all {int} messages, in publish order', function (this: PushWorld, count: number) {
  check.checkWholeBatch(this.polls.answer, this.published.slice(-count));
});

Then('both answers hold the same messages, starting with the first one published', function (this: PushWorld) {
  const replayed = this.polls.replayed;
  const first = this.polls.owedTo('client')[0];
  if (replayed === undefined || first === undefined) throw new Error('the scenario did not poll twice after publishing');
  check.checkSameAnswer(replayed[0], replayed[1], first);
});

Then('that answer is a client error, given within {int} ms', function (this: PushWorld, ms: number) {
  check.checkClientError(this.polls.answer, ms);
});

Then('every answer {client} received forbids caching', function (this: PushWorld, client: string) {
  check.checkNotCacheable(this.polls.client(client).answers);
});

Then("{client}'s polls all travelled over one connection", function (this: PushWorld, client: string) {
  const { connections, polls } = this.polls.connectionsUsed(client);
  check.checkOneConnection(client, connections, polls);
});

Then("{client} has received that message's data byte for byte, then the ordinary one", function (this: PushWorld, client: string) {
  const [sample, marker] = this.published.slice(-2);
  if (sample === undefined || marker === undefined) throw new Error('the scenario published no sample and marker');
  checkSampleIntact(client === 'client' ? 'the client' : client, this.polls.client(client).received.map((m) => m.data), sample.data, marker.data);
});

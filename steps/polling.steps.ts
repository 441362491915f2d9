/** Ajax polling phrases: each one hands over to the World's polling actions or to a check. */
import { Given, Then, When } from '@cucumber/cucumber';
import * as check from '../checks/polling.ts';
import type { PollAnswer } from '../clients/polling-client.ts';
import type { PushWorld } from './world.ts';

function lastAnswer(world: PushWorld): PollAnswer {
  const answer = world.polling.lastAnswer;
  if (answer === undefined) throw new Error('no poll was made before this step');
  return answer;
}

Given('a client that has caught up with the channel', async function (this: PushWorld) {
  await this.polling.join('client');
});

Given('clients {string} and {string} that have caught up with the channel', async function (this: PushWorld, a: string, b: string) {
  await this.polling.join(a);
  await this.polling.join(b);
});

When('{client} polls', async function (this: PushWorld, client: string) {
  await this.polling.poll(client);
});

When('{client} catches up', async function (this: PushWorld, client: string) {
  await this.polling.catchUp(client);
});

When('{client} polls {int} times', async function (this: PushWorld, client: string, times: number) {
  await this.polling.pollTimes(client, times);
});

When('a new client polls without a cursor', async function (this: PushWorld) {
  await this.polling.pollWithoutCursor('new client');
});

When('{client} polls twice with the same cursor', async function (this: PushWorld, client: string) {
  await this.polling.pollTwiceWithSameCursor(client);
});

When('another client polls with a malformed cursor', async function (this: PushWorld) {
  await this.polling.pollWithMalformedCursor('another client');
});

When('{int} messages are published one after another while {client} keeps polling', async function (this: PushWorld, count: number, client: string) {
  await this.polling.publishWhilePolling(client, count);
});

When(
  '{client} polls every {int} ms while {int} messages are published at scattered moments',
  async function (this: PushWorld, client: string, intervalMs: number, count: number) {
    await this.polling.pollEveryWhilePublishing(client, intervalMs, count);
  },
);

Then('the answer came within {int} ms', function (this: PushWorld, ms: number) {
  const answer = lastAnswer(this);
  this.transcript.figure('answer time', answer.endedAtMs - answer.startedAtMs, 'ms');
  check.checkAnsweredWithin(answer, ms);
});

Then('the answer is the declared empty answer', function (this: PushWorld) {
  check.checkDeclaredEmpty(lastAnswer(this), this.polling.spec);
});

Then('the cursor to send next is the one that was sent', function (this: PushWorld) {
  check.checkCursorUnchanged(lastAnswer(this));
});

Then('{client} has received all {int} messages exactly once, in publish order', function (this: PushWorld, client: string, count: number) {
  const owed = this.polling.owedTo(client);
  if (owed.length !== count) throw new Error(`the scenario published ${owed.length} messages to ${client}, not ${count}`);
  check.checkExactlyOnceInOrder(client, this.polling.client(client).received, owed);
});

Then('{client} has received every message published since it caught up, exactly once, in publish order', function (this: PushWorld, client: string) {
  check.checkExactlyOnceInOrder(client, this.polling.client(client).received, this.polling.owedTo(client));
});

Then('the new client has received exactly the messages its declared starting point promises, in publish order', function (this: PushWorld) {
  const { before, after } = this.polling.splitAtFirstPoll('new client');
  check.checkStartPolicy('the new client', this.polling.spec, this.polling.client('new client').received, before, after);
});

Then('that answer holds all {int} messages, in publish order', function (this: PushWorld, count: number) {
  const expected = this.published.slice(-count);
  check.checkWholeBatch(lastAnswer(this), expected);
});

Then('both answers hold the same messages, starting with the first one published', function (this: PushWorld) {
  const replayed = this.polling.replayed;
  const first = this.polling.owedTo('client')[0];
  if (replayed === undefined || first === undefined) throw new Error('the scenario did not poll twice after publishing');
  check.checkSameAnswer(replayed[0], replayed[1], first);
});

Then('that answer is a client error, given within {int} ms', function (this: PushWorld, ms: number) {
  check.checkClientError(lastAnswer(this), ms);
});

Then('{client} was told that messages were missed', function (this: PushWorld, client: string) {
  const answers = this.polling.client(client).answers;
  const answer = answers.at(-1);
  if (answer === undefined) throw new Error(`${client} never polled`);
  check.checkGapSignalled(answer, this.polling.spec, this.polling.owedTo(client).length - (this.polling.spec.historyLimit ?? 0));
});

Then('every answer {client} received forbids caching', function (this: PushWorld, client: string) {
  check.checkNotCacheable(this.polling.client(client).answers);
});

Then('{client}\'s polls all travelled over one connection', function (this: PushWorld, client: string) {
  const polling = this.polling.client(client);
  this.transcript.figure('connections', polling.connections, '');
  check.checkOneConnection(client, polling.connections, polling.answers.length);
});

Then('each message reached {client} in the first poll that started after it was published', function (this: PushWorld, client: string) {
  const run = this.polling.intervalRun;
  if (run === undefined) throw new Error(`${client} made no interval run`);
  this.polling.recordDelayFigures(run);
  check.checkSeenByNextPoll(run.answers, run.published);
});

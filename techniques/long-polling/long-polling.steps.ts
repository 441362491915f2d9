/** Phrases only long-polling uses: holds, what ends them, many held polls, clients walking away. */
import { Given, Then, When } from '@cucumber/cucumber';
import type { PushWorld } from '../../steps/support/world.ts';
import * as check from './checks.ts';

Given('{int} clients that have caught up with the channel', async function (this: PushWorld, count: number) {
  await this.actions.longPolling.joinAll(Array.from({ length: count }, (_, i) => `client ${i + 1}`));
});

When('{client} polls and nothing is published', async function (this: PushWorld, client: string) {
  await this.actions.longPolling.pollAndTimeHold(client);
});

When('{client} polls and a message is published while the poll is held', async function (this: PushWorld, client: string) {
  await this.actions.longPolling.holdAndPublish([client]);
});

When("a message whose data is {sample} is published while {client}'s poll is held, then an ordinary one", async function (this: PushWorld, data: string, client: string) {
  await this.actions.longPolling.publishSampleWhileHeld(client, data);
});

When('all of them poll and a message is published while every poll is held', async function (this: PushWorld) {
  const longPolling = this.actions.longPolling;
  await longPolling.holdAndPublish(longPolling.joinedNames());
});

When('{client} walks away from a held poll', async function (this: PushWorld, client: string) {
  await this.actions.longPolling.walkAway([client]);
});

When('{int} clients walk away from their held polls at once', async function (this: PushWorld, count: number) {
  await this.actions.longPolling.walkAway(Array.from({ length: count }, (_, i) => `leaving client ${i + 1}`));
});

When('{client} polls twice at once with the same cursor and a message is published while both are held', async function (this: PushWorld, client: string) {
  await this.actions.longPolling.pollTwiceAtOnce(client);
});

When('{client} asks to be held longer than the declared maximum', async function (this: PushWorld, client: string) {
  await this.actions.longPolling.askLongerThanMaximum(client);
});

Given('the number of polls the server holds', async function (this: PushWorld) {
  await this.actions.longPolling.rememberHeldCount();
});

Then('the poll was held for at least half of the declared hold time', function (this: PushWorld) {
  const { answer, holdMs } = this.actions.longPolling;
  check.checkHeld(answer, Math.round(holdMs / 2), holdMs);
});

Then('that poll was answered with the message before its hold time ran out', function (this: PushWorld) {
  const { answers, message } = this.actions.longPolling.measuredHeldRun('max');
  check.checkEndedByMessage(answers[0]!, message, this.actions.longPolling.holdMs);
});

Then('the server itself ended the hold within the declared hold time', function (this: PushWorld) {
  const { answer, holdMs, emptyStatus } = this.actions.longPolling;
  check.checkEndedByTimeout(answer, emptyStatus, holdMs, check.holdSlackMs(holdMs));
});

Then('the expired hold was answered as a success, not as 408 Request Timeout', function (this: PushWorld) {
  check.checkTimeoutIsSuccess(this.actions.longPolling.answer);
});

Then('every one of those polls was answered with the message', function (this: PushWorld) {
  const { answers, message } = this.actions.longPolling.measuredHeldRun('spread');
  check.checkEveryHeldPollGotIt(answers, message);
});

Then('the number of held polls returns to what it was', async function (this: PushWorld) {
  await this.actions.longPolling.awaitReleased();
});

Then('both polls are answered as the server declares for concurrent polls, neither starved', function (this: PushWorld) {
  const longPolling = this.actions.longPolling;
  const { answers, message } = longPolling.measuredHeldRun('none');
  check.checkConcurrentPolicy(longPolling.spec.concurrentPolls, answers[0]!, answers[1]!, message, longPolling.emptyStatus);
});

Then('the server ended the hold by its declared maximum', function (this: PushWorld) {
  const { answer, spec, emptyStatus } = this.actions.longPolling;
  check.checkEndedByTimeout(answer, emptyStatus, spec.maxHoldMs, check.holdSlackMs(spec.maxHoldMs));
});

Then('the declared maximum hold is at most 30 s', function (this: PushWorld) {
  check.checkMaximumIsSafe(this.actions.longPolling.spec.maxHoldMs);
});

Given('{int} clients on one HTTP\\/2 connection that have caught up with the channel', async function (this: PushWorld, count: number) {
  const names = Array.from({ length: count }, (_, i) => `client ${i + 1}`);
  this.actions.longPolling.shareConnection(names);
  await this.actions.longPolling.joinAll(names);
});

When('{int} clients on one HTTP\\/2 connection walk away from their held polls at once', async function (this: PushWorld, count: number) {
  const names = Array.from({ length: count }, (_, i) => `leaving client ${i + 1}`);
  this.actions.longPolling.shareConnection(names);
  await this.actions.longPolling.walkAway(names);
});

Then('the server released those polls well before their holds would have ended', async function (this: PushWorld) {
  const { releasedMs, holdLeftMs } = await this.actions.longPolling.timedRelease();
  check.checkReleasedAtOnce(releasedMs, holdLeftMs);
});

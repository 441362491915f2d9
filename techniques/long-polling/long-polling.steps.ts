/** Phrases only long-polling uses: holds, what ends them, many held polls, clients walking away. */
import { Given, Then, When } from '@cucumber/cucumber';
import * as check from './checks.ts';
import { ConformanceFailure } from '../../core/failure.ts';
import { holdSlackMs } from './actions.ts';
import { lastAnswer } from '../polling/poll.steps.ts';
import type { PushWorld } from '../../steps/support/world.ts';

function heldRun(world: PushWorld) {
  const run = world.longPolling.heldRun;
  if (run === undefined || run.published[0] === undefined) throw new Error('no poll was held while a message was published');
  return { answers: run.answers, message: run.published[0] };
}

Given('{int} clients that have caught up with the channel', async function (this: PushWorld, count: number) {
  await this.longPolling.joinAll(Array.from({ length: count }, (_, i) => `client ${i + 1}`));
});

When('{client} polls and nothing is published', async function (this: PushWorld, client: string) {
  const answer = await this.longPolling.poll(client);
  this.transcript.figure('held', answer.endedAtMs - answer.startedAtMs, 'ms');
});

When('{client} polls and a message is published while the poll is held', async function (this: PushWorld, client: string) {
  await this.longPolling.holdAndPublish([client]);
});

When('all of them poll and a message is published while every poll is held', async function (this: PushWorld) {
  await this.longPolling.holdAndPublish(this.longPolling.joinedNames());
});

When('{client} walks away from a held poll', async function (this: PushWorld, client: string) {
  await this.longPolling.walkAway([client]);
});

When('{int} clients walk away from their held polls at once', async function (this: PushWorld, count: number) {
  await this.longPolling.walkAway(Array.from({ length: count }, (_, i) => `leaving client ${i + 1}`));
});

When('{client} polls twice at once with the same cursor and a message is published while both are held', async function (this: PushWorld, client: string) {
  await this.longPolling.pollTwiceAtOnce(client);
});

When('{client} asks to be held longer than the declared maximum', async function (this: PushWorld, client: string) {
  const answer = await this.longPolling.askLongerThanMaximum(client);
  this.transcript.figure('held', answer.endedAtMs - answer.startedAtMs, 'ms');
});

Given('the number of polls the server holds', async function (this: PushWorld) {
  await this.longPolling.rememberHeldCount();
});

Then('the poll was held for at least half of the declared hold time', function (this: PushWorld) {
  const hold = this.longPolling.holdMs;
  check.checkHeld(lastAnswer(this), Math.round(hold / 2), hold);
});

Then('that poll was answered with the message before its hold time ran out', function (this: PushWorld) {
  const { answers, message } = heldRun(this);
  const figures = check.deliveryFigures(answers, message);
  if (figures) this.transcript.figure('publish to receipt', figures.max, 'ms');
  check.checkEndedByMessage(answers[0]!, message, this.longPolling.holdMs);
});

Then('the server itself ended the hold within the declared hold time', function (this: PushWorld) {
  const hold = this.longPolling.holdMs;
  check.checkEndedByTimeout(lastAnswer(this), this.longPolling.emptyStatus, hold, holdSlackMs(hold));
});

Then('the expired hold was answered as a success, not as 408 Request Timeout', function (this: PushWorld) {
  check.checkTimeoutIsSuccess(lastAnswer(this));
});

Then('every one of those polls was answered with the message', function (this: PushWorld) {
  const { answers, message } = heldRun(this);
  const figures = check.deliveryFigures(answers, message);
  if (figures) {
    this.transcript.figure('p99 publish to receipt', figures.p99, 'ms');
    this.transcript.figure('p50 publish to receipt', figures.p50, 'ms');
    this.transcript.figure('held polls', answers.length, '');
  }
  check.checkEveryHeldPollGotIt(answers, message);
});

Then('the number of held polls returns to what it was', async function (this: PushWorld) {
  const baseline = this.longPolling.baselineHeld;
  if (baseline === undefined) throw new Error('the scenario did not read the held count first');
  try {
    const ms = await this.longPolling.awaitHeldCount((held) => held <= baseline, `the held count back at ${baseline}`);
    this.transcript.figure('released within', ms, 'ms');
  } catch (error) {
    if (error instanceof ConformanceFailure) throw new ConformanceFailure(`polls the clients walked away from released: the held count back at ${baseline}`, error.actual);
    throw error;
  }
});

Then('both polls are answered as the server declares for concurrent polls, neither starved', function (this: PushWorld) {
  const { answers, message } = heldRun(this);
  check.checkConcurrentPolicy(this.longPolling.spec.concurrentPolls, answers[0]!, answers[1]!, message, this.longPolling.emptyStatus);
});

Then('the server ended the hold by its declared maximum', function (this: PushWorld) {
  const max = this.longPolling.spec.maxHoldMs;
  check.checkEndedByTimeout(lastAnswer(this), this.longPolling.emptyStatus, max, holdSlackMs(max));
});

Then('the declared maximum hold is at most 30 s', function (this: PushWorld) {
  check.checkMaximumIsSafe(this.longPolling.spec.maxHoldMs);
});

/** Phrases only Ajax polling uses: answering at once, history gaps, polling on an interval. */
import { Then, When } from '@cucumber/cucumber';
import { checkAnsweredWithin } from './poll-checks.ts';
import { checkGapSignalled, checkSeenByNextPoll } from './checks.ts';
import { lastAnswer } from './poll.steps.ts';
import type { PushWorld } from '../../steps/support/world.ts';

When(
  '{client} polls every {int} ms while {int} messages are published at scattered moments',
  async function (this: PushWorld, client: string, intervalMs: number, count: number) {
    await this.polling.pollEveryWhilePublishing(client, intervalMs, count);
  },
);

Then('the answer came within {int} ms', function (this: PushWorld, ms: number) {
  const answer = lastAnswer(this);
  this.transcript.figure('answer time', answer.endedAtMs - answer.startedAtMs, 'ms');
  checkAnsweredWithin(answer, ms);
});

Then('{client} was told that messages were missed', function (this: PushWorld, client: string) {
  const answer = this.polling.client(client).answers.at(-1);
  if (answer === undefined) throw new Error(`${client} never polled`);
  checkGapSignalled(answer, this.polling.spec, this.polling.owedTo(client).length - (this.polling.spec.historyLimit ?? 0));
});

Then('each message reached {client} in the first poll that started after it was published', function (this: PushWorld, client: string) {
  const run = this.polling.intervalRun;
  if (run === undefined) throw new Error(`${client} made no interval run`);
  this.polling.recordDelayFigures(run);
  checkSeenByNextPoll(run.answers, run.published);
});

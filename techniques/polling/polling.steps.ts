/** Phrases only Ajax polling uses: answering at once, history gaps, polling on an interval. */
import { Then, When } from '@cucumber/cucumber';
import { checkAnsweredWithin } from './poll-checks.ts';
import { checkGapSignalled, checkSeenByNextPoll } from './checks.ts';
import type { PushWorld } from '../../steps/support/world.ts';

When(
  '{client} polls every {int} ms while {int} messages are published at scattered moments',
  async function (this: PushWorld, client: string, intervalMs: number, count: number) {
    await this.actions.polling.pollEveryWhilePublishing(client, intervalMs, count);
  },
);

Then('the answer came within {int} ms', function (this: PushWorld, ms: number) {
  checkAnsweredWithin(this.actions.polling.timedAnswer(), ms);
});

Then('{client} was told that messages were missed', function (this: PushWorld, client: string) {
  const polling = this.actions.polling;
  checkGapSignalled(polling.lastAnswerOf(client), polling.spec, polling.owedTo(client).length - (polling.spec.historyLimit ?? 0));
});

Then('each message reached {client} in the first poll that started after it was published', function (this: PushWorld, client: string) {
  const run = this.actions.polling.measuredIntervalRun(client);
  checkSeenByNextPoll(run.answers, run.published);
});

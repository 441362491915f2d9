/** Long-polling phrases about faults on the path (model M-10): each hands over to the World's long-polling actions, then to a check. */
import { Given, Then, When } from '@cucumber/cucumber';
import type { PushWorld } from '../../steps/support/world.ts';
import * as check from './checks.ts';

Given("the client's connections are cut at random by the network, mid-answer included", async function (this: PushWorld) {
  await this.actions.longPolling.faults.throughRandomCuts();
});

When('{int} messages are published while the client keeps polling, polling again with the same cursor after every cut', async function (this: PushWorld, count: number) {
  await this.actions.longPolling.faults.followThroughCuts(count, this.adapter.polling?.historyLimit);
});

Then('the client received all {int} messages exactly once, in publish order, across the cuts', function (this: PushWorld, _count: number) {
  const run = this.actions.longPolling.faults.resetRun!;
  check.checkDeliveredThroughResets('the client', run.received, run.published, run.resets);
});

Given("the client's connections pass through an intermediary that cuts connections idle for longer than the declared hold", async function (this: PushWorld) {
  await this.actions.longPolling.faults.throughIdleTimeout();
});

When('the client polls through the intermediary and nothing is published', async function (this: PushWorld) {
  await this.actions.longPolling.faults.pollThroughIdleTimeout();
});

Then('the hold ended with the declared empty answer before the intermediary cut the idle connection', function (this: PushWorld) {
  check.checkAnsweredBeforeIdleCut(this.actions.longPolling.faults.idleHold!, this.actions.longPolling.emptyStatus);
});

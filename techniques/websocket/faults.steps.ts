/** WebSocket phrases about faults on the path (model M-10): each hands over to the World's WebSocket actions, then to a check. */
import { Given, Then, When } from '@cucumber/cucumber';
import type { PushWorld } from '../../steps/support/world.ts';
import * as check from './checks.ts';

Given("the client's connections are cut at random by the network, mid-frame included", async function (this: PushWorld) {
  await this.actions.websocket.faults.throughRandomCuts();
});

When('{int} messages are published while a client follows the channel, reconnecting with the cursor of its last message at once after every cut', async function (this: PushWorld, count: number) {
  await this.actions.websocket.faults.followThroughCuts(count);
});

Then('the client following the channel received all {int} messages exactly once, in publish order, across the cuts', function (this: PushWorld, _count: number) {
  const run = this.actions.websocket.faults.resetRun!;
  check.checkDeliveredThroughResets('the client', run.received, run.published, run.resets);
});

Given("the client's connection passes through an intermediary that cuts connections idle for twice the declared ping interval", async function (this: PushWorld) {
  await this.actions.websocket.faults.throughIdleTimeout();
});

When("the client stays idle for longer than the intermediary's idle timeout", async function (this: PushWorld) {
  await this.actions.websocket.faults.stayIdlePastTimeout();
});

Then('the connection was not cut, and the message arrived on it', async function (this: PushWorld) {
  check.checkKeptOpenThroughIdleTimeout(await this.actions.websocket.faults.afterIdle());
});

/** Server-Sent Events phrases about faults on the path (model M-10): each hands over to the World's SSE actions, then to a check. */
import { Given, Then, When } from '@cucumber/cucumber';
import type { PushWorld } from '../../steps/support/world.ts';
import * as check from './checks.ts';

Given("the client's connections are cut at random by the network, mid-event included", async function (this: PushWorld) {
  await this.actions.sse.faults.throughRandomCuts();
});

When('{int} messages are published while a client follows the event stream, resuming with Last-Event-ID at once after every cut', async function (this: PushWorld, count: number) {
  await this.actions.sse.faults.followThroughCuts(count);
});

Then('the client following the stream received all {int} messages exactly once, in publish order, across the cuts', function (this: PushWorld, _count: number) {
  const run = this.actions.sse.faults.resetRun!;
  check.checkDeliveredThroughResets('the client', run.received, run.published, run.resets);
});

Given("the client's connection passes through an intermediary that cuts connections idle for twice the declared keep-alive interval", async function (this: PushWorld) {
  await this.actions.sse.faults.throughIdleTimeout();
});

When("nothing is published for longer than the intermediary's idle timeout", async function (this: PushWorld) {
  await this.actions.sse.faults.stayIdlePastTimeout();
});

Then('the stream was not cut, and the message arrived on it', async function (this: PushWorld) {
  check.checkKeptOpenThroughIdleTimeout(await this.actions.sse.faults.afterIdle());
});

Given("the client's connection passes through an intermediary that holds what the server sends until 8 KiB are waiting", async function (this: PushWorld) {
  await this.actions.sse.faults.throughBuffer();
});

When('messages are published one at a time until the first reaches the client', async function (this: PushWorld) {
  await this.actions.sse.faults.publishUntilFirstArrives();
});

Then('the events that arrived are the first ones published, in order, and how many were held back is reported', function (this: PushWorld) {
  check.checkBufferedInOrder(this.actions.sse.faults.buffered!);
});

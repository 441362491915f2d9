/** Phrases every technique shares: channels and publishing. */
import { Given, Then, When } from '@cucumber/cucumber';
import { checkNoConnectionSpecificFields } from '../../core/h2-checks.ts';
import type { PushWorld } from './world.ts';

Given('a fresh channel', function (this: PushWorld) {
  this.scenario.useFreshChannel();
});

When('{int} message(s) is/are/was/were published', async function (this: PushWorld, count: number) {
  await this.publishMessages(count);
});

When('as many messages as the channel retains are published', async function (this: PushWorld) {
  const limit = this.adapter.polling?.historyLimit;
  if (limit === undefined) throw new Error('the adapter declares no history limit (the @history-limit tag should have skipped this)');
  await this.publishMessages(limit);
});

When('a message whose data is {sample} is published, then an ordinary one', async function (this: PushWorld, data: string) {
  await this.scenario.publishSampleThenMarker(data);
});

Given("the clients' connections pass through an intermediary that writes one byte at a time", async function (this: PushWorld) {
  await this.throughOneByteWrites();
});

Then('no answer the server sent over HTTP\\/2 carried a connection-specific header field', function (this: PushWorld) {
  checkNoConnectionSpecificFields(this.http2HeaderBlocks);
});

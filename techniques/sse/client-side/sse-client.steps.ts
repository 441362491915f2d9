/** Step phrases of the EventSource client checks: thin, they talk only to the ClientWorld. */
import { Given, Then, When } from '@cucumber/cucumber';
import type { ClientWorld } from '../../../clients/support/world.ts';
import { checkMessages, checkReadToMarker } from './checks.ts';

Given('the server\'s event stream sends {string} {}', function (this: ClientWorld, text: string, split: string) {
  this.sse.streamSends(text, split);
});

When('the client opens the event stream', async function (this: ClientWorld) {
  await this.sse.connect();
});

Then('the client received the messages {}', async function (this: ClientWorld, list: string) {
  const expected = list === 'none' ? [] : JSON.parse(`[${list}]`) as string[];
  const { messages, sawMarker } = await this.sse.messagesBeforeMarker();
  checkReadToMarker(sawMarker, messages);
  checkMessages(messages, expected);
});

/**
 * Step phrases of the polling and long-polling client checks: the scripted
 * server's plan ("the poll server …" / "the long-poll server …", the same
 * words for both) and the checks both techniques share. Thin: they talk only
 * to the ClientWorld.
 */
import { Given, Then, When } from '@cucumber/cucumber';
import type { ClientWorld } from '../../../clients/support/world.ts';
import type { PollClientActions } from './actions.ts';
import { checkCursorSentBack, checkIfNoneMatch, checkInterval, checkMessages, checkReadToMarker, checkSameCursor, POLL_END_MARKER } from './checks.ts';

/** A step's list of quoted strings: `"one", "two"`. */
const list = (text: string): string[] => JSON.parse(`[${text}]`) as string[];

/** `Retry-After: 1` */
function header(text: string): Record<string, string> {
  const colon = text.indexOf(':');
  if (colon < 1) throw new Error(`a header is "Name: value", got ${JSON.stringify(text)}`);
  return { [text.slice(0, colon).trim().toLowerCase()]: text.slice(colon + 1).trim() };
}

const SERVERS: ReadonlyArray<[string, (w: ClientWorld) => PollClientActions]> = [
  ['the long-poll server', (w) => w.longPolling],
  ['the poll server', (w) => w.polling],
];

for (const [server, actions] of SERVERS) {
  Given(`${server} answers poll {int} with the messages {}`, function (this: ClientWorld, n: number, messages: string) {
    actions(this).answerPoll(n, { kind: 'messages', data: list(messages) });
  });
  Given(`${server} holds poll {int} for {int} ms, then answers it with the messages {}`, function (this: ClientWorld, n: number, afterMs: number, messages: string) {
    actions(this).answerPoll(n, { kind: 'messages', data: list(messages), afterMs });
  });
  Given(`${server} answers poll {int} with the message {string} and the ETag {string}`, function (this: ClientWorld, n: number, message: string, etag: string) {
    actions(this).answerPoll(n, { kind: 'messages', data: [message], etag });
  });
  Given(`${server} answers poll {int} with no message`, function (this: ClientWorld, n: number) {
    actions(this).answerPoll(n, { kind: 'empty' });
  });
  Given(`${server} holds poll {int} for {int} ms, then answers it with no message`, function (this: ClientWorld, n: number, afterMs: number) {
    actions(this).answerPoll(n, { kind: 'empty', afterMs });
  });
  Given(`${server} answers poll {int} with status {int}`, function (this: ClientWorld, n: number, status: number) {
    actions(this).answerPoll(n, { kind: 'status', status });
  });
  Given(`${server} answers poll {int} with status {int} and the header {string}`, function (this: ClientWorld, n: number, status: number, field: string) {
    actions(this).answerPoll(n, { kind: 'status', status, headers: header(field) });
  });
  Given(`${server} cuts the connection of poll {int} after {int} ms`, function (this: ClientWorld, n: number, afterMs: number) {
    actions(this).answerPoll(n, { kind: 'cut', afterMs });
  });
  Given(`${server} answers poll {int} with the end marker`, function (this: ClientWorld, n: number) {
    actions(this).answerPoll(n, { kind: 'messages', data: [POLL_END_MARKER] });
  });
  Given(`${server} answers every other poll with status {int}`, function (this: ClientWorld, status: number) {
    actions(this).answerOtherPolls({ kind: 'status', status });
  });
  Given(`${server} answers every other poll with no message`, function (this: ClientWorld) {
    actions(this).answerOtherPolls({ kind: 'empty' });
  });
  Given(`${server} holds every other poll until the case ends`, function (this: ClientWorld) {
    actions(this).answerOtherPolls({ kind: 'hold' });
  });
}

When('the client long-polls', async function (this: ClientWorld) {
  await this.longPolling.connect();
});

When('the client polls', async function (this: ClientWorld) {
  await this.polling.connect();
});

Then('poll {int} carries the cursor of the answer to poll {int}', async function (this: ClientWorld, next: number, answered: number) {
  const answer = await this.pollClient.waitForAnswer(answered);
  checkCursorSentBack(answer, await this.pollClient.waitForPoll(next), next);
});

Then('after the cut, poll {int} carries the cursor poll {int} carried', async function (this: ClientWorld, next: number, cut: number) {
  const earlier = await this.pollClient.waitForAnswer(cut);
  checkSameCursor(earlier, await this.pollClient.waitForPoll(next), next);
});

Then('the client reported the messages {}', async function (this: ClientWorld, messages: string) {
  const { messages: got, sawMarker } = await this.pollClient.messagesBeforeMarker();
  checkReadToMarker(sawMarker, got);
  checkMessages(got, list(messages));
});

Then('the client polls no faster than its declared interval', async function (this: ClientWorld) {
  checkInterval(await this.polling.pollsForInterval(5), this.polling.intervalMs, 3);
});

Then('poll {int} offers the ETag {string} back in If-None-Match', async function (this: ClientWorld, n: number, etag: string) {
  const poll = await this.pollClient.waitForPoll(n);
  checkIfNoneMatch(poll === undefined ? undefined : { ...poll, headers: poll.request.headers }, n, etag);
});

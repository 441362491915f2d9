/**
 * Step phrases of the long-polling client checks that plain polling has not
 * (the scripted server's plan and the shared checks are in
 * techniques/polling/client-side/poll-client.steps.ts). Thin: they talk only
 * to the ClientWorld.
 */
import { Then } from '@cucumber/cucumber';
import type { ClientWorld } from '../../../clients/support/world.ts';
import { checkNoHotLoop, checkOnePollAtATime, checkRepolledWithin, checkWaitedBeforeRepoll } from './checks.ts';

/** How long past a bound a late poll is still awaited, so the evidence says how late it was. */
const LATE_MS = 2000;

Then('the client polls again within {int} ms of the answer to poll {int}', async function (this: ClientWorld, boundMs: number, n: number) {
  const { answered, next } = await this.longPolling.answerAndNextPoll(n, boundMs + LATE_MS);
  checkRepolledWithin(answered, next, boundMs);
});

Then('the client polls again within {int} ms of the empty answer to poll {int}', async function (this: ClientWorld, boundMs: number, n: number) {
  const { answered, next } = await this.longPolling.answerAndNextPoll(n, boundMs);
  checkRepolledWithin(answered, next, boundMs);
});

Then('the client waits at least {int} ms after the answer to poll {int} before it polls again', async function (this: ClientWorld, waitMs: number, n: number) {
  const { answered, next } = await this.longPolling.answerAndNextPoll(n, waitMs + LATE_MS * 2);
  checkWaitedBeforeRepoll(answered, next, waitMs);
});

Then('while poll {int} is held for {int} ms, the client sends no other poll', async function (this: ClientWorld, n: number, holdMs: number) {
  const held = await this.longPolling.waitForPoll(n);
  // Watched for the whole hold: a second poll may come at any moment of it.
  const polls = held === undefined ? this.longPolling.polls() : await this.longPolling.watchPolls((p) => p.length > n, `no poll beside poll ${n} for ${holdMs} ms`, holdMs);
  checkOnePollAtATime(polls);
});

Then('the client makes at most {int} polls in the {int} ms after its first', async function (this: ClientWorld, limit: number, windowMs: number) {
  checkNoHotLoop(await this.longPolling.pollsInWindow(limit, windowMs), limit, windowMs);
});

/** WebSocket phrases: each hands over to the World's WebSocket actions, then to a check. */
import { defineParameterType, Given, Then, When } from '@cucumber/cucumber';
import type { PushWorld } from '../../steps/support/world.ts';
import * as check from './checks.ts';
import { checkSampleIntact } from '../../core/sample-checks.ts';

/** Close codes a step accepts: `1002`, `1002 or 1007`. */
defineParameterType({
  name: 'codes',
  regexp: /\d{4}(?: or \d{4})*/,
  transformer: (text: string): number[] => text.split(' or ').map(Number),
});

/** The keys of the "key" Examples column. */
const KEYS: Record<string, string | null> = {
  'no Sec-WebSocket-Key': null,
  'a Sec-WebSocket-Key that is not base64': 'not base64 at all!',
  'a Sec-WebSocket-Key of 15 bytes': Buffer.alloc(15, 7).toString('base64'),
  'a Sec-WebSocket-Key of 17 bytes': Buffer.alloc(17, 7).toString('base64'),
};

Given('a client connected to the echo endpoint', async function (this: PushWorld) {
  await this.actions.websocket.connected('client', 'echo');
});

Given('a client connected to the channel', async function (this: PushWorld) {
  await this.actions.websocket.channel.connect('client');
});

Given('{int} clients connected to the channel', async function (this: PushWorld, count: number) {
  await this.actions.websocket.channel.connectMany(count);
});

When('a client opens the echo endpoint', async function (this: PushWorld) {
  await this.actions.websocket.connect('client', 'echo');
});

When('a client opens the echo endpoint with {}', async function (this: PushWorld, what: string) {
  const ws = this.actions.websocket;
  if (what.startsWith('Sec-WebSocket-Version ')) await ws.connect('client', 'echo', { version: what.slice('Sec-WebSocket-Version '.length) });
  else if (what.startsWith('method ')) await ws.connect('client', 'echo', { method: what.slice('method '.length) });
  else if (what in KEYS) await ws.connect('client', 'echo', { key: KEYS[what]! });
  else throw new Error(`no handshake variant is defined for "${what}"`);
});

When('a client opens the echo endpoint offering the subprotocols {}', async function (this: PushWorld, offered: string) {
  await this.actions.websocket.connect('client', 'echo', { protocols: offered.split(',').map((p) => p.trim()) });
});

When('a client from an origin outside the allow-list opens the echo endpoint', async function (this: PushWorld) {
  await this.actions.websocket.connect('client', 'echo', { origin: 'https://not-allowed.example' });
});

When('a client from an allowed origin opens the echo endpoint', async function (this: PushWorld) {
  await this.actions.websocket.connect('client', 'echo', { origin: this.actions.websocket.spec.allowedOrigins[0]! });
});

Then('the server accepts with status 101, the right Sec-WebSocket-Accept, Upgrade: websocket and Connection: Upgrade', function (this: PushWorld) {
  check.checkHandshakeAccepted(this.actions.websocket.handshake());
});

Then('the handshake is refused with status {int}', function (this: PushWorld, status: number) {
  check.checkRefused(this.actions.websocket.handshake(), status);
});

Then('the handshake is refused', function (this: PushWorld) {
  check.checkRefused(this.actions.websocket.handshake());
});

Then('the handshake is refused, naming version 13 in Sec-WebSocket-Version', function (this: PushWorld) {
  check.checkVersionRefused(this.actions.websocket.handshake());
});

Then('the chosen subprotocol, if any, is one of those offered', function (this: PushWorld) {
  check.checkSubprotocolOffered(this.actions.websocket.handshake(), this.actions.websocket.offered);
});

When('the client sends a text message of {int} bytes', function (this: PushWorld, length: number) {
  this.actions.websocket.sendMessage('text', length);
});

When('the client sends a binary message of {int} bytes', function (this: PushWorld, length: number) {
  this.actions.websocket.sendMessage('binary', length);
});

When('the client sends {int} text messages in a row', function (this: PushWorld, count: number) {
  this.actions.websocket.sendNumbered(count);
});

When('the client sends an unmasked text frame', function (this: PushWorld) {
  this.actions.websocket.sendUnmasked();
});

When('the client sends a text message one byte over the declared maximum', async function (this: PushWorld) {
  await this.actions.websocket.sendOverMaximum();
});

Then('the same message comes back, framed with the minimal length encoding', async function (this: PushWorld) {
  this.observe(check.checkEchoedWithinLimits(await this.actions.websocket.echo()));
});

Then('the same message comes back', async function (this: PushWorld) {
  this.observe(check.checkEchoedWithinLimits(await this.actions.websocket.echo()));
});

Then('all {int} come back, in the order sent', async function (this: PushWorld, count: number) {
  const got = await this.actions.websocket.messagesBack(count);
  check.checkInOrder('the client', got, Array.from({ length: count }, (_, i) => `message ${i}`));
});

Then('the server fails the connection \\(close code {codes})', async function (this: PushWorld, codes: number[]) {
  const { close, echoedData } = await this.actions.websocket.closing();
  this.observe(check.checkFailedWith(close, codes, echoedData));
});

Then('the server closes the connection \\(a close frame with {int} is allowed, not required)', async function (this: PushWorld, code: number) {
  const { close, echoedData } = await this.actions.websocket.closing();
  this.observe(check.checkFailedWith(close, [code], echoedData, 'MAY'));
});

When('a message is published', async function (this: PushWorld) {
  await this.publishMessages(1);
});

Then('every one of the {int} clients receives it', async function (this: PushWorld, count: number) {
  const { received, data } = await this.actions.websocket.channel.broadcastReceived(count);
  check.checkAllReceived(received, data);
});

Then("the client received that message's data byte for byte, then the ordinary one", async function (this: PushWorld) {
  const [sample, marker] = this.published.slice(-2);
  if (sample === undefined || marker === undefined) throw new Error('the scenario published no sample and marker');
  const received = await this.actions.websocket.channel.receivedUntilData('client', marker.data);
  checkSampleIntact('the client', received.map((m) => m.data), sample.data, marker.data);
});

Given('a long-polling client that has caught up with the channel', async function (this: PushWorld) {
  await this.actions.longPolling.join('client');
});

When('{int} messages are published one after another while the client upgrades to a WebSocket', async function (this: PushWorld, count: number) {
  await this.upgradeWhilePublishing(count);
});

Then('the client received all {int} messages exactly once, in publish order, over its polls and then its WebSocket', async function (this: PushWorld, count: number) {
  const { overPolls, overSocket, owed } = await this.receivedAcrossUpgrade(count);
  check.checkAcrossUpgrade(overPolls, overSocket, owed);
});

When('{int} messages are published while the client sends {int} messages of its own', async function (this: PushWorld, published: number, own: number) {
  await this.actions.websocket.channel.publishWhileSending(published, own);
});

Then("the client receives all {int} messages exactly once, each side's in the order it was sent", async function (this: PushWorld, total: number) {
  const { received, published, own } = await this.actions.websocket.channel.duplexReceived(total);
  check.checkBothDirections(received, published, own);
});

Given('{int} messages were published and the client received them', async function (this: PushWorld, count: number) {
  await this.actions.websocket.channel.publishAndReceive(count);
});

When("the client's connection drops", function (this: PushWorld) {
  this.actions.websocket.channel.drop();
});

When('{int} messages are published while it is away', async function (this: PushWorld, count: number) {
  await this.publishMessages(count);
});

When('the client reconnects with the cursor of the last message it received', async function (this: PushWorld) {
  await this.actions.websocket.channel.reconnectFromLast();
});

Then('the client receives the {int} messages exactly once, in publish order', async function (this: PushWorld, count: number) {
  const messages = await this.actions.websocket.channel.receivedOrSoFar('client', count);
  check.checkInOrder('the reconnected client', messages.map((m) => m.data), this.published.slice(-count).map((m) => m.data));
});

When('the client stays idle, watched for at most {int} declared ping intervals', async function (this: PushWorld, intervals: number) {
  await this.actions.websocket.channel.idleFor(intervals);
});

Then('the server pinged it at least once per declared interval', function (this: PushWorld) {
  const { silence, intervalMs, slackMs } = this.actions.websocket.channel.pingSilence();
  check.checkPinged(silence, intervalMs, slackMs);
});

/** WebSocket phrases: each hands over to the World's WebSocket actions or to a check. */
import { setTimeout as delay } from 'node:timers/promises';
import { defineParameterType, Given, Then, When } from '@cucumber/cucumber';
import * as check from './checks.ts';
import { expectThat } from '../../core/failure.ts';
import { closePayload } from './frame.ts';
import { WS_DEADLINE_MS, WS_REACTION_MS } from './actions.ts';
import { binaryOf, closeFrameFor, FRAME_RECIPES, hexBytes, OPCODE, sendFragmented, splitInto, textOf, unescapeText } from './recipes.ts';
import type { PushWorld } from '../../steps/support/world.ts';

/** Outgoing frames the server must not act on count as "echoed something" if anything but control frames comes back. */
function echoedData(world: PushWorld): boolean {
  return world.ws.client().received.some((f) => f.opcode === OPCODE.text || f.opcode === OPCODE.binary);
}

/** A broken frame sequence named in the Examples (harness/ws-recipes.ts). */
defineParameterType({
  name: 'frames',
  regexp: new RegExp(Object.keys(FRAME_RECIPES).map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')),
});

/** The keys of the "key" Examples column. */
const KEYS: Record<string, string | null> = {
  'no Sec-WebSocket-Key': null,
  'a Sec-WebSocket-Key that is not base64': 'not base64 at all!',
  'a Sec-WebSocket-Key of 15 bytes': Buffer.alloc(15, 7).toString('base64'),
  'a Sec-WebSocket-Key of 17 bytes': Buffer.alloc(17, 7).toString('base64'),
};

Given('a client connected to the echo endpoint', async function (this: PushWorld) {
  await this.ws.connected('client', 'echo');
});

Given('a client connected to the channel', async function (this: PushWorld) {
  await this.ws.connected('client', 'channel');
});

Given('{int} clients connected to the channel', async function (this: PushWorld, count: number) {
  for (let i = 1; i <= count; i++) await this.ws.connected(`client ${i}`, 'channel');
});

When('a client opens the echo endpoint', async function (this: PushWorld) {
  await this.ws.connect('client', 'echo');
});

When('a client opens the echo endpoint with {}', async function (this: PushWorld, what: string) {
  if (what.startsWith('Sec-WebSocket-Version ')) await this.ws.connect('client', 'echo', { version: what.slice('Sec-WebSocket-Version '.length) });
  else if (what.startsWith('method ')) await this.ws.connect('client', 'echo', { method: what.slice('method '.length) });
  else if (what in KEYS) await this.ws.connect('client', 'echo', { key: KEYS[what]! });
  else throw new Error(`no handshake variant is defined for "${what}"`);
});

When('a client opens the echo endpoint offering the subprotocols {}', async function (this: PushWorld, offered: string) {
  await this.ws.connect('client', 'echo', { protocols: offered.split(',').map((p) => p.trim()) });
});

When('a client from an origin outside the allow-list opens the echo endpoint', async function (this: PushWorld) {
  await this.ws.connect('client', 'echo', { origin: 'https://not-allowed.example' });
});

When('a client from an allowed origin opens the echo endpoint', async function (this: PushWorld) {
  await this.ws.connect('client', 'echo', { origin: this.ws.spec.allowedOrigins[0]! });
});

Then('the server accepts with status 101, the right Sec-WebSocket-Accept, Upgrade: websocket and Connection: Upgrade', function (this: PushWorld) {
  check.checkHandshakeAccepted(this.ws.client());
});

Then('the handshake is refused with status {int}', function (this: PushWorld, status: number) {
  check.checkRefused(this.ws.client(), status);
});

Then('the handshake is refused', function (this: PushWorld) {
  check.checkRefused(this.ws.client());
});

Then('the handshake is refused, naming version 13 in Sec-WebSocket-Version', function (this: PushWorld) {
  check.checkVersionRefused(this.ws.client());
});

Then('the chosen subprotocol, if any, is one of those offered', function (this: PushWorld) {
  check.checkSubprotocolOffered(this.ws.client(), this.ws.offered);
});

When('the client sends a text message of {int} bytes', function (this: PushWorld, length: number) {
  this.ws.sendMessage('text', Buffer.from(textOf(length)));
});

When('the client sends a binary message of {int} bytes', function (this: PushWorld, length: number) {
  this.ws.sendMessage('binary', binaryOf(length));
});

When('the client sends a {word} message of {int} bytes in {int} fragments', function (this: PushWorld, kind: string, length: number, count: number) {
  const data = kind === 'text' ? Buffer.from(textOf(length)) : binaryOf(length);
  this.ws.sent = { type: kind === 'text' ? 'text' : 'binary', data };
  sendFragmented(this.ws.client(), kind === 'text' ? OPCODE.text : OPCODE.binary, splitInto(data, count));
});

When('the client sends a {word} message of {int} bytes in {int} fragments, with a ping between them', function (this: PushWorld, kind: string, length: number, count: number) {
  const data = kind === 'text' ? Buffer.from(textOf(length)) : binaryOf(length);
  this.ws.sent = { type: kind === 'text' ? 'text' : 'binary', data };
  sendFragmented(this.ws.client(), kind === 'text' ? OPCODE.text : OPCODE.binary, splitInto(data, count), true);
});

function sendValidText(world: PushWorld, quoted: string, count: number): void {
  const data = Buffer.from(unescapeText(quoted));
  world.ws.sent = { type: 'text', data };
  sendFragmented(world.ws.client(), OPCODE.text, splitInto(data, count));
}

When('the client sends the text {string} in one frame', function (this: PushWorld, quoted: string) {
  sendValidText(this, quoted, 1);
});

When('the client sends the text {string} in {int} fragments', function (this: PushWorld, quoted: string, count: number) {
  sendValidText(this, quoted, count);
});

When('the client sends text whose bytes are {} in one frame', function (this: PushWorld, hex: string) {
  sendFragmented(this.ws.client(), OPCODE.text, [hexBytes(hex)]);
});

When('the client sends text whose bytes are {} in {int} fragments', function (this: PushWorld, hex: string, count: number) {
  sendFragmented(this.ws.client(), OPCODE.text, splitInto(hexBytes(hex), count));
});

When('the client sends {int} text messages in a row', function (this: PushWorld, count: number) {
  const ws = this.ws.client();
  for (let i = 0; i < count; i++) ws.send({ opcode: OPCODE.text, payload: `message ${i}` });
});

When('the client sends a text frame with reserved bits {int}', function (this: PushWorld, rsv: number) {
  this.ws.client().send({ opcode: OPCODE.text, payload: 'reserved bits', rsv });
});

When('the client sends a frame with opcode {int}', function (this: PushWorld, opcode: number) {
  this.ws.client().send({ opcode, payload: 'reserved opcode' });
});

When('the client sends an unmasked text frame', function (this: PushWorld) {
  this.ws.client().send({ opcode: OPCODE.text, payload: 'unmasked', mask: false });
});

When('the client sends {frames}', function (this: PushWorld, frames: string) {
  const recipe = FRAME_RECIPES[frames];
  if (recipe === undefined) throw new Error(`no frame recipe is defined for "${frames}"`);
  recipe(this.ws.client());
});

When('the client pings with {int} bytes of payload', function (this: PushWorld, length: number) {
  this.ws.sent = { type: 'binary', data: binaryOf(length) };
  this.ws.client().send({ opcode: OPCODE.ping, payload: binaryOf(length) });
});

When('the client sends an unsolicited pong, then a text message', function (this: PushWorld) {
  const ws = this.ws.client();
  ws.send({ opcode: OPCODE.pong, payload: 'unsolicited' });
  this.ws.sendMessage('text', Buffer.from('after the pong'));
});

When('the client closes with code {int}', function (this: PushWorld, code: number) {
  this.ws.client().send({ opcode: OPCODE.close, payload: closePayload(code, 'pushspec') });
});

When('the client sends a close frame with {}', function (this: PushWorld, payload: string) {
  if (payload === 'code 1000 and a reason that is not UTF-8') {
    this.ws.client().send({ opcode: OPCODE.close, payload: closePayload(1000, Buffer.from([0x61, 0xff, 0x62])) });
    return;
  }
  this.ws.client().send({ opcode: OPCODE.close, payload: closeFrameFor(payload) });
});

When('the client closes with code {int}, then sends a text message', function (this: PushWorld, code: number) {
  const ws = this.ws.client();
  ws.send({ opcode: OPCODE.close, payload: closePayload(code) });
  ws.send({ opcode: OPCODE.text, payload: 'after close' });
});

When('the client sends a text message one byte over the declared maximum', async function (this: PushWorld) {
  // Header first: a server that refuses on the declared length answers with nothing of the payload unread (see sendHeaderFirst).
  await this.ws.client().sendHeaderFirst({ opcode: OPCODE.text, payload: textOf(this.ws.spec.maxMessageBytes! + 1) }, WS_REACTION_MS / 10);
});

Then('the same message comes back, framed with the minimal length encoding', async function (this: PushWorld) {
  const ws = this.ws.client();
  const got = await ws.nextMessage(WS_DEADLINE_MS);
  check.checkEchoed(this.ws.sent!, got, ws.findings);
});

Then('the same message comes back', async function (this: PushWorld) {
  const ws = this.ws.client();
  const got = await ws.nextMessage(WS_DEADLINE_MS);
  check.checkEchoed(this.ws.sent!, got, ws.findings);
});

Then('all {int} come back, in the order sent', async function (this: PushWorld, count: number) {
  const ws = this.ws.client();
  const got: string[] = [];
  for (let i = 0; i < count; i++) got.push((await ws.nextMessage(WS_DEADLINE_MS)).data.toString('utf8'));
  check.checkInOrder('the client', got, Array.from({ length: count }, (_, i) => `message ${i}`));
});

Then('the server fails the connection with close code {int}', async function (this: PushWorld, code: number) {
  const close = await this.ws.client().waitForClose(WS_REACTION_MS);
  check.checkFailedWith(close, code, echoedData(this));
});

Then('the server answers with a close frame with code {int} and ends the connection', async function (this: PushWorld, code: number) {
  check.checkCloseAnswered(await this.ws.client().waitForClose(WS_REACTION_MS), code);
});

Then('nothing but a close frame comes back', async function (this: PushWorld) {
  const close = await this.ws.client().waitForClose(WS_REACTION_MS);
  expectThat(!echoedData(this) && close.closeFrame !== undefined, 'a close frame, and no echo of the text sent after the close', () => `${echoedData(this) ? 'the text sent after the close came back; ' : ''}${close.outcome}`);
});

Then('a pong with the same payload comes back', async function (this: PushWorld) {
  const pong = await this.ws.client().nextPong(WS_REACTION_MS).catch(() => undefined);
  check.checkPong(pong, this.ws.sent!.data);
});

Then('only the text message comes back', async function (this: PushWorld) {
  const got = await this.ws.client().nextMessage(WS_DEADLINE_MS);
  check.checkEchoed(this.ws.sent!, got, []);
});

When('a message is published', async function (this: PushWorld) {
  await this.publishOne();
});

Then('every one of the {int} clients receives it', async function (this: PushWorld, count: number) {
  const data = this.published.at(-1)!.data;
  const names = Array.from({ length: count }, (_, i) => `client ${i + 1}`);
  await Promise.all(names.map((name) => this.ws.channelReceived(name, 1).catch(() => undefined)));
  const received = new Map(names.map((name) => [name, this.ws.channelMessages.get(name) ?? []] as const));
  const latencies = [...received.values()].flatMap((m) => m.filter((x) => x.data === data).map((x) => x.atMs - this.published.at(-1)!.startedAtMs)).sort((a, b) => a - b);
  if (latencies.length > 0) this.transcript.figure('p99 publish to receipt', latencies[Math.floor(latencies.length * 0.99)] ?? latencies.at(-1)!, 'ms');
  check.checkAllReceived(received, data);
});

When('{int} messages are published while the client sends {int} messages of its own', async function (this: PushWorld, published: number, own: number) {
  const ws = this.ws.client();
  const sent: string[] = [];
  const sending = (async () => {
    for (let i = 0; i < own; i++) {
      const text = `own ${String(i).padStart(4, '0')}-${this.channel.slice(-6)}`;
      sent.push(text);
      ws.send({ opcode: OPCODE.text, payload: text });
      // Yield so the server's pushes interleave with the client's sends.
      await delay(0);
    }
  })();
  await Promise.all([this.publishMessages(published), sending]);
  this.ws.ownSent = sent;
});

Then('the client receives all {int} messages exactly once, each side\'s in the order it was sent', async function (this: PushWorld, total: number) {
  const messages = await this.ws.channelReceived('client', total).catch(() => this.ws.channelMessages.get('client') ?? []);
  // One handshake carries every message; bytes are the payloads of the frames the server sent.
  const bytes = this.ws.client().received.reduce((sum, f) => sum + f.payload.length, 0);
  if (messages.length > 0) {
    this.transcript.figure('requests per message', 1 / messages.length, '');
    this.transcript.figure('bytes per message', bytes / messages.length, 'B');
  }
  check.checkBothDirections(messages.map((m) => m.data), this.published.map((m) => m.data), this.ws.ownSent);
});

Given('{int} messages were published and the client received them', async function (this: PushWorld, count: number) {
  await this.publishMessages(count);
  await this.ws.channelReceived('client', count);
});

When("the client's connection drops", function (this: PushWorld) {
  this.ws.client().destroy();
});

When('{int} messages are published while it is away', async function (this: PushWorld, count: number) {
  await this.publishMessages(count);
});

When('the client reconnects with the cursor of the last message it received', async function (this: PushWorld) {
  const last = (this.ws.channelMessages.get('client') ?? []).at(-1);
  if (last?.id === undefined) throw new Error('the client received no message with an id to resume from');
  this.ws.channelMessages.set('client', []);
  await this.ws.connected('client', 'channel', { query: { [this.ws.spec.cursorParam!]: last.id } });
});

Then('the client receives the {int} messages exactly once, in publish order', async function (this: PushWorld, count: number) {
  const messages = await this.ws.channelReceived('client', count).catch(() => this.ws.channelMessages.get('client') ?? []);
  check.checkInOrder('the reconnected client', messages.map((m) => m.data), this.published.slice(-count).map((m) => m.data));
});

When('the client stays idle for {int} declared ping intervals', async function (this: PushWorld, intervals: number) {
  // The idle time is the measurement window: there is no event to wait for.
  await delay(intervals * this.ws.spec.pingIntervalMs!);
});

Then('the server pinged it at least once per declared interval', function (this: PushWorld) {
  const interval = this.ws.spec.pingIntervalMs!;
  const pings = this.ws.client().received.filter((f) => f.opcode === OPCODE.ping);
  this.transcript.figure('pings', pings.length, '');
  this.transcript.figure('declared interval', interval, 'ms');
  expectThat(pings.length >= 2, `at least 2 pings in 3 × ${interval} ms of idleness`, () => `${pings.length} ping(s)`);
});

When('the client sends a first text fragment holding invalid UTF-8, and the rest only if the connection stays open', async function (this: PushWorld) {
  const ws = this.ws.client();
  const sentAt = this.transcript.now();
  ws.send({ opcode: OPCODE.text, payload: hexBytes('ce ba e1 bd b9 cf 83 ce bc ce b5 f4 90 80 80'), fin: false });
  // Time for a fail-fast server to close; none comes from one that checks at the end of the message.
  const early = await ws.until(() => ws.closeReceived !== undefined, 1000, 'a close', () => ws.describe()).then(
    () => true,
    () => false,
  );
  if (!early) ws.send({ opcode: OPCODE.continuation, payload: hexBytes('65 64 69 74 65 64'), fin: true });
  if (early) this.transcript.figure('failed fast, after', (ws.closeReceived?.atMs ?? sentAt) - sentAt, 'ms');
  this.transcript.note(early ? 'the server failed the connection on the first fragment (fail fast)' : 'the server waited for the end of the message before failing (not fail fast)');
});

Then('the server failed the connection with close code 1007, and the report says whether it did so before the message ended', async function (this: PushWorld) {
  const close = await this.ws.client().waitForClose(WS_REACTION_MS);
  check.checkFailedWith(close, 1007, echoedData(this));
});

/** Step phrases of the WebSocket client checks: thin, they talk only to the ClientWorld. */
import { Given, Then, When } from '@cucumber/cucumber';
import type { ClientWorld } from '../../../clients/support/world.ts';
import * as check from './checks.ts';

Given('the scripted server plays {string}', function (this: ClientWorld, name: string) {
  this.websocket.plays(name);
});

When('the WebSocket client connects', async function (this: ClientWorld) {
  await this.websocket.connect();
});

Then('the client\'s opening handshake request is valid', function (this: ClientWorld) {
  check.checkHandshakeRequest(this.websocket.view());
});

Then('each connection had a Sec-WebSocket-Key of its own', function (this: ClientWorld) {
  check.checkFreshKeys(this.websocket.view());
});

Then('the client did not open the connection', function (this: ClientWorld) {
  check.checkRefused(this.websocket.view(), false);
});

Then('the client failed the connection before opening it', function (this: ClientWorld) {
  check.checkRefused(this.websocket.view(), true);
});

Then('every frame the client sent was masked', function (this: ClientWorld) {
  check.checkAllMasked(this.websocket.view());
});

Then('every frame the client sent had a masking key of its own', function (this: ClientWorld) {
  check.checkFreshMaskKeys(this.websocket.view());
});

Then('the client echoed every message intact and in order', function (this: ClientWorld) {
  check.checkEchoes(this.websocket.view());
});

Then('the client answered each ping with a pong carrying its payload', function (this: ClientWorld) {
  check.checkPongs(this.websocket.view());
});

Then('the client failed the connection', function (this: ClientWorld) {
  check.checkFailed(this.websocket.view());
});

Then('the client sent a close frame with the code for the problem', function (this: ClientWorld) {
  check.checkFailCode(this.websocket.view());
});

Then('the client answered the close frame with a close frame', function (this: ClientWorld) {
  check.checkCloseAnswered(this.websocket.view());
});

Then('the client left closing the TCP connection to the server', function (this: ClientWorld) {
  check.checkServerClosesTcp(this.websocket.view());
});

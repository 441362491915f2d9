/** WebSocket phrases about HTTP/2 (RFC 8441): each hands over to the World's WebSocket actions, then to a check. */
import { Then, When } from '@cucumber/cucumber';
import type { PushWorld } from '../../steps/support/world.ts';
import * as check from './h2-checks.ts';

When('a client opens the echo endpoint over HTTP\\/2 with an extended CONNECT, sends a text and a binary message, then closes', async function (this: PushWorld) {
  await this.actions.websocket.echoOverHttp2();
});

Then("the server's HTTP\\/2 SETTINGS allowed the extended CONNECT", function (this: PushWorld) {
  check.checkConnectProtocolEnabled(this.actions.websocket.h2Echo!);
});

Then('the answer was 200, both messages came back unchanged, and the close was answered with a close and the end of the stream', function (this: PushWorld) {
  check.checkEchoOverHttp2(this.actions.websocket.h2Echo!);
});

When("Autobahn's frame-level cases are played on the echo endpoint over HTTP\\/2, each on a stream of its own", async function (this: PushWorld) {
  await this.actions.websocket.frameCasesOverHttp2();
});

Then('every case held over the HTTP\\/2 stream as it must over TCP', function (this: PushWorld) {
  check.checkCasesOverHttp2(this.actions.websocket.h2Cases!);
});

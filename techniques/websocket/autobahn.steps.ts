/** The echo endpoint's cases: one phrase plays a case, one judges it as Autobahn|Testsuite would. */
import { Before, Then, When } from '@cucumber/cucumber';
import type { PushWorld } from '../../steps/support/world.ts';
import { checkAutobahnCase } from './autobahn/case-checks.ts';

/** The run's first scenario schedules the echo cases ahead of their scenarios (once per run). */
Before(function (this: PushWorld) {
  if (this.loadedAdapter?.websocket?.echoPath !== undefined) this.actions.websocket.echoCases.scheduleAhead();
});

When(/^the client sends (.+) \(case ([\w.]+)\)$/, async function (this: PushWorld, sends: string, id: string) {
  await this.actions.websocket.echoCases.play(id, sends);
});

Then('the outcome is {}', function (this: PushWorld, outcome: string) {
  const { case: c, record, judged } = this.actions.websocket.echoCases.result(outcome);
  if (record.deflateDeclined === true && c.deflate?.onlyIfAccepted === true) {
    // Autobahn's UNIMPLEMENTED: nothing compressed crossed the connection, so there is nothing to judge.
    this.unsupported = `the server declined the permessage-deflate offer (RFC 7692 §7 lets a server decline any offer), so no compressed message was exchanged`;
    return 'skipped';
  }
  this.observe(checkAutobahnCase(c, record, judged, this.actions.websocket.spec));
  return undefined;
});

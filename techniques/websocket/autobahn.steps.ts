/** The echo endpoint's cases: one phrase plays a case, one judges it as Autobahn|Testsuite would. */
import { Then, When } from '@cucumber/cucumber';
import type { PushWorld } from '../../steps/support/world.ts';
import { checkAutobahnCase } from './autobahn/case-checks.ts';

When(/^the client sends (.+) \(case ([\w.]+)\)$/, async function (this: PushWorld, sends: string, id: string) {
  await this.actions.websocket.echoCases.play(id, sends);
});

Then('the outcome is {}', function (this: PushWorld, outcome: string) {
  const { case: c, record, judged } = this.actions.websocket.echoCases.result(outcome);
  this.observe(checkAutobahnCase(c, record, judged, this.actions.websocket.spec));
});

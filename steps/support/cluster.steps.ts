/**
 * The phrases of the cluster requirements (docs/model.md M-11), the same for
 * every technique: the World's cluster run drives the scenario's technique's
 * subscribers, the shared check judges what they received.
 */
import { Then, When } from '@cucumber/cucumber';
import { checkClusterDelivery, checkPublishesAccepted } from '../../core/cluster-checks.ts';
import type { ClusterOutcome } from './cluster-run.ts';
import type { PushWorld } from './world.ts';

/** What the scenario's run gave, for its Then step. */
const outcomes = new WeakMap<PushWorld, ClusterOutcome>();

function outcomeOf(world: PushWorld): ClusterOutcome {
  const outcome = outcomes.get(world);
  if (outcome === undefined) throw new Error('a cluster Then step without the When step that runs the scenario');
  return outcome;
}

When('a subscriber on every instance sees {int} messages published round-robin over the instances', async function (this: PushWorld, count: number) {
  outcomes.set(this, await this.cluster.fanOut(count));
});

When('a client leaves instance 1 after some messages and resumes on instance 2 from its position after more were published', async function (this: PushWorld) {
  outcomes.set(this, await this.cluster.resumeElsewhere());
});

When('instance 2 is stopped while its clients receive what instance 1 publishes, and they resume on another instance', async function (this: PushWorld) {
  outcomes.set(this, await this.cluster.failover());
});

When('messages are published on the other instances while instance 2 is stopped', async function (this: PushWorld) {
  outcomes.set(this, await this.cluster.publishWhileOneIsDown());
});

Then('every subscriber received what it is owed, once each, in publish order', function (this: PushWorld) {
  const outcome = outcomeOf(this);
  checkClusterDelivery(outcome.expectation, outcome.subscribers);
});

Then('every publish was accepted', function (this: PushWorld) {
  checkPublishesAccepted(outcomeOf(this).refused, 'every publish on the instances still running to be accepted (2xx) while instance 2 is stopped');
});

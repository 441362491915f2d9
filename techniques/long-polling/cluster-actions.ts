/**
 * Long-polling subscribers on a cluster's instances (docs/model.md M-11): the
 * polling loop of techniques/polling/cluster-actions.ts with held polls, one
 * after another without a pause, resuming on another instance with the cursor.
 */
import type { ClusterScene, ClusterSubscribers } from '../../core/cluster.ts';
import { PollClusterSubscribers } from '../polling/cluster-actions.ts';
import { LongPollingActions } from './actions.ts';
import type { ResolvedLongPolling } from './adapter.ts';

/** The long-polling subscribers of one cluster scenario. */
export function longPollingClusterSubscribers(scene: ClusterScene, spec: ResolvedLongPolling): ClusterSubscribers {
  return new PollClusterSubscribers(scene, (context) => new LongPollingActions(context, spec), 0);
}

/** HTTP long-polling, as the registry sees it (core/technique.ts says what each part is for). */
import type { TechniqueModule } from '../../core/technique.ts';
import { LongPollingActions } from './actions.ts';
import { longPollingClusterSubscribers } from './cluster-actions.ts';
import { LONG_POLLING_CAPABILITIES, LONG_POLLING_PROTOCOLS, resolveLongPolling, type ResolvedLongPolling } from './adapter.ts';
import type { LongPollingSpec } from './contract.ts';
import { checkLongPolling } from './validate.ts';

export const longPolling = {
  key: 'longPolling',
  tag: '@long-polling',
  title: 'HTTP long-polling',
  what: 'long-polling endpoint',
  validate: (ctx, { hasProtocol, allowFunctions }) => checkLongPolling(ctx, hasProtocol, allowFunctions),
  protocols: LONG_POLLING_PROTOCOLS,
  resolve: resolveLongPolling,
  capabilities: LONG_POLLING_CAPABILITIES,
  declaredTimes: (spec) => [spec.holdMs, spec.maxHoldMs],
  actions: (context, spec) => new LongPollingActions(context, spec),
  clusterSubscribers: (scene, spec) => longPollingClusterSubscribers(scene, spec),
} as const satisfies TechniqueModule<'longPolling', LongPollingSpec, ResolvedLongPolling, LongPollingActions>;

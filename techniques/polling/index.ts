/** Ajax polling, as the registry sees it (core/technique.ts says what each part is for). */
import type { TechniqueModule } from '../../core/technique.ts';
import { PollingActions } from './actions.ts';
import { pollingClusterSubscribers } from './cluster-actions.ts';
import { POLLING_CAPABILITIES, POLLING_PROTOCOLS, resolvePolling, type ResolvedPolling } from './adapter.ts';
import type { PollingSpec } from './contract.ts';
import { checkPolling } from './validate.ts';

export const polling = {
  key: 'polling',
  tag: '@polling',
  title: 'Ajax polling',
  what: 'Ajax polling endpoint',
  validate: (ctx, { hasProtocol, allowFunctions }) => checkPolling(ctx, hasProtocol, allowFunctions),
  protocols: POLLING_PROTOCOLS,
  resolve: resolvePolling,
  capabilities: POLLING_CAPABILITIES,
  declaredTimes: () => [],
  actions: (context, spec) => new PollingActions(context, spec),
  clusterSubscribers: (scene, spec) => pollingClusterSubscribers(scene, (context) => new PollingActions(context, spec)),
} as const satisfies TechniqueModule<'polling', PollingSpec, ResolvedPolling, PollingActions>;

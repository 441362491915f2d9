/** Server-Sent Events, as the registry sees it (core/technique.ts says what each part is for). */
import type { TechniqueModule } from '../../core/technique.ts';
import { SseActions } from './actions.ts';
import { SseClusterSubscribers } from './cluster-actions.ts';
import { resolveSse, SSE_CAPABILITIES, SSE_PROTOCOLS, type ResolvedSse } from './adapter.ts';
import type { SseSpec } from './contract.ts';
import { checkSse } from './validate.ts';

export const sse = {
  key: 'sse',
  tag: '@sse',
  title: 'Server-Sent Events',
  what: 'Server-Sent Events stream',
  validate: (ctx, { protocol, hasProtocol, allowFunctions }) => checkSse(ctx, protocol, hasProtocol, allowFunctions),
  protocols: SSE_PROTOCOLS,
  resolve: resolveSse,
  capabilities: SSE_CAPABILITIES,
  declaredTimes: (spec) => [spec.keepAliveMs, spec.retryMs],
  actions: (context, spec) => new SseActions(context, spec),
  clusterSubscribers: (scene, spec) => new SseClusterSubscribers(scene, spec),
} as const satisfies TechniqueModule<'sse', SseSpec, ResolvedSse, SseActions>;

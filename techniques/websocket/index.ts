/** WebSockets, as the registry sees it (core/technique.ts says what each part is for). */
import type { TechniqueModule } from '../../core/technique.ts';
import { WebSocketActions } from './actions.ts';
import { WebSocketClusterSubscribers } from './cluster-actions.ts';
import { resolveWebSocket, WEBSOCKET_CAPABILITIES, WEBSOCKET_PROTOCOLS, type ResolvedWebSocket } from './adapter.ts';
import type { WebSocketSpec } from './contract.ts';
import { checkWebSocket } from './validate.ts';

export const websocket = {
  key: 'websocket',
  tag: '@websocket',
  title: 'WebSockets',
  what: 'WebSocket endpoint',
  validate: (ctx, { protocol, hasProtocol, allowFunctions }) => checkWebSocket(ctx, protocol, hasProtocol, allowFunctions),
  protocols: WEBSOCKET_PROTOCOLS,
  resolve: resolveWebSocket,
  capabilities: WEBSOCKET_CAPABILITIES,
  declaredTimes: (spec) => [spec.pingIntervalMs],
  actions: (context, spec) => new WebSocketActions(context, spec),
  clusterSubscribers: (scene, spec) => new WebSocketClusterSubscribers(scene, spec),
} as const satisfies TechniqueModule<'websocket', WebSocketSpec, ResolvedWebSocket, WebSocketActions>;

/**
 * WebSockets' section of an adapter once resolved: its defaults, what the
 * `pushspec-reference` protocol implies, and the capability tags its
 * scenarios carry.
 */
import type { Protocol } from '../../core/technique.ts';
import type { WebSocketSpec } from './contract.ts';

/**
 * WebSocket endpoints with the fields that have a meaning whatever the server
 * does present (`messageFormat`, `clientPublishes`, `subprotocols`,
 * `allowedOrigins`). The rest stays optional: without `echoPath` the RFC 6455
 * protocol checks are unsupported, without `channelPath` the push checks, and
 * so on for `cursorParam`, `maxMessageBytes` and `pingIntervalMs`.
 */
export type ResolvedWebSocket = Required<Pick<WebSocketSpec, 'messageFormat' | 'clientPublishes' | 'subprotocols' | 'allowedOrigins'>> &
  Omit<WebSocketSpec, 'messageFormat' | 'clientPublishes' | 'subprotocols' | 'allowedOrigins'>;

/** WebSocket defaults that hold whatever the protocol: no endpoints (they have no sensible default). */
const WEBSOCKET_DEFAULTS: ResolvedWebSocket = {
  messageFormat: 'raw',
  clientPublishes: false,
  subprotocols: [],
  allowedOrigins: [],
};

/** What each protocol shorthand implies for WebSockets. */
export const WEBSOCKET_PROTOCOLS: Record<Protocol, ResolvedWebSocket> = {
  // No `allowedOrigins`: the reference server allows connections from any page unless configured otherwise.
  'pushspec-reference': {
    echoPath: '/echo',
    channelPath: '/channels/{channel}/ws',
    messageFormat: 'json',
    cursorParam: 'cursor',
    clientPublishes: true,
    subprotocols: ['pushspec.v1'],
    allowedOrigins: [],
    maxMessageBytes: 1024 * 1024,
    pingIntervalMs: 30_000,
    permessageDeflate: true,
  },
};

export function resolveWebSocket(given: WebSocketSpec | undefined, implied: ResolvedWebSocket | undefined): ResolvedWebSocket | undefined {
  if (given === undefined) return implied === undefined ? undefined : structuredClone(implied);
  const defined = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined));
  // A codec and a session function are code: kept as they are, the rest copied.
  const { codec, session, ...data } = { ...(implied ?? WEBSOCKET_DEFAULTS), ...defined } as ResolvedWebSocket;
  return { ...structuredClone(data), ...(codec ? { codec } : {}), ...(session ? { session } : {}) };
}

/** Each capability tag of a WebSocket scenario, and the field whose absence makes it unsupported. */
export const WEBSOCKET_CAPABILITIES = {
  '@echo': (w: ResolvedWebSocket) =>
    w.echoPath === undefined ? 'the adapter declares no WebSocket echo endpoint ("websocket.echoPath"), which the protocol checks talk to' : undefined,
  '@ws-channel': (w: ResolvedWebSocket) => (w.channelPath === undefined ? 'the adapter declares no WebSocket channel endpoint ("websocket.channelPath")' : undefined),
  '@client-publishes': (w: ResolvedWebSocket) =>
    w.clientPublishes ? undefined : 'the adapter does not declare that text a client sends is published ("websocket.clientPublishes")',
  '@ws-resume': (w: ResolvedWebSocket) =>
    w.cursorParam !== undefined && w.messageFormat === 'json'
      ? undefined
      : 'the adapter declares no cursor to resume a WebSocket channel with ("websocket.cursorParam", with "messageFormat": "json" to read ids)',
  '@origin-allow-list': (w: ResolvedWebSocket) => (w.allowedOrigins.length > 0 ? undefined : 'the adapter declares no Origin allow-list ("websocket.allowedOrigins")'),
  '@max-message': (w: ResolvedWebSocket) => (w.maxMessageBytes === undefined ? 'the adapter declares no maximum message size ("websocket.maxMessageBytes")' : undefined),
  '@deflate': (w: ResolvedWebSocket) => (w.permessageDeflate === true ? undefined : 'the adapter does not declare permessage-deflate on the echo endpoint ("websocket.permessageDeflate")'),
  '@ping-interval': (w: ResolvedWebSocket) => (w.pingIntervalMs === undefined ? 'the adapter declares no ping interval ("websocket.pingIntervalMs")' : undefined),
  '@upgrade': (w: ResolvedWebSocket) => (w.upgrade === undefined ? 'the adapter declares no upgrade from long-polling ("websocket.upgrade")' : undefined),
  '@http2': (w: ResolvedWebSocket) =>
    w.http2 === true ? undefined : 'the adapter does not declare WebSockets over HTTP/2 (RFC 8441) on the echo endpoint ("websocket.http2")',
};

/**
 * The adapter-contract types of every technique, for adapter authors: the
 * public entry points (`pushspec`, `pushspec/adapter`) re-export this file.
 * It imports only the techniques' contract.ts files, so the public types stay
 * small; test/types/ checks that its sections are exactly the registry's techniques.
 */
import type { LongPollingSpec } from './long-polling/contract.ts';
import type { PollingSpec } from './polling/contract.ts';
import type { SseSpec } from './sse/contract.ts';
import type { WebSocketSpec } from './websocket/contract.ts';

export type * from './polling/contract.ts';
export type * from './long-polling/contract.ts';
export type * from './sse/contract.ts';
export type * from './websocket/contract.ts';

/** One optional section per technique: a technique an adapter leaves out is reported as unsupported, never failed. */
export interface TechniqueSections {
  /** Ajax polling: a poll answered at once. */
  polling?: PollingSpec;
  /** HTTP long-polling: a poll the server holds until there is news ("hanging GET", RFC 6202 §2). */
  longPolling?: LongPollingSpec;
  /** Server-Sent Events (WHATWG HTML §9.2). */
  sse?: SseSpec;
  /** WebSockets (RFC 6455). */
  websocket?: WebSocketSpec;
}

/**
 * The adapter-contract types of every technique, for adapter authors: the
 * public entry points (`pushspec`, `pushspec/adapter`) re-export this file.
 */
export type * from './polling/contract.ts';
export type * from './long-polling/contract.ts';
export type * from './sse/contract.ts';
export type * from './websocket/contract.ts';

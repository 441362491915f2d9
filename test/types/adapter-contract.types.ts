/**
 * Type tests of the public adapter contract, checked by `npm run typecheck`
 * (tsc fails on an `@ts-expect-error` that no longer finds an error, so each
 * line below proves that mistake is a type error). Nothing here runs.
 */
import { defineAdapter, type AdapterDefinition, type DecodeFunction, type TechniqueSections } from '../../index.ts';
import type { Technique } from '../../techniques/registry.ts';

/** True when A and B are the same type. */
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assertTrue = <T extends true>(): T | undefined => undefined;

// The contract's sections are exactly the registry's techniques: neither can gain one alone.
assertTrue<Same<keyof TechniqueSections, Technique>>();

// Valid adapters, as the README shows them.
defineAdapter({ name: 'reference', baseUrl: 'http://127.0.0.1:8080', protocol: 'pushspec-reference' });
defineAdapter({
  name: 'custom',
  baseUrl: 'http://127.0.0.1:{port}',
  launch: { command: ['python3', 'server.py', '--port', '{port}'] },
  polling: { path: '/feed/{channel}', cursor: { in: 'validators' }, emptyStatus: 304, format: { type: 'text' } },
  async publish({ channel, data }, { baseUrl }) {
    await fetch(`${baseUrl}/feed/${channel}`, { method: 'PUT', body: data });
  },
});
const decode: DecodeFunction = (answer) => ({ kind: 'batch', messages: [{ data: answer.body }] });
const withDecoder: AdapterDefinition = { name: 'x', baseUrl: 'http://127.0.0.1:1', longPolling: { path: '/lp', format: decode }, publish: { url: '/p', body: '{data}' } };
void withDecoder;

// A misspelt section is an error, not a silently ignored field.
// @ts-expect-error 'pollign' does not exist in type 'AdapterDefinition'
defineAdapter({ name: 'x', baseUrl: 'http://127.0.0.1:1', protocol: 'pushspec-reference', pollign: {} });

// A misspelt field inside a section too.
// @ts-expect-error 'keepAlive' does not exist in type 'SseSpec'
defineAdapter({ name: 'x', baseUrl: 'http://127.0.0.1:1', protocol: 'pushspec-reference', sse: { keepAlive: 1000 } });

// A value outside the declared set.
// @ts-expect-error 201 is not an empty status
defineAdapter({ name: 'x', baseUrl: 'http://127.0.0.1:1', protocol: 'pushspec-reference', polling: { emptyStatus: 201 } });

// An unknown protocol.
// @ts-expect-error only 'pushspec-reference' is a protocol shorthand
defineAdapter({ name: 'x', baseUrl: 'http://127.0.0.1:1', protocol: 'socket.io' });

// The required fields.
// @ts-expect-error baseUrl is required
defineAdapter({ name: 'x', protocol: 'pushspec-reference' });

// A cursor transport needs its parameter.
// @ts-expect-error {in: 'query'} needs a param
defineAdapter({ name: 'x', baseUrl: 'http://127.0.0.1:1', protocol: 'pushspec-reference', polling: { cursor: { in: 'query' } } });

// A publish function returns a promise.
// @ts-expect-error publish must be async
defineAdapter({ name: 'x', baseUrl: 'http://127.0.0.1:1', protocol: 'pushspec-reference', publish: () => 'done' });

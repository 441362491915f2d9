/** Pure checks on what an EventSource client reported (WHATWG HTML §9.2 client side). */
import type { ClientReport } from '../../../clients/contract/reports.ts';
import { expectThat } from '../../../core/failure.ts';

/** The data of the event that ends every scripted stream's case bytes. */
export const END_MARKER = 'pushspec-end-of-case';

type Message = Extract<ClientReport, { type: 'message' }>;

const show = (messages: readonly Message[]): string =>
  messages.length === 0 ? 'no message' : messages.map((m) => `${JSON.stringify(m.data)}${m.event !== undefined && m.event !== 'message' ? ` (event ${JSON.stringify(m.event)})` : ''}`).join(', ');

/** The client saw the end marker, so it read all the case's bytes. */
export function checkReadToMarker(sawMarker: boolean, messages: readonly Message[]): void {
  expectThat(sawMarker, `the client to report every event, then the end marker event "${END_MARKER}"`, () => `it reported ${show(messages)} and no end marker within the deadline`);
}

/** The client dispatched exactly these messages' data, in this order. */
export function checkMessages(messages: readonly Message[], expected: readonly string[]): void {
  const got = messages.map((m) => m.data);
  expectThat(got.length === expected.length && got.every((d, i) => d === expected[i]), `the messages ${expected.map((d) => JSON.stringify(d)).join(', ') || '(none)'}, in this order`, () => show(messages));
}

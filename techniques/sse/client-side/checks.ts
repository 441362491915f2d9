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

/** The message with this data had this event type (a message the client did not report fails too). */
export function checkMessageType(messages: readonly Message[], data: string, type: string): void {
  const message = messages.find((m) => m.data === data);
  expectThat(message !== undefined && (message.event ?? 'message') === type, `the message ${JSON.stringify(data)} of the type ${JSON.stringify(type)}`, () =>
    message === undefined ? `no message ${JSON.stringify(data)}: ${show(messages)}` : `its type was ${JSON.stringify(message.event ?? 'message')}`,
  );
}

/** The messages' last event ids were these, in order (the client reports `lastEventId` with each message). */
export function checkLastEventIds(messages: readonly Message[], expected: readonly string[]): void {
  const got = messages.map((m) => m.lastEventId);
  expectThat(got.length === expected.length && got.every((id, i) => id === expected[i]), `messages whose last event ids are ${expected.map((id) => JSON.stringify(id)).join(', ')}`, () =>
    messages.length === 0 ? 'no message' : messages.map((m) => `${JSON.stringify(m.data)} with ${m.lastEventId === undefined ? 'no lastEventId reported' : `the last event id ${JSON.stringify(m.lastEventId)}`}`).join(', '),
  );
}

/** The message with this data did not carry this last event id (the id field that would have set it was to be ignored). */
export function checkLastEventIdNot(messages: readonly Message[], data: string, ignored: string): void {
  const message = messages.find((m) => m.data === data);
  expectThat(message !== undefined && message.lastEventId !== ignored, `the message ${JSON.stringify(data)}, its last event id not ${JSON.stringify(ignored)} (that id field is ignored)`, () =>
    message === undefined ? `no message ${JSON.stringify(data)}: ${show(messages)}` : `its last event id was ${JSON.stringify(message.lastEventId)}`,
  );
}

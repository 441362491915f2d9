/**
 * Judges a played case as Autobahn|Testsuite does (its `Case.onConnectionLost`):
 * the outcome of the events (OK, NON-STRICT, INFORMATIONAL or FAILED: the first
 * expected list that equals what was received) and the closing behaviour (OK,
 * WRONG CODE, UNCLEAN, FAILED BY CLIENT, or FAILED when the wrong endpoint
 * closed). Pure. How these become pushspec verdicts is in case-checks.ts.
 */
import { createHash } from 'node:crypto';
import type { AutobahnCase, CaseEvent, CaseRecord, ExpectedEvent } from './model.ts';

export type Behaviour = 'OK' | 'NON-STRICT' | 'INFORMATIONAL' | 'FAILED';
export type CloseBehaviour = 'OK' | 'WRONG CODE' | 'UNCLEAN' | 'FAILED BY CLIENT' | 'FAILED';

export interface Judgement {
  behaviour: Behaviour;
  close: CloseBehaviour;
  /** Autobahn's sentence for the close behaviour. */
  closeText: string;
}

/** Whether one received event is the expected one. */
export function eventMatches(got: CaseEvent, want: ExpectedEvent): boolean {
  if (got.kind !== want.kind) return false;
  if (want.kind === 'timeout') return got.kind === 'timeout' && got.tag === want.tag;
  if (want.kind === 'pong') return got.kind === 'pong' && got.payload.equals(want.payload);
  if (got.kind !== 'message' || got.type !== want.type) return false;
  if (want.data !== undefined) return got.data.equals(want.data);
  if (want.sha1 !== undefined) return got.data.length === (want.length ?? got.data.length) && createHash('sha1').update(got.data).digest('hex') === want.sha1;
  return want.length === undefined || got.data.length === want.length;
}

/**
 * Whether the received events are exactly the expected list, in order. (The
 * server's own pings are no events: see connection.ts.)
 */
export function listMatches(got: readonly CaseEvent[], want: readonly ExpectedEvent[]): boolean {
  return got.length === want.length && want.every((w, i) => eventMatches(got[i]!, w));
}

/**
 * The events a case's expected lists are compared with: all of them, or for a
 * messagesOnly case (category 9) only the messages. (A server's own pings are
 * no events at all: see connection.ts.)
 */
export function judgedEvents(c: AutobahnCase, events: readonly CaseEvent[]): readonly CaseEvent[] {
  return c.messagesOnly === true ? events.filter((e) => e.kind === 'message') : events;
}

/** The outcome of the events alone. */
export function behaviourOf(c: AutobahnCase, received: readonly CaseEvent[]): Behaviour {
  if (c.informational === true) return 'INFORMATIONAL';
  const events = judgedEvents(c, received);
  if (c.expected.ok.some((list) => listMatches(events, list))) return 'OK';
  if ((c.expected.nonStrict ?? []).some((list) => listMatches(events, list))) return 'NON-STRICT';
  return 'FAILED';
}

/** Autobahn's verdict on the case, both columns. */
export function judgeCase(c: AutobahnCase, record: CaseRecord): Judgement {
  let behaviour = behaviourOf(c, record.events);
  if (record.status !== 101) return { behaviour: 'FAILED', close: 'FAILED', closeText: 'The WebSocket opening handshake was never completed!' };
  const want = c.close;
  let close: CloseBehaviour;
  let closeText: string;
  if (want.closedByClient !== record.closedByClient) {
    close = 'FAILED';
    closeText = 'The connection was failed by the wrong endpoint';
  } else if (want.requireClean && !record.clean) {
    close = 'UNCLEAN';
    closeText = 'The spec requires the connection to be failed cleanly here';
  } else if (record.serverCode !== undefined && !want.codes.includes(record.serverCode)) {
    close = 'WRONG CODE';
    closeText = `The close code should have been ${want.codes.join(',')} or empty`;
  } else if (record.droppedByClient) {
    close = 'FAILED BY CLIENT';
    closeText = 'It is preferred that the server close the TCP connection';
  } else {
    close = 'OK';
    closeText = 'Connection was properly closed';
  }
  if (want.wrongEndpointIsFatal === true && want.closedByClient !== record.closedByClient && behaviour !== 'INFORMATIONAL') behaviour = 'FAILED';
  return { behaviour, close, closeText };
}

/** An event in words: `text message of 11 bytes "Hello"`, `pong of 4 bytes`, `timeout A`. */
export function describeEvent(e: CaseEvent | ExpectedEvent): string {
  if (e.kind === 'timeout') return `pause ${e.tag} ended with the connection open`;
  if (e.kind === 'pong') return `${e.kind} of ${e.payload.length} bytes`;
  const length = 'length' in e && e.length !== undefined ? e.length : e.data?.length;
  const shown = e.data !== undefined && e.data.length <= 24 ? ` ${JSON.stringify(e.type === 'text' ? e.data.toString('utf8') : e.data.toString('hex'))}` : '';
  const hash = 'sha1' in e && e.sha1 !== undefined ? ', SHA-1 as sent' : '';
  return `${e.type} message of ${length ?? '?'} bytes${shown}${hash}`;
}

/** A list of events in words, shortened past `max`. */
export function describeEvents(events: readonly (CaseEvent | ExpectedEvent)[], max = 6): string {
  if (events.length === 0) return 'nothing';
  const shown = events.slice(0, max).map(describeEvent);
  return events.length > max ? `${shown.join(', ')}, … ${events.length - max} more` : shown.join(', ');
}

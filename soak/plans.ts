/**
 * What the soak does on each technique an adapter declares: how its
 * subscribers are made, and whether (and how) they can resume after a cut.
 * A technique whose subscribers cannot resume is still soaked, uncut: a cut
 * would lose messages by design, not by the server's fault.
 */
import type { ResolvedAdapter } from '../adapters/contract/resolve.ts';
import { fillPlaceholders } from '../core/placeholders.ts';
import type { Transcript } from '../core/transcript.ts';
import { tlsClientOptions } from '../core/tls.ts';
import { longPollingEndpoint } from '../techniques/long-polling/actions.ts';
import { holdSlackMs } from '../techniques/long-polling/checks.ts';
import { pollingEndpoint } from '../techniques/polling/poll-endpoint.ts';
import { HEAD_DEADLINE_MS } from '../techniques/sse/deadlines.ts';
import { PollSubscriber } from './poll-subscriber.ts';
import { SseSubscriber } from './sse-subscriber.ts';
import type { Subscriber } from './subscriber.ts';
import { WsSubscriber } from './ws-subscriber.ts';

/** The techniques the soak knows, in report order. */
export type SoakTechnique = 'polling' | 'longPolling' | 'sse' | 'websocket';

export interface TechniquePlan {
  technique: SoakTechnique;
  /** How a cut subscriber resumes (`cursor query parameter "cursor"`), or why it is not cut. */
  resume: { how: string } | { notCut: string };
  /** The most a message may take to arrive once published (the drain at the end waits this long at most). */
  drainMs: number;
  subscriber(name: string, channel: string, transcript: Transcript): Subscriber;
  /** Why the technique is left out, when it cannot be soaked (the adapter needs a session function, say). */
  skipped?: string;
}

/** Between two Ajax polls. */
export const POLL_INTERVAL_MS = 100;
/** A request answered at once must be answered within this. */
const ANSWER_DEADLINE_MS = 5000;
/** Before reopening a stream or socket the server ended or refused. */
const RECONNECT_DELAY_MS = 100;

function endpointUrl(baseUrl: string, path: string, channel: string): string {
  return new URL(fillPlaceholders(path, { channel: encodeURIComponent(channel) }), baseUrl).href;
}

const SESSION_SKIP = 'its clients need a session function, which the soak does not open yet';

/** The plans for every technique the adapter declares. */
export function soakPlans(adapter: ResolvedAdapter): TechniquePlan[] {
  const plans: TechniquePlan[] = [];
  const { baseUrl } = adapter;
  // What the adapter's tls.ca trusts, for an https:// or wss:// server; nothing to add otherwise.
  const tls = adapter.tls === undefined ? {} : { tls: tlsClientOptions(adapter.tls) };
  if (adapter.polling !== undefined) {
    const spec = adapter.polling;
    const endpoint = pollingEndpoint(spec);
    plans.push({
      technique: 'polling',
      resume: spec.cursor.in === 'none' ? { notCut: 'the server keeps no cursor (polling.cursor.in "none")' } : { how: spec.cursor.in === 'query' ? `cursor query parameter "${spec.cursor.param}"` : 'validators (If-None-Match / If-Modified-Since)' },
      drainMs: ANSWER_DEADLINE_MS,
      subscriber: (name, channel, transcript) => new PollSubscriber(name, { endpoint, target: { baseUrl, channel, ...tls }, transcript, intervalMs: POLL_INTERVAL_MS, deadlineMs: ANSWER_DEADLINE_MS }),
      ...(spec.session !== undefined ? { skipped: SESSION_SKIP } : {}),
    });
  }
  if (adapter.longPolling !== undefined) {
    const spec = adapter.longPolling;
    const endpoint = longPollingEndpoint(spec);
    const holdMs = Math.max(spec.holdMs, spec.maxHoldMs);
    plans.push({
      technique: 'longPolling',
      resume: spec.cursor.in === 'none' ? { notCut: 'the server keeps no cursor (longPolling.cursor.in "none")' } : { how: spec.cursor.in === 'query' ? `cursor query parameter "${spec.cursor.param}"` : 'validators (If-None-Match / If-Modified-Since)' },
      drainMs: holdMs + ANSWER_DEADLINE_MS,
      subscriber: (name, channel, transcript) =>
        new PollSubscriber(name, {
          endpoint,
          target: { baseUrl, channel, ...tls },
          transcript,
          ...(spec.waitParam !== undefined ? { waitMs: spec.holdMs } : {}),
          intervalMs: 0,
          deadlineMs: holdMs + holdSlackMs(spec.maxHoldMs) + ANSWER_DEADLINE_MS,
        }),
      ...(spec.session !== undefined ? { skipped: SESSION_SKIP } : {}),
    });
  }
  if (adapter.sse !== undefined) {
    const spec = adapter.sse;
    const skipped = spec.session !== undefined || spec.decode !== undefined ? 'its stream needs a session or decode function, which the soak does not use yet' : undefined;
    plans.push({
      technique: 'sse',
      resume: spec.replay ? { how: 'Last-Event-ID' } : { notCut: 'the server does not replay after a Last-Event-ID (sse.replay)' },
      drainMs: ANSWER_DEADLINE_MS,
      subscriber: (name, channel, transcript) =>
        new SseSubscriber(name, {
          url: endpointUrl(baseUrl, spec.path, channel),
          headers: spec.requestHeaders,
          transcript,
          // A decoder's stream is skipped above; its events would be read raw.
          dataEncoding: spec.dataEncoding === 'json' ? 'json' : 'raw',
          headDeadlineMs: HEAD_DEADLINE_MS,
          reconnectDelayMs: Math.min(spec.retryMs ?? RECONNECT_DELAY_MS, 1000),
          ...tls,
        }),
      ...(skipped !== undefined ? { skipped } : {}),
    });
  }
  if (adapter.websocket?.channelPath !== undefined) {
    const spec = adapter.websocket;
    const channelPath = spec.channelPath!;
    const canResume = spec.cursorParam !== undefined && (spec.messageFormat === 'json' || spec.codec !== undefined);
    plans.push({
      technique: 'websocket',
      resume: canResume ? { how: `cursor query parameter "${spec.cursorParam}"` } : { notCut: 'the adapter declares no resume cursor (websocket.cursorParam) with message ids' },
      drainMs: ANSWER_DEADLINE_MS,
      subscriber: (name, channel, transcript) =>
        new WsSubscriber(name, {
          url: endpointUrl(baseUrl, channelPath, channel),
          transcript,
          messageFormat: spec.messageFormat,
          ...(spec.codec !== undefined ? { codec: spec.codec } : {}),
          ...(canResume ? { cursorParam: spec.cursorParam! } : {}),
          deadlineMs: ANSWER_DEADLINE_MS,
          reconnectDelayMs: RECONNECT_DELAY_MS,
          ...tls,
        }),
      ...(spec.session !== undefined || spec.upgrade !== undefined ? { skipped: 'its channel needs a session function, which the soak does not open yet' } : {}),
    });
  }
  return plans;
}

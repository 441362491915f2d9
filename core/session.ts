/**
 * Sessions: what protocols such as engine.io, Socket.IO and SockJS need before
 * a client's first poll, stream or socket. A module adapter's `session`
 * function opens one per client (a handshake request, or an id the client
 * makes up) and returns the values later requests carry: `{name}` values for
 * path and query templates (`{session}`), extra query parameters and headers.
 * A session token is not a cursor: it names the client, not a position.
 *
 * The function gets a `request` that goes through pushspec's recorded HTTP
 * client, so the handshake shows in the case page's transcript like any other
 * exchange.
 */
import type { Dispatcher } from 'undici';
import { sendRecorded } from './http.ts';
import { fillPlaceholders } from './placeholders.ts';
import type { Transcript } from './transcript.ts';

/** A request the harness sends for an adapter: a handshake, or a reply to a heartbeat. */
export interface SessionRequest {
  /** Default `POST` for a reply, `GET` for a handshake. */
  method?: 'GET' | 'POST';
  /** Path relative to `baseUrl` (or absolute URL); `{channel}` and the session's values are filled in. Default: the endpoint's own path. */
  path?: string;
  /** Query parameters added to the URL; values may use the same placeholders. */
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string;
}

/** The answer to a {@link SessionRequest}. */
export interface SessionAnswer {
  status: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: string;
}

/** What later requests of the client carry. */
export interface SessionValues {
  /** Values of `{name}` placeholders in the technique's paths and query, e.g. `{ session: 'abc' }`. */
  values?: Record<string, string>;
  /** Query parameters every request of the session adds, e.g. `{ sid: 'abc' }`. */
  query?: Record<string, string>;
  /** Headers every request of the session adds. */
  headers?: Record<string, string>;
}

/** What a session function is given. */
export interface SessionContext {
  baseUrl: string;
  channel: string;
  /** The scenario's name for the client (`client`, `alice`), unique within the scenario. */
  client: string;
  /** Sends a request, recorded in the transcript, answered within the scenario's answer deadline. */
  request: (request: SessionRequest) => Promise<SessionAnswer>;
}

/** Opens a session for one client: a module adapter's function. Throwing fails the scenario's step with its message. */
export type SessionFunction = (context: SessionContext) => Promise<SessionValues> | SessionValues;

/**
 * `path` (or an absolute URL) resolved against `baseUrl` as every endpoint is,
 * its placeholders filled with `values` (URI-encoded), then `query` set.
 */
export function sessionUrl(baseUrl: string, path: string, values: Record<string, string>, query: Record<string, string> = {}): URL {
  const encoded = Object.fromEntries(Object.entries(values).map(([name, value]) => [name, encodeURIComponent(value)]));
  const url = new URL(fillPlaceholders(path, encoded), baseUrl);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, fillPlaceholders(value, values));
  return url;
}

/** Where and how a session's requests go. */
export interface SessionTarget {
  baseUrl: string;
  channel: string;
  /** The endpoint's path template: the default path of a reply. */
  defaultPath: string;
  transcript: Transcript;
  dispatcher: Dispatcher;
  actor: string;
  deadlineMs: number;
}

/** An opened session, able to send the adapter's requests on it. */
export class Session {
  readonly values: Record<string, string>;
  readonly query: Record<string, string>;
  readonly headers: Record<string, string>;
  private readonly target: SessionTarget;

  private constructor(target: SessionTarget, opened: SessionValues) {
    this.target = target;
    this.values = { channel: target.channel, ...opened.values };
    this.query = opened.query ?? {};
    this.headers = opened.headers ?? {};
  }

  /** No session function: requests carry only the channel. */
  static none(target: SessionTarget): Session {
    return new Session(target, {});
  }

  /** Runs the adapter's session function for `client`. */
  static async open(target: SessionTarget, open: SessionFunction, client: string): Promise<Session> {
    const bare = Session.none(target);
    const opened = await open({ baseUrl: target.baseUrl, channel: target.channel, client, request: (r) => bare.send(r, 'GET') });
    return new Session(target, opened ?? {});
  }

  /**
   * `path` (default: the endpoint's) as a URL with the channel, the session's
   * values and `extraQuery`; the session's query adds what the path does not
   * already set (an upgrade path's `transport=websocket` wins over the session's `transport=polling`).
   */
  url(path = this.target.defaultPath, extraQuery: Record<string, string> = {}): URL {
    const url = sessionUrl(this.target.baseUrl, path, this.values, extraQuery);
    for (const [name, value] of Object.entries(this.query)) if (!url.searchParams.has(name)) url.searchParams.set(name, fillPlaceholders(value, this.values));
    return url;
  }

  /** The session's values and query together: what another transport of the same session is told (an upgrade). */
  get all(): Record<string, string> {
    return { ...this.query, ...this.values };
  }

  /** Sends one of the adapter's requests on the session, recorded. */
  async send(request: SessionRequest, defaultMethod: 'GET' | 'POST' = 'POST'): Promise<SessionAnswer> {
    const url = this.url(request.path, request.query);
    const answer = await sendRecorded(this.target.dispatcher, this.target.transcript, {
      actor: this.target.actor,
      method: request.method ?? defaultMethod,
      url: url.href,
      headers: { ...this.headers, ...request.headers },
      ...(request.body !== undefined ? { body: request.body } : {}),
      deadlineMs: this.target.deadlineMs,
    });
    return { status: answer.status, headers: answer.headers, body: answer.body };
  }
}

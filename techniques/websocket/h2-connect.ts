/**
 * The opening of a WebSocket over HTTP/2 (RFC 8441), from the client's side:
 * an HTTP/2 connection (h2c with prior knowledge over `http://`, ALPN h2 over
 * `https://`), the server's SETTINGS read for SETTINGS_ENABLE_CONNECT_PROTOCOL,
 * then an extended CONNECT (`:method CONNECT`, `:protocol websocket`). node:http2
 * does the HTTP/2 part: it implements the extended CONNECT and refuses to send
 * one before the server allowed it, as RFC 8441 §3 wants of a client. The
 * frames on the stream are the raw client's (RawWebSocket.onOpenedStream), so
 * what the server sends is read as strictly as over HTTP/1.1.
 */
import { connect, type ClientHttp2Session, type ClientHttp2Stream, type IncomingHttpHeaders } from 'node:http2';
import type { ConnectionOptions } from 'node:tls';
import type { Transcript } from '../../core/transcript.ts';
import { Signal, waitUntil } from '../../core/wait.ts';

/** Who pushspec's side of an RFC 8441 exchange is, in the transcript. */
export const H2_ACTOR = 'client (HTTP/2)';

function headerRecord(headers: IncomingHttpHeaders): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : String(value)]));
}

/** An extended CONNECT as far as it went (see {@link openExtendedConnect}). */
export interface ExtendedConnect {
  session: ClientHttp2Session;
  /** SETTINGS_ENABLE_CONNECT_PROTOCOL in the server's first SETTINGS; undefined when no SETTINGS came. */
  enableConnectProtocol: boolean | undefined;
  /** The stream, once the CONNECT was sent. */
  stream?: ClientHttp2Stream;
  status?: number;
  responseHeaders?: Record<string, string>;
  /** Why it stopped before a 2xx answer, in words. */
  stopped?: string;
}

/**
 * Opens an HTTP/2 connection to `url` (h2c for `http:`/`ws:`, ALPN h2 for `https:`/`wss:`), waits for the server's
 * SETTINGS and, if they allow it, sends an extended CONNECT (`:protocol websocket`, `sec-websocket-version: 13`, and
 * `headers`) and waits for its answer. Each step is noted in `transcript`. On anything short of a 2xx answer the
 * session is destroyed; otherwise the caller owns it (destroying the stream's session when done).
 */
export async function openExtendedConnect(options: { url: string; tls: ConnectionOptions; transcript: Transcript; deadlineMs: number; headers?: Record<string, string>; actor?: string }): Promise<ExtendedConnect> {
  const { transcript, deadlineMs } = options;
  const actor = options.actor ?? H2_ACTOR;
  const target = new URL(options.url.replace(/^ws/, 'http'));
  const changes = new Signal();
  const session: ClientHttp2Session = connect(target.origin, { ...(target.protocol === 'https:' ? options.tls : {}), ALPNProtocols: ['h2'] });
  const result: ExtendedConnect = { session, enableConnectProtocol: undefined };
  let failure: string | undefined;
  session.on('error', (error) => {
    failure ??= `the HTTP/2 connection failed: ${error.message}`;
    changes.notify();
  });
  session.on('close', () => changes.notify());
  session.once('remoteSettings', (settings) => {
    result.enableConnectProtocol = settings.enableConnectProtocol === true;
    transcript.note(`${actor}: the server's SETTINGS: ${JSON.stringify(settings)}`);
    changes.notify();
  });
  const wait = (done: () => boolean, what: string): Promise<boolean> =>
    waitUntil(() => done() || failure !== undefined || session.closed, { what, deadlineMs, seen: () => failure ?? 'nothing yet', signal: changes }).then(
      () => done(),
      () => false,
    );
  const stop = (why: string): ExtendedConnect => {
    result.stopped = why;
    session.destroy();
    return result;
  };
  if (!(await wait(() => result.enableConnectProtocol !== undefined, "the server's SETTINGS"))) return stop(failure ?? `no SETTINGS from the server within ${deadlineMs} ms`);
  if (result.enableConnectProtocol !== true) return stop('the server did not allow the extended CONNECT (no SETTINGS_ENABLE_CONNECT_PROTOCOL = 1), so a client may not send one (RFC 8441 §3)');
  const lower = Object.fromEntries(Object.entries(options.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
  const requestHeaders = { ':method': 'CONNECT', ':protocol': 'websocket', ':scheme': target.protocol.slice(0, -1), ':path': `${target.pathname}${target.search}`, ':authority': target.host, 'sec-websocket-version': '13', ...lower };
  transcript.note(`${actor}: extended CONNECT ${JSON.stringify(requestHeaders)}`);
  const stream = session.request(requestHeaders, { endStream: false });
  result.stream = stream;
  stream.on('response', (headers) => {
    result.status = Number(headers[':status']);
    result.responseHeaders = headerRecord(headers);
    transcript.note(`${actor}: the answer: ${JSON.stringify(result.responseHeaders)}`);
    changes.notify();
  });
  stream.on('close', () => {
    if (result.status === undefined && stream.rstCode !== undefined && stream.rstCode !== 0) failure ??= `the stream was reset (RST_STREAM, error code ${stream.rstCode})`;
    changes.notify();
  });
  stream.on('error', (error) => {
    failure ??= `the stream failed: ${error.message}`;
    changes.notify();
  });
  if (!(await wait(() => result.status !== undefined, 'the answer to the extended CONNECT'))) return stop(failure ?? `no answer to the extended CONNECT within ${deadlineMs} ms`);
  if (result.status! < 200 || result.status! > 299) return stop(`the extended CONNECT was answered ${result.status}`);
  // The stream ends the session with it: one WebSocket, one connection, as over HTTP/1.1.
  stream.on('close', () => session.close());
  return result;
}

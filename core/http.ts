/**
 * One HTTP request through undici, recorded in the scenario's transcript
 * (start line, headers, body, timing) and bounded by a deadline.
 */
import type { Dispatcher } from 'undici';
import { ConformanceFailure } from './failure.ts';
import { missedDeadline } from './wait.ts';
import { capName, readBudget, readCapBytes, sizeName } from './read-cap.ts';
import { previewBody, type Transcript } from './transcript.ts';
import type { HttpExchange } from './evidence.ts';

/** Keeps a leading U+FEFF: a message may begin with one (`*-DATA-INTACT`). */
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

export interface HttpRequestSpec {
  /** Who sends it, for the transcript: `client alice`, `publisher`. */
  actor: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'OPTIONS';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  /** The whole exchange, body included, must end within this many milliseconds. */
  deadlineMs: number;
  /** Aborting it is the client walking away on purpose (not a failure of the server). */
  signal?: AbortSignal;
  /** The most bytes of the body pushspec reads; default pushspec's read cap (core/read-cap.ts). */
  maxBodyBytes?: number;
  /** Set on the one retry of a GET that undici dropped on a graceful GOAWAY (see sendRecorded). */
  retriedAfterGoaway?: boolean;
}

/** undici's error for a request it dropped because the server sent GOAWAY with NO_ERROR (code 0). */
export function droppedByGracefulGoaway(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === 'UND_ERR_SOCKET' && typeof message === 'string' && /"GOAWAY" frame received with code 0$/.test(message);
}

/** Why a capped read stopped: its own cap, or the budget all reads at once share. */
export type CapHit = { cap: number; shared: boolean };

/** Chunks shorter than this are joined into one before they are kept (see readCapped). */
const SMALL_CHUNK_BYTES = 4096;

/**
 * Reads `body` whole, or stops reading (and destroys it) once it is longer
 * than `max` bytes, or once the bodies being read at once would hold more
 * than their shared budget (core/read-cap.ts): 500 polls of an endless body
 * cannot hold 500 caps.
 */
export async function readCapped(body: AsyncIterable<Buffer> & { destroy(): unknown }, max: number): Promise<Buffer | CapHit> {
  const chunks: Buffer[] = [];
  // Tiny chunks (a body written a byte at a time) are joined as they come: a Buffer costs
  // about a hundred bytes of its own, so a million 1-byte chunks would hold 100 MB for 1 MB.
  let small: Buffer[] = [];
  let smallBytes = 0;
  let size = 0;
  try {
    for await (const chunk of body) {
      size += chunk.length;
      if (size > max) {
        body.destroy();
        return { cap: max, shared: false };
      }
      if (!readBudget.take(chunk.length)) {
        size -= chunk.length;
        body.destroy();
        return { cap: readBudget.limit, shared: true };
      }
      small.push(chunk);
      smallBytes += chunk.length;
      if (chunk.length >= SMALL_CHUNK_BYTES || smallBytes >= SMALL_CHUNK_BYTES) {
        chunks.push(small.length === 1 ? small[0]! : Buffer.concat(small, smallBytes));
        small = [];
        smallBytes = 0;
      }
    }
    return Buffer.concat([...chunks, ...small]);
  } finally {
    readBudget.release(size);
  }
}

export interface HttpAnswer {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: string;
  /** Milliseconds since the scenario started. */
  startedAtMs: number;
  endedAtMs: number;
  /** The transcript's record of it, when the transcript kept it (to annotate). */
  exchange?: HttpExchange;
}

/** The scenario walked away from a request on purpose. */
export class ClientAbort extends Error {
  override name = 'ClientAbort';
}

/** `CODE: message`: how a failed request is named in an Actual line. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return `${(error as NodeJS.ErrnoException).code ?? error.name}: ${error.message}`;
}

/** The failure of a request that got no usable answer: the requirement that needed one did not hold. */
export function httpRequestFailed(expected: string, actual: string): ConformanceFailure {
  return new ConformanceFailure(expected, actual);
}

/** Flattens undici's header record into one string per lower-case name. */
export function flattenHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/**
 * Sends the request and reads the whole body. A request without a complete
 * answer before the deadline, or a broken connection, is a {@link ConformanceFailure}:
 * whatever requirement needed that answer did not hold.
 */
export async function sendRecorded(dispatcher: Dispatcher, transcript: Transcript, spec: HttpRequestSpec): Promise<HttpAnswer> {
  const url = new URL(spec.url);
  const exchange: HttpExchange = {
    actor: spec.actor,
    method: spec.method,
    url: url.pathname + url.search,
    requestHeaders: { host: url.host, ...spec.headers },
    ...(spec.body !== undefined ? { requestBody: previewBody(spec.body) } : {}),
    startedAtMs: transcript.now(),
  };
  const kept = transcript.record(exchange);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), spec.deadlineMs);
  const byClient = (): void => controller.abort();
  spec.signal?.addEventListener('abort', byClient, { once: true });
  try {
    const response = await dispatcher.request({
      origin: url.origin,
      path: url.pathname + url.search,
      method: spec.method,
      ...(spec.headers ? { headers: spec.headers } : {}),
      ...(spec.body !== undefined ? { body: spec.body } : {}),
      signal: controller.signal,
    });
    const max = spec.maxBodyBytes ?? readCapBytes();
    const bytes = await readCapped(response.body, max);
    if (!Buffer.isBuffer(bytes)) {
      exchange.status = response.statusCode;
      exchange.endedAtMs = transcript.now();
      const why = bytes.shared
        ? `the bodies pushspec was reading at once passed ${sizeName(bytes.cap)} (four times ${capName()})`
        : `a body longer than ${capName(bytes.cap)}`;
      exchange.error = `${why}; pushspec stopped reading`;
      throw httpRequestFailed(`a complete answer to ${spec.method} ${exchange.url}`, `status ${response.statusCode}, then ${why}; pushspec stopped reading`);
    }
    // Not body.text(): it drops a leading byte order mark (WHATWG "UTF-8 decode"), which is data here.
    const body = utf8.decode(bytes);
    const answer: HttpAnswer = {
      status: response.statusCode,
      headers: flattenHeaders(response.headers),
      body,
      startedAtMs: exchange.startedAtMs,
      endedAtMs: transcript.now(),
      ...(kept ? { exchange: kept } : {}),
    };
    Object.assign(exchange, {
      status: answer.status,
      responseHeaders: answer.headers,
      responseBody: previewBody(body),
      responseBytes: Buffer.byteLength(body),
      endedAtMs: answer.endedAtMs,
    });
    return answer;
  } catch (error) {
    if (error instanceof ConformanceFailure) throw error; // already says what went wrong (the body cap)
    exchange.endedAtMs = transcript.now();
    const what = `${spec.method} ${exchange.url}`;
    if (spec.signal?.aborted === true) {
      exchange.error = `aborted by the client after ${Math.round(exchange.endedAtMs - exchange.startedAtMs)} ms`;
      throw new ClientAbort(exchange.error);
    }
    if (controller.signal.aborted) {
      exchange.error = `no complete answer within ${spec.deadlineMs} ms; request abandoned`;
      throw missedDeadline(`an answer to ${what}`, spec.deadlineMs, `no complete answer after ${spec.deadlineMs} ms`);
    }
    const reason = describeError(error);
    exchange.error = reason;
    if (droppedByGracefulGoaway(error) && spec.method === 'GET' && spec.body === undefined && spec.retriedAfterGoaway !== true) {
      // RFC 9113 §6.8: a server that sends GOAWAY with NO_ERROR still answers the streams up to its last stream id, and
      // nginx does so after `keepalive_requests`; undici 7 drops a request in flight all the same (nodejs/undici#5089).
      // A GET may be sent again (RFC 9110 §9.2.2): once, on a new connection, so the server is not blamed for the client.
      transcript.note(`${spec.actor}: the server closed the HTTP/2 connection gracefully (GOAWAY, NO_ERROR) while ${what} was in flight; undici drops such a request, so it is sent again on a new connection`);
      return sendRecorded(dispatcher, transcript, { ...spec, retriedAfterGoaway: true });
    }
    throw httpRequestFailed(`an HTTP answer to ${what}`, `the request failed (${reason})`);
  } finally {
    clearTimeout(timer);
    spec.signal?.removeEventListener('abort', byClient);
  }
}

/**
 * The HTTP side of the raw WebSocket client's opening handshake: the request it
 * writes by hand (so a scenario can leave out or bend any header), the reading of
 * the server's response head, the short body of a refusal, and the handshake's
 * {@link HttpExchange} in the transcript. Nothing here touches a socket: the
 * connection in `ws-raw.ts` feeds bytes in and decides when to give up.
 */
import { previewBody, type Transcript } from '../../core/transcript.ts';
import type { HttpExchange } from '../../core/evidence.ts';
import { randomKey } from './frame.ts';

/** Response heads longer than this are a failure, not something to buffer. */
export const MAX_HEAD_BYTES = 16 * 1024;
/** A non-101 answer's body is read up to this many bytes. */
export const MAX_BODY_BYTES = 64 * 1024;

/** What shapes the handshake request; part of `RawConnectOptions`. */
export interface HandshakeRequestOptions {
  /** `ws://` or `http://`. */
  url: string;
  /** The connection's name in the transcript: `client alice`. */
  actor: string;
  /** Default GET. */
  method?: string;
  /** Sec-WebSocket-Key; null omits the header; default a random valid key. */
  key?: string | null;
  /** Sec-WebSocket-Version; default '13'; null omits the header. */
  version?: string | null;
  protocols?: string[];
  origin?: string;
  /** Extra headers, or overriding ones (matched without regard to case). */
  headers?: Record<string, string>;
}

/** A handshake request ready to write, with where to send it. */
export interface HandshakeRequest {
  host: string;
  /** wss:// or https://: the connection speaks TLS. */
  secure: boolean;
  port: number;
  method: string;
  /** Path and query, as written on the request line. */
  path: string;
  /** The Sec-WebSocket-Key sent, or null when the header was left out. */
  key: string | null;
  /** Header lines in the order written, with the caller's spelling of overridden names. */
  headers: Array<[string, string]>;
  /** The whole request, head and blank line, as written to the socket. */
  text: string;
}

/**
 * Builds the handshake request. Headers are kept as ordered pairs rather than a map
 * so an override keeps the default's position and takes the caller's spelling:
 * a scenario testing header handling sees exactly the bytes it asked for.
 * Throws a TypeError for a scheme other than ws:, wss:, http: or https:.
 */
export function buildHandshakeRequest(options: HandshakeRequestOptions): HandshakeRequest {
  const url = new URL(options.url);
  if (!['ws:', 'http:', 'wss:', 'https:'].includes(url.protocol)) throw new TypeError(`RawWebSocket speaks ws://, wss://, http:// and https:// only, not ${url.protocol}`);
  const secure = url.protocol === 'wss:' || url.protocol === 'https:';
  const port = url.port === '' ? (secure ? 443 : 80) : Number(url.port);
  // net.connect wants a bare IPv6 address, while URL keeps the brackets.
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const method = options.method ?? 'GET';
  const path = url.pathname + url.search;
  const key = options.key === undefined ? randomKey() : options.key;
  const version = options.version === undefined ? '13' : options.version;

  const headers: Array<[string, string]> = [
    ['Host', url.host],
    ['Upgrade', 'websocket'],
    ['Connection', 'Upgrade'],
  ];
  if (key !== null) headers.push(['Sec-WebSocket-Key', key]);
  if (version !== null) headers.push(['Sec-WebSocket-Version', version]);
  if (options.protocols && options.protocols.length > 0) headers.push(['Sec-WebSocket-Protocol', options.protocols.join(', ')]);
  if (options.origin !== undefined) headers.push(['Origin', options.origin]);
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    const at = headers.findIndex(([n]) => n.toLowerCase() === name.toLowerCase());
    if (at >= 0) headers[at] = [name, value];
    else headers.push([name, value]);
  }
  const text = `${method} ${path} HTTP/1.1\r\n${headers.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n`;
  return { host, secure, port, method, path, key, headers, text };
}

/**
 * Starts the handshake's record before the connection opens, so a refused or
 * timed-out connection still shows in the transcript. Returns the exchange to
 * complete later and the transcript's kept copy (undefined past the transcript's cap).
 */
export function openExchange(transcript: Transcript, actor: string, request: HandshakeRequest): { exchange: HttpExchange; kept: HttpExchange | undefined } {
  const exchange: HttpExchange = {
    actor,
    method: request.method,
    url: request.path,
    requestHeaders: Object.fromEntries(request.headers),
    startedAtMs: transcript.now(),
  };
  return { exchange, kept: transcript.record(exchange) };
}

/** What the server answered, as far as the exchange records it. */
export interface HandshakeAnswer {
  status: number;
  headers: Record<string, string>;
  /** The refusal's body and its byte count; absent for a 101, whose body is frames. */
  body?: { text: string; bytes: number };
}

/** Completes the exchange with the server's answer. */
export function completeExchange(exchange: HttpExchange, transcript: Transcript, answer: HandshakeAnswer): void {
  Object.assign(exchange, {
    status: answer.status,
    responseHeaders: answer.headers,
    ...(answer.body ? { responseBody: previewBody(answer.body.text), responseBytes: answer.body.bytes } : {}),
    endedAtMs: transcript.now(),
    ...(answer.status === 101 ? { annotation: 'upgraded to WebSocket' } : {}),
  });
}

/** Completes the exchange with why no answer came. */
export function failExchange(exchange: HttpExchange, transcript: Transcript, error: string): void {
  exchange.endedAtMs = transcript.now();
  exchange.error = error;
}

/** A connection error as the transcript shows it: `ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9`. */
export function describeError(error: unknown): string {
  return error instanceof Error ? `${(error as NodeJS.ErrnoException).code ?? error.name}: ${error.message}` : String(error);
}

/** A parsed response head and the bytes that came after it in the same reads. */
export interface ResponseHead {
  status: number;
  statusText: string;
  /** Lower-case names, repeated ones joined with ", ". */
  headers: Record<string, string>;
  /** Bytes past the blank line: the start of the body, or frames sent along with a 101. */
  rest: Buffer;
}

/**
 * Parses the response head from everything received so far. Returns undefined while
 * the blank line has not come, `{ problem }` when it never usefully will (the head is
 * too long or the status line is not HTTP), and the head once it is complete.
 */
export function parseResponseHead(received: Buffer): ResponseHead | { problem: string } | undefined {
  const end = received.indexOf('\r\n\r\n');
  if (end < 0) return received.length > MAX_HEAD_BYTES ? { problem: `a response head over ${MAX_HEAD_BYTES} bytes with no blank line` } : undefined;
  // latin1 maps every byte to one character, so odd bytes in a header cannot break the parse.
  const headText = received.subarray(0, end).toString('latin1');
  const [statusLine = '', ...headerLines] = headText.split('\r\n');
  const match = /^HTTP\/\d(?:\.\d)? (\d{3})(?: (.*))?$/.exec(statusLine);
  if (!match) return { problem: `a response that is not HTTP: ${JSON.stringify(statusLine.slice(0, 80))}` };
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  return { status: Number(match[1]), statusText: match[2] ?? '', headers, rest: received.subarray(end + 4) };
}

/**
 * Collects the body of a refusal (a status other than 101). The body only explains
 * the refusal, so it is read up to {@link MAX_BODY_BYTES} and no further: a server
 * streaming forever cannot hold the handshake open.
 */
export class RefusalBody {
  private readonly chunks: Buffer[] = [];
  private received = 0;
  private readonly limit: number;
  private readonly chunked: boolean;

  constructor(headers: Record<string, string>) {
    const declared = headers['content-length'];
    this.limit = declared !== undefined && /^\d+$/.test(declared) ? Math.min(Number(declared), MAX_BODY_BYTES) : MAX_BODY_BYTES;
    this.chunked = /chunked/i.test(headers['transfer-encoding'] ?? '');
  }

  /** Adds bytes; true once the body is complete (or long enough to stop reading). */
  push(chunk: Buffer): boolean {
    if (chunk.length > 0) {
      this.chunks.push(chunk);
      this.received += chunk.length;
    }
    const done = this.chunked ? Buffer.concat(this.chunks).includes('0\r\n\r\n') : this.received >= this.limit;
    return done || this.received >= MAX_BODY_BYTES;
  }

  /** The body as far as it came, dechunked and cut to its declared length; `bytes` counts the result. */
  finish(): { text: string; bytes: number } {
    let raw: Buffer = Buffer.concat(this.chunks);
    if (this.chunked) raw = dechunk(raw);
    else raw = raw.subarray(0, this.limit);
    return { text: raw.toString('utf8'), bytes: raw.length };
  }
}

/** Decodes a chunked body as far as it is complete; bytes that do not parse are kept as they came. */
function dechunk(raw: Buffer): Buffer {
  const out: Buffer[] = [];
  let at = 0;
  while (at < raw.length) {
    const lineEnd = raw.indexOf('\r\n', at);
    if (lineEnd < 0) break;
    const size = Number.parseInt(raw.subarray(at, lineEnd).toString('latin1').split(';')[0]!.trim(), 16);
    if (!Number.isFinite(size)) return raw;
    if (size === 0) break;
    out.push(raw.subarray(lineEnd + 2, Math.min(lineEnd + 2 + size, raw.length)));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(out);
}

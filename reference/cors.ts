/**
 * Which web pages may use this server: one list, `allowedOrigins`.
 *
 * Reading: cross-origin access (the Fetch standard's CORS protocol) for
 * browsers on other origins, e.g. an EventSource on `https://app.example`
 * reading this server's streams. Same-origin only unless origins are listed.
 *
 * Acting: a browser applies no CORS to WebSocket handshakes, and sends a
 * `text/plain` POST (a publish) or a form without any preflight, so CORS
 * alone does not stop a page on another site from publishing, closing
 * channels or reading history over a WebSocket: those requests carry the
 * page's `Origin`, and are refused (403 origin_not_allowed) unless it is the
 * server's own or listed. A request without `Origin` is not a browser's
 * cross-origin request (non-browser clients) and is let through.
 *
 * Every response gets the CORS headers its request's `Origin` earns; the
 * channel routes also answer `OPTIONS` preflights, which browsers send before
 * a request that is not "simple": an EventSource reconnecting with the
 * `Last-Event-ID` header (not CORS-safelisted), a JSON publish, a DELETE.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** The `allowedOrigins` entry that allows every origin (without credentials). */
export const ANY_ORIGIN = '*';

/**
 * Request headers a preflight allows: what an EventSource sends
 * (`Accept`, `Cache-Control`, and `Last-Event-ID` when it reconnects), the
 * `Authorization` of a publish on a server with a publish token, and
 * the `Content-Type` of a JSON publish.
 */
export const PREFLIGHT_ALLOWED_HEADERS = 'accept, authorization, cache-control, content-type, last-event-id';

/** How long, in seconds, a browser may reuse a preflight answer. */
export const PREFLIGHT_MAX_AGE_S = 600;

/**
 * Explains why `origin` cannot be an `allowedOrigins` entry, or returns
 * `undefined` when it can: `*`, or an origin exactly as a browser sends it
 * in `Origin` (scheme, host, optional port; lower case; no path or slash).
 */
export function originProblem(origin: unknown): string | undefined {
  if (origin === ANY_ORIGIN) return undefined;
  if (typeof origin !== 'string') return `an origin must be a string, got ${origin === null ? 'null' : typeof origin}`;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return `${JSON.stringify(origin)} is not an origin: expected e.g. "https://app.example" or "*"`;
  }
  // Opaque origins (file:, data:, …) serialise as "null", which any sandboxed page sends.
  if (parsed.origin === 'null' || parsed.origin !== origin) {
    const hint = parsed.origin === 'null' ? '' : ` (did you mean ${JSON.stringify(parsed.origin)}?)`;
    return `${JSON.stringify(origin)} is not an origin as a browser sends it: expected scheme://host[:port]${hint}`;
  }
  return undefined;
}

/** Who may read this server's responses from another origin. */
export class CorsPolicy {
  readonly #listed: ReadonlySet<string>;
  readonly #any: boolean;

  /** @param origins checked entries (see {@link originProblem}); `[]` = same-origin only. */
  constructor(origins: readonly string[]) {
    this.#any = origins.includes(ANY_ORIGIN);
    this.#listed = new Set(origins.filter((origin) => origin !== ANY_ORIGIN));
  }

  /** True when any cross-origin access is configured, i.e. responses depend on `Origin`. */
  get enabled(): boolean {
    return this.#any || this.#listed.size > 0;
  }

  /**
   * True when a request carrying `origin` may act on this server (open a
   * WebSocket, publish, close a channel): no `Origin` at all, the server's
   * own origin (its host and port are the request's `Host`, which hosts.ts
   * has already checked), `*`, or a listed origin.
   */
  permits(origin: string | undefined, host: string | undefined): boolean {
    if (origin === undefined || this.#any || this.#listed.has(origin)) return true;
    return host !== undefined && isSameOrigin(origin, host);
  }

  /**
   * The headers a response to a request from `origin` carries: for a listed
   * origin, that origin and `Access-Control-Allow-Credentials: true`; for any
   * other origin under the wildcard, `*` (browsers then send no cookies);
   * otherwise none, and the browser withholds the response. `Vary: Origin`
   * whenever CORS is configured, since the answer then depends on `Origin`.
   */
  headersFor(origin: string | undefined): Record<string, string> {
    if (!this.enabled) return {};
    const headers: Record<string, string> = { vary: 'Origin' };
    if (origin === undefined) return headers;
    if (this.#listed.has(origin)) {
      headers['access-control-allow-origin'] = origin;
      headers['access-control-allow-credentials'] = 'true';
    } else if (this.#any) {
      headers['access-control-allow-origin'] = ANY_ORIGIN;
    }
    return headers;
  }
}

/** True when `origin` is http(s) on exactly the host and port of the `Host` header. */
export function isSameOrigin(origin: string, host: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return false;
  return parsed.host === host.trim().toLowerCase();
}

/**
 * Adds the CORS headers to every response of `app` (errors, 404s and SSE
 * streams included: the SSE route copies the reply's headers into its head).
 * Call on the root instance, so the hook covers every route.
 */
export function installCors(app: FastifyInstance, policy: CorsPolicy): void {
  if (!policy.enabled) return;
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    reply.headers(policy.headersFor(request.headers.origin));
  });
}

/** Options of {@link corsPreflightRoutes}. */
export interface CorsPreflightOptions {
  policy: CorsPolicy;
  /** Route URL (fastify syntax) → the methods a cross-origin page may use on it. */
  routes: Readonly<Record<string, readonly string[]>>;
}

/**
 * Fastify plugin answering `OPTIONS` on the given routes with `204`. For an
 * allowed origin the answer grants the methods, the headers of
 * {@link PREFLIGHT_ALLOWED_HEADERS} and a cache time; for any other origin
 * (or none) it carries no `Access-Control-Allow-*` header, so a browser
 * blocks the request that would have followed. Either way `Allow` lists the
 * methods (RFC 9110 §9.3.7).
 */
export async function corsPreflightRoutes(app: FastifyInstance, options: CorsPreflightOptions): Promise<void> {
  for (const [url, methods] of Object.entries(options.routes)) {
    const allow = [...new Set([...methods, ...(methods.includes('GET') ? ['HEAD'] : []), 'OPTIONS'])].sort().join(', ');
    app.options(url, async (_request, reply) => {
      reply.header('allow', allow);
      if (reply.hasHeader('access-control-allow-origin')) {
        reply.headers({
          'access-control-allow-methods': methods.join(', '),
          'access-control-allow-headers': PREFLIGHT_ALLOWED_HEADERS,
          'access-control-max-age': String(PREFLIGHT_MAX_AGE_S),
        });
      }
      return reply.code(204).send();
    });
  }
}

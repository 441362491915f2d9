/**
 * How the app answers everything that isn't a route handler's success: thrown
 * {@link ReferenceHttpError}s, fastify's own errors (body too large, unknown
 * media type, bad URL, …), unknown routes (404), known routes with the wrong
 * method (405) and bugs (500). All of them use the registry's JSON shape.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ReferenceHttpError, sendReferenceError, type ReferenceErrorCode } from './errors.ts';
import { quote } from './validation.ts';

/** Fastify error codes and the registry code each one is answered with. */
const FASTIFY_ERROR_CODES: Readonly<Record<string, ReferenceErrorCode>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'message_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformed_json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed_json',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad_request',
  FST_ERR_BAD_URL: 'bad_request',
  // The only path parameter is {channel}, so an over-long parameter is an over-long channel name.
  FST_ERR_MAX_PARAM_LENGTH: 'invalid_channel',
};

/** What {@link toReferenceError} needs to word its messages. */
export interface FallbackOptions {
  maxMessageBytes: number;
}

/**
 * Maps any error to the {@link ReferenceHttpError} the client gets. Unknown
 * errors become `internal_error` with a fixed message: their text may carry
 * internals, so it goes to the log only.
 */
export function toReferenceError(error: unknown, request: FastifyRequest, options: FallbackOptions): ReferenceHttpError {
  if (error instanceof ReferenceHttpError) return error;
  const fastifyError = error as Partial<FastifyError> | null;
  const code = typeof fastifyError?.code === 'string' ? FASTIFY_ERROR_CODES[fastifyError.code] : undefined;
  const path = request.url.split('?')[0];
  switch (code) {
    case 'message_too_large':
      return new ReferenceHttpError(
        'message_too_large',
        `the request body is larger than the ${options.maxMessageBytes}-byte limit (maxMessageBytes)`,
        { extra: { limit: options.maxMessageBytes }, cause: error },
      );
    case 'unsupported_media_type':
      return new ReferenceHttpError(
        'unsupported_media_type',
        `Content-Type ${quote(request.headers['content-type'] ?? '(none)')} is not supported: ` +
          'send text/plain; charset=utf-8 or application/json',
        { cause: error },
      );
    case 'invalid_channel':
      return new ReferenceHttpError('invalid_channel', `a channel name in path ${quote(path)} is longer than 128 characters`, {
        cause: error,
      });
    case 'bad_request': {
      const problem =
        fastifyError?.code === 'FST_ERR_BAD_URL' ? 'its path has invalid percent-encoding' : String(fastifyError?.message);
      return new ReferenceHttpError('bad_request', `the request for ${quote(path)} is malformed: ${problem}`, { cause: error });
    }
    case 'malformed_json':
      return new ReferenceHttpError('malformed_json', `the body is not valid JSON: ${String(fastifyError?.message)}`, {
        cause: error,
      });
  }
  // Other client errors fastify raises (status 4xx) are the client's fault; say so without details.
  const status = fastifyError?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new ReferenceHttpError('bad_request', `the request for ${quote(path)} was refused (HTTP ${status})`, { cause: error });
  }
  return new ReferenceHttpError('internal_error', 'internal error in the reference server', { cause: error });
}

/** The error handler: logs bugs, answers everything in the registry's shape. */
export function createErrorHandler(options: FallbackOptions) {
  return function referenceErrorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
    const mapped = toReferenceError(error, request, options);
    if (mapped.code === 'internal_error') request.log.error({ err: error }, 'unexpected error');
    return sendReferenceError(reply, mapped);
  };
}

/**
 * Installs the error handler, the 404/405 handler and the route table that
 * tells them apart. Call on the root instance before registering routes:
 * the `onRoute` hook only sees routes registered after it.
 */
export function installFallbacks(app: FastifyInstance, options: FallbackOptions): void {
  // URL template (as registered) → its matcher and the methods it takes.
  const routes = new Map<string, { pattern: RegExp; methods: Set<string> }>();
  app.addHook('onRoute', (route) => {
    let entry = routes.get(route.url);
    if (entry === undefined) {
      entry = { pattern: templatePattern(route.url), methods: new Set() };
      routes.set(route.url, entry);
    }
    for (const method of [route.method].flat()) entry.methods.add(method);
    // fastify answers HEAD for every GET route (exposeHeadRoutes), unless the route opts out.
    if (entry.methods.has('GET') && route.exposeHeadRoute !== false) entry.methods.add('HEAD');
  });

  app.setErrorHandler(createErrorHandler(options));

  // Request bodies of unknown routes are not parsed (the root app has no
  // content-type parsers), so this answers before reading them.
  app.setNotFoundHandler(async (request) => {
    const path = request.url.split('?')[0] ?? '';
    const allowed = new Set<string>();
    for (const { pattern, methods } of routes.values()) {
      if (pattern.test(path)) for (const method of methods) allowed.add(method);
    }
    if (allowed.size > 0) {
      const allow = [...allowed].sort().join(', ');
      throw new ReferenceHttpError('method_not_allowed', `${request.method} is not allowed on ${quote(path)}; use ${allow}`, {
        headers: { allow },
      });
    }
    throw new ReferenceHttpError('not_found', `no route for ${request.method} ${quote(path)}; GET / lists the routes`);
  });
}

/** Matches a concrete path against a fastify URL template (`:param` = one non-empty segment). */
function templatePattern(template: string): RegExp {
  const source = template
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}$`);
}

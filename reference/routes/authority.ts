/**
 * Who may change a channel (publish, close it): checked in an `onRequest`
 * hook of those routes, before the channel name or the body is looked at,
 * so a refused request costs the server nothing and stores nothing.
 *
 * 1. `Origin` (../cors.ts): a page on another site can send a `text/plain`
 *    POST without any preflight, so a cross-origin publish or DELETE is
 *    refused (403 origin_not_allowed) unless its origin is allowed.
 * 2. The publish token (../publish-token.ts), when one is configured:
 *    401 unauthorized with `WWW-Authenticate: Bearer` (RFC 6750 §3).
 */
import type { FastifyRequest } from 'fastify';
import type { CorsPolicy } from '../cors.ts';
import { ReferenceHttpError } from '../errors.ts';
import type { PublishTokenPolicy } from '../publish-token.ts';
import { quote } from '../validation.ts';

/** What {@link requireAuthority} checks against. */
export interface AuthorityOptions {
  cors: CorsPolicy;
  token: PublishTokenPolicy;
}

/** The `WWW-Authenticate` realm the server names. */
const REALM = 'pushspec-reference';

/** An `onRequest` hook refusing a change from a foreign page or without the publish token. */
export function requireAuthority(options: AuthorityOptions) {
  const { cors, token } = options;
  return async function rejectWithoutAuthority(request: FastifyRequest): Promise<void> {
    const origin = request.headers.origin;
    if (!cors.permits(origin, request.headers.host)) {
      throw new ReferenceHttpError(
        'origin_not_allowed',
        `a page on origin ${quote(origin)} may not ${request.method === 'DELETE' ? 'close channels' : 'publish'} on this server: it is not the server's own origin nor in allowedOrigins (--allow-origin)`,
      );
    }
    const authority = token.check(request.headers.authorization);
    if (authority === 'missing') {
      throw new ReferenceHttpError('unauthorized', 'this server needs its publish token to publish or close channels: send Authorization: Bearer <token>', {
        headers: { 'www-authenticate': `Bearer realm="${REALM}"` },
      });
    }
    if (authority === 'wrong') {
      throw new ReferenceHttpError('unauthorized', 'the Bearer token is not this server\'s publish token', {
        headers: { 'www-authenticate': `Bearer realm="${REALM}", error="invalid_token"` },
      });
    }
  };
}

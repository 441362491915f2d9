/**
 * The optional publish token: when the reference server is given one
 * (`publishToken`, `serve --publish-token` or `PUSHSPEC_PUBLISH_TOKEN`),
 * publishing and closing channels need `Authorization: Bearer <token>`
 * (RFC 6750 §2.1); reading stays open. The comparison takes the same time
 * whatever the token given, so it cannot be guessed byte by byte.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/** Shortest token accepted: anything shorter is guessable. */
export const MIN_PUBLISH_TOKEN_LENGTH = 16;
/** Longest token accepted. */
export const MAX_PUBLISH_TOKEN_LENGTH = 1024;
/** RFC 6750 §2.1 b64token (token68): what a Bearer credential may contain. */
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;

/** Why `token` cannot be a publish token, or undefined when it can (`""` = no token). */
export function publishTokenProblem(token: unknown): string | undefined {
  if (typeof token !== 'string') return `must be a string, got ${token === null ? 'null' : typeof token}`;
  if (token === '') return undefined;
  if (token.length < MIN_PUBLISH_TOKEN_LENGTH || token.length > MAX_PUBLISH_TOKEN_LENGTH) {
    return `must be ${MIN_PUBLISH_TOKEN_LENGTH} to ${MAX_PUBLISH_TOKEN_LENGTH} characters long, got ${token.length}`;
  }
  if (!TOKEN68.test(token)) return 'may contain only A-Z a-z 0-9 - . _ ~ + / and trailing = (an RFC 6750 Bearer token)';
  return undefined;
}

/** What an `Authorization` header is worth. */
export type Authority = 'granted' | 'missing' | 'wrong';

/** Checks `Authorization` headers against the configured token. */
export class PublishTokenPolicy {
  readonly #digest: Buffer | undefined;

  /** @param token a checked token (see {@link publishTokenProblem}); `""` = none needed. */
  constructor(token: string) {
    this.#digest = token === '' ? undefined : digest(token);
  }

  /** True when publishing needs a token. */
  get required(): boolean {
    return this.#digest !== undefined;
  }

  /** Whether `header` carries the token; always `granted` when none is configured. */
  check(header: string | string[] | undefined): Authority {
    if (this.#digest === undefined) return 'granted';
    const value = Array.isArray(header) ? header[0] : header;
    const match = /^Bearer +(\S+) *$/i.exec(value ?? '');
    if (match === null) return 'missing';
    // Digests have one length whatever was sent, so the comparison's time says nothing about the token.
    return timingSafeEqual(digest(match[1] ?? ''), this.#digest) ? 'granted' : 'wrong';
  }
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

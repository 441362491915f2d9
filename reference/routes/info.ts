/**
 * Self-description: `GET /` says what this server is and which routes it has
 * (for people who open it in a browser, and for adapters checking they reached
 * the right server); `GET /stats` reports what it holds.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../core/package.ts';
import type { FastifyInstance } from 'fastify';

/** The name `GET /` reports; also the adapter `protocol` that means "speaks this contract". */
export const REFERENCE_SERVER_NAME = 'pushspec-reference';

/** Options of {@link infoRoutes}. */
export interface InfoRoutesOptions {
  /** Reported as `version`. */
  version: string;
  /** Route name → `METHOD /path`, as `GET /` lists them. */
  endpoints: Readonly<Record<string, string>>;
  /**
   * Figures for `GET /stats`, computed per request. A function (not the store)
   * so techniques added later can contribute their own counts, e.g. held
   * long-poll requests, without this plugin knowing about them.
   */
  stats: () => Record<string, number | string>;
}

/** The routes this plugin adds, for `GET /`. */
export const INFO_ENDPOINTS: Readonly<Record<string, string>> = {
  info: 'GET /',
  stats: 'GET /stats',
};

/** Body of `GET /`. */
export interface InfoResponse {
  name: typeof REFERENCE_SERVER_NAME;
  version: string;
  endpoints: Readonly<Record<string, string>>;
}

/** Fastify plugin adding `GET /` and `GET /stats`. */
export async function infoRoutes(app: FastifyInstance, options: InfoRoutesOptions): Promise<void> {
  const info: InfoResponse = { name: REFERENCE_SERVER_NAME, version: options.version, endpoints: options.endpoints };
  app.get('/', async (): Promise<InfoResponse> => info);
  app.get('/stats', async () => options.stats());
}

/**
 * The `version` of pushspec's package.json, read once at startup. Read from
 * disk rather than imported so the file needs no JSON import attributes.
 */
export function readPackageVersion(): string {
  const manifest: unknown = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8'));
  const version = (manifest as { version?: unknown }).version;
  if (typeof version !== 'string') throw new Error('package.json has no "version" string');
  return version;
}

/**
 * What the runner (steps/run-suite.ts) passes to every World, through
 * cucumber's worldParameters: JSON only, since parallel workers are other
 * processes. Kept apart from the World so the runner need not load support code.
 */
export interface PushParameters {
  /** The adapter file to load, or an adapter definition given inline. */
  adapter: { file: string } | { inline: Record<string, unknown> };
  /** Where the server under test answers, after `{port}` was filled in. */
  baseUrl: string;
  /** Certificate files to trust besides the adapter's `tls.ca` (`--ca`, the embedded reference's own), absolute. */
  caFiles?: string[];
  /** Every instance's base URL when the adapter declares a `cluster` (instance 1 first), once launched. */
  clusterBaseUrls?: string[];
}

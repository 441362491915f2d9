/**
 * The adapter contract: how the harness reaches one server under test.
 *
 * An adapter is either a JSON file or a module whose default export is
 * `defineAdapter({...})`. Both forms describe the same {@link AdapterDefinition};
 * only a module can give `publish` as a function. This file is the public,
 * typed face of that contract (exported as `pushspec` and `pushspec/adapter`).
 *
 * Each technique's section is declared in that technique's folder
 * (techniques/<name>/contract.ts) and joins the definition through
 * techniques/contracts.ts.
 */
import type { Protocol } from '../../core/technique.ts';
import type { PublishFunction, PublishRequest } from '../../core/publisher.ts';
import type { TechniqueSections } from '../../techniques/contracts.ts';

export { PROTOCOLS } from '../../core/technique.ts';
export type { Protocol } from '../../core/technique.ts';
export type { OutgoingMessage, PublishFunction, PublishRequest } from '../../core/publisher.ts';
export type * from '../../techniques/contracts.ts';

/** A program a launched server needs, and how to get it when it is missing. */
export interface RequiredProgram {
  /** What is needed, as a person names it, e.g. `nginx with the Nchan module`. */
  name: string;
  /** A command that exits 0 when it is installed, e.g. `["nginx", "-v"]`. Run from the adapter's folder. */
  check: string[];
  /** How to install it, e.g. `apt-get install -y nginx-light libnginx-mod-nchan`. */
  install: string;
}

/** How the harness starts and stops the server itself. */
export interface LaunchSpec {
  /**
   * Programs that must be installed first. When a check fails, the run stops
   * with `PUSHSPEC_ERR_NOT_INSTALLED` (exit 3) and the install command;
   * `pushspec matrix` shows the server as not run.
   */
  requires?: RequiredProgram[];
  /** Program and arguments; `{port}` is replaced by a free loopback port. */
  command: string[];
  /** Working directory, relative to the adapter file. Default: the adapter file's folder. */
  cwd?: string;
  /** Extra environment variables; `{port}` is replaced in values. */
  env?: Record<string, string>;
  /** URL polled until it answers with any HTTP status; `{port}` replaced. Default: `baseUrl`. */
  readyUrl?: string;
  /** How long to wait for `readyUrl`. Default 10000. */
  readyTimeoutMs?: number;
}

/** What pushspec trusts when the server speaks TLS (`https://`, `wss://`). */
export interface TlsSpec {
  /**
   * A PEM file, relative to the adapter file: the CA that signed the server's
   * certificate, or a self-signed certificate itself. It is trusted besides
   * Node's bundled CAs; the certificate and its host name are still verified.
   */
  ca: string;
}

/** A command pushspec runs (from the adapter's folder) to stop or start instance k of a cluster it did not launch. */
export interface ClusterCommand {
  /** Program and arguments; `{instance}` is replaced by k (1..N), e.g. `["docker", "stop", "app-{instance}"]`. */
  command: string[];
}

/**
 * Several instances of one service behind one adapter (docs/model.md M-11):
 * either pushspec launches them (`instances`, with `launch`), or they already
 * run (`baseUrls`, without `launch`). Every single-server requirement runs
 * against instance 1 (`pushspec run --instance <k>` picks another); the
 * cluster requirements (`*-CLUSTER-*`) run only when this section is present.
 */
export interface ClusterSpec {
  /**
   * How many instances to launch, 2 to 8 (only with `launch`): `launch.command`
   * runs once per instance, each with its own free `{port}` and `{instance}` (1..N).
   */
  instances?: number;
  /**
   * Start a private Redis first (only with `launch`): `redis-server` on a free
   * loopback port, no persistence; `{redisUrl}` (`redis://127.0.0.1:P`) and
   * `{redisPort}` are filled wherever `{port}` is.
   */
  redis?: boolean;
  /** An already running cluster, 2 to 8 base URLs (only without `launch`); `baseUrl` must be the first. */
  baseUrls?: string[];
  /** How to stop instance k of a running cluster; without `stop` and `start` the requirements that stop an instance are unsupported. */
  stop?: ClusterCommand;
  /** How to start instance k again once `stop` stopped it. */
  start?: ClusterCommand;
}

/**
 * One server under test: where it answers, how to start it and make it
 * publish, and one optional section per technique it serves (`polling`,
 * `longPolling`, `sse`, `websocket`; a technique left out is reported as
 * unsupported, never failed).
 */
export interface AdapterDefinition extends TechniqueSections {
  /** Shown in reports; letters, digits, `.`, `_`, `-`, at most 64 characters. */
  name: string;
  /** Where the server listens, e.g. `http://127.0.0.1:{port}`. */
  baseUrl: string;
  /** The server speaks a known wire contract at `baseUrl`; technique fields then default to it. */
  protocol?: Protocol;
  /** What to trust when `baseUrl` is `https://` and the server's certificate is not signed by a public CA. */
  tls?: TlsSpec;
  launch?: LaunchSpec;
  /** Several instances of the service, sharing a store: the cluster requirements (docs/model.md M-11). */
  cluster?: ClusterSpec;
  /** How to make the server emit a message. Required unless `protocol` implies it. */
  publish?: PublishRequest | PublishFunction;
}

/**
 * Declares an adapter in a TypeScript or JavaScript module.
 * An identity function: it exists so editors check the fields.
 *
 * @example
 * export default defineAdapter({ name: 'mine', baseUrl: 'http://127.0.0.1:8080', protocol: 'pushspec-reference' });
 */
export function defineAdapter(definition: AdapterDefinition): AdapterDefinition {
  return definition;
}

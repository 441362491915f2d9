/**
 * `pushspec run`: start or reach the server, run the suite against it, write
 * the reports (as the run goes, and at the end), print the tree and return
 * the exit code the verdicts call for; or, when the run stopped early (the
 * server exited or stopped answering, --deadline, SIGINT/SIGTERM: cli/run-watch.ts),
 * the code of what stopped it, the cases it did not judge reported not run.
 */
import { mkdir } from 'node:fs/promises';
import parseTagExpression from '@cucumber/tag-expressions';
import { join, relative, resolve } from 'node:path';
import { adapterFromDefinition, loadAdapterFile } from '../../adapters/contract/load.ts';
import { checkReachable, launchServer, type LaunchedServer } from '../../adapters/contract/launch.ts';
import type { ResolvedAdapter } from '../../adapters/contract/resolve.ts';
import { EXIT, PushspecError } from '../../core/errors.ts';
import { resetRunControl, stopExitCode, type StopReason } from '../../core/run-control.ts';
import { runSuite } from '../../steps/run-suite.ts';
import { startReferenceServer, type ReferenceServer } from '../../reference/server.ts';
import type { PushParameters } from '../../steps/parameters.ts';
import type { AdapterRun } from '../../verdicts/model.ts';
import { exitCodeFor } from '../../verdicts/outcome.ts';
import { BOLD, DIM, painter } from '../color.ts';
import { renderRun, renderTotals } from '../console-tree.ts';
import { LiveReports } from '../live-reports.ts';
import { parseDeadline, parseOptions } from '../options.ts';
import { CA_OPTION, caFiles, readCaOption, readServerTls, SERVER_TLS_OPTIONS } from '../tls-options.ts';
import { joinTrust, type TlsTrust } from '../../core/tls.ts';
import type { ReferenceTls } from '../../reference/tls.ts';
import { watchRun } from '../run-watch.ts';
import { parseInstance, reachCluster } from '../cluster-target.ts';

/** The server a run checks, and how to stop it afterwards. */
export interface Target {
  adapter: ResolvedAdapter;
  parameters: PushParameters;
  /** The server pushspec started, when the adapter has `launch`. */
  launched?: LaunchedServer;
  stop: () => Promise<void>;
}

/** A launched server's own output, in the report folder: never on pushspec's console (README, "Reports"). */
export const SERVER_LOG = 'server.log';

/**
 * The embedded reference server runs with short timers so time-bound
 * requirements take under a second each: holds of 300 ms capped at 600 ms
 * instead of 25 s (LP-MAX-HOLD), keep-alives every 200 ms instead of 15 s, a
 * 300 ms retry instead of 3 s (SSE-RETRY-HONOURED allows 25%, so not shorter),
 * a 256 KiB slow-client bound, WebSocket pings every 200 ms instead of 30 s,
 * and WebSocket messages of up to 16 MiB instead of 1 MiB (Autobahn's largest,
 * category 9: with 1 MiB the reference would refuse most of them with 1009).
 * It also allows one cross-origin origin (for SSE CORS and WebSocket Origin). The
 * inline adapter declares exactly these, so every requirement is checked.
 */
const EMBEDDED = {
  maxHoldMs: 600,
  holdMs: 300,
  sseKeepAliveMs: 200,
  sseRetryMs: 300,
  sseMaxBufferBytes: 256 * 1024,
  corsOrigin: 'https://app.example',
  wsPingIntervalMs: 200,
  wsMaxMessageBytes: 16 * 1024 * 1024,
};

/** How `run` reaches its server over TLS: the `--ca` files, and the embedded reference's certificate and key (`--tls-cert`, `--tls-key`). */
export interface RunTls {
  /** Absolute paths of the `--ca` files, read already (cli/tls-options.ts). */
  caFiles: string[];
  trust?: TlsTrust;
  /** The embedded reference serves HTTPS and wss:// with these. */
  server?: ReferenceTls & { certFile: string };
}

/**
 * With no adapter file: the reference server, in this process, on a free
 * loopback port; over TLS when `tls.server` is given, its own certificate
 * trusted (a self-signed one needs nothing more; one a CA signed needs `--ca`).
 */
export async function embeddedReference(tls: RunTls = { caFiles: [] }, http2 = false): Promise<Target> {
  const server: ReferenceServer = await startReferenceServer({
    ...(tls.server !== undefined ? { tls: { cert: tls.server.cert, key: tls.server.key } } : {}),
    ...(http2 ? { http2 } : {}),
    maxHoldMs: EMBEDDED.maxHoldMs,
    sseKeepAliveMs: EMBEDDED.sseKeepAliveMs,
    sseRetryMs: EMBEDDED.sseRetryMs,
    sseMaxBufferBytes: EMBEDDED.sseMaxBufferBytes,
    allowedOrigins: [EMBEDDED.corsOrigin],
    wsPingIntervalMs: EMBEDDED.wsPingIntervalMs,
    wsMaxMessageBytes: EMBEDDED.wsMaxMessageBytes,
  });
  // With --http2 the HTTP techniques' clients speak HTTP/2 (ALPN h2 over TLS, h2c in the clear); WebSockets stay on HTTP/1.1.
  const h2 = http2 ? { http2 } : {};
  const definition = {
    name: 'reference',
    baseUrl: server.url,
    protocol: 'pushspec-reference',
    ...(http2 ? { polling: h2 } : {}),
    longPolling: { maxHoldMs: EMBEDDED.maxHoldMs, holdMs: EMBEDDED.holdMs, ...h2 },
    sse: { keepAliveMs: EMBEDDED.sseKeepAliveMs, retryMs: EMBEDDED.sseRetryMs, slowClientLimitBytes: EMBEDDED.sseMaxBufferBytes, corsOrigin: EMBEDDED.corsOrigin, ...h2 },
    websocket: { pingIntervalMs: EMBEDDED.wsPingIntervalMs, allowedOrigins: [EMBEDDED.corsOrigin], maxMessageBytes: EMBEDDED.wsMaxMessageBytes },
  };
  const caFiles = [...(tls.server !== undefined ? [tls.server.certFile] : []), ...tls.caFiles];
  const adapter = adapterFromDefinition(definition, 'embedded reference server');
  const trust = joinTrust(tls.server !== undefined ? { ca: tls.server.cert.toString(), files: [tls.server.certFile] } : undefined, tls.trust);
  return {
    adapter: { ...adapter, ...(trust !== undefined ? { tls: trust } : {}) },
    parameters: { adapter: { inline: definition }, baseUrl: server.url, ...(caFiles.length > 0 ? { caFiles } : {}) },
    stop: () => server.close(),
  };
}

/**
 * An adapter file: launch its server if it says how, its output going to
 * <report-dir>/server.log (the console gets its last lines only if it exits
 * before the run ends), else check that it answers.
 */
export async function fromAdapterFile(file: string, reportDir: string, tls: RunTls = { caFiles: [] }, instanceOption?: unknown): Promise<Target> {
  const path = resolve(file);
  const loaded = await loadAdapterFile(path);
  const trust = joinTrust(loaded.tls, tls.trust);
  const adapter = { ...loaded, ...(trust !== undefined ? { tls: trust } : {}) };
  const instance = parseInstance(instanceOption, adapter);
  if (adapter.cluster !== undefined) return clusterTarget(adapter, path, reportDir, tls, instance);
  let launched: LaunchedServer | undefined;
  if (adapter.launch !== undefined) {
    launched = await launchServer(adapter, { logFile: relative(process.cwd(), join(reportDir, SERVER_LOG)) });
  } else {
    await checkReachable(adapter.baseUrl, undefined, adapter.tls);
  }
  const baseUrl = launched?.baseUrl ?? adapter.baseUrl;
  return {
    adapter: { ...adapter, baseUrl },
    parameters: { adapter: { file: path }, baseUrl, ...(tls.caFiles.length > 0 ? { caFiles: tls.caFiles } : {}) },
    ...(launched !== undefined ? { launched } : {}),
    stop: async () => launched?.stop(),
  };
}

/**
 * An adapter with a `cluster`: launched (Redis, then the instances; instance
 * k's output in <report-dir>/server-<k>.log) or checked instance by instance;
 * the single-server requirements talk to instance `instance`.
 */
async function clusterTarget(adapter: ResolvedAdapter, path: string, reportDir: string, tls: RunTls, instance: number): Promise<Target> {
  const logBase = relative(process.cwd(), join(reportDir, 'server'));
  const cluster = await reachCluster(adapter, instance, logBase);
  const baseUrl = cluster.baseUrls[instance - 1]!;
  return {
    adapter: { ...adapter, baseUrl, cluster: { ...adapter.cluster!, baseUrls: cluster.baseUrls } },
    parameters: { adapter: { file: path }, baseUrl, clusterBaseUrls: cluster.baseUrls, ...(tls.caFiles.length > 0 ? { caFiles: tls.caFiles } : {}) },
    ...(cluster.watched !== undefined ? { launched: cluster.watched } : {}),
    stop: async () => cluster.launched?.stop(),
  };
}

export async function runCommand(args: string[]): Promise<number> {
  const started = performance.now();
  const { values } = parseOptions('run', args, {
    adapter: { type: 'string' },
    'report-dir': { type: 'string', default: 'reports' },
    tags: { type: 'string' },
    strict: { type: 'boolean', default: false },
    color: { type: 'boolean', default: true },
    deadline: { type: 'string' },
    instance: { type: 'string' },
    http2: { type: 'boolean', default: false },
    ...CA_OPTION,
    ...SERVER_TLS_OPTIONS,
  });
  const deadlineSeconds = parseDeadline('run', values.deadline);
  const server = readServerTls('run', values);
  if (server !== undefined && typeof values.adapter === 'string') {
    throw new PushspecError('PUSHSPEC_ERR_USAGE', 'run: --tls-cert and --tls-key serve the embedded reference over TLS; with --adapter, the adapter\'s server has its own certificate (trust its CA with --ca or the adapter\'s "tls")');
  }
  if (values.http2 === true && typeof values.adapter === 'string') {
    throw new PushspecError('PUSHSPEC_ERR_USAGE', 'run: --http2 serves the embedded reference over HTTP/2; with --adapter, the adapter declares HTTP/2 per technique ("sse.http2", "polling.http2", "longPolling.http2")');
  }
  // Without an adapter it is refused at once; with one, once its cluster's size is known.
  if (values.instance !== undefined && typeof values.adapter !== 'string') parseInstance(values.instance, undefined);
  const trust = readCaOption('run', values.ca);
  const tls: RunTls = { caFiles: caFiles(values.ca), ...(trust !== undefined ? { trust } : {}), ...(server !== undefined ? { server } : {}) };
  if (typeof values.tags === 'string') {
    // Checked before any server starts: a typo is a usage error, not a failed run.
    try {
      parseTagExpression(values.tags);
    } catch (error) {
      throw new PushspecError('PUSHSPEC_ERR_USAGE', `run: --tags: ${(error as Error).message}`);
    }
  }
  const reportDir = resolve(String(values['report-dir']));
  await mkdir(reportDir, { recursive: true });
  const paint = painter(process.stdout, values.color === false);
  const paintErr = painter(process.stderr, values.color === false);
  const control = resetRunControl();
  // Signals and --deadline count from here; the server watches begin once it is up.
  const deadline = (): { deadline?: { seconds: number; remainingMs: number } } =>
    deadlineSeconds === undefined ? {} : { deadline: { seconds: deadlineSeconds, remainingMs: deadlineSeconds * 1000 - (performance.now() - started) } };
  let stopWatching = watchRun(control, { baseUrl: '', ...deadline() });
  let target: Target;
  try {
    target = typeof values.adapter === 'string' ? await fromAdapterFile(values.adapter, reportDir, tls, values.instance) : await embeddedReference(tls, values.http2 === true);
  } catch (error) {
    stopWatching();
    // Interrupted while the server started: the launch failed because of it, and says so less well.
    if (control.stopped !== undefined && control.stopped.code !== 'PUSHSPEC_ERR_DEADLINE') throw new PushspecError(control.stopped.code, control.stopped.reason);
    throw error;
  }
  const launched = target.launched;
  stopWatching();
  stopWatching = watchRun(control, {
    baseUrl: target.parameters.baseUrl,
    ...(launched !== undefined ? { launched } : {}),
    ...deadline(),
    onStop: (stop) => {
      const tail = stop.code === 'PUSHSPEC_ERR_SERVER_EXITED' && launched !== undefined ? `${launched.tail()}\n\n` : '';
      process.stderr.write(`${paintErr(BOLD, `pushspec: ${stop.reason}`)}\n${tail}pushspec: the run stops: the case in progress and the ones left are reported not run\n`);
    },
  });
  const live = new LiveReports(reportDir, { onError: (error) => process.stderr.write(`pushspec: could not write the reports as the run goes: ${error.message}\n`) });
  let run: AdapterRun;
  try {
    const urls = target.parameters.clusterBaseUrls;
    const instance = urls === undefined ? '' : ` (instance ${urls.indexOf(target.parameters.baseUrl) + 1} of a cluster of ${urls.length}: ${urls.join(', ')})`;
    process.stdout.write(`pushspec: checking ${target.adapter.name} at ${target.parameters.baseUrl}${instance}\n`);
    run = await runSuite({
      parameters: target.parameters,
      adapter: { name: target.adapter.name, source: target.adapter.source },
      reportDir,
      strict: values.strict === true,
      ...(typeof values.tags === 'string' ? { tags: values.tags } : {}),
      // Like the server's lines, on stderr: stdout stays the tree CI reads. Always shown, as the rest of the console is.
      onProgress: (line) => process.stderr.write(`${paintErr(DIM, `  … ${line}`)}\n`),
      onCaseFinished: (soFar) => live.caseFinished(soFar),
    });
  } catch (error) {
    stopWatching();
    await target.stop();
    const soFar = live.soFar();
    // What was judged before pushspec's own error is kept, marked incomplete.
    if (soFar !== undefined) await live.final(soFar).catch(() => undefined);
    if (launched !== undefined && control.stopped?.code !== 'PUSHSPEC_ERR_SERVER_EXITED') process.stderr.write(`${launched.tail()}\n`);
    throw error;
  }
  const stop = control.stopped;
  stopWatching();
  await target.stop();
  run = withStop(run, stop);
  await live.final(run);
  const code = run.stopReason !== undefined && stop !== undefined ? stopExitCode(stop) : exitCodeFor([run]);
  // The server's last lines may say why requirements failed; once is enough if its exit was already shown.
  if (launched !== undefined && code !== EXIT.OK && stop?.code !== 'PUSHSPEC_ERR_SERVER_EXITED') process.stderr.write(`\n${launched.tail()}\n`);
  const shown = relative(process.cwd(), reportDir) || '.';
  const logs = target.adapter.cluster?.launched === true ? `${shown}/server-<k>.log (instance k's output)` : `${shown}/${SERVER_LOG} (the server's output)`;
  const serverLog = launched !== undefined ? `, ${logs}` : '';
  const lines = [...renderRun(run, paint), '', `Reports: ${shown}/index.html (matrix), ${shown}/summary.json, ${shown}/junit.xml, ${shown}/cucumber.html${serverLog}`, ...renderTotals([run], paint)];
  process.stdout.write(`\n${lines.join('\n')}\n`);
  return code;
}

/**
 * The run as it ended: a stop that left cases unjudged marks it incomplete,
 * with the reason. A stop after every case was judged (the server exited as
 * the last one finished) changes nothing.
 */
function withStop(run: AdapterRun, stop: StopReason | undefined): AdapterRun {
  if (stop === undefined || run.totals['not-run'] === 0) return run;
  return { ...run, complete: false, stopReason: stop.reason };
}

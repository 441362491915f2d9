/**
 * `pushspec run`: start or reach the server, run the suite against it, write
 * the reports, print the tree and return the exit code the verdicts call for.
 */
import { mkdir } from 'node:fs/promises';
import parseTagExpression from '@cucumber/tag-expressions';
import { join, relative, resolve } from 'node:path';
import { adapterFromDefinition, loadAdapterFile } from '../../adapters/contract/load.ts';
import { checkReachable, launchServer, type LaunchedServer } from '../../adapters/contract/launch.ts';
import type { ResolvedAdapter } from '../../adapters/contract/resolve.ts';
import { EXIT, PushspecError } from '../../core/errors.ts';
import { runSuite } from '../../steps/run-suite.ts';
import { buildSummary } from '../../verdicts/summary.ts';
import { startReferenceServer, type ReferenceServer } from '../../reference/server.ts';
import { writeReports } from '../../reporting/write-reports.ts';
import type { PushParameters } from '../../steps/parameters.ts';
import { exitCodeFor } from '../../verdicts/outcome.ts';
import { DIM, painter } from '../color.ts';
import { renderRun, renderTotals } from '../console-tree.ts';
import { parseOptions } from '../options.ts';

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
 * requirements take seconds: holds capped at 2 s instead of 25 s (LP-MAX-HOLD),
 * keep-alives every 500 ms instead of 15 s, a 500 ms retry instead of 3 s, and
 * a 256 KiB slow-client bound, WebSocket pings every 500 ms instead of 30 s.
 * It also allows one cross-origin origin (for SSE CORS and WebSocket Origin). The
 * inline adapter declares exactly these, so every requirement is checked.
 */
const EMBEDDED = {
  maxHoldMs: 2000,
  sseKeepAliveMs: 500,
  sseRetryMs: 500,
  sseMaxBufferBytes: 256 * 1024,
  corsOrigin: 'https://app.example',
  wsPingIntervalMs: 500,
};

/** With no adapter file: the reference server, in this process, on a free loopback port. */
export async function embeddedReference(): Promise<Target> {
  const server: ReferenceServer = await startReferenceServer({
    maxHoldMs: EMBEDDED.maxHoldMs,
    sseKeepAliveMs: EMBEDDED.sseKeepAliveMs,
    sseRetryMs: EMBEDDED.sseRetryMs,
    sseMaxBufferBytes: EMBEDDED.sseMaxBufferBytes,
    allowedOrigins: [EMBEDDED.corsOrigin],
    wsPingIntervalMs: EMBEDDED.wsPingIntervalMs,
  });
  const definition = {
    name: 'reference',
    baseUrl: server.url,
    protocol: 'pushspec-reference',
    longPolling: { maxHoldMs: EMBEDDED.maxHoldMs },
    sse: { keepAliveMs: EMBEDDED.sseKeepAliveMs, retryMs: EMBEDDED.sseRetryMs, slowClientLimitBytes: EMBEDDED.sseMaxBufferBytes, corsOrigin: EMBEDDED.corsOrigin },
    websocket: { pingIntervalMs: EMBEDDED.wsPingIntervalMs, allowedOrigins: [EMBEDDED.corsOrigin] },
  };
  return {
    adapter: adapterFromDefinition(definition, 'embedded reference server'),
    parameters: { adapter: { inline: definition }, baseUrl: server.url },
    stop: () => server.close(),
  };
}

/**
 * An adapter file: launch its server if it says how, its output going to
 * <report-dir>/server.log (the console gets its last lines only if it exits
 * before the run ends), else check that it answers.
 */
export async function fromAdapterFile(file: string, reportDir: string): Promise<Target> {
  const path = resolve(file);
  const adapter = await loadAdapterFile(path);
  let launched: LaunchedServer | undefined;
  if (adapter.launch !== undefined) {
    const server = await launchServer(adapter, { logFile: relative(process.cwd(), join(reportDir, SERVER_LOG)) });
    void server.exitedEarly.then((status) => process.stderr.write(`pushspec: the server ${status} while the suite ran\n${server.tail()}\n`));
    launched = server;
  } else {
    await checkReachable(adapter.baseUrl);
  }
  const baseUrl = launched?.baseUrl ?? adapter.baseUrl;
  return {
    adapter: { ...adapter, baseUrl },
    parameters: { adapter: { file: path }, baseUrl },
    ...(launched !== undefined ? { launched } : {}),
    stop: async () => launched?.stop(),
  };
}

export async function runCommand(args: string[]): Promise<number> {
  const { values } = parseOptions('run', args, {
    adapter: { type: 'string' },
    'report-dir': { type: 'string', default: 'reports' },
    tags: { type: 'string' },
    strict: { type: 'boolean', default: false },
    color: { type: 'boolean', default: true },
  });
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
  const target = typeof values.adapter === 'string' ? await fromAdapterFile(values.adapter, reportDir) : await embeddedReference();
  const launched = target.launched;
  let exitedEarly = false;
  void launched?.exitedEarly.then(() => (exitedEarly = true));
  let run;
  try {
    process.stdout.write(`pushspec: checking ${target.adapter.name} at ${target.parameters.baseUrl}\n`);
    run = await runSuite({
      parameters: target.parameters,
      adapter: { name: target.adapter.name, source: target.adapter.source },
      reportDir,
      strict: values.strict === true,
      ...(typeof values.tags === 'string' ? { tags: values.tags } : {}),
      // Like the server's lines, on stderr: stdout stays the tree CI reads. Always shown, as the rest of the console is.
      onProgress: (line) => process.stderr.write(`${paintErr(DIM, `  … ${line}`)}\n`),
    });
  } catch (error) {
    await target.stop();
    if (launched !== undefined && !exitedEarly) process.stderr.write(`${launched.tail()}\n`);
    throw error;
  }
  await target.stop();
  const summary = buildSummary([run]);
  await writeReports(summary, reportDir);
  const code = exitCodeFor([run]);
  // The server's last lines may say why requirements failed; once is enough if it exited early.
  if (launched !== undefined && code !== EXIT.OK && !exitedEarly) process.stderr.write(`\n${launched.tail()}\n`);
  const shown = relative(process.cwd(), reportDir) || '.';
  const serverLog = launched !== undefined ? `, ${shown}/${SERVER_LOG} (the server's output)` : '';
  const lines = [...renderRun(run, paint), '', `Reports: ${shown}/index.html (matrix), ${shown}/summary.json, ${shown}/junit.xml, ${shown}/cucumber.html${serverLog}`, ...renderTotals([run], paint)];
  process.stdout.write(`\n${lines.join('\n')}\n`);
  return code;
}

/**
 * `pushspec soak`: publish continuously on every technique the server
 * declares, with subscribers cut at random that resume from their position,
 * and report lost, duplicated and reordered messages, delivery latency over
 * time and pushspec's own memory (soak/).
 */
import { mkdir } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { EXIT, PushspecError } from '../../core/errors.ts';
import { renderSoakTable, soakHeld, writeSoakReports } from '../../soak/report.ts';
import { runSoak } from '../../soak/run-soak.ts';
import { parseOptions } from '../options.ts';
import { embeddedReference, fromAdapterFile, SERVER_LOG } from './run.ts';

/** Each subscriber is cut after a random 0.3–2 s: several cuts a minute, each a resume to check. */
const CUT_EVERY_MS = [300, 2000] as const;

/** A positive number option within `max`, or a usage error naming it. */
function positive(name: string, raw: unknown, fallback: number, max: number, integer = false): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (String(raw).trim() === '' || !Number.isFinite(value) || value <= 0 || value > max || (integer && !Number.isInteger(value))) {
    throw new PushspecError('PUSHSPEC_ERR_USAGE', `soak: --${name} ${JSON.stringify(raw)}: expected a${integer ? 'n integer' : ' number'} above 0 and at most ${max}`);
  }
  return value;
}

export async function soakCommand(args: string[]): Promise<number> {
  const { values } = parseOptions('soak', args, {
    adapter: { type: 'string' },
    minutes: { type: 'string' },
    'report-dir': { type: 'string', default: 'reports' },
    subscribers: { type: 'string' },
    rate: { type: 'string' },
  });
  const minutes = positive('minutes', values.minutes, 1, 24 * 60);
  const subscribers = positive('subscribers', values.subscribers, 2, 100, true);
  const rate = positive('rate', values.rate, 20, 1000);
  const reportDir = resolve(String(values['report-dir']));
  await mkdir(reportDir, { recursive: true });
  const target = typeof values.adapter === 'string' ? await fromAdapterFile(values.adapter, reportDir) : await embeddedReference();
  const progress = (line: string): void => void process.stderr.write(`  … ${line}\n`);
  let result;
  try {
    process.stdout.write(`pushspec: soaking ${target.adapter.name} at ${target.parameters.baseUrl} for ${minutes} min (${rate} msg/s, ${subscribers} subscriber(s) per technique)\n`);
    result = await runSoak({
      adapter: target.adapter,
      durationMs: Math.round(minutes * 60_000),
      subscribers,
      rate,
      cutEveryMs: CUT_EVERY_MS,
      ...(target.launched !== undefined ? { serverExited: target.launched.exitedEarly } : {}),
      progress,
    });
  } catch (error) {
    // Subscribers that cannot take their position: the server does not answer as its adapter says.
    throw new PushspecError('PUSHSPEC_ERR_UNREACHABLE', `soak: ${target.adapter.name} could not be subscribed to: ${(error as Error).message}`, { cause: error });
  } finally {
    await target.stop();
  }
  const paths = await writeSoakReports(result, reportDir);
  if (result.techniques.length === 0) process.stderr.write(`pushspec: ${target.adapter.name} declares no technique the soak can use\n`);
  const shown = (p: string): string => relative(process.cwd(), p) || p;
  const logs = target.adapter.cluster?.launched === true ? `${shown(resolve(reportDir, 'server-<k>.log'))} (instance k's output; the soak uses instance 1)` : `${shown(resolve(reportDir, SERVER_LOG))} (the server's output)`;
  const serverLog = target.launched !== undefined ? `, ${logs}` : '';
  process.stdout.write(`\n${renderSoakTable(result)}\n\nReports: ${shown(paths.json)}, ${shown(paths.html)}${serverLog}\n`);
  if (result.serverProblem !== undefined) {
    if (target.launched !== undefined) process.stderr.write(`${target.launched.tail()}\n`);
    return EXIT.UNREACHABLE;
  }
  return soakHeld(result) ? EXIT.OK : EXIT.NONCONFORMANT;
}

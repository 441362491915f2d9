/**
 * `pushspec clients --client <file>`: checks a client. pushspec plays the
 * server (a scripted one per case) and judges what the client does and
 * reports, against the client requirements (clients/requirements.json).
 */
import { mkdir } from 'node:fs/promises';
import parseTagExpression from '@cucumber/tag-expressions';
import { join, relative, resolve } from 'node:path';
import { loadClientAdapter } from '../../clients/contract/adapter.ts';
import { CODE_ROOT } from '../../core/package.ts';
import { PushspecError } from '../../core/errors.ts';
import { resetRunControl } from '../../core/run-control.ts';
import { runSuite, type SuiteKind } from '../../steps/run-suite.ts';
import { loadClientCatalogue } from '../../verdicts/catalogue.ts';
import { exitCodeFor } from '../../verdicts/outcome.ts';
import { painter } from '../color.ts';
import { renderRun, renderTotals } from '../console-tree.ts';
import { LiveReports } from '../live-reports.ts';
import { parseOptions } from '../options.ts';

/** The client checks: clients/features/, their own World and hooks, each technique's client-side steps. */
export const CLIENT_SUITE: SuiteKind = {
  paths: ['clients/features/**/*.feature'],
  support: ((ext) => [join(CODE_ROOT, 'clients', 'support', `*.${ext}`), join(CODE_ROOT, 'techniques', '*', 'client-side', `*.steps.${ext}`)])(CODE_ROOT === '' ? 'ts' : 'js'),
  requirements: () => loadClientCatalogue().requirements,
};

export async function clientsCommand(args: string[]): Promise<number> {
  const { values } = parseOptions('clients', args, {
    client: { type: 'string' },
    'report-dir': { type: 'string', default: join('reports', 'clients') },
    tags: { type: 'string' },
    strict: { type: 'boolean', default: false },
    color: { type: 'boolean', default: true },
  });
  if (typeof values.client !== 'string') throw new PushspecError('PUSHSPEC_ERR_USAGE', 'clients: --client <file> is required: the client adapter (see README, "Checking your own client")');
  if (typeof values.tags === 'string') {
    try {
      parseTagExpression(values.tags);
    } catch (error) {
      throw new PushspecError('PUSHSPEC_ERR_USAGE', `clients: --tags: ${(error as Error).message}`);
    }
  }
  const file = resolve(values.client);
  const client = await loadClientAdapter(file);
  const reportDir = resolve(String(values['report-dir']));
  await mkdir(reportDir, { recursive: true });
  const paint = painter(process.stdout, values.color === false);
  resetRunControl();
  const catalogueVersion = loadClientCatalogue().version;
  const live = new LiveReports(reportDir, { catalogueVersion, onError: (error) => process.stderr.write(`pushspec: could not write the reports as the run goes: ${error.message}\n`) });
  process.stdout.write(`pushspec: checking the client ${client.name}\n`);
  const run = await runSuite({
    suite: CLIENT_SUITE,
    parameters: { client: { file } },
    adapter: { name: client.name, source: relative(process.cwd(), file) || file, baseUrl: 'scripted servers' },
    reportDir,
    strict: values.strict === true,
    ...(typeof values.tags === 'string' ? { tags: values.tags } : {}),
    onCaseFinished: (soFar) => live.caseFinished(soFar),
  });
  await live.final(run);
  const shown = relative(process.cwd(), reportDir) || '.';
  const lines = [...renderRun(run, paint), '', `Reports: ${shown}/index.html, ${shown}/summary.json, ${shown}/junit.xml`, ...renderTotals([run], paint)];
  process.stdout.write(`\n${lines.join('\n')}\n`);
  return exitCodeFor([run]);
}

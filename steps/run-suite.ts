/**
 * Runs the Gherkin suite in this process through cucumber's API, against one
 * server that is already up, and returns the verdicts of that run.
 */
import { Writable } from 'node:stream';
import { join } from 'node:path';
import { loadConfiguration, runCucumber, type ISupportCodeLibrary } from '@cucumber/cucumber/api';
import type { Envelope } from '@cucumber/messages';
import type { PushParameters } from './parameters.ts';
import { resultsFromEnvelopes, totalsOf } from '../verdicts/from-envelopes.ts';
import type { AdapterRun, Requirement } from '../verdicts/model.ts';
import { CODE_ROOT, PACKAGE_ROOT } from '../core/package.ts';
import { loadCatalogue } from '../verdicts/catalogue.ts';
import { PushspecError } from '../core/errors.ts';
import { PROGRESS_MEDIA_TYPE } from '../core/progress.ts';
import { planScenario, resetCasePlan } from '../core/case-plan.ts';

/** Which suite a run plays: the server checks (features/), or the client checks (clients/features/). */
export interface SuiteKind {
  /** Feature file globs, relative to the package root. */
  paths: readonly string[];
  /** Support code globs (absolute), as {@link SUPPORT_CODE}. */
  support: readonly string[];
  /** The requirements its scenarios are tagged with. */
  requirements: () => readonly Requirement[];
}

/** The server checks: the default. */
export const SERVER_SUITE: SuiteKind = {
  paths: ['features/**/*.feature'],
  get support() {
    return SUPPORT_CODE;
  },
  requirements: () => loadCatalogue().requirements,
};

export interface SuiteOptions {
  /** What the World receives (cucumber's worldParameters): the server's adapter, or the client's. */
  parameters: PushParameters | Record<string, unknown>;
  /** Default: {@link SERVER_SUITE}. */
  suite?: SuiteKind;
  adapter: { name: string; source: string; baseUrl?: string };
  /** Absolute folder for cucumber's own reports (cucumber.html, messages.ndjson). */
  reportDir: string;
  strict: boolean;
  /** A cucumber tag expression narrowing the run, e.g. `@must`. */
  tags?: string;
  /**
   * Called as each scenario finishes, with a function that builds the run as
   * judged so far (`complete: false`), for reports written as the run goes.
   */
  onCaseFinished?: (soFar: () => AdapterRun) => void;
  /** Called with each progress line a scenario announces (a long wait begins: core/progress.ts), as it happens. */
  onProgress?: (line: string) => void;
}

/**
 * The support code cucumber loads, relative to the package root: the glue in
 * steps/support/ and each technique's step phrases. From the sources under
 * tsx these are the .ts files; from the built package, their .js in dist/.
 */
export const SUPPORT_CODE: readonly string[] = ((ext) => [join(CODE_ROOT, 'steps', 'support', `*.${ext}`), join(CODE_ROOT, 'techniques', '*', `*.steps.${ext}`)])(CODE_ROOT === '' ? 'ts' : 'js');

/** Step definitions load once per process and suite; later runs reuse them (ESM modules cannot be imported twice). */
const supports = new Map<SuiteKind, ISupportCodeLibrary>();

/** Cucumber's console output is replaced by pushspec's own tree. */
const silent = new Writable({ write: (_chunk, _encoding, done) => done() });

export async function runSuite(options: SuiteOptions): Promise<AdapterRun> {
  const startedAt = new Date();
  const suite = options.suite ?? SERVER_SUITE;
  const { runConfiguration } = await loadConfiguration(
    {
      file: false,
      provided: {
        paths: [...suite.paths],
        import: [...suite.support],
        worldParameters: options.parameters as unknown as Record<string, never>,
        format: [`html:${join(options.reportDir, 'cucumber.html')}`, `message:${join(options.reportDir, 'messages.ndjson')}`],
        ...(options.tags !== undefined ? { tags: options.tags } : {}),
        publish: false,
        strict: true,
      },
    },
    { cwd: PACKAGE_ROOT, stdout: silent, stderr: process.stderr },
  );
  const envelopes: Envelope[] = [];
  // Cucumber announces every test case before the first starts: the plan lets techniques start cases ahead.
  resetCasePlan();
  const pickles = new Map<string, { name: string; steps: string[]; tags: string[] }>();
  const requirements = [...suite.requirements()];
  const runOf = (complete: boolean): AdapterRun => {
    const results = resultsFromEnvelopes(envelopes, requirements);
    return {
      adapter: { name: options.adapter.name, baseUrl: options.adapter.baseUrl ?? String((options.parameters as { baseUrl?: unknown }).baseUrl ?? ''), source: options.adapter.source },
      startedAt: startedAt.toISOString(),
      durationMs: Date.now() - startedAt.getTime(),
      strict: options.strict,
      complete,
      totals: totalsOf(results),
      results,
    };
  };
  const result = await runCucumber(
    { ...runConfiguration, support: supports.get(suite) ?? runConfiguration.support },
    { cwd: PACKAGE_ROOT, stdout: silent, stderr: process.stderr },
    (envelope) => {
      envelopes.push(envelope);
      if (envelope.pickle) pickles.set(envelope.pickle.id, { name: envelope.pickle.name, steps: envelope.pickle.steps.map((step) => step.text), tags: envelope.pickle.tags.map((t) => t.name) });
      if (envelope.testCase) {
        const planned = pickles.get(envelope.testCase.pickleId);
        if (planned !== undefined) planScenario(planned);
      }
      if (envelope.attachment?.mediaType === PROGRESS_MEDIA_TYPE) options.onProgress?.(envelope.attachment.body);
      if (envelope.testCaseFinished && !envelope.testCaseFinished.willBeRetried) options.onCaseFinished?.(() => runOf(false));
    },
  );
  supports.set(suite, result.support);
  const parseErrors = envelopes.filter((e) => e.parseError).map((e) => e.parseError!.message);
  if (parseErrors.length > 0) throw new PushspecError('PUSHSPEC_ERR_INTERNAL', `the feature files do not parse:\n${parseErrors.join('\n')}`);
  // An undefined or ambiguous step is pushspec's own bug, not the server's: say so rather than judge the server.
  const broken = envelopes.filter((e) => e.testStepFinished && ['UNDEFINED', 'AMBIGUOUS'].includes(e.testStepFinished.testStepResult.status));
  if (broken.length > 0) {
    const texts = new Map(envelopes.flatMap((e) => e.pickle?.steps.map((step) => [step.id, step.text] as const) ?? []));
    const stepTexts = new Map(envelopes.flatMap((e) => e.testCase?.testSteps.map((step) => [step.id, texts.get(step.pickleStepId ?? '') ?? '?'] as const) ?? []));
    const names = broken.map((e) => `${e.testStepFinished!.testStepResult.status.toLowerCase()} step: "${stepTexts.get(e.testStepFinished!.testStepId) ?? '?'}"`);
    throw new PushspecError('PUSHSPEC_ERR_INTERNAL', `the feature files and step definitions disagree:\n${[...new Set(names)].join('\n')}`);
  }
  return runOf(true);
}

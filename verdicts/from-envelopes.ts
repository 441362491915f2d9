/**
 * Turns cucumber's message stream into one verdict per requirement: the
 * scenario's status, its level from the catalogue, and the evidence it
 * attached. Cucumber's messages are the single source of truth for a run.
 */
import { EVIDENCE_MEDIA_TYPE, type EvidenceAttachment } from '../core/evidence.ts';
import type { Envelope, Pickle } from '@cucumber/messages';
import type { Evidence, Requirement, RequirementResult, ScenarioRef, Verdict, VerdictTotals } from './model.ts';

interface CaseRecord {
  pickleId: string;
  status: string;
  message?: string;
  durationMs: number;
  attachment?: EvidenceAttachment;
}

const EMPTY_EVIDENCE: Evidence = { exchanges: [], omittedExchanges: 0, figures: [], notes: [] };

/** Cucumber step statuses that mean the requirement was checked and did not hold (or could not be checked). */
const NOT_PASSED = new Set(['FAILED', 'AMBIGUOUS', 'UNDEFINED', 'PENDING', 'UNKNOWN']);
/** Worst status wins when a scenario's steps disagree. */
const SEVERITY = ['UNKNOWN', 'PASSED', 'SKIPPED', 'PENDING', 'UNDEFINED', 'AMBIGUOUS', 'FAILED'];

/**
 * A verdict is the requirement's level applied to what happened: a MUST that
 * did not hold fails, a SHOULD or MAY is non-strict, so a MUST requirement is
 * never non-strict. (A SHOULD inside a MUST case is a requirement of its own,
 * observed as a part: see {@link resultsFromEnvelopes}.)
 */
export function verdictFor(level: Requirement['level'], status: string, unsupported: boolean, notRun = false): Verdict {
  if (notRun) return 'not-run';
  if (unsupported) return 'unsupported';
  if (status === 'PASSED') return level === 'MAY' ? 'informational' : 'pass';
  if (status === 'SKIPPED') return 'unsupported';
  return level === 'MUST' ? 'fail' : 'non-strict';
}

/** One example of a requirement (a scenario, or one row of an outline's examples). */
interface CaseResult {
  pickle: Pickle;
  verdict: Verdict;
  durationMs: number;
  evidence: Evidence;
  message?: string;
}

/** Worst first: the verdict a requirement gets from its examples. */
const VERDICT_SEVERITY: readonly Verdict[] = ['fail', 'non-strict', 'not-run', 'pass', 'informational', 'unsupported'];

/**
 * A requirement's result from its examples: the worst verdict, the evidence
 * and scenario of the worst example, every example listed when there are several.
 */
export function combine(requirement: Requirement, examples: readonly CaseResult[]): RequirementResult {
  const worst = [...examples].sort((a, b) => VERDICT_SEVERITY.indexOf(a.verdict) - VERDICT_SEVERITY.indexOf(b.verdict))[0]!;
  const notHeld = examples.filter((e) => e.verdict === 'fail' || e.verdict === 'non-strict');
  const message =
    examples.length === 1
      ? worst.message
      : notHeld.length > 0
        ? `${notHeld.length} of ${examples.length} examples did not hold; first: ${worst.pickle.name}\n${worst.message ?? ''}`
        : worst.verdict === 'unsupported' || worst.verdict === 'not-run'
          ? worst.message
          : undefined;
  return {
    ...requirement,
    verdict: worst.verdict,
    scenario: scenarioOf(worst.pickle),
    durationMs: Math.round(examples.reduce((sum, e) => sum + e.durationMs, 0)),
    ...(message !== undefined ? { message } : {}),
    evidence: worst.evidence,
    ...(examples.length > 1
      ? { examples: examples.map((e) => ({ name: e.pickle.name, verdict: e.verdict, durationMs: Math.round(e.durationMs), ...(e.message !== undefined ? { message: e.message } : {}), ...(e.evidence.closeOutcome !== undefined ? { closeOutcome: e.evidence.closeOutcome } : {}) })) }
      : {}),
  };
}

/**
 * What to tell a reader about a requirement that did not hold, always as
 * Expected and Actual: what a check said, else that the scenario should have
 * run to its verdict and the error that stopped it (a publish the server
 * refused, a timeout, an undefined step, a bug), without its stack trace.
 */
export function failureMessage(record: { status: string; message?: string }, evidence: Evidence): string {
  if (evidence.expected !== undefined) return `Expected: ${evidence.expected}\nActual:   ${evidence.actual ?? ''}`;
  if (record.message === undefined) return `Expected: the scenario to run to its verdict\nActual:   its status is ${record.status.toLowerCase()}`;
  const lines = record.message.split('\n');
  const stack = lines.findIndex((line) => /^\s+at /.test(line) || /^\s+\+ expected - actual/.test(line));
  const error = (stack === -1 ? lines : lines.slice(0, stack)).join('\n').trim();
  // A check's failure that reached cucumber without its evidence already reads as Expected / Actual.
  if (error.startsWith('Expected: ')) return error;
  return `Expected: the scenario to run to its verdict\nActual:   ${error.replace(/\n/g, '\n          ')}`;
}

const KEYWORD: Record<string, string> = { Context: 'Given', Action: 'When', Outcome: 'Then' };

/** A pickle's steps as Gherkin text: a repeated keyword reads "And", as it was written. */
export function scenarioOf(pickle: Pickle): ScenarioRef {
  let previous = '';
  const steps = pickle.steps.map((step) => {
    const keyword = KEYWORD[step.type ?? ''] ?? previous ?? 'Given';
    const shown = keyword === previous ? 'And' : keyword;
    previous = keyword;
    return `${shown} ${step.text}`;
  });
  return { uri: pickle.uri, name: pickle.name, steps };
}

/** The requirement a scenario checks: the one tag that is a catalogue id. */
function requirementOf(tags: readonly string[], catalogue: ReadonlyMap<string, Requirement>): Requirement | undefined {
  for (const tag of tags) {
    const requirement = catalogue.get(tag.replace(/^@/, ''));
    if (requirement !== undefined) return requirement;
  }
  return undefined;
}

/** One result per requirement whose scenario ran, in catalogue order. */
export function resultsFromEnvelopes(envelopes: readonly Envelope[], requirements: readonly Requirement[]): RequirementResult[] {
  const catalogue = new Map(requirements.map((r) => [r.id, r]));
  const pickles = new Map<string, Pickle>();
  const testCasePickle = new Map<string, string>();
  const cases = new Map<string, CaseRecord>();
  const startedToCase = new Map<string, string>();
  for (const envelope of envelopes) {
    if (envelope.pickle) pickles.set(envelope.pickle.id, envelope.pickle);
    if (envelope.testCase) testCasePickle.set(envelope.testCase.id, envelope.testCase.pickleId);
    if (envelope.testCaseStarted) {
      const started = envelope.testCaseStarted;
      // A retried case starts again: the last attempt is the one that counts.
      cases.set(started.testCaseId, { pickleId: testCasePickle.get(started.testCaseId) ?? '', status: 'PASSED', durationMs: 0 });
      startedToCase.set(started.id, started.testCaseId);
    }
    if (envelope.testStepFinished) {
      const { testCaseStartedId, testStepResult: result } = envelope.testStepFinished;
      const record = cases.get(startedToCase.get(testCaseStartedId) ?? '');
      if (record === undefined) continue;
      record.durationMs += result.duration.seconds * 1000 + result.duration.nanos / 1e6;
      if (SEVERITY.indexOf(result.status) > SEVERITY.indexOf(record.status)) {
        record.status = result.status;
        if (result.message !== undefined) record.message = result.message;
      }
    }
    if (envelope.attachment?.mediaType === EVIDENCE_MEDIA_TYPE && envelope.attachment.testCaseStartedId !== undefined) {
      const record = cases.get(startedToCase.get(envelope.attachment.testCaseStartedId) ?? '');
      if (record !== undefined) record.attachment = JSON.parse(envelope.attachment.body) as EvidenceAttachment;
    }
  }
  // One result per requirement: an outline's examples are cases of one requirement.
  const byRequirement = new Map<string, { requirement: Requirement; examples: CaseResult[] }>();
  for (const record of cases.values()) {
    const pickle = pickles.get(record.pickleId);
    const requirement = pickle && requirementOf(pickle.tags.map((t) => t.name), catalogue);
    if (pickle === undefined || requirement === undefined) continue;
    const unsupported = record.attachment?.unsupported;
    const notRun = record.attachment?.notRun;
    const evidence = record.attachment?.evidence ?? EMPTY_EVIDENCE;
    const verdict = verdictFor(requirement.level, record.status, unsupported !== undefined, notRun !== undefined);
    const failed = NOT_PASSED.has(record.status) ? failureMessage(record, evidence) : undefined;
    // A case whose failure led to the stop (its probe found the server gone) keeps what it saw beside the reason.
    const message = notRun !== undefined ? (failed !== undefined ? `${notRun}\nWhat this case saw before the stop:\n${failed}` : notRun) : (unsupported ?? failed);
    const entry = byRequirement.get(requirement.id) ?? { requirement, examples: [] };
    entry.examples.push({ pickle, verdict, durationMs: record.durationMs, evidence, ...(message !== undefined ? { message } : {}) });
    byRequirement.set(requirement.id, entry);
  }
  const stopReason = [...cases.values()].map((record) => record.attachment?.notRun).find((reason) => reason !== undefined);
  addObservedParts(cases.values(), pickles, catalogue, byRequirement, stopReason);
  const results = [...byRequirement.values()].map(({ requirement, examples }) => combine(requirement, examples));
  const order = new Map(requirements.map((r, i) => [r.id, i]));
  return results.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
}

export function totalsOf(results: readonly { verdict: Verdict }[]): VerdictTotals {
  const totals: VerdictTotals = { pass: 0, 'non-strict': 0, fail: 0, informational: 0, unsupported: 0, 'not-run': 0 };
  for (const result of results) totals[result.verdict] += 1;
  return totals;
}

/**
 * The requirements no scenario checks on its own but every scenario of a kind
 * observes on the way (`collected` in the catalogue: the close frame of a failed
 * WebSocket connection, say). Each observation becomes an example of its
 * requirement, named after the scenario that made it, judged at the part's own
 * level; a run whose scenarios of that technique observed nothing reports it unsupported.
 */
function addObservedParts(
  records: Iterable<CaseRecord>,
  pickles: ReadonlyMap<string, Pickle>,
  catalogue: ReadonlyMap<string, Requirement>,
  byRequirement: Map<string, { requirement: Requirement; examples: CaseResult[] }>,
  stopped: string | undefined,
): void {
  const techniquesRun = new Set([...byRequirement.values()].map((entry) => entry.requirement.technique));
  for (const record of records) {
    const pickle = pickles.get(record.pickleId);
    const evidence = record.attachment?.evidence;
    if (pickle === undefined || evidence?.parts === undefined) continue;
    for (const part of evidence.parts) {
      const requirement = catalogue.get(part.requirement);
      if (requirement === undefined) continue;
      const verdict = verdictFor(requirement.level, part.held ? 'PASSED' : 'FAILED', false);
      const partEvidence: Evidence = { ...evidence, ...(part.held ? {} : { expected: part.expected, actual: part.actual }) };
      delete partEvidence.parts;
      const message = part.held ? undefined : `Expected: ${part.expected}\nActual:   ${part.actual}`;
      const entry = byRequirement.get(requirement.id) ?? { requirement, examples: [] };
      entry.examples.push({ pickle, verdict, durationMs: 0, evidence: partEvidence, ...(message !== undefined ? { message } : {}) });
      byRequirement.set(requirement.id, entry);
    }
  }
  // When the run stopped (`stopped`: why), what nothing observed may have been observed by the cases it did not judge.
  for (const requirement of catalogue.values()) {
    if (requirement.collected === undefined || byRequirement.has(requirement.id) || !techniquesRun.has(requirement.technique)) continue;
    const message = `no scenario of this run observed it; it is observed ${requirement.collected}`;
    byRequirement.set(requirement.id, {
      requirement,
      examples: [{ pickle: NO_SCENARIO, verdict: stopped !== undefined ? 'not-run' : 'unsupported', durationMs: 0, evidence: EMPTY_EVIDENCE, message: stopped !== undefined ? `${message}; ${stopped}` : message }],
    });
  }
}

/** The stand-in scenario of a collected requirement nothing observed. */
const NO_SCENARIO: Pickle = { id: '', uri: '', location: undefined, name: '(not observed)', language: 'en', steps: [], tags: [], astNodeIds: [] } as unknown as Pickle;

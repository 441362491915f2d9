/**
 * Scenario lifecycle: load the adapter and skip what it cannot run (reported
 * as unsupported, never failed) or what a stopped run will not judge
 * (reported not run, with the run's reason); afterwards ask whether the
 * server is gone when nothing answered, close every connection and attach
 * the evidence for the reports.
 */
import { After, AfterStep, Before, type ITestCaseHookParameter } from '@cucumber/cucumber';
import { backgroundWindow, WAITS_TAG } from '../../core/background-window.ts';
import { EVIDENCE_MEDIA_TYPE, type EvidenceAttachment } from '../../core/evidence.ts';
import { ConformanceFailure } from '../../core/failure.ts';
import { notRunReason, runControl } from '../../core/run-control.ts';
import { techniqueOf, unsupportedReason } from '../../techniques/capabilities.ts';
import { nothingAnswered } from './nothing-answered.ts';
import { caseDeadline } from './step-backstop.ts';
import { UNCUT } from './step-deadline.ts';
import type { PushWorld } from './world.ts';

Before(async function (this: PushWorld, { pickle }) {
  const tags = pickle.tags.map((tag) => tag.name);
  const adapter = await this.prepare(tags);
  this.technique = techniqueOf(tags);
  // What the adapter does not declare is unsupported whether or not the run goes on.
  const reason = unsupportedReason(adapter, tags);
  if (reason !== undefined) {
    this.unsupported = reason;
    return 'skipped';
  }
  const control = runControl();
  if (control.stopped !== undefined) {
    this.notRun = notRunReason(control.stopped);
    return 'skipped';
  }
  // Heavy work queued ahead plays only while a scenario waits (core/background-window.ts); others begin once it is over.
  const window = backgroundWindow();
  if (tags.includes(WAITS_TAG)) window.openWindow();
  else await window.closeWindow();
  control.beginCase(caseDeadline(adapter));
  return undefined;
});

// The After hook's own `error` is only the last step's, so the failing step's is kept here.
AfterStep(function (this: PushWorld, { error }) {
  if (error instanceof ConformanceFailure) this.failure ??= error;
});

const after = async function (this: PushWorld, { result }: ITestCaseHookParameter): Promise<void> {
  const control = runControl();
  const finishCase = control.endCase();
  const judged = this.notRun === undefined && this.unsupported === undefined;
  const status = String(result?.status ?? 'UNKNOWN');
  const failed = judged && status !== 'PASSED' && status !== 'SKIPPED';
  const failure = this.failure === undefined ? undefined : { expected: this.failure.expected, actual: this.failure.actual };
  // A case that failed for want of an answer may have met a dead server: if so, the run stops and this case was not judged.
  if (failed && control.stopped === undefined && nothingAnswered(this.scenario.transcript.toEvidence(failure), result?.message)) await control.checkServer();
  if (failed && control.stopped !== undefined) this.notRun = notRunReason(control.stopped);
  await this.close();
  finishCase();
  // Taken once the connections are closed: closing records too (a close frame, a stream's end).
  const evidence = this.scenario.transcript.toEvidence(failure);
  const attachment: EvidenceAttachment = {
    ...(this.unsupported !== undefined ? { unsupported: this.unsupported } : {}),
    ...(this.notRun !== undefined ? { notRun: this.notRun } : {}),
    evidence,
  };
  this.attach(JSON.stringify(attachment), EVIDENCE_MEDIA_TYPE);
};
(after as unknown as Record<symbol, boolean>)[UNCUT] = true;
After(after);

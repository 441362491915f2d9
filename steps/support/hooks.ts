/**
 * Scenario lifecycle: load the adapter and skip what it cannot run (reported
 * as unsupported, never failed); afterwards close every connection and attach
 * the evidence for the reports.
 */
import { After, AfterStep, Before } from '@cucumber/cucumber';
import { EVIDENCE_MEDIA_TYPE, type EvidenceAttachment } from '../../core/evidence.ts';
import { ConformanceFailure } from '../../core/failure.ts';
import { techniqueOf, unsupportedReason } from '../../techniques/capabilities.ts';
import type { PushWorld } from './world.ts';

Before(async function (this: PushWorld, { pickle }) {
  const tags = pickle.tags.map((tag) => tag.name);
  const adapter = await this.prepare(tags);
  this.technique = techniqueOf(tags);
  const reason = unsupportedReason(adapter, tags);
  if (reason === undefined) return undefined;
  this.unsupported = reason;
  return 'skipped';
});

// The After hook's own `error` is only the last step's, so the failing step's is kept here.
AfterStep(function (this: PushWorld, { error }) {
  if (error instanceof ConformanceFailure) this.failure ??= error;
});

After(async function (this: PushWorld) {
  await this.close();
  const failure = this.failure === undefined ? undefined : { expected: this.failure.expected, actual: this.failure.actual };
  const evidence = this.scenario.transcript.toEvidence(failure);
  const attachment: EvidenceAttachment = {
    ...(this.unsupported !== undefined ? { unsupported: this.unsupported } : {}),
    evidence,
  };
  this.attach(JSON.stringify(attachment), EVIDENCE_MEDIA_TYPE);
});

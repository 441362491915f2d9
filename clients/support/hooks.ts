/**
 * Scenario lifecycle of the client checks: load the client adapter and skip
 * what the client does not take part in (reported unsupported, never failed);
 * afterwards end every client and scripted server and attach the evidence.
 */
import { After, AfterStep, Before } from '@cucumber/cucumber';
import { EVIDENCE_MEDIA_TYPE, type EvidenceAttachment } from '../../core/evidence.ts';
import { ConformanceFailure } from '../../core/failure.ts';
import { CLIENT_TECHNIQUES, type ClientTechnique } from '../contract/adapter.ts';
import type { ClientWorld } from './world.ts';

/** The technique tag on a client Feature, as the adapter's section name. */
const TECHNIQUE_OF_TAG: Readonly<Record<string, ClientTechnique>> = { '@polling': 'polling', '@long-polling': 'longPolling', '@sse': 'sse', '@websocket': 'websocket' };

/** A requirement id tag, e.g. `@SSEC-LINE-ENDINGS`. */
const REQUIREMENT_TAG = /^@[A-Z]+-[A-Z0-9-]+$/;

Before(async function (this: ClientWorld, { pickle }) {
  const tags = pickle.tags.map((t) => t.name);
  const client = await this.prepare();
  const technique = tags.map((t) => TECHNIQUE_OF_TAG[t]).find((t) => t !== undefined);
  if (technique === undefined || !CLIENT_TECHNIQUES.includes(technique)) throw new Error(`the scenario "${pickle.name}" has no technique tag (${Object.keys(TECHNIQUE_OF_TAG).join(', ')})`);
  if (client.techniques[technique] === undefined) {
    this.unsupported = `the client adapter has no "${technique}" section: the client does not speak it`;
    return 'skipped';
  }
  const id = tags.find((t) => REQUIREMENT_TAG.test(t))?.slice(1);
  const why = id !== undefined ? client.unsupported[id] : undefined;
  if (why !== undefined) {
    this.unsupported = `the client adapter says it cannot take part: ${why}`;
    return 'skipped';
  }
  return undefined;
});

AfterStep(function (this: ClientWorld, { error }) {
  if (error instanceof ConformanceFailure) this.failure ??= error;
});

After(async function (this: ClientWorld) {
  await this.close();
  const failure = this.failure === undefined ? undefined : { expected: this.failure.expected, actual: this.failure.actual };
  const attachment: EvidenceAttachment = {
    ...(this.unsupported !== undefined ? { unsupported: this.unsupported } : {}),
    ...(this.notRun !== undefined ? { notRun: this.notRun } : {}),
    evidence: this.transcript.toEvidence(failure),
  };
  this.attach(JSON.stringify(attachment), EVIDENCE_MEDIA_TYPE);
});

/**
 * How a scenario hands its evidence to the reports: one cucumber attachment
 * of this media type per scenario, read back by verdicts/from-envelopes.ts.
 */
import type { Evidence } from '../verdicts/model.ts';

export const EVIDENCE_MEDIA_TYPE = 'application/vnd.pushspec.evidence+json';

export interface EvidenceAttachment {
  /** Why the adapter could not run the scenario, when it could not. */
  unsupported?: string;
  evidence: Evidence;
}

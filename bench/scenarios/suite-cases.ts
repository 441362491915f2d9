/**
 * What one suite run's messages.ndjson says beside its wall time: how many
 * cases (cucumber test cases: scenarios and Examples rows) ran, and the
 * figures each Autobahn category 9 case reported (duration, echoed payload
 * rate; issue 15), read from the pushspec evidence attached to each case.
 * Pure: text in, numbers out.
 */
import { EVIDENCE_MEDIA_TYPE } from '../../core/evidence.ts';

/** `case 9.1.6 duration`, `case 9.5.1 echoed payload rate`. */
const CASE_FIGURE = /^case (9\.\d+\.\d+) (duration|echoed payload rate)$/;

/** One category 9 case's figures. */
export interface TimedCase {
  id: string;
  durationMs?: number;
  mibPerSecond?: number;
}

export interface SuiteCases {
  /** Cucumber test cases started: every scenario and every Examples row. */
  caseCount: number;
  /** Category 9 cases, in Autobahn's order. */
  timed: TimedCase[];
}

interface Attachment {
  mediaType?: string;
  body?: string;
}

/** Reads the cases and the category 9 figures out of a run's messages.ndjson. */
export function readSuiteCases(ndjson: string): SuiteCases {
  let caseCount = 0;
  const byId = new Map<string, TimedCase>();
  for (const line of ndjson.split('\n')) {
    if (line.startsWith('{"testCaseStarted"')) caseCount += 1;
    if (!line.startsWith('{"attachment"')) continue;
    const attachment = (JSON.parse(line) as { attachment: Attachment }).attachment;
    if (attachment.mediaType !== EVIDENCE_MEDIA_TYPE || attachment.body === undefined) continue;
    const figures = (JSON.parse(attachment.body) as { evidence?: { figures?: Array<{ name: string; value: number }> } }).evidence?.figures ?? [];
    for (const figure of figures) {
      const match = CASE_FIGURE.exec(figure.name);
      if (match === null) continue;
      const timed = byId.get(match[1]!) ?? { id: match[1]! };
      if (match[2] === 'duration') timed.durationMs = figure.value;
      else timed.mibPerSecond = figure.value;
      byId.set(timed.id, timed);
    }
  }
  return { caseCount, timed: [...byId.values()].sort((a, b) => compareIds(a.id, b.id)) };
}

/** `9.3.10` after `9.3.9`. */
function compareIds(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}

/** Autobahn's families of category 9, in words, for the figures' titles. */
export const CATEGORY_9_FAMILIES: Record<string, string> = {
  '9.1': 'text messages of 64 KiB to 16 MiB',
  '9.2': 'binary messages of 64 KiB to 16 MiB',
  '9.3': 'a 4 MiB text message in frames of 64 B to 4 MiB',
  '9.4': 'a 4 MiB binary message in frames of 64 B to 4 MiB',
  '9.5': 'a 1 MiB text message in TCP writes of 64 to 2048 B',
  '9.6': 'a 1 MiB binary message in TCP writes of 64 to 2048 B',
  '9.7': '1000 text round trips of 0 B to 4 KiB',
  '9.8': '1000 binary round trips of 0 B to 4 KiB',
};

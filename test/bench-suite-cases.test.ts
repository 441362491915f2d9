import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EVIDENCE_MEDIA_TYPE } from '../core/evidence.ts';
import { readSuiteCases } from '../bench/scenarios/suite-cases.ts';

function attachment(figures: Array<{ name: string; value: number; unit: string }>, mediaType = EVIDENCE_MEDIA_TYPE): string {
  return JSON.stringify({ attachment: { mediaType, body: JSON.stringify({ evidence: { figures } }) } });
}

describe('readSuiteCases (bench harness speed: cases and category 9 figures of one run)', () => {
  it('counts every test case started and collects each 9.x case figure, in Autobahn order', () => {
    const ndjson = [
      JSON.stringify({ meta: {} }),
      JSON.stringify({ testCaseStarted: { id: 'a' } }),
      JSON.stringify({ testCaseStarted: { id: 'b' } }),
      JSON.stringify({ testCaseStarted: { id: 'c' } }),
      attachment([
        { name: 'case 9.3.10 duration', value: 30, unit: 'ms' },
        { name: 'case 9.3.10 echoed payload rate', value: 5, unit: 'MiB/s' },
      ]),
      attachment([
        { name: 'case 9.3.9 duration', value: 20, unit: 'ms' },
        { name: 'case 1.1.1 duration', value: 1, unit: 'ms' },
        { name: 'poll latency', value: 3, unit: 'ms' },
      ]),
      attachment([{ name: 'case 9.1.1 duration', value: 10, unit: 'ms' }], 'text/plain'),
      '',
    ].join('\n');
    assert.deepEqual(readSuiteCases(ndjson), {
      caseCount: 3,
      timed: [
        { id: '9.3.9', durationMs: 20 },
        { id: '9.3.10', durationMs: 30, mibPerSecond: 5 },
      ],
    });
  });

  it('reads an empty run as no cases', () => {
    assert.deepEqual(readSuiteCases(''), { caseCount: 0, timed: [] });
  });
});

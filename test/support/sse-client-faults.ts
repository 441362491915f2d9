/**
 * The EventSource client checks' honesty, shared by the three
 * test/e2e/sse-client-*verdicts.test.ts files (one per group of sections, so
 * each file stays a few minutes long): the fixture client
 * (test/fixtures/clients/sse-client.mjs) passes every SSEC requirement, and
 * each of its faults fails exactly the requirement its header names, and
 * nothing else. Every fault runs every requirement.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { loadClientCatalogue } from '../../verdicts/catalogue.ts';
import { broken, faultsListedIn, holding, inPool, runClient } from './client-verdict-runs.ts';

/** Runs at once: each run mostly waits on its scripted servers and client processes. */
const POOL = 4;

const requirements = loadClientCatalogue().requirements.filter((r) => r.technique === 'sse');
const faults = faultsListedIn('test/fixtures/clients/sse-client.mjs');
const adapter = (fault?: string): string => `test/fixtures/clients/adapters/sse-client${fault === undefined ? '' : `-${fault}`}.json`;

/** Declares the tests for the faults that break a requirement of `sections` (and, with `conformant`, the correct fixture's). */
export function describeSseClientFaults(title: string, sections: readonly string[], conformant: boolean): void {
  const work = mkdtempSync(join(tmpdir(), 'pushspec-sse-clients-'));
  after(() => rmSync(work, { recursive: true, force: true }));
  const mine = [...faults].filter(([, id]) => sections.includes(requirements.find((r) => r.id === id)?.section ?? ''));
  const names: Array<string | undefined> = [...(conformant ? [undefined] : []), ...mine.map(([fault]) => fault)];
  const started = inPool(names, POOL, (f) => runClient(adapter(f), join(work, f ?? 'conformant')));
  const runs = new Map(names.map((fault, i) => [fault, started[i]!]));

  describe(title, () => {
    if (conformant) {
      test('every SSEC requirement has exactly one fault in the fixture client, and every fault names a requirement', () => {
        assert.deepEqual([...faults.values()].sort(), requirements.map((r) => r.id).sort());
      });

      test('the conformant fixture client passes every SSEC requirement (MAY ones informational), exit 0', async () => {
        const run = await runs.get(undefined)!;
        const sse = new Set(requirements.map((r) => r.id));
        assert.deepEqual([...run.verdicts.keys()].filter((id) => sse.has(id)).sort(), [...sse].sort(), 'every SSEC requirement has a verdict');
        // The fixture speaks only SSE: every other technique's requirements are unsupported, never judged.
        for (const [id, verdict] of run.verdicts) if (!sse.has(id)) assert.equal(verdict, 'unsupported', `${id}: the fixture has no section for its technique`);
        for (const r of requirements) assert.equal(run.verdicts.get(r.id), holding(r.level), `${r.id}\n${run.stdout}`);
        assert.equal(run.status, 0);
      });
    }

    for (const [fault, id] of mine) {
      test(`--fault ${fault} fails ${id} and nothing else`, async () => {
        const run = await runs.get(fault)!;
        for (const r of requirements) assert.equal(run.verdicts.get(r.id), r.id === id ? broken(r.level) : holding(r.level), `${r.id} under --fault ${fault}\n${run.stdout}`);
        assert.equal(run.status, requirements.find((r) => r.id === id)!.level === 'MUST' ? 1 : 0);
      });
    }
  });
}

/**
 * The client checks' honesty, for EventSource clients: the fixture client
 * (test/fixtures/clients/sse-client.mjs) passes every SSEC requirement, and
 * each of its faults that breaks a rule of reading the stream (its lines, its
 * fields, the events it dispatches) fails exactly that rule. The faults of
 * opening and reconnecting are in sse-client-connection-verdicts.test.ts;
 * together the two cover every fault the fixture lists.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { loadClientCatalogue } from '../../verdicts/catalogue.ts';
import { broken, faultsListedIn, holding, inPool, runClient } from '../support/client-verdict-runs.ts';

const work = mkdtempSync(join(tmpdir(), 'pushspec-sse-clients-'));
after(() => rmSync(work, { recursive: true, force: true }));

const requirements = loadClientCatalogue().requirements.filter((r) => r.technique === 'sse');
const READING = new Set(['Reading the event stream', 'Reading fields', 'Dispatching events']);
const faults = faultsListedIn('test/fixtures/clients/sse-client.mjs');
const mine = [...faults].filter(([, id]) => READING.has(requirements.find((r) => r.id === id)?.section ?? ''));

const adapter = (fault?: string): string => `test/fixtures/clients/adapters/sse-client${fault === undefined ? '' : `-${fault}`}.json`;
const runs = inPool([undefined, ...mine.map(([fault]) => fault)], 3, (fault) => runClient(adapter(fault), join(work, fault ?? 'conformant')));

describe('EventSource clients: a fixture client that breaks one rule of reading the stream is reported as breaking that rule', () => {
  test('every SSEC requirement has exactly one fault in the fixture client, and every fault names a requirement', () => {
    const ids = requirements.map((r) => r.id).sort();
    assert.deepEqual([...faults.values()].sort(), ids);
  });

  test('the conformant fixture client passes every SSEC requirement (MAY ones informational), exit 0', async () => {
    const run = await runs[0]!;
    assert.deepEqual([...run.verdicts.keys()].sort(), requirements.map((r) => r.id).sort(), 'every requirement has a verdict');
    for (const r of requirements) assert.equal(run.verdicts.get(r.id), holding(r.level), `${r.id}\n${run.stdout}`);
    assert.equal(run.status, 0);
  });

  mine.forEach(([fault, id], i) => {
    test(`--fault ${fault} fails ${id} and nothing else`, async () => {
      const run = await runs[i + 1]!;
      for (const r of requirements) assert.equal(run.verdicts.get(r.id), r.id === id ? broken(r.level) : holding(r.level), `${r.id} under --fault ${fault}\n${run.stdout}`);
      assert.equal(run.status, requirements.find((r) => r.id === id)!.level === 'MUST' ? 1 : 0);
    });
  });
});

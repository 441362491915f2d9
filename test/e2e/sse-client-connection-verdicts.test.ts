/**
 * The client checks' honesty, for EventSource clients, continued from
 * sse-client-verdicts.test.ts (which also runs the conformant fixture): each
 * fault of the fixture client that breaks a rule of opening the stream or of
 * reconnecting fails exactly that rule.
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
const CONNECTING = new Set(['Opening the event stream', 'Reconnecting']);
const faults = faultsListedIn('test/fixtures/clients/sse-client.mjs');
const mine = [...faults].filter(([, id]) => CONNECTING.has(requirements.find((r) => r.id === id)?.section ?? ''));

const adapter = (fault?: string): string => `test/fixtures/clients/adapters/sse-client${fault === undefined ? '' : `-${fault}`}.json`;
const runs = inPool([...mine.map(([fault]) => fault)], 3, (fault) => runClient(adapter(fault), join(work, fault ?? 'conformant')));

describe('EventSource clients: a fixture client that breaks one rule of opening or reconnecting is reported as breaking that rule', () => {
  mine.forEach(([fault, id], i) => {
    test(`--fault ${fault} fails ${id} and nothing else`, async () => {
      const run = await runs[i]!;
      for (const r of requirements) assert.equal(run.verdicts.get(r.id), r.id === id ? broken(r.level) : holding(r.level), `${r.id} under --fault ${fault}\n${run.stdout}`);
      assert.equal(run.status, requirements.find((r) => r.id === id)!.level === 'MUST' ? 1 : 0);
    });
  });
});

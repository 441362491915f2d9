/**
 * The bundled third-party targets (adapters/targets/): every adapter is valid
 * and documented, every verdict that is not a pass is explained with its spec
 * passage, and docs/known-servers.md is what `npm run docs` renders. Running
 * the servers themselves is the system tier (test/system/known-servers.test.ts).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { test } from 'node:test';
import { loadAdapterFile } from '../adapters/contract/load.ts';
import { bundledAdapters } from '../cli/commands/matrix.ts';
import { renderKnownServersDoc } from '../scripts/known-servers-doc.ts';
import { EXPLAINED, loadExpected } from '../verdicts/expected.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const EXPECTED = join(ROOT, 'adapters', 'targets', 'expected-verdicts.json');

test('every bundled adapter is valid, named after its folder, documented and has expected verdicts', async () => {
  const expected = await loadExpected(EXPECTED);
  const files = bundledAdapters();
  assert.ok(files.length >= 6, `six bundled targets, found ${files.length}`);
  for (const file of files) {
    const adapter = await loadAdapterFile(file);
    const folder = basename(dirname(file));
    assert.equal(adapter.name, folder, `${file}: the adapter's name is its folder's`);
    assert.ok(adapter.launch?.requires?.length, `${file}: says what must be installed (launch.requires)`);
    assert.ok(existsSync(join(dirname(file), 'README.md')), `${folder}: has a README`);
    assert.ok(expected.targets[adapter.name], `${folder}: has expected verdicts`);
  }
  assert.ok(expected.targets.reference, 'the reference server is a column too');
});

test('every fail and non-strict verdict of a real server is explained with its spec passage', async () => {
  const expected = await loadExpected(EXPECTED);
  for (const [name, target] of Object.entries(expected.targets)) {
    for (const [id, verdict] of Object.entries(target.verdicts)) {
      if (EXPLAINED.includes(verdict)) assert.ok(target.deviations[id], `${name} ${id} is ${verdict} with no explanation`);
    }
    for (const id of Object.keys(target.deviations)) {
      // A verdict that varies between runs keeps its explanation while one of the verdicts seen needs it.
      const seen = target.varies?.[id]?.verdicts ?? [target.verdicts[id]!];
      assert.ok(seen.some((v) => EXPLAINED.includes(v)), `${name} ${id}: explained, but expected ${seen.join(' or ')}`);
    }
  }
  // The reference holds everything it can run; it has no long-polling session to move onto a WebSocket, is one server
  // (not a cluster), and ws, which it is built on, checks UTF-8 only once a message is whole (the MAY of failing
  // fast, explained in the file).
  const referenceLacks = new Set(['WS-UPGRADE-NO-LOSS', ...Object.keys(expected.targets.reference?.verdicts ?? {}).filter((id) => id.includes('-CLUSTER-'))]);
  const referenceNonStrict = new Set(['WS-UTF8-FAIL-FAST']);
  for (const [id, verdict] of Object.entries(expected.targets.reference?.verdicts ?? {})) {
    const allowed = verdict === 'pass' || verdict === 'informational' || (verdict === 'unsupported' && referenceLacks.has(id)) || (verdict === 'non-strict' && referenceNonStrict.has(id));
    assert.ok(allowed, `reference ${id} is ${verdict}`);
  }
});

test('docs/known-servers.md is what `npm run docs` generates', () => {
  const committed = readFileSync(join(ROOT, 'docs', 'known-servers.md'), 'utf8');
  assert.equal(committed, renderKnownServersDoc(), 'docs/known-servers.md is stale: run `npm run docs`');
});

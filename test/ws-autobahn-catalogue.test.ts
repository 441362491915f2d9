/**
 * Keeps the echo cases, the feature rows that play them and the mapping table
 * in step: every case has exactly one row, under the scenario of its
 * requirement, saying what the case sends and expects in the case's own words;
 * every Autobahn case of categories 1–7, 9, 10, 12 and 13 has a case (9.9 and
 * 9.10 excepted, which Autobahn disables); the README's table is the generated one.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { readFeatures } from '../verdicts/feature-files.ts';
import { README, renderReadme } from '../scripts/websocket-mapping.ts';
import { AUTOBAHN_IDS } from '../techniques/websocket/autobahn/autobahn-ids.ts';
import { CASES, DISABLED_BY_AUTOBAHN } from '../techniques/websocket/autobahn/catalogue.ts';
import { outcomeWords } from '../techniques/websocket/autobahn/words.ts';
import { loadCatalogue } from '../verdicts/catalogue.ts';

const rows = readFeatures().flatMap((feature) =>
  feature.scenarios.flatMap((scenario) =>
    scenario.examples
      .filter((e) => e.header.includes('case'))
      .flatMap((e) => e.rows.map((cells) => ({ feature: feature.uri, tags: scenario.tags, row: Object.fromEntries(e.header.map((h, i) => [h, cells[i] ?? ''])) as Record<string, string> }))),
  ),
);

test('every case row names a case, under the scenario of its requirement, in its words', () => {
  const byId = new Map(CASES.map((c) => [c.id, c]));
  for (const { feature, tags, row } of rows) {
    const c = byId.get(row.case!);
    assert.ok(c !== undefined, `${feature}: the row of case ${row.case} names no case`);
    assert.ok(tags.includes(`@${c.requirement}`), `${feature}: case ${c.id} belongs to ${c.requirement}, but its row is under ${tags.join(' ')}`);
    assert.equal(row.sends, c.sends, `${feature}: case ${c.id}'s row says it sends something else`);
    assert.equal(row.outcome, outcomeWords(c), `${feature}: case ${c.id}'s row expects something else`);
  }
});

test('every case has exactly one row, and its requirement is in the catalogue', () => {
  const requirements = new Set(loadCatalogue().requirements.map((r) => r.id));
  for (const c of CASES) {
    assert.equal(rows.filter((r) => r.row.case === c.id).length, 1, `case ${c.id} needs exactly one row`);
    assert.ok(requirements.has(c.requirement), `case ${c.id}: ${c.requirement} is not in features/requirements.json`);
    for (const part of [c.nonStrictPart].filter((p) => p !== undefined)) assert.ok(requirements.has(part), `case ${c.id}: ${part} is not in the catalogue`);
  }
});

test("every Autobahn case of categories 1–7, 9, 10, 12 and 13 has a case, but those Autobahn disables", () => {
  const ids = new Set(CASES.map((c) => c.id));
  const missing = AUTOBAHN_IDS.filter((id) => !ids.has(id));
  assert.deepEqual(missing, [], `${missing.length} Autobahn cases have no pushspec case`);
  for (const id of Object.keys(DISABLED_BY_AUTOBAHN)) assert.ok(!ids.has(id), `${id} is disabled by Autobahn`);
  for (const c of CASES) assert.ok(AUTOBAHN_IDS.includes(c.id) || /^P\d/.test(c.id), `case ${c.id}: an id is Autobahn's, or pushspec's own starting with P`);
});

test('the mapping table in features/websocket/README.md is the generated one (npm run docs)', () => {
  assert.equal(readFileSync(README, 'utf8'), renderReadme());
});

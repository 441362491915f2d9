/**
 * Keeps the catalogue, the feature tags, the tag registry and the generated
 * docs in step (as fastify's tests keep its error codes and docs in step).
 */
import { WAITS_TAG } from '../core/background-window.ts';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { TECHNIQUES } from '../techniques/registry.ts';
import { CAPABILITY_TAGS, LEVEL_TAGS, TECHNIQUE_TAGS } from '../techniques/capabilities.ts';
import { loadCatalogue } from '../verdicts/catalogue.ts';
import { SUPPORT_CODE } from '../steps/run-suite.ts';
import { readFeatures } from '../verdicts/feature-files.ts';
import { renderRequirementsDoc } from '../scripts/requirements-doc.ts';
import { LEVELS } from '../verdicts/model.ts';

const catalogue = loadCatalogue();
const features = readFeatures();
const scenarios = features.flatMap((f) => f.scenarios.map((s) => ({ ...s, feature: f })));
const ids = new Set(catalogue.requirements.map((r) => r.id));
const PREFIX = { polling: 'POLL', longPolling: 'LP', sse: 'SSE', websocket: 'WS' } as const;
const TECHNIQUE_OF_TAG: Record<string, string> = Object.fromEntries(Object.entries(TECHNIQUE_TAGS).map(([tag, { technique }]) => [tag, technique]));

test('catalogue entries are well formed and unique', () => {
  assert.match(catalogue.version, /^\d+\.\d+\.\d+$/);
  assert.equal(ids.size, catalogue.requirements.length, 'duplicate id in requirements.json');
  for (const r of catalogue.requirements) {
    assert.ok(TECHNIQUES.includes(r.technique), `${r.id}: unknown technique ${r.technique}`);
    assert.ok(LEVELS.includes(r.level), `${r.id}: unknown level ${r.level}`);
    assert.match(r.id, new RegExp(`^${PREFIX[r.technique]}-[A-Z0-9]+(-[A-Z0-9]+)*$`), `${r.id}: id must start with ${PREFIX[r.technique]}-`);
    assert.ok(r.title.length > 10 && !r.title.endsWith('.'), `${r.id}: title should be one line without a final full stop`);
    assert.ok(r.source.label.length > 0, `${r.id}: source label missing`);
  }
});

test('every requirement is checked by exactly one scenario, tagged with its level and technique', () => {
  for (const r of catalogue.requirements.filter((x) => x.collected === undefined)) {
    const tagged = scenarios.filter((s) => s.tags.includes(`@${r.id}`));
    assert.equal(tagged.length, 1, `${r.id}: expected exactly one scenario, found ${tagged.length}`);
    const scenario = tagged[0]!;
    const levelTag = Object.entries(LEVEL_TAGS).find(([, level]) => level === r.level)![0];
    assert.ok(scenario.tags.includes(levelTag), `${r.id}: scenario must carry ${levelTag}`);
    const techniqueTags = scenario.feature.tags.filter((t) => t in TECHNIQUE_OF_TAG);
    assert.deepEqual(techniqueTags.map((t) => TECHNIQUE_OF_TAG[t]), [r.technique], `${r.id}: feature ${scenario.feature.uri} must carry the tag of technique ${r.technique}`);
    assert.ok(scenario.comment.length > 0, `${r.id}: the scenario needs a comment above it saying where the rule comes from`);
    assert.equal(r.section, scenario.feature.name, `${r.id}: its section must be the name of the Feature that checks it (${scenario.feature.uri})`);
  }
});

test('a collected requirement has no scenario of its own, is observed by a check, and belongs to a section that exists', () => {
  const collected = catalogue.requirements.filter((r) => r.collected !== undefined);
  assert.ok(collected.length > 0);
  const checks = readdirSync(new URL('../techniques/', import.meta.url), { recursive: true })
    // A check, or an echo case whose NON-STRICT outcome is reported under it (`nonStrictPart`, autobahn/cases-*.ts).
    .filter((f) => String(f).endsWith('checks.ts') || /autobahn\/cases-[^/]*\.ts$/.test(String(f)))
    .map((f) => readFileSync(new URL(`../techniques/${String(f)}`, import.meta.url), 'utf8'))
    .join('\n');
  for (const r of collected) {
    assert.equal(scenarios.filter((s) => s.tags.includes(`@${r.id}`)).length, 0, `${r.id}: collected, so no scenario may carry its tag`);
    assert.ok(checks.includes(`'${r.id}'`), `${r.id}: no check observes it`);
    assert.ok(features.some((f) => f.name === r.section && f.tags.includes(`@${{ polling: 'polling', longPolling: 'long-polling', sse: 'sse', websocket: 'websocket' }[r.technique]}`)), `${r.id}: section "${r.section}" is no Feature of its technique`);
  }
});

test('each section is one run of the catalogue, so the matrix and the docs group it once', () => {
  const seen: string[] = [];
  for (const r of catalogue.requirements) {
    const key = `${r.technique} / ${r.section}`;
    if (seen.at(-1) === key) continue;
    assert.ok(!seen.includes(key), `${r.id}: section "${key}" appears twice in requirements.json; keep its requirements together`);
    seen.push(key);
  }
});

test('every scenario checks exactly one catalogued requirement at one level', () => {
  for (const s of scenarios) {
    const requirementTags = s.tags.filter((t) => /^@[A-Z]+-[A-Z0-9-]+$/.test(t));
    assert.equal(requirementTags.length, 1, `${s.feature.uri}:${s.line} "${s.name}" needs one requirement tag, has ${requirementTags.join(' ') || 'none'}`);
    assert.ok(ids.has(requirementTags[0]!.slice(1)), `${s.feature.uri}:${s.line}: ${requirementTags[0]} is not in requirements.json`);
    assert.equal(s.tags.filter((t) => t in LEVEL_TAGS).length, 1, `${s.feature.uri}:${s.line}: needs exactly one level tag`);
  }
});

test('every tag in use is registered in code and documented in features/README.md', () => {
  const registry = readFileSync(new URL('../features/README.md', import.meta.url), 'utf8');
  const registered = new Set([...Object.keys(TECHNIQUE_TAGS), ...CAPABILITY_TAGS, ...Object.keys(LEVEL_TAGS), WAITS_TAG]);
  const used = new Set(features.flatMap((f) => [...f.tags, ...f.scenarios.flatMap((s) => s.tags)]));
  for (const tag of used) {
    if (ids.has(tag.slice(1))) continue;
    assert.ok(registered.has(tag), `${tag} is used in a feature file but not registered by a technique (techniques/<name>/adapter.ts) or techniques/capabilities.ts`);
  }
  for (const tag of registered) assert.ok(registry.includes(`\`${tag}\``), `${tag} is registered but not documented in features/README.md`);
});

test('docs/requirements.md is what `npm run docs` generates', () => {
  const committed = readFileSync(new URL('../docs/requirements.md', import.meta.url), 'utf8');
  assert.equal(committed, renderRequirementsDoc(), 'docs/requirements.md is stale: run `npm run docs`');
});

test('the README names every exit code and every verdict', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  for (const verdict of ['pass', 'non-strict', 'fail', 'informational', 'unsupported']) assert.ok(readme.includes(`**${verdict}**`), `README: verdict ${verdict}`);
  for (const code of [0, 1, 2, 3, 4]) assert.match(readme, new RegExp(`\\| \`${code}\` \\|`), `README: exit code ${code}`);
});

test('every step of every feature has exactly one step definition (a dry run finds none undefined or ambiguous)', async () => {
  const { loadConfiguration, runCucumber } = await import('@cucumber/cucumber/api');
  const { Writable } = await import('node:stream');
  const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
  const environment = { cwd: new URL('..', import.meta.url).pathname, stdout: silent, stderr: silent };
  const { runConfiguration } = await loadConfiguration({ file: false, provided: { paths: ['features/**/*.feature'], import: [...SUPPORT_CODE], dryRun: true } }, environment);
  const statuses: string[] = [];
  await runCucumber(runConfiguration, environment, (envelope) => {
    if (envelope.testStepFinished) statuses.push(envelope.testStepFinished.testStepResult.status);
  });
  assert.ok(statuses.length > 0, 'the dry run saw steps');
  assert.deepEqual(statuses.filter((s) => s === 'UNDEFINED' || s === 'AMBIGUOUS'), []);
});

test("every requirement's cited source opens: a web address, or a rule of the repository's own docs that exists", () => {
  for (const r of catalogue.requirements) {
    const url = r.source.url;
    assert.ok(url !== undefined, `${r.id}: its source "${r.source.label}" has no url`);
    if (/^https?:\/\//.test(url)) {
      assert.doesNotThrow(() => new URL(url), `${r.id}: ${url} is not a URL`);
      continue;
    }
    const [file, anchor] = url.split('#');
    const text = readFileSync(new URL(`../${file}`, import.meta.url), 'utf8');
    assert.ok(anchor === undefined || text.includes(`<a id="${anchor}"></a>`), `${r.id}: ${file} has no anchor "${anchor}"`);
    if (/pushspec model M-\d/.test(r.source.label)) {
      for (const [rule] of r.source.label.matchAll(/M-\d/g)) assert.ok(text.includes(`<a id="${rule.toLowerCase()}"></a>`), `${r.id}: ${file} has no rule ${rule}`);
    }
  }
});

/** docs/model.md as prose: Markdown marks and list bullets dropped, white space collapsed. */
function modelProse(): string {
  const text = readFileSync(new URL('../docs/model.md', import.meta.url), 'utf8');
  return text.replace(/^\s*- /gm, '').replaceAll('`', '').replaceAll('*', '').replace(/\s+/g, ' ');
}

test('every requirement quotes the sentence it rests on, at its level, or says why the level differs', () => {
  const keyword = { MUST: /\bMUST\b/, SHOULD: /\bSHOULD\b/, MAY: /\bMAY\b/ } as const;
  for (const r of catalogue.requirements) {
    const { quote, note, url = '' } = r.source;
    assert.ok(quote !== undefined && quote.length > 20, `${r.id}: quote the sentence of "${r.source.label}" in source.quote`);
    assert.ok(quote.length <= 420, `${r.id}: keep the quote short (${quote.length} characters); cut with …`);
    // WHATWG writes its keywords in lower case; RFCs and pushspec's model in capitals.
    const pattern = url.includes('whatwg.org') ? new RegExp(keyword[r.level].source, 'i') : keyword[r.level];
    assert.ok(pattern.test(quote) || (note !== undefined && note.length > 20), `${r.id}: the quote has no ${r.level}; say in source.note why the level is ${r.level}`);
  }
});

test("a quote of pushspec's model is the model's own words, and names the requirement's level", () => {
  const prose = modelProse();
  for (const r of catalogue.requirements.filter((x) => x.source.url?.startsWith('docs/model.md') === true)) {
    for (const part of r.source.quote!.split(' … ')) assert.ok(prose.includes(part), `${r.id}: docs/model.md does not say "${part}"`);
    assert.ok(r.source.quote!.includes(r.level) || r.source.note !== undefined, `${r.id}: the model sentence it quotes is not a ${r.level}`);
  }
});

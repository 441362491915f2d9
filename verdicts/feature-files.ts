/**
 * Reads the feature files as data (tags, scenarios, steps, the source comment
 * above each scenario), for the catalogue drift test and the generated docs.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { AstBuilder, GherkinClassicTokenMatcher, Parser } from '@cucumber/gherkin';
import { IdGenerator } from '@cucumber/messages';
import { PACKAGE_ROOT } from './catalogue.ts';

export interface ScenarioInfo {
  name: string;
  tags: string[];
  line: number;
  /** The comment lines right above the tags: where the requirement comes from. */
  comment: string;
  steps: string[];
  /** Its Examples tables: each a header and rows of cells. */
  examples: Array<{ header: string[]; rows: string[][] }>;
}

export interface FeatureInfo {
  /** Relative to the package root, e.g. `features/polling/answering.feature`. */
  uri: string;
  name: string;
  description: string;
  tags: string[];
  scenarios: ScenarioInfo[];
}

function featurePaths(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? featurePaths(join(dir, entry.name)) : entry.name.endsWith('.feature') ? [join(dir, entry.name)] : []))
    .sort();
}

export function readFeatures(root = join(PACKAGE_ROOT, 'features')): FeatureInfo[] {
  return featurePaths(root).map((path) => {
    const parser = new Parser(new AstBuilder(IdGenerator.uuid()), new GherkinClassicTokenMatcher());
    const document = parser.parse(readFileSync(path, 'utf8'));
    const feature = document.feature;
    if (feature === undefined) throw new Error(`${path} has no Feature`);
    const comments = document.comments;
    const scenarios: ScenarioInfo[] = [];
    for (const child of feature.children) {
      const scenario = child.scenario;
      if (scenario === undefined) continue;
      const firstLine = scenario.tags[0]?.location.line ?? scenario.location.line;
      const comment = comments
        .filter((c) => c.location.line < firstLine && c.location.line >= firstLine - 3)
        .map((c) => c.text.trim().replace(/^#\s?/, ''))
        .join(' ');
      scenarios.push({
        name: scenario.name,
        tags: scenario.tags.map((t) => t.name),
        line: scenario.location.line,
        comment,
        steps: scenario.steps.map((s) => `${s.keyword.trim()} ${s.text}`),
        examples: scenario.examples.map((e) => ({ header: e.tableHeader?.cells.map((c) => c.value) ?? [], rows: e.tableBody.map((r) => r.cells.map((c) => c.value)) })),
      });
    }
    return {
      uri: relative(PACKAGE_ROOT, path).split('\\').join('/'),
      name: feature.name,
      description: feature.description.trim(),
      tags: feature.tags.map((t) => t.name),
      scenarios,
    };
  });
}

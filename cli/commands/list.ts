/** `pushspec list`: the requirement catalogue, or with `--cases` every case, without running anything. */
import { loadCatalogue } from '../../verdicts/catalogue.ts';
import { readFeatures } from '../../verdicts/feature-files.ts';
import { techniqueLabel } from '../../reporting/format.ts';
import { EXIT } from '../../core/errors.ts';
import { parseOptions } from '../options.ts';

/** One case: a scenario, or one Examples row of an outline; `autobahn` is the Autobahn|Testsuite id it plays. */
export interface ListedCase {
  requirement: string;
  name: string;
  autobahn?: string;
}

const AUTOBAHN_ID = /^\d+(\.\d+)+$/;

/** Every case the feature files hold, by the requirement its scenario checks. */
export function listCases(): ListedCase[] {
  const ids = new Set(loadCatalogue().requirements.map((r) => r.id));
  const cases: ListedCase[] = [];
  for (const feature of readFeatures()) {
    for (const scenario of feature.scenarios) {
      const requirement = scenario.tags.map((t) => t.slice(1)).find((t) => ids.has(t));
      if (requirement === undefined) continue;
      const rows = scenario.examples.flatMap((e) => e.rows.map((cells) => Object.fromEntries(e.header.map((h, i) => [h, cells[i] ?? ''])) as Record<string, string>));
      if (rows.length === 0) cases.push({ requirement, name: scenario.name });
      for (const row of rows) {
        const name = row.sends ?? scenario.name.replace(/<(\w+)>/g, (_, key: string) => row[key] ?? `<${key}>`);
        const id = row.case;
        cases.push({ requirement, name, ...(id !== undefined && AUTOBAHN_ID.test(id) ? { autobahn: id } : {}), ...(id !== undefined && !AUTOBAHN_ID.test(id) ? { name: `${id}: ${name}` } : {}) });
      }
    }
  }
  return cases;
}

export async function listCommand(args: string[]): Promise<number> {
  const { values } = parseOptions('list', args, { json: { type: 'boolean', default: false }, cases: { type: 'boolean', default: false } });
  const catalogue = loadCatalogue();
  if (values.cases === true) return printCases(catalogue.requirements, values.json === true);
  if (values.json === true) {
    process.stdout.write(`${JSON.stringify(catalogue, null, 2)}\n`);
    return EXIT.OK;
  }
  const width = Math.max(...catalogue.requirements.map((r) => r.id.length));
  let technique = '';
  const lines = [`pushspec requirement catalogue ${catalogue.version}: ${catalogue.requirements.length} requirements`];
  for (const requirement of catalogue.requirements) {
    if (requirement.technique !== technique) {
      technique = requirement.technique;
      lines.push('', techniqueLabel(technique));
    }
    lines.push(`  ${requirement.id.padEnd(width)}  ${requirement.level.padEnd(6)}  ${requirement.title}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  return EXIT.OK;
}

function printCases(requirements: ReturnType<typeof loadCatalogue>['requirements'], json: boolean): number {
  const cases = listCases();
  if (json) {
    process.stdout.write(`${JSON.stringify(cases, null, 2)}\n`);
    return EXIT.OK;
  }
  const lines: string[] = [];
  const counts = new Map<string, { all: number; autobahn: number }>();
  for (const requirement of requirements) {
    const mine = cases.filter((c) => c.requirement === requirement.id);
    if (mine.length === 0) continue;
    const count = counts.get(requirement.technique) ?? { all: 0, autobahn: 0 };
    count.all += mine.length;
    count.autobahn += mine.filter((c) => c.autobahn !== undefined).length;
    counts.set(requirement.technique, count);
    lines.push(`${requirement.id} (${requirement.level}, ${mine.length} case${mine.length === 1 ? '' : 's'})`);
    for (const c of mine) lines.push(`  ${c.autobahn !== undefined ? `${c.autobahn.padEnd(8)}` : ''}${c.name}`);
  }
  const totals = [...counts].map(([t, n]) => `${techniqueLabel(t as never)} ${n.all}${n.autobahn > 0 ? ` (${n.autobahn} Autobahn|Testsuite cases)` : ''}`);
  process.stdout.write(`pushspec: ${cases.length} cases — ${totals.join(', ')}\n\n${lines.join('\n')}\n`);
  return EXIT.OK;
}

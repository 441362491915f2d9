/** `pushspec list`: the requirement catalogue, without running anything. */
import { loadCatalogue } from '../../verdicts/catalogue.ts';
import { techniqueLabel } from '../../reporting/format.ts';
import { EXIT } from '../../core/errors.ts';
import { parseOptions } from '../options.ts';

export async function listCommand(args: string[]): Promise<number> {
  const { values } = parseOptions('list', args, { json: { type: 'boolean', default: false } });
  const catalogue = loadCatalogue();
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

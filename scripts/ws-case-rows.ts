/**
 * Prints the Examples rows of the echo cases of one requirement (or of every
 * requirement), aligned, for pasting into a feature file:
 *   node --import tsx scripts/ws-case-rows.ts WS-UTF8-INVALID
 * The rows' words come from the cases themselves, so a row always says what its case checks.
 */
import { CASES } from '../techniques/websocket/autobahn/catalogue.ts';
import { outcomeWords } from '../techniques/websocket/autobahn/words.ts';

const wanted = process.argv[2];
const requirements = [...new Set(CASES.map((c) => c.requirement))].filter((r) => wanted === undefined || r === wanted);
if (requirements.length === 0) {
  process.stderr.write(`no case belongs to requirement ${wanted}\n`);
  process.exit(2);
}
for (const requirement of requirements) {
  const rows = CASES.filter((c) => c.requirement === requirement).map((c) => [c.id, c.sends, outcomeWords(c)]);
  const table = [['case', 'sends', 'outcome'], ...rows];
  const widths = [0, 1, 2].map((i) => Math.max(...table.map((r) => r[i]!.length)));
  process.stdout.write(`# ${requirement}\n`);
  for (const row of table) process.stdout.write(`      | ${row.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |\n`);
}

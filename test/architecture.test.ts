/**
 * Rules of the code's shape that are about what code does, not what it
 * imports (imports are dependency-cruiser's job: `npm run lint:deps`).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';

const ROOT = new URL('..', import.meta.url).pathname;
const SHIPPED = ['adapters/contract', 'cli', 'core', 'techniques', 'reference', 'reporting', 'soak', 'steps', 'verdicts'];

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? sources(path) : entry.name.endsWith('.ts') ? [path] : [];
  });
}

const files = SHIPPED.flatMap(sources).map((file) => ({ file: relative(ROOT, join(ROOT, file)), text: readFileSync(join(ROOT, file), 'utf8') }));

test('a requirement is judged in one layer: only checks (and the core, for missed deadlines) construct failures', () => {
  const judging = files.filter(({ text }) => /new (ConformanceFailure|NonStrictFailure)\(|expectThat\(/.test(text)).map(({ file }) => file);
  const allowed = (file: string): boolean => file.startsWith('core/') || /(^|\/)(checks|poll-checks|case-checks|h2-checks)\.ts$/.test(file);
  assert.deepEqual(judging.filter((file) => !allowed(file)), [], 'files outside core/ and the checks that construct a failure');
  assert.ok(judging.some((file) => file.endsWith('checks.ts')), 'the rule looks at real code');
});

test('step phrases record nothing themselves: figures and notes come from the actions', () => {
  const steps = files.filter(({ file }) => file.endsWith('.steps.ts'));
  assert.ok(steps.length >= 5);
  for (const { file, text } of steps) assert.doesNotMatch(text, /transcript|\.figure\(|\.note\(/, `${file} records into the transcript`);
});

test('every technique folder has the same parts', () => {
  const folders = readdirSync(join(ROOT, 'techniques'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
  assert.deepEqual(folders.sort(), ['long-polling', 'polling', 'sse', 'websocket']);
  for (const folder of folders) {
    const names = readdirSync(join(ROOT, 'techniques', folder));
    for (const part of ['index.ts', 'contract.ts', 'adapter.ts', 'validate.ts', 'actions.ts', 'checks.ts', `${folder}.steps.ts`]) {
      assert.ok(names.includes(part), `techniques/${folder} has no ${part}`);
    }
  }
});

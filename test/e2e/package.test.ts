/**
 * pushspec as a user gets it: packed with `npm pack`, installed from the
 * tarball into an empty folder with `npm install`, and used from there. The
 * installed `pushspec` lists the requirements and checks a server through
 * adapters of every kind a user may write (JSON, ESM, CommonJS, TypeScript in
 * a folder with and without "type": "module", importing `pushspec` or
 * `pushspec/adapter`), and the TypeScript adapter type-checks under NodeNext.
 * The adapters launch the installed package's own reference server.
 */
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Summary } from '../../verdicts/model.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'pushspec-package-'));
const project = join(work, 'project');
after(() => rmSync(work, { recursive: true, force: true }));

/** Packing builds the package (prepack → prepare); installing fetches its dependencies (from npm's cache when warm). */
const INSTALL_DEADLINE_MS = 5 * 60_000;
const RUN_DEADLINE_MS = 120_000;

function run(command: string, args: readonly string[], cwd: string, timeout = RUN_DEADLINE_MS): SpawnSyncReturns<string> {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout, env: { ...process.env, npm_config_fund: 'false', npm_config_audit: 'false', NO_COLOR: '1' } });
  assert.ok(result.status !== null, `${command} ${args.join(' ')} did not finish within ${timeout} ms: ${result.stderr}`);
  return result;
}

function ok(result: SpawnSyncReturns<string>, what: string): string {
  assert.equal(result.status, 0, `${what} exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/** The versions this repository builds with, so the user's folder type-checks with the same TypeScript. */
function versionOf(name: string): string {
  return (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

/** An adapter body that starts the installed package's reference server. */
function adapterBody(name: string): string {
  return `{
  name: '${name}',
  baseUrl: 'http://127.0.0.1:{port}',
  protocol: 'pushspec-reference',
  launch: { command: [process.execPath, ${JSON.stringify(join(project, 'node_modules', 'pushspec', 'dist', 'cli', 'bin.js'))}, 'serve', '--port', '{port}'] },
}`;
}

before(() => {
  const packed = ok(run('npm', ['pack', '--silent', '--pack-destination', work], ROOT, INSTALL_DEADLINE_MS), 'npm pack').trim().split('\n').at(-1)!;
  mkdirSync(join(project, 'module'), { recursive: true });
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'user-project', private: true }, null, 2));
  ok(run('npm', ['install', '--prefer-offline', join(work, packed), `typescript@${versionOf('typescript')}`, `@types/node@${versionOf('@types/node')}`], project, INSTALL_DEADLINE_MS), 'npm install');

  // A folder whose package.json says nothing of "type": its .ts and .js are CommonJS.
  writeFileSync(join(project, 'mine.adapter.ts'), `import { defineAdapter } from 'pushspec';\n\nexport default defineAdapter(${adapterBody('mine-ts')});\n`);
  writeFileSync(join(project, 'mine.adapter.mjs'), `import { defineAdapter } from 'pushspec/adapter';\n\nexport default defineAdapter(${adapterBody('mine-mjs')});\n`);
  writeFileSync(join(project, 'mine.adapter.cjs'), `const { defineAdapter } = require('pushspec');\n\nmodule.exports = defineAdapter(${adapterBody('mine-cjs')});\n`);
  const json = { name: 'mine-json', baseUrl: 'http://127.0.0.1:{port}', protocol: 'pushspec-reference', launch: { command: [process.execPath, join(project, 'node_modules', 'pushspec', 'dist', 'cli', 'bin.js'), 'serve', '--port', '{port}'] } };
  writeFileSync(join(project, 'mine.adapter.json'), JSON.stringify(json, null, 2));
  // A folder that is "type": "module": its .ts and .js are ES modules.
  writeFileSync(join(project, 'module', 'package.json'), JSON.stringify({ type: 'module' }));
  writeFileSync(join(project, 'module', 'mine.adapter.ts'), `import { defineAdapter } from 'pushspec/adapter';\n\nexport default defineAdapter(${adapterBody('mine-ts-esm')});\n`);
  writeFileSync(join(project, 'module', 'mine.adapter.js'), `import { defineAdapter } from 'pushspec';\n\nexport default defineAdapter(${adapterBody('mine-js-esm')});\n`);
  const tsconfig = { compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, noEmit: true, types: ['node'] } };
  writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ ...tsconfig, include: ['mine.adapter.ts', 'module/mine.adapter.ts'] }, null, 2));
});

describe('the packed and installed package', () => {
  test('ships the built JavaScript with declarations, not the TypeScript sources', () => {
    const installed = join(project, 'node_modules', 'pushspec');
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { bin: Record<string, string>; exports: Record<string, { default?: string; types?: string }> };
    assert.equal(manifest.bin.pushspec, 'dist/cli/bin.js');
    assert.match(manifest.exports['.']!.default!, /\.js$/);
    assert.match(manifest.exports['.']!.types!, /\.d\.ts$/);
    assert.ok(readdirSync(join(installed, 'dist', 'steps', 'support')).includes('world.js'), 'the step definitions are built');
    assert.ok(!readdirSync(installed).includes('core'), 'no TypeScript sources at the top level');
  });

  test('`npx pushspec list` prints every requirement', () => {
    const out = ok(run('npx', ['--no-install', 'pushspec', 'list'], project), 'pushspec list');
    assert.match(out, /^pushspec requirement catalogue [\d.]+: \d+ requirements$/m);
    assert.match(out, /POLL-EXACTLY-ONCE/);
  });

  for (const file of ['mine.adapter.json', 'mine.adapter.mjs', 'mine.adapter.cjs', 'mine.adapter.ts', 'module/mine.adapter.ts', 'module/mine.adapter.js']) {
    test(`\`npx pushspec run\` checks a server through ${file}`, () => {
      const reportDir = join(work, 'reports', file.replace(/\W/g, '_'));
      const out = ok(run('npx', ['--no-install', 'pushspec', 'run', '--adapter', file, '--tags', '@POLL-EXACTLY-ONCE or @SSE-PROMPT', '--report-dir', reportDir, '--no-color'], project), `pushspec run --adapter ${file}`);
      assert.match(out, /^pushspec: 2 passed, 0 failed, 0 skipped$/m);
      const summary = JSON.parse(readFileSync(join(reportDir, 'summary.json'), 'utf8')) as Summary;
      assert.deepEqual(summary.runs[0]!.results.map((r) => [r.id, r.verdict]), [['POLL-EXACTLY-ONCE', 'pass'], ['SSE-PROMPT', 'pass']]);
    });
  }

  test('the TypeScript adapters type-check under module NodeNext, and a wrong field does not', () => {
    ok(run('npx', ['--no-install', 'tsc', '-p', '.'], project), 'tsc on the adapters');
    writeFileSync(join(project, 'wrong.adapter.ts'), `import { defineAdapter } from 'pushspec';\n\nexport default defineAdapter({ name: 'x', baseUrl: 'http://127.0.0.1:1', protocol: 'pushspec-reference', pollign: {} });\n`);
    const wrong = run('npx', ['--no-install', 'tsc', '--noEmit', '--module', 'NodeNext', '--moduleResolution', 'NodeNext', '--strict', '--types', 'node', 'wrong.adapter.ts'], project);
    assert.notEqual(wrong.status, 0, 'a misspelt section is a type error');
    assert.match(wrong.stdout, /'pollign' does not exist in type 'AdapterDefinition'/);
  });
});

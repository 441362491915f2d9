/**
 * `pushspec matrix` and its expected verdicts: targets that are not installed
 * are shown as not run (never failed), a run is compared verdict by verdict
 * with the committed expectations, and every fail or non-strict verdict needs
 * an explanation. Also `launch.requires` on its own.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { assertInstalled } from '../adapters/contract/launch.ts';
import { loadAdapterFile } from '../adapters/contract/load.ts';
import { validateAdapter } from '../adapters/contract/validate.ts';
import { PushspecError } from '../core/errors.ts';
import { compareWithExpected, loadExpected, recordVerdicts, type ExpectedTarget } from '../verdicts/expected.ts';
import type { AdapterRun, RequirementResult, Summary, Verdict } from '../verdicts/model.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const FIXTURES = join(ROOT, 'test', 'fixtures');
const work = mkdtempSync(join(tmpdir(), 'pushspec-matrix-'));
after(() => rmSync(work, { recursive: true, force: true }));

function pushspec(...args: string[]) {
  return spawnSync(process.execPath, ['bin/pushspec.mjs', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
}

function result(id: string, verdict: Verdict): RequirementResult {
  return { id, technique: 'polling', level: 'MUST', title: id, source: { label: 'x' }, verdict, durationMs: 1, message: verdict === 'fail' ? 'Expected: a\nActual: b' : undefined, evidence: { exchanges: [], omittedExchanges: 0, figures: [], notes: [] } } as RequirementResult;
}

function run(name: string, results: RequirementResult[]): AdapterRun {
  return { adapter: { name, baseUrl: 'http://x', source: 'x' }, startedAt: '', durationMs: 1, strict: false, totals: { pass: 0, 'non-strict': 0, fail: 0, informational: 0, unsupported: 0, 'not-run': 0 }, results };
}

describe('launch.requires', () => {
  test('is validated field by field', () => {
    const base = { name: 'x', baseUrl: 'http://127.0.0.1:{port}', protocol: 'pushspec-reference' };
    const problems = (value: unknown): string => {
      try {
        validateAdapter(value, 'a.json');
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    };
    const text = problems({ ...base, launch: { command: ['x'], requires: [{ name: '', check: [], install: 1, extra: true }] } });
    assert.match(text, /unknown field "launch\.requires\[0\]\.extra"/);
    assert.match(text, /launch\.requires\[0\]\.name/);
    assert.match(text, /launch\.requires\[0\]\.check/);
    assert.match(text, /launch\.requires\[0\]\.install/);
    assert.match(problems({ ...base, launch: { command: ['x'], requires: 'nginx' } }), /launch\.requires.*an array/);
    assert.equal(problems({ ...base, launch: { command: ['x'], requires: [{ name: 'node', check: ['node', '--version'], install: 'apt-get install -y nodejs' }] } }), '');
  });

  test('a missing program stops the launch with its install command (PUSHSPEC_ERR_NOT_INSTALLED, exit 3)', async () => {
    const adapter = await loadAdapterFile(join(FIXTURES, 'missing-program.json'));
    assert.throws(() => assertInstalled(adapter), (error: unknown) => {
      assert.ok(error instanceof PushspecError);
      assert.equal(error.code, 'PUSHSPEC_ERR_NOT_INSTALLED');
      assert.equal(error.exitCode, 3);
      assert.match(error.message, /the frobnicator is not installed \(`pushspec-test-frobnicate-that-is-not-installed --version` failed: ENOENT\)\. Install it with: apt-get install -y frobnicator/);
      return true;
    });
    const cli = pushspec('run', '--adapter', 'test/fixtures/missing-program.json');
    assert.equal(cli.status, 3, cli.stderr);
    assert.match(cli.stderr, /Install it with: apt-get install -y frobnicator/);
    const present = await loadAdapterFile(join(FIXTURES, 'polling-none.json'));
    present.launch!.requires = [{ name: 'node', check: [process.execPath, '--version'], install: 'x' }, { name: 'false', check: ['false'], install: 'y' }];
    assert.throws(() => assertInstalled(present), /false is not installed \(`false` failed: exit 1\)\. Install it with: y/);
  });
});

describe('expected verdicts', () => {
  const target: ExpectedTarget = {
    server: 's 1.0',
    verdicts: { 'POLL-ANSWER-AT-ONCE': 'pass', 'POLL-EMPTY-ANSWER': 'fail' },
    deviations: { 'POLL-EMPTY-ANSWER': { why: 'It answers 500.', spec: 'RFC 6202 §2.1', level: 'MUST' } },
  };

  test('a run that matches has no difference', () => {
    assert.deepEqual(compareWithExpected(run('s', [result('POLL-ANSWER-AT-ONCE', 'pass'), result('POLL-EMPTY-ANSWER', 'fail')]), target), []);
  });

  test('a flipped verdict, a missing result, a new one and an unexplained failure are each named', () => {
    const problems = compareWithExpected(run('s', [result('POLL-ANSWER-AT-ONCE', 'fail'), result('POLL-START-POLICY', 'pass')]), target);
    assert.deepEqual(problems, [
      's POLL-ANSWER-AT-ONCE: expected pass, got fail (Expected: a)',
      's POLL-ANSWER-AT-ONCE: fail with no explanation in deviations',
      's POLL-START-POLICY: got pass, but no verdict is expected (a new requirement?)',
      's POLL-EMPTY-ANSWER: expected fail, but the run has no result',
    ]);
    assert.match(compareWithExpected(run('new', []), undefined)[0] ?? '', /new: no expected verdicts; record them with --update-expected/);
    const stale = { ...target, verdicts: { ...target.verdicts, 'POLL-EMPTY-ANSWER': 'pass' as const } };
    assert.deepEqual(compareWithExpected(run('s', [result('POLL-ANSWER-AT-ONCE', 'pass'), result('POLL-EMPTY-ANSWER', 'pass')]), stale), [
      's POLL-EMPTY-ANSWER: an explanation for a verdict that is not fail or non-strict (pass); remove it',
    ]);
  });

  test('recording keeps the explanations that still apply and lists what needs one', () => {
    const { updated, unexplained } = recordVerdicts({ catalogueVersion: '0', targets: { s: target, other: target } }, [run('s', [result('POLL-ANSWER-AT-ONCE', 'non-strict'), result('POLL-EMPTY-ANSWER', 'fail')])], { s: 's 2.0' });
    assert.deepEqual(updated.targets.s?.verdicts, { 'POLL-ANSWER-AT-ONCE': 'non-strict', 'POLL-EMPTY-ANSWER': 'fail' });
    assert.deepEqual(Object.keys(updated.targets.s?.deviations ?? {}), ['POLL-EMPTY-ANSWER']);
    assert.equal(updated.targets.s?.server, 's 2.0');
    assert.equal(updated.targets.other, target, 'targets that did not run are left alone');
    assert.deepEqual(unexplained, ['s POLL-ANSWER-AT-ONCE']);
  });

  test('a verdict known to vary between runs accepts every verdict seen, keeps its explanation, and survives recording', () => {
    const varying: ExpectedTarget = { ...target, varies: { 'POLL-EMPTY-ANSWER': { verdicts: ['fail', 'pass'], why: 'Its queue is full now and then.' } } };
    assert.deepEqual(compareWithExpected(run('s', [result('POLL-ANSWER-AT-ONCE', 'pass'), result('POLL-EMPTY-ANSWER', 'pass')]), varying), []);
    assert.deepEqual(compareWithExpected(run('s', [result('POLL-ANSWER-AT-ONCE', 'pass'), result('POLL-EMPTY-ANSWER', 'fail')]), varying), []);
    assert.deepEqual(compareWithExpected(run('s', [result('POLL-ANSWER-AT-ONCE', 'pass'), result('POLL-EMPTY-ANSWER', 'non-strict')]), varying), [
      's POLL-EMPTY-ANSWER: expected fail, got non-strict',
    ]);
    const kept = recordVerdicts({ catalogueVersion: '0', targets: { s: varying } }, [run('s', [result('POLL-ANSWER-AT-ONCE', 'pass'), result('POLL-EMPTY-ANSWER', 'pass')])], {}).updated.targets.s;
    assert.deepEqual(kept?.varies, varying.varies);
    assert.deepEqual(Object.keys(kept?.deviations ?? {}), ['POLL-EMPTY-ANSWER'], 'the explanation of the fail it may give stays');
    const dropped = recordVerdicts({ catalogueVersion: '0', targets: { s: varying } }, [run('s', [result('POLL-ANSWER-AT-ONCE', 'pass'), result('POLL-EMPTY-ANSWER', 'informational')])], {}).updated.targets.s;
    assert.equal(dropped?.varies, undefined, 'a verdict outside those seen ends the note: a person looks again');
  });

  test('a malformed file is refused naming the field', async () => {
    const write = (name: string, value: unknown) => {
      const file = join(work, name);
      writeFileSync(file, JSON.stringify(value));
      return file;
    };
    await assert.rejects(loadExpected(write('a.json', { targets: {} })), /a\.json: expected \{"catalogueVersion"/);
    await assert.rejects(loadExpected(write('b.json', { catalogueVersion: '1', targets: { s: { ...target, verdicts: { 'NOT-AN-ID': 'pass' } } } })), /targets\.s\.verdicts\.NOT-AN-ID: not a requirement/);
    await assert.rejects(loadExpected(write('c.json', { catalogueVersion: '1', targets: { s: { ...target, verdicts: { 'POLL-ANSWER-AT-ONCE': 'good' } } } })), /"good" is not one of pass/);
    await assert.rejects(loadExpected(write('d.json', { catalogueVersion: '1', targets: { s: { ...target, deviations: { 'POLL-EMPTY-ANSWER': { why: '' } } } } })), /deviations\.POLL-EMPTY-ANSWER: expected \{"why"/);
    await assert.rejects(loadExpected(write('e.json', { catalogueVersion: '1', targets: { s: { ...target, varies: { 'POLL-EMPTY-ANSWER': { verdicts: ['pass'], why: 'x' } } } } })), /varies\.POLL-EMPTY-ANSWER: expected \{"verdicts"/);
    await assert.rejects(loadExpected(join(work, 'none.json')), /cannot read expected verdicts/);
    const deviation = target.deviations['POLL-EMPTY-ANSWER']!;
    await assert.rejects(
      loadExpected(write('f.json', { catalogueVersion: '1', targets: { s: { ...target, deviations: { 'POLL-EMPTY-ANSWER': { ...deviation, level: 'SHOULD' } } } } })),
      /deviations\.POLL-EMPTY-ANSWER\.level: SHOULD, but the requirement is a MUST; a verdict rests on the requirement's level, so cite a MUST sentence/,
    );
    await assert.rejects(
      loadExpected(write('g.json', { catalogueVersion: '1', targets: { s: { ...target, deviations: { 'POLL-EMPTY-ANSWER': { ...deviation, quote: 'servers usually answer at once' } } } } })),
      /deviations\.POLL-EMPTY-ANSWER\.quote: the sentence must say MUST/,
    );
    const quoted = { ...target, deviations: { 'POLL-EMPTY-ANSWER': { ...deviation, quote: 'A recipient MUST answer.' } } };
    assert.ok(await loadExpected(write('h.json', { catalogueVersion: '1', targets: { s: quoted } })));
  });
});

test('pushspec matrix: runs each target, shows a missing program as not run, and compares with the expected verdicts', async () => {
  const dir = join(work, 'matrix');
  const expectedFile = join(work, 'expected.json');
  writeFileSync(expectedFile, JSON.stringify({ catalogueVersion: '0', targets: {} }));
  const args = ['matrix', '--no-reference', '--no-color', '--tags', '@POLL-MALFORMED-CURSOR or @POLL-ANSWER-AT-ONCE', '--report-dir', dir, '--expected', expectedFile, 'test/fixtures/polling-error-on-bad-cursor.json', 'test/fixtures/missing-program.json'];

  const first = pushspec(...args);
  assert.equal(first.status, 1, `no expectations yet: exit 1\n${first.stdout}${first.stderr}`);
  assert.match(first.stdout, /✗ fixture-error-on-bad-cursor: 1 passed, 1 failed, 0 skipped/);
  assert.match(first.stdout, /· fixture-missing-program: not run, the frobnicator is not installed; install with: apt-get install -y frobnicator/);
  assert.match(first.stdout, /fixture-error-on-bad-cursor: no expected verdicts/);
  const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as Summary;
  assert.deepEqual(summary.runs.map((r) => r.adapter.name), ['fixture-error-on-bad-cursor']);
  assert.deepEqual(summary.notRun, [{ adapter: { name: 'fixture-missing-program', source: 'test/fixtures/missing-program.json' }, reason: 'the frobnicator is not installed', install: 'apt-get install -y frobnicator' }]);
  const index = readFileSync(join(dir, 'index.html'), 'utf8');
  assert.match(index, /<h3>fixture-missing-program<\/h3>\s*<p class="muted"><span class="badge v-not-run">· not run<\/span> the frobnicator is not installed<\/p>\s*<p class="muted">Install: <code>apt-get install -y frobnicator<\/code>/);
  assert.match(readFileSync(join(dir, 'fixture-error-on-bad-cursor', 'run.log'), 'utf8'), /pushspec: 1 passed, 1 failed, 0 skipped/, 'each target keeps its own log and reports');

  const record = pushspec(...args, '--update-expected');
  assert.equal(record.status, 1, 'the failure still needs an explanation');
  assert.match(record.stdout, /needs an explanation: fixture-error-on-bad-cursor POLL-MALFORMED-CURSOR/);
  const recorded = JSON.parse(readFileSync(expectedFile, 'utf8'));
  assert.deepEqual(recorded.targets['fixture-error-on-bad-cursor'].verdicts, { 'POLL-ANSWER-AT-ONCE': 'pass', 'POLL-MALFORMED-CURSOR': 'fail' });

  recorded.targets['fixture-error-on-bad-cursor'].deviations['POLL-MALFORMED-CURSOR'] = { why: 'The fixture answers a malformed cursor with 500.', spec: 'RFC 9110 §15.5', level: 'MUST' };
  writeFileSync(expectedFile, JSON.stringify(recorded));
  const matched = pushspec(...args);
  assert.equal(matched.status, 0, `${matched.stdout}${matched.stderr}`);
  assert.match(matched.stdout, /✔ every verdict is the one .* expects/);

  assert.equal(pushspec('matrix', '--update-expected').status, 2, '--update-expected without --expected is a usage error');
});

test('the step backstop grows with the longest time an adapter declares', async () => {
  const { backstopMs, longestDeclaredMs, BASE_BACKSTOP_MS } = await import('../steps/support/step-backstop.ts');
  const { idlePlan } = await import('../core/idle-watch.ts');
  assert.equal(backstopMs(undefined), BASE_BACKSTOP_MS);
  const launched = await loadAdapterFile(join(ROOT, 'adapters', 'examples', 'reference.json'));
  assert.equal(longestDeclaredMs(launched), 30_000, 'the reference defaults: 30 s WebSocket pings');
  // The longest wait on a declared time is an idle watch; the step's other waits have the base to share.
  assert.ok(backstopMs(launched) >= BASE_BACKSTOP_MS + idlePlan(30_000).windowMs, 'an idle watch of the longest interval fits in one step, the base to spare');
});

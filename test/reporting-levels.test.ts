/**
 * A MUST that does not hold is a fail, never non-strict, in every output: the
 * console (the run's tree, the totals, `pushspec report`'s merged summary),
 * the HTML matrix and case pages, JUnit and summary.md. The summary renders
 * MUST failures, SHOULD and MAY non-strict results, outlines whose examples
 * differ, a strict run, and one requirement two catalogues put at different
 * levels (MUST in one run, SHOULD in the other), the case a renderer that
 * takes a row's level from one run gets wrong. The summary reader refuses a
 * file whose MUST result says non-strict.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { renderMergedSummary } from '../cli/merged-summary.ts';
import { renderRun, renderTotals } from '../cli/console-tree.ts';
import { PushspecError } from '../core/errors.ts';
import { renderCasePage } from '../reporting/html/case-page.ts';
import { renderIndex } from '../reporting/html/matrix.ts';
import { renderJunit } from '../reporting/junit.ts';
import { renderMarkdown } from '../reporting/markdown.ts';
import type { Summary } from '../verdicts/model.ts';
import { levelDisagreements, readSummary } from '../verdicts/summary.ts';
import { evidence, result, run, summaryOf } from './support/summaries.ts';

const current = run('current', [
  result('POLL-A', 'polling', 'MUST', 'fail', { message: 'answered 500', evidence: evidence({ expected: 'a 4xx', actual: 'status 500' }) }),
  result('POLL-B', 'polling', 'SHOULD', 'non-strict', { message: 'cacheable' }),
  result('LP-F', 'longPolling', 'MUST', 'pass'),
  result('LP-G', 'longPolling', 'MUST', 'unsupported', { message: 'no stats declared' }),
  result('SSE-C', 'sse', 'MAY', 'non-strict', { message: 'field named Data' }),
  result('WS-D', 'websocket', 'MUST', 'fail', {
    message: 'still open', examples: [{ name: 'overlong', verdict: 'fail', durationMs: 2, message: 'still open' }, { name: 'surrogate', verdict: 'pass', durationMs: 2 }],
  }),
  result('WS-E', 'websocket', 'SHOULD', 'non-strict', {
    collected: 'every failed connection', examples: [{ name: 'in WS-D', verdict: 'non-strict', durationMs: 1, message: 'no close frame' }, { name: 'in WS-X', verdict: 'pass', durationMs: 1 }],
  }),
  result('WS-RAISED', 'websocket', 'MUST', 'fail', { message: 'kept the TCP connection' }),
]);

// An older catalogue held WS-RAISED at SHOULD; this run is strict, so its non-strict results fail the build.
const older = run('older', [
  result('POLL-A', 'polling', 'MUST', 'pass'),
  result('POLL-B', 'polling', 'SHOULD', 'non-strict', { message: 'cacheable' }),
  result('SSE-C', 'sse', 'MAY', 'informational'),
  result('WS-RAISED', 'websocket', 'SHOULD', 'non-strict', { message: 'kept the TCP connection' }),
], true);

const summary = summaryOf([current, older]);

/** Every non-strict result of the summary: what each output must show, and never beside MUST. */
const NON_STRICT = summary.runs.reduce((n, r) => n + r.totals['non-strict'], 0);
const LEVEL = /\b(MUST|SHOULD|MAY)\b/g;

/** The levels a piece of output names. */
function levelsIn(text: string): string[] {
  return [...text.matchAll(LEVEL)].map((m) => m[1] ?? '');
}

/**
 * Checks text records (a line, a block, a testcase): a record that shows a
 * non-strict verdict names a level and never MUST. Returns how many did, so
 * a caller can check the output showed them at all.
 */
function assertNoMustNonStrict(records: readonly string[], isNonStrict: (record: string) => boolean, what: string): number {
  let shown = 0;
  for (const record of records.filter(isNonStrict)) {
    const levels = levelsIn(record);
    assert.ok(levels.length > 0, `${what}: a non-strict record names its level: ${record}`);
    assert.ok(!levels.includes('MUST'), `${what}: MUST shown with non-strict: ${record}`);
    shown += 1;
  }
  return shown;
}

/** Console lines, a numbered "did not hold" item joined with the lines indented under it. */
function consoleRecords(lines: readonly string[]): string[] {
  const records: string[] = [];
  for (const line of lines) {
    const last = records.length - 1;
    if (/^ {5}\S/.test(line) && last >= 0 && /^\s+\d+\) /.test(records[last] ?? '')) records[last] += `\n${line}`;
    else records.push(line);
  }
  return records;
}

describe('a MUST is never shown as non-strict', () => {
  const paint = (_sgr: string, text: string): string => text;

  test('console: each run\'s tree and its "did not hold" list, the totals, and the merged summary', () => {
    const tree = consoleRecords(summary.runs.flatMap((r) => renderRun(r, paint)));
    const nonStrictLine = (r: string): boolean => /\[non-strict\]|⚠/.test(r);
    // Each non-strict result has a tree line and a "did not hold" item.
    assert.equal(assertNoMustNonStrict(tree, nonStrictLine, 'console tree'), 2 * NON_STRICT);
    assert.ok(tree.some((r) => /✗ WS-RAISED\s+MUST\b.*\[fail\]/.test(r)), 'the MUST failure is a fail');
    assert.ok(tree.some((r) => /⚠ WS-RAISED\s+SHOULD\b.*\[non-strict\]/.test(r)), 'the older SHOULD is non-strict');

    const totals = renderTotals(summary.runs, paint);
    assertNoMustNonStrict(totals, (r) => r.includes('non-strict'), 'totals');

    const merged = renderMergedSummary(summary.runs, 'reports/index.html', paint);
    const listed = merged.filter((l) => /^ {2}[✗⚠] (fail|non-strict)/.test(l));
    // POLL-B is non-strict in both runs: one entry. WS-RAISED is two: a MUST fail and a SHOULD non-strict.
    assert.equal(assertNoMustNonStrict(listed, (l) => l.includes('non-strict'), 'merged summary'), 4);
    assert.ok(listed.some((l) => /✗ fail\s+WS-RAISED\s+MUST\s+in current\b/.test(l)), merged.join('\n'));
    assert.ok(listed.some((l) => /⚠ non-strict\s+WS-RAISED\s+SHOULD\s+in older\b/.test(l)), merged.join('\n'));
  });

  test('HTML matrix: every non-strict cell is shown at a SHOULD or MAY', () => {
    const page = renderIndex(summary);
    const rows = [...page.matchAll(/<tr class="req[^"]*" id="req-([^"]+)"[^>]*>([\s\S]*?)<\/tr>/g)];
    assert.equal(rows.length, 8, 'a row per requirement');
    let shown = 0;
    for (const [, id, row = ''] of rows) {
      const levelCell = /<\/th><td>([\s\S]*?)<\/td><td class="title">/.exec(row)?.[1] ?? '';
      const rowLevels = [...levelCell.matchAll(/<span class="level">(\w+)<\/span>/g)].map((m) => m[1]);
      for (const [, verdict, cell = ''] of row.matchAll(/<td class="cell v-([\w-]+)">([\s\S]*?)<\/td>/g)) {
        if (verdict !== 'non-strict') continue;
        // A cell says its own level when the row's runs disagree; otherwise the row's level is the cell's.
        const own = /as a (MUST|SHOULD|MAY)/.exec(cell)?.[1];
        assert.ok(own !== undefined || rowLevels.length === 1, `${id}: a row with levels ${rowLevels.join(', ')} gives each cell its own`);
        const level = own ?? rowLevels[0];
        assert.notEqual(level, 'MUST', `${id}: a non-strict cell shown at MUST`);
        assert.doesNotMatch(cell, /\bMUST\b/, `${id}: the cell (or its tooltip) pairs MUST with non-strict`);
        shown += 1;
      }
    }
    assert.equal(shown, NON_STRICT, 'every non-strict result has its cell');
    const raised = rows.find((r) => r[1] === 'WS-RAISED')?.[2] ?? '';
    assert.match(raised, /<span class="level">MUST<\/span> <span class="level">SHOULD<\/span>/, 'the row shows both catalogues\' levels');
    assert.match(raised, /<td class="cell v-fail">[\s\S]*?as a MUST/);
  });

  test('HTML case pages: a MUST page never shows non-strict, not even in an example', () => {
    let nonStrictPages = 0;
    for (const r of summary.runs) {
      for (const res of r.results) {
        const page = renderCasePage(summary, r, res);
        const level = /<dt>Level<\/dt><dd><span class="level">(\w+)<\/span>/.exec(page)?.[1];
        const verdict = /<dt>Verdict<\/dt><dd class="verdict"><span class="badge v-([\w-]+)">/.exec(page)?.[1];
        assert.equal(level, res.level, `${res.id} (${r.adapter.name}): the page shows the result's level`);
        assert.equal(verdict, res.verdict);
        const exampleVerdicts = [...page.matchAll(/<tr><td><span class="badge v-([\w-]+)">/g)].map((m) => m[1]);
        if (verdict === 'non-strict' || exampleVerdicts.includes('non-strict')) {
          assert.notEqual(level, 'MUST', `${res.id} (${r.adapter.name}): a MUST page shows non-strict`);
          nonStrictPages += 1;
        }
      }
    }
    assert.equal(nonStrictPages, NON_STRICT);
  });

  test('JUnit: no testcase pairs MUST with non-strict, strict run or not', () => {
    const cases = renderJunit(summary).match(/<testcase [^>]*\/>|<testcase [\s\S]*?<\/testcase>/g) ?? [];
    assert.equal(cases.length, current.results.length + older.results.length);
    assert.equal(assertNoMustNonStrict(cases, (c) => c.includes('non-strict'), 'junit'), NON_STRICT);
    assert.equal(cases.filter((c) => c.includes('type="non-strict"')).length, older.totals['non-strict'], 'the strict run fails its non-strict results');
    assert.ok(cases.some((c) => /type="fail"[\s\S]*✗ fail: MUST WS-RAISED/.test(c)));
  });

  test('summary.md: every non-strict item is a SHOULD or MAY', () => {
    const items = renderMarkdown(summary).split('\n').filter((l) => l.startsWith('- '));
    assert.equal(assertNoMustNonStrict(items, (l) => l.includes('non-strict'), 'summary.md'), NON_STRICT);
    assert.ok(items.some((l) => /✗ fail · \*\*WS\\-RAISED\*\* \(MUST\)/.test(l)));
  });
});

describe('the summary reader', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'pushspec-levels-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function written(name: string, value: Summary): Promise<string> {
    const file = path.join(dir, name);
    await writeFile(file, JSON.stringify(value));
    return file;
  }

  test('reads a summary whose MUST results are pass, fail or unsupported', async () => {
    const file = await written('good.json', summary);
    assert.deepEqual(await readSummary(file), summary);
  });

  test('refuses a MUST result that says non-strict, naming the requirement, the adapter and the file', async () => {
    const bad = summaryOf([run('edited', [result('POLL-A', 'polling', 'MUST', 'non-strict'), result('POLL-B', 'polling', 'SHOULD', 'non-strict')])]);
    const file = await written('must-non-strict.json', bad);
    await assert.rejects(readSummary(file), (error: unknown) => {
      assert.ok(error instanceof PushspecError);
      assert.equal(error.code, 'PUSHSPEC_ERR_SUMMARY_INVALID');
      assert.equal(error.exitCode, 2);
      assert.ok(error.message.includes(file), error.message);
      assert.match(error.message, /POLL-A is a MUST requirement, but its result for adapter "edited" says non-strict/);
      return true;
    });
  });

  test('refuses a MUST outline with a non-strict example', async () => {
    const bad = summaryOf([run('edited', [result('WS-D', 'websocket', 'MUST', 'fail', { examples: [{ name: 'row 2', verdict: 'non-strict', durationMs: 1 }] })])]);
    await assert.rejects(readSummary(await written('must-example.json', bad)), /WS-D is a MUST requirement, but its example "row 2" for adapter "edited" says non-strict/);
  });

  test('refuses a run without a results list rather than failing inside a renderer', async () => {
    const bad = { ...summary, runs: [{ adapter: { name: 'empty' } }] } as unknown as Summary;
    await assert.rejects(readSummary(await written('no-results.json', bad)), /the run of adapter "empty" has no results list/);
  });

  test('finds the requirements merged runs hold at different levels', () => {
    assert.deepEqual(levelDisagreements(summary.runs), [{ id: 'WS-RAISED', levels: [{ level: 'MUST', adapters: ['current'] }, { level: 'SHOULD', adapters: ['older'] }] }]);
    assert.deepEqual(levelDisagreements([current]), []);
  });
});

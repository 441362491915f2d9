/**
 * The HTML reports in a real browser (Debian's chromium, driven by
 * playwright-core): two runs (the embedded reference and a polling fixture
 * that fails POLL-MALFORMED-CURSOR) are merged with `pushspec report`, and the
 * matrix and one case page are opened from disk. They must load without
 * console or page errors, make no request off file://, and every relative
 * link must point at a file that exists. One screenshot of each page type is
 * kept under reports/screenshots/.
 *
 * The merged matrix has a failure, so it must open folded to the rows that
 * did not hold, with a note and one button that shows every row; the
 * reference run's own matrix has none and must open whole. At 1400 px the
 * technique-comparison cards must fit their container.
 *
 * Without chromium the file is skipped; on CI (which installs it with
 * apt-get, see .ci/run) a missing chromium is a failure.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import type { Summary } from '../../verdicts/model.ts';
import { ACTION_MS, assertClean, assertLinksResolve, expectNote, expectRow, FILTER_BOXES, links, MATRIX, rowStates, setCheckbox, watch, type PageProblems } from '../support/browser-page.ts';
import { withDeadline } from '../support/deadline.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const ON_CI = process.env.CI !== undefined && process.env.CI !== '';
const SKIP = HAVE_CHROMIUM ? false : `Debian chromium is not installed (${CHROMIUM}): apt-get install -y chromium, or set CHROMIUM_PATH`;

/** Few requirements of every technique, so the two runs take seconds; the fixture fails POLL-MALFORMED-CURSOR. */
const TAGS = '@polling or @LP-DELIVER-PROMPT or @SSE-PROMPT or @WS-ECHO-TEXT';
const FIXTURE = 'test/fixtures/polling-error-on-bad-cursor.json';
const FIXTURE_NAME = 'fixture-error-on-bad-cursor';
const FAILING_CASE = `cases/${FIXTURE_NAME}/POLL-MALFORMED-CURSOR.html`;
const SCREENSHOTS = join(ROOT, 'reports', 'screenshots');

/** Deadlines, in ms. */
const CLI_MS = 90_000;
const LAUNCH_MS = 30_000;
const CLOSE_MS = 10_000;

if (!HAVE_CHROMIUM && ON_CI) {
  test('chromium is installed on CI', () => {
    assert.fail(`CI is set but ${CHROMIUM} does not exist; .ci/run should have installed it with apt-get install -y chromium`);
  });
}

/** Runs `node bin/pushspec.mjs ...args`, killed after {@link CLI_MS}; resolves with its exit code and output. */
function pushspec(...args: string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/pushspec.mjs', ...args, '--no-color'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: CLI_MS,
      killSignal: 'SIGKILL',
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, out }));
  });
}

describe('HTML reports in chromium', { skip: SKIP, timeout: 240_000 }, () => {
  let work = '';
  let merged = '';
  let summary: Summary | undefined;
  let browser: Browser | undefined;
  let matrix: Page | undefined;
  let matrixProblems: PageProblems | undefined;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'pushspec-browser-'));
    merged = join(work, 'merged');
    const reference = join(work, 'reference');
    const fixture = join(work, 'fixture');
    const [a, b] = await Promise.all([
      pushspec('run', '--tags', TAGS, '--report-dir', reference),
      pushspec('run', '--adapter', FIXTURE, '--tags', TAGS, '--report-dir', fixture),
    ]);
    // The fixture run fails on purpose (exit 1); both must have finished and written a summary.
    for (const [run, dir] of [[a, reference], [b, fixture]] as const) {
      assert.equal(run.signal, null, `pushspec run was killed (deadline ${CLI_MS} ms): ${run.out}`);
      assert.ok(existsSync(join(dir, 'summary.json')), `pushspec run wrote no summary.json (exit ${String(run.code)}): ${run.out}`);
    }
    assert.equal(a.code, 0, `the reference run should conform: ${a.out}`);
    const report = await pushspec('report', join(reference, 'summary.json'), join(fixture, 'summary.json'), '--report-dir', merged, '--quiet');
    assert.equal(report.code, 1, `pushspec report should exit 1 (one adapter fails): ${report.out}`);
    summary = JSON.parse(readFileSync(join(merged, 'summary.json'), 'utf8')) as Summary;

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      timeout: LAUNCH_MS,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    matrix = await newPage(browser);
    matrixProblems = watch(matrix);
    await matrix.goto(pathToFileURL(join(merged, 'index.html')).href, { waitUntil: 'load', timeout: ACTION_MS });
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, { timeout: 2 * CLI_MS + LAUNCH_MS + ACTION_MS });

  after(async () => {
    if (browser !== undefined) await withDeadline(browser.close(), CLOSE_MS, 'browser close').catch(() => undefined);
    if (work !== '') rmSync(work, { recursive: true, force: true });
  });

  async function newPage(b: Browser): Promise<Page> {
    const page = await b.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(ACTION_MS);
    page.setDefaultNavigationTimeout(ACTION_MS);
    return page;
  }

  test('the matrix loads offline without console or page errors, one column per adapter', async () => {
    const page = matrix!;
    assertClean(matrixProblems!, 'index.html');
    const names = summary!.runs.map((run) => run.adapter.name);
    assert.deepEqual(names, ['reference', FIXTURE_NAME]);
    const headers = (await page.locator(`${MATRIX} > thead th`).allInnerTexts()).map((t) => t.trim());
    assert.deepEqual(headers.slice(-names.length), names, 'the last header cells name the adapters, in run order');
    const rows = page.locator(`${MATRIX} tr.req`);
    const rowCount = await rows.count();
    assert.ok(rowCount >= 15, `the matrix should have a row per requirement run (got ${rowCount})`);
    const cellsPerRow = await rows.evaluateAll((trs) => trs.map((tr) => tr.querySelectorAll('td.cell').length));
    assert.deepEqual(cellsPerRow, cellsPerRow.map(() => names.length), 'every row has one cell per adapter');
    // The failing cell is shown as a fail and links to its case page.
    const failing = page.locator(`tr[id="req-POLL-MALFORMED-CURSOR"] td.cell a[href="${FAILING_CASE}"]`);
    assert.equal(await failing.count(), 1, 'the failing cell links to its case page');
    assert.match(await failing.innerText(), /fail/i);
    await page.screenshot({ path: join(SCREENSHOTS, 'matrix.png'), fullPage: true, timeout: ACTION_MS });
  });

  test('every relative link on the matrix resolves to a file that exists', async () => {
    const found = await links(matrix!);
    const checked = assertLinksResolve(found, 'index.html');
    const cellLinks = await matrix!.locator(`${MATRIX} td.cell a[href]`).count();
    assert.ok(cellLinks >= 30, `every cell should link to its case page (got ${cellLinks})`);
    assert.ok(checked >= cellLinks, `checked ${checked} links, fewer than the ${cellLinks} cell links`);
  });

  test('a merged report with a failure opens folded to what did not hold; one click shows every row', async () => {
    const page = matrix!;
    const rows = await rowStates(page);
    const open = rows.filter((r) => r.open);
    const calm = rows.filter((r) => !r.open);
    assert.ok(open.some((r) => r.id === 'req-POLL-MALFORMED-CURSOR') && calm.length > 0, 'the merged matrix has a failing row and rows that held');
    await expectNote(page, true);
    for (const row of open) await expectRow(page, row.id, true);
    assert.deepEqual((await rowStates(page)).filter((r) => r.shown).map((r) => r.id), open.map((r) => r.id), 'only rows with a fail or non-strict cell are shown');
    const note = (await page.locator('#fold-note').innerText()).replace(/\s+/g, ' ');
    assert.ok(note.includes(`${calm.length} requirements with no fail or non-strict result are folded away`), note);
    await page.screenshot({ path: join(SCREENSHOTS, 'matrix-folded.png'), timeout: ACTION_MS });

    await page.locator('#show-all').click();
    for (const row of rows) await expectRow(page, row.id, true);
    await expectNote(page, false);
    assertClean(matrixProblems!, 'index.html after Show all');
  });

  test('the fold is the "only fail or non-strict" filter: it combines with the others, and a link to a folded row unfolds', async () => {
    const page = await newPage(browser!);
    try {
      const problems = watch(page);
      await page.goto(pathToFileURL(join(merged, 'index.html')).href, { waitUntil: 'load' });
      await expectNote(page, true);
      const rows = await rowStates(page);
      const calm = rows.filter((r) => !r.open);
      // Another filter on top of the fold: the failing polling row goes, and the note counts only what the fold hides.
      const polling = page.locator('#filters input[name="technique"][value="polling"]');
      await polling.uncheck();
      await expectRow(page, 'req-POLL-MALFORMED-CURSOR', false);
      const others = calm.filter((r) => !r.id.startsWith('req-POLL-'));
      assert.match(await page.locator('#fold-text').innerText(), new RegExp(`\\b${others.length} requirements? with no fail`));
      await polling.check();
      await expectRow(page, 'req-POLL-MALFORMED-CURSOR', true);
      // Unticking the toggle by hand unfolds too.
      await page.locator('#only-open').uncheck();
      for (const row of calm) await expectRow(page, row.id, true);
      await expectNote(page, false);

      // A case page links back to its row: a folded row must then be shown.
      const folded = calm[0]!;
      await page.goto(`${pathToFileURL(join(merged, 'index.html')).href}#${folded.id}`, { waitUntil: 'load' });
      await expectRow(page, folded.id, true);
      assertClean(problems, 'index.html with the fold and the filters');
    } finally {
      await page.close();
    }
  });

  test('a report where nothing failed opens with every row', async () => {
    const page = await newPage(browser!);
    try {
      const problems = watch(page);
      const own = JSON.parse(readFileSync(join(work, 'reference', 'summary.json'), 'utf8')) as Summary;
      const failed = own.runs.flatMap((r) => r.results).filter((r) => r.verdict === 'fail' || r.verdict === 'non-strict');
      assert.deepEqual(failed.map((r) => r.id), [], 'the reference run has nothing that did not hold');
      await page.goto(pathToFileURL(join(work, 'reference', 'index.html')).href, { waitUntil: 'load' });
      const rows = await rowStates(page);
      assert.ok(rows.length >= 15, `a row per requirement run (got ${rows.length})`);
      for (const row of rows) await expectRow(page, row.id, true);
      await expectNote(page, false);
      assert.equal(await page.locator('#only-open').isChecked(), false);
      assertClean(problems, 'the reference run\'s index.html');
    } finally {
      await page.close();
    }
  });

  test('at 1400 px the technique-comparison cards fit their container', async () => {
    const page = await newPage(browser!);
    try {
      await page.setViewportSize({ width: 1400, height: 900 });
      await page.goto(pathToFileURL(join(merged, 'index.html')).href, { waitUntil: 'load' });
      const measured = await page.locator('.measures').evaluate((container) => {
        const box = container.getBoundingClientRect();
        return {
          container: { left: box.left, right: box.right },
          cards: [...container.querySelectorAll('.measure')].map((card) => {
            const b = card.getBoundingClientRect();
            // The widest thing inside the card: its table, a chart, a caption.
            const inner = Math.max(...[...card.querySelectorAll('*')].map((el) => el.getBoundingClientRect().right));
            return { left: b.left, right: b.right, scrollWidth: card.scrollWidth, clientWidth: card.clientWidth, innerRight: inner };
          }),
        };
      });
      assert.equal(measured.cards.length, summary!.runs.length, 'one card per adapter');
      const columns = new Set(measured.cards.map((c) => Math.round(c.left)));
      assert.ok(columns.size > 1, 'at 1400 px the cards stand side by side, where they are narrowest');
      for (const [i, card] of measured.cards.entries()) {
        const what = `card ${i + 1} (${JSON.stringify(card)}, container ${JSON.stringify(measured.container)})`;
        assert.ok(card.left >= measured.container.left - 0.5 && card.right <= measured.container.right + 0.5, `${what} lies within its container`);
        assert.ok(card.scrollWidth <= card.clientWidth, `${what}: nothing inside overflows it`);
        assert.ok(card.innerRight <= card.right + 0.5, `${what}: no element reaches past its right edge`);
      }
    } finally {
      await page.close();
    }
  });

  test('filter controls hide the rows they filter out', async (t) => {
    const page = matrix!;
    // Starts from the whole matrix, as the fold test's one click left it.
    const shown = await rowStates(page);
    assert.ok(shown.every((r) => r.shown), 'every row is shown before filtering');
    const boxes = await page.locator(FILTER_BOXES).evaluateAll((inputs) =>
      inputs.map((input) => {
        const el = input as unknown as { value: string; checked: boolean; labels: ArrayLike<{ textContent: string | null }> | null; closest(s: string): { textContent: string | null } | null };
        const label = el.labels?.[0]?.textContent ?? el.closest('label')?.textContent ?? '';
        return { text: `${label} ${el.value}`.replace(/\s+/g, ' ').trim(), checked: el.checked };
      }),
    );
    if (boxes.length === 0) {
      t.skip('the matrix has no filter controls (no input[type=checkbox] inside .filters or #filters)');
      return;
    }
    const passIndex = boxes.findIndex((b) => /\bpass\b/i.test(b.text) && !/non-strict/i.test(b.text));
    const pollingIndex = boxes.findIndex((b) => /ajax polling/i.test(b.text) || /^polling$/i.test(b.text.split(' ').at(-1) ?? ''));
    if (passIndex === -1 && pollingIndex === -1) {
      t.skip(`the filter controls have neither a "pass" nor an "Ajax polling" checkbox (found: ${boxes.map((b) => b.text).join(', ')})`);
      return;
    }
    const rows = await page.locator(`${MATRIX} tr.req`).evaluateAll((trs) =>
      trs.map((tr) => {
        const cells = [...tr.querySelectorAll('td.cell')];
        return { id: tr.id, allPass: cells.length > 0 && cells.every((c) => c.classList.contains('v-pass')), anyFail: cells.some((c) => c.classList.contains('v-fail')) };
      }),
    );
    if (passIndex !== -1) {
      await t.test('unchecking "pass" hides rows with only pass cells', async () => {
        assert.ok(boxes[passIndex]!.checked, 'the "pass" filter starts checked');
        const onlyPass = rows.filter((r) => r.allPass);
        assert.ok(onlyPass.length > 0, 'some rows have only pass cells');
        await setCheckbox(page, passIndex, false);
        for (const row of onlyPass) await expectRow(page, row.id, false);
        for (const row of rows.filter((r) => r.anyFail)) await expectRow(page, row.id, true);
        // A section's heading stays only while one of its rows is shown.
        const headings = await page.locator(`${MATRIX} tr.section`).evaluateAll((trs) =>
          trs.map((tr) => {
            const key = tr.getAttribute('data-section');
            const mine = [...tr.ownerDocument.querySelectorAll(`tr.req[data-section="${key}"]`)];
            return { key, hidden: (tr as unknown as { hidden: boolean }).hidden, anyShown: mine.some((r) => !(r as unknown as { hidden: boolean }).hidden) };
          }),
        );
        assert.ok(headings.length > 0, 'the matrix has section headings');
        for (const h of headings) assert.equal(h.hidden, !h.anyShown, `section ${h.key}: heading hidden exactly when all its rows are`);
        assert.ok(headings.some((h) => h.hidden) && headings.some((h) => !h.hidden), 'some sections are hidden and some shown');
        await setCheckbox(page, passIndex, true);
        for (const row of onlyPass) await expectRow(page, row.id, true);
      });
    }
    if (pollingIndex !== -1) {
      await t.test('unchecking "Ajax polling" hides the polling rows', async () => {
        assert.ok(boxes[pollingIndex]!.checked, 'the "Ajax polling" filter starts checked');
        const polling = rows.filter((r) => r.id.startsWith('req-POLL-'));
        const others = rows.filter((r) => !r.id.startsWith('req-POLL-'));
        assert.ok(polling.length > 0 && others.length > 0, 'the matrix has polling rows and other rows');
        await setCheckbox(page, pollingIndex, false);
        for (const row of polling) await expectRow(page, row.id, false);
        for (const row of others) await expectRow(page, row.id, true);
        await setCheckbox(page, pollingIndex, true);
        for (const row of polling) await expectRow(page, row.id, true);
      });
    }
    assertClean(matrixProblems!, 'index.html after filtering');
  });

  test('the failing case page shows Expected and Actual and links back to the matrix', async () => {
    const page = await newPage(browser!);
    try {
      const problems = watch(page);
      const file = join(merged, ...FAILING_CASE.split('/'));
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
      const text = await page.locator('body').innerText();
      assert.match(text, /Expected/);
      assert.match(text, /Actual/);
      assert.match(text, /POLL-MALFORMED-CURSOR/);
      assertLinksResolve(await links(page), FAILING_CASE);
      await page.screenshot({ path: join(SCREENSHOTS, 'case.png'), fullPage: true, timeout: ACTION_MS });

      // The back link: written relative, resolved by the browser to the merged matrix, and followed.
      const back = page.locator('a[href$="index.html"]').first();
      const target = await back.evaluate((a) => (a as unknown as { href: string }).href);
      assert.equal(fileURLToPath(target), join(merged, 'index.html'));
      await Promise.all([page.waitForURL(/\/index\.html$/, { waitUntil: 'load' }), back.click()]);
      assert.match(await page.title(), /conformance matrix/i);
      assertClean(problems, `${FAILING_CASE} and the matrix it links back to`);
    } finally {
      await page.close();
    }
  });
});

/**
 * What the browser checks of the HTML reports (test/e2e/browser-report.test.ts)
 * do to a page: watch it for errors and requests off disk, resolve its links,
 * and wait, each with a deadline, for matrix rows and the fold note to be
 * shown or hidden.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

/** The matrix is the table with requirement rows (the page may hold other tables). */
export const MATRIX = 'table:has(tr.req)';
export const FILTER_BOXES = '.filters input[type=checkbox], #filters input[type=checkbox]';
/** The longest one page action may take, in ms. */
export const ACTION_MS = 10_000;

/** What a page did that it should not have: console errors, uncaught errors, requests off file://, failed loads. */
export interface PageProblems {
  consoleErrors: string[];
  pageErrors: string[];
  offlineViolations: string[];
  failedRequests: string[];
}

/** Watches `page` for {@link PageProblems} from now on. */
export function watch(page: Page): PageProblems {
  const problems: PageProblems = { consoleErrors: [], pageErrors: [], offlineViolations: [], failedRequests: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') problems.consoleErrors.push(`${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => problems.pageErrors.push(String(error)));
  page.on('request', (request) => {
    const url = request.url();
    // data: and blob: URLs are not network requests; everything else must stay on disk.
    if (!/^(file|data|blob):/.test(url)) problems.offlineViolations.push(`${request.method()} ${url}`);
  });
  page.on('requestfailed', (request) => problems.failedRequests.push(`${request.url()}: ${request.failure()?.errorText ?? 'failed'}`));
  return problems;
}

export function assertClean(problems: PageProblems, what: string): void {
  assert.deepEqual(problems.consoleErrors, [], `${what}: console errors`);
  assert.deepEqual(problems.pageErrors, [], `${what}: page errors`);
  assert.deepEqual(problems.offlineViolations, [], `${what}: requests other than file://`);
  assert.deepEqual(problems.failedRequests, [], `${what}: failed requests`);
}

/** Every `a[href]` on the page: the attribute as written and the URL the browser resolved it to. */
export async function links(page: Page, selector = 'a[href]'): Promise<Array<{ raw: string; resolved: string }>> {
  return page.locator(selector).evaluateAll((anchors) =>
    anchors.map((a) => ({ raw: a.getAttribute('href') ?? '', resolved: (a as unknown as { href: string }).href })),
  );
}

/**
 * Checks that every relative link resolves: a file: URL must name an existing
 * file, and a fragment must name an element of the target page (read from disk).
 * http(s) and mailto links are left alone. Returns how many links were checked.
 */
export function assertLinksResolve(found: ReadonlyArray<{ raw: string; resolved: string }>, what: string): number {
  let checked = 0;
  const broken: string[] = [];
  for (const { raw, resolved } of found) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(raw) && !raw.startsWith('file:')) continue; // external (http:, https:, mailto:)
    checked += 1;
    const url = new URL(resolved);
    if (url.protocol !== 'file:') {
      broken.push(`${raw} -> ${resolved} (not a file: URL)`);
      continue;
    }
    const file = fileURLToPath(url); // the path only: hash and query are not part of the file
    if (!existsSync(file)) {
      broken.push(`${raw} -> ${file} (no such file)`);
      continue;
    }
    const fragment = decodeURIComponent(url.hash.slice(1));
    if (fragment !== '' && file.endsWith('.html') && !readFileSync(file, 'utf8').includes(`id="${fragment}"`)) {
      broken.push(`${raw} -> ${file} has no element with id "${fragment}"`);
    }
  }
  assert.deepEqual(broken, [], `${what}: links that do not resolve`);
  return checked;
}

/** A matrix row as the test sees it: its id, whether a cell did not hold, and whether it is shown now. */
export interface RowState {
  id: string;
  open: boolean;
  shown: boolean;
}

/** Every requirement row of the matrix; `open` rows have a fail or non-strict cell, the rest fold away. */
export async function rowStates(page: Page): Promise<RowState[]> {
  return page.locator(`${MATRIX} tr.req`).evaluateAll((trs) =>
    trs.map((tr) => ({
      id: tr.id,
      open: [...tr.querySelectorAll('td.cell')].some((c) => c.classList.contains('v-fail') || c.classList.contains('v-non-strict')),
      shown: (tr as unknown as { offsetParent: unknown }).offsetParent !== null,
    })),
  );
}

/** Waits until the fold note is shown (or hidden), within {@link ACTION_MS}. */
export async function expectNote(page: Page, visible: boolean): Promise<void> {
  try {
    await page.locator('#fold-note').waitFor({ state: visible ? 'visible' : 'hidden', timeout: ACTION_MS });
  } catch {
    assert.fail(`the fold note should be ${visible ? 'shown' : 'hidden'} within ${ACTION_MS} ms`);
  }
}

/** Waits until `page` shows `row` (or hides it, with `visible` false), within {@link ACTION_MS}. */
export async function expectRow(page: Page, rowId: string, visible: boolean): Promise<void> {
  try {
    await page.locator(`tr[id="${rowId}"]`).waitFor({ state: visible ? 'visible' : 'hidden', timeout: ACTION_MS });
  } catch {
    assert.fail(`row ${rowId} should be ${visible ? 'shown' : 'hidden'} within ${ACTION_MS} ms`);
  }
}

/** Sets a checkbox; a user can click it, but a visually hidden input styled via its label is clicked through the DOM. */
export async function setCheckbox(page: Page, index: number, checked: boolean): Promise<void> {
  const box = page.locator(FILTER_BOXES).nth(index);
  try {
    await box.setChecked(checked, { timeout: ACTION_MS / 2 });
  } catch {
    await box.evaluate((el, want) => {
      const input = el as unknown as { checked: boolean; click(): void };
      if (input.checked !== want) input.click();
    }, checked);
  }
}

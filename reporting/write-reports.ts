/**
 * Writes every report of a run into one folder. Files are written, never
 * removed: cucumber writes its own reports into the same folder. Each file is
 * written whole to a temporary name and renamed over the old one, so a reader
 * (or a run killed while writing: reports are rewritten as the run goes) only
 * ever sees a complete file.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Summary } from '../verdicts/model.ts';
import { renderCasePage } from './html/case-page.ts';
import { renderIndex } from './html/matrix.ts';
import { MODEL_PAGE, renderModelPage } from './html/model-page.ts';
import { renderJunit } from './junit.ts';
import { renderMarkdown } from './markdown.ts';
import { caseHref } from './paths.ts';

export { caseHref } from './paths.ts';

/** A report file: its path relative to the report folder, and its content. */
export type RenderedReport = readonly [relative: string, content: string];

/**
 * Renders summary.json, junit.xml, summary.md, index.html, model.html (the
 * pushspec model the catalogue cites) and one page per result at
 * cases/<adapter>/<ID>.html, in that order, without writing anything: the
 * part of writing reports that takes the event loop's time, so a caller can
 * choose when (reports rewritten as a run goes are rendered between cases,
 * where they delay no measurement).
 */
export function renderReports(summary: Summary): RenderedReport[] {
  const files: RenderedReport[] = [
    ['summary.json', `${JSON.stringify(summary, null, 2)}\n`],
    ['junit.xml', renderJunit(summary)],
    ['summary.md', renderMarkdown(summary)],
    ['index.html', renderIndex(summary)],
    [MODEL_PAGE, renderModelPage(summary.tool)],
  ];
  for (const run of summary.runs) {
    for (const result of run.results) {
      files.push([caseHref(run.adapter.name, result.id), renderCasePage(summary, run, result)]);
    }
  }
  return files;
}

/**
 * Writes rendered reports into `dir` (created if missing). Returns the
 * written paths, in the order given.
 */
export async function writeRendered(files: readonly RenderedReport[], dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written = files.map(([relative]) => path.join(dir, ...relative.split('/')));
  const folders = new Set<string>();
  // Last listed, first written: summary.json comes first in the list, so it is written last; once it is there the set it describes is too.
  for (let i = files.length - 1; i >= 0; i--) {
    const file = written[i]!;
    const folder = path.dirname(file);
    if (!folders.has(folder)) {
      await mkdir(folder, { recursive: true });
      folders.add(folder);
    }
    await writeAtomically(file, files[i]![1]);
  }
  return written;
}

/** Renders and writes every report of a summary into `dir`; returns the written paths (see {@link renderReports}). */
export async function writeReports(summary: Summary, dir: string): Promise<string[]> {
  return writeRendered(renderReports(summary), dir);
}

/** Writes `content` to `file` through a temporary file in the same folder and a rename, which replaces the file at once. */
export async function writeAtomically(file: string, content: string): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, content, 'utf8');
  await rename(temporary, file);
}

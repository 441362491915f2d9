/**
 * The pushspec model (docs/model.md) as a page of the report, so that a case
 * page citing "pushspec model M-5" links to the rule itself, offline, like
 * every other page of a report folder. Rendered from the Markdown with marked.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { marked } from 'marked';
import { PACKAGE_ROOT } from '../../core/package.ts';
import { SafeHtml, safeHref } from './escape.ts';
import { renderPage } from './layout.ts';

/** Where the model page is written in a report folder. */
export const MODEL_PAGE = 'model.html';

/** The source of the model, as the catalogue cites it (`docs/model.md#m-5`). */
const MODEL_SOURCE = 'docs/model.md';

/** The model page, rendered from docs/model.md (our own Markdown, so its HTML anchors are kept). */
export function renderModelPage(tool: { name: string; version: string }): string {
  const markdown = readFileSync(join(PACKAGE_ROOT, MODEL_SOURCE), 'utf8');
  const body = new SafeHtml(`<nav class="crumbs" aria-label="Breadcrumb"><a href="index.html">Conformance matrix</a> › The pushspec model</nav>\n${marked.parse(markdown, { async: false })}`);
  return renderPage({ title: 'The pushspec model', body, tool });
}

/**
 * Where a requirement's source opens from a page `depth` folders below the
 * report's root: an http(s) link as it is, the model's rules on the report's
 * own model page, nothing for anything else.
 */
export function sourceHref(url: string | undefined, depth: number): string | undefined {
  if (url?.startsWith(`${MODEL_SOURCE}#`) === true || url === MODEL_SOURCE) return `${'../'.repeat(depth)}${MODEL_PAGE}${url.slice(MODEL_SOURCE.length)}`;
  return safeHref(url);
}

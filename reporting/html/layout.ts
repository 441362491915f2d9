/**
 * The page shell shared by the matrix and the case pages, with all the CSS in
 * one place. Pages are self-contained (no fonts, CDN or external files) so a
 * report folder can be zipped, attached to a CI run and opened offline.
 */
import { VERDICT_STYLES } from '../verdict-style.ts';
import type { CellState } from '../verdict-style.ts';
import { html, SafeHtml } from './escape.ts';

const MONO = 'ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace';

// One rule per verdict, generated so the colours live only in verdict-style.ts.
const VERDICT_CSS = Object.entries(VERDICT_STYLES)
  .map(([state, s]) => `.v-${state}{--accent:${s.colour};color:${s.text};background:${s.background};border-color:${s.colour}}`)
  .join('\n');

/** The stylesheet of every page. */
export const CSS = `
:root{color-scheme:light;--fg:#1f2328;--muted:#57606a;--border:#d0d7de;--subtle:#f6f8fa;--link:#0969da}
*{box-sizing:border-box}
[hidden]{display:none!important}
body{margin:0;color:var(--fg);background:#fff;font:15px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1240px;margin:0 auto;padding:28px 20px 56px}
a{color:var(--link)}
a:focus-visible,summary:focus-visible,input:focus-visible,button:focus-visible{outline:2px solid var(--link);outline-offset:2px}
h1{font-size:1.6rem;line-height:1.25;margin:.2rem 0 .6rem}
h1 .sub{color:var(--muted);font-weight:400}
h2{font-size:1.15rem;margin:2.2rem 0 .7rem;padding-bottom:.3rem;border-bottom:1px solid var(--border)}
code,pre,.mono{font-family:${MONO};font-size:.86em}
.muted{color:var(--muted)}
.crumbs{font-size:.9rem;color:var(--muted)}
.crumbs a{text-decoration:none}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.35rem 1.2rem;margin:1rem 0}
dl.facts dt{color:var(--muted)}
dl.facts dd{margin:0;overflow-wrap:anywhere}
dl.facts dd.pre{white-space:pre-wrap;font-family:${MONO};font-size:.86em}
blockquote.quote{margin:0;padding:.2rem .8rem;border-left:3px solid var(--muted);font-style:italic}
dl.facts dd p{margin:.3rem 0 0}
.badge{display:inline-block;padding:.05em .55em;border:1px solid;border-radius:999px;font-weight:600;font-size:.85em;white-space:nowrap}
.level{display:inline-block;padding:0 .4em;border:1px solid var(--border);border-radius:4px;font-size:.78em;font-weight:600;letter-spacing:.03em;color:var(--muted)}
.runs{display:grid;grid-template-columns:repeat(auto-fill,minmax(290px,1fr));gap:14px;margin:1rem 0}
.run{border:1px solid var(--border);border-radius:10px;padding:14px 16px}
.run h3{margin:0;font-size:1.05rem}
.run p{margin:.5rem 0 0}
.run .url{font-size:.85rem;overflow-wrap:anywhere}
.totals{list-style:none;display:flex;flex-wrap:wrap;gap:6px;padding:0;margin:.7rem 0 0}
.legend{display:grid;grid-template-columns:max-content 1fr;gap:.4rem 1rem;margin:1rem 0;font-size:.92rem}
.legend dd{margin:0}
.filters{display:flex;flex-wrap:wrap;gap:.6rem 1rem;margin:.4rem 0 .9rem;font-size:.9rem}
.filters fieldset{display:flex;flex-wrap:wrap;gap:.3rem .9rem;align-items:center;margin:0;padding:.35rem .8rem .5rem;border:1px solid var(--border);border-radius:8px}
.filters legend{padding:0 .3rem;font-size:.78rem;font-weight:600;text-transform:uppercase;letter-spacing:.05em;color:var(--muted)}
.filters label{display:inline-flex;gap:.35em;align-items:center;white-space:nowrap;cursor:pointer}
.filters .badge{font-size:.8em}
.filter-foot{display:flex;flex-wrap:wrap;gap:.4rem 1.2rem;align-items:center;flex-basis:100%}
.filters button,.fold-note button{font:inherit;font-size:.85rem;padding:.15rem .7rem;border:1px solid var(--border);border-radius:6px;background:var(--subtle);color:var(--fg);cursor:pointer}
.fold-note{display:flex;flex-wrap:wrap;gap:.4rem 1rem;align-items:center;margin:0 0 .9rem;padding:.5rem .8rem;border:1px solid var(--border);border-left:4px solid var(--link);border-radius:8px;background:#eef6ff}
.fold-note button{font-weight:600;background:#fff}
#filter-count{margin:0;font-variant-numeric:tabular-nums}
.table-wrap{overflow-x:auto;border:1px solid var(--border);border-radius:10px}
table{border-collapse:separate;border-spacing:0;width:100%;font-size:.9rem}
th,td{padding:.5rem .75rem;border-bottom:1px solid var(--border);text-align:left;vertical-align:top}
tbody:last-child tr:last-child>*{border-bottom:0}
thead th{background:var(--subtle);font-weight:600;white-space:nowrap}
.sticky{position:sticky;left:0;z-index:1;background:#fff;box-shadow:1px 0 0 var(--border)}
thead .sticky{background:var(--subtle)}
th.rid{white-space:nowrap;font-weight:600}
td.title{min-width:16rem}
tr.group th{background:var(--subtle);font-size:.95rem;padding-top:.7rem}
tr.group span{position:sticky;left:.75rem}
tr.section th{font-weight:600;font-size:.85rem;padding:.35rem .75rem;border-top:1px solid var(--border)}
tr.section span{position:sticky;left:1.5rem}
td.cell{padding:0;min-width:8.5rem;border-left:1px solid;border-color:var(--border);box-shadow:inset 3px 0 0 var(--accent)}
td.cell>a,td.cell>span{display:block;padding:.5rem .75rem .5rem calc(.75rem + 3px);color:inherit;text-decoration:none}
td.cell>a:hover .word{text-decoration:underline}
.word{font-weight:600;white-space:nowrap}
.fig{display:block;color:var(--fg);font-variant-numeric:tabular-nums;font-size:.85em}
.measures{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,560px),1fr));gap:18px;margin:1rem 0}
.measure{border:1px solid var(--border);border-radius:10px;padding:14px 16px;min-width:0}
.measure h3{margin:0 0 .6rem;font-size:1.05rem}
table.compare{border:1px solid var(--border);border-radius:8px;font-size:.88rem}
table.compare tbody tr:last-child>*{border-bottom:0}
table.compare .num{font-weight:600;font-variant-numeric:tabular-nums}
/* Two cards side by side leave a table about 560px: headings wrap, and a long figure or id may break anywhere rather than push the card wider. */
table.compare th,table.compare td{white-space:normal;padding:.45rem .6rem}
table.compare td{overflow-wrap:anywhere}
table.compare .fig{margin-top:.1rem}
div.charts{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;margin-top:.9rem}
figure.chart{margin:0;flex:1 1 22rem;max-width:27rem}
figure.chart .chart-head{font-weight:600;font-size:.9rem;margin-bottom:.3rem}
figure.chart .chart-caption{margin:.3rem 0 0;font-size:.8rem}
figure.chart svg{display:block;max-width:100%;height:auto;font:12px system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif}
figure.chart text{fill:var(--fg)}
figure.chart text.val{font-weight:600;font-variant-numeric:tabular-nums}
figure.chart text.tick{fill:var(--muted);font-size:11px}
figure.chart rect{fill:#0969da}
figure.chart .bar-polling rect{fill:#9a6700}
figure.chart line.axis{stroke:var(--border);stroke-width:1}
.verdict{font-size:1.05rem}
.diff{border:1px solid var(--border);border-left:4px solid #cf222e;border-radius:8px;padding:12px 16px;background:var(--subtle)}
.diff dl{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem;margin:0}
.diff dt{font-weight:600;text-align:right}
.diff dd{margin:0;font-family:${MONO};font-size:.86em;white-space:pre-wrap;overflow-wrap:anywhere}
table.figures{width:auto;border:1px solid var(--border);border-radius:8px}
table.figures td.num{text-align:right;font-variant-numeric:tabular-nums}
table.examples td.pre{white-space:pre-wrap;font-family:${MONO};font-size:.8rem}
table.breakdown{width:auto;margin:.6rem 0 0;font-size:.82rem}
table.breakdown th,table.breakdown td{padding:.15rem .5rem;border-bottom:0}
table.breakdown caption{text-align:left;font-size:.78rem}
table.chunks{width:100%;border:1px solid var(--border);border-radius:8px;margin:.3rem 0}
table.chunks td.num{width:1%;text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums;font-family:${MONO};font-size:.84rem}
table.chunks pre{padding:.2rem .4rem;background:none}
ul.notes{padding-left:1.3rem}
details.x{border:1px solid var(--border);border-radius:8px;margin:.45rem 0;background:#fff}
details.x>summary{cursor:pointer;padding:.45rem .75rem;font-family:${MONO};font-size:.84rem;white-space:pre-wrap;overflow-wrap:anywhere}
details.x[open]>summary{border-bottom:1px solid var(--border);background:var(--subtle)}
details.x .msg{padding:.2rem .9rem .6rem}
details.x h4{margin:.7rem 0 .2rem;font-size:.8rem;text-transform:uppercase;letter-spacing:.05em;color:var(--muted)}
pre{margin:0;padding:.6rem .75rem;background:var(--subtle);border-radius:6px;white-space:pre-wrap;overflow-wrap:anywhere}
.err{color:#cf222e;font-weight:600}
.seq{display:block;width:100%;max-width:720px;height:auto;margin:.6rem 0 .3rem;font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif}
.seq text{font-size:12px;fill:var(--fg)}.seq .who{font-weight:600;text-anchor:middle}.seq .at{fill:var(--muted);font-variant-numeric:tabular-nums}
.seq .lane{stroke:var(--border);stroke-width:1.5}.seq .hold{fill:#0969da;fill-opacity:.14}.seq .arrow{stroke:var(--c);stroke-width:1.4}.seq .sq-head{fill:var(--c)}
.sq-req{--c:#0969da}.sq-res{--c:#1a7f37}.sq-data{--c:#8250df}.sq-end{--c:#57606a}.sq-fail{--c:#cf222e}
.seq .sq-end{stroke-dasharray:2 3}.seq .sq-fail{stroke-dasharray:6 3}.seq .sq-head{stroke-dasharray:none}
.seq-legend{font-size:.85rem}.sq-key{white-space:nowrap;margin-right:.6em;border-bottom:2px solid var(--c)}.sq-key.sq-end{border-bottom-style:dotted}.sq-key.sq-fail{border-bottom-style:dashed}
footer{margin-top:3rem;font-size:.85rem;color:var(--muted)}
${VERDICT_CSS}
@media (max-width:640px){main{padding:18px 12px 40px}h1{font-size:1.3rem}th,td{padding:.4rem .5rem}td.title{min-width:12rem}table.compare th{overflow-wrap:anywhere}}
@media print{
  *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
  body{font-size:10pt}
  main{max-width:none;padding:0}
  .no-print{display:none!important}
  .table-wrap{overflow:visible;border:0}
  .sticky,tr.group span,tr.section span{position:static;box-shadow:none}
  thead{display:table-header-group}
  tr,details.x,.run,.measure{break-inside:avoid}
  a{color:inherit;text-decoration:none}
}
`;

// Closed <details> would print as their summary line only; open them first.
// The pages work without this script; it only improves printing. A page may
// add its own script (the matrix's filters): it joins this one, so every page
// has exactly one inline script and no external file.
const PRINT_SCRIPT = `addEventListener('beforeprint',function(){document.querySelectorAll('details').forEach(function(d){d.open=true})})`;

/** What {@link renderPage} needs. */
export interface PageOptions {
  /** The document title (plain text; escaped here). */
  title: string;
  /** The page's main content. */
  body: SafeHtml;
  /** Tool name and version, for the footer. */
  tool: { name: string; version: string };
  /** More inline script, our own (never data): appended to the page's one script. */
  script?: string;
}

/** A complete, self-contained HTML document. */
export function renderPage(options: PageOptions): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${options.tool.name} ${options.tool.version}">
<title>${options.title}</title>
<style>${new SafeHtml(CSS)}</style>
</head>
<body>
<main>
${options.body}
<footer>Generated by ${options.tool.name} ${options.tool.version}.</footer>
</main>
<script>${new SafeHtml(options.script === undefined ? PRINT_SCRIPT : `${PRINT_SCRIPT};\n${options.script}`)}</script>
</body>
</html>
`.toString();
}

/** A verdict as a coloured pill with glyph and word, e.g. `✗ fail`. */
export function verdictBadge(state: CellState): SafeHtml {
  const style = VERDICT_STYLES[state];
  return html`<span class="badge v-${state}">${style.glyph} ${style.word}</span>`;
}

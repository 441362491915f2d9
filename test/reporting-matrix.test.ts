/**
 * Tests of the matrix page's filters and of the technique comparison, from a
 * hand-built summary: one run with the four delivery results, one with none.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AdapterRun, Evidence, Figure, RequirementResult, Summary, Verdict, VerdictTotals } from '../verdicts/model.ts';
import { measuresOf, renderComparison } from '../reporting/html/comparison.ts';
import { FILTER_SCRIPT, renderFilters } from '../reporting/html/filters.ts';
import { renderIndex } from '../reporting/html/matrix.ts';

const XSS = '<img src=x onerror="alert(1)">';

function evidence(figures: Figure[] = [], extra: Partial<Evidence> = {}): Evidence {
  return { exchanges: [], omittedExchanges: 0, figures, notes: [], ...extra };
}

function result(id: string, technique: RequirementResult['technique'], level: RequirementResult['level'], verdict: Verdict, figures: Figure[] = [], extra: Partial<RequirementResult> = {}): RequirementResult {
  return { id, technique, level, title: `Title of ${id}`, source: { label: 'catalogue' }, verdict, durationMs: 50, evidence: evidence(figures), ...extra };
}

function run(name: string, results: RequirementResult[]): AdapterRun {
  const totals: VerdictTotals = { pass: 0, 'non-strict': 0, fail: 0, informational: 0, unsupported: 0, 'not-run': 0 };
  for (const r of results) totals[r.verdict] += 1;
  return { adapter: { name, baseUrl: 'http://127.0.0.1:9', source: `adapters/${name}.json` }, startedAt: '2025-11-24T07:59:00.000Z', durationMs: 1000, strict: false, totals, results };
}

const ms = (name: string, value: number): Figure => ({ name, value, unit: 'ms' });

const measured = run('reference', [
  result('POLL-INTERVAL-LATENCY', 'polling', 'MAY', 'informational', [ms('mean delay', 42.4), ms('poll interval', 100), ms('max delay', 70)]),
  result('POLL-EMPTY-STATUS', 'polling', 'SHOULD', 'non-strict'),
  result('LP-DELIVER-PROMPT', 'longPolling', 'MUST', 'pass', [ms('publish to receipt', 0.8)]),
  result('LP-BROADCAST-ALL', 'longPolling', 'MUST', 'pass', [ms('p99 publish to receipt', 56.1), ms('p50 publish to receipt', 32.6), { name: 'held polls', value: 500, unit: '' }]),
  result('SSE-PROMPT', 'sse', 'MUST', 'pass', [ms('mean publish to receipt', 1.6), ms('max publish to receipt', 2.2)]),
  result('WS-PUSH-ALL', 'websocket', 'MUST', 'fail', [ms('p99 publish to receipt', 2.4)], {
    scenario: { uri: 'features/ws.feature', name: 'push', steps: ['Given a fresh channel', 'And 50 clients connected to the channel', 'Then every one of the 50 clients receives it'] },
  }),
]);

// Only SSE measured; the WebSocket result ran but recorded no figure; the name is hostile.
const partial = run(`evil ${XSS}`, [
  result('SSE-PROMPT', 'sse', 'MUST', 'pass', [ms('mean publish to receipt', 3)]),
  result('WS-PUSH-ALL', 'websocket', 'MUST', 'unsupported'),
  result('SSE-ONLY', 'sse', 'SHOULD', 'pass'),
]);

const summary: Summary = {
  schemaVersion: 3,
  tool: { name: 'pushspec', version: '0.1.0' },
  catalogueVersion: '2025.11',
  generatedAt: '2025-11-24T08:00:00.000Z',
  runs: [measured, partial],
};

const index = renderIndex(summary);

/** The opening tag of a requirement's row. */
function rowTag(page: string, id: string): string {
  const match = new RegExp(`<tr class="req[^"]*" id="req-${id}"[^>]*>`).exec(page);
  assert.ok(match, `row of ${id}`);
  return match[0];
}

/** The section of the page after the table: the comparison. */
function comparisonOf(page: string): string {
  const start = page.indexOf('<section class="comparison"');
  assert.ok(start > 0, 'the comparison section is on the page');
  return page.slice(start, page.indexOf('<footer>', start));
}

describe('matrix filters', () => {
  test('rows carry technique, level and the verdicts of their cells', () => {
    assert.match(rowTag(index, 'POLL-INTERVAL-LATENCY'), /data-technique="polling" data-level="MAY" data-verdicts="informational not-run"/);
    assert.match(rowTag(index, 'POLL-EMPTY-STATUS'), /data-technique="polling" data-level="SHOULD" data-verdicts="non-strict not-run"/);
    assert.match(rowTag(index, 'WS-PUSH-ALL'), /data-technique="websocket" data-level="MUST" data-verdicts="fail unsupported"/);
    assert.match(rowTag(index, 'SSE-PROMPT'), /data-verdicts="pass"/, 'one state per verdict, not per cell');
    assert.match(rowTag(index, 'SSE-ONLY'), /data-technique="sse" data-level="SHOULD" data-verdicts="not-run pass"/);
    for (const technique of ['polling', 'longPolling', 'sse', 'websocket']) {
      assert.match(index, new RegExp(`<tbody data-technique="${technique}">`), technique);
    }
  });

  test('the controls exist, all checked, and are hidden until the script shows them', () => {
    const form = /<form id="filters"[^>]*>[\s\S]*?<\/form>/.exec(index)?.[0] ?? '';
    assert.match(form, /^<form id="filters" class="filters no-print" hidden /);
    const boxes = [...form.matchAll(/<input type="checkbox" name="(\w+)" value="([^"]+)" checked>/g)].map((m) => `${m[1]}=${m[2]}`);
    assert.deepEqual(boxes, [
      'technique=polling', 'technique=longPolling', 'technique=sse', 'technique=websocket',
      'level=MUST', 'level=SHOULD', 'level=MAY',
      'verdict=pass', 'verdict=non-strict', 'verdict=fail', 'verdict=informational', 'verdict=unsupported', 'verdict=not-run',
    ]);
    for (const label of ['Ajax polling', 'HTTP long-polling', 'Server-Sent Events', 'WebSockets', '✔ pass', '⚠ non-strict', '✗ fail', 'ℹ info', '– unsupported', '· not run']) {
      assert.ok(form.includes(label), label);
    }
    assert.match(form, /<input type="checkbox" id="only-open" checked> Show only requirements with a fail or non-strict result/, 'a fail and a non-strict: opens folded');
    assert.match(form, /<p id="filter-count" class="muted" aria-live="polite">2 of 7 requirements shown<\/p>/);
    assert.ok(index.indexOf('<form id="filters"') < index.indexOf('<table>'), 'above the table');
    assert.doesNotMatch(index, /body:has\(#only-open/, 'the CSS-only toggle is replaced by the script');
    assert.match(index, /\[hidden\]\{display:none!important\}/, 'hidden wins over display rules');
  });

  test('a matrix with a fail or non-strict opens folded to those rows; one with none opens whole', () => {
    const note = /<p id="fold-note" class="fold-note" hidden><span id="fold-text">([^<]*)<\/span> <button type="button" id="show-all">([^<]*)<\/button><\/p>/.exec(index);
    assert.ok(note, 'the fold note, hidden until the script shows it');
    const calmRows = index.match(/<tr class="req calm"/g)?.length ?? 0;
    assert.equal(calmRows, 5);
    assert.equal(note[1], `Showing what did not hold: ${calmRows} requirements with no fail or non-strict result are folded away.`);
    assert.equal(note[2], 'Show all 7 requirements');
    assert.ok(index.indexOf('id="fold-note"') < index.indexOf('<table>'), 'above the table');
    for (const hook of ['fold-note', 'fold-text', 'show-all', 'hashchange']) assert.ok(FILTER_SCRIPT.includes(hook), hook);

    const clean = renderIndex({ ...summary, runs: [partial] });
    assert.match(clean, /<input type="checkbox" id="only-open"> Show only/, 'nothing failed: opens with every row');
    assert.match(clean, /aria-live="polite">3 of 3 requirements shown</);
  });

  test('only techniques the table has get a checkbox', () => {
    const form = renderFilters(['sse'], 1).toString();
    assert.match(form, /name="technique" value="sse"/);
    assert.doesNotMatch(form, /value="polling"/);
    assert.match(form, /1 of 1 requirement shown/);
  });

  test('the script is inline, one per page, references no URL and carries no data', () => {
    const scripts = [...index.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.equal(scripts.length, 1);
    assert.equal(scripts[0]?.[1], '', 'no src or other attribute');
    const body = scripts[0]?.[2] ?? '';
    assert.ok(body.includes(FILTER_SCRIPT));
    assert.doesNotMatch(FILTER_SCRIPT, /https?:|\/\/|src|fetch|XMLHttpRequest|import|eval|innerHTML|localStorage/);
    assert.doesNotMatch(FILTER_SCRIPT, /reference|evil|POLL-|<\/script/i);
    for (const hook of ['tr.req', 'data-verdicts', 'data-technique', 'data-level', 'tbody[data-technique]', 'filter-count', 'only-open', 'form.hidden=false']) {
      assert.ok(FILTER_SCRIPT.includes(hook), hook);
    }
    // Run the page's whole script against a bare stub: the print script and the filters' must not run into each other.
    const listeners: string[] = [];
    const stub = { getElementById: (): null => null };
    assert.doesNotThrow(() => new Function('addEventListener', 'document', body)((type: string) => { listeners.push(type); }, stub));
    assert.deepEqual(listeners, ['beforeprint']);
  });
});

describe('technique comparison', () => {
  const section = comparisonOf(index);
  const [reference, evil] = section.split('<section class="measure">').slice(1);

  test('comes after the table, titled', () => {
    assert.ok(index.indexOf('<section class="comparison"') > index.indexOf('</table>'));
    assert.match(section, /<h2 id="comparison-title">The four techniques, measured<\/h2>/);
    assert.equal(renderComparison([]).toString(), '', 'nothing without a run');
  });

  test('shows each technique\'s figure, labelled, with broadcast reach where measured', () => {
    assert.ok(reference);
    const rows = [...reference.matchAll(/<tr><th scope="row">([^<]+)<\/th>([\s\S]*?)<\/tr>/g)].map((m) => [m[1], m[2] ?? ''] as const);
    assert.deepEqual(rows.map(([t]) => t), ['Ajax polling', 'HTTP long-polling', 'Server-Sent Events', 'WebSockets']);
    const cells = new Map(rows);
    assert.match(cells.get('Ajax polling') ?? '', /<span class="num">42\.4 ms mean<\/span>.*polling every 100 ms/);
    assert.match(cells.get('Ajax polling') ?? '', /<td class="muted">not measured<\/td>$/, 'no broadcast figure for polling');
    assert.match(cells.get('HTTP long-polling') ?? '', /<span class="num">0\.8 ms<\/span>/);
    assert.match(cells.get('HTTP long-polling') ?? '', /<span class="num">500 held polls, p99 56\.1 ms<\/span>/);
    assert.match(cells.get('Server-Sent Events') ?? '', /<span class="num">1\.6 ms mean<\/span>/);
    assert.match(cells.get('WebSockets') ?? '', /<span class="num">2\.4 ms p99<\/span>/);
    assert.match(cells.get('WebSockets') ?? '', /<span class="num">50 connections, p99 2\.4 ms<\/span>/);
    assert.match(cells.get('WebSockets') ?? '', /✗ fail/, 'a figure from a case that did not hold says so');
    assert.match(reference, /href="cases\/reference\/LP-BROADCAST-ALL\.html"/);
  });

  test('techniques without a figure say "not measured"', () => {
    assert.ok(evil);
    const rows = [...evil.matchAll(/<tr><th scope="row">([^<]+)<\/th>([\s\S]*?)<\/tr>/g)].map((m) => [m[1], m[2] ?? ''] as const);
    const cells = new Map(rows);
    assert.equal(cells.get('Ajax polling'), '<td class="muted">not measured</td><td class="muted">not measured</td><td class="muted">not measured</td>');
    assert.equal(cells.get('HTTP long-polling'), '<td class="muted">not measured</td><td class="muted">not measured</td><td class="muted">not measured</td>');
    assert.equal(cells.get('WebSockets'), '<td class="muted">not measured</td><td class="muted">not measured</td><td class="muted">not measured</td>', 'a result without the figure is not measured');
    assert.match(cells.get('Server-Sent Events') ?? '', /3 ms mean/);
    const empty = renderComparison([run('bare', [])]).toString();
    assert.equal(empty.match(/not measured/g)?.length, 12, 'four techniques × three columns');
    assert.match(empty, /No delivery latency was measured in this run/);
    assert.doesNotMatch(empty, /<svg/);
  });

  test('the chart has one bar per measured technique, on one scale, labelled', () => {
    assert.ok(reference && evil);
    const svg = /<svg role="img" aria-labelledby="(latency-chart-\d)"[^>]*>([\s\S]*?)<\/svg>/.exec(reference);
    assert.ok(svg);
    assert.match(svg[2] ?? '', new RegExp(`^\\s*<title id="${svg[1]}">Delivery latency per technique for reference: Ajax polling 42\\.4 ms mean; HTTP long-polling 0\\.8 ms; Server-Sent Events 1\\.6 ms mean; WebSockets 2\\.4 ms p99</title>`));
    const bars = [...(svg[2] ?? '').matchAll(/<g class="bar bar-(\w+)">\s*<text[^>]*>([^<]+)<\/text>\s*<rect [^>]*width="([\d.]+)"[^>]*><\/rect>\s*<text[^>]*>([^<]+)<\/text>/g)];
    assert.deepEqual(bars.map((b) => [b[1], b[2], b[4]]), [
      ['polling', 'Ajax polling', '42.4 ms mean'],
      ['longPolling', 'HTTP long-polling', '0.8 ms'],
      ['sse', 'Server-Sent Events', '1.6 ms mean'],
      ['websocket', 'WebSockets', '2.4 ms p99'],
    ]);
    const widths = bars.map((b) => Number(b[3]));
    assert.ok(widths[0]! > widths[3]! && widths[3]! > widths[2]! && widths[2]! >= widths[1]!, `one scale: ${widths.join(', ')}`);
    assert.match(reference, /<p class="muted chart-caption">[^<]*about half the 100 ms interval/);
    const evilBars = evil.match(/<g class="bar /g) ?? [];
    assert.equal(evilBars.length, 1, 'only SSE was measured');
    assert.notEqual(/aria-labelledby="([^"]+)"/.exec(evil)?.[1], svg[1], 'ids are unique per run');
    assert.equal(measuresOf(measured).filter((m) => m.latency).length, 4);
  });

  test('escaping holds: nothing from the data is raw markup', () => {
    assert.doesNotMatch(index, /<img/);
    assert.ok(index.includes('evil &lt;img src=x onerror=&quot;alert(1)&quot;&gt;'));
    assert.match(evil ?? '', /<h3>evil &lt;img/);
    assert.match(evil ?? '', /<title id="latency-chart-1">Delivery latency per technique for evil &lt;img src=x onerror=&quot;alert\(1\)&quot;&gt;: /);
    assert.match(evil ?? '', /href="cases\/evil-img-src-x-onerror-alert-1-\/SSE-PROMPT\.html"/);
    const hostile = run('x', [result('SSE-PROMPT', 'sse', 'MUST', 'pass', [{ name: 'mean publish to receipt', value: 5, unit: `ms${XSS}` }])]);
    const page = renderComparison([hostile]).toString();
    assert.doesNotMatch(page, /<img/);
    assert.match(page, /5 ms&lt;img/);
    assert.match(page, /No delivery latency was measured/, 'a figure that is not a time stays off the chart');
  });
});

test('the comparison shows what each delivered message cost, in requests and bytes', async () => {
  const { renderComparison } = await import('../reporting/html/comparison.ts');
  const result = {
    id: 'SSE-PROMPT', technique: 'sse' as const, level: 'MUST' as const, title: 'Prompt', source: { label: 'x' }, verdict: 'pass' as const, durationMs: 1,
    evidence: {
      exchanges: [], omittedExchanges: 0, notes: [],
      figures: [{ name: 'mean publish to receipt', value: 1.5, unit: 'ms' }, { name: 'requests per message', value: 0.2, unit: '' }, { name: 'bytes per message', value: 51.6, unit: 'B' }],
    },
  };
  const page = renderComparison([{ adapter: { name: 'a', baseUrl: 'http://x', source: 'x' }, startedAt: '', durationMs: 1, strict: false, totals: { pass: 1, 'non-strict': 0, fail: 0, informational: 0, unsupported: 0, 'not-run': 0 }, results: [result] }]).toString();
  assert.ok(page.includes('<th scope="col">Per delivered message</th>'));
  assert.ok(page.includes('1 request per 5 messages, 52 B'));
  // The same two figures get a chart each, beside the latency chart, on their own scales.
  assert.match(page, /<figcaption class="chart-head">Requests per delivered message<\/figcaption>/);
  assert.match(page, /<title id="requests-chart-0">Requests per delivered message per technique for a: Server-Sent Events 0\.2<\/title>/);
  assert.match(page, /<title id="bytes-chart-0">Bytes received per delivered message per technique for a: Server-Sent Events 52 B<\/title>/);
  assert.equal(page.match(/<svg /g)?.length, 3, 'latency, requests and bytes');
  const { requestsText } = await import('../reporting/html/comparison.ts');
  assert.equal(requestsText(1.13), '1.13 requests');
  assert.equal(requestsText(1), '1 request');
  assert.equal(requestsText(0.0025), '1 request per 400 messages');
});

test('each adapter card breaks its results down by technique and level: held / checked', async () => {
  const { renderIndex } = await import('../reporting/html/matrix.ts');
  const result = (id: string, technique: 'polling' | 'sse', level: 'MUST' | 'SHOULD', verdict: 'pass' | 'fail' | 'unsupported') => ({
    id, technique, level, title: id, source: { label: 'x' }, verdict, durationMs: 1, evidence: { exchanges: [], omittedExchanges: 0, figures: [], notes: [] },
  });
  const run = {
    adapter: { name: 'a', baseUrl: 'http://x', source: 'x' }, startedAt: '2026-11-24T00:00:00Z', durationMs: 1, strict: false,
    totals: { pass: 2, 'non-strict': 0, fail: 1, informational: 0, unsupported: 1, 'not-run': 0 },
    results: [result('POLL-A', 'polling', 'MUST', 'pass'), result('POLL-B', 'polling', 'MUST', 'fail'), result('SSE-A', 'sse', 'SHOULD', 'pass'), result('SSE-B', 'sse', 'MUST', 'unsupported')],
  };
  const page = renderIndex({ schemaVersion: 3, tool: { name: 'pushspec', version: '0' }, catalogueVersion: '0', generatedAt: '2026-11-24T00:00:00Z', runs: [run] });
  assert.match(page, /<tr><th scope="row">Ajax polling<\/th><td class="num">1\/2<\/td><td class="num">–<\/td><td class="num">–<\/td><\/tr>/);
  assert.match(page, /<tr><th scope="row">Server-Sent Events<\/th><td class="num">–<\/td><td class="num">1\/1<\/td><td class="num">–<\/td><\/tr>/, 'unsupported results are not counted as checked');
});

test('the matrix groups each technique\'s rows by section, and a section without shown rows hides its heading', async () => {
  const { renderIndex } = await import('../reporting/html/matrix.ts');
  const result = (id: string, section: string | undefined) => ({
    id, technique: 'websocket' as const, ...(section ? { section } : {}), level: 'MUST' as const, title: `${id} title`, source: { label: 'x' }, verdict: 'pass' as const, durationMs: 1,
    evidence: { exchanges: [], omittedExchanges: 0, figures: [], notes: [] },
  });
  const summary = (results: ReturnType<typeof result>[]) => ({
    schemaVersion: 3 as const, tool: { name: 'pushspec' as const, version: '0' }, catalogueVersion: '0', generatedAt: '2026-11-24T00:00:00Z',
    runs: [{ adapter: { name: 'a', baseUrl: 'http://x', source: 'x' }, startedAt: '2026-11-24T00:00:00Z', durationMs: 1, strict: false, totals: { pass: results.length, 'non-strict': 0, fail: 0, informational: 0, unsupported: 0, 'not-run': 0 }, results }],
  });
  const page = renderIndex(summary([result('WS-A', 'The opening handshake'), result('WS-B', 'The opening handshake'), result('WS-C', 'Pings & pongs')]));
  const heads = [...page.matchAll(/<tr class="section" data-section="([^"]+)"><th colspan="4" scope="rowgroup"><span>([^<]+) <span class="muted">\((\d+)\)<\/span>/g)].map((m) => [m[1], m[2], m[3]]);
  assert.deepEqual(heads, [['websocket-0', 'The opening handshake', '2'], ['websocket-1', 'Pings &amp; pongs', '1']]);
  assert.match(page, /id="req-WS-C" data-section="websocket-1"/);
  assert.ok(page.indexOf('id="req-WS-B"') < page.indexOf('data-section="websocket-1"><th'), 'rows sit under their own heading');
  assert.ok(FILTER_SCRIPT.includes('tr.section'), 'the filters hide a heading whose rows are all hidden');
  const old = renderIndex(summary([result('WS-A', undefined)]));
  assert.doesNotMatch(old, /<tr class="section"/, 'a summary from before sections has no section headings');
  assert.match(old, /id="req-WS-A"/);
});

/**
 * Tests of reporting/: a hand-built summary (two adapters, every verdict,
 * hostile strings) is written out and every report is checked.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { AdapterRun, Evidence, RequirementResult, Summary, Verdict, VerdictTotals } from '../verdicts/model.ts';
import { formatDate, formatDuration, formatFigure, formatNumber, groupByTechnique, techniqueLabel } from '../reporting/format.ts';
import { escapeHtml, html, safeHref } from '../reporting/html/escape.ts';
import { renderIndex } from '../reporting/html/matrix.ts';
import { sourceHref } from '../reporting/html/model-page.ts';
import { renderJunit, xmlAttr, xmlText } from '../reporting/junit.ts';
import { escapeMarkdown, renderMarkdown } from '../reporting/markdown.ts';
import { pathSegment } from '../reporting/paths.ts';
import { verdictColour, verdictGlyph, verdictLabel, verdictWord } from '../reporting/verdict-style.ts';
import { caseHref, writeReports } from '../reporting/write-reports.ts';

const XSS = '<script>alert("x")</script>';

function evidence(extra: Partial<Evidence> = {}): Evidence {
  return { exchanges: [], omittedExchanges: 0, figures: [], notes: [], ...extra };
}

function result(id: string, technique: RequirementResult['technique'], level: RequirementResult['level'], verdict: Verdict, extra: Partial<RequirementResult> = {}): RequirementResult {
  return { id, technique, level, title: `Title of ${id}`, source: { label: 'RFC 9110' }, verdict, durationMs: 120, evidence: evidence(), ...extra };
}

function run(name: string, strict: boolean, results: RequirementResult[]): AdapterRun {
  const totals: VerdictTotals = { pass: 0, 'non-strict': 0, fail: 0, informational: 0, unsupported: 0, 'not-run': 0 };
  for (const r of results) totals[r.verdict] += 1;
  return { adapter: { name, baseUrl: 'http://127.0.0.1:8080', source: `adapters/${name}.json` }, startedAt: '2025-11-24T07:59:00.000Z', durationMs: 4321, strict, totals, results };
}

const reference = run('reference', false, [
  result('POLL-CURSOR-ORDER', 'polling', 'MUST', 'pass', {
    source: { label: 'pushspec catalogue', url: 'https://example.org/spec#cursor' },
    evidence: evidence({
      figures: [{ name: 'answer time', value: 38, unit: 'ms' }, { name: 'messages', value: 3, unit: '' }],
      notes: [`note with ${XSS}`],
      streams: [
        {
          actor: 'client', method: 'GET', url: '/channels/x/events', requestHeaders: { accept: 'text/event-stream' }, startedAtMs: 1, status: 200,
          responseHeaders: { 'content-type': 'text/event-stream' }, headersAtMs: 3,
          chunks: [{ atMs: 3, text: 'retry: 500\n\n', bytes: 12 }, { atMs: 250, text: `id: 1\r\ndata: ${XSS}\r\r\n`, bytes: 40 }],
          omittedChunks: 2, omittedBytes: 99, endedAtMs: 900, end: 'closed by the client',
        },
        { actor: 'client late', method: 'GET', url: '/channels/x/events', requestHeaders: {}, startedAtMs: 5, chunks: [], omittedChunks: 0, omittedBytes: 0 },
      ],
      frames: [
        { connection: 'client', direction: 'sent', atMs: 4, fin: false, rsv: 5, opcode: 1, masked: true, length: 6, preview: 'hello ' },
        { connection: 'client', direction: 'received', atMs: 6, fin: true, rsv: 0, opcode: 8, masked: false, length: 2, preview: '1002', closeCode: 1002 },
        { connection: 'client', direction: 'sent', atMs: 7, fin: true, rsv: 0, opcode: 3, masked: false, length: 1, preview: XSS },
      ],
      omittedFrames: 4,
      closeOutcome: 'clean, code 1002',
      omittedExchanges: 3,
      exchanges: [
        { actor: 'publisher', method: 'POST', url: 'http://127.0.0.1:8080/channels/x/messages', requestHeaders: { 'content-type': 'application/json' }, requestBody: '{"data":"hi"}', startedAtMs: 2, status: 201, responseHeaders: {}, endedAtMs: 4 },
        { actor: 'client alice', method: 'GET', url: 'http://127.0.0.1:8080/channels/x/messages?cursor=4', requestHeaders: { accept: 'application/json' }, startedAtMs: 123, status: 200, responseHeaders: { 'content-type': 'text/html' }, responseBody: XSS, responseBytes: 9000, endedAtMs: 128 },
        { actor: 'client bob', method: 'GET', url: 'http://other.example/x', requestHeaders: {}, startedAtMs: 50, status: 599, endedAtMs: 60, annotation: 'held 10 ms (asked for 1000 ms); ended by status 599' },
      ],
    }),
  }),
  result('POLL-EMPTY-STATUS', 'polling', 'SHOULD', 'non-strict', { message: 'answered 500', evidence: evidence({ expected: '200, 204 or 304', actual: '500' }) }),
  result('LP-HOLD', 'longPolling', 'MUST', 'fail', {
    message: `server said ${XSS}\u0001`,
    evidence: evidence({
      expected: 'the request is held open', actual: `answered at once with ${XSS}`,
      exchanges: [
        { actor: 'client alice', method: 'GET', url: 'not a url', requestHeaders: {}, startedAtMs: 0, error: 'ECONNRESET' },
        { actor: 'client alice', method: 'GET', url: 'http://127.0.0.1:8080/lp', requestHeaders: {}, startedAtMs: 10, status: 200, responseBody: 'partial', error: 'socket hang up', endedAtMs: 30 },
        { actor: 'client bob', method: 'GET', url: 'http://127.0.0.1:8080/lp', requestHeaders: {}, startedAtMs: 20 },
      ],
    }),
  }),
  result('SSE-RETRY', 'sse', 'MAY', 'informational', {
    evidence: evidence({
      figures: [{ name: 'reconnect delay', value: 2.345, unit: 's' }],
      omittedExchanges: 1,
      exchanges: [{ actor: 'client carol', method: 'GET', url: 'http://127.0.0.1:8080/sse', requestHeaders: {}, startedAtMs: 1, status: 200, responseBody: 'data: hi\n\n', responseBytes: 10, endedAtMs: 2 }],
    }),
  }),
  result('WS-UPGRADE', 'websocket', 'MUST', 'unsupported', { message: 'websocket not declared', source: { label: 'evil', url: 'javascript:alert(1)' } }),
]);

const other = run('other/../evil "name"', true, [
  result('POLL-CURSOR-ORDER', 'polling', 'MUST', 'pass'),
  result('POLL-EMPTY-STATUS', 'polling', 'SHOULD', 'non-strict'),
  result('SSE-ONLY-OTHER', 'sse', 'SHOULD', 'pass'),
  result('WS-UPGRADE', 'websocket', 'MUST', 'unsupported'),
]);

const summary: Summary = {
  schemaVersion: 3,
  tool: { name: 'pushspec', version: '0.1.0' },
  catalogueVersion: '2025.11',
  generatedAt: '2025-11-24T08:00:00.000Z',
  runs: [reference, other],
};

let dir = '';
let written: string[] = [];
const read = (relative: string): Promise<string> => readFile(path.join(dir, ...relative.split('/')), 'utf8');

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'pushspec-report-'));
  await writeFile(path.join(dir, 'cucumber.json'), '[]');
  written = await writeReports(summary, path.join(dir));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeReports', () => {
  test('writes every report, one page per result, and keeps other files', async () => {
    const relative = written.map((f) => path.relative(dir, f).split(path.sep).join('/'));
    assert.deepEqual(relative.slice(0, 5), ['summary.json', 'junit.xml', 'summary.md', 'index.html', 'model.html']);
    assert.equal(relative.length, 5 + reference.results.length + other.results.length);
    for (const file of written) assert.ok(existsSync(file), file);
    assert.ok(relative.includes('cases/reference/LP-HOLD.html'));
    assert.ok(relative.every((r) => !r.split('/').includes('..')), 'adapter names cannot escape the folder');
    assert.ok(relative.includes('cases/other-..-evil-name-/SSE-ONLY-OTHER.html'));
    assert.equal(await read('cucumber.json'), '[]');
    assert.deepEqual(JSON.parse(await read('summary.json')), summary);
  });

  test('creates a missing folder', async () => {
    const nested = path.join(dir, 'a', 'b');
    const files = await writeReports({ ...summary, runs: [] }, nested);
    assert.equal(files.length, 5);
  });

  test("the model page holds every rule the catalogue cites, and a case page's source opens it", async () => {
    const model = await read('model.html');
    for (const rule of ['m-1', 'm-5', 'm-8', 'websockets']) assert.match(model, new RegExp(`<a id="${rule}"></a>`));
    assert.match(model, /<h1[^>]*>The pushspec model<\/h1>/);
    assert.equal(sourceHref('docs/model.md#m-5', 2), '../../model.html#m-5');
    assert.equal(sourceHref('https://www.rfc-editor.org/rfc/rfc6455#section-5.1', 2), 'https://www.rfc-editor.org/rfc/rfc6455#section-5.1');
    assert.equal(sourceHref('javascript:alert(1)', 2), undefined);
  });
});

describe('matrix', () => {
  test('every cell links to a case page that exists', async () => {
    const index = await read('index.html');
    const links = [...index.matchAll(/href="(cases\/[^"]+)"/g)].map((m) => m[1] ?? '');
    assert.equal(links.length, reference.results.length + other.results.length);
    for (const link of links) assert.ok(existsSync(path.join(dir, ...link.split('/'))), link);
    assert.ok(links.includes(caseHref('reference', 'SSE-RETRY')));
  });

  test('shows glyphs with words, figures, groups in order, legend and header', () => {
    const index = renderIndex(summary);
    for (const label of ['✔ pass', '⚠ non-strict', '✗ fail', 'ℹ info', '– unsupported', '· not run']) {
      assert.ok(index.includes(label), label);
    }
    assert.match(index, /38 ms/);
    assert.match(index, /2\.35 s/);
    const order = ['Ajax polling', 'HTTP long-polling', 'Server-Sent Events', 'WebSockets'].map((h) => index.indexOf(h));
    assert.deepEqual([...order].sort((a, b) => a - b), order);
    assert.ok(order.every((i) => i > 0));
    assert.match(index, /pushspec 0\.1\.0/);
    assert.match(index, /2025\.11/);
    assert.match(index, /2025-11-24 08:00 UTC/);
    assert.match(index, /http:\/\/127\.0\.0\.1:8080/);
    assert.match(index, /✔ 1 pass/);
    assert.match(index, /✗ not conformant/);
    assert.match(renderIndex({ ...summary, runs: [run('clean', false, [])] }), /✔ conformant/);
    assert.match(index, /@media print/);
    assert.match(index, /A MUST did not hold/);
  });

  test('rows without a fail or non-strict are calm, for the filter', () => {
    const index = renderIndex(summary);
    assert.match(index, /<tr class="req calm" id="req-SSE-RETRY"[ >]/);
    assert.match(index, /<tr class="req" id="req-LP-HOLD"[ >]/);
  });

  test('an empty summary still renders', () => {
    const index = renderIndex({ ...summary, runs: [] });
    assert.match(index, /No adapter was run/);
    assert.match(index, /No requirement was checked/);
  });
});

describe('case page', () => {
  test('shows the requirement, expected/actual and the transcript', async () => {
    const page = await read(caseHref('reference', 'LP-HOLD'));
    assert.match(page, /href="\.\.\/\.\.\/index\.html"/);
    assert.match(page, /Expected:<\/dt><dd>the request is held open/);
    assert.match(page, /Actual:<\/dt>/);
    assert.match(page, /✗ fail/);
    assert.match(page, /HTTP long-polling/);
    assert.match(page, /→ error: ECONNRESET/);
    assert.match(page, /→ 200, then error: socket hang up \(20 ms\)/);
    assert.match(page, /→ no response/);
    assert.match(page, /<h4>Error<\/h4><pre class="err">ECONNRESET/);
    assert.match(page, /No HTTP exchanges|3 exchanges/);
  });

  test('summary lines, cut bodies, omitted exchanges, figures, notes, source link', async () => {
    const page = await read(caseHref('reference', 'POLL-CURSOR-ORDER'));
    assert.ok(page.includes('+123 ms  client alice  GET /channels/x/messages?cursor=4 → 200 (5 ms)'));
    assert.ok(page.includes('+50 ms  client bob  GET http://other.example/x → 599 (10 ms)  · held 10 ms (asked for 1000 ms); ended by status 599'), 'the transcript line says how long a long-poll was held and what ended it');
    assert.ok(page.indexOf('+2 ms') < page.indexOf('+50 ms') && page.indexOf('+50 ms') < page.indexOf('+123 ms'), 'sorted by start');
    assert.match(page, /200 OK\ncontent-type: text\/html/);
    assert.match(page, /Body cut: showing 27 of 9000 bytes/);
    assert.match(page, /3 more exchanges not recorded/);
    assert.match(page, /<td>answer time<\/td><td class="num">38 ms<\/td>/);
    assert.match(page, /<td class="num">3<\/td>/);
    assert.match(page, /<a href="https:\/\/example\.org\/spec#cursor">pushspec catalogue<\/a>/);
    assert.match(page, /POST http:\/\/127\.0\.0\.1:8080\/channels\/x\/messages\ncontent-type: application\/json\n\n\{&quot;data&quot;:&quot;hi&quot;\}/);
    const info = await read(caseHref('reference', 'SSE-RETRY'));
    assert.match(info, /1 more exchange not recorded/);
    assert.match(info, /\(1 exchange\)/);
    assert.doesNotMatch(info, /Body cut/);
    const bare = await read(caseHref(other.adapter.name, 'SSE-ONLY-OTHER'));
    assert.match(bare, /No HTTP exchanges were recorded/);
  });

  test('nothing from the data is ever raw markup', async () => {
    for (const file of written.filter((f) => f.endsWith('.html'))) {
      const page = await readFile(file, 'utf8');
      assert.doesNotMatch(page, /<script>alert/, file);
      assert.equal(page.match(/<script/g)?.length, 1, `only our print script in ${file}`);
      assert.doesNotMatch(page, /href="javascript:/i, file);
      assert.doesNotMatch(page, /evil "name"/, file);
    }
    const unsupported = await read(caseHref('reference', 'WS-UPGRADE'));
    assert.match(unsupported, /<dd>evil<\/dd>/);
  });
});

describe('junit', () => {
  const xml = renderJunit(summary);
  const suites = [...xml.matchAll(/<testsuite name="([^"]*)" tests="(\d+)" failures="(\d+)" errors="0" skipped="(\d+)" time="([\d.]+)"[^>]*>([\s\S]*?)<\/testsuite>/g)];

  test('one suite per adapter and technique, counts match the testcases', () => {
    assert.deepEqual(suites.map((s) => s[1]), [
      'reference · polling', 'reference · longPolling', 'reference · sse', 'reference · websocket',
      'other/../evil &quot;name&quot; · polling', 'other/../evil &quot;name&quot; · sse', 'other/../evil &quot;name&quot; · websocket',
    ]);
    for (const [, , tests, failures, skipped, time, body = ''] of suites) {
      assert.equal((body.match(/<testcase /g) ?? []).length, Number(tests));
      assert.equal((body.match(/<failure /g) ?? []).length, Number(failures));
      assert.equal((body.match(/<skipped /g) ?? []).length, Number(skipped));
      assert.equal(Number(time), Number(tests) * 0.12);
    }
    assert.match(xml, /<testsuites name="pushspec 0\.1\.0" tests="9" failures="2" errors="0" skipped="2" time="1\.080">/);
  });

  test('maps verdicts for CI', () => {
    assert.match(xml, /<testcase classname="longPolling" name="LP-HOLD Title of LP-HOLD" time="0\.120">\n\s*<failure message="server said &lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;" type="fail">/);
    assert.match(xml, /Expected: the request is held open\n {2}Actual: answered at once/);
    const reference = suites[0]?.[6] ?? '';
    assert.doesNotMatch(reference, /<failure/, 'non-strict does not fail the build');
    assert.match(reference, /<system-out>A SHOULD requirement was not met/);
    assert.match(reference, /answer time: 38 ms/);
    assert.match(suites[4]?.[6] ?? '', /<failure message="SHOULD requirement did not hold" type="non-strict">/, 'unless strict');
    assert.match(xml, /<skipped message="websocket not declared"\/>/);
    assert.match(xml, /<skipped message="unsupported by the adapter"\/>/);
    assert.match(xml, /<system-out>reconnect delay: 2\.35 s<\/system-out>/);
    // eslint-disable-next-line no-control-regex -- the control character is what must not appear
    assert.doesNotMatch(xml, /[\u0001<]script/);
  });

  test('escapes and strips characters XML 1.0 forbids', () => {
    assert.equal(xmlText('a\u0000b\u0008c\uFFFE\uD800d & <e>\t\n'), 'abcd &amp; &lt;e&gt;\t\n');
    assert.equal(xmlAttr(`"x'\n\t\r`), '&quot;x&apos;&#10;&#9;&#13;');
    assert.match(renderJunit({ ...summary, runs: [] }), /tests="0" failures="0" errors="0" skipped="0" time="0\.000"/);
  });
});

describe('markdown', () => {
  const md = renderMarkdown(summary);
  test('totals per adapter, then only what did not hold, fail first', () => {
    assert.match(md, /\| reference \(http:\/\/127\.0\.0\.1:8080\) \| ✗ not conformant \| 1 \| 1 \| 1 \| 1 \| 1 \| 0 \| 4\.32 s \|/);
    assert.match(md, /✔ conformant|✗ not conformant \(strict\)/);
    const fail = md.indexOf('✗ fail · **LP\\-HOLD** (MUST) Title of LP\\-HOLD \\[reference\\]: server said \\<script\\>');
    assert.ok(fail > 0, md);
    assert.ok(fail < md.indexOf('⚠ non-strict · **POLL\\-EMPTY\\-STATUS**'));
    const items = md.split('\n').filter((line) => line.startsWith('- '));
    assert.deepEqual(items.map((line) => line.split(' · ')[0]), ['- ✗ fail', '- ⚠ non-strict', '- ⚠ non-strict'], 'one item per fail or non-strict result, and nothing else');
    assert.doesNotMatch(md, /WS\\-UPGRADE|websocket not declared/, 'unsupported results are counted in the table, never listed');
    assert.match(md, /^Legend: ✗ fail: [^\n]*⚠ non-strict: [^\n]*$/m);
    assert.doesNotMatch(md, /Legend:.*unsupported/);
    assert.doesNotMatch(md, /(^|[^\\])</m, 'every < is escaped');
    // eslint-disable-next-line no-control-regex -- the control character is what must not appear
    assert.doesNotMatch(md, /\u0001/);
  });

  test('an empty or clean run says so', () => {
    assert.match(renderMarkdown({ ...summary, runs: [] }), /No adapter was run/);
    const clean = run('clean', false, [result('POLL-CURSOR-ORDER', 'polling', 'MUST', 'pass')]);
    const cleanMd = renderMarkdown({ ...summary, runs: [clean] });
    assert.match(cleanMd, /Every requirement passed/);
    assert.match(cleanMd, /✔ conformant/);
    const partly = renderMarkdown({ ...summary, runs: [run('partly', false, [result('POLL-CURSOR-ORDER', 'polling', 'MUST', 'pass'), result('WS-UPGRADE', 'websocket', 'MUST', 'unsupported')])] });
    assert.match(partly, /Every requirement that was checked held \(1 unsupported, not checked\)\./, 'an unsupported result is not called passed');
    assert.doesNotMatch(partly, /Did not hold|WS\\-UPGRADE/);
    const single = renderMarkdown({ ...summary, runs: [reference] });
    assert.match(single, /Title of LP\\-HOLD: server said/, 'no adapter name with a single run');
  });

  test('escapes markdown and keeps one line', () => {
    assert.equal(escapeMarkdown('a|b\n  [c](d)'), 'a\\|b \\[c\\]\\(d\\)');
  });
});

describe('helpers', () => {
  test('formatting', () => {
    assert.equal(formatDuration(850.4), '850 ms');
    assert.equal(formatDuration(2345), '2.35 s');
    assert.equal(formatDuration(65_000), '1 min 5 s');
    assert.equal(formatFigure({ name: 'ratio', value: 99.5, unit: '%' }), '99.5%');
    assert.equal(formatNumber(Number.NaN), 'NaN');
    assert.equal(formatDate('yesterday'), 'yesterday');
    assert.equal(techniqueLabel('carrier-pigeon'), 'carrier-pigeon');
    const grouped = groupByTechnique([{ technique: 'carrier-pigeon' }, { technique: 'sse' }, { technique: 'polling' }]);
    assert.deepEqual(grouped.map(([t]) => t), ['polling', 'sse', 'carrier-pigeon']);
  });

  test('paths and links', () => {
    assert.equal(pathSegment('../..'), '-..');
    assert.equal(pathSegment('...'), '_');
    assert.equal(caseHref('a b', 'X/Y'), 'cases/a-b/X-Y.html');
    assert.equal(safeHref('not a url'), undefined);
    assert.equal(safeHref(undefined), undefined);
    assert.equal(safeHref('mailto:a@b.c'), 'mailto:a@b.c');
  });

  test('escaping and verdict styles', () => {
    assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    assert.equal(html`${[1, '<', null, undefined, false, true]}`.toString(), '1&lt;true');
    assert.equal(verdictGlyph('fail'), '✗');
    assert.equal(verdictWord('informational'), 'info');
    assert.equal(verdictLabel('not-run'), '· not run');
    assert.equal(verdictColour('pass'), '#1a7f37');
  });
});

test('a case page shows each stream as the bytes that arrived, with times and visible line breaks', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pushspec-streams-'));
  try {
    await writeReports(summary, dir);
    const page = await readFile(path.join(dir, 'cases', 'reference', 'POLL-CURSOR-ORDER.html'), 'utf8');
    assert.ok(page.includes('<h2>Streams <span class="muted">(2)</span></h2>'));
    assert.ok(page.includes('+1 ms  client  GET /channels/x/events → status 200 at +3 ms, 4 chunk(s), 151 bytes; closed by the client at +900 ms'));
    assert.ok(page.includes('+5 ms  client late  GET /channels/x/events → no head, 0 chunk(s), 0 bytes; still open'));
    assert.ok(page.includes('<td class="num">+250 ms</td>'));
    assert.ok(page.includes('id: 1\\r\\n\ndata: '), 'CRLF shown');
    assert.ok(page.includes('\\r\n\\r\\n'), 'a lone CR shown before a CRLF');
    assert.ok(page.includes('2 more chunk(s), 99 bytes, not kept.'));
    assert.ok(!page.includes('<script>alert'), 'stream bytes are escaped');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a case page shows the WebSocket frame log both ways, with flags, and the close outcome', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pushspec-frames-'));
  try {
    await writeReports(summary, dir);
    const page = await readFile(path.join(dir, 'cases', 'reference', 'POLL-CURSOR-ORDER.html'), 'utf8');
    assert.ok(page.includes('<h2>Frames <span class="muted">(7)</span></h2>'));
    assert.ok(page.includes('<td>→ sent</td><td>text</td><td>no FIN RSV1 RSV3 masked</td>'));
    assert.ok(page.includes('<td>← received</td><td>close 1002</td><td>FIN unmasked</td>'));
    assert.ok(page.includes('reserved 3'));
    assert.ok(page.includes('4 more frame(s) not kept.'));
    assert.ok(page.includes('clean, code 1002'));
    assert.ok(!page.includes('<script>alert'), 'frame previews are escaped');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a matrix cell of an outline that did not hold says how many examples held and how the connection closed', () => {
  const failing: RequirementResult = {
    id: 'WS-UTF8-INVALID', technique: 'websocket', level: 'MUST', title: 'Invalid UTF-8 fails the connection', source: { label: 'RFC 6455 §8.1' },
    verdict: 'fail', durationMs: 5, message: 'Expected: close 1007',
    evidence: { exchanges: [], omittedExchanges: 0, figures: [], notes: [], closeOutcome: 'still open after 2000 ms' },
    examples: [
      { name: 'overlong', verdict: 'fail', durationMs: 2 },
      { name: 'surrogate', verdict: 'pass', durationMs: 3 },
    ],
  };
  const page = renderIndex({ ...summary, runs: [{ ...summary.runs[0]!, results: [failing] }] });
  assert.ok(page.includes('<span class="fig">1/2 examples held</span>'));
  assert.ok(page.includes('<span class="fig">still open after 2000 ms</span>'));
  const unsupported: RequirementResult = { ...failing, verdict: 'unsupported', message: 'no echo endpoint', examples: failing.examples!.map((e) => ({ ...e, verdict: 'unsupported' as const })) };
  const skipped = renderIndex({ ...summary, runs: [{ ...summary.runs[0]!, results: [unsupported] }] });
  assert.ok(!skipped.includes('examples held'), 'an unsupported outline was not checked: no "0/2 examples held"');
});

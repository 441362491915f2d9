/**
 * Tests of the sequence diagram on case pages (reporting/html/sequence.ts).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AdapterRun, Evidence, FrameRecord, RequirementResult, Summary } from '../verdicts/model.ts';
import { renderCasePage } from '../reporting/html/case-page.ts';
import { MAX_ARROWS, renderSequence } from '../reporting/html/sequence.ts';

const XSS = '<script>alert("x")</script>';

function evidence(extra: Partial<Evidence> = {}): Evidence {
  return { exchanges: [], omittedExchanges: 0, figures: [], notes: [], ...extra };
}

function frame(atMs: number, extra: Partial<FrameRecord> = {}): FrameRecord {
  return { connection: 'client carol', direction: 'sent', atMs, fin: true, rsv: 0, opcode: 1, masked: true, length: 5, preview: 'hello', ...extra };
}

/** An exchange (2 arrows), a stream (request, head, 2 chunks, end: 5 arrows) and 3 frames: 10 arrows. */
const mixed = evidence({
  exchanges: [
    { actor: 'publisher', method: 'POST', url: 'http://127.0.0.1:8080/channels/x/messages', requestHeaders: {}, startedAtMs: 2, status: 201, endedAtMs: 4, annotation: 'published; id 7' },
  ],
  streams: [
    {
      actor: `client ${XSS}`, method: 'GET', url: 'http://127.0.0.1:8080/channels/x/events', requestHeaders: {}, startedAtMs: 1, status: 200,
      responseHeaders: { 'Content-Type': 'text/event-stream; charset=utf-8' }, headersAtMs: 3,
      chunks: [{ atMs: 5, text: 'retry: 500\n\n', bytes: 12 }, { atMs: 1005, text: `id: 1\ndata: ${XSS}\n\n`, bytes: 44 }],
      omittedChunks: 0, omittedBytes: 0, endedAtMs: 1010, end: 'closed by the client',
    },
  ],
  frames: [
    frame(6, { preview: XSS }),
    frame(7, { direction: 'received', masked: false, length: 12, preview: 'hello world!' }),
    frame(8, { direction: 'received', opcode: 8, length: 2, preview: '1002', closeCode: 1002 }),
  ],
});

const count = (text: string, needle: string): number => text.split(needle).length - 1;

describe('renderSequence', () => {
  test('no traffic: no diagram', () => {
    assert.equal(renderSequence(evidence()), false);
    assert.equal(renderSequence(evidence({ streams: [], frames: [] })), false);
  });

  test('one lane per actor plus the server, one arrow per message', () => {
    const svg = String(renderSequence(mixed));
    assert.match(svg, /<svg class="seq" role="img" aria-labelledby="seq-title seq-desc"/);
    assert.match(svg, /<title id="seq-title">/);
    assert.match(svg, /<desc id="seq-desc">/);
    // Lanes: the stream's client, the publisher, carol's connection, and the server.
    assert.equal(count(svg, 'class="lane"'), 4);
    assert.equal(count(svg, 'class="who"'), 4);
    assert.match(svg, />server<\/text>/);
    assert.match(svg, />publisher<\/text>/);
    assert.equal(count(svg, 'class="arrow '), 10);
    assert.equal(count(svg, 'class="arrow sq-req"'), 3); // POST, GET, frame sent
    assert.equal(count(svg, 'class="arrow sq-data"'), 2); // two chunks
    assert.equal(count(svg, 'class="arrow sq-end"'), 2); // stream end, close frame
    assert.match(svg, />POST \/channels\/x\/messages</);
    assert.match(svg, />201 · published</);
    assert.match(svg, />200 text\/event-stream</);
    assert.match(svg, />close 1002</);
    assert.match(svg, />\+1,?005 ms</);
    assert.match(svg, /<marker id="sq-head-fail"/);
  });

  test('a resuming stream request leads with its Last-Event-ID, which a cut label would otherwise lose', () => {
    const stream = mixed.streams![0]!;
    const resumed = { ...stream, actor: 'real client', requestHeaders: { accept: 'text/event-stream', 'last-event-id': '42' }, startedAtMs: 2000, headersAtMs: 2003, endedAtMs: undefined, end: undefined };
    const svg = String(renderSequence(evidence({ streams: [{ ...stream, actor: 'real client' }, resumed] })));
    assert.equal(count(svg, '>Last-Event-ID: 42 · GET /channels/x/events<'), 1, 'the reconnection, with its header');
    assert.equal(count(svg, '>GET /channels/x/events<'), 1, 'the first request, without one');
  });

  test('a held request shows as an activation bar across its rows', () => {
    const svg = String(renderSequence(evidence({
      exchanges: [{ actor: 'client alice', method: 'GET', url: '/lp', requestHeaders: {}, startedAtMs: 0, status: 200, endedAtMs: 1000, annotation: 'held 1000 ms; ended by a message' }],
    })));
    assert.equal(count(svg, 'class="hold"'), 1);
    assert.match(svg, />200 · held 1000 ms</);
  });

  test('errors are drawn as error arrows', () => {
    const svg = String(renderSequence(evidence({
      exchanges: [{ actor: 'client alice', method: 'GET', url: '/lp', requestHeaders: {}, startedAtMs: 0, error: 'ECONNRESET' }],
    })));
    assert.equal(count(svg, 'class="arrow sq-fail"'), 1);
    assert.match(svg, />error: ECONNRESET</);
  });

  test('text is escaped', () => {
    const svg = String(renderSequence(mixed));
    assert.ok(!svg.includes('<script'), 'no raw <script>');
    assert.ok(svg.includes('&lt;script&gt;'));
  });

  test('long labels are cut', () => {
    const svg = String(renderSequence(evidence({
      exchanges: [{ actor: 'client', method: 'GET', url: `/channels/${'x'.repeat(200)}`, requestHeaders: {}, startedAtMs: 0 }],
    })));
    assert.match(svg, />GET \/channels\/x+…</);
    // The visible label is cut; the full one is in the row's tooltip.
    assert.ok(!/<text[^>]*>[^<]{50,}<\/text>/.test(svg));
    assert.match(svg, /<title>[^<]*x{200}<\/title>/);
  });

  test('at most 120 arrows, then a note', () => {
    const frames = Array.from({ length: 200 }, (_, i) => frame(i, { direction: i % 2 === 0 ? 'sent' : 'received' }));
    const svg = String(renderSequence(evidence({ frames })));
    assert.equal(count(svg, 'class="arrow '), MAX_ARROWS);
    assert.match(svg, /… 80 more not drawn/);
    const height = Number(/viewBox="0 0 720 (\d+)"/.exec(svg)?.[1]);
    assert.ok(height >= 300, `height ${height}`);
  });

  test('the case page shows the diagram after "How it was checked"', () => {
    const result: RequirementResult = {
      id: 'SSE-RESUME', technique: 'sse', level: 'MUST', title: 'Resumes', source: { label: 'WHATWG' }, verdict: 'pass', durationMs: 20,
      scenario: { uri: 'features/sse.feature', name: 'Resume', steps: ['Given a stream'] },
      evidence: mixed,
    };
    const run: AdapterRun = {
      adapter: { name: 'reference', baseUrl: 'http://127.0.0.1:8080', source: 'adapters/reference.json' }, startedAt: '2025-11-24T07:59:00.000Z',
      durationMs: 20, strict: false, totals: { pass: 1, 'non-strict': 0, fail: 0, informational: 0, unsupported: 0, 'not-run': 0 }, results: [result],
    };
    const summary: Summary = { schemaVersion: 3, tool: { name: 'pushspec', version: '0.0.0' }, catalogueVersion: '1', generatedAt: '2025-11-24T08:00:00.000Z', runs: [run] };
    const page = renderCasePage(summary, run, result);
    assert.ok(page.includes('<svg class="seq"'));
    assert.ok(page.indexOf('How it was checked') < page.indexOf('<svg class="seq"'));
    assert.ok(page.indexOf('<svg class="seq"') < page.indexOf('<h2>Transcript'));
    assert.ok(!page.includes(XSS));
  });
});

/** What `pushspec report` prints: a line per adapter, what did not hold once each, where the report is; never every requirement. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { notHeld, renderMergedSummary } from '../cli/merged-summary.ts';
import { result, run } from './support/summaries.ts';

const plain = (_sgr: string, text: string): string => text;

const a = run('alpha', [
  result('POLL-A', 'polling', 'MUST', 'fail', { title: 'A malformed cursor is refused at once with a client error (4xx), and nothing stored is lost' }),
  result('POLL-B', 'polling', 'SHOULD', 'non-strict'),
  result('POLL-C', 'polling', 'MUST', 'pass'),
  result('SSE-D', 'sse', 'MAY', 'informational'),
  result('WS-E', 'websocket', 'MUST', 'unsupported'),
]);
const b = run('beta-server', [
  result('POLL-A', 'polling', 'MUST', 'fail'),
  result('POLL-B', 'polling', 'SHOULD', 'pass'),
  result('POLL-C', 'polling', 'MUST', 'pass'),
], true);

test('one line per adapter with its counts and whether it conforms', () => {
  const lines = renderMergedSummary([a, b], 'reports/merged/index.html', plain);
  assert.equal(lines[0], 'Merged 2 runs into one matrix');
  assert.equal(lines[1], '  ✗ alpha        not conformant           1 pass, 1 non-strict, 1 fail, 1 info, 1 unsupported, 0 not run');
  assert.equal(lines[2], '  ✗ beta-server  not conformant (strict)  2 pass, 0 non-strict, 1 fail, 0 info, 0 unsupported, 0 not run');
  const clean = renderMergedSummary([run('gamma', [result('POLL-C', 'polling', 'MUST', 'pass')])], 'index.html', plain);
  assert.equal(clean[1], '  ✔ gamma  conformant  1 pass, 0 non-strict, 0 fail, 0 info, 0 unsupported, 0 not run');
  assert.ok(clean.includes('Every requirement that was checked held.'));
});

test('each requirement that did not hold is listed once, fail first, with every adapter where it did not', () => {
  const lines = renderMergedSummary([a, b], 'reports/merged/index.html', plain);
  const listed = lines.slice(lines.indexOf('Did not hold (2)') + 1).filter((l) => /^ {2}[✗⚠]/.test(l));
  assert.equal(listed.length, 2, lines.join('\n'));
  assert.match(listed[0] ?? '', /^ {2}✗ fail +POLL-A +MUST +in alpha, beta-server · A malformed cursor is refused at once with a client error \(4xx\), and…$/);
  assert.match(listed[1] ?? '', /^ {2}⚠ non-strict +POLL-B +SHOULD +in alpha · Title of POLL-B$/);
  assert.deepEqual(notHeld([b]).map((e) => [e.id, e.verdict, e.adapters]), [['POLL-A', 'fail', ['beta-server']]]);
});

test('names no requirement that held or was not checked, and says where the report is', () => {
  const text = renderMergedSummary([a, b], 'reports/merged/index.html', plain).join('\n');
  for (const id of ['POLL-C', 'SSE-D', 'WS-E']) assert.ok(!text.includes(id), `${id} is not listed`);
  assert.match(text, /^Report: reports\/merged\/index\.html /m);
});

/**
 * WebSockets over HTTP/2 (RFC 8441) end to end: the fixture server (test/fixtures/ws-h2-server.mjs), conformant and
 * broken one way at a time, is reported as failing exactly the rules it breaks.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { Summary } from '../../verdicts/model.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'pushspec-ws-h2-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** Runs the RFC 8441 scenarios against `test/fixtures/ws-h2-<fault>.json`: exit code and verdicts by id. */
function run(fault: string): { status: number | null; verdicts: Record<string, string>; actual: Record<string, string | undefined> } {
  const reportDir = join(work, fault);
  const child = spawnSync(process.execPath, ['bin/pushspec.mjs', 'run', '--adapter', `test/fixtures/ws-h2-${fault}.json`, '--tags', '@websocket and @http2', '--report-dir', reportDir, '--no-color'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.ok(child.status !== null, `pushspec did not finish: ${child.stderr}`);
  const summary = JSON.parse(readFileSync(join(reportDir, 'summary.json'), 'utf8')) as Summary;
  const results = summary.runs[0]!.results.filter((r) => r.id.startsWith('WS-H2-'));
  return { status: child.status, verdicts: Object.fromEntries(results.map((r) => [r.id, r.verdict])), actual: Object.fromEntries(results.map((r) => [r.id, r.evidence.actual])) };
}

describe('WebSockets over HTTP/2: a fixture that breaks one rule is reported as breaking it', () => {
  test('conformant: every RFC 8441 requirement holds, the frame-level cases too, exit 0', () => {
    const { status, verdicts } = run('none');
    assert.deepEqual(verdicts, { 'WS-H2-ENABLE-CONNECT': 'pass', 'WS-H2-ECHO': 'pass', 'WS-H2-FRAME-CASES': 'pass' });
    assert.equal(status, 0);
  });

  test('no SETTINGS_ENABLE_CONNECT_PROTOCOL: all fail (no client may send the CONNECT), the echo naming why', () => {
    const { status, verdicts, actual } = run('no-connect-setting');
    assert.deepEqual(verdicts, { 'WS-H2-ENABLE-CONNECT': 'fail', 'WS-H2-ECHO': 'fail', 'WS-H2-FRAME-CASES': 'fail' });
    assert.match(actual['WS-H2-ECHO'] ?? '', /RFC 8441 §3/);
    assert.equal(status, 1);
  });

  test('the CONNECT answered 404: the echo and the cases fail (nothing opens), the SETTINGS hold', () => {
    const { status, verdicts, actual } = run('connect-refused');
    assert.deepEqual(verdicts, { 'WS-H2-ENABLE-CONNECT': 'pass', 'WS-H2-ECHO': 'fail', 'WS-H2-FRAME-CASES': 'fail' });
    assert.equal(actual['WS-H2-ECHO'], 'the extended CONNECT was answered 404');
    assert.equal(status, 1);
  });

  test('a close not answered with a close: the echo and the cases fail, the SETTINGS hold', () => {
    const { status, verdicts, actual } = run('no-close-echo');
    assert.deepEqual(verdicts, { 'WS-H2-ENABLE-CONNECT': 'pass', 'WS-H2-ECHO': 'fail', 'WS-H2-FRAME-CASES': 'fail' });
    assert.match(actual['WS-H2-ECHO'] ?? '', /^no close frame; the stream ended/);
    assert.equal(status, 1);
  });

  test("an echo without RFC 6455's checks: WS-H2-FRAME-CASES fails, naming the cases, and nothing else", () => {
    const { status, verdicts, actual } = run('lax-frames');
    assert.deepEqual(verdicts, { 'WS-H2-ENABLE-CONNECT': 'pass', 'WS-H2-ECHO': 'pass', 'WS-H2-FRAME-CASES': 'fail' });
    assert.match(actual['WS-H2-FRAME-CASES'] ?? '', /^\d+ did not: \d+\.\d+(\.\d+)?: expected /);
    assert.equal(status, 1);
  });
});

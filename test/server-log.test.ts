/**
 * A launched server's own output goes to <report-dir>/server.log, never to
 * pushspec's console; its last lines are shown when it fails to start, exits
 * while the suite runs, or the run fails. And a long wait says so on the
 * console as it begins. Each case runs `pushspec run` in a child process.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { TAIL_LINES } from '../adapters/contract/launch.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'pushspec-server-log-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** How long one run may take here (the longest watches an idle connection for about 5 s). */
const RUN_DEADLINE_MS = 90_000;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  /** The run's server.log, or '' when there is none. */
  log: string;
}

/** Writes `adapter` and runs `pushspec run` with it (asynchronously: the cases run side by side). */
async function run(name: string, adapter: Record<string, unknown>, tags: string): Promise<Run> {
  const file = join(work, `${name}.json`);
  writeFileSync(file, JSON.stringify({ name, baseUrl: 'http://127.0.0.1:{port}', protocol: 'pushspec-reference', ...adapter }));
  const reports = join(work, name);
  const child = spawn(process.execPath, ['bin/pushspec.mjs', 'run', '--adapter', file, '--report-dir', reports, '--tags', tags, '--no-color'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), RUN_DEADLINE_MS);
  const [status] = (await once(child, 'close')) as [number | null];
  clearTimeout(timer);
  let log = '';
  try {
    log = readFileSync(join(reports, 'server.log'), 'utf8');
  } catch {
    // no log: asserted where it matters
  }
  return { status, stdout, stderr, log };
}

/** The chatty fixture (test/fixtures/chatty-server.mjs) in one of its modes. */
const chatty = (mode: string) => ({ launch: { command: [process.execPath, join(ROOT, 'test', 'fixtures', 'chatty-server.mjs'), '--port', '{port}', '--mode', mode] } });

/** The lines under the tail's heading on the console, up to the next blank line. */
function tailOf(stderr: string): string[] {
  const at = stderr.indexOf('--- last output of');
  assert.notEqual(at, -1, `no tail of the server's output in:\n${stderr}`);
  return stderr.slice(at).split('\n').slice(1).filter((line, i, all) => line !== '' && all.slice(0, i).every((l) => l !== ''));
}

describe('a launched server\'s output', { concurrency: true }, () => {
  test('goes to server.log, not the console; a long wait prints a progress line', async () => {
    // The reference server pinging every 2.6 s: watching for pings takes over 5 s, so it is announced.
    const serve = [process.execPath, join(ROOT, 'bin', 'pushspec.mjs'), 'serve', '--port', '{port}', '--ws-ping', '2600'];
    const result = await run('quiet-console', { launch: { command: serve }, websocket: { pingIntervalMs: 2600 } }, '@WS-KEEPALIVE-PING');
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.log, /pushspec reference server listening on http:\/\/127\.0\.0\.1:\d+/);
    assert.match(result.log, /--- the server (exited with code 0|was killed by SIGTERM) ---\n$/, 'the log says how the server ended');
    assert.doesNotMatch(result.stdout + result.stderr, /reference server listening/, 'the server\'s lines stay off the console');
    assert.match(result.stdout, /, \S+server\.log \(the server's output\)/, 'the closing lines say where the log is');
    assert.match(result.stderr, /^ {2}… WS-KEEPALIVE-PING: watching an idle connection for pings for up to 7 s \(2 × 2\.6 s \+ 1\.3 s\)$/m);
    assert.doesNotMatch(result.stdout, /…/, 'progress stays off stdout, which CI reads');
  });

  test('is shown, its last lines only, when the run fails', async () => {
    // The fixture answers a malformed cursor with 200: POLL-MALFORMED-CURSOR, a MUST, fails.
    const result = await run('failing-run', chatty('serve'), '@POLL-ANSWER-AT-ONCE or @POLL-MALFORMED-CURSOR');
    assert.equal(result.status, 1, result.stdout);
    const logged = result.log.split('\n').filter((line) => line.startsWith('chatty: '));
    assert.ok(logged.length > TAIL_LINES, 'the log keeps every line');
    assert.deepEqual(tailOf(result.stderr), logged.slice(-TAIL_LINES), `the last ${TAIL_LINES} lines, as logged`);
    assert.match(result.stderr, /--- last output of `[^`]*chatty-server\.mjs[^`]*` \(all of it in \S+server\.log\) ---/);
    assert.doesNotMatch(result.stdout, /chatty:/);
  });

  test('is shown when the server exits while the suite runs, once', async () => {
    const result = await run('early-exit', chatty('exit-on-poll'), '@POLL-ANSWER-AT-ONCE');
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /pushspec: the server exited with code 5 while the suite ran\n--- last output of/);
    assert.equal(tailOf(result.stderr).at(-1), 'chatty: exiting on purpose after the first poll');
    assert.equal(result.stderr.split('--- last output of').length - 1, 1, 'the tail is shown once');
    assert.match(result.log, /--- the server exited with code 5 ---\n$/);
  });

  test('is shown when the server fails to start; the log has all of it', async () => {
    const result = await run('no-start', chatty('fail-start'), '@POLL-ANSWER-AT-ONCE');
    assert.equal(result.status, 3);
    // Lines keep their order within stdout and within stderr; how the two interleave is the pipes' affair.
    const logged = result.log.split('\n').filter((line) => line.startsWith('chatty: '));
    assert.equal(logged.length, 31, 'the log has every line');
    assert.ok(logged.includes('chatty: cannot start, on purpose'));
    assert.deepEqual(tailOf(result.stderr), logged.slice(-TAIL_LINES), `the last ${TAIL_LINES} lines, as logged`);
    assert.match(result.log, /--- the server exited with code 3 ---\n$/);
    assert.doesNotMatch(result.stdout, /chatty:/);
  });
});

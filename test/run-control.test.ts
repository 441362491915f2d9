/**
 * Run control (core/run-control.ts) and what it drives: waits and pauses cut
 * short, the server probe, the not-run verdict in every report, the exit
 * code, --deadline's validation, and reports written as the run goes.
 */
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, describe, test } from 'node:test';
import { parseDeadline } from '../cli/options.ts';
import { renderRun, renderTotals } from '../cli/console-tree.ts';
import { LiveReports } from '../cli/live-reports.ts';
import { EXIT, PushspecError } from '../core/errors.ts';
import { ConformanceFailure } from '../core/failure.ts';
import { CaseDeadlinePassed, notRunReason, resetRunControl, RunStopped, stopExitCode, type StopReason } from '../core/run-control.ts';
import { probeServer } from '../core/server-probe.ts';
import { pause, Signal, waitUntil } from '../core/wait.ts';
import { idlePlan, watchIdle } from '../core/idle-watch.ts';
import { renderJunit } from '../reporting/junit.ts';
import { renderMarkdown } from '../reporting/markdown.ts';
import { renderIndex } from '../reporting/html/matrix.ts';
import { renderCasePage } from '../reporting/html/case-page.ts';
import { nothingAnswered } from '../steps/support/nothing-answered.ts';
import { caseDeadline } from '../steps/support/step-backstop.ts';
import type { ResolvedAdapter } from '../adapters/contract/resolve.ts';
import { verdictFor } from '../verdicts/from-envelopes.ts';
import { countLine, countVerdicts, exitCodeFor } from '../verdicts/outcome.ts';
import { buildSummary, readSummary } from '../verdicts/summary.ts';
import { result, run, summaryOf } from './support/summaries.ts';

const EXITED: StopReason = { code: 'PUSHSPEC_ERR_SERVER_EXITED', reason: 'the server exited with code 1 while the suite ran' };
const plain = (_code: string, text: string): string => text;

afterEach(() => {
  resetRunControl();
});

describe('run control', () => {
  test('keeps the first reason to stop, tells listeners once, and gives its exit code', () => {
    const control = resetRunControl();
    const heard: string[] = [];
    control.onStop((stop) => heard.push(stop.reason));
    assert.equal(control.stopped, undefined);
    assert.equal(control.stop(EXITED), true);
    assert.equal(control.stop({ code: 'PUSHSPEC_ERR_INTERRUPTED', reason: 'the run was interrupted (SIGINT)' }), false);
    assert.deepEqual(control.stopped, EXITED);
    assert.deepEqual(heard, [EXITED.reason]);
    assert.equal(stopExitCode(EXITED), EXIT.UNREACHABLE);
    assert.equal(stopExitCode({ code: 'PUSHSPEC_ERR_DEADLINE', reason: 'x' }), EXIT.INCOMPLETE);
    assert.equal(notRunReason(EXITED), 'the server exited with code 1 while the suite ran before this case was judged');
    let late = '';
    control.onStop((stop) => (late = stop.reason));
    assert.equal(late, EXITED.reason, 'a listener added after the stop hears it at once');
  });

  test('a stop ends the case in progress: its wait rejects with RunStopped at once, not at its deadline', async () => {
    const control = resetRunControl();
    control.beginCase({ ms: 60_000, why: 'test' });
    const waiting = waitUntil(() => false, { what: 'a frame', deadlineMs: 60_000, seen: () => 'nothing' });
    control.stop(EXITED);
    await assert.rejects(waiting, (error: unknown) => error instanceof RunStopped && error.stop === control.stopped);
  });

  test('a stop ends an idle watch too, which would otherwise watch for two intervals', async () => {
    const control = resetRunControl();
    control.beginCase();
    const watching = watchIdle({ plan: idlePlan(30_000), sinceMs: 0, arrivals: () => [], now: () => 0, signal: new Signal() });
    control.stop(EXITED);
    await assert.rejects(watching, RunStopped);
  });

  test('a case begun after the stop starts aborted, and its waits and pauses end at once', async () => {
    const control = resetRunControl();
    control.stop(EXITED);
    const signal = control.beginCase();
    assert.equal(signal.aborted, true);
    await assert.rejects(waitUntil(() => false, { what: 'x', deadlineMs: 60_000, seen: () => '' }), RunStopped);
    await assert.rejects(pause(60_000), RunStopped);
  });

  test("the case's deadline fails its wait with Expected/Actual naming the deadline and what was awaited", async () => {
    const control = resetRunControl();
    control.beginCase({ ms: 30, why: '30 ms, for the test' });
    await assert.rejects(waitUntil(() => false, { what: 'an event', deadlineMs: 60_000, seen: () => 'no event yet' }), (error: unknown) => {
      assert.ok(error instanceof ConformanceFailure);
      assert.equal(error.expected, "an event within the case's deadline of 0.03 s (30 ms, for the test)");
      assert.equal(error.actual, 'no event yet');
      return true;
    });
    assert.ok(control.caseSignal?.reason instanceof CaseDeadlinePassed);
  });

  test('waits begun between cases have no case signal; ending a case aborts what a step left behind', async () => {
    const control = resetRunControl();
    control.beginCase();
    const leftBehind = waitUntil(() => false, { what: 'x', deadlineMs: 60_000, seen: () => '' });
    const finish = control.endCase();
    assert.equal(control.caseSignal, undefined);
    control.stop(EXITED);
    await waitUntil(() => true, { what: 'y', deadlineMs: 1000, seen: () => '' });
    finish();
    await assert.rejects(leftBehind, /the case has ended/);
  });

  test('a case may wait on many things at once without a listener-leak warning, and each wait removes its listener', async () => {
    const control = resetRunControl();
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => void warnings.push(warning.name);
    process.on('warning', onWarning);
    try {
      const caseSignal = control.beginCase();
      const signal = new Signal();
      let open = false;
      const waits = Array.from({ length: 100 }, (_, i) => waitUntil(() => open, { what: `stream ${i}`, deadlineMs: 5000, signal, seen: () => '' }));
      await new Promise((resolve) => setImmediate(resolve));
      open = true;
      signal.notify();
      await Promise.all(waits);
      assert.equal(getEventListeners(caseSignal, 'abort').length, 0);
      control.endCase();
      // Warnings are emitted on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(warnings, []);
    } finally {
      process.off('warning', onWarning);
    }
  });

  test('checkServer stops the run with what the check saw, and only asks while the run goes on', async () => {
    const control = resetRunControl();
    assert.equal(await control.checkServer(), undefined, 'no check installed: nothing to say');
    let asked = 0;
    control.setServerCheck(async () => {
      asked += 1;
      return { code: 'PUSHSPEC_ERR_SERVER_GONE', reason: 'the server stopped answering at http://x: refused' };
    });
    assert.equal((await control.checkServer())?.code, 'PUSHSPEC_ERR_SERVER_GONE');
    assert.equal(control.stopped?.code, 'PUSHSPEC_ERR_SERVER_GONE');
    await control.checkServer();
    assert.equal(asked, 1);
  });
});

describe('the case deadline', () => {
  test('is 30 s plus three times the longest time the adapter declares, and says so', () => {
    assert.deepEqual(caseDeadline(undefined), { ms: 30_000, why: '30 s; the adapter declares no longer time' });
    const adapter = { longPolling: { maxHoldMs: 25_000 } } as unknown as ResolvedAdapter;
    const deadline = caseDeadline(adapter);
    assert.equal(deadline.ms, 30_000 + 3 * 25_000);
    assert.match(deadline.why, /30 s \+ 3 × 25 s/);
  });
});

describe('the server probe', () => {
  const servers: Server[] = [];
  const sockets = new Set<Socket>();
  after(async () => {
    for (const socket of sockets) socket.destroy();
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  });
  const listen = async (onConnection: (socket: Socket) => void): Promise<string> => {
    const server = createServer((socket) => {
      sockets.add(socket);
      onConnection(socket);
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    return `http://127.0.0.1:${port}/base`;
  };

  test('a server that answers anything, even garbage, is alive', async () => {
    const url = await listen((socket) => socket.once('data', () => socket.write('\x00garbage, not HTTP\r\n')));
    assert.equal(await probeServer(url, 2000), undefined);
  });

  test('a closed port is refused', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    assert.equal(await probeServer(`http://127.0.0.1:${port}`, 2000), 'connection refused (ECONNREFUSED)');
  });

  test('a server that accepts and never answers is silent until the deadline', async () => {
    const url = await listen(() => undefined);
    assert.equal(await probeServer(url, 100), 'connected, but no answer within 100 ms');
  });

  test('a server that closes the connection without a byte does not answer', async () => {
    const url = await listen((socket) => socket.once('data', () => socket.end()));
    assert.equal(await probeServer(url, 2000), 'the connection was closed without an answer');
  });
});

describe('nothing answered', () => {
  const evidence = { exchanges: [], omittedExchanges: 0, figures: [], notes: [] };
  test('an exchange with an error and no status, or a failure that names no answer, is a case for the probe', () => {
    assert.equal(nothingAnswered({ ...evidence, exchanges: [{ actor: 'client', method: 'GET', url: '/', requestHeaders: {}, startedAtMs: 0, error: 'connect ECONNREFUSED' }] } as never, undefined), true);
    assert.equal(nothingAnswered(evidence, 'Expected: the scenario to run to its verdict\nActual:   fetch failed: other side closed'), true);
    assert.equal(nothingAnswered({ ...evidence, expected: 'a frame from the server within 5000 ms', actual: 'none' }, undefined), true);
  });
  test('a server that answered wrongly is not', () => {
    assert.equal(nothingAnswered({ ...evidence, expected: 'status 200', actual: 'status 500 after 1 ms' }, undefined), false);
  });
});

describe('the not-run verdict', () => {
  const reason = notRunReason(EXITED);
  const notRun = result('POLL-B', 'polling', 'MUST', 'not-run', { message: reason });
  const stopped = { ...run('server', [result('POLL-A', 'polling', 'MUST', 'pass'), notRun]), complete: false, stopReason: EXITED.reason };

  test('comes from the attachment, before anything else', () => {
    assert.equal(verdictFor('MUST', 'FAILED', false, true), 'not-run');
    assert.equal(verdictFor('MUST', 'SKIPPED', false, true), 'not-run');
    assert.equal(verdictFor('MUST', 'SKIPPED', true, false), 'unsupported');
  });

  test('counts as skipped in the closing line, and a run with one never exits 0', () => {
    assert.equal(stopped.totals['not-run'], 1);
    const counts = countVerdicts([stopped]);
    assert.equal(countLine(counts), 'pushspec: 1 passed, 0 failed, 1 skipped');
    assert.equal(exitCodeFor([stopped]), EXIT.INCOMPLETE);
    assert.equal(exitCodeFor([{ ...run('x', [result('POLL-A', 'polling', 'MUST', 'pass')]), complete: false }]), EXIT.INCOMPLETE, 'nor does an incomplete run');
    assert.equal(exitCodeFor([run('y', [notRun, result('POLL-C', 'polling', 'MUST', 'fail')])]), EXIT.NONCONFORMANT, 'a failure still says 1');
  });

  test('junit: a skipped test whose message gives the reason', () => {
    const xml = renderJunit(summaryOf([stopped]));
    assert.match(xml, new RegExp(`<testcase classname="polling" name="POLL-B [^"]*" time="[0-9.]+">\\s*<skipped message="not run: ${reason}"/>`));
    assert.match(xml, /<testsuite name="server · polling" tests="2" failures="0" errors="0" skipped="1"/);
  });

  test('console: a · line with the reason, the stop above the tree, and a note above the count line', () => {
    const lines = renderRun(stopped, plain);
    assert.ok(lines.includes(`The run stopped early: ${EXITED.reason}; the cases it did not judge are marked not run.`), lines.join('\n'));
    assert.ok(lines.some((line) => /^ {2}· POLL-B +MUST +Title of POLL-B \[not run\] \(the server exited with code 1 while the suite ran before this case was judged\)$/.test(line)), lines.join('\n'));
    const totals = renderTotals([stopped], plain);
    assert.match(totals.join('\n'), /1 requirement\(s\) not run: the run stopped before judging them/);
    assert.equal(totals.at(-1), 'pushspec: 1 passed, 0 failed, 1 skipped');
  });

  test('HTML: the matrix cell, the run card says incomplete with the reason, the case page gives the reason', () => {
    const summary = summaryOf([stopped]);
    const index = renderIndex(summary);
    assert.match(index, /<td class="cell v-not-run"><a href="cases\/server\/POLL-B\.html"[^>]*><span class="word">· not run<\/span>/);
    assert.match(index, /· incomplete<\/span>/);
    assert.match(index, /The run stopped early:<\/strong> the server exited with code 1 while the suite ran/);
    assert.match(index, /· 1 not run<\/span>/);
    const page = renderCasePage(summary, stopped, notRun);
    assert.match(page, /<dt>Not run<\/dt><dd class="pre">the server exited with code 1 while the suite ran before this case was judged<\/dd>/);
  });

  test('markdown: the run is incomplete, with the reason and the not-run count', () => {
    const md = renderMarkdown(summaryOf([stopped]));
    assert.match(md, /\| · incomplete: the server exited with code 1 while the suite ran \| 1 \| 0 \| 0 \| 0 \| 0 \| 1 \|/);
  });
});

describe('--deadline', () => {
  test('takes a positive number of seconds', () => {
    assert.equal(parseDeadline('run', undefined), undefined);
    assert.equal(parseDeadline('run', '90'), 90);
    assert.equal(parseDeadline('run', '1.5'), 1.5);
  });
  for (const bad of ['0', '-1', 'abc', '1e3', '', '10s', '9999999']) {
    test(`refuses "${bad}" as a usage error naming the value`, () => {
      assert.throws(
        () => parseDeadline('run', bad),
        (error: unknown) => error instanceof PushspecError && error.exitCode === EXIT.USAGE && error.message.includes(`got "${bad}"`) && error.message.startsWith('run: --deadline'),
      );
    });
  }
});

describe('reports written as the run goes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pushspec-live-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const read = (): { complete?: boolean; results: unknown[] } => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')).runs[0];

  test('the first finished case is written at once, later ones at most once per interval, then the final write', async () => {
    let builds = 0;
    const soFar = (count: number) => () => {
      builds += 1;
      return { ...run('live', Array.from({ length: count }, (_, i) => result(`POLL-${i}`, 'polling', 'MUST', 'pass'))), complete: false };
    };
    const live = new LiveReports(dir, { intervalMs: 60_000 });
    live.caseFinished(soFar(1));
    // Built and rendered before caseFinished returns, i.e. before the next case starts: never in the middle of one.
    assert.equal(builds, 1, 'the first finished case is built at once');
    await waitUntil(() => readdirSync(dir).includes('summary.json'), { what: 'summary.json', deadlineMs: 5000, everyMs: 10, seen: () => readdirSync(dir).join(', ') });
    await waitUntil(() => read().results.length === 1, { what: 'one result written', deadlineMs: 5000, everyMs: 10, seen: () => `${read().results.length}` });
    assert.equal(read().complete, false);
    live.caseFinished(soFar(2));
    live.caseFinished(soFar(3));
    assert.equal(builds, 1, 'within the interval nothing more is built');
    await live.final({ ...run('live', [result('POLL-0', 'polling', 'MUST', 'pass')]), complete: true });
    assert.equal(read().complete, true);
    assert.equal(builds, 1, 'the final write supersedes the pending one');
    assert.deepEqual(readdirSync(dir).filter((name) => name.endsWith('.tmp')), [], 'no temporary file is left');
    const summary = buildSummary([]);
    assert.equal(summary.schemaVersion, 3);
  });
});

describe('summaries of schema version 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pushspec-v2-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('are still read, as complete runs with no not-run result', async () => {
    const v3 = summaryOf([run('old', [result('POLL-A', 'polling', 'MUST', 'pass'), result('POLL-B', 'polling', 'SHOULD', 'non-strict')])]);
    const { 'not-run': _dropped, ...v2Totals } = v3.runs[0]!.totals;
    const v2 = { ...v3, schemaVersion: 2, runs: [{ ...v3.runs[0]!, totals: v2Totals }] };
    const file = join(dir, 'v2.json');
    writeFileSync(file, JSON.stringify(v2));
    const read = await readSummary(file);
    assert.equal(read.schemaVersion, 3);
    assert.deepEqual(read.runs[0]!.totals, { pass: 1, 'non-strict': 1, fail: 0, informational: 0, unsupported: 0, 'not-run': 0 });
    assert.equal(exitCodeFor(read.runs), EXIT.OK);
    writeFileSync(file, JSON.stringify({ ...v2, schemaVersion: 1 }));
    await assert.rejects(readSummary(file), /schema version 2 or 3 \(schemaVersion is 1\); version 1 was written by pushspec 0\.1/);
  });
});

/**
 * The suite's honesty check: an independent polling server, broken on
 * purpose one rule at a time (test/fixtures/polling-server.mjs), must be
 * reported as failing exactly that rule, and nothing else.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { Technique } from '../../techniques/registry.ts';
import { loadCatalogue } from '../../verdicts/catalogue.ts';
import type { Summary, Verdict } from '../../verdicts/model.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'pushspec-fixtures-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** Runs the CLI against one fixture adapter (test/fixtures/<name>.json); returns its exit code and verdicts by requirement id. */
function runAdapter(name: string, ...flags: string[]): { status: number | null; verdicts: Map<string, Verdict>; summary: Summary; stdout: string } {
  const reportDir = join(work, `${name}${flags.join('')}`.replace(/[^A-Za-z0-9-]/g, '_'));
  const child = spawnSync(process.execPath, ['bin/pushspec.mjs', 'run', '--adapter', `test/fixtures/${name}${existsSync(join(ROOT, 'test', 'fixtures', `${name}.ts`)) ? '.ts' : '.json'}`, '--report-dir', reportDir, '--no-color', ...flags], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });
  assert.ok(child.status !== null, `pushspec did not finish: ${child.stderr}`);
  const summary = JSON.parse(readFileSync(join(reportDir, 'summary.json'), 'utf8')) as Summary;
  const verdicts = new Map(summary.runs[0]!.results.map((r) => [r.id, r.verdict]));
  return { status: child.status, verdicts, summary, stdout: child.stdout };
}

/** The polling fixture server with one fault. */
const runFixture = (fault: string, ...flags: string[]) => runAdapter(`polling-${fault}`, ...flags);

const catalogue = loadCatalogue().requirements;
/** The polling requirements a single-server HTTP/1.1 fixture does not declare (cluster, HTTP/2): its run skips them. */
const POLLING_SKIPPED = catalogue.filter((r) => r.technique === 'polling' && (r.id.includes('-CLUSTER-') || r.id.includes('-H2-'))).length;
/** `pushspec: 13 passed, 1 failed, N skipped` for a polling run with one requirement broken. */
const ONE_BROKEN_POLLING_LINE = new RegExp(`^pushspec: ${catalogue.filter((r) => r.technique === 'polling').length - POLLING_SKIPPED - 1} passed, 1 failed, ${POLLING_SKIPPED} skipped$`, 'm');
const POLLING = ['--tags', '@polling'];
const LONG_POLLING = ['--tags', '@long-polling'];
const BOTH_POLLINGS = ['--tags', '@polling or @long-polling'];

/**
 * What the fixture servers do not offer, unless a test says otherwise: only the upgrade fixtures move a long-poll
 * onto a WebSocket, none of these is a cluster (test/e2e/cluster-verdicts.test.ts judges the cluster fixtures), and
 * only the HTTP/2 runs of the polling and SSE fixtures (`--http2`) declare HTTP/2.
 */
const UNDECLARED_BY_FIXTURES: Record<string, Verdict> = {
  'WS-UPGRADE-NO-LOSS': 'unsupported',
  ...Object.fromEntries(catalogue.filter((r) => r.id.includes('-CLUSTER-') || r.id.includes('-H2-')).map((r) => [r.id, 'unsupported' as Verdict])),
};

/**
 * Every requirement not named in `broken` must hold (MAY ones as
 * informational), and every requirement of the techniques run has a verdict.
 */
function assertOnly(verdicts: Map<string, Verdict>, broken: Record<string, Verdict>, techniques: readonly Technique[] = ['polling']): void {
  for (const [id, verdict] of verdicts) {
    const level = catalogue.find((r) => r.id === id)?.level;
    assert.equal(verdict, broken[id] ?? UNDECLARED_BY_FIXTURES[id] ?? (level === 'MAY' ? 'informational' : 'pass'), id);
  }
  const expected = catalogue.filter((r) => techniques.includes(r.technique)).map((r) => r.id);
  assert.deepEqual([...verdicts.keys()].sort(), expected.sort(), 'every requirement of the techniques run has a verdict');
}

// Each test runs pushspec synchronously, so the runs go one at a time: the requirements judge timing
// (holds, keep-alives, reconnection delays), and a fixture run is judged on an otherwise idle machine.
describe('a fixture server that breaks one polling rule is reported as breaking that rule', () => {
  test('conformant: every polling and long-polling requirement holds, exit 0', () => {
    const { status, verdicts } = runFixture('none', ...BOTH_POLLINGS);
    assertOnly(verdicts, {}, ['polling', 'longPolling']);
    assert.equal(status, 0);
  });

  // The HTTP/2 requirements, which the runs above report unsupported, hold over h2c; all the others hold as over HTTP/1.1.
  const H2_HOLD = Object.fromEntries(catalogue.filter((r) => r.id.includes('-H2-') && ['polling', 'longPolling'].includes(r.technique)).map((r) => [r.id, 'pass' as Verdict]));

  test('conformant over HTTP/2 (h2c): every polling and long-polling requirement holds, the HTTP/2 ones too, exit 0', () => {
    const { status, verdicts, stdout } = runFixture('h2-none', ...BOTH_POLLINGS);
    assertOnly(verdicts, H2_HOLD, ['polling', 'longPolling']);
    assert.equal(status, 0, stdout);
  });

  test('a held poll freed only when its HTTP/2 connection closes is non-strict for LP-H2-CANCEL-RELEASED, and nothing else', () => {
    const { status, verdicts, summary } = runFixture('h2-cancel-kept', ...BOTH_POLLINGS);
    assertOnly(verdicts, { ...H2_HOLD, 'LP-H2-CANCEL-RELEASED': 'non-strict' }, ['polling', 'longPolling']);
    assert.equal(status, 0);
    const result = summary.runs[0]!.results.find((r) => r.id === 'LP-H2-CANCEL-RELEASED')!;
    assert.match(result.evidence.expected ?? '', /^the cancelled polls released within \d+ ms, half of the \d+ ms their holds had left/);
  });

  test('a server that sends connection: keep-alive on its HTTP/2 responses fails POLL-H2-NO-CONNECTION-FIELDS and LP-H2-NO-CONNECTION-FIELDS, and nothing else', () => {
    const { status, verdicts, summary } = runFixture('h2-connection-header', ...BOTH_POLLINGS);
    assertOnly(verdicts, { ...H2_HOLD, 'POLL-H2-NO-CONNECTION-FIELDS': 'fail', 'LP-H2-NO-CONNECTION-FIELDS': 'fail' }, ['polling', 'longPolling']);
    assert.equal(status, 1);
    const result = summary.runs[0]!.results.find((r) => r.id === 'LP-H2-NO-CONNECTION-FIELDS')!;
    assert.match(result.evidence.actual ?? '', /connection: keep-alive/);
  });

  test('500 for a malformed cursor fails POLL-MALFORMED-CURSOR (a MUST): exit 1', () => {
    const { status, verdicts, summary, stdout } = runFixture('error-on-bad-cursor', ...POLLING);
    assertOnly(verdicts, { 'POLL-MALFORMED-CURSOR': 'fail' });
    assert.equal(status, 1);
    const result = summary.runs[0]!.results.find((r) => r.id === 'POLL-MALFORMED-CURSOR')!;
    assert.equal(result.evidence.expected, 'a client error (4xx) within 1000 ms');
    assert.match(result.evidence.actual ?? '', /^status 500 /);
    assert.ok(result.evidence.exchanges.some((e) => e.status === 500), 'the 500 answer is in the transcript');
    assert.match(stdout, /Expected: a client error \(4xx\) within 1000 ms\n\s+Actual: {3}status 500/);
    // The skipped ones: Ajax polling's cluster and HTTP/2 requirements (the fixture is one server, over HTTP/1.1).
    assert.match(stdout, ONE_BROKEN_POLLING_LINE);
  });

  test('a poll that is never answered fails its requirement at the deadline, and the run goes on', () => {
    const { status, verdicts, summary } = runFixture('hang-on-bad-cursor', ...POLLING);
    assertOnly(verdicts, { 'POLL-MALFORMED-CURSOR': 'fail' });
    assert.equal(status, 1);
    const result = summary.runs[0]!.results.find((r) => r.id === 'POLL-MALFORMED-CURSOR')!;
    assert.match(result.evidence.expected ?? '', /^an answer to GET \/channels\/[^ ]+\?cursor=not-a-cursor within 5000 ms$/);
    assert.equal(result.evidence.actual, 'no complete answer after 5000 ms');
  });

  test('a cacheable answer is non-strict for POLL-NOT-CACHEABLE (a SHOULD): exit 0, and 1 with --strict', () => {
    const relaxed = runFixture('cacheable', ...POLLING);
    assertOnly(relaxed.verdicts, { 'POLL-NOT-CACHEABLE': 'non-strict' });
    assert.equal(relaxed.status, 0);
    const strict = runFixture('cacheable', ...POLLING, '--strict');
    assert.equal(strict.verdicts.get('POLL-NOT-CACHEABLE'), 'non-strict');
    assert.equal(strict.status, 1);
    assert.match(strict.stdout, ONE_BROKEN_POLLING_LINE);
  });

  test('silently skipping evicted messages is non-strict for POLL-GAP-SIGNALLED', () => {
    const { status, verdicts } = runFixture('silent-gap', ...POLLING);
    assertOnly(verdicts, { 'POLL-GAP-SIGNALLED': 'non-strict' });
    assert.equal(status, 0);
  });

  test('a module adapter that publishes and decodes with functions is checked like a JSON one', () => {
    const { status, verdicts } = runFixture('module', ...POLLING);
    assertOnly(verdicts, {});
    assert.equal(status, 0);
  });

  test('an ETag cursor, 304 or 408 when empty, one message per answer and a fixed hold are checked as declared', () => {
    const { status, verdicts } = runFixture('validators', ...BOTH_POLLINGS);
    assertOnly(verdicts, { 'POLL-BATCH-ORDER': 'unsupported', 'LP-BATCH-ORDER': 'unsupported', 'LP-TIMEOUT-NOT-408': 'non-strict' }, ['polling', 'longPolling']);
    assert.equal(status, 0);
  });

  test('a long-poll answered at once, like a plain poll, fails the requirements that need a hold', () => {
    const { status, verdicts, summary } = runFixture('lp-answer-at-once', ...LONG_POLLING);
    assertOnly(verdicts, { 'LP-HOLD-IDLE': 'fail', 'LP-DELIVER-PROMPT': 'fail', 'LP-BROADCAST-ALL': 'fail', 'LP-SAME-CURSOR': 'fail' }, ['longPolling']);
    assert.equal(status, 1);
    const idle = summary.runs[0]!.results.find((r) => r.id === 'LP-HOLD-IDLE')!;
    assert.match(idle.evidence.expected ?? '', /held for at least 500 ms/);
    assert.ok(idle.evidence.exchanges.some((e) => /^held \d+ ms \(asked for 1000 ms\); ended early, empty \(status 200\), before the hold it asked for$/.test(e.annotation ?? '')), 'the transcript says how long the poll was held and what ended it');
  });

  test('a "refusal" no declared format can read is garbage, not the refusal "reject-new" declares: LP-SAME-CURSOR fails', () => {
    // Only this case: the fixture refuses every second poll on a cursor, so LP-BROADCAST-ALL's 500 clients would fail too.
    const { status, verdicts, summary } = runFixture('lp-garbled-refusal', '--tags', '@LP-SAME-CURSOR');
    assert.deepEqual([...verdicts], [['LP-SAME-CURSOR', 'fail']]);
    assert.equal(status, 1);
    assert.match(summary.runs[0]!.results[0]!.evidence.actual ?? '', /newer poll: status 200 after \d+ ms with an unreadable body \(the body is not JSON\)$/);
  });

  test('a long-poll that loses what is published between polls fails the requirements about the gap', () => {
    const { status, verdicts } = runFixture('lp-lose-gap', ...LONG_POLLING);
    assertOnly(verdicts, { 'LP-NO-GAP-LOSS': 'fail', 'LP-BATCH-ORDER': 'fail', 'LP-ABORT-RESUME': 'fail', 'LP-THROUGH-CUTS': 'fail' }, ['longPolling']);
    assert.equal(status, 1);
  });

  test('a batch that joins messages with a separator it does not escape fails the DATA-INTACT requirements, on that example only', () => {
    const { status, verdicts, summary } = runFixture('unescaped-separator', ...BOTH_POLLINGS);
    assertOnly(verdicts, { 'POLL-DATA-INTACT': 'fail', 'LP-DATA-INTACT': 'fail' }, ['polling', 'longPolling']);
    assert.equal(status, 1);
    const result = summary.runs[0]!.results.find((r) => r.id === 'POLL-DATA-INTACT')!;
    const broken = result.examples!.filter((e) => e.verdict === 'fail').map((e) => e.name);
    assert.deepEqual(broken, ['A message\'s data arrives byte for byte, whatever it holds: a record separator (0x1E)']);
    assert.match(result.evidence.actual ?? '', /^2 message\(s\) before the ordinary message: "before", "after"/);
  });
});

describe('an SSE fixture server that breaks one rule is reported as breaking that rule', () => {
  const SSE = ['--tags', '@sse'];

  test('conformant: every Server-Sent Events requirement holds, exit 0', () => {
    const { status, verdicts } = runAdapter('sse-none', ...SSE);
    assertOnly(verdicts, {}, ['sse']);
    assert.equal(status, 0);
  });

  // The SSE HTTP/2 requirements, which the other SSE runs report unsupported, hold over h2c; all the others hold as over HTTP/1.1.
  const SSE_H2_HOLD = Object.fromEntries(catalogue.filter((r) => r.id.includes('-H2-') && r.technique === 'sse').map((r) => [r.id, 'pass' as Verdict]));

  test('conformant over HTTP/2 (h2c): every SSE requirement holds, the HTTP/2 ones too, exit 0', () => {
    const { status, verdicts, stdout } = runAdapter('sse-h2-none', ...SSE);
    assertOnly(verdicts, SSE_H2_HOLD, ['sse']);
    assert.equal(status, 0, stdout);
  });

  test('an event stream freed only when its HTTP/2 connection closes is non-strict for SSE-H2-CANCEL-RELEASED, and nothing else', () => {
    const { status, verdicts, summary } = runAdapter('sse-h2-cancel-kept', ...SSE);
    assertOnly(verdicts, { ...SSE_H2_HOLD, 'SSE-H2-CANCEL-RELEASED': 'non-strict' }, ['sse']);
    assert.equal(status, 0);
    const result = summary.runs[0]!.results.find((r) => r.id === 'SSE-H2-CANCEL-RELEASED')!;
    assert.match(result.evidence.expected ?? '', /^the 10 cancelled streams released within 1200 ms: the count of open event streams back at \d+/);
    assert.match(result.evidence.actual ?? '', /^the count was still \d+ \d+ ms after the streams were cancelled, on a connection still open$/);
  });

  test('a server that drops a slow HTTP/2 stream by closing its whole connection is non-strict for SSE-H2-STALLED-READER, and nothing else', () => {
    const { status, verdicts, summary } = runAdapter('sse-h2-slow-drops-connection', ...SSE);
    // SSE-SLOW-CLIENT still holds: the slow client is dropped, past the bound, and resumes.
    assertOnly(verdicts, { ...SSE_H2_HOLD, 'SSE-H2-STALLED-READER': 'non-strict' }, ['sse']);
    assert.equal(status, 0);
    const result = summary.runs[0]!.results.find((r) => r.id === 'SSE-H2-STALLED-READER')!;
    assert.match(result.evidence.expected ?? '', /^the reading stream to receive all \d+ messages in order, the last within \d+ ms, while the other stream on its connection had stopped reading$/);
    assert.match(result.evidence.actual ?? '', /^received \d+: missing \d+: .*the last message never arrived; the stalled stream took \d+ bytes after it stopped reading/);
  });

  test('a server that sends connection: keep-alive on its HTTP/2 answers fails SSE-H2-NO-CONNECTION-FIELDS, and nothing else', () => {
    const { status, verdicts, summary } = runAdapter('sse-h2-connection-header', ...SSE);
    assertOnly(verdicts, { ...SSE_H2_HOLD, 'SSE-H2-NO-CONNECTION-FIELDS': 'fail' }, ['sse']);
    assert.equal(status, 1);
    const result = summary.runs[0]!.results.find((r) => r.id === 'SSE-H2-NO-CONNECTION-FIELDS')!;
    assert.match(result.evidence.actual ?? '', /connection: keep-alive/);
  });

  test('a server that buffers events fails SSE-PROMPT', () => {
    const { status, verdicts, summary } = runAdapter('sse-buffered', ...SSE);
    assertOnly(verdicts, { 'SSE-PROMPT': 'fail' }, ['sse']);
    assert.equal(status, 1);
    const prompt = summary.runs[0]!.results.find((r) => r.id === 'SSE-PROMPT')!;
    const stream = prompt.evidence.streams?.[0];
    assert.ok(stream !== undefined && stream.chunks.length > 0 && stream.chunks.every((c) => typeof c.atMs === 'number'), 'the report has the stream as bytes with arrival times');
  });

  test('a server that writes multi-line data as one data line fails SSE-MULTILINE and SSE-DATA-INTACT', () => {
    const { status, verdicts } = runAdapter('sse-single-data-line', ...SSE);
    assertOnly(verdicts, { 'SSE-MULTILINE': 'fail', 'SSE-DATA-INTACT': 'fail' }, ['sse']);
    assert.equal(status, 1);
  });

  test('a server that ignores Last-Event-ID fails the resume requirements', () => {
    const { status, verdicts } = runAdapter('sse-ignore-last-event-id', ...SSE);
    assertOnly(verdicts, { 'SSE-RESUME': 'fail', 'SSE-RESUME-QUERY': 'non-strict', 'SSE-GAP-SIGNALLED': 'non-strict', 'SSE-SLOW-CLIENT': 'non-strict', 'SSE-RESUME-THROUGH-CUTS': 'fail' }, ['sse']);
    assert.equal(status, 1);
  });

  test('a server that replays its history after an id it never issued is non-strict on SSE-UNKNOWN-LAST-EVENT-ID, and on nothing else', () => {
    const { status, verdicts } = runAdapter('sse-replay-unknown-id', ...SSE);
    assertOnly(verdicts, { 'SSE-UNKNOWN-LAST-EVENT-ID': 'non-strict' }, ['sse']);
    assert.equal(status, 0, 'a SHOULD that does not hold fails the run only with --strict');
  });

  test('a stream sent as text/plain fails SSE-CONTENT-TYPE, and the real client gives up on it', () => {
    const { status, verdicts } = runAdapter('sse-text-plain', ...SSE);
    assertOnly(verdicts, { 'SSE-CONTENT-TYPE': 'fail', 'SSE-MULTILINE': 'fail', 'SSE-DATA-INTACT': 'fail', 'SSE-ONE-BYTE-WRITES': 'fail', 'SSE-RESUME': 'fail', 'SSE-RETRY-HONOURED': 'non-strict', 'SSE-STOP-204': 'non-strict' }, ['sse']);
    assert.equal(status, 1);
  });

  test('a server that takes one read for a whole request fails SSE-ONE-BYTE-WRITES, and only it', () => {
    const { status, verdicts } = runAdapter('sse-whole-request-only', ...SSE);
    assertOnly(verdicts, { 'SSE-ONE-BYTE-WRITES': 'fail' }, ['sse']);
    assert.equal(status, 1);
  });
});

describe('a WebSocket fixture server that breaks one rule is reported as breaking that rule', () => {
  const WS = ['--tags', '@websocket'];
  /**
   * What every run of the fixture shows: it checks UTF-8 as each frame arrives, not within a frame, so the
   * invalid byte of 6.4.3/6.4.4 (one frame written in parts) is found only when the frame ends (a MAY).
   */
  const FIXTURE: Record<string, Verdict> = { 'WS-UTF8-FAIL-FAST': 'non-strict' };
  /** The failing examples of a requirement, by case id. */
  const failingCases = (summary: Summary, id: string): string[] =>
    (summary.runs[0]!.results.find((r) => r.id === id)?.examples ?? []).filter((e) => e.verdict === 'fail').map((e) => /\(case ([\w.]+)\)$/.exec(e.name)?.[1] ?? e.name);

  test('conformant: every WebSocket requirement holds, exit 0', () => {
    const { status, verdicts } = runAdapter('ws-none', ...WS);
    assertOnly(verdicts, FIXTURE, ['websocket']);
    assert.equal(status, 0);
  });

  test('a wrong Sec-WebSocket-Accept fails WS-HANDSHAKE-ACCEPT (and the accepted half of WS-ORIGIN)', () => {
    const { status, verdicts, summary } = runAdapter('ws-wrong-accept', ...WS);
    assertOnly(verdicts, { ...FIXTURE, 'WS-HANDSHAKE-ACCEPT': 'fail', 'WS-ORIGIN': 'non-strict' }, ['websocket']);
    assert.equal(status, 1);
    const accept = summary.runs[0]!.results.find((r) => r.id === 'WS-HANDSHAKE-ACCEPT')!;
    assert.ok(accept.evidence.exchanges.some((e) => e.status === 101), 'the report has the handshake');
  });

  test('echoing invalid UTF-8 fails WS-UTF8-INVALID', () => {
    const { status, verdicts, summary } = runAdapter('ws-echo-invalid-utf8', ...WS);
    // Every 6.4.x case fails outright (the bad text is echoed), so failing fast is never observed.
    assertOnly(verdicts, { ...FIXTURE, 'WS-UTF8-INVALID': 'fail', 'WS-UTF8-FAIL-FAST': 'unsupported' }, ['websocket']);
    assert.equal(status, 1);
    const utf8 = summary.runs[0]!.results.find((r) => r.id === 'WS-UTF8-INVALID')!;
    assert.ok((utf8.examples ?? []).every((e) => e.verdict === 'fail'), 'every invalid-UTF-8 case fails');
    assert.ok((utf8.evidence.frames ?? []).some((f) => f.direction === 'received' && f.opcode === 1), 'the frame log shows the echoed invalid text');
  });

  test('never answering pings fails WS-PING-PONG, and every case that expects a pong', () => {
    const { status, verdicts } = runAdapter('ws-no-pong', ...WS);
    // Autobahn 2.9 (a ping after an unsolicited pong), 5.6–5.8, 5.19, 5.20 (pings between fragments) and
    // 2.10/2.11 expect pongs too; 5.19/5.20 fail before WS-PONG-PROMPT's timing can be observed.
    assertOnly(verdicts, { ...FIXTURE, 'WS-PING-PONG': 'fail', 'WS-UNSOLICITED-PONG': 'fail', 'WS-FRAGMENTS': 'fail', 'WS-PING-EACH': 'non-strict', 'WS-PONG-PROMPT': 'unsupported' }, ['websocket']);
    assert.equal(status, 1);
  });

  test('choosing a subprotocol the client did not offer fails WS-SUBPROTOCOL', () => {
    const { status, verdicts, summary } = runAdapter('ws-any-subprotocol', ...WS);
    assertOnly(verdicts, { ...FIXTURE, 'WS-SUBPROTOCOL': 'fail' }, ['websocket']);
    assert.equal(status, 1);
    const examples = summary.runs[0]!.results.find((r) => r.id === 'WS-SUBPROTOCOL')!.examples ?? [];
    assert.deepEqual(examples.map((e) => e.verdict), ['pass', 'fail', 'pass', 'fail'], 'only the offers without pushspec.v1 fail');
  });

  test('failing connections without a close frame holds every MUST, and is non-strict on WS-FAIL-CLOSE-FRAME only', () => {
    const { status, verdicts, summary } = runAdapter('ws-drop-without-close', ...WS);
    assertOnly(verdicts, { ...FIXTURE, 'WS-FAIL-CLOSE-FRAME': 'non-strict' }, ['websocket']);
    assert.equal(status, 0);
    const part = summary.runs[0]!.results.find((r) => r.id === 'WS-FAIL-CLOSE-FRAME')!;
    assert.ok((part.examples ?? []).length >= 10, 'observed in every case that fails the connection');
    assert.match(part.evidence.actual ?? '', /^no close frame/);
  });

  test('truncating pushed data at a NUL fails WS-DATA-INTACT on that example only', () => {
    const { status, verdicts, summary } = runAdapter('ws-truncate-at-nul', ...WS);
    assertOnly(verdicts, { ...FIXTURE, 'WS-DATA-INTACT': 'fail' }, ['websocket']);
    assert.equal(status, 1);
    const examples = summary.runs[0]!.results.find((r) => r.id === 'WS-DATA-INTACT')!.examples ?? [];
    assert.deepEqual(examples.filter((e) => e.verdict !== 'pass').map((e) => e.name.replace(/^.*: /, '')), ['a NUL character']);
  });

  test('leaving TCP open after the closing handshake fails WS-CLOSE-TCP-BY-SERVER, a MUST of its own', () => {
    const { status, verdicts } = runAdapter('ws-linger-after-close', ...WS);
    assertOnly(verdicts, { ...FIXTURE, 'WS-CLOSE-TCP-BY-SERVER': 'fail' }, ['websocket']);
    assert.equal(status, 1);
  });

  test('an upgrade from long-polling that sends a message twice fails WS-UPGRADE-NO-LOSS, and only it', () => {
    const broken = (name: string): Record<string, Verdict> =>
      Object.fromEntries([...runAdapter(name, '--tags', '@websocket or @long-polling').verdicts].filter(([, v]) => v === 'fail' || v === 'non-strict'));
    const none = runAdapter('upgrade-none', '--tags', '@WS-UPGRADE-NO-LOSS').verdicts;
    assert.equal(none.get('WS-UPGRADE-NO-LOSS'), 'pass', 'engine.io as it is keeps every message across the upgrade');
    const faulty = broken('upgrade-duplicate-on-upgrade');
    assert.equal(faulty['WS-UPGRADE-NO-LOSS'], 'fail');
    // engine.io's own deviations (see adapters/targets/engine.io) are the same with or without the fault:
    // a poll's answer counts as delivered once sent, so an answer the network cut is lost (LP-ABORT-RESUME, LP-THROUGH-CUTS).
    assert.deepEqual(Object.keys(faulty).sort(), ['LP-ABORT-RESUME', 'LP-DATA-INTACT', 'LP-THROUGH-CUTS', 'WS-UPGRADE-NO-LOSS']);
  });

  test('a server that drops a frame header cut by TCP fails the octet-wise cases, and only those', () => {
    const { status, summary } = runAdapter('ws-split-header', ...WS);
    assert.equal(status, 1);
    const failing = summary.runs[0]!.results.flatMap((r) => (r.level === 'MUST' ? (r.examples ?? []).filter((e) => e.verdict === 'fail').map((e) => `${r.id}: ${e.name}`) : []));
    // Whether a given header arrives cut depends on how the receiver's reads meet the 1-byte writes: every failure
    // must be an octet-wise case, and the echo of two fragments sent octet-wise (Autobahn 5.5) cannot come back.
    assert.ok(failing.length > 0, 'some octet-wise case fails');
    for (const name of failing) assert.match(name, /octet-wise/, `only octet-wise cases fail: ${name}`);
    assert.ok(failing.some((name) => name.endsWith('(case 5.5)')), `5.5 fails: ${failing.join('; ')}`);
  });

  test('a UTF-8 check that lets surrogates through fails exactly the surrogate cases, in text and in close reasons', () => {
    const { status, verdicts, summary } = runAdapter('ws-utf8-surrogates', ...WS);
    assertOnly(verdicts, { ...FIXTURE, 'WS-UTF8-INVALID': 'fail', 'WS-CLOSE-REASON-UTF8': 'fail' }, ['websocket']);
    assert.equal(status, 1);
    const surrogates = ['6.3.1', '6.3.2', ...[1, 2, 3, 4, 5, 6, 7].map((n) => `6.20.${n}`), ...[1, 2, 3, 4, 5, 6, 7, 8].map((n) => `6.21.${n}`)];
    assert.deepEqual(failingCases(summary, 'WS-UTF8-INVALID').filter((id) => !id.startsWith('P')), surrogates);
  });

  test('accepting RSV1 on a control frame fails the RSV1-on-control rows of WS-DEFLATE-PROTOCOL-ERRORS, and only them', () => {
    const { status, verdicts, summary } = runAdapter('ws-deflate-rsv1-control', ...WS);
    assertOnly(verdicts, { ...FIXTURE, 'WS-DEFLATE-PROTOCOL-ERRORS': 'fail' }, ['websocket']);
    assert.equal(status, 1);
    assert.deepEqual(failingCases(summary, 'WS-DEFLATE-PROTOCOL-ERRORS'), ['P12.3.1', 'P12.3.2']);
  });

  test('keeping the compression context after agreeing not to fails every case that asked for server_no_context_takeover', () => {
    const { status, verdicts, summary } = runAdapter('ws-deflate-keeps-context', ...WS);
    assertOnly(verdicts, { ...FIXTURE, 'WS-DEFLATE-PARAMS': 'fail', 'WS-DEFLATE-CONTEXT': 'fail' }, ['websocket']);
    assert.equal(status, 1);
    // 13.2, 13.5, 13.6 offer server_no_context_takeover, and 13.7's first offer does; the first two profiles
    // (16 and 64 units) are too short for a message to reach back into the one before.
    const failing = failingCases(summary, 'WS-DEFLATE-PARAMS');
    assert.ok(failing.length > 0 && failing.every((id) => /^13\.[2567]\./.test(id)), `only the no-context-takeover offers fail: ${failing.join(', ')}`);
  });

  test('accepting unmasked frames fails WS-UNMASKED', () => {
    const { status, verdicts } = runAdapter('ws-accept-unmasked', ...WS);
    assertOnly(verdicts, { ...FIXTURE, 'WS-UNMASKED': 'fail' }, ['websocket']);
    assert.equal(status, 1);
  });
});

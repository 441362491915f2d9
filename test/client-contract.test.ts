/**
 * The client contract's pure pieces and the client matrix: client adapter
 * validation (every error names its field), the report lines a client's glue
 * writes, the scripted HTTP server (records requests, closes every socket),
 * the bundled clients and their expected verdicts, and `pushspec clients`
 * with several clients, one of them not installed.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { request } from 'undici';
import { bundledClients } from '../cli/commands/clients.ts';
import { clientAdapterFrom, commandFor, loadClientAdapter } from '../clients/contract/adapter.ts';
import { ClientProcess } from '../clients/contract/client-process.ts';
import { isReport, parseReport } from '../clients/contract/reports.ts';
import { PushspecError } from '../core/errors.ts';
import { ScriptedHttpServer, readBody } from '../core/scripted-http.ts';
import { Transcript } from '../core/transcript.ts';
import { loadClientCatalogue } from '../verdicts/catalogue.ts';
import { EXPLAINED, loadExpected } from '../verdicts/expected.ts';
import type { Summary } from '../verdicts/model.ts';
import { runPushspec } from './support/child-process.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'pushspec-client-contract-'));
after(() => rmSync(work, { recursive: true, force: true }));

const VALID = { name: 'a client 1.0', protocol: 'pushspec-client/1', command: ['node', 'client.mjs', '{url}'], sse: {} };

/** The message of the error validating `value` throws; fails when it throws none. */
function problemOf(value: unknown): string {
  try {
    clientAdapterFrom(value, 'x.json', '/tmp');
  } catch (error) {
    assert.ok(error instanceof PushspecError);
    assert.equal(error.code, 'PUSHSPEC_ERR_ADAPTER_INVALID');
    return error.message;
  }
  assert.fail(`expected ${JSON.stringify(value)} to be refused`);
}

describe('client adapter validation', () => {
  test('a valid adapter is read with its defaults, and its command filled', () => {
    const adapter = clientAdapterFrom(VALID, 'x.json', '/tmp');
    assert.deepEqual(adapter.env, {});
    assert.deepEqual(adapter.requires, []);
    assert.deepEqual(adapter.unsupported, {});
    assert.equal(adapter.startupMs, 0);
    assert.deepEqual(Object.keys(adapter.techniques), ['sse']);
    assert.deepEqual(commandFor(adapter, { url: 'http://127.0.0.1:1/e', technique: 'sse' }), ['node', 'client.mjs', 'http://127.0.0.1:1/e']);
  });

  test('each wrong field is named in the error', () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ ...VALID, name: '' }, /x\.json: "name"/],
      [{ ...VALID, protocol: 'pushspec-client/0' }, /"protocol": expected "pushspec-client\/1"/],
      [{ ...VALID, command: [] }, /"command": expected a non-empty array/],
      [{ ...VALID, command: ['node', '{port}', '{url}'] }, /"command": unknown placeholder \{port\}/],
      [{ ...VALID, command: ['node', 'client.mjs'] }, /"command": no \{url\}/],
      [{ ...VALID, env: { A: 1 } }, /"env": expected/],
      [{ ...VALID, sse: [] }, /"sse": expected an object/],
      [{ name: 'a', protocol: 'pushspec-client/1', command: ['c', '{url}'] }, /no technique section/],
      [{ ...VALID, unsupported: { 'SSEC-X': '' } }, /"unsupported": expected/],
      [{ ...VALID, requires: {} }, /"requires": expected an array/],
      [{ ...VALID, requires: [{ name: 'p', check: [], install: 'apt-get install p' }] }, /"requires"\[0\]\.check: expected a non-empty array/],
      [{ ...VALID, requires: [{ name: 'p', check: ['p'], install: '' }] }, /"requires"\[0\]\.install: expected/],
      [{ ...VALID, requires: [{ name: 'p', check: ['p'], install: 'i', how: 1 }] }, /"requires"\[0\]: unknown field "how"/],
      [{ ...VALID, startupMs: -1 }, /"startupMs": expected a whole number of milliseconds from 0 to 60000/],
      [{ ...VALID, startupMs: 1.5 }, /"startupMs": expected a whole number/],
      [{ ...VALID, colour: 'red' }, /unknown field "colour"/],
    ];
    for (const [value, pattern] of cases) assert.match(problemOf(value), pattern);
    assert.match(problemOf([]), /a client adapter is a JSON object/);
  });

  test('a file that is not there or not JSON is a load error naming the file', async () => {
    await assert.rejects(loadClientAdapter(join(work, 'none.json')), (e: PushspecError) => e.code === 'PUSHSPEC_ERR_ADAPTER_LOAD' && /none\.json: cannot read/.test(e.message));
    writeFileSync(join(work, 'bad.json'), '{ nope');
    await assert.rejects(loadClientAdapter(join(work, 'bad.json')), (e: PushspecError) => e.code === 'PUSHSPEC_ERR_ADAPTER_LOAD' && /bad\.json: not JSON/.test(e.message));
  });
});

describe('report lines', () => {
  test('each type of the vocabulary is read with its fields, and unknown fields are dropped', () => {
    assert.deepEqual(parseReport('{"type":"open","extra":1}', 5), { type: 'open', atMs: 5 });
    assert.deepEqual(parseReport('{"type":"message","data":"a","event":"e","lastEventId":"7"}', 1), { type: 'message', atMs: 1, data: 'a', event: 'e', lastEventId: '7' });
    assert.deepEqual(parseReport('{"type":"message","data":"AAE=","binary":true}', 1), { type: 'message', atMs: 1, data: 'AAE=', binary: true });
    assert.deepEqual(parseReport('{"type":"error","message":"refused","readyState":2}', 2), { type: 'error', atMs: 2, message: 'refused', readyState: 2 });
    assert.deepEqual(parseReport('{"type":"close","code":1002,"reason":"bad","wasClean":false}', 3), { type: 'close', atMs: 3, code: 1002, reason: 'bad', wasClean: false });
    assert.deepEqual(parseReport('{"type":"close"}', 3), { type: 'close', atMs: 3 });
  });

  test('a line outside the vocabulary is a glue problem saying why, never a report', () => {
    const problems: Array<[string, RegExp]> = [
      ['not json', /not JSON/],
      ['[1]', /not a JSON object/],
      ['{"type":"message"}', /a message needs "data"/],
      ['{"type":"message","data":3}', /a message needs "data"/],
      ['{"type":"ping"}', /unknown "type": "ping"/],
    ];
    for (const [line, why] of problems) {
      const parsed = parseReport(line, 9);
      assert.equal(isReport(parsed), false, line);
      assert.match((parsed as { problem: string }).problem, why);
      assert.equal((parsed as { line: string }).line, line);
    }
  });
});

test('a client\'s start-up allowance is added to its waits while it lasts', async () => {
  const transcript = new Transcript();
  const proc = ClientProcess.start([process.execPath, '-e', 'console.log(JSON.stringify({ type: "open" })); setInterval(() => {}, 1000)'], { cwd: work, transcript, startupMs: 30_000 });
  try {
    assert.ok(proc.startupLeftMs() > 0, 'the allowance has begun');
    // A 1 ms deadline, yet Node's own start takes longer: only the allowance lets the wait see the report.
    assert.equal(await proc.waitFor(() => proc.of('open').length === 1, 'the open report', 1), true);
  } finally {
    await proc.stop();
  }
  const plain = ClientProcess.start([process.execPath, '-e', ''], { cwd: work, transcript });
  assert.equal(plain.startupLeftMs(), 0, 'no startupMs: no allowance');
  await plain.stop();
});

describe('scripted HTTP server', () => {
  test('records every request with its connection, headers and body, and close() cuts every connection', async () => {
    const transcript = new Transcript();
    const server = await ScriptedHttpServer.start(transcript, async (recorded, res, req) => {
      if (recorded.method === 'POST') await readBody(req, recorded);
      if (recorded.url === '/hold') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.flushHeaders();
        return; // kept open: close() must cut it
      }
      res.end('ok');
    });
    const origin = server.origin;
    assert.match(origin, /^http:\/\/127\.0\.0\.1:\d+$/);
    const first = await request(`${server.origin}/a?x=1`, { headers: { 'last-event-id': '4' } });
    assert.equal(await first.body.text(), 'ok');
    const posted = await request(`${server.origin}/p`, { method: 'POST', body: 'hello' });
    await posted.body.text();
    const held = await request(`${server.origin}/hold`);
    assert.equal(held.statusCode, 200);
    assert.deepEqual(
      server.requests.map((r) => [r.index, r.method, r.url]),
      [
        [0, 'GET', '/a?x=1'],
        [1, 'POST', '/p'],
        [2, 'GET', '/hold'],
      ],
    );
    assert.equal(server.requests[0]!.headers['last-event-id'], '4');
    assert.equal(server.requests[1]!.body, 'hello');
    assert.ok(server.requests.every((r) => r.connection >= 0 && r.connection < server.connectionCount));
    assert.ok(server.openConnections >= 1, 'the held stream is open');
    const ended = held.body.text().then(
      () => 'ended',
      () => 'cut',
    );
    await server.close();
    assert.equal(server.openConnections, 0);
    assert.match(await ended, /ended|cut/);
    await assert.rejects(request(`${origin}/after`), 'nothing listens after close()');
  });
});

describe('bundled clients', () => {
  const EXPECTED = join(ROOT, 'adapters', 'clients', 'expected-verdicts.json');

  test('every bundled client is valid, says what it needs, and has expected verdicts', async () => {
    const expected = await loadExpected(EXPECTED, loadClientCatalogue());
    const files = bundledClients();
    assert.ok(files.length >= 4, `four bundled clients, found ${files.length}`);
    for (const file of files) {
      const client = await loadClientAdapter(file);
      assert.ok(client.requires.length > 0, `${file}: says what must be installed (requires)`);
      assert.ok(expected.targets[client.name], `${client.name}: has expected verdicts`);
    }
  });

  test('every fail and non-strict verdict of a real client is explained', async () => {
    const expected = await loadExpected(EXPECTED, loadClientCatalogue());
    for (const [name, target] of Object.entries(expected.targets)) {
      for (const [id, verdict] of Object.entries(target.verdicts)) if (EXPLAINED.includes(verdict)) assert.ok(target.deviations[id], `${name} ${id} is ${verdict} with no explanation`);
    }
  });

  test('the README\'s worked example is the bundled Python glue, word for word', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    for (const file of ['client.py', 'adapter.json']) {
      const text = readFileSync(join(ROOT, 'adapters', 'clients', 'python-websockets', file), 'utf8').trim();
      assert.ok(readme.includes(text), `README, "Checking your own client": adapters/clients/python-websockets/${file} differs from the README's copy`);
    }
  });

  test('expected verdicts of clients are checked against the client catalogue, not the servers\'', async () => {
    const file = join(work, 'expected-server-id.json');
    writeFileSync(file, JSON.stringify({ catalogueVersion: '1', targets: { c: { server: 'c 1', verdicts: { 'POLL-ANSWER-AT-ONCE': 'pass' }, deviations: {} } } }));
    await assert.rejects(loadExpected(file, loadClientCatalogue()), /targets\.c\.verdicts\.POLL-ANSWER-AT-ONCE: not a requirement of catalogue/);
    assert.ok(await loadExpected(file), 'the same id is a server requirement');
  });
});

test('pushspec clients runs several clients into one report, one not installed, and compares with --expected', { timeout: 120_000 }, async () => {
  const fixtures = join(ROOT, 'test', 'fixtures', 'clients', 'adapters');
  const missing = join(work, 'missing.json');
  writeFileSync(
    missing,
    JSON.stringify({ ...VALID, name: 'a client not installed', requires: [{ name: 'no-such-program', check: ['no-such-program-pushspec', '--version'], install: 'apt-get install -y no-such-program' }] }),
  );
  const expected = join(work, 'expected.json');
  writeFileSync(expected, JSON.stringify({ catalogueVersion: '0', targets: {} }));
  const reportDir = join(work, 'reports');
  const args = ['clients', '--client', join(fixtures, 'sse-client.json'), '--client', join(fixtures, 'sse-client-lf-only.json'), '--client', missing, '--tags', '@SSEC-LINE-ENDINGS', '--report-dir', reportDir, '--no-color', '--expected', expected];

  const recorded = await runPushspec([...args, '--update-expected'], 90_000);
  // The lf-only fixture fails a MUST, and a fail recorded with no explanation is exit 1.
  assert.equal(recorded.status, 1, recorded.stdout + recorded.stderr);
  assert.match(recorded.stdout, /a client not installed: not run, no-such-program is not installed; install with: apt-get install -y no-such-program/);
  assert.match(recorded.stdout, /needs an explanation: fixture EventSource client \(fault: lf-only\) SSEC-LINE-ENDINGS/);
  const summary = JSON.parse(readFileSync(join(reportDir, 'summary.json'), 'utf8')) as Summary;
  assert.equal(summary.catalogueVersion, loadClientCatalogue().version);
  assert.deepEqual(
    summary.runs.map((r) => [r.adapter.name, r.results.map((x) => `${x.id} ${x.verdict}`)]),
    [
      ['fixture EventSource client', ['SSEC-LINE-ENDINGS pass']],
      ['fixture EventSource client (fault: lf-only)', ['SSEC-LINE-ENDINGS fail']],
    ],
  );
  assert.deepEqual(
    summary.notRun?.map((n) => [n.adapter.name, n.install]),
    [['a client not installed', 'apt-get install -y no-such-program']],
  );

  const compared = await runPushspec(args, 90_000);
  assert.equal(compared.status, 1, 'the recorded fail has no explanation yet');
  assert.match(compared.stdout, /fixture EventSource client \(fault: lf-only\) SSEC-LINE-ENDINGS: fail with no explanation in deviations/);

  const single = await runPushspec(['clients', '--client', missing, '--report-dir', join(work, 'single'), '--no-color'], 30_000);
  assert.equal(single.status, 3, 'one client that is not installed: exit 3, with the install command');
  assert.match(single.stderr, /no-such-program is not installed .*Install it with: apt-get install -y no-such-program/);
});

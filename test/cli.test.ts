/** The command line: usage, listing, exit codes for bad adapters and unreachable servers, serve, report merging. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { request } from 'undici';
import { loadCatalogue } from '../verdicts/catalogue.ts';
import type { AdapterRun } from '../verdicts/model.ts';
import { runPushspec, stopChild, waitForListening, type PushspecExit } from './support/child-process.ts';
import { result as requirementResult, run as adapterRun, summaryOf } from './support/summaries.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'pushspec-cli-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** How long one `pushspec` command may take here (the longest runs a few requirements). */
const COMMAND_DEADLINE_MS = 60_000;

/** Runs `pushspec <args>` in a child process, within the command deadline. */
const pushspec = (...args: string[]): Promise<PushspecExit> => runPushspec(args, COMMAND_DEADLINE_MS);

/** Writes a hand-built summary of `runs` to `file`; returns the file. */
function summaryFile(file: string, runs: AdapterRun[]): string {
  writeFileSync(file, JSON.stringify(summaryOf(runs)));
  return file;
}

function writeAdapter(name: string, value: unknown): string {
  const file = join(work, name);
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
}

/** A loopback port nothing listens on (taken, then released). */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

describe('pushspec CLI', { concurrency: true }, () => {
  test('--help prints usage and the exit codes; no command is a usage error (2)', async () => {
    const help = await pushspec('--help');
    assert.equal(help.status, 0);
    assert.match(help.stdout, /Usage: pushspec <command>/);
    assert.match(help.stdout, /Exit codes: 0 every MUST held/);
    assert.equal((await pushspec()).status, 2);
  });

  test('serve --allow-host refuses what is not a host name before starting: a usage error (2)', async () => {
    const bad = await pushspec('serve', '--port', '0', '--allow-host', 'https://push.example');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /serve: --allow-host: "https:\/\/push\.example" is not a host name or IP address/);
    const origin = await pushspec('serve', '--port', '0', '--allow-origin', 'app.example');
    assert.equal(origin.status, 2);
    assert.match(origin.stderr, /serve: --allow-origin: "app\.example" is not an origin/);
  });

  test('--version prints the package version', async () => {
    const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
    assert.equal((await pushspec('--version')).stdout.trim(), version);
  });

  test('an unknown command or option is a usage error (2) naming it', async () => {
    const unknown = await pushspec('frobnicate');
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /unknown command "frobnicate"/);
    const tags = await pushspec('run', '--tags', '@must and (');
    assert.equal(tags.status, 2);
    assert.match(tags.stderr, /--tags: Tag expression "@must and \(" could not be parsed/);
    const option = await pushspec('run', '--adaptor', 'x.json');
    assert.equal(option.status, 2);
    assert.match(option.stderr, /run: Unknown option '--adaptor'/);
  });

  test('--instance is a usage error (2) without a cluster or out of its range, before anything starts', async () => {
    const embedded = await pushspec('run', '--instance', '2');
    assert.equal(embedded.status, 2);
    assert.match(embedded.stderr, /--instance picks one instance of a cluster, but the embedded reference server is one server/);
    const single = await pushspec('run', '--instance', '1', '--adapter', writeAdapter('single.json', { name: 'x', baseUrl: `http://127.0.0.1:${await closedPort()}`, protocol: 'pushspec-reference' }));
    assert.equal(single.status, 2);
    assert.match(single.stderr, /single\.json declares no "cluster"; got --instance 1/);
    // A launch that would fail shows that the range is checked before anything starts.
    const cluster = { name: 'c', baseUrl: 'http://127.0.0.1:{port}', protocol: 'pushspec-reference', cluster: { instances: 3 }, launch: { command: ['no-such-program-here', '{port}'] } };
    const out = await pushspec('run', '--instance', '4', '--adapter', writeAdapter('cluster.json', cluster));
    assert.equal(out.status, 2);
    assert.match(out.stderr, /--instance must be a whole number from 1 to 3 .*got "4"/);
  });

  test('list prints every requirement id with its level and title, without running anything', async () => {
    const list = await pushspec('list');
    assert.equal(list.status, 0);
    for (const r of loadCatalogue().requirements) assert.match(list.stdout, new RegExp(`${r.id}\\s+${r.level}\\s+${r.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    const json = JSON.parse((await pushspec('list', '--json')).stdout);
    assert.equal(json.requirements.length, loadCatalogue().requirements.length);
  });

  test('an adapter file that does not exist, does not parse or is invalid: exit 2 with the problem named', async () => {
    const missing = await pushspec('run', '--adapter', join(work, 'nope.json'));
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /adapter file not found/);
    const broken = await pushspec('run', '--adapter', writeAdapter('broken.json', '{"name": "x",'));
    assert.equal(broken.status, 2);
    assert.match(broken.stderr, /broken\.json/);
    const invalid = await pushspec('run', '--adapter', writeAdapter('invalid.json', { name: 'x', baseUrl: 'http://127.0.0.1:1', polling: { path: '/p', emptyStatus: 201 }, protocol: 'pushspec-reference' }));
    assert.equal(invalid.status, 2);
    assert.match(invalid.stderr, /"polling\.emptyStatus" is 201; expected one of 200, 204, 304/);
  });

  test('a server that does not answer at baseUrl: exit 3', async () => {
    const port = await closedPort();
    const result = await pushspec('run', '--adapter', writeAdapter('down.json', { name: 'down', baseUrl: `http://127.0.0.1:${port}`, protocol: 'pushspec-reference' }));
    assert.equal(result.status, 3);
    assert.match(result.stderr, new RegExp(`nothing answers at http://127.0.0.1:${port}`));
  });

  test('a launched server that exits before it is ready: exit 3 with its output', async () => {
    const adapter = writeAdapter('crash.json', {
      name: 'crash',
      baseUrl: 'http://127.0.0.1:{port}',
      protocol: 'pushspec-reference',
      launch: { command: [process.execPath, '-e', 'console.error("cannot bind"); process.exit(7)'] },
    });
    const result = await pushspec('run', '--adapter', adapter);
    assert.equal(result.status, 3);
    assert.match(result.stderr, /cannot bind/);
  });

  test('serve runs the reference server until SIGTERM, then exits 0; its publish token may come from PUSHSPEC_PUBLISH_TOKEN (kept out of ps)', async (t) => {
    const token = 'cli-test-token-0123456789';
    const child = spawn(process.execPath, ['bin/pushspec.mjs', 'serve', '--port', '0', '--allow-origin', 'https://app.example'], {
      cwd: ROOT,
      env: { ...process.env, PUSHSPEC_PUBLISH_TOKEN: token },
    });
    // Whatever happens below, the server does not outlive the test (it would keep the test process alive).
    t.after(() => stopChild(child));
    // Starting serve costs what any pushspec command does (tsx compiling the sources), so it gets the same deadline.
    const url = await waitForListening(child, COMMAND_DEADLINE_MS);
    const info = await request(url);
    assert.equal(info.statusCode, 200);
    assert.equal(((await info.body.json()) as { name: string }).name, 'pushspec-reference');
    const publish = async (headers: Record<string, string>): Promise<number> => {
      const answer = await request(`${url}/channels/cli/messages`, { method: 'POST', headers: { 'content-type': 'text/plain', ...headers }, body: 'm' });
      await answer.body.dump();
      return answer.statusCode;
    };
    assert.equal(await publish({}), 401);
    assert.equal(await publish({ authorization: `Bearer ${token}`, origin: 'https://evil.example' }), 403);
    assert.equal(await publish({ authorization: `Bearer ${token}`, origin: 'https://app.example' }), 201);
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    assert.equal(code, 0);
  });

  test('serve refuses a bad port with exit 2', async () => {
    const result = await pushspec('serve', '--port', '70000');
    assert.equal(result.status, 2);
    assert.match(result.stderr, /--port is "70000"; expected an integer from 0 to 65535/);
  });

  test('report merges summaries of two adapters into one matrix', async () => {
    const reports = [join(work, 'a'), join(work, 'b')];
    assert.equal((await pushspec('run', '--report-dir', reports[0]!, '--tags', '@POLL-EMPTY-ANSWER or @POLL-BATCH-ORDER')).status, 0);
    assert.equal((await pushspec('run', '--adapter', 'test/fixtures/polling-validators.json', '--report-dir', reports[1]!, '--tags', '@POLL-EMPTY-ANSWER or @POLL-BATCH-ORDER')).status, 0);
    const merged = join(work, 'merged');
    const result = await pushspec('report', join(reports[0]!, 'summary.json'), join(reports[1]!, 'summary.json'), '--report-dir', merged, '--quiet');
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, 'pushspec: 3 passed, 0 failed, 1 skipped\n', '--quiet prints the count line alone');
    const index = readFileSync(join(merged, 'index.html'), 'utf8');
    assert.match(index, /reference/);
    assert.match(index, /fixture-validators/);
  });

  test('report prints a short merged summary: a line per adapter, what did not hold, where the report is', async () => {
    const dir = join(work, 'report-summary');
    mkdirSync(dir, { recursive: true });
    const files = [
      summaryFile(join(dir, 'a.json'), [adapterRun('alpha', [requirementResult('POLL-A', 'polling', 'MUST', 'fail'), requirementResult('POLL-B', 'polling', 'SHOULD', 'non-strict'), requirementResult('POLL-C', 'polling', 'MUST', 'pass')])]),
      summaryFile(join(dir, 'b.json'), [adapterRun('beta', [requirementResult('POLL-A', 'polling', 'SHOULD', 'non-strict'), requirementResult('POLL-C', 'polling', 'MUST', 'pass'), requirementResult('WS-D', 'websocket', 'MUST', 'unsupported')])]),
    ];
    const report = await pushspec('report', ...files, '--report-dir', join(dir, 'merged'), '--no-color');
    assert.equal(report.status, 1, report.stderr);
    const lines = report.stdout.trimEnd().split('\n');
    assert.deepEqual(lines.slice(1, lines.indexOf('')).map((l) => l.trim().split(/\s+/).slice(0, 2).join(' ')), ['✗ alpha', '✔ beta'], 'after the heading, one line per adapter');
    assert.ok(lines.some((l) => /^ {2}✗ fail +POLL-A +MUST +in alpha /.test(l)), report.stdout);
    assert.ok(lines.some((l) => /^ {2}⚠ non-strict +POLL-A +SHOULD +in beta /.test(l)), report.stdout);
    assert.ok(!report.stdout.includes('POLL-C') && !report.stdout.includes('WS-D'), 'no line for what held or was not checked');
    assert.ok(lines.some((l) => l.startsWith('Report: ') && l.includes(join('report-summary', 'merged', 'index.html'))), report.stdout);
    assert.equal(lines.at(-1), 'pushspec: 4 passed, 1 failed, 1 skipped');
    assert.match(report.stderr, /POLL-A is MUST in alpha, SHOULD in beta \(their catalogues differ\)/);
  });

  test('report refuses a file that is not a pushspec summary with exit 2', async () => {
    const result = await pushspec('report', writeAdapter('not-summary.json', { hello: 'world' }));
    assert.equal(result.status, 2);
    assert.match(result.stderr, /not a pushspec summary of schema version 2/);
    assert.equal((await pushspec('report')).status, 2);
    const edited = summaryFile(join(work, 'must-non-strict.json'), [adapterRun('edited', [requirementResult('POLL-A', 'polling', 'MUST', 'non-strict')])]);
    const refused = await pushspec('report', edited, '--report-dir', join(work, 'refused'));
    assert.equal(refused.status, 2);
    assert.ok(refused.stderr.includes(`${edited}: POLL-A is a MUST requirement, but its result for adapter "edited" says non-strict`), refused.stderr);
  });
});

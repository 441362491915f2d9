/**
 * The suite over TLS, end to end: the embedded reference served over HTTPS
 * and wss:// (`run --tls-cert --tls-key`) passes every MUST requirement, as
 * over plain HTTP; `pushspec serve --tls-*` checked through an adapter that
 * trusts its certificate (`tls.ca`) passes too; and the same server without
 * that trust stops the run at once with a certificate error (exit 3), never a
 * hang and never a verdict. The certificate is made here with openssl.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { loadCatalogue } from '../../verdicts/catalogue.ts';
import type { Summary } from '../../verdicts/model.ts';
import { selfSignedCertificate } from '../support/certificate.ts';
import { runPushspec, stopChild, waitForListening } from '../support/child-process.ts';

const work = mkdtempSync(join(tmpdir(), 'pushspec-tls-e2e-'));
after(() => rmSync(work, { recursive: true, force: true }));
const certificate = selfSignedCertificate(work, 'server');
const catalogue = loadCatalogue().requirements;

/** A whole run takes about a minute on a loaded 2-core machine; a hang is cut here. */
const RUN_DEADLINE_MS = 5 * 60_000;

function summaryOf(reportDir: string): Summary {
  return JSON.parse(readFileSync(join(reportDir, 'summary.json'), 'utf8')) as Summary;
}

describe('the suite over TLS', () => {
  test('run --tls-cert --tls-key: the embedded reference over HTTPS and wss:// passes every MUST', async () => {
    const reportDir = join(work, 'embedded');
    const run = await runPushspec(['run', '--tls-cert', certificate.cert, '--tls-key', certificate.key, '--report-dir', reportDir, '--no-color'], RUN_DEADLINE_MS);
    assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
    assert.match(run.stdout, /pushspec: checking reference at https:\/\/127\.0\.0\.1:\d+/);
    const results = new Map(summaryOf(reportDir).runs[0]!.results.map((r) => [r.id, r]));
    for (const requirement of catalogue.filter((r) => r.level === 'MUST')) {
      const result = results.get(requirement.id);
      // The embedded reference declares no upgrade from long-polling, over TLS or not, is one server, not a cluster, and
      // speaks HTTP/1.1 here (test/e2e/http2.test.ts runs it over HTTP/2).
      const unsupported = requirement.id === 'WS-UPGRADE-NO-LOSS' || requirement.id.includes('-CLUSTER-') || requirement.id.includes('-H2-');
      const expected = unsupported ? 'unsupported' : 'pass';
      assert.equal(result?.verdict, expected, `${requirement.id}: ${result?.message ?? 'no result'}`);
    }
    const buffered = results.get('SSE-BUFFERING-INTERMEDIARY');
    assert.equal(buffered?.verdict, 'unsupported', 'the TCP buffering proxy cannot buffer inside TLS (@cleartext)');
    assert.match(buffered?.message ?? '', /reached over TLS/);
  });

  test('serve --tls-*: checked through an adapter trusting its certificate; without that trust the run stops at once, exit 3', async () => {
    const flags = ['--max-hold', '2000', '--keep-alive', '500', '--retry', '500', '--ws-ping', '500'];
    const serve = spawn(process.execPath, ['bin/pushspec.mjs', 'serve', '--port', '0', '--tls-cert', certificate.cert, '--tls-key', certificate.key, ...flags], {
      cwd: new URL('../..', import.meta.url).pathname,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await waitForListening(serve, 20_000);
      assert.match(url, /^https:\/\/127\.0\.0\.1:\d+$/);
      const declared = { longPolling: { maxHoldMs: 2000 }, sse: { keepAliveMs: 500, retryMs: 500 }, websocket: { pingIntervalMs: 500 } };
      // Relative to the adapter file, as the docs say.
      writeFileSync(join(work, 'trusting.json'), JSON.stringify({ name: 'reference-tls', baseUrl: url, protocol: 'pushspec-reference', tls: { ca: 'server.cert.pem' }, ...declared }));
      writeFileSync(join(work, 'untrusting.json'), JSON.stringify({ name: 'reference-tls', baseUrl: url, protocol: 'pushspec-reference', ...declared }));

      // One requirement or more of each technique, the fault proxy's and the real EventSource client's among them.
      const tags = '@POLL-EXACTLY-ONCE or @LP-DELIVER-PROMPT or @LP-THROUGH-CUTS or @SSE-RESUME or @SSE-DATA-INTACT or @SSE-RETRY-HONOURED or @SSE-SLOW-CLIENT or @WS-PUSH-ALL or @WS-ECHO-TEXT or @WS-CLOSE-ECHO';
      const reportDir = join(work, 'served');
      const trusted = await runPushspec(['run', '--adapter', join(work, 'trusting.json'), '--tags', tags, '--report-dir', reportDir, '--no-color'], RUN_DEADLINE_MS);
      assert.equal(trusted.status, 0, `${trusted.stdout}\n${trusted.stderr}`);
      const results = summaryOf(reportDir).runs[0]!.results.filter((r) => r.verdict !== 'unsupported');
      assert.ok(results.length >= 8, `the tagged requirements ran: ${results.map((r) => r.id).join(', ')}`);
      for (const result of results) assert.ok(['pass', 'informational'].includes(result.verdict), `${result.id}: ${result.verdict} ${result.message ?? ''}`);

      // Deadline-bounded: a run that waited instead of refusing would be killed and show status null.
      const untrusted = await runPushspec(['run', '--adapter', join(work, 'untrusting.json'), '--report-dir', join(work, 'refused'), '--no-color'], 60_000);
      assert.equal(untrusted.status, 3, `${untrusted.stdout}\n${untrusted.stderr}`);
      assert.match(untrusted.stderr, /answers over TLS, but pushspec does not accept its certificate \(DEPTH_ZERO_SELF_SIGNED_CERT: self-signed certificate; trusted: Node's bundled CAs only\): give the CA/);
    } finally {
      await stopChild(serve);
    }
  });
});

/**
 * The suite over HTTP/2, end to end: `run --http2` serves the embedded
 * reference over HTTP/2 beside HTTP/1.1 and declares HTTP/2 for SSE, polling
 * and long-polling, whose clients then speak nothing else; in the clear (h2c
 * with prior knowledge) and over TLS (ALPN h2) every MUST passes, as over
 * HTTP/1.1, and the case pages show how each connection spoke.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { loadCatalogue } from '../../verdicts/catalogue.ts';
import type { Summary } from '../../verdicts/model.ts';
import { selfSignedCertificate } from '../support/certificate.ts';
import { runPushspec } from '../support/child-process.ts';

const work = mkdtempSync(join(tmpdir(), 'pushspec-h2-e2e-'));
after(() => rmSync(work, { recursive: true, force: true }));
const certificate = selfSignedCertificate(work, 'server');
const catalogue = loadCatalogue().requirements;

/** A whole run takes about 30 s here; a hang is cut here. */
const RUN_DEADLINE_MS = 5 * 60_000;

/** Runs the embedded reference over HTTP/2 and checks every MUST, and that the HTTP techniques' clients spoke HTTP/2 as `spoken` says. */
async function checkRun(name: string, flags: string[], spoken: string): Promise<void> {
  const reportDir = join(work, name);
  const run = await runPushspec(['run', '--http2', ...flags, '--report-dir', reportDir, '--no-color'], RUN_DEADLINE_MS);
  assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
  const summary = JSON.parse(readFileSync(join(reportDir, 'summary.json'), 'utf8')) as Summary;
  const results = new Map(summary.runs[0]!.results.map((r) => [r.id, r]));
  for (const requirement of catalogue.filter((r) => r.level === 'MUST')) {
    // The embedded reference declares no upgrade from long-polling and is one server, not a cluster.
    // The reference serves no WebSocket over HTTP/2 (RFC 8441: docs/reference-protocol.md, "HTTP/2").
    const unsupported = requirement.id === 'WS-UPGRADE-NO-LOSS' || requirement.id.includes('-CLUSTER-') || requirement.id.startsWith('WS-H2-');
    const expected = unsupported ? 'unsupported' : 'pass';
    assert.equal(results.get(requirement.id)?.verdict, expected, `${requirement.id}: ${results.get(requirement.id)?.message ?? 'no result'}`);
  }
  // One requirement of each HTTP technique: its page says the connection spoke HTTP/2, and none fell back.
  for (const id of ['SSE-RESUME', 'POLL-CURSOR-REPLAY', 'LP-BROADCAST-ALL']) {
    const page = readFileSync(join(reportDir, 'cases', 'reference', `${id}.html`), 'utf8');
    assert.ok(page.includes(spoken), `${id}: the transcript notes "${spoken}"`);
  }
}

describe('the suite over HTTP/2', () => {
  test('run --http2: h2c with prior knowledge, every MUST passes', async () => {
    await checkRun('h2c', [], 'HTTP/2 (h2c, prior knowledge)');
  });

  test('run --http2 --tls-cert --tls-key: ALPN h2, every MUST passes', async () => {
    await checkRun('h2', ['--tls-cert', certificate.cert, '--tls-key', certificate.key], 'HTTP/2 (ALPN h2)');
  });
});

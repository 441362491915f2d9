/**
 * TLS: the certificates pushspec trusts (core/tls.ts, the adapter's `tls.ca`,
 * `--ca`), the reference server over HTTPS and wss:// (`--tls-cert`,
 * `--tls-key`), a certificate pushspec does not accept named at once, and the
 * fault proxy forwarding TLS with the server's own name still verified.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { Agent, request } from 'undici';
import { checkReachable } from '../adapters/contract/launch.ts';
import { adapterFromDefinition, loadAdapterFile } from '../adapters/contract/load.ts';
import { ScenarioContext } from '../core/context.ts';
import { PushspecError } from '../core/errors.ts';
import { isCertificateError, joinTrust, readCertificates, tlsClientOptions, type TlsTrust } from '../core/tls.ts';
import { startReferenceServer } from '../reference/server.ts';
import { tlsProblem } from '../reference/tls.ts';
import { Transcript } from '../core/transcript.ts';
import { RawWebSocket } from '../techniques/websocket/raw-client.ts';
import { selfSignedCertificate } from './support/certificate.ts';
import { runPushspec } from './support/child-process.ts';

const work = mkdtempSync(join(tmpdir(), 'pushspec-tls-'));
after(() => rmSync(work, { recursive: true, force: true }));

const server = selfSignedCertificate(work, 'server');
const other = selfSignedCertificate(work, 'other');
/** Names only `localhost`: reached at 127.0.0.1 it does not verify. */
const named = selfSignedCertificate(work, 'named', 'DNS:localhost');
const trustOf = (file: string): TlsTrust => ({ ca: readFileSync(file, 'utf8'), files: [file] });

/** The error a rejected promise settles with. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail('expected a rejection');
}

describe('the certificates pushspec trusts', () => {
  test('readCertificates takes PEM certificates and names what else a file holds', () => {
    const read = readCertificates(server.cert);
    assert.ok('pem' in read && read.pem.startsWith('-----BEGIN CERTIFICATE-----'));
    const missing = readCertificates(join(work, 'absent.pem'));
    assert.ok('problem' in missing && /^cannot read .*absent\.pem \(ENOENT: /.test(missing.problem), JSON.stringify(missing));
    const key = readCertificates(server.key);
    assert.ok('problem' in key && /holds no PEM certificate \(it holds a private key\)/.test(key.problem), JSON.stringify(key));
    const broken = join(work, 'broken.pem');
    writeFileSync(broken, '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n');
    const parsed = readCertificates(broken);
    assert.ok('problem' in parsed && /certificate 1 of 1 does not parse/.test(parsed.problem), JSON.stringify(parsed));
  });

  test('joinTrust keeps every file and certificate; tlsClientOptions verifies, never waves through', () => {
    const joined = joinTrust(trustOf(server.cert), undefined, trustOf(other.cert));
    assert.deepEqual(joined?.files, [server.cert, other.cert]);
    assert.equal(joinTrust(undefined), undefined);
    const options = tlsClientOptions(joined);
    assert.ok(options.secureContext !== undefined);
    assert.equal(options.rejectUnauthorized, undefined, 'certificates are verified as Node does by default');
    assert.deepEqual(tlsClientOptions(undefined), {});
  });
});

describe('the adapter field "tls"', () => {
  const definition = (tls: unknown) => ({ name: 'tls-target', baseUrl: 'https://127.0.0.1:8443', protocol: 'pushspec-reference', tls });
  const invalid = (tls: unknown): string => {
    try {
      adapterFromDefinition(definition(tls), 'a.json');
    } catch (error) {
      assert.ok(error instanceof PushspecError && error.code === 'PUSHSPEC_ERR_ADAPTER_INVALID', String(error));
      return error.message;
    }
    assert.fail('expected the definition to be refused');
  };

  test('its shape: an object with a "ca" path, no other field', () => {
    assert.match(invalid('ca.pem'), /^a\.json: field "tls" is "ca\.pem"; expected an object such as \{"ca": "certs\/ca\.pem"\}$/);
    assert.match(invalid({}), /field "tls\.ca" is missing; expected the path of a PEM file holding the CA certificate/);
    assert.match(invalid({ ca: '' }), /field "tls\.ca" is ""; expected the path of a PEM file/);
    assert.match(invalid({ ca: server.cert, cert: 'x' }), /unknown field "tls\.cert"/);
    assert.match(invalid({ cA: server.cert }), /unknown field "tls\.cA"; did you mean "tls\.ca"\?/);
  });

  test('the file it names: read relative to the adapter file, refused with the field named when it is not a certificate', async () => {
    const folder = join(work, 'adapter-folder');
    mkdirSync(join(folder, 'certs'), { recursive: true });
    writeFileSync(join(folder, 'certs', 'ca.pem'), readFileSync(server.cert));
    writeFileSync(join(folder, 'ok.json'), JSON.stringify(definition({ ca: 'certs/ca.pem' })));
    const loaded = await loadAdapterFile(join(folder, 'ok.json'));
    assert.deepEqual(loaded.tls, { ca: readFileSync(server.cert, 'utf8').trim(), files: ['certs/ca.pem'] });
    writeFileSync(join(folder, 'missing.json'), JSON.stringify(definition({ ca: 'certs/nope.pem' })));
    const missing = await rejection(loadAdapterFile(join(folder, 'missing.json')));
    assert.ok(missing instanceof PushspecError && missing.code === 'PUSHSPEC_ERR_ADAPTER_INVALID');
    assert.match(missing.message, /missing\.json: field "tls\.ca": cannot read .*certs\/nope\.pem \(ENOENT/);
    assert.match(invalid({ ca: server.key }), /field "tls\.ca": .*server\.key\.pem holds no PEM certificate \(it holds a private key\)/);
  });
});

describe('the reference server over TLS', () => {
  test('serves HTTPS and wss:// with its certificate; a client that does not trust it is refused, a key of another certificate is named', async () => {
    const reference = await startReferenceServer({ tls: { cert: readFileSync(server.cert), key: readFileSync(server.key) } });
    const agent = new Agent({ connect: tlsClientOptions(trustOf(server.cert)) });
    const untrusting = new Agent();
    try {
      assert.match(reference.url, /^https:\/\/127\.0\.0\.1:\d+$/);
      const answer = await request(`${reference.url}/`, { dispatcher: agent });
      assert.equal(answer.statusCode, 200);
      assert.match(await answer.body.text(), /pushspec-reference/);
      const refused = await rejection(request(`${reference.url}/`, { dispatcher: untrusting }));
      assert.ok(isCertificateError(refused), String(refused));
      const ws = await RawWebSocket.connect({ url: `${reference.url.replace('https', 'wss')}/echo`, actor: 'client', transcript: new Transcript(), deadlineMs: 5000, tls: tlsClientOptions(trustOf(server.cert)) });
      assert.equal(ws.status, 101);
      ws.sendText('over TLS');
      const echo = await ws.inbox.nextMessage(5000);
      assert.equal(echo.data.toString(), 'over TLS');
      ws.destroy();
    } finally {
      await agent.destroy();
      await untrusting.destroy();
      await reference.close();
    }
    assert.match(tlsProblem({ cert: readFileSync(server.cert), key: readFileSync(other.key) }) ?? '', /the private key does not belong to the certificate/);
    assert.match(tlsProblem({ cert: readFileSync(server.key), key: readFileSync(server.key) }) ?? '', /the certificate is not PEM/);
    assert.equal(tlsProblem({ cert: readFileSync(server.cert), key: readFileSync(server.key) }), undefined);
    await assert.rejects(startReferenceServer({ tls: { cert: readFileSync(server.cert), key: readFileSync(other.key) } }), /^TypeError: tls: the private key does not belong/);
  });

  test('checkReachable names a certificate it does not accept, and how to trust it, at once', async () => {
    const reference = await startReferenceServer({ tls: { cert: readFileSync(named.cert), key: readFileSync(named.key) } });
    try {
      const notTrusted = await rejection(checkReachable(reference.url, 5000));
      assert.ok(notTrusted instanceof PushspecError && notTrusted.code === 'PUSHSPEC_ERR_TLS_UNTRUSTED', String(notTrusted));
      assert.match(notTrusted.message, /answers over TLS, but pushspec does not accept its certificate \(DEPTH_ZERO_SELF_SIGNED_CERT.*trusted: Node's bundled CAs only\): give the CA .* "tls": \{ "ca": "<file>" \} or --ca <file>/);
      // Trusted, yet it names localhost only, and the URL says 127.0.0.1: still refused.
      const wrongName = await rejection(checkReachable(reference.url, 5000, trustOf(named.cert)));
      assert.ok(wrongName instanceof PushspecError && wrongName.code === 'PUSHSPEC_ERR_TLS_UNTRUSTED', String(wrongName));
      assert.match(wrongName.message, /ERR_TLS_CERT_ALTNAME_INVALID.*trusted: Node's bundled CAs and .*named\.cert\.pem/);
      await checkReachable(reference.url.replace('127.0.0.1', 'localhost'), 5000, trustOf(named.cert));
    } finally {
      await reference.close();
    }
  });

  test('through the fault proxy the certificate is still checked against the server\'s own name', async () => {
    const reference = await startReferenceServer({ tls: { cert: readFileSync(named.cert), key: readFileSync(named.key) } });
    const context = new ScenarioContext({ name: 'tls', baseUrl: reference.url.replace('127.0.0.1', 'localhost'), publish: undefined, tls: trustOf(named.cert) });
    try {
      await context.throughFaults({});
      const url = context.url('/');
      assert.match(url, /^https:\/\/127\.0\.0\.1:\d+\/$/, 'clients reach the proxy');
      const answer = await request(url, { dispatcher: context.httpAgent });
      assert.equal(answer.statusCode, 200, 'the proxy forwards the TLS bytes; the certificate names localhost, the server');
      await answer.body.dump();
      const direct = new Agent({ connect: tlsClientOptions(trustOf(named.cert)) });
      const refused = await rejection(request(url, { dispatcher: direct }));
      await direct.destroy();
      assert.ok(isCertificateError(refused), `without the server's name, 127.0.0.1 does not match: ${String(refused)}`);
    } finally {
      await context.close();
      await reference.close();
    }
  });
});

describe('the TLS options of the command line', { concurrency: true }, () => {
  const pushspec = (...args: string[]) => runPushspec(args, 30_000);

  test('serve --tls-cert and --tls-key: together, readable, and a key of that certificate, else a usage error (2)', async () => {
    const alone = await pushspec('serve', '--port', '0', '--tls-cert', server.cert);
    assert.equal(alone.status, 2);
    assert.match(alone.stderr, /serve: --tls-cert and --tls-key go together/);
    const unreadable = await pushspec('serve', '--port', '0', '--tls-cert', join(work, 'nope.pem'), '--tls-key', server.key);
    assert.equal(unreadable.status, 2);
    assert.match(unreadable.stderr, /serve: --tls-cert: cannot read .*nope\.pem \(ENOENT/);
    const mismatched = await pushspec('serve', '--port', '0', '--tls-cert', server.cert, '--tls-key', other.key);
    assert.equal(mismatched.status, 2);
    assert.match(mismatched.stderr, /serve: --tls-cert .* --tls-key .*: the private key does not belong to the certificate/);
  });

  test('run --ca and matrix --ca: a file that is no certificate is a usage error (2); --tls-* with --adapter too', async () => {
    const missing = await pushspec('run', '--ca', join(work, 'nope.pem'), '--report-dir', join(work, 'r1'));
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /run: --ca: cannot read .*nope\.pem \(ENOENT/);
    const key = await pushspec('matrix', '--no-reference', '--ca', server.key, '--report-dir', join(work, 'r2'));
    assert.equal(key.status, 2);
    assert.match(key.stderr, /matrix: --ca: .*server\.key\.pem holds no PEM certificate \(it holds a private key\)/);
    const both = await pushspec('run', '--adapter', 'adapters/examples/reference.json', '--tls-cert', server.cert, '--tls-key', server.key, '--report-dir', join(work, 'r3'));
    assert.equal(both.status, 2);
    assert.match(both.stderr, /run: --tls-cert and --tls-key serve the embedded reference over TLS/);
  });
});

/**
 * TLS for pushspec's clients: what they trust when the server under test is
 * reached over `https://` or `wss://`. A server with a certificate from a
 * private CA, or a self-signed one, is checked by trusting that CA (the
 * adapter's `tls.ca`, `--ca`); the certificate is always verified, host name
 * included, never waved through. Every client (undici's dispatchers, the
 * eventsource client's connector, the raw WebSocket and slow-reader sockets)
 * takes the same {@link tlsClientOptions}.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import tls, { type ConnectionOptions, type PeerCertificate, type SecureContext } from 'node:tls';

/** Certificates a client trusts besides Node's bundled CAs. */
export interface TlsTrust {
  /** PEM text: one or more CA certificates, or self-signed server certificates. */
  readonly ca: string;
  /** The files they came from, as given (for messages). */
  readonly files: readonly string[];
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * Reads the PEM certificates in `file` (a CA, a chain, a self-signed
 * certificate). Resolves with the PEM text, or with a problem in words: the
 * file cannot be read, holds no PEM certificate (a private key, a DER file),
 * or a certificate in it does not parse.
 */
export function readCertificates(file: string): { pem: string } | { problem: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    return { problem: `cannot read ${file} (${code !== undefined && !message.includes(code) ? `${code}: ` : ''}${message})` };
  }
  const blocks = text.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) {
    const key = /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text) ? ' (it holds a private key)' : '';
    return { problem: `${file} holds no PEM certificate${key}; expected a file with "-----BEGIN CERTIFICATE-----" blocks` };
  }
  for (const [index, block] of blocks.entries()) {
    try {
      new X509Certificate(block);
    } catch (error) {
      return { problem: `${file}: certificate ${index + 1} of ${blocks.length} does not parse (${(error as Error).message})` };
    }
  }
  return { pem: blocks.join('\n') };
}

/** The trust of every `TlsTrust` given, joined; undefined when none is. */
export function joinTrust(...trusts: Array<TlsTrust | undefined>): TlsTrust | undefined {
  const given = trusts.filter((t): t is TlsTrust => t !== undefined);
  if (given.length === 0) return undefined;
  if (given.length === 1) return given[0];
  return { ca: given.map((t) => t.ca).join('\n'), files: given.flatMap((t) => t.files) };
}

/** One secure context per trusted set: Node's CAs parsed once, not on every connection. */
const contexts = new Map<string, SecureContext>();

/**
 * Options for `tls.connect` (and undici's `connect`) that trust `trust`
 * besides Node's bundled CAs; `{}` when there is none. `serverName`: the
 * host name the certificate must carry when the client connects somewhere
 * else, as it does through the fault proxy (core/fault-proxy.ts), which
 * forwards the TLS bytes as they are.
 */
export function tlsClientOptions(trust: TlsTrust | undefined, serverName?: (connectedTo: string) => string): ConnectionOptions {
  const options: ConnectionOptions = {};
  if (trust !== undefined) {
    let context = contexts.get(trust.ca);
    if (context === undefined) {
      // `ca` replaces Node's CAs: keep them, so a public certificate still verifies.
      context = tls.createSecureContext({ ca: [...tls.rootCertificates, trust.ca] });
      contexts.set(trust.ca, context);
    }
    options.secureContext = context;
  }
  if (serverName !== undefined) {
    options.checkServerIdentity = (host: string, cert: PeerCertificate) => tls.checkServerIdentity(serverName(host), cert);
  }
  return options;
}

/** The SNI name for `host`: none for an IP address (RFC 6066 §3). */
export function sniName(host: string): string | undefined {
  return isIP(host) === 0 ? host : undefined;
}

/** OpenSSL's and Node's codes for a certificate the client does not accept. */
const CERTIFICATE_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'INVALID_CA',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** Whether `error` (or its cause) says the server's certificate was not accepted. */
export function isCertificateError(error: unknown): boolean {
  for (let e = error; e instanceof Error; e = (e as Error & { cause?: unknown }).cause) {
    if (CERTIFICATE_CODES.has(String((e as NodeJS.ErrnoException).code))) return true;
  }
  return false;
}

/** What to do about a certificate pushspec does not accept: the words every such message ends with. */
export const TRUST_HINT = 'give the CA that signed it (or the self-signed certificate itself) with the adapter\'s "tls": { "ca": "<file>" } or --ca <file>';

/**
 * The reference server over TLS: its certificate and private key, and what is
 * wrong with a pair before the server tries to listen with it, in words a
 * person can act on (the CLI's `--tls-cert` / `--tls-key` and the
 * `tls` option share them).
 */
import { createSecureContext } from 'node:tls';

/** A certificate (chain) and its private key, PEM. */
export interface ReferenceTls {
  /** The server's certificate, then any intermediate CA certificates, PEM. */
  cert: string | Buffer;
  /** The certificate's private key, PEM, unencrypted. */
  key: string | Buffer;
}

/** Why `value` cannot serve TLS, or undefined when it can: not PEM, or a key that does not belong to the certificate. */
export function tlsProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'expected an object with a PEM "cert" and "key"';
  const { cert, key } = value as Partial<ReferenceTls>;
  const pem = (part: unknown): string | undefined => (typeof part === 'string' ? part : Buffer.isBuffer(part) ? part.toString('latin1') : undefined);
  const certText = pem(cert);
  const keyText = pem(key);
  if (certText === undefined || !certText.includes('-----BEGIN CERTIFICATE-----')) {
    return 'the certificate is not PEM: expected "-----BEGIN CERTIFICATE-----"';
  }
  if (keyText !== undefined && /-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(keyText)) {
    return 'the private key is encrypted; give it unencrypted (openssl pkey -in key.pem -out plain.pem)';
  }
  if (keyText === undefined || !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(keyText)) {
    return 'the private key is not PEM: expected "-----BEGIN PRIVATE KEY-----" (or an RSA or EC private key)';
  }
  try {
    createSecureContext({ cert: certText, key: keyText });
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    if (code === 'ERR_OSSL_X509_KEY_VALUES_MISMATCH') return 'the private key does not belong to the certificate (key values mismatch)';
    return `the certificate and key cannot be used (${code ?? 'error'}: ${message})`;
  }
  return undefined;
}

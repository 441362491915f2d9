/**
 * Certificates for the TLS tests, made with the `openssl` binary (Debian's
 * `openssl` package; the README lists it): Node 20's crypto can parse an X.509
 * certificate but not make one. Each is self-signed for `localhost` and
 * `127.0.0.1` (hosts are checked against the subjectAltName), valid two days,
 * and, as OpenSSL 3 marks it a CA, can be its own trust anchor.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** The files of one certificate: the certificate and its unencrypted private key, PEM. */
export interface CertificateFiles {
  cert: string;
  key: string;
}

/**
 * Makes a self-signed P-256 certificate and key in `dir`, as `<name>.cert.pem`
 * and `<name>.key.pem`; `hosts` is its subjectAltName (default localhost and 127.0.0.1).
 */
export function selfSignedCertificate(dir: string, name = 'server', hosts = 'DNS:localhost,IP:127.0.0.1'): CertificateFiles {
  const files = { cert: join(dir, `${name}.cert.pem`), key: join(dir, `${name}.key.pem`) };
  const args = ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-noenc', '-keyout', files.key, '-out', files.cert, '-days', '2', '-subj', '/CN=localhost', '-addext', `subjectAltName=${hosts}`];
  try {
    execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new Error(missing ? 'the TLS tests need the openssl binary: apt-get install -y openssl' : `openssl could not make a certificate: ${(error as Error).message}`, { cause: error });
  }
  return files;
}

/**
 * The TLS options of the commands: `--ca <file>` (run, matrix: certificates
 * to trust besides Node's CAs) and `--tls-cert <file> --tls-key <file>`
 * (serve, and run's embedded reference: serve HTTPS and wss://). Files are read
 * and checked here, so a missing file, a key that is not PEM or does not
 * belong to the certificate is a usage error (exit 2) naming the option and
 * the file, never a failed start.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PushspecError } from '../core/errors.ts';
import { readCertificates, type TlsTrust } from '../core/tls.ts';
import { tlsProblem, type ReferenceTls } from '../reference/tls.ts';

/** The options every command with TLS declares, for parseOptions. */
export const CA_OPTION = { ca: { type: 'string', multiple: true } } as const;
export const SERVER_TLS_OPTIONS = { 'tls-cert': { type: 'string' }, 'tls-key': { type: 'string' } } as const;

/** The files `--ca` names (it may be given more than once), absolute. */
export function caFiles(value: unknown): string[] {
  return Array.isArray(value) ? value.map((file) => resolve(String(file))) : [];
}

/** The certificates of every `--ca` file; undefined without `--ca`. */
export function readCaOption(command: string, value: unknown): TlsTrust | undefined {
  const files = Array.isArray(value) ? value.map(String) : [];
  if (files.length === 0) return undefined;
  const pems: string[] = [];
  for (const file of files) {
    const read = readCertificates(file);
    if ('problem' in read) throw new PushspecError('PUSHSPEC_ERR_USAGE', `${command}: --ca: ${read.problem}`);
    pems.push(read.pem);
  }
  return { ca: pems.join('\n'), files };
}

/** The server's certificate and key from `--tls-cert` and `--tls-key`, checked; undefined when neither is given. */
export function readServerTls(command: string, values: Record<string, unknown>): (ReferenceTls & { certFile: string }) | undefined {
  const certFile = values['tls-cert'];
  const keyFile = values['tls-key'];
  if (certFile === undefined && keyFile === undefined) return undefined;
  if (typeof certFile !== 'string' || typeof keyFile !== 'string') {
    throw new PushspecError('PUSHSPEC_ERR_USAGE', `${command}: --tls-cert and --tls-key go together: give the certificate and its private key`);
  }
  const read = (flag: string, file: string): Buffer => {
    try {
      return readFileSync(file);
    } catch (error) {
      const { code, message } = error as NodeJS.ErrnoException;
      throw new PushspecError('PUSHSPEC_ERR_USAGE', `${command}: ${flag}: cannot read ${file} (${code !== undefined && !message.includes(code) ? `${code}: ` : ''}${message})`);
    }
  };
  const tls = { cert: read('--tls-cert', certFile), key: read('--tls-key', keyFile) };
  const problem = tlsProblem(tls);
  if (problem !== undefined) throw new PushspecError('PUSHSPEC_ERR_USAGE', `${command}: --tls-cert ${certFile} --tls-key ${keyFile}: ${problem}`);
  return { ...tls, certFile: resolve(certFile) };
}

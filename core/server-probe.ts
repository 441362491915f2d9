/**
 * Is the server still there? Asked after a case failed because nothing
 * answered: a TCP connection to the base URL's host and port, then one HTTP
 * request with a short deadline. Any byte back means the server is alive,
 * however wrong its answer (a server that answers garbage is not dead: its
 * cases fail on their own); a refused or reset connection, or silence until
 * the deadline, means it is gone.
 */
import net from 'node:net';
import tls from 'node:tls';

/** How long the probe waits for the connection and the first byte of an answer. */
export const PROBE_DEADLINE_MS = 5_000;

/**
 * Probes `baseUrl`; resolves with undefined when the server answered anything,
 * else with what the probe saw (`connection refused (ECONNREFUSED)`,
 * `connected, but no answer within 5000 ms`). Never rejects; leaves no socket open.
 */
export function probeServer(baseUrl: string, deadlineMs = PROBE_DEADLINE_MS): Promise<string | undefined> {
  const url = new URL(baseUrl);
  const secure = url.protocol === 'https:' || url.protocol === 'wss:';
  const port = Number(url.port || (secure ? 443 : 80));
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve) => {
    let connected = false;
    let done = false;
    const finish = (outcome: string | undefined): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const request = `GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nConnection: close\r\n\r\n`;
    const onConnect = (): void => {
      connected = true;
      socket.write(request);
    };
    const socket = secure ? tls.connect({ host, port, servername: net.isIP(host) === 0 ? host : undefined, rejectUnauthorized: false }, onConnect) : net.connect({ host, port }, onConnect);
    const timer = setTimeout(() => finish(connected ? `connected, but no answer within ${deadlineMs} ms` : `no connection within ${deadlineMs} ms`), deadlineMs);
    socket.once('data', () => finish(undefined));
    socket.once('error', (error: NodeJS.ErrnoException) => finish(describe(error, connected)));
    socket.once('close', () => finish(connected ? 'the connection was closed without an answer' : 'the connection was closed before it was made'));
  });
}

function describe(error: NodeJS.ErrnoException, connected: boolean): string {
  if (error.code === 'ECONNREFUSED') return `connection refused (ECONNREFUSED)`;
  if (error.code === 'ECONNRESET') return connected ? 'the connection was reset without an answer (ECONNRESET)' : 'the connection was reset (ECONNRESET)';
  return error.code !== undefined && !error.message.includes(error.code) ? `${error.code}: ${error.message}` : error.message;
}

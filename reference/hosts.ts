/**
 * Which names the reference server answers to. A page on another site can
 * make a browser send requests to 127.0.0.1 under a name it controls (DNS
 * rebinding); the browser then sends that name in `Host`, and same-origin
 * rules no longer protect the server. So a request whose Host is not an
 * allowed name is refused (421 host_not_allowed), HTTP and WebSocket alike.
 */

/** Names every server answers to: the loopback ones. */
export const LOOPBACK_HOSTS: readonly string[] = ['localhost', '127.0.0.1', '::1'];

/** The `allowedHosts` entry that allows every name. */
export const ANY_HOST = '*';

/** Why `host` cannot be an `allowedHosts` entry, or undefined when it can. */
export function hostProblem(host: unknown): string | undefined {
  if (typeof host !== 'string') return `a host name such as "push.example" or "192.0.2.7", got ${typeof host}`;
  if (host === ANY_HOST) return undefined;
  if (!/^(\[[0-9A-Fa-f:.]+\]|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*|[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?)$/.test(host)) {
    return `${JSON.stringify(host)} is not a host name or IP address (no scheme, port or path: "push.example", "192.0.2.7")`;
  }
  return undefined;
}

/** A Host header's name: lower case, without port, brackets or a trailing dot. */
export function hostName(header: string): string {
  const value = header.trim().toLowerCase();
  let name: string;
  if (value.startsWith('[')) name = value.slice(1, value.includes(']') ? value.indexOf(']') : undefined);
  else if (value.indexOf(':') !== value.lastIndexOf(':')) name = value; // an IPv6 address without brackets has no port
  else name = value.replace(/:\d*$/, '');
  return name.replace(/\.$/, '');
}

export class HostPolicy {
  private readonly names: ReadonlySet<string>;
  private readonly any: boolean;

  /** `allowed`: names beyond the loopback ones; `listenHost`: the interface listened on, allowed too unless a wildcard. */
  constructor(allowed: readonly string[], listenHost: string) {
    this.any = allowed.includes(ANY_HOST);
    const wildcard = listenHost === '0.0.0.0' || listenHost === '::';
    this.names = new Set([...LOOPBACK_HOSTS, ...(wildcard ? [] : [listenHost]), ...allowed].map((h) => hostName(h)));
  }

  /** Whether a request with this Host header may be answered. A request without one (HTTP/1.0) is not a browser's. */
  allows(header: string | undefined): boolean {
    return this.any || header === undefined || this.names.has(hostName(header));
  }
}

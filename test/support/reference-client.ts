/**
 * Small clients for the reference server's abuse tests: real HTTP over
 * 127.0.0.1 (undici), a raw `net` connection that writes what it is told and
 * collects everything it gets until the server closes it, and a started
 * server closed whatever happens.
 */
import { connect, type Socket } from 'node:net';
import { request } from 'undici';
import { startReferenceServer, type ReferenceOptions, type ReferenceServer } from '../../reference/server.ts';
import { withDeadline } from './deadline.ts';

/** Runs `body` against a fresh listening reference server, closing it afterwards. */
export async function withServer(options: ReferenceOptions, body: (server: ReferenceServer) => Promise<void>): Promise<void> {
  const server = await startReferenceServer(options);
  try {
    await body(server);
  } finally {
    await server.close();
  }
}

/** An HTTP answer with its body as text and, when it is JSON, parsed. */
export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: Record<string, unknown> | undefined;
}

/** Sends one request and reads its whole answer. */
export async function send(
  server: ReferenceServer,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  options: { headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  const response = await request(`${server.url}${path}`, { method, headers: options.headers ?? {}, body: options.body ?? null });
  const text = await response.body.text();
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = undefined;
  }
  return { status: response.statusCode, headers: response.headers, text, json };
}

/** A text/plain publish with extra headers. */
export function publish(server: ReferenceServer, channel: string, data: string, headers: Record<string, string> = {}): Promise<Answer> {
  return send(server, 'POST', `/channels/${channel}/messages`, { headers: { 'content-type': 'text/plain; charset=utf-8', ...headers }, body: data });
}

/** The ids a poll from `cursor` returns, or the error code it gets. */
export async function pollIds(server: ReferenceServer, channel: string, cursor: string): Promise<string[] | string> {
  const answer = await send(server, 'GET', `/channels/${channel}/messages?cursor=${cursor}`);
  if (answer.status !== 200) return String(answer.json?.error);
  return (answer.json?.messages as Array<{ id: string }>).map((m) => m.id);
}

/** A raw connection: everything received, and a promise settled when the server closes it. */
export interface RawConnection {
  socket: Socket;
  received(): string;
  closed: Promise<void>;
}

/** Opens a raw TCP connection to the server. */
export async function rawConnection(server: ReferenceServer): Promise<RawConnection> {
  const socket = connect({ host: '127.0.0.1', port: server.port });
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await withDeadline(new Promise<void>((resolve) => socket.once('connect', () => resolve())), 5000, 'TCP connection');
  return { socket, received: () => Buffer.concat(chunks).toString('latin1'), closed };
}

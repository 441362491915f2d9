/**
 * Pure checks on what a WebSocket client did against a scripted server
 * (RFC 6455, client side): its handshake request, its frames (masking, echoes,
 * pongs, close frames), how its connection ended, and what it reported.
 * "Fails the connection" (RFC 6455 §7.1.7) is judged by what the server saw:
 * the client closed (a close frame, or TCP), and nothing of the bad data, or
 * after it, reached its application or came back.
 */
import type { ClientReport } from '../../../clients/contract/reports.ts';
import { expectThat } from '../../../core/failure.ts';
import type { ClientCase } from './cases.ts';
import { echoedMessages, pongPayloads } from './echo-measures.ts';
import type { ClientFrame, CloseSeen, HandshakeRequestSeen } from './scripted-ws-server.ts';

/** One connection as the scripted server recorded it. */
export interface ConnectionView {
  request?: HandshakeRequestSeen;
  frames: readonly ClientFrame[];
  clientClose?: CloseSeen;
  serverClose?: CloseSeen;
  clientEndedAtMs?: number;
  serverEndedAtMs?: number;
  /** The client ended TCP while the server's side was still open. */
  clientEndedFirst?: boolean;
  closedAtMs?: number;
  /** Still open at the case's deadline: the server cut it. */
  cutByServer: boolean;
}

/** What a case recorded. */
export interface WsClientView {
  case: Pick<ClientCase, 'name' | 'echoes' | 'pongs' | 'forbidden' | 'failCode' | 'unsendableCode'>;
  connections: readonly ConnectionView[];
  reports: readonly ClientReport[];
  /** The Host the client should name: `127.0.0.1:<port>`. */
  host: string;
}

const CONTROL_NAMES: Record<number, string> = { 0: 'continuation', 1: 'text', 2: 'binary', 8: 'close', 9: 'ping', 10: 'pong' };
const frameName = (f: ClientFrame, i: number): string => `frame ${i + 1} (${CONTROL_NAMES[f.opcode] ?? `opcode ${f.opcode}`})`;
const short = (b: Buffer): string => (b.length > 40 ? `${b.length} bytes starting ${JSON.stringify(b.subarray(0, 40).toString('utf8'))}` : JSON.stringify(b.toString('utf8')));

function first(view: WsClientView): ConnectionView {
  const conn = view.connections[0];
  expectThat(conn !== undefined, 'the client to connect to the scripted server', () => 'it made no connection');
  return conn;
}

function ended(conn: ConnectionView): string {
  if (conn.cutByServer) return 'the connection was still open at the deadline (the server cut it)';
  const parts: string[] = [];
  if (conn.clientClose !== undefined) parts.push(`the client sent a close frame${conn.clientClose.code !== undefined ? ` with code ${conn.clientClose.code}` : ' without a code'}`);
  if (conn.clientEndedAtMs !== undefined) parts.push('the client closed TCP');
  if (conn.serverEndedAtMs !== undefined) parts.push('the server closed TCP');
  return parts.join(', ') || 'the connection ended';
}

/** RFC 6455 §4.1: GET, HTTP/1.1 or later, Host, Upgrade: websocket, Connection: Upgrade, Sec-WebSocket-Version: 13. */
export function checkHandshakeRequest(view: WsClientView): void {
  const r = first(view).request;
  expectThat(r !== undefined, 'an opening handshake request', () => 'the client sent no complete request head');
  const h = r.headers;
  const problems: string[] = [];
  if (r.method !== 'GET') problems.push(`method ${r.method}`);
  if (!/^HTTP\/(1\.[1-9]|[2-9]\.\d)$/.test(r.version)) problems.push(`version ${r.version}`);
  if (h.host !== view.host && h.host !== view.host.replace(/:80$/, '')) problems.push(`Host ${JSON.stringify(h.host ?? null)}`);
  if (!(h.upgrade ?? '').split(',').some((v) => v.trim().toLowerCase() === 'websocket')) problems.push(`Upgrade ${JSON.stringify(h.upgrade ?? null)}`);
  if (!(h.connection ?? '').split(',').some((v) => v.trim().toLowerCase() === 'upgrade')) problems.push(`Connection ${JSON.stringify(h.connection ?? null)}`);
  if (h['sec-websocket-version'] !== '13') problems.push(`Sec-WebSocket-Version ${JSON.stringify(h['sec-websocket-version'] ?? null)}`);
  expectThat(problems.length === 0, `GET … HTTP/1.1 with Host: ${view.host}, Upgrade: websocket, Connection: Upgrade and Sec-WebSocket-Version: 13`, () => `the request had ${problems.join(', ')}`);
}

/** RFC 6455 §4.1: each connection's Sec-WebSocket-Key is 16 bytes, base64, selected at random for it. */
export function checkFreshKeys(view: WsClientView): void {
  const keys = view.connections.map((c) => c.request?.headers['sec-websocket-key']);
  expectThat(keys.length >= 2, 'two connections, one per client run', () => `${keys.length} connection(s)`);
  for (const [i, key] of keys.entries()) {
    const ok = key !== undefined && /^[A-Za-z0-9+/]{22}==$/.test(key) && Buffer.from(key, 'base64').length === 16;
    expectThat(ok, 'a Sec-WebSocket-Key of 16 bytes, base64-encoded (24 characters ending "==")', () => `connection ${i + 1} sent ${JSON.stringify(key ?? null)}`);
  }
  expectThat(new Set(keys).size === keys.length, 'a different Sec-WebSocket-Key on each connection (a nonce selected randomly for each)', () => `the keys were ${keys.map((k) => JSON.stringify(k)).join(' and ')}`);
}

/** RFC 6455 §4.1: a handshake answer that is wrong fails the connection: no open, no frame, TCP closed. */
export function checkRefused(view: WsClientView, mustClose: boolean): void {
  const conn = first(view);
  const open = view.reports.find((r) => r.type === 'open');
  expectThat(open === undefined && conn.frames.length === 0, 'the client not to open the connection (no open reported, no frame sent)', () =>
    `${open !== undefined ? 'the client reported open' : 'no open was reported'}${conn.frames.length > 0 ? `, and it sent ${conn.frames.length} frame(s)` : ''}`,
  );
  if (mustClose) expectThat(!conn.cutByServer, `the client to close the connection within the deadline`, () => ended(conn));
}

/** RFC 6455 §5.1, §5.3: every frame the client sends is masked. */
export function checkAllMasked(view: WsClientView): void {
  const frames = view.connections.flatMap((c) => c.frames);
  expectThat(frames.length > 0, 'frames from the client', () => 'it sent none');
  const unmasked = frames.map((f, i) => (f.masked ? undefined : frameName(f, i))).filter((x) => x !== undefined);
  expectThat(unmasked.length === 0, 'every frame from the client masked', () => `${unmasked.length} of ${frames.length} frames unmasked: ${unmasked.slice(0, 5).join(', ')}`);
}

/** RFC 6455 §5.3: a fresh masking key for each frame. */
export function checkFreshMaskKeys(view: WsClientView): void {
  const frames = view.connections.flatMap((c) => c.frames);
  expectThat(frames.length >= 10, 'at least ten frames from the client', () => `${frames.length}`);
  // An unmasked frame has no key to judge: WSC-MASKED judges that it is unmasked.
  const keys = frames.map((f) => f.maskKey).filter((k) => k !== undefined);
  const repeated = keys.filter((k, i) => keys.indexOf(k) !== i);
  expectThat(repeated.length === 0, `a fresh masking key on each of the ${keys.length} frames`, () => `keys used more than once: ${[...new Set(repeated)].join(', ')} (all keys: ${keys.slice(0, 12).join(' ')}${keys.length > 12 ? ' …' : ''})`);
}

/** The client echoed the case's messages intact, in order, each with its type. */
export function checkEchoes(view: WsClientView): void {
  const got = echoedMessages(first(view).frames);
  const want = view.case.echoes;
  const same = got.length === want.length && got.every((m, i) => m.type === want[i]!.type && m.data.equals(want[i]!.data));
  expectThat(same, `${want.length} message(s) echoed: ${want.slice(0, 3).map((m) => `${m.type} ${short(m.data)}`).join(', ')}${want.length > 3 ? ' …' : ''}`, () => {
    const bad = got.findIndex((m, i) => want[i] === undefined || m.type !== want[i]!.type || !m.data.equals(want[i]!.data));
    return `${got.length} echoed${bad >= 0 ? `; message ${bad + 1} was ${got[bad]!.type} ${short(got[bad]!.data)}` : ''}; the connection: ${ended(first(view))}`;
  });
}

/** RFC 6455 §5.5.2, §5.5.3: a pong for each ping, with the ping's payload. */
export function checkPongs(view: WsClientView): void {
  const got = pongPayloads(first(view).frames);
  const want = view.case.pongs;
  expectThat(got.length === want.length && got.every((p, i) => p.equals(want[i]!)), `${want.length} pong(s), with the payload ${want.map(short).join(', ')}`, () =>
    got.length === 0 ? 'no pong' : `pong payloads ${got.map(short).join(', ')}`,
  );
}

/** RFC 6455 §7.1.7: the client failed the connection: it closed, and nothing of the bad data or after it reached the application or came back. */
export function checkFailed(view: WsClientView): void {
  const conn = first(view);
  const reported = view.reports.filter((r): r is Extract<ClientReport, { type: 'message' }> => r.type === 'message').map((m) => m.data);
  const echoed = echoedMessages(conn.frames).map((m) => m.data.toString('utf8'));
  const leaked = view.case.forbidden.filter((d) => reported.includes(d) || echoed.includes(d));
  expectThat(leaked.length === 0 && reported.length === 0, 'no message reaching the application (the connection is failed, nothing after the bad frame processed)', () =>
    `the client reported ${reported.map((d) => JSON.stringify(d.slice(0, 40))).join(', ') || 'nothing'}${echoed.length > 0 ? ` and echoed ${echoed.map((d) => JSON.stringify(d.slice(0, 40))).join(', ')}` : ''}`,
  );
  const pongs = pongPayloads(conn.frames);
  expectThat(pongs.length === 0, 'no pong for a ping the client must refuse', () => `${pongs.length} pong(s)`);
  expectThat(!conn.cutByServer, 'the client to close the connection (a close frame, or TCP) within the deadline', () => ended(conn));
  const code = view.case.unsendableCode;
  if (code !== undefined) {
    expectThat(conn.clientClose?.code !== code, `a close frame, if any, not echoing code ${code} (a code that may not be sent)`, () => `the client's close frame carried ${code}`);
  }
}

/** RFC 6455 §7.1.7, §7.4.1: a failing client sends a close frame with the code for the problem before closing. */
export function checkFailCode(view: WsClientView): void {
  const conn = first(view);
  const want = view.case.failCode;
  // A client that never failed the connection (it read on until the server cut it) breaks the MUST its case belongs to; no close frame to judge here.
  if (conn.cutByServer && conn.clientClose === undefined && conn.clientEndedAtMs === undefined) return;
  // Nor did one that answered a close code that may not be sent with that same code, as if it were a valid close (WSC-CLOSE-INVALID judges that).
  if (view.case.unsendableCode !== undefined && conn.clientClose?.code === view.case.unsendableCode) return;
  expectThat(conn.clientClose !== undefined && conn.clientClose.code === want, `a close frame with code ${want} from the client before it closes`, () => ended(conn));
}

/** RFC 6455 §5.5.1: a close frame from the server is answered with a close frame. */
export function checkCloseAnswered(view: WsClientView): void {
  const conn = first(view);
  expectThat(conn.clientClose !== undefined, 'a close frame from the client in answer to the server\'s', () => ended(conn));
  const dataAfter = conn.frames.filter((f) => f.opcode < 8 && f.atMs > (conn.serverClose?.atMs ?? Infinity));
  expectThat(dataAfter.length === 0, 'no data frame after the server\'s close frame', () => `${dataAfter.length} data frame(s)`);
}

/** RFC 6455 §7.1.1: after the closing handshake the client waits for the server to close TCP. */
export function checkServerClosesTcp(view: WsClientView): void {
  const conn = first(view);
  expectThat(conn.clientEndedFirst !== true, 'the client leaving the TCP close to the server (it holds the connection until the server closes it)', () =>
    `the client closed TCP${conn.clientClose !== undefined && conn.clientEndedAtMs !== undefined ? ` ${Math.round(conn.clientEndedAtMs - conn.clientClose.atMs)} ms after its close frame` : ''}, before the server closed it`,
  );
}

/**
 * Smoke test of the independent WebSocket fixture server (test/fixtures/ws-server.mjs):
 * conformant with `--fault none`, and each fault changes exactly what it says on
 * the wire. The `ws` library is the client where it can be; broken frames go
 * over raw sockets. Every wait has a deadline.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { loadAdapterFile } from '../adapters/contract/load.ts';
import { startFixtureProcess, stopChild } from './support/child-process.ts';
import { withDeadline } from './support/deadline.ts';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const SERVER = `${FIXTURES}ws-server.mjs`;
const FAULTS = ['none', 'wrong-accept', 'echo-invalid-utf8', 'no-pong', 'accept-unmasked', 'drop-without-close'] as const;
type Fault = (typeof FAULTS)[number];

/** Deadlines: generous, so only a broken fixture ever reaches them. */
const START_DEADLINE_MS = 10_000;
const WAIT_DEADLINE_MS = 3000;
/** How long an unanswered ping is given before it counts as unanswered. */
const NO_ANSWER_MS = 1000;

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const RFC_KEY = 'dGhlIHNhbXBsZSBub25jZQ==';
/** Not UTF-8: κ, then a truncated sequence and a code point above U+10FFFF (Autobahn case 6.3.1's spirit). */
const INVALID_UTF8 = Buffer.from([0xce, 0xba, 0xe1, 0xbd, 0xf4, 0x90, 0x80, 0x80]);

const OP = { continuation: 0, text: 1, binary: 2, close: 8, ping: 9, pong: 10 } as const;

const children: ChildProcess[] = [];
const clients: WebSocket[] = [];
const sockets: net.Socket[] = [];
const ports = new Map<Fault, number>();

before(async () => {
  await Promise.all(FAULTS.map(async (fault) => ports.set(fault, await startFixture(fault))));
});

after(async () => {
  for (const client of clients) client.terminate();
  for (const socket of sockets) socket.destroy();
  await Promise.all(children.map(stopChild));
});

function port(fault: Fault): number {
  const found = ports.get(fault);
  assert.ok(found !== undefined, `fixture ${fault} is not running`);
  return found;
}

/** Starts the fixture on a free port; resolves with the port once it prints its ready line. */
async function startFixture(fault: Fault): Promise<number> {
  const { child, port } = await startFixtureProcess(SERVER, fault, /^ws fixture \(([\w-]+)\) on port (\d+)$/m, START_DEADLINE_MS);
  children.push(child);
  return port;
}

/** A `ws` client, terminated in `after` whatever happens. */
function client(fault: Fault, path: string, protocols?: string[], options: WebSocket.ClientOptions = {}): WebSocket {
  const ws = new WebSocket(`ws://127.0.0.1:${port(fault)}${path}`, protocols, options);
  clients.push(ws);
  return ws;
}

function opened(ws: WebSocket): Promise<void> {
  return withDeadline(
    new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    }),
    WAIT_DEADLINE_MS,
    'open',
  );
}

function nextEvent<T extends unknown[]>(ws: WebSocket, event: string, what = event): Promise<T> {
  return withDeadline(new Promise<T>((resolve) => ws.once(event, (...args: unknown[]) => resolve(args as T))), WAIT_DEADLINE_MS, what);
}

/** A client frame: masked with a random key unless `mask` is false. */
function clientFrame(opcode: number, payload: Buffer | string, { fin = true, mask = true, rsv = 0 } = {}): Buffer {
  const data = Buffer.from(payload);
  const first = (fin ? 0x80 : 0) | (rsv << 4) | opcode;
  let head: Buffer;
  if (data.length < 126) head = Buffer.from([first, data.length]);
  else if (data.length < 0x10000) {
    head = Buffer.from([first, 126, 0, 0]);
    head.writeUInt16BE(data.length, 2);
  } else {
    head = Buffer.alloc(10);
    head[0] = first;
    head[1] = 127;
    head.writeBigUInt64BE(BigInt(data.length), 2);
  }
  if (!mask) return Buffer.concat([head, data]);
  head[1] = (head[1] ?? 0) | 0x80;
  const key = randomBytes(4);
  const masked = Buffer.from(data.map((byte, i) => byte ^ (key[i % 4] ?? 0)));
  return Buffer.concat([head, key, masked]);
}

function closePayload(code: number, reason: Buffer | string = ''): Buffer {
  const payload = Buffer.alloc(2);
  payload.writeUInt16BE(code);
  return Buffer.concat([payload, Buffer.from(reason)]);
}

interface Frame {
  fin: boolean;
  opcode: number;
  masked: boolean;
  payload: Buffer;
}

/** A raw connection: the handshake as bytes, then server frames parsed one by one. */
class RawConnection {
  readonly socket: net.Socket;
  status = 0;
  headers: Record<string, string> = {};
  ended = false;
  private buffer = Buffer.alloc(0);
  private headDone = false;
  private readonly waiters = new Set<() => void>();

  constructor(socket: net.Socket) {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.notify();
    });
    const end = () => {
      this.ended = true;
      this.notify();
    };
    socket.on('end', end);
    socket.on('close', end);
    socket.on('error', end);
  }

  private notify(): void {
    for (const waiter of this.waiters) waiter();
  }

  /** Resolves once `ready` returns a value; re-tried on every chunk and at the end. */
  private until<T>(ready: () => T | undefined, what: string): Promise<T> {
    return withDeadline(
      new Promise<T>((resolve, reject) => {
        const check = () => {
          const value = ready();
          if (value !== undefined) {
            this.waiters.delete(check);
            resolve(value);
          } else if (this.ended) {
            this.waiters.delete(check);
            reject(new Error(`the connection ended before ${what}`));
          }
        };
        this.waiters.add(check);
        check();
      }),
      WAIT_DEADLINE_MS,
      what,
    ).finally(() => this.waiters.clear());
  }

  async head(): Promise<void> {
    await this.until(() => {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) return undefined;
      const [statusLine = '', ...lines] = this.buffer.subarray(0, end).toString('latin1').split('\r\n');
      this.status = Number(statusLine.split(' ')[1]);
      for (const line of lines) {
        const colon = line.indexOf(':');
        this.headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      this.buffer = this.buffer.subarray(end + 4);
      this.headDone = true;
      return true;
    }, 'response head');
  }

  /** The next server frame; server pings (idle keep-alive) are skipped unless `pings`. */
  async frame(pings = false): Promise<Frame> {
    assert.ok(this.headDone);
    for (;;) {
      const frame = await this.until(() => this.parse(), 'frame');
      if (pings || frame.opcode !== OP.ping) return frame;
    }
  }

  private parse(): Frame | undefined {
    const b = this.buffer;
    if (b.length < 2) return undefined;
    let length = (b[1] ?? 0) & 0x7f;
    let offset = 2;
    if (length === 126) {
      if (b.length < 4) return undefined;
      length = b.readUInt16BE(2);
      offset = 4;
    } else if (length === 127) {
      if (b.length < 10) return undefined;
      length = Number(b.readBigUInt64BE(2));
      offset = 10;
    }
    const masked = ((b[1] ?? 0) & 0x80) !== 0;
    if (masked) offset += 4;
    if (b.length < offset + length) return undefined;
    this.buffer = b.subarray(offset + length);
    return { fin: ((b[0] ?? 0) & 0x80) !== 0, opcode: (b[0] ?? 0) & 0x0f, masked, payload: Buffer.from(b.subarray(offset, offset + length)) };
  }

  /** Expects a close frame with `code` (or an empty one), then the server ending the TCP connection. */
  async expectClose(code: number | undefined, what: string): Promise<void> {
    const frame = await this.frame();
    assert.equal(frame.opcode, OP.close, `${what}: expected a close frame, got opcode ${frame.opcode} ${frame.payload.toString()}`);
    if (code === undefined) assert.equal(frame.payload.length, 0, `${what}: expected an empty close frame`);
    else assert.equal(frame.payload.readUInt16BE(0), code, what);
    assert.ok(!frame.masked, 'server frames are not masked');
    await this.until(() => (this.ended ? true : undefined), 'the end of the TCP connection').catch(() => {
      if (!this.ended) assert.fail(`${what}: the server did not end the TCP connection`);
    });
  }

  /** Expects the server to end the TCP connection with no frame before it. */
  async expectDropWithoutClose(what: string): Promise<void> {
    await this.until(() => (this.ended ? true : undefined), 'the end of the TCP connection').catch(() => {
      if (!this.ended) assert.fail(`${what}: the server did not end the TCP connection`);
    });
    assert.equal(this.buffer.length, 0, `${what}: bytes (a close frame?) before the end`);
  }

  send(...frames: Buffer[]): void {
    this.socket.write(Buffer.concat(frames));
  }
}

/** Opens a raw socket and sends a handshake (`key: null` sends none); resolves once the response head arrived. */
async function rawHandshake(
  fault: Fault,
  path = '/echo',
  { method = 'GET', key = RFC_KEY as string | null, headers = {} as Record<string, string> } = {},
): Promise<RawConnection> {
  const socket = net.connect(port(fault), '127.0.0.1');
  sockets.push(socket);
  await withDeadline(new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject)), WAIT_DEADLINE_MS, 'connection');
  const connection = new RawConnection(socket);
  const lines = [
    `${method} ${path} HTTP/1.1`,
    `Host: 127.0.0.1:${port(fault)}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    'Sec-WebSocket-Version: 13',
    ...(key === null ? [] : [`Sec-WebSocket-Key: ${key}`]),
  ];
  const all = Object.fromEntries(lines.slice(1).map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line]));
  for (const [name, value] of Object.entries(headers)) all[name.toLowerCase()] = `${name}: ${value}`;
  socket.write(`${[lines[0], ...Object.values(all)].join('\r\n')}\r\n\r\n`);
  await connection.head();
  return connection;
}

/** A raw connection past a successful handshake. */
async function rawOpen(fault: Fault, path = '/echo'): Promise<RawConnection> {
  const connection = await rawHandshake(fault, path);
  assert.equal(connection.status, 101);
  return connection;
}

async function post(fault: Fault, channel: string, body: object): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port(fault)}/channels/${channel}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(WAIT_DEADLINE_MS),
  });
  assert.equal(response.status, 201);
  return ((await response.json()) as { id: string }).id;
}

describe('ws fixture server', () => {
  it('refuses an unknown fault, listing the known ones', () => {
    const run = spawnSync(process.execPath, [SERVER, '--fault', 'nope'], { encoding: 'utf8', timeout: START_DEADLINE_MS });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /unknown --fault nope; expected one of none, wrong-accept, echo-invalid-utf8, no-pong, accept-unmasked, any-subprotocol, drop-without-close/);
  });

  it('has a valid adapter file per fault declaring what it does', async () => {
    for (const fault of FAULTS) {
      const adapter = await loadAdapterFile(`${FIXTURES}ws-${fault}.json`);
      assert.equal(adapter.name, `ws-fixture-${fault}`);
      assert.deepEqual(adapter.launch?.command, ['node', 'ws-server.mjs', '--port', '{port}', '--fault', fault]);
      assert.deepEqual(adapter.websocket, {
        echoPath: '/echo',
        channelPath: '/channels/{channel}/ws',
        messageFormat: 'json',
        cursorParam: 'cursor',
        clientPublishes: true,
        subprotocols: ['pushspec.v1'],
        allowedOrigins: ['https://app.example'],
        maxMessageBytes: 1048576,
        pingIntervalMs: 300,
        permessageDeflate: true,
      });
    }
  });

  describe('none (conformant)', () => {
    it('accepts a handshake with the RFC 6455 accept value, choosing a subprotocol only when offered', async () => {
      const raw = await rawOpen('none');
      assert.equal(raw.headers['sec-websocket-accept'], 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=', 'the RFC 6455 section 1.3 example');
      assert.equal(raw.headers.upgrade, 'websocket');
      assert.equal(raw.headers.connection, 'Upgrade');
      assert.equal(raw.headers['sec-websocket-protocol'], undefined);

      const offered = client('none', '/echo', ['chat', 'pushspec.v1'], { origin: 'https://app.example' });
      await opened(offered);
      assert.equal(offered.protocol, 'pushspec.v1');
      // (ws fails a handshake without the subprotocol it offered, so this one is raw.)
      const other = await rawHandshake('none', '/echo', { headers: { 'Sec-WebSocket-Protocol': 'chat, superchat' } });
      assert.equal(other.status, 101);
      assert.equal(other.headers['sec-websocket-protocol'], undefined);
    });

    it('refuses malformed handshakes with the right status', async () => {
      const status = async (options: Parameters<typeof rawHandshake>[2], path = '/echo') => {
        const raw = await rawHandshake('none', path, options);
        return { status: raw.status, headers: raw.headers };
      };
      assert.equal((await status({ key: null })).status, 400, 'no key');
      assert.equal((await status({ key: 'AAAAAAAAAAAAAAAAAAAA' })).status, 400, 'base64 of 15 bytes');
      assert.equal((await status({ key: 'not a key at all!!!!!A==' })).status, 400, 'not base64');
      const version = await status({ headers: { 'Sec-WebSocket-Version': '8' } });
      assert.equal(version.status, 426);
      assert.equal(version.headers['sec-websocket-version'], '13');
      assert.equal((await status({ method: 'POST' })).status, 405);
      assert.equal((await status({ headers: { Origin: 'https://evil.example' } })).status, 403);
      assert.equal((await status({ headers: { Origin: 'https://app.example' } })).status, 101);
      assert.equal((await status({}, '/nowhere')).status, 404);
      assert.equal((await status({}, '/channels/c/ws?cursor=x')).status, 400);
    });

    it('echoes text as text and binary as binary, answers pings and pings idle connections', async () => {
      const ws = client('none', '/echo');
      await opened(ws);
      const text = nextEvent<[Buffer, boolean]>(ws, 'message');
      ws.send('héllo ✓');
      const [data, binary] = await text;
      assert.equal(binary, false);
      assert.equal(data.toString(), 'héllo ✓');
      const bytes = nextEvent<[Buffer, boolean]>(ws, 'message');
      ws.send(Buffer.from([0, 1, 255]));
      assert.deepEqual(await bytes, [Buffer.from([0, 1, 255]), true]);
      const pong = nextEvent<[Buffer]>(ws, 'pong');
      ws.ping('are you there');
      assert.equal((await pong)[0].toString(), 'are you there');
      // Nothing more is sent: after 300 ms idle the server pings.
      await nextEvent<[Buffer]>(ws, 'ping', 'idle ping');
    });

    it('closes with 1002 on protocol errors', async () => {
      const cases: Array<[string, Buffer[]]> = [
        ['an unmasked frame', [clientFrame(OP.text, 'hi', { mask: false })]],
        ['reserved bits', [clientFrame(OP.text, 'hi', { rsv: 4 })]],
        ['opcode 3', [clientFrame(3, 'hi')]],
        ['opcode 11', [clientFrame(11, '')]],
        ['a ping of 126 bytes', [clientFrame(OP.ping, Buffer.alloc(126))]],
        ['a fragmented ping', [clientFrame(OP.ping, 'p', { fin: false })]],
        ['a continuation without a start', [clientFrame(OP.continuation, 'x')]],
        ['a new message inside a fragmented one', [clientFrame(OP.text, 'a', { fin: false }), clientFrame(OP.text, 'b')]],
        ['a 1-byte close payload', [clientFrame(OP.close, Buffer.from([3]))]],
        ...[999, 1004, 1005, 1006, 1015, 2000, 2999, 5000].map((code): [string, Buffer[]] => [`close code ${code}`, [clientFrame(OP.close, closePayload(code))]]),
      ];
      await Promise.all(
        cases.map(async ([what, frames]) => {
          const raw = await rawOpen('none');
          raw.send(...frames);
          await raw.expectClose(1002, what);
        }),
      );
    });

    it('closes with 1007 on text that is not UTF-8, at the first invalid fragment', async () => {
      const whole = await rawOpen('none');
      whole.send(clientFrame(OP.text, INVALID_UTF8));
      await whole.expectClose(1007, 'invalid text');
      // The rest of the message never comes: the first fragment is enough.
      const fragment = await rawOpen('none');
      fragment.send(clientFrame(OP.text, Buffer.from([0x61, 0xff]), { fin: false }));
      await fragment.expectClose(1007, 'an invalid first fragment');
      const reason = await rawOpen('none');
      reason.send(clientFrame(OP.close, closePayload(1000, Buffer.from([0xff]))));
      await reason.expectClose(1007, 'a close reason that is not UTF-8');
      // A character split between fragments is fine.
      const split = await rawOpen('none');
      const e = Buffer.from('é');
      split.send(clientFrame(OP.text, Buffer.concat([Buffer.from('caf'), e.subarray(0, 1)]), { fin: false }), clientFrame(OP.continuation, e.subarray(1)));
      const echoed = await split.frame();
      assert.deepEqual([echoed.opcode, echoed.payload.toString()], [OP.text, 'café']);
    });

    it('closes with 1009 on a message over 1 MiB and echoes one of exactly 1 MiB', async () => {
      const ws = client('none', '/echo');
      await opened(ws);
      const echoed = nextEvent<[Buffer, boolean]>(ws, 'message');
      ws.send(Buffer.alloc(1048576, 0x61), { binary: false });
      assert.equal((await echoed)[0].length, 1048576);
      const closed = nextEvent<[number]>(ws, 'close');
      ws.send(Buffer.alloc(1048577, 0x61), { binary: false });
      assert.equal((await closed)[0], 1009);
    });

    it('answers a close frame with the same code, then ends the TCP connection; nothing after it is processed', async () => {
      const normal = await rawOpen('none');
      normal.send(clientFrame(OP.close, closePayload(1000, 'bye')), clientFrame(OP.ping, 'after close'));
      await normal.expectClose(1000, 'a normal close');
      const empty = await rawOpen('none');
      empty.send(clientFrame(OP.close, ''));
      await empty.expectClose(undefined, 'an empty close');
      for (const code of [1001, 1003, 1011, 1014, 3000, 4999]) {
        const raw = await rawOpen('none');
        raw.send(clientFrame(OP.close, closePayload(code)));
        await raw.expectClose(code, `close code ${code}`);
      }
      const ws = client('none', '/echo');
      await opened(ws);
      const closed = nextEvent<[number, Buffer]>(ws, 'close');
      ws.close(4000, 'done');
      assert.equal((await closed)[0], 4000);
    });

    it('pushes published messages as JSON, publishes what clients send, replays after a cursor, counts sockets', async () => {
      const ws = client('none', '/channels/room/ws', ['pushspec.v1']);
      await opened(ws);
      const first = nextEvent<[Buffer]>(ws, 'message');
      const id = await post('none', 'room', { data: 'one', event: null });
      assert.deepEqual(JSON.parse((await first)[0].toString()), { id, data: 'one' });
      const second = nextEvent<[Buffer]>(ws, 'message');
      await post('none', 'room', { data: 'two', event: 'tick' });
      assert.deepEqual(JSON.parse((await second)[0].toString()), { id: String(Number(id) + 1), data: 'two', event: 'tick' });
      const own = nextEvent<[Buffer]>(ws, 'message');
      ws.send('from a client');
      assert.deepEqual(JSON.parse((await own)[0].toString()), { id: String(Number(id) + 2), data: 'from a client' });

      const resumed = client('none', `/channels/room/ws?cursor=${id}`);
      const replayed: string[] = [];
      const both = withDeadline(
        new Promise<void>((resolve) =>
          resumed.on('message', (data: Buffer) => {
            replayed.push((JSON.parse(data.toString()) as { data: string }).data);
            if (replayed.length === 2) resolve();
          }),
        ),
        WAIT_DEADLINE_MS,
        'replay',
      );
      await both;
      assert.deepEqual(replayed, ['two', 'from a client']);
      const stats = await fetch(`http://127.0.0.1:${port('none')}/stats`, { signal: AbortSignal.timeout(WAIT_DEADLINE_MS) });
      const { sockets: open } = (await stats.json()) as { sockets: number };
      assert.ok(open >= 2, `expected at least the 2 channel sockets, got ${open}`);
    });
  });

  describe('faults', () => {
    it('wrong-accept: the accept value lacks the GUID, and a ws client refuses the handshake', async () => {
      const key = randomBytes(16).toString('base64');
      const right = createHash('sha1').update(key + GUID).digest('base64');
      const noGuid = createHash('sha1').update(key).digest('base64');
      assert.equal((await rawHandshake('none', '/echo', { key })).headers['sec-websocket-accept'], right);
      const raw = await rawHandshake('wrong-accept', '/echo', { key });
      assert.equal(raw.status, 101);
      assert.equal(raw.headers['sec-websocket-accept'], noGuid);
      const ws = client('wrong-accept', '/echo');
      const [error] = await nextEvent<[Error]>(ws, 'error');
      assert.match(error.message, /Invalid Sec-WebSocket-Accept header/);
    });

    it('echo-invalid-utf8: echoes invalid text back where none closes with 1007', async () => {
      const raw = await rawOpen('echo-invalid-utf8');
      raw.send(clientFrame(OP.text, INVALID_UTF8));
      const echoed = await raw.frame();
      assert.equal(echoed.opcode, OP.text);
      assert.deepEqual(echoed.payload, INVALID_UTF8);
      const conformant = await rawOpen('none');
      conformant.send(clientFrame(OP.text, INVALID_UTF8));
      await conformant.expectClose(1007, 'invalid text on none');
    });

    it('no-pong: a ping goes unanswered while messages still echo; none answers it', async () => {
      const silent = client('no-pong', '/echo');
      await opened(silent);
      let pongs = 0;
      silent.on('pong', () => pongs++);
      silent.ping('hello?');
      const echoed = nextEvent<[Buffer]>(silent, 'message');
      silent.send('still here');
      assert.equal((await echoed)[0].toString(), 'still here');
      await new Promise((resolve) => setTimeout(resolve, NO_ANSWER_MS));
      assert.equal(pongs, 0);
      const conformant = client('none', '/echo');
      await opened(conformant);
      const pong = nextEvent<[Buffer]>(conformant, 'pong');
      conformant.ping('hello?');
      assert.equal((await pong)[0].toString(), 'hello?');
    });

    it('accept-unmasked: echoes an unmasked frame where none closes with 1002', async () => {
      const raw = await rawOpen('accept-unmasked');
      raw.send(clientFrame(OP.text, 'hello', { mask: false }));
      const echoed = await raw.frame();
      assert.deepEqual([echoed.opcode, echoed.payload.toString()], [OP.text, 'hello']);
      // Masked frames still work as usual.
      raw.send(clientFrame(OP.text, 'masked'));
      assert.equal((await raw.frame()).payload.toString(), 'masked');
      const conformant = await rawOpen('none');
      conformant.send(clientFrame(OP.text, 'hello', { mask: false }));
      await conformant.expectClose(1002, 'an unmasked frame on none');
    });

    it('drop-without-close: fails a connection by ending TCP with no close frame; a close is still answered', async () => {
      const raw = await rawOpen('drop-without-close');
      raw.send(clientFrame(OP.text, 'hi', { rsv: 4 }));
      await raw.expectDropWithoutClose('reserved bits');
      const closing = await rawOpen('drop-without-close');
      closing.send(clientFrame(OP.close, closePayload(1000)));
      await closing.expectClose(1000, 'a normal close');
    });
  });
});

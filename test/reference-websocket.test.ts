/**
 * WebSockets on the reference server (docs/reference-protocol.md,
 * "WebSockets"): `/echo`, `/channels/{channel}/ws` (fan-out, publishing,
 * cursor replay, closing), the opening handshake as the reference checks it
 * (with raw sockets for handshakes `ws` would refuse to send), limits, pings,
 * stats and shutdown. Every wait has a deadline.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { WebSocket, type RawData } from 'ws';
import { resolveReferenceOptions } from '../reference/options.ts';
import { startReferenceServer, type ReferenceOptions, type ReferenceServer } from '../reference/server.ts';
import { checkHandshake, parseSubprotocols } from '../reference/websocket/handshake.ts';
import { MIN_WS_PONG_WAIT_MS } from '../reference/websocket/sockets.ts';
import { ChannelStore } from '../reference/channel-store.ts';
import { CorsPolicy } from '../reference/cors.ts';
import { ReferenceHttpError } from '../reference/errors.ts';
import { runScriptUntilExit, waitForListening } from './support/child-process.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const DEADLINE_MS = 5000;
const KEY = 'dGhlIHNhbXBsZSBub25jZQ==';

/** Rejects with `what` when `promise` has not settled within `ms`. */
async function within<T>(what: string, promise: Promise<T>, ms = DEADLINE_MS): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function withServer(options: ReferenceOptions, body: (server: ReferenceServer) => Promise<void>): Promise<void> {
  const server = await startReferenceServer(options);
  try {
    await body(server);
  } finally {
    await server.close();
  }
}

function wsUrl(server: ReferenceServer, path: string): string {
  return `${server.url.replace(/^http/, 'ws')}${path}`;
}

/** A ws client that records every message and its close. */
interface Client {
  ws: WebSocket;
  messages: Array<{ data: Buffer; isBinary: boolean }>;
  /** The nth message (0-based), waiting for it. */
  message(index: number): Promise<{ data: Buffer; isBinary: boolean }>;
  /** Parsed JSON of the text messages so far. */
  frames(): Array<{ id: string; data: string; event?: string }>;
  closed: Promise<{ code: number; reason: string }>;
}

async function open(url: string, protocols: string[] = [], options: WebSocket.ClientOptions = {}): Promise<Client> {
  const ws = new WebSocket(url, protocols, options);
  const messages: Client['messages'] = [];
  const waiters: Array<() => void> = [];
  ws.on('message', (data: RawData, isBinary: boolean) => {
    messages.push({ data: Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer), isBinary });
    for (const wake of waiters.splice(0)) wake();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString('utf8') }));
  });
  ws.on('error', () => {});
  await within(
    `open ${url}`,
    new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('unexpected-response', (_request, response) => reject(new Error(`unexpected response ${response.statusCode}`)));
      ws.once('error', reject);
    }),
  );
  return {
    ws,
    messages,
    closed,
    async message(index) {
      await within(`message #${index}`, (async () => {
        while (messages.length <= index) await new Promise<void>((resolve) => waiters.push(resolve));
      })());
      return messages[index]!;
    },
    frames: () => messages.filter((m) => !m.isBinary).map((m) => JSON.parse(m.data.toString('utf8'))),
  };
}

/** The status a ws client's handshake is refused with. */
async function refusedStatus(url: string, options: WebSocket.ClientOptions = {}): Promise<{ status: number; body: string }> {
  const ws = new WebSocket(url, options);
  ws.on('error', () => {});
  return within(
    `refusal of ${url}`,
    new Promise((resolve, reject) => {
      ws.once('open', () => reject(new Error('the handshake was accepted')));
      ws.once('unexpected-response', (_request, response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      });
    }),
  );
}

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Sends a raw request and reads the answer head (and, unless 101, the body up to the close). */
async function raw(server: ReferenceServer, request: string): Promise<RawAnswer & { socket: Socket }> {
  const socket = connect(server.port, '127.0.0.1');
  socket.on('error', () => {});
  socket.write(request);
  let bytes = Buffer.alloc(0);
  return within(
    'a raw answer',
    new Promise((resolve) => {
      const done = (): void => {
        const text = bytes.toString('latin1');
        const end = text.indexOf('\r\n\r\n');
        const [statusLine = '', ...lines] = text.slice(0, end).split('\r\n');
        const headers: Record<string, string> = {};
        for (const line of lines) {
          const colon = line.indexOf(':');
          headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
        }
        resolve({ status: Number(statusLine.split(' ')[1]), headers, body: bytes.subarray(end + 4).toString('utf8'), socket });
      };
      const onData = (chunk: Buffer): void => {
        bytes = Buffer.concat([bytes, chunk]);
        if (bytes.toString('latin1').startsWith('HTTP/1.1 101') && bytes.includes('\r\n\r\n')) {
          socket.off('data', onData);
          socket.off('close', done);
          done();
        }
      };
      socket.on('data', onData);
      socket.on('close', done);
    }),
  );
}

function handshake(path: string, headers: Record<string, string | undefined> = {}, method = 'GET'): string {
  const all: Record<string, string | undefined> = {
    host: 'localhost',
    upgrade: 'websocket',
    connection: 'Upgrade',
    'sec-websocket-key': KEY,
    'sec-websocket-version': '13',
    ...headers,
  };
  const lines = Object.entries(all)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `${name}: ${value}\r\n`);
  return `${method} ${path} HTTP/1.1\r\n${lines.join('')}\r\n`;
}

async function publish(server: ReferenceServer, channel: string, data: string): Promise<string> {
  const response = await fetch(`${server.url}/channels/${channel}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain; charset=utf-8' },
    body: data,
  });
  assert.equal(response.status, 201);
  return ((await response.json()) as { id: string }).id;
}

async function stats(server: ReferenceServer): Promise<Record<string, number>> {
  return (await (await fetch(`${server.url}/stats`)).json()) as Record<string, number>;
}

async function until(what: string, condition: () => boolean | Promise<boolean>): Promise<void> {
  await within(what, (async () => {
    while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 5));
  })());
}

describe('GET /echo', () => {
  test('echoes text as text and binary as binary, empty and 100 KB included', async () => {
    await withServer({}, async (server) => {
      const client = await open(wsUrl(server, '/echo'));
      const big = Buffer.alloc(100 * 1024, 7);
      client.ws.send('héllo');
      client.ws.send(Buffer.from([0, 1, 2, 255]), { binary: true });
      client.ws.send('');
      client.ws.send(Buffer.alloc(0), { binary: true });
      client.ws.send(big, { binary: true });
      client.ws.send('x'.repeat(100 * 1024));
      const [text, binary, emptyText, emptyBinary, bigBinary, bigText] = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => client.message(i)));
      assert.deepEqual([text!.isBinary, text!.data.toString('utf8')], [false, 'héllo']);
      assert.deepEqual([binary!.isBinary, [...binary!.data]], [true, [0, 1, 2, 255]]);
      assert.deepEqual([emptyText!.isBinary, emptyText!.data.length], [false, 0]);
      assert.deepEqual([emptyBinary!.isBinary, emptyBinary!.data.length], [true, 0]);
      assert.ok(bigBinary!.isBinary && bigBinary!.data.equals(big));
      assert.ok(!bigText!.isBinary && bigText!.data.toString('utf8') === 'x'.repeat(100 * 1024));
      client.ws.close(1000);
      assert.equal((await within('close', client.closed)).code, 1000);
    });
  });

  test('invalid UTF-8 in a text message closes 1007; a message over wsMaxMessageBytes closes 1009', async () => {
    await withServer({ wsMaxMessageBytes: 1024 }, async (server) => {
      const bad = await open(wsUrl(server, '/echo'));
      bad.ws.send(Buffer.from([0xc3, 0x28]), { binary: false });
      assert.equal((await within('close 1007', bad.closed)).code, 1007);
      const big = await open(wsUrl(server, '/echo'));
      big.ws.send('y'.repeat(1024));
      assert.equal((await big.message(0)).data.length, 1024);
      big.ws.send('y'.repeat(1025));
      assert.equal((await within('close 1009', big.closed)).code, 1009);
    });
  });

  test('a protocol error (unmasked frame, reserved opcode) closes 1002', async () => {
    await withServer({}, async (server) => {
      const answer = await raw(server, handshake('/echo'));
      assert.equal(answer.status, 101);
      const received: Buffer[] = [];
      answer.socket.on('data', (chunk: Buffer) => received.push(chunk));
      answer.socket.write(Buffer.from([0x83, 0x80, 1, 2, 3, 4])); // opcode 3 is reserved
      await within('the server to close', once(answer.socket, 'close'));
      const bytes = Buffer.concat(received);
      assert.equal(bytes[0], 0x88, 'a close frame');
      assert.equal(bytes.readUInt16BE(2), 1002);
    });
  });
});

describe('opening handshake', () => {
  test('the subprotocol pushspec.v1 is chosen only when offered', async () => {
    await withServer({}, async (server) => {
      const offered = await open(wsUrl(server, '/echo'), ['other', 'pushspec.v1']);
      assert.equal(offered.ws.protocol, 'pushspec.v1');
      offered.ws.close();
      const none = await open(wsUrl(server, '/echo'));
      assert.equal(none.ws.protocol, '');
      none.ws.close();
      const other = await raw(server, handshake('/echo', { 'sec-websocket-protocol': 'chat, superchat' }));
      assert.equal(other.status, 101);
      assert.equal(other.headers['sec-websocket-protocol'], undefined);
      assert.equal(other.headers['sec-websocket-accept'], 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
      other.socket.destroy();
    });
  });

  test('bad handshakes: 400, 426 with Sec-WebSocket-Version, 405 with Allow, 404', async () => {
    await withServer({}, async (server) => {
      const cases: Array<[string, string, number, string]> = [
        ['missing key', handshake('/echo', { 'sec-websocket-key': undefined }), 400, 'invalid_handshake'],
        ['short key', handshake('/echo', { 'sec-websocket-key': 'c2hvcnQ=' }), 400, 'invalid_handshake'],
        ['key not base64', handshake('/echo', { 'sec-websocket-key': '!!!!!!!!!!!!!!!!!!!!!!==' }), 400, 'invalid_handshake'],
        ['version 8', handshake('/echo', { 'sec-websocket-version': '8' }), 426, 'unsupported_websocket_version'],
        ['no version', handshake('/echo', { 'sec-websocket-version': undefined }), 426, 'unsupported_websocket_version'],
        ['Upgrade: h2c', handshake('/channels/a/ws', { upgrade: 'h2c' }), 400, 'invalid_handshake'],
        ['bad subprotocol list', handshake('/echo', { 'sec-websocket-protocol': 'a, a' }), 400, 'invalid_handshake'],
        ['POST', handshake('/echo', {}, 'POST'), 405, 'method_not_allowed'],
        ['unknown path', handshake('/nope'), 404, 'not_found'],
        ['invalid channel', handshake('/channels/a%20b/ws'), 400, 'invalid_channel'],
      ];
      for (const [what, request, status, code] of cases) {
        const answer = await raw(server, request);
        assert.equal(answer.status, status, what);
        assert.equal(answer.headers.connection, 'close', what);
        assert.equal(answer.headers['content-type'], 'application/json; charset=utf-8', what);
        assert.equal((JSON.parse(answer.body) as { error: string }).error, code, what);
        if (status === 426) assert.equal(answer.headers['sec-websocket-version'], '13', what);
        if (status === 405) assert.equal(answer.headers.allow, 'GET', what);
      }
      // Case-insensitive tokens, lists containing them.
      const mixed = await raw(server, handshake('/echo', { upgrade: 'WebSocket', connection: 'keep-alive, UPGRADE' }));
      assert.equal(mixed.status, 101);
      mixed.socket.destroy();
      // A plain request (no upgrade) reaches fastify.
      const plain = await fetch(`${server.url}/echo`);
      assert.equal(plain.status, 400);
      assert.equal(((await plain.json()) as { error: string }).error, 'invalid_handshake');
      const post = await fetch(`${server.url}/channels/a/ws`, { method: 'POST' });
      assert.equal(post.status, 405);
      assert.equal(post.headers.get('allow'), 'GET');
    });
  });

  test('Host: a handshake naming a host the server does not answer to is refused 421 (DNS rebinding); allowedHosts extends the loopback names', async () => {
    await withServer({}, async (server) => {
      const refused = await raw(server, handshake('/echo', { host: `rebound.example:${server.port}` }));
      assert.equal(refused.status, 421);
      assert.equal((JSON.parse(refused.body) as { error: string }).error, 'host_not_allowed');
      refused.socket.destroy();
      for (const host of ['localhost', `127.0.0.1:${server.port}`, '[::1]:1']) {
        const accepted = await raw(server, handshake('/echo', { host }));
        assert.equal(accepted.status, 101, host);
        accepted.socket.destroy();
      }
    });
    await withServer({ allowedHosts: ['push.example'] }, async (server) => {
      const accepted = await raw(server, handshake('/echo', { host: 'PUSH.example.:443' }));
      assert.equal(accepted.status, 101);
      accepted.socket.destroy();
    });
  });

  test('Origin: refused 403 when allowedOrigins does not allow it; allowed or absent Origin is fine', async () => {
    await withServer({ allowedOrigins: ['https://app.example'] }, async (server) => {
      const refused = await refusedStatus(wsUrl(server, '/echo'), { origin: 'https://evil.example' });
      assert.equal(refused.status, 403);
      assert.equal((JSON.parse(refused.body) as { error: string }).error, 'origin_not_allowed');
      const allowed = await open(wsUrl(server, '/echo'), [], { origin: 'https://app.example' });
      allowed.ws.close();
      const none = await open(wsUrl(server, '/echo'));
      none.ws.close();
    });
    await withServer({ allowedOrigins: ['*'] }, async (server) => {
      (await open(wsUrl(server, '/echo'), [], { origin: 'https://any.example' })).ws.close();
    });
    // The former name still works: its entries join allowedOrigins.
    await withServer({ corsOrigins: ['https://app.example'] }, async (server) => {
      (await open(wsUrl(server, '/echo'), [], { origin: 'https://app.example' })).ws.close();
    });
  });

  test('checkHandshake and parseSubprotocols on their own', () => {
    const context = { store: new ChannelStore(), cors: new CorsPolicy([]) };
    const base = { method: 'GET', httpVersion: '1.1', headers: { upgrade: 'websocket', connection: 'Upgrade', 'sec-websocket-key': KEY, 'sec-websocket-version': '13' } };
    assert.deepEqual(checkHandshake({ ...base, url: '/channels/x/ws?cursor=0' }, context), { kind: 'channel', channel: 'x', cursor: '0' });
    const old = checkHandshake({ ...base, url: '/echo', httpVersion: '1.0' }, context);
    assert.ok(old instanceof ReferenceHttpError && old.code === 'invalid_handshake');
    const twice = checkHandshake({ ...base, url: '/channels/x/ws?cursor=0&cursor=1' }, context);
    assert.ok(twice instanceof ReferenceHttpError && twice.code === 'malformed_cursor');
    assert.deepEqual(parseSubprotocols('a, b'), new Set(['a', 'b']));
    assert.equal(parseSubprotocols('a,,b'), undefined);
    assert.equal(parseSubprotocols('a b'), undefined);
  });
});

describe('GET /channels/{channel}/ws', () => {
  test('a publish reaches every client as {"id","data","event"?}', async () => {
    await withServer({}, async (server) => {
      const clients = await Promise.all([1, 2, 3].map(() => open(wsUrl(server, '/channels/news/ws'))));
      assert.equal((await stats(server)).sockets, 3);
      const id = await publish(server, 'news', 'hello');
      await fetch(`${server.url}/channels/news/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ data: 'tagged', event: 'note' }),
      });
      for (const client of clients) {
        const first = await client.message(0);
        assert.equal(first.isBinary, false);
        assert.equal(first.data.toString('utf8'), JSON.stringify({ id, data: 'hello' }));
        await client.message(1);
        assert.deepEqual(client.frames()[1], { id: String(Number(id) + 1), data: 'tagged', event: 'note' });
        client.ws.close();
        await within('close', client.closed);
      }
      await until('sockets back to 0', async () => (await stats(server)).sockets === 0);
      assert.equal(server.store.stats().listeners, 0);
    });
  });

  test('text a client sends is published: the sender and the others get it, polls see it', async () => {
    await withServer({}, async (server) => {
      const sender = await open(wsUrl(server, '/channels/chat/ws'));
      const other = await open(wsUrl(server, '/channels/chat/ws'));
      sender.ws.send('hi all');
      assert.deepEqual(JSON.parse((await sender.message(0)).data.toString('utf8')), { id: '1', data: 'hi all' });
      assert.deepEqual(JSON.parse((await other.message(0)).data.toString('utf8')), { id: '1', data: 'hi all' });
      const poll = (await (await fetch(`${server.url}/channels/chat/messages?cursor=0`)).json()) as { messages: unknown[] };
      assert.deepEqual(poll.messages, [{ id: '1', data: 'hi all' }]);
    });
  });

  test('?cursor replays what was retained after it, then continues live, without duplicates', async () => {
    await withServer({ historyLimit: 3 }, async (server) => {
      for (const data of ['a', 'b', 'c', 'd']) await publish(server, 'log', data);
      const client = await open(wsUrl(server, '/channels/log/ws?cursor=2'));
      await publish(server, 'log', 'e');
      await client.message(2);
      assert.deepEqual(
        client.frames().map((f) => f.id),
        ['3', '4', '5'],
      );
      const latest = await open(wsUrl(server, '/channels/log/ws?cursor=5'));
      await publish(server, 'log', 'f');
      assert.deepEqual(JSON.parse((await latest.message(0)).data.toString('utf8')), { id: '6', data: 'f' });
      await client.message(3);
      assert.deepEqual(client.frames().map((f) => f.id), ['3', '4', '5', '6']);
      // Bad cursors are refused before upgrading, as polls refuse them.
      const malformed = await refusedStatus(wsUrl(server, '/channels/log/ws?cursor=01'));
      assert.equal(malformed.status, 400);
      assert.equal((JSON.parse(malformed.body) as { error: string }).error, 'malformed_cursor');
      const ahead = await refusedStatus(wsUrl(server, '/channels/log/ws?cursor=99'));
      assert.deepEqual([ahead.status, JSON.parse(ahead.body).error, JSON.parse(ahead.body).latest], [400, 'cursor_ahead', '6']);
      const expired = await refusedStatus(wsUrl(server, '/channels/log/ws?cursor=1'));
      assert.deepEqual([expired.status, JSON.parse(expired.body).error, JSON.parse(expired.body).oldest], [410, 'cursor_expired', '4']);
    });
  });

  test('closing the channel closes its sockets 1001; new handshakes get 410 channel_closed', async () => {
    await withServer({}, async (server) => {
      const clients = await Promise.all([1, 2].map(() => open(wsUrl(server, '/channels/gone/ws'))));
      const bystander = await open(wsUrl(server, '/channels/stays/ws'));
      assert.equal((await fetch(`${server.url}/channels/gone`, { method: 'DELETE' })).status, 204);
      for (const client of clients) assert.deepEqual(await within('close', client.closed), { code: 1001, reason: 'channel closed' });
      const refused = await refusedStatus(wsUrl(server, '/channels/gone/ws'));
      assert.equal(refused.status, 410);
      assert.equal((JSON.parse(refused.body) as { error: string }).error, 'channel_closed');
      assert.equal(bystander.ws.readyState, WebSocket.OPEN);
      assert.equal((await stats(server)).sockets, 1);
    });
  });

  test('a binary message closes 1003; a too-big one 1009', async () => {
    await withServer({ wsMaxMessageBytes: 100 }, async (server) => {
      const binary = await open(wsUrl(server, '/channels/c/ws'));
      binary.ws.send(Buffer.from([1, 2]), { binary: true });
      assert.equal((await within('close 1003', binary.closed)).code, 1003);
      const big = await open(wsUrl(server, '/channels/c/ws'));
      big.ws.send('z'.repeat(101));
      assert.equal((await within('close 1009', big.closed)).code, 1009);
      assert.equal(server.store.latestId('c'), '0');
    });
  });
});

describe('pings, stats, shutdown', () => {
  test('an idle connection is pinged; one that never answers the ping is cut', async () => {
    await withServer({ wsPingIntervalMs: 100 }, async (server) => {
      const client = await open(wsUrl(server, '/echo'));
      await within('two pings', new Promise<void>((resolve) => {
        let pings = 0;
        client.ws.on('ping', () => {
          pings += 1;
          if (pings === 2) resolve();
        });
      }));
      assert.equal(client.ws.readyState, WebSocket.OPEN, 'a client answering pings stays connected');
      // A raw client that never answers pings.
      const mute = await raw(server, handshake('/echo'));
      assert.equal(mute.status, 101);
      let received = 0;
      mute.socket.on('data', () => (received += 1));
      const started = performance.now();
      await within('the mute client to be cut', once(mute.socket, 'close'), 6000);
      assert.ok(received >= 2, 'it got pings first, one per interval');
      // Never before MIN_WS_PONG_WAIT_MS: a client in the middle of writing a frame cannot answer sooner.
      assert.ok(performance.now() - started >= MIN_WS_PONG_WAIT_MS, 'cut only once it had MIN_WS_PONG_WAIT_MS to answer');
      client.ws.close();
    });
  });

  test('/stats counts sockets; GET / lists the endpoints', async () => {
    await withServer({}, async (server) => {
      assert.equal((await stats(server)).sockets, 0);
      const a = await open(wsUrl(server, '/echo'));
      const b = await open(wsUrl(server, '/channels/s/ws'));
      assert.equal((await stats(server)).sockets, 2);
      a.ws.close();
      b.ws.terminate();
      await until('sockets back to 0', async () => (await stats(server)).sockets === 0);
      const info = (await (await fetch(`${server.url}/`)).json()) as { endpoints: Record<string, string> };
      assert.equal(info.endpoints.echo, 'GET /echo (WebSocket)');
      assert.equal(info.endpoints.ws, 'GET /channels/{channel}/ws?cursor={id} (WebSocket)');
    });
  });

  test('shutdown closes every socket with 1001 going away', async () => {
    const server = await startReferenceServer();
    const clients = await Promise.all(['/echo', '/channels/a/ws', '/channels/b/ws'].map((path) => open(wsUrl(server, path))));
    await within('close()', server.close());
    for (const client of clients) assert.deepEqual(await within('close', client.closed), { code: 1001, reason: 'going away' });
  });

  test('a process whose server had open sockets at close exits on its own', async () => {
    const { code, signal, out, err } = await runScriptUntilExit(
      `const { WebSocket } = await import(${JSON.stringify(import.meta.resolve('ws'))});
const { startReferenceServer } = await import(${JSON.stringify(new URL('../reference/server.ts', import.meta.url).href)});
const server = await startReferenceServer({ wsPingIntervalMs: 60000 });
const closes = ['/echo', '/channels/a/ws'].map((path) => new Promise((resolve, reject) => {
  const ws = new WebSocket(server.url.replace('http', 'ws') + path);
  ws.on('error', reject);
  ws.on('close', (code) => resolve(code));
}));
while (server.sockets.count() < 2) await new Promise((resolve) => setTimeout(resolve, 5));
await server.close();
console.log(JSON.stringify(await Promise.all(closes)));
`,
      { cwd: ROOT, tmpPrefix: 'pushspec-ws-', deadlineMs: 15_000 },
    );
    assert.equal(signal, null, `the process did not exit on its own within 15 s: ${out}${err}`);
    assert.equal(code, 0, err);
    assert.deepEqual(JSON.parse(out), [1001, 1001]);
  });
});

describe('options', () => {
  test('wsMaxMessageBytes and wsPingIntervalMs are validated', () => {
    assert.equal(resolveReferenceOptions().wsMaxMessageBytes, 1_048_576);
    assert.equal(resolveReferenceOptions().wsPingIntervalMs, 30_000);
    assert.equal(resolveReferenceOptions({ wsPingIntervalMs: 0 }).wsPingIntervalMs, 0);
    assert.throws(() => resolveReferenceOptions({ wsMaxMessageBytes: 0 }), /wsMaxMessageBytes must be a positive integer/);
    assert.throws(() => resolveReferenceOptions({ wsPingIntervalMs: 5 }), /wsPingIntervalMs must be 0 or an integer from 10/);
    assert.throws(() => resolveReferenceOptions({ wsPingIntervalMs: '100' as unknown as number }), /the string "100"/);
  });

  test('pushspec serve --ws-ping --ws-max-message-bytes', async () => {
    const child = spawn(process.execPath, ['bin/pushspec.mjs', 'serve', '--port', '0', '--ws-ping', '50', '--ws-max-message-bytes', '10'], {
      cwd: ROOT,
      timeout: 30_000,
    });
    try {
      const url = await waitForListening(child, 15_000);
      const client = await open(`${url.replace('http', 'ws')}/echo`);
      await within('a ping', once(client.ws, 'ping'));
      client.ws.send('0123456789a');
      assert.equal((await within('close 1009', client.closed)).code, 1009);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
    const refused = spawn(process.execPath, ['bin/pushspec.mjs', 'serve', '--port', '0', '--ws-ping', '5'], { cwd: ROOT, timeout: 15_000 });
    let err = '';
    refused.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    const [code] = (await once(refused, 'exit')) as [number | null];
    assert.equal(code, 2, err);
    assert.match(err, /--ws-ping is "5"/);
  });
});

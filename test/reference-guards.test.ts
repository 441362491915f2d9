/**
 * The reference server is safe by default on a shared machine or behind a
 * browser (issue 14), over real connections on 127.0.0.1: WebSocket
 * handshakes and publishes/DELETEs from a foreign Origin are refused unless
 * allowed, a foreign Host is refused, a publish token guards publishing and
 * closing, and a closed channel's ids never restart once its name is forgotten.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocket } from 'ws';
import type { ReferenceServer } from '../reference/server.ts';
import { CLOSE_POLICY_VIOLATION } from '../reference/websocket/sockets.ts';
import { withDeadline } from './support/deadline.ts';
import { pollIds, publish, rawConnection, send, withServer } from './support/reference-client.ts';

const DEADLINE_MS = 5000;
const TOKEN = 'pushspec-test-token-0123456789';

/** Opens a WebSocket; resolves with it open, or with the status it was refused with. */
async function handshake(server: ReferenceServer, path: string, headers: Record<string, string> = {}): Promise<{ ws?: WebSocket; status?: number; body?: string }> {
  const ws = new WebSocket(`${server.url.replace('http', 'ws')}${path}`, { headers });
  ws.on('error', () => {});
  return withDeadline(
    new Promise((resolve) => {
      ws.once('open', () => resolve({ ws }));
      ws.once('unexpected-response', (_request, response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      });
    }),
    DEADLINE_MS,
    `the handshake for ${path}`,
  );
}

describe('Origin, by default', () => {
  test('a WebSocket handshake from a foreign page is refused 403 before the upgrade; same-origin and non-browser ones are accepted', async () => {
    await withServer({}, async (server) => {
      await publish(server, 'secret', 'history a foreign page must not read');
      const foreign = await handshake(server, '/channels/secret/ws?cursor=0', { origin: 'https://evil.example' });
      assert.equal(foreign.status, 403);
      assert.equal((JSON.parse(foreign.body ?? '{}') as { error?: string }).error, 'origin_not_allowed');
      for (const headers of [{ origin: server.url }, {}] as Array<Record<string, string>>) {
        const accepted = await handshake(server, '/channels/secret/ws?cursor=0', headers);
        assert.ok(accepted.ws !== undefined, `refused ${accepted.status} with ${JSON.stringify(headers)}`);
        accepted.ws.close();
      }
    });
  });

  test('a cross-origin text/plain POST (no preflight in a browser) and DELETE are refused 403 and change nothing', async () => {
    await withServer({}, async (server) => {
      const refused = await publish(server, 'wall', 'forged', { origin: 'https://evil.example' });
      assert.equal(refused.status, 403);
      assert.equal(refused.json?.error, 'origin_not_allowed');
      assert.match(String(refused.json?.message), /allowedOrigins/);
      assert.deepEqual(await pollIds(server, 'wall', '0'), []);
      assert.deepEqual(server.store.stats(), { channels: 0, messages: 0, listeners: 0 });
      assert.equal((await publish(server, 'wall', 'mine', { origin: server.url })).status, 201, 'same-origin');
      assert.equal((await publish(server, 'wall', 'curl')).status, 201, 'no Origin: not a browser');
      const close = await send(server, 'DELETE', '/channels/wall', { headers: { origin: 'null' } });
      assert.equal(close.status, 403);
      assert.equal(server.store.isClosed('wall'), false);
      assert.deepEqual(await pollIds(server, 'wall', '0'), ['1', '2']);
    });
  });

  test('allowedOrigins lets a listed page publish and open WebSockets; * lets any', async () => {
    await withServer({ allowedOrigins: ['https://app.example'] }, async (server) => {
      assert.equal((await publish(server, 'a', 'm', { origin: 'https://app.example' })).status, 201);
      assert.equal((await publish(server, 'a', 'm', { origin: 'https://other.example' })).status, 403);
      const accepted = await handshake(server, '/echo', { origin: 'https://app.example' });
      assert.ok(accepted.ws !== undefined);
      accepted.ws.close();
    });
    await withServer({ allowedOrigins: ['*'] }, async (server) => {
      assert.equal((await publish(server, 'a', 'm', { origin: 'https://any.example' })).status, 201);
    });
  });
});

describe('Host', () => {
  test('a publish naming a foreign Host is refused 421 and stores nothing', async () => {
    await withServer({}, async (server) => {
      const connection = await rawConnection(server);
      connection.socket.end('POST /channels/h/messages HTTP/1.1\r\nHost: rebound.example\r\nContent-Type: text/plain\r\nContent-Length: 1\r\nConnection: close\r\n\r\nx');
      await withDeadline(connection.closed, DEADLINE_MS, 'the answer');
      assert.match(connection.received(), /^HTTP\/1\.1 421 [^]*"error":"host_not_allowed"/);
      assert.deepEqual(server.store.stats(), { channels: 0, messages: 0, listeners: 0 });
    });
  });
});

describe('publishToken', () => {
  test('POST and DELETE need the Bearer token: none → 401 with WWW-Authenticate, a wrong one → 401 invalid_token; reads stay open', async () => {
    await withServer({ publishToken: TOKEN }, async (server) => {
      const none = await publish(server, 'p', 'm');
      assert.equal(none.status, 401);
      assert.equal(none.json?.error, 'unauthorized');
      assert.equal(none.headers['www-authenticate'], 'Bearer realm="pushspec-reference"');
      const wrong = await publish(server, 'p', 'm', { authorization: `Bearer ${TOKEN}x` });
      assert.equal(wrong.status, 401);
      assert.match(String(wrong.headers['www-authenticate']), /error="invalid_token"/);
      assert.equal((await publish(server, 'p', 'm', { authorization: `Basic ${TOKEN}` })).status, 401);
      assert.deepEqual(await pollIds(server, 'p', '0'), [], 'refused publishes stored nothing');
      assert.equal((await publish(server, 'p', 'm', { authorization: `Bearer ${TOKEN}` })).status, 201);
      assert.deepEqual(await pollIds(server, 'p', '0'), ['1']);
      assert.equal((await send(server, 'DELETE', '/channels/p')).status, 401);
      assert.equal((await send(server, 'DELETE', '/channels/p', { headers: { authorization: `Bearer ${TOKEN.slice(1)}` } })).status, 401);
      assert.equal(server.store.isClosed('p'), false);
      assert.equal((await send(server, 'DELETE', '/channels/p', { headers: { authorization: `bearer ${TOKEN}` } })).status, 204);
      assert.equal(server.store.isClosed('p'), true);
    });
  });

  test('a channel WebSocket without the token reads but may not publish (1008); a wrong token is refused 401; the right one publishes', async () => {
    await withServer({ publishToken: TOKEN }, async (server) => {
      assert.equal((await handshake(server, '/channels/w/ws', { authorization: 'Bearer wrong-token-0123456789' })).status, 401);
      const reader = (await handshake(server, '/channels/w/ws')).ws!;
      const closed = new Promise<number>((resolve) => reader.on('close', (code) => resolve(code)));
      reader.send('not allowed');
      assert.equal(await withDeadline(closed, DEADLINE_MS, 'the close'), CLOSE_POLICY_VIOLATION);
      assert.deepEqual(await pollIds(server, 'w', '0'), []);
      const writer = (await handshake(server, '/channels/w/ws', { authorization: `Bearer ${TOKEN}` })).ws!;
      const echoed = new Promise<string>((resolve) => writer.once('message', (data: Buffer) => resolve(data.toString('utf8'))));
      writer.send('allowed');
      assert.deepEqual(JSON.parse(await withDeadline(echoed, DEADLINE_MS, 'the published frame')), { id: '1', data: 'allowed' });
      writer.close();
    });
  });
});

describe('ids never restart', () => {
  test('a closed channel forgotten after closedChannelLimit + 1 closes goes on above its old ids', async () => {
    await withServer({ closedChannelLimit: 5 }, async (server) => {
      for (let i = 0; i < 3; i += 1) await publish(server, 'news', `m${i}`);
      assert.equal((await send(server, 'DELETE', '/channels/news')).status, 204);
      for (let i = 0; i < 5; i += 1) assert.equal((await send(server, 'DELETE', `/channels/made-up-${i}`)).status, 204);
      assert.equal(server.store.isClosed('news'), false, 'the name was forgotten');
      // A client still holding id 2 learns it missed messages; the next id is 4, never 1 again.
      assert.equal(await pollIds(server, 'news', '2'), 'cursor_expired');
      assert.equal((await publish(server, 'news', 'after')).json?.id, '4');
      assert.deepEqual(await pollIds(server, 'news', '3'), ['4']);
    });
  });
});

/**
 * The reference server's wire contract (docs/reference-protocol.md), checked
 * through app.inject, plus one real listen/close on an ephemeral port.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyRequest, LightMyRequestResponse } from 'fastify';
import { Agent, request } from 'undici';
import { REFERENCE_ERRORS, ReferenceHttpError, isReferenceErrorCode } from '../reference/errors.ts';
import { toReferenceError } from '../reference/fallbacks.ts';
import { decodeJsonBody, decodeTextBody } from '../reference/message-body.ts';
import { resolveReferenceOptions } from '../reference/options.ts';
import { buildReferenceApp, startReferenceServer, type ReferenceOptions } from '../reference/server.ts';

const JSON_TYPE = 'application/json; charset=utf-8';
const PACKAGE_VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string })
  .version;

/** Runs `fn` against a fresh app, closing it afterwards. */
async function withApp(options: ReferenceOptions, fn: (app: FastifyInstance) => Promise<void>): Promise<void> {
  const { app } = buildReferenceApp(options);
  try {
    await fn(app);
  } finally {
    await app.close();
  }
}

function publishText(app: FastifyInstance, channel: string, data: string | Buffer, type = 'text/plain') {
  return app.inject({ method: 'POST', url: `/channels/${channel}/messages`, headers: { 'content-type': type }, payload: data });
}

function publishJson(app: FastifyInstance, channel: string, body: unknown) {
  const payload = typeof body === 'string' ? body : JSON.stringify(body);
  return app.inject({
    method: 'POST',
    url: `/channels/${channel}/messages`,
    headers: { 'content-type': 'application/json' },
    payload,
  });
}

function poll(app: FastifyInstance, channel: string, query = '') {
  return app.inject({ method: 'GET', url: `/channels/${channel}/messages${query}` });
}

/** Asserts an error response: status, code, JSON content type, no-store, and the message mentioning `mentions`. */
function assertError(res: LightMyRequestResponse, code: keyof typeof REFERENCE_ERRORS, mentions?: string): Record<string, unknown> {
  const body = res.json() as Record<string, unknown>;
  assert.equal(res.statusCode, REFERENCE_ERRORS[code].status, res.body);
  assert.equal(body.error, code, res.body);
  assert.equal(typeof body.message, 'string');
  if (mentions !== undefined) assert.ok(String(body.message).includes(mentions), `"${String(body.message)}" mentions ${mentions}`);
  assert.equal(res.headers['content-type'], JSON_TYPE);
  assert.equal(res.headers['cache-control'], 'no-store');
  return body;
}

/** The whole retained history of `channel`, read from cursor 0. */
async function everything(app: FastifyInstance, channel: string): Promise<unknown> {
  const res = await poll(app, channel, '?cursor=0');
  assert.equal(res.statusCode, 200, res.body);
  return res.json();
}

describe('the Host header (DNS rebinding)', () => {
  test('a request naming a host the server does not answer to gets 421 host_not_allowed and changes nothing', async () => {
    await withApp({}, async (app) => {
      const refused = await app.inject({ method: 'POST', url: '/channels/a/messages', headers: { host: 'rebound.example', 'content-type': 'text/plain' }, payload: 'x' });
      assert.equal(refused.statusCode, 421);
      assert.equal(refused.json<{ error: string }>().error, 'host_not_allowed');
      assert.match(refused.json<{ message: string }>().message, /rebound\.example/);
      const poll = await app.inject({ method: 'GET', url: '/channels/a/messages?cursor=0', headers: { host: '127.0.0.1:8080' } });
      assert.equal(poll.statusCode, 200);
      assert.deepEqual(poll.json<{ messages: unknown[] }>().messages, [], 'the refused publish stored nothing');
      for (const host of ['localhost', 'LOCALHOST:3000', '[::1]:8080', '127.0.0.1']) {
        assert.equal((await app.inject({ method: 'GET', url: '/', headers: { host } })).statusCode, 200, host);
      }
    });
  });

  test('allowedHosts adds names; "*" allows any; the interface listened on is allowed', async () => {
    await withApp({ allowedHosts: ['push.example'] }, async (app) => {
      assert.equal((await app.inject({ method: 'GET', url: '/', headers: { host: 'push.example:443' } })).statusCode, 200);
      assert.equal((await app.inject({ method: 'GET', url: '/', headers: { host: 'other.example' } })).statusCode, 421);
    });
    await withApp({ allowedHosts: ['*'] }, async (app) => {
      assert.equal((await app.inject({ method: 'GET', url: '/', headers: { host: 'other.example' } })).statusCode, 200);
    });
    await withApp({ host: '192.0.2.7' }, async (app) => {
      assert.equal((await app.inject({ method: 'GET', url: '/', headers: { host: '192.0.2.7:8080' } })).statusCode, 200);
    });
  });
});

describe('info routes', () => {
  test('GET / describes the server', async () => {
    await withApp({}, async (app) => {
      const res = await app.inject({ url: '/' });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], JSON_TYPE);
      const body = res.json() as { name: string; version: string; endpoints: Record<string, string> };
      assert.equal(body.name, 'pushspec-reference');
      assert.equal(body.version, PACKAGE_VERSION);
      assert.equal(body.endpoints.publish, 'POST /channels/{channel}/messages');
      assert.equal(body.endpoints.poll, 'GET /channels/{channel}/messages?cursor={id}');
      assert.equal(body.endpoints.longPoll, 'GET /channels/{channel}/messages?cursor={id}&wait={ms}');
      assert.equal(body.endpoints.stats, 'GET /stats');
    });
  });

  test('GET /stats counts channels and retained messages; polls create nothing', async () => {
    await withApp({ historyLimit: 2 }, async (app) => {
      const stats = async (): Promise<unknown> => (await app.inject({ url: '/stats' })).json();
      assert.deepEqual(await stats(), { channels: 0, messages: 0, held: 0, streams: 0, slowClientsDropped: 0, sockets: 0, slowSocketsDropped: 0 });
      await poll(app, 'ghost');
      await poll(app, 'ghost', '?cursor=0');
      await poll(app, 'ghost', '?cursor=3');
      assert.deepEqual(await stats(), { channels: 0, messages: 0, held: 0, streams: 0, slowClientsDropped: 0, sockets: 0, slowSocketsDropped: 0 });
      for (const data of ['1', '2', '3']) await publishText(app, 'a', data);
      await publishText(app, 'b', 'x');
      assert.deepEqual(await stats(), { channels: 2, messages: 3, held: 0, streams: 0, slowClientsDropped: 0, sockets: 0, slowSocketsDropped: 0 });
    });
  });
});

describe('publishing', () => {
  test('text/plain: the whole body is the data; ids increase per channel', async () => {
    await withApp({}, async (app) => {
      const first = await publishText(app, 'a', 'hello world');
      assert.equal(first.statusCode, 201);
      assert.equal(first.headers['content-type'], JSON_TYPE);
      assert.deepEqual(first.json(), { id: '1' });
      assert.deepEqual((await publishText(app, 'a', 'again')).json(), { id: '2' });
      assert.deepEqual((await publishText(app, 'other', 'x')).json(), { id: '1' });
      assert.deepEqual(await everything(app, 'a'), {
        messages: [
          { id: '1', data: 'hello world' },
          { id: '2', data: 'again' },
        ],
        cursor: '2',
      });
    });
  });

  test('text/plain keeps any UTF-8 verbatim: multi-byte, newlines, a BOM, the empty string', async () => {
    await withApp({}, async (app) => {
      const samples = ['héllo 😀 日本', 'line1\nline2\r\n', '\uFEFFbom', ''];
      for (const data of samples) assert.equal((await publishText(app, 'u', data, 'text/plain; charset=UTF-8')).statusCode, 201);
      await publishText(app, 'u', 'ascii', 'text/plain; charset="us-ascii"');
      const body = (await everything(app, 'u')) as { messages: Array<{ data: string }> };
      assert.deepEqual(
        body.messages.map((m) => m.data),
        [...samples, 'ascii'],
      );
    });
  });

  test('JSON: data and event; unknown fields ignored; "event": null means none', async () => {
    await withApp({}, async (app) => {
      assert.deepEqual((await publishJson(app, 'j', { data: 'x', event: 'tick', extra: [1] })).json(), { id: '1' });
      const res = await publishJson(app, 'j', { data: 'y', event: null });
      assert.equal(res.statusCode, 201);
      await publishJson(app, 'j', '\uFEFF{"data":"z"}');
      assert.deepEqual(await everything(app, 'j'), {
        messages: [
          { id: '1', data: 'x', event: 'tick' },
          { id: '2', data: 'y' },
          { id: '3', data: 'z' },
        ],
        cursor: '3',
      });
    });
  });

  test('refused publishes answer 4xx and store nothing', async () => {
    await withApp({}, async (app) => {
      await publishText(app, 'keep', 'kept');
      const before = await everything(app, 'keep');
      const cases: Array<[Promise<LightMyRequestResponse>, keyof typeof REFERENCE_ERRORS, string]> = [
        [publishJson(app, 'keep', '{"data":'), 'malformed_json', 'not valid JSON'],
        [publishJson(app, 'keep', ''), 'malformed_json', 'empty'],
        [publishText(app, 'keep', Buffer.from([0x7b, 0xff, 0x7d]), 'application/json'), 'malformed_json', 'UTF-8'],
        [publishJson(app, 'keep', [1]), 'invalid_message', 'an array'],
        [publishJson(app, 'keep', '"just a string"'), 'invalid_message', 'a string'],
        [publishJson(app, 'keep', 'null'), 'invalid_message', 'null'],
        [publishJson(app, 'keep', {}), 'invalid_message', '"data" must be a string, it is missing'],
        [publishJson(app, 'keep', { data: 5 }), 'invalid_message', 'a number (5)'],
        [publishJson(app, 'keep', { data: { a: 1 } }), 'invalid_message', 'an object'],
        [publishJson(app, 'keep', { data: 'x', event: 5 }), 'invalid_message', '"event" must be a string or null'],
        [publishJson(app, 'keep', { data: 'x', event: '' }), 'invalid_event', 'event name ""'],
        [publishJson(app, 'keep', { data: 'x', event: 'a\nb' }), 'invalid_event', 'CR, LF or NUL'],
        [publishJson(app, 'keep', { data: 'x', event: 'e'.repeat(65) }), 'invalid_event', '1 to 64'],
        [publishText(app, 'keep', Buffer.from([0xc3, 0x28])), 'invalid_message', 'not valid UTF-8'],
        [publishText(app, 'keep', 'x', 'text/plain; charset=iso-8859-1'), 'unsupported_media_type', '"iso-8859-1"'],
        [publishText(app, 'keep', '<a/>', 'application/xml'), 'unsupported_media_type', '"application/xml"'],
        [publishText(app, 'keep', 'x', 'not a media type'), 'unsupported_media_type', '"not a media type"'],
        [app.inject({ method: 'POST', url: '/channels/keep/messages', payload: 'x' }), 'unsupported_media_type', '(none)'],
        [app.inject({ method: 'POST', url: '/channels/keep/messages' }), 'unsupported_media_type', 'none was given'],
        [publishText(app, 'bad%20name', 'x'), 'invalid_channel', '"bad name"'],
      ];
      for (const [pending, code, mentions] of cases) assertError(await pending, code, mentions);
      assert.deepEqual(await everything(app, 'keep'), before);
      assert.deepEqual((await app.inject({ url: '/stats' })).json(), { channels: 1, messages: 1, held: 0, streams: 0, slowClientsDropped: 0, sockets: 0, slowSocketsDropped: 0 });
    });
  });

  test('an invalid channel is reported before the body is looked at', async () => {
    await withApp({ maxMessageBytes: 4 }, async (app) => {
      assertError(await publishText(app, 'no!', 'far too long', 'application/xml'), 'invalid_channel', '"no!"');
    });
  });

  test('413 message_too_large above maxMessageBytes, exactly the limit is fine, nothing lost', async () => {
    await withApp({ maxMessageBytes: 16 }, async (app) => {
      assert.equal((await publishText(app, 'big', 'x'.repeat(16))).statusCode, 201);
      const tooBig = assertError(await publishText(app, 'big', 'x'.repeat(17)), 'message_too_large', '16-byte limit');
      assert.equal(tooBig.limit, 16);
      assertError(await publishText(app, 'big', 'é'.repeat(9)), 'message_too_large'); // 18 bytes, 9 characters
      assertError(await publishJson(app, 'big', { data: 'x'.repeat(10) }), 'message_too_large');
      assert.deepEqual(await everything(app, 'big'), { messages: [{ id: '1', data: 'x'.repeat(16) }], cursor: '1' });
    });
  });

  test('a bug answers 500 internal_error without leaking details', async () => {
    const { app, store } = buildReferenceApp();
    try {
      store.publish = () => {
        throw new Error('secret internals at /srv/app.ts:12');
      };
      const res = await publishText(app, 'a', 'x');
      const body = assertError(res, 'internal_error');
      assert.deepEqual(Object.keys(body).sort(), ['error', 'message']);
      assert.ok(!res.body.includes('secret') && !res.body.includes('.ts'), res.body);
    } finally {
      await app.close();
    }
  });

  test('a throwing store listener does not fail the publish', async () => {
    const { app, store } = buildReferenceApp();
    try {
      store.subscribe('a', () => {
        throw new Error('listener bug');
      });
      assert.equal((await publishText(app, 'a', 'x')).statusCode, 201);
      assert.equal(store.latestId('a'), '1');
    } finally {
      await app.close();
    }
  });
});

describe('polling', () => {
  test('without a cursor: empty batch and the latest id ("0" for an unknown channel)', async () => {
    await withApp({}, async (app) => {
      assert.deepEqual((await poll(app, 'fresh')).json(), { messages: [], cursor: '0' });
      await publishText(app, 'p', 'a');
      await publishText(app, 'p', 'b');
      const res = await poll(app, 'p');
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], JSON_TYPE);
      assert.equal(res.headers['cache-control'], 'no-store');
      assert.deepEqual(res.json(), { messages: [], cursor: '2' });
    });
  });

  test('from a cursor: later messages in order; an empty batch keeps the cursor', async () => {
    await withApp({}, async (app) => {
      const { cursor } = (await poll(app, 'p')).json() as { cursor: string };
      for (const data of ['a', 'b', 'c']) await publishText(app, 'p', data);
      const batch = (await poll(app, 'p', `?cursor=${cursor}`)).json() as { messages: Array<{ data: string }>; cursor: string };
      assert.deepEqual(
        batch.messages.map((m) => m.data),
        ['a', 'b', 'c'],
      );
      assert.equal(batch.cursor, '3');
      assert.deepEqual((await poll(app, 'p', '?cursor=1')).json(), {
        messages: [
          { id: '2', data: 'b' },
          { id: '3', data: 'c' },
        ],
        cursor: '3',
      });
      const empty = await poll(app, 'p', '?cursor=3');
      assert.equal(empty.statusCode, 200);
      assert.deepEqual(empty.json(), { messages: [], cursor: '3' });
      assert.deepEqual((await poll(app, 'never', '?cursor=0')).json(), { messages: [], cursor: '0' });
    });
  });

  test('history eviction: 410 cursor_expired with oldest; the last evicted id still works', async () => {
    await withApp({ historyLimit: 3 }, async (app) => {
      for (let i = 1; i <= 5; i += 1) await publishText(app, 'h', `m${i}`);
      for (const cursor of ['0', '1']) {
        const body = assertError(await poll(app, 'h', `?cursor=${cursor}`), 'cursor_expired', `"${cursor}"`);
        assert.equal(body.oldest, '3');
      }
      const boundary = await poll(app, 'h', '?cursor=2');
      assert.equal(boundary.statusCode, 200);
      assert.deepEqual(boundary.json(), {
        messages: [
          { id: '3', data: 'm3' },
          { id: '4', data: 'm4' },
          { id: '5', data: 'm5' },
        ],
        cursor: '5',
      });
    });
  });

  test('400 cursor_ahead for a cursor past the latest id, with latest', async () => {
    await withApp({}, async (app) => {
      await publishText(app, 'p', 'a');
      assert.equal(assertError(await poll(app, 'p', '?cursor=2'), 'cursor_ahead', '"2"').latest, '1');
      assert.equal(assertError(await poll(app, 'ghost', '?cursor=1'), 'cursor_ahead').latest, '0');
      assertError(await poll(app, 'p', `?cursor=${'9'.repeat(16)}`), 'cursor_ahead');
      assert.deepEqual((await app.inject({ url: '/stats' })).json(), { channels: 1, messages: 1, held: 0, streams: 0, slowClientsDropped: 0, sockets: 0, slowSocketsDropped: 0 });
    });
  });

  test('400 malformed_cursor names the bad value', async () => {
    await withApp({}, async (app) => {
      for (const [query, shown] of [
        ['?cursor=abc', '"abc"'],
        ['?cursor=01', '"01"'],
        ['?cursor=-1', '"-1"'],
        ['?cursor=', '""'],
        [`?cursor=${'1'.repeat(17)}`, '"11111111111111111"'],
        ['?cursor=1&cursor=2', '"1", "2"'],
      ] as const) {
        assertError(await poll(app, 'p', query), 'malformed_cursor', shown);
      }
    });
  });

  test('wait: with messages waiting or wait=0 the poll answers at once; a malformed one is 400 malformed_wait', async () => {
    await withApp({}, async (app) => {
      await publishText(app, 'p', 'a');
      assert.deepEqual((await poll(app, 'p', '?cursor=0&wait=30000')).json(), (await poll(app, 'p', '?cursor=0')).json());
      assert.deepEqual((await poll(app, 'p', '?wait=0')).json(), { messages: [], cursor: '1' });
      assert.deepEqual((await poll(app, 'p', '?cursor=1&wait=0')).json(), { messages: [], cursor: '1' });
      for (const wait of ['x', '-1', '1.5', '', '01', '1e3']) {
        assertError(await poll(app, 'p', `?cursor=0&wait=${wait}`), 'malformed_wait', `"${wait}"`);
      }
      assertError(await poll(app, 'p', '?cursor=0&wait=1&wait=2'), 'malformed_wait', '"1", "2" (given more than once)');
      // malformed_cursor wins over malformed_wait (docs: "Which check wins").
      assertError(await poll(app, 'p', '?cursor=x&wait=y'), 'malformed_cursor');
      assert.equal(assertError(await poll(app, 'p', '?cursor=5&wait=1000'), 'cursor_ahead').latest, '1');
    });
  });

  test('400 invalid_channel: bad characters, empty, too long (even very long)', async () => {
    await withApp({}, async (app) => {
      assert.equal((await poll(app, 'x'.repeat(128))).statusCode, 200);
      assertError(await poll(app, 'x'.repeat(129)), 'invalid_channel', 'channel name');
      assertError(await poll(app, 'x'.repeat(2000)), 'invalid_channel', 'longer than 128 characters');
      assertError(await poll(app, 'a%20b'), 'invalid_channel', '"a b"');
      assertError(await poll(app, 'caf%C3%A9'), 'invalid_channel', '"café"');
      assertError(await poll(app, ''), 'invalid_channel');
    });
  });

  test('HEAD answers like GET without a body', async () => {
    await withApp({}, async (app) => {
      const res = await app.inject({ method: 'HEAD', url: '/channels/p/messages' });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['cache-control'], 'no-store');
      assert.equal(res.body, '');
    });
  });
});

describe('unknown routes, methods and malformed requests', () => {
  test('404 not_found in JSON', async () => {
    await withApp({}, async (app) => {
      assertError(await app.inject({ url: '/nope?x=1' }), 'not_found', '"/nope"');
      assertError(await app.inject({ url: '/channels/a/messages/' }), 'not_found');
      assertError(await app.inject({ method: 'POST', url: '/nope', headers: { 'content-type': 'application/json' }, payload: '{' }), 'not_found');
    });
  });

  test('405 method_not_allowed with an Allow header, before any body is read', async () => {
    await withApp({ maxMessageBytes: 4 }, async (app) => {
      const put = await app.inject({
        method: 'PUT',
        url: '/channels/a/messages',
        headers: { 'content-type': 'application/json' },
        payload: '{ not json and too long',
      });
      assertError(put, 'method_not_allowed', 'PUT');
      // OPTIONS answers CORS preflights (reference/cors.ts).
      assert.equal(put.headers.allow, 'GET, HEAD, OPTIONS, POST');
      const del = await app.inject({ method: 'DELETE', url: '/stats' });
      assertError(del, 'method_not_allowed');
      assert.equal(del.headers.allow, 'GET, HEAD');
      assert.equal((await app.inject({ method: 'POST', url: '/' })).headers.allow, 'GET, HEAD');
      assertError(await app.inject({ method: 'PROPFIND', url: '/channels/a/messages' }), 'method_not_allowed');
    });
  });

  test('400 bad_request for a path with broken percent-encoding', async () => {
    await withApp({}, async (app) => {
      assertError(await app.inject({ url: '/channels/%E0%A4%A/messages' }), 'bad_request', 'percent-encoding');
    });
  });

  test('maps fastify and unknown errors onto the registry', () => {
    const fakeRequest = { url: '/channels/a/messages?cursor=1', headers: {} } as FastifyRequest;
    const limits = { maxMessageBytes: 10 };
    const map = (error: unknown): ReferenceHttpError => toReferenceError(error, fakeRequest, limits);
    assert.equal(map({ code: 'FST_ERR_CTP_INVALID_JSON_BODY', message: 'Unexpected token' }).code, 'malformed_json');
    assert.equal(map({ code: 'FST_ERR_CTP_EMPTY_JSON_BODY', message: 'empty' }).code, 'malformed_json');
    const length = map({ code: 'FST_ERR_CTP_INVALID_CONTENT_LENGTH', message: 'Request body size did not match Content-Length' });
    assert.equal(length.code, 'bad_request');
    assert.match(length.message, /"\/channels\/a\/messages" is malformed: Request body size did not match/);
    assert.equal(map({ code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' }).message.includes('"(none)"'), true);
    assert.equal(map(Object.assign(new Error('Client Timeout'), { statusCode: 408 })).code, 'bad_request');
    assert.equal(map(Object.assign(new Error('x'), { statusCode: 503 })).code, 'internal_error');
    assert.equal(map(new Error('boom')).code, 'internal_error');
    assert.equal(map(null).code, 'internal_error');
    const own = new ReferenceHttpError('not_found', 'x');
    assert.equal(map(own), own);
  });
});

describe('error registry', () => {
  test('every code maps to a 4xx/5xx status and a description; the class reports it', () => {
    for (const [code, { status, description }] of Object.entries(REFERENCE_ERRORS)) {
      assert.ok(status >= 400 && status < 600, code);
      assert.ok(description.length > 0, code);
      assert.equal(isReferenceErrorCode(code), true);
      assert.equal(new ReferenceHttpError(code as keyof typeof REFERENCE_ERRORS, 'm').statusCode, status);
    }
    assert.equal(isReferenceErrorCode('toString'), false);
    assert.equal(isReferenceErrorCode(404), false);
  });

  test('extra fields cannot replace error or message', async () => {
    const { app } = buildReferenceApp();
    try {
      app.get('/spoof', async () => {
        throw new ReferenceHttpError('not_found', 'real', { extra: { error: 'fake', message: 'fake', hint: 1 } });
      });
      assert.deepEqual((await app.inject({ url: '/spoof' })).json(), { error: 'not_found', message: 'real', hint: 1 });
    } finally {
      await app.close();
    }
  });
});

describe('message bodies', () => {
  test('text charsets: UTF-8 spellings and US-ASCII accepted, case-insensitively', () => {
    for (const type of ['text/plain', 'text/plain; charset=utf-8', 'text/plain;charset=UTF8', 'text/plain; charset="US-ASCII"']) {
      assert.deepEqual(decodeTextBody(Buffer.from('hi'), type), { data: 'hi' }, type);
    }
    assert.deepEqual(decodeTextBody(Buffer.alloc(0), undefined), { data: '' });
    assert.throws(() => decodeTextBody(Buffer.from('hi'), 'text/plain; charset=latin1'), { code: 'unsupported_media_type' });
  });

  test('JSON bodies', () => {
    assert.deepEqual(decodeJsonBody(Buffer.from('{"data":"x","event":"e"}')), { data: 'x', event: 'e' });
    assert.throws(() => decodeJsonBody(Buffer.from('true')), { code: 'invalid_message', message: /got a boolean \(true\)/ });
  });
});

describe('options', () => {
  test('defaults', () => {
    assert.deepEqual(resolveReferenceOptions(), {
      host: '127.0.0.1',
      port: 0,
      historyLimit: 1000,
      historyMaxBytes: 268435456,
      maxChannels: 10000,
      closedChannelLimit: 10000,
      maxMessageBytes: 1048576,
      maxHoldMs: 25000,
      sseRetryMs: 3000,
      sseKeepAliveMs: 15000,
      sseMaxBufferBytes: 4194304,
      wsMaxMessageBytes: 1048576,
      wsPingIntervalMs: 30000,
      wsMaxBufferBytes: 4194304,
      headersTimeoutMs: 10000,
      requestTimeoutMs: 30000,
      allowedOrigins: [],
      allowedHosts: [],
      publishToken: '',
      logger: false,
      redisPrefix: 'pushspec',
      http2: false,
    });
  });

  test('invalid options throw a TypeError naming the option and the value', () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ historyLimit: 0 }, /^historyLimit must be a positive integer, got number 0$/],
      [{ allowedHosts: 'push.example' }, /^allowedHosts must be an array of host names, got the string "push.example"$/],
      [{ allowedHosts: ['https://push.example'] }, /^allowedHosts\[0\]: "https:\/\/push.example" is not a host name or IP address/],
      [{ historyLimit: 1.5 }, /^historyLimit must be a positive integer, got number 1\.5$/],
      [{ historyLimit: '5' }, /^historyLimit must be a positive integer, got the string "5"$/],
      [{ maxMessageBytes: 0 }, /^maxMessageBytes must be a positive integer, got number 0$/],
      [{ maxMessageBytes: null }, /^maxMessageBytes must be a positive integer, got null$/],
      [{ port: -1 }, /^port must be an integer from 0 to 65535, got number -1$/],
      [{ port: 65536 }, /got number 65536/],
      [{ port: [80] }, /got an array/],
      [{ host: '' }, /^host must be a non-empty string, got the string ""$/],
      [{ host: {} }, /got an object/],
      [{ maxHoldMs: 0 }, /^maxHoldMs must be a positive integer of at most 3600000, got number 0$/],
      [{ maxHoldMs: 3_600_001 }, /^maxHoldMs must be a positive integer of at most 3600000, got number 3600001$/],
      [{ maxHoldMs: 2.5 }, /got number 2\.5$/],
      [{ maxHoldMs: '1000' }, /^maxHoldMs must be a positive integer of at most 3600000, got the string "1000"$/],
      [{ logger: 'yes' }, /^logger must be a boolean, got the string "yes"$/],
      [{ sseRetryMs: -1 }, /^sseRetryMs must be an integer from 0 to 3600000, got number -1$/],
      [{ sseRetryMs: 3_600_001 }, /got number 3600001$/],
      [{ sseRetryMs: 1.5 }, /got number 1\.5$/],
      [{ sseKeepAliveMs: 49 }, /^sseKeepAliveMs must be an integer from 50 to 3600000, got number 49$/],
      [{ sseKeepAliveMs: '100' }, /got the string "100"$/],
      [{ sseMaxBufferBytes: 1023 }, /^sseMaxBufferBytes must be an integer of at least 1024, got number 1023$/],
      [{ corsOrigins: 'https://a.example' }, /^corsOrigins must be an array of origins, got the string "https:\/\/a.example"$/],
      [{ corsOrigins: ['*', 5] }, /^corsOrigins\[1\]: an origin must be a string, got number$/],
      [{ corsOrigins: [null] }, /^corsOrigins\[0\]: an origin must be a string, got null$/],
      [{ corsOrigins: ['app.example'] }, /^corsOrigins\[0\]: "app.example" is not an origin: expected e.g. "https:\/\/app.example" or "\*"$/],
      [{ corsOrigins: ['https://App.example/'] }, /did you mean "https:\/\/app.example"\?\)$/],
      [{ corsOrigins: ['file:///tmp/x'] }, /^corsOrigins\[0\]: "file:\/\/\/tmp\/x" is not an origin as a browser sends it: expected scheme:\/\/host\[:port\]$/],
      [{ allowedOrigins: ['app.example'] }, /^allowedOrigins\[0\]: "app.example" is not an origin/],
      [{ historyMaxBytes: 1023 }, /^historyMaxBytes must be an integer of at least 1024, got number 1023$/],
      [{ maxChannels: 0 }, /^maxChannels must be a positive integer, got number 0$/],
      [{ closedChannelLimit: 1.5 }, /^closedChannelLimit must be a positive integer, got number 1\.5$/],
      [{ wsMaxBufferBytes: 100 }, /^wsMaxBufferBytes must be an integer of at least 1024, got number 100$/],
      [{ headersTimeoutMs: 5 }, /^headersTimeoutMs must be an integer from 10 to 3600000, got number 5$/],
      [{ requestTimeoutMs: '30000' }, /^requestTimeoutMs must be an integer from 10 to 3600000, got the string "30000"$/],
      [{ headersTimeoutMs: 20_000, requestTimeoutMs: 10_000 }, /^headersTimeoutMs \(20000\) must not be greater than requestTimeoutMs \(10000\)/],
      [{ publishToken: 'short' }, /^publishToken: must be 16 to 1024 characters long, got 5$/],
      [{ publishToken: 'sixteen chars and a space' }, /^publishToken: may contain only A-Z a-z 0-9/],
      [{ publishToken: 42 }, /^publishToken: must be a string, got number$/],
      [
        { historyLimt: 5 },
        /^unknown reference server option "historyLimt" \(known: host, port, historyLimit, historyMaxBytes, maxChannels, closedChannelLimit, maxMessageBytes, maxHoldMs, sseRetryMs, sseKeepAliveMs, sseMaxBufferBytes, wsMaxMessageBytes, wsPingIntervalMs, wsMaxBufferBytes, headersTimeoutMs, requestTimeoutMs, allowedOrigins, corsOrigins, allowedHosts, publishToken, logger, tls, redis, redisPrefix, http2\)$/,
      ],
      [{ redis: 'http://127.0.0.1:6379' }, /^redis must be a redis:\/\/ or rediss:\/\/ URL such as redis:\/\/127.0.0.1:6379, got the string "http:\/\/127.0.0.1:6379"$/],
      [{ redis: 6379 }, /^redis must be a redis:\/\/ or rediss:\/\/ URL .*, got number 6379$/],
      [{ redisPrefix: 'has space' }, /^redisPrefix must be 1 to 64 of A-Z a-z 0-9 \. _ : -, got the string "has space"$/],
      [null, /^reference server options must be an object, got null$/],
      [[], /got an array/],
    ];
    for (const [options, message] of cases) {
      assert.throws(() => buildReferenceApp(options as ReferenceOptions), { name: 'TypeError', message }, JSON.stringify(options));
    }
  });

  test('startReferenceServer validates options before listening', async () => {
    await assert.rejects(startReferenceServer({ historyLimit: -3 }), { name: 'TypeError', message: /historyLimit/ });
  });
});

describe('real server', () => {
  test('listens on an ephemeral loopback port, serves, and closes every connection', async () => {
    const server = await startReferenceServer({ historyLimit: 10 });
    const agent = new Agent({ keepAliveTimeout: 60_000 });
    try {
      assert.ok(server.port > 0);
      assert.equal(server.url, `http://127.0.0.1:${server.port}`);
      assert.equal(server.store.historyLimit, 10);
      const published = await request(`${server.url}/channels/live/messages`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: 'over the wire',
        dispatcher: agent,
      });
      assert.equal(published.statusCode, 201);
      assert.deepEqual(await published.body.json(), { id: '1' });
      const polled = await request(`${server.url}/channels/live/messages?cursor=0`, { dispatcher: agent });
      assert.equal(polled.statusCode, 200);
      assert.equal(polled.headers['cache-control'], 'no-store');
      assert.deepEqual(await polled.body.json(), { messages: [{ id: '1', data: 'over the wire' }], cursor: '1' });

      // The keep-alive socket is still open; close() must not wait for it.
      const closing = server.close();
      assert.equal(server.close(), closing, 'close() is idempotent');
      await closing;
      const open = await new Promise<number>((resolve, reject) =>
        server.app.server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
      );
      assert.equal(open, 0);
      await assert.rejects(request(`${server.url}/`, { dispatcher: agent }));
    } finally {
      await server.close();
      await agent.close();
    }
  });

  test('a port already in use rejects and leaves nothing running', async () => {
    const first = await startReferenceServer();
    try {
      await assert.rejects(startReferenceServer({ port: first.port }), { code: 'EADDRINUSE' });
    } finally {
      await first.close();
    }
  });
});

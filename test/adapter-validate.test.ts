import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateAdapter } from '../adapters/contract/validate.ts';
import {
  fillPlaceholders,
  hasPlaceholder,
  isJsonPointer,
  readJsonPointer,
} from '../core/placeholders.ts';
import { publishPlaceholders } from '../core/publisher.ts';
import { PushspecError } from '../core/errors.ts';

const SOURCE = 'adapters/mine.json';
const base = { name: 'mine', baseUrl: 'http://127.0.0.1:8080', protocol: 'pushspec-reference' };
const launch = { command: ['node', 'server.mjs', '--port', '{port}'] };
const publish = { url: '/channels/{channel}/messages', body: '{data}' };

/** The message of the PUSHSPEC_ERR_ADAPTER_INVALID that validating `value` raises. */
function problems(value: unknown, source = SOURCE): string {
  try {
    validateAdapter(value, source);
  } catch (error) {
    assert.ok(error instanceof PushspecError, `expected a PushspecError, got ${String(error)}`);
    assert.equal(error.code, 'PUSHSPEC_ERR_ADAPTER_INVALID');
    return error.message;
  }
  assert.fail(`expected ${JSON.stringify(value)} to be invalid`);
}

/** Asserts that validating `value` reports exactly `expected` (without the source prefix). */
function rejects(value: unknown, ...expected: string[]): void {
  assert.equal(problems(value), expected.map((line) => `${SOURCE}: ${line}`).join('\n'));
}

describe('validateAdapter', () => {
  it('accepts minimal and complete adapters and returns them', () => {
    assert.equal(validateAdapter(base, SOURCE), base);
    const full = {
      name: 'full.server_1-a',
      baseUrl: 'https://127.0.0.1:{port}/api',
      launch: { ...launch, cwd: 'srv', env: { PORT: '{port}' }, readyUrl: 'http://127.0.0.1:{port}/health', readyTimeoutMs: 120000 },
      polling: {
        path: 'http://127.0.0.1:{port}/poll/{channel}',
        cursor: { in: 'query', param: 'after' },
        emptyStatus: 204,
        format: { type: 'json', messages: '', data: '/d', cursor: '/c~1x', id: '/i', event: '/e' },
        start: 'oldest',
        historyLimit: 10,
        gapStatus: 599,
        malformedCursor: '',
      },
      publish: { method: 'PUT', url: '/p/{channel}', headers: { a: 'b' }, body: '{data}', idPointer: '' },
    };
    assert.equal(validateAdapter(full, SOURCE), full);
  });

  it('rejects a value that is not an object', () => {
    rejects([], 'the adapter is []; expected an object with at least "name" and "baseUrl"');
    rejects(null, 'the adapter is null; expected an object with at least "name" and "baseUrl"');
    rejects(undefined, 'the adapter is undefined; expected an object with at least "name" and "baseUrl"');
  });

  it('checks name', () => {
    const expected = 'expected a name of 1 to 64 letters, digits, ".", "_" or "-"';
    rejects({ ...base, name: undefined }, `field "name" is missing; ${expected}`);
    rejects({ ...base, name: 'has space' }, `field "name" is "has space"; ${expected}`);
    rejects({ ...base, name: '' }, `field "name" is ""; ${expected}`);
    rejects({ ...base, name: 7 }, `field "name" is 7; ${expected}`);
    // Long values are cut short in messages.
    assert.match(problems({ ...base, name: 'x'.repeat(65) }), /field "name" is "x{65}"; expected/);
    assert.match(problems({ ...base, name: 'x'.repeat(100) }), /field "name" is "x{76}\.\.\.; expected/);
    assert.doesNotThrow(() => validateAdapter({ ...base, name: 'x'.repeat(64) }, SOURCE));
  });

  it('checks baseUrl', () => {
    const expected = 'expected a URL such as "http://127.0.0.1:{port}"';
    rejects({ ...base, baseUrl: undefined }, `field "baseUrl" is missing; ${expected}`);
    rejects({ ...base, baseUrl: 'ftp://example.com' }, `field "baseUrl" is "ftp://example.com"; ${expected}`);
    rejects({ ...base, baseUrl: '127.0.0.1:8080' }, `field "baseUrl" is "127.0.0.1:8080"; ${expected}`);
    rejects({ ...base, launch, baseUrl: 'http://x:{port}x' }, `field "baseUrl" is "http://x:{port}x"; ${expected}`);
  });

  it('checks protocol', () => {
    rejects({ ...base, protocol: 'sse' }, 'field "protocol" is "sse"; expected one of "pushspec-reference"');
  });

  it('reports unknown fields, suggesting the closest known name within 2 edits', () => {
    rejects({ ...base, pollling: {} }, 'unknown field "pollling"; did you mean "polling"?');
    rejects({ ...base, Name2: 'x' }, 'unknown field "Name2"; did you mean "name"?');
    rejects({ ...base, long_polling: {} }, 'unknown field "long_polling"; did you mean "longPolling"?');
    rejects({ ...base, longPolling: { holdMS: 1000 } }, 'unknown field "longPolling.holdMS"; did you mean "longPolling.holdMs"?');
    rejects({ ...base, longPolling: { waitparm: 'w' } }, 'unknown field "longPolling.waitparm"; did you mean "longPolling.waitParam"?');
    rejects(
      { ...base, longPolling: { stats: { url: '/stats', heldpointer: '/held' } } },
      'unknown field "longPolling.stats.heldpointer"; did you mean "longPolling.stats.heldPointer"?',
      'field "longPolling.stats.heldPointer" is missing; expected a JSON Pointer to the number of held polls, such as "/held"',
    );
    rejects(
      { ...base, longPolling: { stats: { url: '/stats', heldPointer: '/held', count: 1 } } },
      'unknown field "longPolling.stats.count"; known fields are "url", "heldPointer", "heldPattern"',
    );
    rejects(
      { ...base, somethingElse: 1 },
      'unknown field "somethingElse"; known fields are "name", "baseUrl", "protocol", "tls", "launch", "cluster", "polling", "longPolling", "sse", "websocket", "publish"',
    );
    rejects({ ...base, SSE: {} }, 'unknown field "SSE"; did you mean "sse"?');
    rejects({ ...base, sse: { keepalive: 1000 } }, 'unknown field "sse.keepalive"; did you mean "sse.keepAliveMs"?');
    rejects({ ...base, sse: { lastEventIDParam: 'x' } }, 'unknown field "sse.lastEventIDParam"; did you mean "sse.lastEventIdParam"?');
    rejects({ ...base, sse: { heartbeat: 1000 } }, 'unknown field "sse.heartbeat"; known fields are "path", "session", "decode", "requestHeaders", "dataEncoding", "replay", "lastEventIdParam", "historyLimit", "gapEvent", "keepAliveMs", "retryMs", "close", "corsOrigin", "slowClientLimitBytes", "http2", "stats"');
    rejects({ ...base, sse: { close: { method: 'DELETE', url: '/c', urls: [] } } }, 'unknown field "sse.close.urls"; did you mean "sse.close.url"?');
    rejects({ ...base, webSocket: {} }, 'unknown field "webSocket"; did you mean "websocket"?');
    rejects({ ...base, websocket: { echopath: '/e' } }, 'unknown field "websocket.echopath"; did you mean "websocket.echoPath"?');
    rejects({ ...base, websocket: { subprotocol: [] } }, 'unknown field "websocket.subprotocol"; did you mean "websocket.subprotocols"?');
    rejects(
      { ...base, websocket: { heartbeat: 1000 } },
      'unknown field "websocket.heartbeat"; known fields are "echoPath", "channelPath", "messageFormat", "codec", "session", "upgrade", "cursorParam", "clientPublishes", ' +
        '"subprotocols", "allowedOrigins", "maxMessageBytes", "maxFrameBytes", "pingIntervalMs", "permessageDeflate", "http2"',
    );
    rejects({ ...base, polling: { emptystatus: 200 } }, 'unknown field "polling.emptystatus"; did you mean "polling.emptyStatus"?');
    rejects({ ...base, launch: { ...launch, readyURL: 'x' } }, 'unknown field "launch.readyURL"; did you mean "launch.readyUrl"?');
    rejects({ ...base, publish: { ...publish, header: {} } }, 'unknown field "publish.header"; did you mean "publish.headers"?');
    rejects({ ...base, polling: { cursor: { in: 'validators', param: 'x' } } }, 'unknown field "polling.cursor.param"; known fields are "in"');
    rejects({ ...base, polling: { cursor: { in: 'query', param: 'c', name: 'x' } } }, 'unknown field "polling.cursor.name"; known fields are "in", "param"');
    rejects({ ...base, polling: { cursor: { in: 'validators' }, format: { type: 'text', data: '/d' } } }, 'unknown field "polling.format.data"; known fields are "type"');
    rejects(
      { ...base, polling: { format: { type: 'json', messages: '/m', data: '/d', cursor: '/c', ids: '/i' } } },
      'unknown field "polling.format.ids"; did you mean "polling.format.id"?',
    );
  });

  it('reports every problem, one per line', () => {
    const message = problems({ name: 'a b', baseUrl: 3, polling: { emptyStatus: 201 }, extra: true });
    const lines = message.split('\n');
    assert.equal(lines.length, 6, message);
    assert.ok(lines.every((line) => line.startsWith(`${SOURCE}: `)));
    assert.match(message, /unknown field "extra"/);
    assert.match(message, /field "name" is "a b"/);
    assert.match(message, /field "baseUrl" is 3/);
    assert.match(message, /field "polling.path" is missing; expected a path starting with "\/"/);
    assert.match(message, /field "polling.emptyStatus" is 201; expected one of 200, 204, 304/);
    assert.match(message, /field "publish" is missing; "polling" cannot be checked without "publish"/);
  });

  it('checks launch', () => {
    rejects({ ...base, launch: 'node server.mjs' }, 'field "launch" is "node server.mjs"; expected an object such as {"command": ["node", "server.mjs", "--port", "{port}"]}');
    const commandExpected = 'expected a non-empty array of strings such as ["node", "server.mjs", "--port", "{port}"]';
    rejects({ ...base, launch: {} }, `field "launch.command" is missing; ${commandExpected}`);
    rejects({ ...base, launch: { command: [] } }, `field "launch.command" is []; ${commandExpected}`);
    rejects({ ...base, launch: { command: 'node' } }, `field "launch.command" is "node"; ${commandExpected}`);
    rejects({ ...base, launch: { command: [''] } }, `field "launch.command" is [""]; ${commandExpected}`);
    rejects({ ...base, launch: { command: ['node', 3] } }, 'field "launch.command[1]" is 3; expected a string');
    rejects({ ...base, launch: { ...launch, cwd: 1 } }, 'field "launch.cwd" is 1; expected a folder path (relative to the adapter file)');
    rejects({ ...base, launch: { ...launch, env: ['A'] } }, 'field "launch.env" is ["A"]; expected an object whose values are strings');
    rejects(
      { ...base, launch: { ...launch, env: { PORT: 8080, 'MY-VAR': true } } },
      'field "launch.env.PORT" is 8080; expected a string (environment values are text: write "8080")',
      'field "launch.env["MY-VAR"]" is true; expected a string (environment values are text: write "true")',
    );
    rejects({ ...base, launch: { ...launch, readyUrl: '/health' } }, 'field "launch.readyUrl" is "/health"; expected a URL such as "http://127.0.0.1:{port}"');
    const timeoutExpected = 'expected a whole number of milliseconds from 1 to 120000';
    for (const bad of [0, -5, 1.5, 120001, '100']) {
      rejects({ ...base, launch: { ...launch, readyTimeoutMs: bad } }, `field "launch.readyTimeoutMs" is ${JSON.stringify(bad)}; ${timeoutExpected}`);
    }
  });

  it('requires launch wherever {port} is used', () => {
    const why = 'expected a fixed port: {port} is only filled in when pushspec starts the server, so add "launch" or write the port the server listens on';
    rejects({ ...base, baseUrl: 'http://127.0.0.1:{port}' }, `field "baseUrl" is "http://127.0.0.1:{port}"; ${why}`);
    rejects(
      { ...base, polling: { path: 'http://127.0.0.1:{port}/p' }, publish: { ...publish, headers: { host: 'h:{port}' } } },
      `field "polling.path" is "http://127.0.0.1:{port}/p"; ${why}`,
      `field "publish.headers.host" is "h:{port}"; ${why}`,
    );
    assert.doesNotThrow(() => validateAdapter({ ...base, baseUrl: 'http://127.0.0.1:{port}', launch }, SOURCE));
  });

  it('checks polling fields', () => {
    const noProtocol = { name: 'mine', baseUrl: 'http://127.0.0.1:8080', publish };
    rejects({ ...base, polling: [] }, 'field "polling" is []; expected an object such as {"path": "/channels/{channel}/messages"}');
    const pathExpected = 'expected a path starting with "/" (such as "/channels/{channel}/messages") or an http(s) URL';
    rejects({ ...noProtocol, polling: {} }, `field "polling.path" is missing; ${pathExpected}`);
    rejects({ ...base, polling: { path: 'messages' } }, `field "polling.path" is "messages"; ${pathExpected}`);
    rejects({ ...base, polling: { cursor: 'query' } }, 'field "polling.cursor" is "query"; expected {"in": "query", "param": "cursor"}, {"in": "validators"} or {"in": "none"}');
    rejects({ ...base, polling: { cursor: { in: 'header' } } }, 'field "polling.cursor.in" is "header"; expected one of "query", "validators", "none"');
    rejects({ ...base, polling: { cursor: { in: 'query' } } }, 'field "polling.cursor.param" is missing; expected the name of the query parameter, such as "cursor"');
    rejects({ ...base, polling: { cursor: { in: 'query', param: '' } } }, 'field "polling.cursor.param" is ""; expected the name of the query parameter, such as "cursor"');
    rejects({ ...base, polling: { emptyStatus: 201 } }, 'field "polling.emptyStatus" is 201; expected one of 200, 204, 304');
    rejects({ ...base, polling: { emptyStatus: '204' } }, 'field "polling.emptyStatus" is "204"; expected one of 200, 204, 304');
    rejects({ ...base, polling: { start: 'latest' } }, 'field "polling.start" is "latest"; expected one of "newest", "oldest"');
    for (const bad of [0, 2.5, '10']) {
      rejects({ ...base, polling: { historyLimit: bad } }, `field "polling.historyLimit" is ${JSON.stringify(bad)}; expected a positive whole number of messages`);
    }
    for (const bad of [399, 600, 410.5]) {
      rejects({ ...base, polling: { gapStatus: bad } }, `field "polling.gapStatus" is ${bad}; expected an HTTP error status from 400 to 599, such as 410`);
    }
    rejects({ ...base, polling: { malformedCursor: 5 } }, 'field "polling.malformedCursor" is 5; expected a string the server must refuse as a cursor, such as "not-a-cursor"');
  });

  it('allows emptyStatus 304 only with validators, and says why', () => {
    const why = 'expected 200 or 204: 304 Not Modified only answers a conditional request (If-None-Match / If-Modified-Since), so it needs "polling.cursor": {"in": "validators"}';
    rejects({ ...base, polling: { emptyStatus: 304 } }, `field "polling.emptyStatus" is 304 but "polling.cursor.in" is "query"; ${why}`);
    rejects(
      { ...base, polling: { emptyStatus: 304, cursor: { in: 'query', param: 'c' } } },
      `field "polling.emptyStatus" is 304 but "polling.cursor.in" is "query"; ${why}`,
    );
    const ok = { ...base, polling: { emptyStatus: 304, cursor: { in: 'validators' }, format: { type: 'text' } } };
    assert.equal(validateAdapter(ok, SOURCE), ok);
  });

  it('checks the batch format', () => {
    const formatExpected = 'expected {"type": "json", "messages": "/messages", "data": "/data", ...} or {"type": "text"}';
    rejects({ ...base, polling: { format: 'json' } }, `field "polling.format" is "json"; ${formatExpected}`);
    rejects({ ...base, polling: { format: { type: 'xml' } } }, `field "polling.format.type" is "xml"; ${formatExpected}`);
    const pointer = 'expected a JSON Pointer: "" or a string starting with "/", such as "/messages"';
    rejects(
      { ...base, polling: { format: { type: 'json', cursor: '/c', messages: 'messages', event: '/a~2' } } },
      `field "polling.format.messages" is "messages"; ${pointer}`,
      `field "polling.format.data" is missing; ${pointer}`,
      `field "polling.format.event" is "/a~2"; ${pointer}`,
    );
    // A query cursor is read back from the body, so the format has to locate it.
    const needCursor = 'field "polling.format.cursor" is missing; expected a JSON Pointer to the next cursor in the body, because "polling.cursor.in" is "query" (or use "polling.cursor": {"in": "validators"})';
    rejects({ ...base, polling: { format: { type: 'text' } } }, needCursor);
    rejects({ ...base, polling: { format: { type: 'json', messages: '/m', data: '/d' } } }, needCursor);
  });

  it('checks publish templates', () => {
    const noProtocol = { name: 'mine', baseUrl: 'http://127.0.0.1:8080' };
    const template = 'a request template such as {"url": "/channels/{channel}/messages", "body": "{data}"}';
    rejects({ ...base, publish: 'POST /x' }, `field "publish" is "POST /x"; expected ${template}`);
    rejects({ ...base, publish: { ...publish, method: 'GET' } }, 'field "publish.method" is "GET"; expected one of "POST", "PUT"');
    rejects(
      { ...noProtocol, publish: {} },
      'field "publish.url" is missing; expected a path starting with "/" (such as "/channels/{channel}/messages") or an http(s) URL',
      'field "publish.body" is missing; expected a body template string such as "{data}" or "{\\"data\\":{data:json}}"',
    );
    rejects({ ...base, publish: { url: 'x' } }, 'field "publish.url" is "x"; expected a path starting with "/" (such as "/channels/{channel}/messages") or an http(s) URL');
    rejects({ ...base, publish: { body: 1 } }, 'field "publish.body" is 1; expected a body template string such as "{data}" or "{\\"data\\":{data:json}}"');
    rejects({ ...base, publish: { headers: 'x' } }, 'field "publish.headers" is "x"; expected an object whose values are strings');
    rejects({ ...base, publish: { headers: { 'x-n': 1 } } }, 'field "publish.headers["x-n"]" is 1; expected a string (header values are text: write "1")');
    rejects({ ...base, publish: { idPointer: 'id' } }, 'field "publish.idPointer" is "id"; expected a JSON Pointer: "" or a string starting with "/", such as "/messages"');
    // With a protocol, a partial template overrides the protocol's field by field.
    assert.doesNotThrow(() => validateAdapter({ ...base, publish: { idPointer: '/msg/id' } }, SOURCE));
    assert.doesNotThrow(() => validateAdapter({ ...noProtocol, publish: { url: 'https://h/x', body: '' } }, SOURCE));
  });

  it('accepts a publish function only from a module', () => {
    const fn = { ...base, publish: async () => ({}) };
    assert.equal(validateAdapter(fn, 'adapters/mine.ts'), fn);
    assert.equal(validateAdapter(fn, 'adapters/mine.mjs'), fn);
    assert.equal(validateAdapter(fn, 'inline', { allowFunctions: true }), fn);
    rejects(fn, 'field "publish" is a function; expected a request template such as {"url": "/channels/{channel}/messages", "body": "{data}"}: a function is only possible in a .ts/.js adapter module');
    assert.throws(() => validateAdapter(fn, 'adapters/mine.ts', { allowFunctions: false }), /is a function/);
  });

  it('refuses a technique without any way to publish', () => {
    rejects(
      { name: 'mine', baseUrl: 'http://127.0.0.1:8080', polling: { path: '/p', cursor: { in: 'validators' } } },
      'field "publish" is missing; "polling" cannot be checked without "publish": the harness must make the server emit messages, so give a request template such as {"url": "/channels/{channel}/messages", "body": "{data}"} (or set "protocol")',
    );
    // Declaring no technique is allowed: every technique is then reported unsupported.
    assert.doesNotThrow(() => validateAdapter({ name: 'mine', baseUrl: 'http://127.0.0.1:8080' }, SOURCE));
  });

  it('accepts a complete longPolling section', () => {
    const full = {
      name: 'lp',
      baseUrl: 'http://127.0.0.1:8080',
      longPolling: {
        path: '/lp/{channel}',
        cursor: { in: 'query', param: 'after' },
        waitParam: 'wait.ms_~-1',
        holdMs: 100,
        maxHoldMs: 3_600_000,
        timeoutStatus: 408,
        format: { type: 'json', messages: '/m', data: '/d', cursor: '/c' },
        start: 'oldest',
        concurrentPolls: 'reject-new',
        malformedCursor: '',
        stats: { url: 'http://127.0.0.1:8080/admin/stats', heldPointer: '' },
      },
      publish,
    };
    assert.equal(validateAdapter(full, SOURCE), full);
    for (const concurrentPolls of ['independent', 'preempt-old']) {
      assert.doesNotThrow(() => validateAdapter({ ...base, longPolling: { concurrentPolls } }, SOURCE));
    }
    // With a protocol every field is optional; holdMs and maxHoldMs may be equal.
    assert.doesNotThrow(() => validateAdapter({ ...base, longPolling: {} }, SOURCE));
    assert.doesNotThrow(() => validateAdapter({ ...base, longPolling: { holdMs: 120_000, maxHoldMs: 120_000 } }, SOURCE));
    assert.doesNotThrow(() => validateAdapter({ ...base, longPolling: { holdMs: 25_000 } }, SOURCE));
  });

  it('checks longPolling fields', () => {
    const noProtocol = { name: 'mine', baseUrl: 'http://127.0.0.1:8080', publish };
    rejects({ ...base, longPolling: true }, 'field "longPolling" is true; expected an object such as {"path": "/channels/{channel}/messages", "waitParam": "wait"}');
    const pathExpected = 'expected a path starting with "/" (such as "/channels/{channel}/messages") or an http(s) URL';
    rejects({ ...noProtocol, longPolling: {} }, `field "longPolling.path" is missing; ${pathExpected}`);
    rejects({ ...base, longPolling: { path: 'lp' } }, `field "longPolling.path" is "lp"; ${pathExpected}`);
    rejects({ ...base, longPolling: { cursor: ['query'] } }, 'field "longPolling.cursor" is ["query"]; expected {"in": "query", "param": "cursor"}, {"in": "validators"} or {"in": "none"}');
    rejects({ ...base, longPolling: { cursor: { in: 'cookie' } } }, 'field "longPolling.cursor.in" is "cookie"; expected one of "query", "validators", "none"');
    rejects({ ...base, longPolling: { cursor: { in: 'query', param: 3 } } }, 'field "longPolling.cursor.param" is 3; expected the name of the query parameter, such as "cursor"');
    rejects({ ...base, longPolling: { cursor: { in: 'validators', param: 'c' } } }, 'unknown field "longPolling.cursor.param"; known fields are "in"');
    // A storeless server (Pushpin) keeps no cursor: text answers need no cursor pointer then.
    assert.doesNotThrow(() => validateAdapter({ ...base, longPolling: { cursor: { in: 'none' }, format: { type: 'text' } } }, SOURCE));
    rejects({ ...base, longPolling: { cursor: { in: 'none', param: 'c' } } }, 'unknown field "longPolling.cursor.param"; known fields are "in"');
    const waitExpected = 'expected the name of the query parameter carrying the hold in milliseconds (letters, digits, ".", "_", "~" or "-"), such as "wait"';
    for (const bad of ['', 'wait ms', 'wait=1', 'w&x', 5]) {
      rejects({ ...base, longPolling: { waitParam: bad } }, `field "longPolling.waitParam" is ${JSON.stringify(bad)}; ${waitExpected}`);
    }
    rejects({ ...base, longPolling: { start: 'latest' } }, 'field "longPolling.start" is "latest"; expected one of "newest", "oldest"');
    rejects(
      { ...base, longPolling: { concurrentPolls: 'preempt-new' } },
      'field "longPolling.concurrentPolls" is "preempt-new"; expected one of "independent", "preempt-old", "reject-new", "close-both"',
    );
    rejects({ ...base, longPolling: { malformedCursor: null } }, 'field "longPolling.malformedCursor" is null; expected a string the server must refuse as a cursor, such as "not-a-cursor"');
  });

  it('checks holdMs and maxHoldMs, saying both values when the maximum is below the hold', () => {
    const holdExpected = 'expected a whole number of milliseconds from 100 to 120000 (keep it near 1000 so the suite runs in seconds)';
    for (const bad of [99, 120_001, 1000.5, '1000', null]) {
      rejects({ ...base, longPolling: { holdMs: bad } }, `field "longPolling.holdMs" is ${JSON.stringify(bad)}; ${holdExpected}`);
    }
    const maxExpected = 'expected a whole number of milliseconds from "longPolling.holdMs" to 3600000 (one hour)';
    for (const bad of [3_600_001, 2000.5, '2000']) {
      rejects({ ...base, longPolling: { maxHoldMs: bad } }, `field "longPolling.maxHoldMs" is ${JSON.stringify(bad)}; ${maxExpected}`);
    }
    const raise = 'no server holds a poll longer than its maximum, so lower "longPolling.holdMs" or raise "longPolling.maxHoldMs"';
    rejects(
      { ...base, longPolling: { holdMs: 2000, maxHoldMs: 1999 } },
      `field "longPolling.maxHoldMs" is 1999 but "longPolling.holdMs" is 2000; expected at least 2000: ${raise}`,
    );
    rejects(
      { ...base, longPolling: { maxHoldMs: 500 } },
      `field "longPolling.maxHoldMs" is 500 but "longPolling.holdMs" is 1000 (the default); expected at least 1000: ${raise}`,
    );
    rejects(
      { ...base, longPolling: { maxHoldMs: -1 } },
      `field "longPolling.maxHoldMs" is -1 but "longPolling.holdMs" is 1000 (the default); expected at least 1000: ${raise}`,
    );
    // A wrong holdMs is reported once, not compared with maxHoldMs as well.
    rejects({ ...base, longPolling: { holdMs: 50, maxHoldMs: 60 } }, `field "longPolling.holdMs" is 50; ${holdExpected}`);
    // The reference protocol holds 25 s at most unless maxHoldMs says the server was configured otherwise.
    rejects(
      { ...base, longPolling: { holdMs: 30_000 } },
      'field "longPolling.holdMs" is 30000 but "longPolling.maxHoldMs" is 25000 (the "pushspec-reference" default); ' +
        'expected at most 25000, or declare the server\'s longer "longPolling.maxHoldMs"',
    );
    assert.doesNotThrow(() => validateAdapter({ ...base, longPolling: { holdMs: 30_000, maxHoldMs: 60_000 } }, SOURCE));
    // Without a protocol maxHoldMs defaults to holdMs, whatever it is.
    assert.doesNotThrow(() => validateAdapter({ name: 'x', baseUrl: 'http://h:1', publish, longPolling: { path: '/lp', holdMs: 30_000 } }, SOURCE));
  });

  it('checks timeoutStatus, explaining why an error status is refused', () => {
    for (const ok of [200, 204, 408]) assert.doesNotThrow(() => validateAdapter({ ...base, longPolling: { timeoutStatus: ok } }, SOURCE));
    const why =
      'expected the status of a poll whose hold ran out: a server whose held polls end in 504 or another error ' +
      'does not time out on its own; declare 200, 204, 304, or 408 for a legacy server';
    for (const bad of [504, 500, 400]) {
      rejects({ ...base, longPolling: { timeoutStatus: bad } }, `field "longPolling.timeoutStatus" is ${bad}; ${why}`);
    }
    for (const bad of [202, '200', 504.5]) {
      rejects({ ...base, longPolling: { timeoutStatus: bad } }, `field "longPolling.timeoutStatus" is ${JSON.stringify(bad)}; expected one of 200, 204, 304, 408`);
    }
  });

  it('allows timeoutStatus 304 only with validators, and says why', () => {
    const why =
      'expected 200, 204 or 408: 304 Not Modified only answers a conditional request (If-None-Match / If-Modified-Since), ' +
      'so it needs "longPolling.cursor": {"in": "validators"}';
    rejects({ ...base, longPolling: { timeoutStatus: 304 } }, `field "longPolling.timeoutStatus" is 304 but "longPolling.cursor.in" is "query"; ${why}`);
    const ok = { ...base, longPolling: { timeoutStatus: 304, cursor: { in: 'validators' }, format: { type: 'text' } } };
    assert.equal(validateAdapter(ok, SOURCE), ok);
  });

  it('checks the long-polling batch format like the polling one', () => {
    const formatExpected = 'expected {"type": "json", "messages": "/messages", "data": "/data", ...} or {"type": "text"}';
    rejects({ ...base, longPolling: { format: 'text' } }, `field "longPolling.format" is "text"; ${formatExpected}`);
    rejects({ ...base, longPolling: { format: {} } }, `field "longPolling.format.type" is missing; ${formatExpected}`);
    const pointer = 'expected a JSON Pointer: "" or a string starting with "/", such as "/messages"';
    rejects(
      { ...base, longPolling: { format: { type: 'json', messages: '/m', data: 'd', cursor: '/c', id: 1 } } },
      `field "longPolling.format.data" is "d"; ${pointer}`,
      `field "longPolling.format.id" is 1; ${pointer}`,
    );
    rejects({ ...base, longPolling: { cursor: { in: 'validators' }, format: { type: 'text', cursor: '/c' } } }, 'unknown field "longPolling.format.cursor"; known fields are "type"');
    rejects(
      { ...base, longPolling: { format: { type: 'json', messages: '/m', data: '/d', curser: '/c' } } },
      'unknown field "longPolling.format.curser"; did you mean "longPolling.format.cursor"?',
      'field "longPolling.format.cursor" is missing; expected a JSON Pointer to the next cursor in the body, because "longPolling.cursor.in" is "query" (or use "longPolling.cursor": {"in": "validators"})',
    );
    const needCursor =
      'field "longPolling.format.cursor" is missing; expected a JSON Pointer to the next cursor in the body, because ' +
      '"longPolling.cursor.in" is "query" (or use "longPolling.cursor": {"in": "validators"})';
    rejects({ ...base, longPolling: { format: { type: 'text' } } }, needCursor);
    rejects({ ...base, longPolling: { cursor: { in: 'query', param: 'c' }, format: { type: 'json', messages: '/m', data: '/d' } } }, needCursor);
  });

  it('checks longPolling.stats', () => {
    rejects({ ...base, longPolling: { stats: '/stats' } }, 'field "longPolling.stats" is "/stats"; expected an object such as {"url": "/stats", "heldPointer": "/held"}');
    rejects(
      { ...base, longPolling: { stats: {} } },
      'field "longPolling.stats.url" is missing; expected a path starting with "/" (such as "/stats") or an http(s) URL answering JSON',
      'field "longPolling.stats.heldPointer" is missing; expected a JSON Pointer to the number of held polls, such as "/held"',
    );
    rejects(
      { ...base, longPolling: { stats: { url: 'stats', heldPointer: 'held' } } },
      'field "longPolling.stats.url" is "stats"; expected a path starting with "/" (such as "/stats") or an http(s) URL answering JSON',
      'field "longPolling.stats.heldPointer" is "held"; expected a JSON Pointer to the number of held polls, such as "/held"',
    );
    // A text status page (Nchan's nchan_stub_status) is read with a pattern instead of a pointer.
    const nchan = { ...base, longPolling: { stats: { url: '/nchan_status', heldPattern: '^subscribers: (\\d+)$' } } };
    assert.equal(validateAdapter(nchan, SOURCE), nchan);
    rejects(
      { ...base, longPolling: { stats: { url: '/s', heldPattern: '^subscribers: \\d+$' } } },
      'field "longPolling.stats.heldPattern" is "^subscribers: \\\\d+$"; expected a regular expression whose first group is the number of held polls, such as "^subscribers: (\\\\d+)$"',
    );
    rejects(
      { ...base, longPolling: { stats: { url: '/s', heldPointer: '/n', heldPattern: '(\\d+)' } } },
      'fields "longPolling.stats.heldPointer" and "longPolling.stats.heldPattern" are both given; expected one of them: "heldPointer" for a JSON answer, "heldPattern" for a text one',
    );
  });

  it('checks sse.stats', () => {
    rejects({ ...base, sse: { stats: '/stats' } }, 'field "sse.stats" is "/stats"; expected an object such as {"url": "/stats", "streamsPointer": "/streams"}');
    rejects(
      { ...base, sse: { stats: {} } },
      'field "sse.stats.url" is missing; expected a path starting with "/" (such as "/stats") or an http(s) URL answering JSON',
      'field "sse.stats.streamsPointer" is missing; expected a JSON Pointer to the number of open event streams, such as "/streams"',
    );
    rejects(
      { ...base, sse: { stats: { url: 'stats', streamsPointer: 'streams' } } },
      'field "sse.stats.url" is "stats"; expected a path starting with "/" (such as "/stats") or an http(s) URL answering JSON',
      'field "sse.stats.streamsPointer" is "streams"; expected a JSON Pointer to the number of open event streams, such as "/streams"',
    );
    const nchan = { ...base, sse: { stats: { url: '/nchan_status', streamsPattern: '^subscribers: (\\d+)$' } } };
    assert.equal(validateAdapter(nchan, SOURCE), nchan);
    rejects(
      { ...base, sse: { stats: { url: '/s', streamsPattern: '^subscribers: (\\d+$' } } },
      'field "sse.stats.streamsPattern" is "^subscribers: (\\\\d+$"; expected a regular expression whose first group is the number of open event streams, such as "^subscribers: (\\\\d+)$"',
    );
    rejects(
      { ...base, sse: { stats: { url: '/s', streamsPointer: '/n', streamsPattern: '(\\d+)' } } },
      'fields "sse.stats.streamsPointer" and "sse.stats.streamsPattern" are both given; expected one of them: "streamsPointer" for a JSON answer, "streamsPattern" for a text one',
    );
  });

  it('accepts a decode function as format only from a module, with any cursor transport', () => {
    const decode = () => ({ kind: 'batch' as const, messages: [] });
    for (const technique of ['polling', 'longPolling']) {
      // A decoder returns the cursor itself, so a query cursor needs no pointer.
      const fn = { ...base, [technique]: { format: decode } };
      assert.equal(validateAdapter(fn, 'adapters/mine.ts'), fn);
      assert.equal(validateAdapter(fn, 'adapters/mine.mts'), fn);
      assert.equal(validateAdapter(fn, 'adapters/mine.cjs'), fn);
      assert.equal(validateAdapter(fn, 'inline', { allowFunctions: true }), fn);
      const validators = { ...base, [technique]: { format: decode, cursor: { in: 'validators' } } };
      assert.equal(validateAdapter(validators, 'adapters/mine.ts'), validators);
      rejects(
        fn,
        `field "${technique}.format" is a function; expected {"type": "json", "messages": "/messages", "data": "/data", ...} or {"type": "text"}: ` +
          'a decode function is only possible in a .ts/.js adapter module',
      );
      assert.throws(() => validateAdapter(fn, 'adapters/mine.ts', { allowFunctions: false }), /format" is a function/);
    }
  });

  it('refuses long-polling without any way to publish', () => {
    const why = 'the harness must make the server emit messages, so give a request template such as {"url": "/channels/{channel}/messages", "body": "{data}"} (or set "protocol")';
    rejects(
      { name: 'mine', baseUrl: 'http://127.0.0.1:8080', polling: { path: '/p', cursor: { in: 'validators' } }, longPolling: { path: '/lp' } },
      `field "publish" is missing; "polling" cannot be checked without "publish": ${why}`,
      `field "publish" is missing; "longPolling" cannot be checked without "publish": ${why}`,
    );
    assert.doesNotThrow(() => validateAdapter({ ...base, longPolling: {} }, SOURCE));
  });

  it('requires launch for {port} in long-polling URLs too', () => {
    rejects(
      { ...base, longPolling: { stats: { url: 'http://127.0.0.1:{port}/stats', heldPointer: '/held' } } },
      'field "longPolling.stats.url" is "http://127.0.0.1:{port}/stats"; expected a fixed port: {port} is only filled in when pushspec starts the server, so add "launch" or write the port the server listens on',
    );
  });

  it('accepts a complete sse section, and a partial one with a protocol', () => {
    const full = {
      name: 'sse',
      baseUrl: 'http://127.0.0.1:8080',
      sse: {
        path: 'https://127.0.0.1:8443/events/{channel}',
        requestHeaders: { authorization: 'Bearer t', "x-!#$%&'*+-.^_`|~": '' },
        dataEncoding: 'json',
        replay: true,
        lastEventIdParam: 'last.event_id~-1',
        historyLimit: 1,
        gapEvent: 'gap ü',
        keepAliveMs: 50,
        retryMs: 0,
        close: { method: 'POST', url: 'http://127.0.0.1:8080/channels/{channel}/close' },
        corsOrigin: 'http://localhost:3000',
        slowClientLimitBytes: 1024,
      },
      publish,
    };
    assert.equal(validateAdapter(full, SOURCE), full);
    const upper = { ...full, sse: { ...full.sse, keepAliveMs: 3_600_000, retryMs: 3_600_000, corsOrigin: 'https://app.example', dataEncoding: 'raw' } };
    assert.equal(validateAdapter(upper, SOURCE), upper);
    // Without replay nothing about resuming is declared; with a protocol every field is optional.
    assert.doesNotThrow(() => validateAdapter({ name: 'x', baseUrl: 'http://h:1', sse: { path: '/e', replay: false }, publish }, SOURCE));
    assert.doesNotThrow(() => validateAdapter({ name: 'x', baseUrl: 'http://h:1', sse: { path: '/e' }, publish }, SOURCE));
    assert.doesNotThrow(() => validateAdapter({ ...base, sse: {} }, SOURCE));
    assert.doesNotThrow(() => validateAdapter({ ...base, sse: { replay: false, close: { method: 'DELETE', url: '/c/{channel}' } } }, SOURCE));
  });

  it('checks sse fields', () => {
    const noProtocol = { name: 'mine', baseUrl: 'http://127.0.0.1:8080', publish };
    rejects({ ...base, sse: 'yes' }, 'field "sse" is "yes"; expected an object such as {"path": "/channels/{channel}/events"}');
    rejects({ ...base, sse: [] }, 'field "sse" is []; expected an object such as {"path": "/channels/{channel}/events"}');
    const pathExpected = 'expected a path starting with "/" (such as "/channels/{channel}/events") or an http(s) URL';
    rejects({ ...noProtocol, sse: {} }, `field "sse.path" is missing; ${pathExpected}`);
    rejects({ ...base, sse: { path: 'events' } }, `field "sse.path" is "events"; ${pathExpected}`);
    rejects({ ...base, sse: { path: 'ws://h/events' } }, `field "sse.path" is "ws://h/events"; ${pathExpected}`);
    for (const bad of ['json5', 'JSON', true]) {
      rejects({ ...base, sse: { dataEncoding: bad } }, `field "sse.dataEncoding" is ${JSON.stringify(bad)}; expected one of "raw", "json"`);
    }
    for (const bad of ['true', 1, null]) {
      rejects({ ...base, sse: { replay: bad } }, `field "sse.replay" is ${JSON.stringify(bad)}; expected true or false`);
    }
    const paramExpected =
      'expected the name of the query parameter carrying a last event id on a first connection (letters, digits, ".", "_", "~" or "-"), such as "lastEventId"';
    for (const bad of ['', 'last id', 'id=1', 'a&b', 7]) {
      rejects({ ...base, sse: { lastEventIdParam: bad } }, `field "sse.lastEventIdParam" is ${JSON.stringify(bad)}; ${paramExpected}`);
    }
    for (const bad of [0, -1, 2.5, '10']) {
      rejects({ ...base, sse: { historyLimit: bad } }, `field "sse.historyLimit" is ${JSON.stringify(bad)}; expected a positive whole number of messages`);
    }
    const eventExpected = 'expected an event name: a non-empty string without CR, LF or NUL, such as "gap"';
    for (const bad of ['', 'a\nb', 'a\rb', 'a\u0000b', 3]) {
      rejects({ ...base, sse: { gapEvent: bad } }, `field "sse.gapEvent" is ${JSON.stringify(bad)}; ${eventExpected}`);
    }
    const keepAliveExpected = 'expected a whole number of milliseconds from 50 to 3600000 (one hour)';
    for (const bad of [49, 3_600_001, 100.5, '15000']) {
      rejects({ ...base, sse: { keepAliveMs: bad } }, `field "sse.keepAliveMs" is ${JSON.stringify(bad)}; ${keepAliveExpected}`);
    }
    const retryExpected = 'expected a whole number of milliseconds from 0 to 3600000 (one hour)';
    for (const bad of [-1, 3_600_001, 0.5, null]) {
      rejects({ ...base, sse: { retryMs: bad } }, `field "sse.retryMs" is ${JSON.stringify(bad)}; ${retryExpected}`);
    }
    for (const bad of [1023, 4096.5, '4194304']) {
      rejects({ ...base, sse: { slowClientLimitBytes: bad } }, `field "sse.slowClientLimitBytes" is ${JSON.stringify(bad)}; expected a whole number of bytes, at least 1024`);
    }
  });

  it('checks sse.requestHeaders: names are HTTP tokens, values one line of text', () => {
    rejects({ ...base, sse: { requestHeaders: ['authorization'] } }, 'field "sse.requestHeaders" is ["authorization"]; expected an object whose values are strings');
    rejects({ ...base, sse: { requestHeaders: { 'x-n': 1 } } }, 'field "sse.requestHeaders["x-n"]" is 1; expected a string (header values are text: write "1")');
    const token = (name: string) =>
      `field "sse.requestHeaders" has the header name ${JSON.stringify(name)}; expected header names made of letters, ` +
      'digits and !#$%&\'*+-.^_`|~ only (an HTTP token, RFC 9110), such as "authorization"';
    for (const name of ['x y', 'x:y', '', 'é', 'a(b)', 'a\nb']) {
      rejects({ ...base, sse: { requestHeaders: { [name]: 'v' } } }, token(name));
    }
    const oneLine = 'expected a header value on one line: without CR, LF or NUL';
    rejects(
      { ...base, sse: { requestHeaders: { a: 'x\r\ny: z', b: 'x\n', c: 'x\u0000' } } },
      `field "sse.requestHeaders.a" is "x\\r\\ny: z"; ${oneLine}`,
      `field "sse.requestHeaders.b" is "x\\n"; ${oneLine}`,
      `field "sse.requestHeaders.c" is "x\\u0000"; ${oneLine}`,
    );
    // A bad name and a bad value of the same header are both reported.
    rejects(
      { ...base, sse: { requestHeaders: { 'a b': 2 } } },
      'field "sse.requestHeaders["a b"]" is 2; expected a string (header values are text: write "2")',
      token('a b'),
    );
  });

  it('checks sse.close', () => {
    const closeExpected = 'expected an object such as {"method": "DELETE", "url": "/channels/{channel}"}';
    rejects({ ...base, sse: { close: 'DELETE /channels/{channel}' } }, `field "sse.close" is "DELETE /channels/{channel}"; ${closeExpected}`);
    rejects({ ...base, sse: { close: null } }, `field "sse.close" is null; ${closeExpected}`);
    const urlExpected = 'expected a path starting with "/" (such as "/channels/{channel}") or an http(s) URL';
    rejects(
      { ...base, sse: { close: {} } },
      'field "sse.close.method" is missing; expected one of "DELETE", "POST"',
      `field "sse.close.url" is missing; ${urlExpected}`,
    );
    rejects(
      { ...base, sse: { close: { method: 'delete', url: 'channels/{channel}' } } },
      'field "sse.close.method" is "delete"; expected one of "DELETE", "POST"',
      `field "sse.close.url" is "channels/{channel}"; ${urlExpected}`,
    );
    rejects({ ...base, sse: { close: { method: 'PUT', url: '/c' } } }, 'field "sse.close.method" is "PUT"; expected one of "DELETE", "POST"');
  });

  it('checks sse.corsOrigin, saying what makes a URL more than an origin', () => {
    const expected = 'expected an origin such as "https://app.example" (http or https, a host and an optional port)';
    for (const bad of ['app.example', '', 'null', 'file:///tmp/x', 'ws://app.example', 42, ['https://app.example']]) {
      rejects({ ...base, sse: { corsOrigin: bad } }, `field "sse.corsOrigin" is ${JSON.stringify(bad)}; ${expected}`);
    }
    const write = 'so write "https://app.example"';
    rejects({ ...base, sse: { corsOrigin: 'https://app.example/' } }, `field "sse.corsOrigin" is "https://app.example/"; ${expected}: an origin has no trailing slash, ${write}`);
    for (const withPath of ['https://app.example/feed', 'https://app.example/feed/', 'https://app.example/feed?x']) {
      rejects({ ...base, sse: { corsOrigin: withPath } }, `field "sse.corsOrigin" is ${JSON.stringify(withPath)}; ${expected}: an origin has no path, ${write}`);
    }
    for (const withQuery of ['https://app.example?x=1', 'https://app.example/?x', 'https://app.example#top', 'https://app.example?']) {
      rejects({ ...base, sse: { corsOrigin: withQuery } }, `field "sse.corsOrigin" is ${JSON.stringify(withQuery)}; ${expected}: an origin has no query or fragment, ${write}`);
    }
    const serialized = 'a browser sends an origin serialized: scheme and host in lower case, no default port, no user';
    for (const unusual of ['HTTPS://App.Example', 'https://app.example:443', 'https://me@app.example']) {
      rejects({ ...base, sse: { corsOrigin: unusual } }, `field "sse.corsOrigin" is ${JSON.stringify(unusual)}; ${expected}: ${serialized}, ${write}`);
    }
    rejects(
      { ...base, sse: { corsOrigin: '*' } },
      `field "sse.corsOrigin" is "*"; ${expected}: "*" is what a server may answer, not the origin of a page, so name one origin the server allows`,
    );
    for (const ok of ['https://app.example', 'http://127.0.0.1:3000', 'https://[::1]:8443', 'http://xn--bcher-kva.example']) {
      assert.doesNotThrow(() => validateAdapter({ ...base, sse: { corsOrigin: ok } }, SOURCE), ok);
    }
  });

  it('refuses resume fields without replay, and says why', () => {
    const noProtocol = { name: 'mine', baseUrl: 'http://127.0.0.1:8080', publish };
    const param = 'the parameter tells the server where to resume, and a server that replays nothing resumes nobody';
    const history = 'the history is what the server replays after a Last-Event-ID, and a server that replays nothing keeps none for its clients';
    const gap =
      'the gap event tells a resuming client that events older than the history are lost, and a server that replays nothing ' +
      'resumes nobody, so it has no gap to signal';
    rejects(
      { ...noProtocol, sse: { path: '/e', gapEvent: 'gap', historyLimit: 50, lastEventIdParam: 'lastEventId' } },
      `field "sse.lastEventIdParam" is "lastEventId" but "sse.replay" is false (the default); expected "sse.replay": true or no "sse.lastEventIdParam": ${param}`,
      `field "sse.historyLimit" is 50 but "sse.replay" is false (the default); expected "sse.replay": true or no "sse.historyLimit": ${history}`,
      `field "sse.gapEvent" is "gap" but "sse.replay" is false (the default); expected "sse.replay": true or no "sse.gapEvent": ${gap}`,
    );
    // With the reference protocol replay defaults to true; an explicit false still conflicts.
    assert.doesNotThrow(() => validateAdapter({ ...base, sse: { gapEvent: 'lost', historyLimit: 10, lastEventIdParam: 'from' } }, SOURCE));
    rejects(
      { ...base, sse: { replay: false, gapEvent: 'gap' } },
      `field "sse.gapEvent" is "gap" but "sse.replay" is false; expected "sse.replay": true or no "sse.gapEvent": ${gap}`,
    );
    rejects(
      { ...noProtocol, sse: { path: '/e', replay: false, historyLimit: 3 } },
      `field "sse.historyLimit" is 3 but "sse.replay" is false; expected "sse.replay": true or no "sse.historyLimit": ${history}`,
    );
    // A value wrong in itself, or a replay that is not a boolean, is reported once.
    rejects({ ...noProtocol, sse: { path: '/e', historyLimit: 0 } }, 'field "sse.historyLimit" is 0; expected a positive whole number of messages');
    rejects({ ...noProtocol, sse: { path: '/e', replay: 'no', gapEvent: 'gap' } }, 'field "sse.replay" is "no"; expected true or false');
    // An unknown protocol is reported, and does not make replay default to true.
    rejects(
      { ...noProtocol, protocol: 'nchan', sse: { gapEvent: 'gap' } },
      'field "protocol" is "nchan"; expected one of "pushspec-reference"',
      `field "sse.gapEvent" is "gap" but "sse.replay" is false (the default); expected "sse.replay": true or no "sse.gapEvent": ${gap}`,
    );
  });

  it('refuses sse without any way to publish, and needs launch for {port} in its URLs', () => {
    rejects(
      { name: 'mine', baseUrl: 'http://127.0.0.1:8080', sse: { path: '/events/{channel}' } },
      'field "publish" is missing; "sse" cannot be checked without "publish": the harness must make the server emit messages, ' +
        'so give a request template such as {"url": "/channels/{channel}/messages", "body": "{data}"} (or set "protocol")',
    );
    const why = 'expected a fixed port: {port} is only filled in when pushspec starts the server, so add "launch" or write the port the server listens on';
    rejects(
      { ...base, sse: { path: 'http://127.0.0.1:{port}/e', close: { method: 'DELETE', url: 'http://127.0.0.1:{port}/c' }, requestHeaders: { host: 'h:{port}' } } },
      `field "sse.path" is "http://127.0.0.1:{port}/e"; ${why}`,
      `field "sse.close.url" is "http://127.0.0.1:{port}/c"; ${why}`,
      `field "sse.requestHeaders.host" is "h:{port}"; ${why}`,
    );
    assert.doesNotThrow(() => validateAdapter({ ...base, baseUrl: 'http://127.0.0.1:{port}', launch, sse: { path: 'http://127.0.0.1:{port}/e' } }, SOURCE));
  });

  it('accepts a complete websocket section, a partial one with a protocol, and echo-only sections without publish', () => {
    const full = {
      name: 'ws',
      baseUrl: 'http://127.0.0.1:{port}',
      launch,
      websocket: {
        echoPath: 'ws://127.0.0.1:{port}/echo',
        channelPath: '/channels/{channel}/ws',
        messageFormat: 'json',
        cursorParam: 'cursor',
        clientPublishes: true,
        subprotocols: ['pushspec.v1', 'chat'],
        allowedOrigins: ['https://app.example', 'http://127.0.0.1:3000'],
        maxMessageBytes: 1,
        pingIntervalMs: 10,
      },
      publish,
    };
    assert.equal(validateAdapter(full, SOURCE), full);
    const upper = { ...full, websocket: { ...full.websocket, messageFormat: 'raw', pingIntervalMs: 3_600_000, subprotocols: [], allowedOrigins: [] } };
    assert.equal(validateAdapter(upper, SOURCE), upper);
    for (const url of ['wss://h/echo', 'http://h:1/echo', 'https://h/echo', 'ws://[::1]:9/e']) {
      assert.doesNotThrow(() => validateAdapter({ ...base, websocket: { echoPath: url, channelPath: `${url}/{channel}` } }, SOURCE), url);
    }
    assert.doesNotThrow(() => validateAdapter({ ...base, websocket: {} }, SOURCE));
    assert.doesNotThrow(() => validateAdapter({ ...base, websocket: { cursorParam: 'after', clientPublishes: false } }, SOURCE));
    // The echo checks publish nothing: an echo endpoint alone needs no way to publish.
    const echoOnly = { name: 'x', baseUrl: 'http://h:1', websocket: { echoPath: '/echo', subprotocols: ['v1'], maxMessageBytes: 65536 } };
    assert.equal(validateAdapter(echoOnly, SOURCE), echoOnly);
    assert.doesNotThrow(() => validateAdapter({ name: 'x', baseUrl: 'http://h:1', websocket: { channelPath: '/c/{channel}' }, publish }, SOURCE));
  });

  it('checks websocket fields', () => {
    const noProtocol = { name: 'mine', baseUrl: 'http://127.0.0.1:8080', publish };
    const section = 'expected an object such as {"echoPath": "/echo", "channelPath": "/channels/{channel}/ws"}';
    rejects({ ...base, websocket: true }, `field "websocket" is true; ${section}`);
    rejects({ ...base, websocket: ['/echo'] }, `field "websocket" is ["/echo"]; ${section}`);
    const echoExpected = 'expected a path starting with "/" (such as "/echo") or a ws, wss, http or https URL';
    const channelExpected = 'expected a path starting with "/" (such as "/channels/{channel}/ws") or a ws, wss, http or https URL';
    for (const bad of ['echo', 'ftp://h/echo', 'ws://', 7, '']) {
      rejects({ ...base, websocket: { echoPath: bad } }, `field "websocket.echoPath" is ${JSON.stringify(bad)}; ${echoExpected}`);
      rejects({ ...base, websocket: { channelPath: bad } }, `field "websocket.channelPath" is ${JSON.stringify(bad)}; ${channelExpected}`);
    }
    rejects(
      { ...base, websocket: { echoPath: '/echo/{channel}' } },
      `field "websocket.echoPath" is "/echo/{channel}"; ${echoExpected} without {channel}: the echo endpoint belongs to no channel (that is "websocket.channelPath")`,
    );
    for (const bad of ['JSON', 'text', null]) {
      rejects({ ...base, websocket: { messageFormat: bad } }, `field "websocket.messageFormat" is ${JSON.stringify(bad)}; expected one of "json", "raw"`);
    }
    const paramExpected =
      'expected the name of the query parameter carrying the id of the last message a client has (letters, digits, ".", "_", "~" or "-"), such as "cursor"';
    for (const bad of ['', 'a b', 'x=1', 3]) {
      rejects({ ...base, websocket: { cursorParam: bad } }, `field "websocket.cursorParam" is ${JSON.stringify(bad)}; ${paramExpected}`);
    }
    for (const bad of ['yes', 1, null]) {
      rejects({ ...base, websocket: { clientPublishes: bad } }, `field "websocket.clientPublishes" is ${JSON.stringify(bad)}; expected true or false`);
    }
    for (const bad of [0, -1, 1.5, '1024']) {
      rejects(
        { ...base, websocket: { maxMessageBytes: bad } },
        `field "websocket.maxMessageBytes" is ${JSON.stringify(bad)}; expected a positive whole number of bytes, such as 1048576 (1 MiB)`,
      );
    }
    for (const bad of [9, 3_600_001, 100.5, '300']) {
      rejects(
        { ...base, websocket: { pingIntervalMs: bad } },
        `field "websocket.pingIntervalMs" is ${JSON.stringify(bad)}; expected a whole number of milliseconds from 10 to 3600000 (one hour)`,
      );
    }
    // Without a protocol at least one endpoint is needed.
    rejects(
      { ...noProtocol, websocket: { messageFormat: 'json' } },
      'field "websocket.echoPath" is missing and so is "websocket.channelPath"; expected at least one of them: ' +
        '"echoPath" (such as "/echo") for the RFC 6455 protocol checks, "channelPath" (such as "/channels/{channel}/ws") ' +
        'for messages pushed on a channel',
    );
  });

  it('checks websocket.subprotocols: an array of HTTP tokens', () => {
    rejects({ ...base, websocket: { subprotocols: 'pushspec.v1' } }, 'field "websocket.subprotocols" is "pushspec.v1"; expected an array of subprotocol names such as ["pushspec.v1"]');
    const token = 'expected a subprotocol name: letters, digits and !#$%&\'*+-.^_`|~ only (an HTTP token, RFC 6455 section 4.1), such as "pushspec.v1"';
    rejects(
      { ...base, websocket: { subprotocols: ['ok', '', 'a b', 'v1,v2', 3, 'x/y'] } },
      `field "websocket.subprotocols[1]" is ""; ${token}`,
      `field "websocket.subprotocols[2]" is "a b"; ${token}`,
      `field "websocket.subprotocols[3]" is "v1,v2"; ${token}`,
      `field "websocket.subprotocols[4]" is 3; ${token}`,
      `field "websocket.subprotocols[5]" is "x/y"; ${token}`,
    );
  });

  it('checks websocket.allowedOrigins with the same rule as sse.corsOrigin', () => {
    const expected = 'expected an origin such as "https://app.example" (http or https, a host and an optional port)';
    rejects({ ...base, websocket: { allowedOrigins: 'https://app.example' } }, 'field "websocket.allowedOrigins" is "https://app.example"; expected an array of origins such as ["https://app.example"]');
    rejects(
      { ...base, websocket: { allowedOrigins: ['https://app.example', 'https://app.example/', '*', 'ws://h', 4, 'HTTPS://B.example:443/x'] } },
      `field "websocket.allowedOrigins[1]" is "https://app.example/"; ${expected}: an origin has no trailing slash, so write "https://app.example"`,
      `field "websocket.allowedOrigins[2]" is "*"; ${expected}: "*" is what a server may answer, not the origin of a page, so name one origin the server allows`,
      `field "websocket.allowedOrigins[3]" is "ws://h"; ${expected}`,
      `field "websocket.allowedOrigins[4]" is 4; ${expected}`,
      `field "websocket.allowedOrigins[5]" is "HTTPS://B.example:443/x"; ${expected}: an origin has no path, so write "https://b.example"`,
    );
    assert.doesNotThrow(() => validateAdapter({ ...base, websocket: { allowedOrigins: ['https://[::1]:8443', 'http://xn--bcher-kva.example'] } }, SOURCE));
  });

  it('refuses channel fields without websocket.channelPath, and says why', () => {
    const echoOnly = { name: 'mine', baseUrl: 'http://127.0.0.1:8080' };
    const cursor = 'the parameter resumes a connection to a channel after a message id, and without a channel endpoint there is nothing to resume';
    const publishes = 'it says what the channel endpoint does with text a client sends, and without a channel endpoint there is none to send it to';
    rejects(
      { ...echoOnly, websocket: { echoPath: '/echo', cursorParam: 'cursor', clientPublishes: true } },
      `field "websocket.cursorParam" is "cursor" but "websocket.channelPath" is missing; expected a "websocket.channelPath" or no "websocket.cursorParam": ${cursor}`,
      `field "websocket.clientPublishes" is true but "websocket.channelPath" is missing; expected a "websocket.channelPath" or no "websocket.clientPublishes": ${publishes}`,
    );
    rejects(
      { ...echoOnly, websocket: { echoPath: '/echo', clientPublishes: false } },
      `field "websocket.clientPublishes" is false but "websocket.channelPath" is missing; expected a "websocket.channelPath" or no "websocket.clientPublishes": ${publishes}`,
    );
    // A value wrong in itself is reported once; the protocol's channel endpoint counts.
    rejects(
      { ...echoOnly, websocket: { echoPath: '/echo', cursorParam: 'a b', clientPublishes: 'no' } },
      'field "websocket.cursorParam" is "a b"; expected the name of the query parameter carrying the id of the last message a client has ' +
        '(letters, digits, ".", "_", "~" or "-"), such as "cursor"',
      'field "websocket.clientPublishes" is "no"; expected true or false',
    );
    assert.doesNotThrow(() => validateAdapter({ ...base, websocket: { echoPath: '/e', cursorParam: 'c', clientPublishes: true } }, SOURCE));
    // An unknown protocol is reported, and implies no channel endpoint.
    rejects(
      { ...echoOnly, protocol: 'nchan', websocket: { cursorParam: 'cursor' } },
      'field "protocol" is "nchan"; expected one of "pushspec-reference"',
      `field "websocket.cursorParam" is "cursor" but "websocket.channelPath" is missing; expected a "websocket.channelPath" or no "websocket.cursorParam": ${cursor}`,
    );
  });

  it('needs publish for websocket.channelPath only, and launch for {port} in its URLs', () => {
    rejects(
      { name: 'mine', baseUrl: 'http://127.0.0.1:8080', websocket: { echoPath: '/echo', channelPath: '/c/{channel}' } },
      'field "publish" is missing; "websocket.channelPath" cannot be checked without "publish": the harness must make the server push ' +
        'messages on the channel endpoint, so give a request template such as {"url": "/channels/{channel}/messages", "body": "{data}"} ' +
        '(or set "protocol", or declare only "websocket.echoPath", whose checks publish nothing)',
    );
    assert.doesNotThrow(() => validateAdapter({ name: 'mine', baseUrl: 'http://127.0.0.1:8080', websocket: { echoPath: '/echo' } }, SOURCE));
    assert.doesNotThrow(() => validateAdapter({ ...base, websocket: { channelPath: '/c/{channel}' } }, SOURCE), 'the protocol publishes');
    const why = 'expected a fixed port: {port} is only filled in when pushspec starts the server, so add "launch" or write the port the server listens on';
    rejects(
      { ...base, websocket: { echoPath: 'ws://127.0.0.1:{port}/e', channelPath: 'ws://127.0.0.1:{port}/c/{channel}' } },
      `field "websocket.echoPath" is "ws://127.0.0.1:{port}/e"; ${why}`,
      `field "websocket.channelPath" is "ws://127.0.0.1:{port}/c/{channel}"; ${why}`,
    );
  });

  it('names the source in every line', () => {
    assert.match(problems({ ...base, name: '' }, 'worldParameters.adapter'), /^worldParameters\.adapter: field "name"/);
  });
});

describe('placeholders', () => {
  it('fills known placeholders and leaves other braces alone', () => {
    assert.equal(fillPlaceholders('http://127.0.0.1:{port}/{port}', { port: '8080' }), 'http://127.0.0.1:8080/8080');
    assert.equal(fillPlaceholders('{"data":{data:json},"x":{other}}', { 'data:json': '"a}"' }), '{"data":"a}","x":{other}}');
    assert.equal(fillPlaceholders('{ port } {port', { port: '1' }), '{ port } {port');
    // Values are not re-scanned, and prototype names are not placeholders.
    assert.equal(fillPlaceholders('{a}{toString}', { a: '{a}' }), '{a}{toString}');
    assert.ok(hasPlaceholder('x{port}', 'port'));
    assert.ok(!hasPlaceholder('x{portx}', 'port'));
  });

  it('gives publish values for a message with and without an event', () => {
    assert.deepEqual(publishPlaceholders({ channel: 'c', data: 'say "hi"' }), {
      channel: 'c',
      data: 'say "hi"',
      'data:json': '"say \\"hi\\""',
      event: '',
      'event:json': 'null',
    });
    const filled = fillPlaceholders('{"data":{data:json},"event":{event:json}}', publishPlaceholders({ channel: 'c', data: 'd', event: 'e' }));
    assert.deepEqual(JSON.parse(filled), { data: 'd', event: 'e' });
  });

  it('reads JSON Pointers with escapes (RFC 6901)', () => {
    const doc = { foo: ['bar', 'baz'], '': 0, 'a/b': 1, 'c%d': 2, 'm~n': 8, '~1': 9, nul: null, k: { x: undefined } };
    assert.equal(readJsonPointer(doc, ''), doc);
    assert.deepEqual(readJsonPointer(doc, '/foo'), ['bar', 'baz']);
    assert.equal(readJsonPointer(doc, '/foo/0'), 'bar');
    assert.equal(readJsonPointer(doc, '/'), 0);
    assert.equal(readJsonPointer(doc, '/a~1b'), 1);
    assert.equal(readJsonPointer(doc, '/c%d'), 2);
    assert.equal(readJsonPointer(doc, '/m~0n'), 8);
    assert.equal(readJsonPointer(doc, '/~01'), 9, '~01 is "~1", not "/"');
    assert.equal(readJsonPointer(doc, '/nul'), null);
    for (const absent of ['/missing', '/foo/2', '/foo/01', '/foo/-', '/foo/x', '/nul/x', '/foo/0/length', '/toString', '/k/x']) {
      assert.equal(readJsonPointer(doc, absent), undefined, absent);
    }
    assert.throws(() => readJsonPointer(doc, 'foo'), TypeError);
    assert.ok(isJsonPointer('/a~0~1'));
    assert.ok(!isJsonPointer('/a~'));
    assert.ok(!isJsonPointer(3));
  });
});

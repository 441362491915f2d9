import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateAdapter } from '../adapters/validate.ts';
import {
  fillPlaceholders,
  hasPlaceholder,
  isJsonPointer,
  publishPlaceholders,
  readJsonPointer,
} from '../adapters/placeholders.ts';
import { PushspecError } from '../harness/errors.ts';

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
    rejects(
      { ...base, somethingElse: 1 },
      'unknown field "somethingElse"; known fields are "name", "baseUrl", "protocol", "launch", "polling", "publish"',
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
    rejects({ ...base, polling: { cursor: 'query' } }, 'field "polling.cursor" is "query"; expected {"in": "query", "param": "cursor"} or {"in": "validators"}');
    rejects({ ...base, polling: { cursor: { in: 'header' } } }, 'field "polling.cursor.in" is "header"; expected one of "query", "validators"');
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

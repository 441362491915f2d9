import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { adapterFromDefinition, jsonErrorLocation, loadAdapterFile } from '../adapters/contract/load.ts';
import { REFERENCE_FORMAT, resolveAdapter } from '../adapters/contract/resolve.ts';
import type { AdapterDefinition, DecodeFunction, PublishFunction, PublishRequest } from '../adapters/contract/definition.ts';
import { PushspecError } from '../core/errors.ts';
import type { ErrorCode } from '../core/errors.ts';

const examples = fileURLToPath(new URL('../adapters/examples/', import.meta.url));
let dir: string;

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'pushspec-load-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(name: string, content: string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, content);
  return file;
}

/** Loads `file`, expecting a PushspecError with `code`; returns its message. */
async function loadError(file: string, code: ErrorCode): Promise<string> {
  const error = await loadAdapterFile(file).then(
    () => assert.fail(`expected ${file} to fail to load`),
    (e: unknown) => e,
  );
  assert.ok(error instanceof PushspecError, String(error));
  assert.equal(error.code, code, error.message);
  return error.message;
}

const valid = { name: 'mine', baseUrl: 'http://127.0.0.1:8080', protocol: 'pushspec-reference' };
const referencePolling = {
  path: '/channels/{channel}/messages',
  cursor: { in: 'query', param: 'cursor' },
  emptyStatus: 200,
  format: { type: 'json', messages: '/messages', cursor: '/cursor', id: '/id', data: '/data', event: '/event' },
  start: 'newest',
  historyLimit: 1000,
  gapStatus: 410,
  malformedCursor: 'not-a-cursor',
  method: 'GET',
};
const referenceLongPolling = {
  path: '/channels/{channel}/messages',
  cursor: { in: 'query', param: 'cursor' },
  waitParam: 'wait',
  holdMs: 1000,
  maxHoldMs: 25000,
  timeoutStatus: 200,
  format: { type: 'json', messages: '/messages', cursor: '/cursor', id: '/id', data: '/data', event: '/event' },
  start: 'newest',
  concurrentPolls: 'independent',
  malformedCursor: 'not-a-cursor',
  stats: { url: '/stats', heldPointer: '/held' },
  method: 'GET',
};
const referenceSse = {
  path: '/channels/{channel}/events',
  requestHeaders: {},
  dataEncoding: 'raw',
  replay: true,
  lastEventIdParam: 'lastEventId',
  historyLimit: 1000,
  gapEvent: 'gap',
  keepAliveMs: 15000,
  retryMs: 3000,
  close: { method: 'DELETE', url: '/channels/{channel}' },
  slowClientLimitBytes: 4194304,
  stats: { url: '/stats', streamsPointer: '/streams' },
};
const referenceWebSocket = {
  echoPath: '/echo',
  channelPath: '/channels/{channel}/ws',
  messageFormat: 'json',
  cursorParam: 'cursor',
  clientPublishes: true,
  subprotocols: ['pushspec.v1'],
  allowedOrigins: [],
  maxMessageBytes: 1048576,
  pingIntervalMs: 30000,
  permessageDeflate: true,
};
const referencePublish = {
  method: 'POST',
  url: '/channels/{channel}/messages',
  headers: { 'content-type': 'application/json' },
  body: '{"data":{data:json},"event":{event:json}}',
  idPointer: '/id',
};

describe('loadAdapterFile', () => {
  it('loads a JSON adapter', async () => {
    const file = await write('ok.json', '\uFEFF' + JSON.stringify(valid));
    const adapter = await loadAdapterFile(file);
    assert.equal(adapter.name, 'mine');
    assert.equal(adapter.source, file, 'a file outside the current folder is named by its absolute path');
    assert.deepEqual(adapter.polling, referencePolling);
    assert.deepEqual(adapter.longPolling, referenceLongPolling);
    assert.deepEqual(adapter.sse, referenceSse);
    assert.deepEqual(adapter.websocket, referenceWebSocket);
  });

  it('says when the file is missing, not a file, or unreadable', async () => {
    const missing = path.join(dir, 'nope.json');
    assert.equal(await loadError(missing, 'PUSHSPEC_ERR_ADAPTER_LOAD'), `adapter file not found: ${missing}`);
    await mkdir(path.join(dir, 'folder.json'));
    assert.match(await loadError(path.join(dir, 'folder.json'), 'PUSHSPEC_ERR_ADAPTER_LOAD'), /adapter file is not a file: .*folder\.json$/);
    const notDir = path.join(await write('plain.json', '{}'), 'inner.json');
    assert.match(await loadError(notDir, 'PUSHSPEC_ERR_ADAPTER_LOAD'), /^cannot read adapter file .*inner\.json: ENOTDIR/);
  });

  it('lists the accepted extensions', async () => {
    const message = await loadError(await write('a.yaml', 'name: x'), 'PUSHSPEC_ERR_ADAPTER_LOAD');
    assert.match(message, /a\.yaml: unsupported adapter file extension "\.yaml"; expected one of \.json, \.ts, \.mts, \.cts, \.js, \.mjs, \.cjs$/);
  });

  it('reports JSON syntax errors with line and column', async () => {
    const file = await write('bad.json', '{\n  "name": "x",\n  "baseUrl" "y"\n}');
    const message = await loadError(file, 'PUSHSPEC_ERR_ADAPTER_LOAD');
    assert.ok(message.startsWith(`${file}:3:13: invalid JSON: `), message);
    const truncated = await write('truncated.json', '{\n  "name": "x",');
    assert.ok((await loadError(truncated, 'PUSHSPEC_ERR_ADAPTER_LOAD')).startsWith(`${truncated}:2:15: invalid JSON: `));
  });

  it('derives line:column from JSON.parse messages when it can', () => {
    assert.equal(jsonErrorLocation('{\n"a" 1}', 'Expected \':\' after property name in JSON at position 6'), ':2:5');
    assert.equal(jsonErrorLocation('{"a":', 'Unexpected end of JSON input'), ':1:6');
    assert.equal(jsonErrorLocation('{a}', 'Unexpected token \'a\', "{a}" is not valid JSON'), '');
  });

  it('validates the content, naming the file', async () => {
    const file = await write('invalid.json', JSON.stringify({ ...valid, pollling: {} }));
    assert.equal(await loadError(file, 'PUSHSPEC_ERR_ADAPTER_INVALID'), `${file}: unknown field "pollling"; did you mean "polling"?`);
    const fn = await write('fn.json', JSON.stringify(valid));
    assert.ok(await loadAdapterFile(fn));
  });

  it('names files inside the current folder relative to it', async () => {
    const adapter = await loadAdapterFile(path.join(examples, 'reference.json'));
    assert.equal(adapter.source, path.join('adapters', 'examples', 'reference.json'));
  });

  it('imports a module adapter with a publish function', async () => {
    const file = await write(
      'mod.mjs',
      `export default { name: 'mod', baseUrl: 'http://127.0.0.1:9', polling: { path: '/p', cursor: { in: 'validators' } },
        publish: async (message) => ({ id: message.data }) };`,
    );
    const adapter = await loadAdapterFile(file);
    assert.equal(typeof adapter.publish, 'function');
    const publish = adapter.publish as (m: { channel: string; data: string }, c: { baseUrl: string }) => Promise<{ id?: string }>;
    assert.deepEqual(await publish({ channel: 'c', data: '42' }, { baseUrl: adapter.baseUrl }), { id: '42' });
    assert.equal(adapter.polling?.emptyStatus, 200);
  });

  it('imports decode functions as formats from a module', async () => {
    const file = await write(
      'decode.mts',
      `import type { DecodedAnswer } from ${JSON.stringify(pathToFileURL(path.resolve('adapters/contract/definition.ts')).href)};
const decode = (answer: { status: number; body: string }): DecodedAnswer =>
  answer.status === 200
    ? { kind: 'batch', messages: [{ id: '1', data: answer.body }], cursor: 'next' }
    : { kind: 'error', problem: 'HTTP ' + answer.status };
export default {
  name: 'decoding',
  baseUrl: 'http://127.0.0.1:9',
  protocol: 'pushspec-reference',
  polling: { format: decode },
  longPolling: { format: (answer: { body: string }) => ({ kind: 'batch', messages: [{ data: answer.body.toUpperCase() }] }), maxHoldMs: 2000 },
};
`,
    );
    const adapter = await loadAdapterFile(file);
    const polling = adapter.polling?.format as DecodeFunction;
    const longPolling = adapter.longPolling?.format as DecodeFunction;
    assert.equal(typeof polling, 'function');
    assert.deepEqual(polling({ status: 200, headers: {}, body: 'hi' }), { kind: 'batch', messages: [{ id: '1', data: 'hi' }], cursor: 'next' });
    assert.deepEqual(polling({ status: 500, headers: {}, body: '' }), { kind: 'error', problem: 'HTTP 500' });
    assert.deepEqual(longPolling({ status: 200, headers: {}, body: 'hi' }), { kind: 'batch', messages: [{ data: 'HI' }] });
    assert.deepEqual({ ...adapter.longPolling, format: undefined }, { ...referenceLongPolling, maxHoldMs: 2000, format: undefined });

    const mjs = await write(
      'decode-plain.mjs',
      `export default { name: 'd', baseUrl: 'http://127.0.0.1:9', longPolling: { path: '/lp', format: (answer) => ({ kind: 'batch', messages: [{ data: answer.body }] }) },
        publish: async () => {} };`,
    );
    const fromMjs = await loadAdapterFile(mjs);
    assert.deepEqual((fromMjs.longPolling?.format as DecodeFunction)({ status: 200, headers: {}, body: 'x' }), { kind: 'batch', messages: [{ data: 'x' }] });
    assert.equal(fromMjs.longPolling?.maxHoldMs, 1000);
  });

  it('imports TypeScript modules', async () => {
    const file = await write('typed.mts', `const name: string = 'typed';\nexport default { name, baseUrl: 'http://127.0.0.1:9' };\n`);
    assert.equal((await loadAdapterFile(file)).name, 'typed');
  });

  it('requires a default export', async () => {
    const file = await write('named.mjs', 'export const adapter = {};');
    assert.equal(
      await loadError(file, 'PUSHSPEC_ERR_ADAPTER_LOAD'),
      `${file}: the adapter module has no default export; expected \`export default defineAdapter({...})\` (or \`module.exports = defineAdapter({...})\` in CommonJS)`,
    );
  });

  it('reports import failures with their cause', async () => {
    const file = await write('throws.mjs', "throw new Error('boom at import');");
    const message = await loadError(file, 'PUSHSPEC_ERR_ADAPTER_LOAD');
    assert.equal(message, `${file}: cannot import adapter module: boom at import`);
    const syntax = await write('syntax.mjs', 'export default {');
    assert.match(await loadError(syntax, 'PUSHSPEC_ERR_ADAPTER_LOAD'), /syntax\.mjs: cannot import adapter module: /);
  });

  it('resolves launch.cwd against the adapter file folder', async () => {
    const launch = (cwd?: string) => ({ ...valid, launch: { command: ['node'], ...(cwd === undefined ? {} : { cwd }) } });
    assert.equal((await loadAdapterFile(await write('cwd1.json', JSON.stringify(launch()))))?.launch?.cwd, dir);
    assert.equal((await loadAdapterFile(await write('cwd2.json', JSON.stringify(launch('srv/x')))))?.launch?.cwd, path.join(dir, 'srv', 'x'));
    assert.equal((await loadAdapterFile(await write('cwd3.json', JSON.stringify(launch('/opt')))))?.launch?.cwd, '/opt');
  });
});

describe('adapterFromDefinition', () => {
  it('validates and resolves inline definitions against the current folder', () => {
    const adapter = adapterFromDefinition({ ...valid, launch: { command: ['node'], cwd: 'srv' } }, 'worldParameters.adapter');
    assert.equal(adapter.source, 'worldParameters.adapter');
    assert.equal(adapter.launch?.cwd, path.resolve('srv'));
  });

  it('refuses decode functions, which JSON cannot carry', () => {
    for (const technique of ['polling', 'longPolling']) {
      const def = { ...valid, [technique]: { format: () => ({ kind: 'batch', messages: [] }) } };
      assert.throws(
        () => adapterFromDefinition(def, 'worldParameters.adapter'),
        (error: unknown) =>
          error instanceof PushspecError &&
          error.message ===
            `worldParameters.adapter: field "${technique}.format" is a function; expected {"type": "json", "messages": "/messages", "data": "/data", ...} ` +
              'or {"type": "text"}: a decode function is only possible in a .ts/.js adapter module',
      );
    }
  });

  it('refuses functions, which JSON cannot carry', () => {
    assert.throws(
      () => adapterFromDefinition({ ...valid, publish: async () => {} }, 'worldParameters.adapter'),
      (error: unknown) =>
        error instanceof PushspecError && /^worldParameters\.adapter: field "publish" is a function/.test(error.message),
    );
  });
});

describe('resolveAdapter', () => {
  it('expands the pushspec-reference shorthand', () => {
    const adapter = resolveAdapter(valid as AdapterDefinition, 'x');
    assert.deepEqual(adapter, {
      name: 'mine',
      baseUrl: 'http://127.0.0.1:8080',
      source: 'x',
      polling: referencePolling,
      longPolling: referenceLongPolling,
      sse: referenceSse,
      websocket: referenceWebSocket,
      publish: referencePublish,
    });
    assert.ok(!('corsOrigin' in (adapter.sse ?? {})), 'the reference allows no cross-origin stream by default');
  });

  it('lets explicit fields override the shorthand field by field', () => {
    const def = {
      ...valid,
      polling: { historyLimit: 50, gapStatus: undefined },
      publish: { idPointer: '/message/id', headers: { 'x-a': 'b' } },
    } as unknown as AdapterDefinition;
    const adapter = resolveAdapter(def, 'x');
    assert.deepEqual(adapter.polling, { ...referencePolling, historyLimit: 50 });
    assert.deepEqual(adapter.publish, { ...referencePublish, idPointer: '/message/id', headers: { 'x-a': 'b' } });
  });

  it('lets explicit long-polling fields override the shorthand field by field', () => {
    const longPolling = (spec: object) => resolveAdapter({ ...valid, longPolling: spec } as AdapterDefinition, 'x').longPolling;
    assert.deepEqual(longPolling({ maxHoldMs: 2000 }), { ...referenceLongPolling, maxHoldMs: 2000 });
    assert.deepEqual(longPolling({ holdMs: 500, waitParam: undefined }), { ...referenceLongPolling, holdMs: 500 });
    assert.deepEqual(
      longPolling({ cursor: { in: 'validators' }, timeoutStatus: 304, format: { type: 'text' }, stats: { url: '/s', heldPointer: '/n' } }),
      { ...referenceLongPolling, cursor: { in: 'validators' }, timeoutStatus: 304, format: { type: 'text' }, stats: { url: '/s', heldPointer: '/n' } },
    );
    assert.deepEqual(longPolling({ concurrentPolls: 'preempt-old', start: 'oldest', malformedCursor: 'x' }), {
      ...referenceLongPolling,
      concurrentPolls: 'preempt-old',
      start: 'oldest',
      malformedCursor: 'x',
    });
  });

  it('fills long-polling defaults without a protocol; maxHoldMs defaults to the resolved holdMs', () => {
    const publish: PublishRequest = { url: '/pub', body: '{data}' };
    const longPolling = (spec: object) =>
      resolveAdapter({ name: 'lp', baseUrl: 'http://h:1', longPolling: { path: '/lp', ...spec }, publish }, 'x').longPolling;
    const defaults = {
      path: '/lp',
      cursor: { in: 'query', param: 'cursor' },
      holdMs: 1000,
      maxHoldMs: 1000,
      timeoutStatus: 200,
      format: REFERENCE_FORMAT,
      start: 'newest',
      concurrentPolls: 'independent',
      malformedCursor: 'not-a-cursor',
      method: 'GET',
    };
    const bare = longPolling({});
    assert.deepEqual(bare, defaults);
    assert.ok(bare !== undefined && !('waitParam' in bare) && !('stats' in bare), 'no wait parameter and no stats unless declared');
    assert.deepEqual(longPolling({ holdMs: 1500 }), { ...defaults, holdMs: 1500, maxHoldMs: 1500 });
    assert.deepEqual(longPolling({ holdMs: 1500, maxHoldMs: undefined }), { ...defaults, holdMs: 1500, maxHoldMs: 1500 });
    assert.deepEqual(longPolling({ holdMs: 1500, maxHoldMs: 60_000, waitParam: 'timeout' }), {
      ...defaults,
      holdMs: 1500,
      maxHoldMs: 60_000,
      waitParam: 'timeout',
    });
    assert.equal(resolveAdapter({ name: 'p', baseUrl: 'http://h:1', polling: { path: '/p' }, publish }, 'x').longPolling, undefined);
  });

  it('keeps decode functions as given and still copies everything else', () => {
    const decode: DecodeFunction = () => ({ kind: 'batch', messages: [] });
    const def = { ...valid, polling: { format: decode }, longPolling: { format: decode, cursor: { in: 'validators' } } } as AdapterDefinition;
    const first = resolveAdapter(def, 'x');
    assert.equal(first.polling?.format, decode);
    assert.equal(first.longPolling?.format, decode);
    assert.deepEqual({ ...first.longPolling, format: undefined }, { ...referenceLongPolling, cursor: { in: 'validators' }, format: undefined });
    (first.longPolling?.stats as { url: string }).url = '/changed';
    (first.longPolling?.cursor as { in: string }).in = 'changed';
    const second = resolveAdapter(def, 'x');
    assert.deepEqual(second.longPolling?.stats, { url: '/stats', heldPointer: '/held' });
    assert.deepEqual(second.longPolling?.cursor, { in: 'validators' });
    const bare = resolveAdapter({ name: 'b', baseUrl: 'http://h:1', longPolling: { path: '/lp', format: decode }, publish: async () => {} }, 'x');
    assert.equal(bare.longPolling?.format, decode);
  });

  it('keeps a publish function as given', () => {
    const publish = async () => ({ id: '1' });
    assert.equal(resolveAdapter({ ...valid, publish } as AdapterDefinition, 'x').publish, publish);
  });

  it('fills polling defaults without a protocol and leaves undeclared techniques undefined', () => {
    const bare = resolveAdapter({ name: 'bare', baseUrl: 'http://h:1/api/' }, 'x');
    assert.equal(bare.baseUrl, 'http://h:1/api', 'trailing slashes go: paths start with "/"');
    assert.equal(bare.polling, undefined);
    assert.equal(bare.publish, undefined);
    assert.equal(bare.launch, undefined);

    const publish: PublishRequest = { url: '/pub', body: '{data}' };
    const adapter = resolveAdapter({ name: 'p', baseUrl: 'http://h:1', polling: { path: '/poll' }, publish }, 'x');
    assert.deepEqual(adapter.polling, {
      path: '/poll',
      cursor: { in: 'query', param: 'cursor' },
      emptyStatus: 200,
      format: REFERENCE_FORMAT,
      start: 'newest',
      malformedCursor: 'not-a-cursor',
      method: 'GET',
    });
    assert.equal(adapter.polling?.historyLimit, undefined);
    assert.deepEqual(adapter.publish, { method: 'POST', url: '/pub', body: '{data}' });
  });

  it('lets explicit sse fields override the shorthand field by field', () => {
    const sse = (spec: object) => resolveAdapter({ ...valid, sse: spec } as AdapterDefinition, 'x').sse;
    assert.deepEqual(sse({}), referenceSse);
    assert.deepEqual(sse({ path: '/stream/{channel}', keepAliveMs: 500, retryMs: undefined }), {
      ...referenceSse,
      path: '/stream/{channel}',
      keepAliveMs: 500,
    });
    assert.deepEqual(sse({ dataEncoding: 'json', historyLimit: 50, gapEvent: 'lost', lastEventIdParam: 'from' }), {
      ...referenceSse,
      dataEncoding: 'json',
      historyLimit: 50,
      gapEvent: 'lost',
      lastEventIdParam: 'from',
    });
    assert.deepEqual(sse({ corsOrigin: 'https://app.example', slowClientLimitBytes: 1024 }), {
      ...referenceSse,
      corsOrigin: 'https://app.example',
      slowClientLimitBytes: 1024,
    });
    // Object-valued fields are replaced as a whole.
    assert.deepEqual(sse({ requestHeaders: { authorization: 'Bearer t' }, close: { method: 'POST', url: '/close/{channel}' } }), {
      ...referenceSse,
      requestHeaders: { authorization: 'Bearer t' },
      close: { method: 'POST', url: '/close/{channel}' },
    });
    // Turning replay off drops the protocol's history, gap event and resume parameter with it.
    const { lastEventIdParam: _p, historyLimit: _h, gapEvent: _g, ...withoutReplay } = referenceSse;
    assert.deepEqual(sse({ replay: false }), { ...withoutReplay, replay: false });
  });

  it('fills sse defaults without a protocol', () => {
    const publish: PublishRequest = { url: '/pub', body: '{data}' };
    const sse = (spec: object) => resolveAdapter({ name: 's', baseUrl: 'http://h:1', sse: { path: '/e/{channel}', ...spec }, publish }, 'x').sse;
    const defaults = { path: '/e/{channel}', requestHeaders: {}, dataEncoding: 'raw', replay: false };
    assert.deepEqual(sse({}), defaults);
    assert.deepEqual(sse({ replay: undefined, dataEncoding: 'json' }), { ...defaults, dataEncoding: 'json' });
    // A decoder replaces the data encoding: whatever was declared, events are read by the decoder alone.
    const decode = (event: { data: string }) => ({ data: event.data });
    assert.deepEqual(sse({ dataEncoding: 'json', decode }), { ...defaults, dataEncoding: 'decoder', decode });
    const full = {
      requestHeaders: { 'x-key': 'k' },
      replay: true,
      lastEventIdParam: 'lastEventId',
      historyLimit: 50,
      gapEvent: 'gap',
      keepAliveMs: 200,
      retryMs: 300,
      close: { method: 'DELETE', url: '/channels/{channel}' },
      corsOrigin: 'https://app.example',
      slowClientLimitBytes: 262144,
    };
    assert.deepEqual(sse(full), { ...defaults, ...full });
    // Without a protocol nothing implies an event stream.
    assert.equal(resolveAdapter({ name: 'p', baseUrl: 'http://h:1', polling: { path: '/p' }, publish }, 'x').sse, undefined);
  });

  it('lets explicit websocket fields override the shorthand field by field', () => {
    const websocket = (spec: object) => resolveAdapter({ ...valid, websocket: spec } as AdapterDefinition, 'x').websocket;
    assert.deepEqual(websocket({}), referenceWebSocket);
    assert.deepEqual(websocket({ echoPath: '/ws/echo', pingIntervalMs: 500, cursorParam: undefined }), {
      ...referenceWebSocket,
      echoPath: '/ws/echo',
      pingIntervalMs: 500,
    });
    assert.deepEqual(websocket({ channelPath: 'wss://push.example/{channel}', messageFormat: 'raw', clientPublishes: false, maxMessageBytes: 1 }), {
      ...referenceWebSocket,
      channelPath: 'wss://push.example/{channel}',
      messageFormat: 'raw',
      clientPublishes: false,
      maxMessageBytes: 1,
    });
    // Arrays are replaced as a whole.
    assert.deepEqual(websocket({ subprotocols: ['chat', 'superchat'], allowedOrigins: ['https://app.example'] }), {
      ...referenceWebSocket,
      subprotocols: ['chat', 'superchat'],
      allowedOrigins: ['https://app.example'],
    });
    assert.deepEqual(websocket({ subprotocols: [] }), { ...referenceWebSocket, subprotocols: [] });
  });

  it('fills websocket defaults without a protocol', () => {
    const websocket = (spec: object) => resolveAdapter({ name: 'w', baseUrl: 'http://h:1', websocket: spec }, 'x').websocket;
    const defaults = { messageFormat: 'raw', clientPublishes: false, subprotocols: [], allowedOrigins: [] };
    assert.deepEqual(websocket({ echoPath: '/echo' }), { ...defaults, echoPath: '/echo' });
    const bare = websocket({ channelPath: '/c/{channel}', messageFormat: undefined });
    assert.deepEqual(bare, { ...defaults, channelPath: '/c/{channel}' });
    for (const field of ['echoPath', 'cursorParam', 'maxMessageBytes', 'pingIntervalMs']) {
      assert.ok(bare !== undefined && !(field in bare), `no ${field} unless declared`);
    }
    const full = {
      echoPath: '/echo',
      channelPath: '/channels/{channel}/ws',
      messageFormat: 'json',
      cursorParam: 'cursor',
      clientPublishes: true,
      subprotocols: ['pushspec.v1'],
      allowedOrigins: ['https://app.example'],
      maxMessageBytes: 1048576,
      pingIntervalMs: 300,
    };
    assert.deepEqual(websocket(full), full);
    // Without a protocol nothing implies WebSocket endpoints.
    assert.equal(resolveAdapter({ name: 'p', baseUrl: 'http://h:1', sse: { path: '/e' }, publish: { url: '/p', body: '{data}' } }, 'x').websocket, undefined);
  });

  it('fills launch defaults', () => {
    const adapter = resolveAdapter({ name: 'l', baseUrl: 'http://127.0.0.1:{port}/', launch: { command: ['srv'] } }, 'x');
    assert.deepEqual(adapter.launch, { command: ['srv'], env: {}, readyTimeoutMs: 10000, readyUrl: 'http://127.0.0.1:{port}' });
  });

  it('never shares default objects between adapters', () => {
    const first = resolveAdapter(valid as AdapterDefinition, 'x');
    (first.polling?.cursor as { param: string }).param = 'changed';
    (first.publish as PublishRequest).headers!['content-type'] = 'text/plain';
    (first.longPolling?.stats as { heldPointer: string }).heldPointer = '/changed';
    (first.longPolling?.format as { data: string }).data = '/changed';
    (first.sse?.close as { url: string }).url = '/changed';
    (first.sse?.requestHeaders as Record<string, string>).changed = 'yes';
    first.websocket?.subprotocols.push('changed');
    first.websocket?.allowedOrigins.push('https://changed.example');
    const second = resolveAdapter(valid as AdapterDefinition, 'x');
    assert.deepEqual(second.sse, referenceSse);
    assert.deepEqual(second.websocket, referenceWebSocket);
    const subprotocols = ['chat'];
    const givenWs = resolveAdapter({ name: 'w', baseUrl: 'http://h:1', websocket: { echoPath: '/e', subprotocols } }, 'x');
    assert.notEqual(givenWs.websocket?.subprotocols, subprotocols, 'given arrays are copied too');
    const bareWs = resolveAdapter({ name: 'w', baseUrl: 'http://h:1', websocket: { echoPath: '/e' } }, 'x');
    bareWs.websocket?.subprotocols.push('changed');
    assert.deepEqual(resolveAdapter({ name: 'w', baseUrl: 'http://h:1', websocket: { echoPath: '/e' } }, 'x').websocket?.subprotocols, []);
    const headers = { a: 'b' };
    const given = resolveAdapter({ ...valid, sse: { requestHeaders: headers } } as AdapterDefinition, 'x');
    assert.notEqual(given.sse?.requestHeaders, headers, 'given objects are copied too');
    assert.deepEqual(second.longPolling, referenceLongPolling);
    assert.deepEqual(REFERENCE_FORMAT, referenceLongPolling.format);
    assert.deepEqual(second.polling?.cursor, { in: 'query', param: 'cursor' });
    assert.deepEqual((second.publish as PublishRequest).headers, { 'content-type': 'application/json' });
  });
});

describe('example adapters', () => {
  it('reference.json launches the reference server on a free port', async () => {
    const adapter = await loadAdapterFile(path.join(examples, 'reference.json'));
    assert.equal(adapter.name, 'reference-launched');
    assert.deepEqual(adapter.polling, referencePolling);
    assert.deepEqual(adapter.launch?.command, ['node', '../../bin/pushspec.mjs', 'serve', '--port', '{port}', '--max-hold', '2000']);
    assert.deepEqual(adapter.longPolling, { ...referenceLongPolling, maxHoldMs: 2000 });
    assert.deepEqual(adapter.sse, referenceSse);
    assert.deepEqual(adapter.websocket, referenceWebSocket);
    assert.equal(adapter.launch?.cwd, examples.replace(/\/$/, ''));
  });

  it('custom-server.ts and custom-server.json describe the same server', async () => {
    const module = await loadAdapterFile(path.join(examples, 'custom-server.ts'));
    const json = await loadAdapterFile(path.join(examples, 'custom-server.json'));
    assert.equal(typeof module.publish, 'function');
    assert.equal((json.publish as PublishRequest).method, 'PUT');
    // The module long-polls the JSON envelope route with a decoder; the JSON file the plain-text route.
    const { publish: _a, source: _b, longPolling: moduleLongPolling, ...fromModule } = module;
    const { publish: _c, source: _d, longPolling: jsonLongPolling, ...fromJson } = json;
    assert.deepEqual(fromModule, fromJson);
    assert.deepEqual(
      { ...moduleLongPolling, path: undefined, format: undefined },
      { ...jsonLongPolling, path: undefined, format: undefined },
    );
    assert.equal(module.polling?.emptyStatus, 304);
    assert.deepEqual(module.polling?.cursor, { in: 'validators' });
    assert.deepEqual(module.polling?.format, { type: 'text' });
    assert.equal(module.polling?.start, 'oldest');
    assert.deepEqual(jsonLongPolling, {
      path: '/feeds/{channel}/wait',
      cursor: { in: 'validators' },
      holdMs: 1000,
      maxHoldMs: 1000,
      timeoutStatus: 304,
      format: { type: 'text' },
      start: 'oldest',
      concurrentPolls: 'independent',
      malformedCursor: 'W/"not-an-etag"',
      method: 'GET',
    });
    assert.equal(moduleLongPolling?.path, '/feeds/{channel}/wait.json');
    assert.deepEqual(json.sse, {
      path: '/feeds/{channel}/stream',
      requestHeaders: {},
      dataEncoding: 'json',
      replay: true,
      lastEventIdParam: 'last_event_id',
      keepAliveMs: 20000,
      retryMs: 2000,
    });
    assert.deepEqual(json.websocket, {
      echoPath: '/ws/echo',
      channelPath: '/ws/feeds/{channel}',
      messageFormat: 'raw',
      clientPublishes: false,
      subprotocols: [],
      allowedOrigins: [],
      maxMessageBytes: 65536,
    });
    assert.equal(typeof moduleLongPolling?.format, 'function');
  });

  it('custom-server.ts decodes the acme-feed long-poll envelope', async () => {
    const decode = (await loadAdapterFile(path.join(examples, 'custom-server.ts'))).longPolling?.format as DecodeFunction;
    const answer = (body: string) => decode({ status: 200, headers: { 'content-type': 'application/json' }, body });
    assert.deepEqual(answer('{"item": {"seq": 7, "payload": "hello"}}'), { kind: 'batch', messages: [{ id: '7', data: 'hello' }] });
    assert.deepEqual(answer('hello'), { kind: 'error', problem: 'the answer is not JSON: hello' });
    assert.deepEqual(answer('x'.repeat(100)), { kind: 'error', problem: `the answer is not JSON: ${'x'.repeat(80)}` });
    const shape = { kind: 'error', problem: 'expected {"item": {"seq": <number>, "payload": <string>}}' };
    for (const body of ['null', '{}', '{"item": 3}', '{"item": {"seq": "7", "payload": "p"}}', '{"item": {"seq": 7}}']) {
      assert.deepEqual(answer(body), shape, body);
    }
  });

  it("custom-server.ts publishes with a PUT, the event in a header, and reads the id header", async () => {
    const seen: Array<{ method?: string; url?: string; event?: string | string[]; body: string }> = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, event: req.headers['x-acme-event'], body });
        res.statusCode = body === 'refuse' ? 500 : 201;
        if (body === 'with id') res.setHeader('x-acme-message-id', '7');
        res.end();
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const publish = (await loadAdapterFile(path.join(examples, 'custom-server.ts'))).publish as PublishFunction;
      assert.deepEqual(await publish({ channel: 'a b', data: 'with id', event: 'tick' }, { baseUrl }), { id: '7' });
      assert.deepEqual(await publish({ channel: 'c', data: 'plain' }, { baseUrl }), {});
      await assert.rejects(publish({ channel: 'c', data: 'refuse' }, { baseUrl }), /acme-feed refused the message: HTTP 500/);
      assert.deepEqual(seen.slice(0, 2), [
        { method: 'PUT', url: '/feeds/a%20b', event: 'tick', body: 'with id' },
        { method: 'PUT', url: '/feeds/c', event: undefined, body: 'plain' },
      ]);
    } finally {
      server.close();
    }
  });
});

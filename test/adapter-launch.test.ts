import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { checkReachable, launchServer } from '../adapters/contract/launch.ts';
import type { LaunchedServer } from '../adapters/contract/launch.ts';
import { adapterFromDefinition, loadAdapterFile } from '../adapters/contract/load.ts';
import { fillPlaceholders, readJsonPointer } from '../core/placeholders.ts';
import { publishPlaceholders } from '../core/publisher.ts';
import type { ResolvedPublishRequest } from '../core/publisher.ts';
import type { ResolvedAdapter } from '../adapters/contract/resolve.ts';
import { PushspecError } from '../core/errors.ts';

const launchModule = fileURLToPath(new URL('../adapters/contract/launch.ts', import.meta.url));
let dir: string;
const started: LaunchedServer[] = [];

// A server that listens on $PORT (or argv[2]) after `delay` ms and answers 404 to everything.
const SERVER = `
import http from 'node:http';
const port = Number(process.env.PORT ?? process.argv[2]);
console.log('pid ' + process.pid + ' greeting ' + process.env.GREETING);
setTimeout(() => http.createServer((req, res) => { res.statusCode = 404; res.end(req.url); })
  .listen(port, '127.0.0.1', () => console.log('listening on ' + port)), Number(process.env.DELAY ?? 0));
`;

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'pushspec-launch-'));
  await writeFile(path.join(dir, 'server.mjs'), SERVER);
  await writeFile(path.join(dir, 'crash.mjs'), "console.log('starting');\nconsole.error('fatal: config missing');\nprocess.exit(3);\n");
  await writeFile(path.join(dir, 'never.mjs'), "console.log('pid ' + process.pid + ' never listening');\nsetInterval(() => {}, 1000);\n");
  await writeFile(path.join(dir, 'stubborn.mjs'), SERVER + "process.on('SIGTERM', () => console.log('ignoring SIGTERM'));\n");
});
after(async () => {
  await Promise.all(started.map((server) => server.stop()));
  await rm(dir, { recursive: true, force: true });
});

function adapter(launch: Record<string, unknown>, extra: Record<string, unknown> = {}): ResolvedAdapter {
  return adapterFromDefinition(
    { name: 'test', baseUrl: 'http://127.0.0.1:{port}', protocol: 'pushspec-reference', launch: { cwd: dir, ...launch }, ...extra },
    'test-adapter',
  );
}

async function launch(def: ResolvedAdapter, log?: (line: string) => void): Promise<LaunchedServer> {
  const server = await launchServer(def, log === undefined ? {} : { log });
  started.push(server);
  return server;
}

async function launchError(def: ResolvedAdapter): Promise<string> {
  const error = await launchServer(def).then(
    () => assert.fail('expected the launch to fail'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof PushspecError, String(error));
  assert.equal(error.code, 'PUSHSPEC_ERR_LAUNCH');
  return error.message;
}

/**
 * Dead, as far as we can tell: kill(0) says ESRCH, or the process is a zombie.
 * An orphan is re-parented to init, which here may reap it late: it is dead all the same.
 */
function gone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
  try {
    return / Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\)/, ''));
  } catch {
    return true;
  }
}

/** Waits (polling, at most 3 s) until `pid` is gone: a signal is delivered asynchronously. */
async function assertGone(pid: number, what: string): Promise<void> {
  const deadline = Date.now() + 3000;
  while (!gone(pid) && Date.now() < deadline) await delay(20);
  assert.ok(gone(pid), `${what} (pid ${pid}) is still running`);
}

/** Resolves with the first match of `pattern` among lines given to the returned `log`, within 5 s. */
function lineWatcher(pattern: RegExp): { log: (line: string) => void; match: Promise<RegExpExecArray> } {
  let log: (line: string) => void = () => {};
  const match = new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no output line matched ${pattern} within 5 s`)), 5000);
    log = (line) => {
      const m = pattern.exec(line);
      if (m !== null) {
        clearTimeout(timer);
        resolve(m);
      }
    };
  });
  return { log, match };
}

async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

describe('launchServer', () => {
  it('starts the server on a free port and waits until it answers', async () => {
    const lines: string[] = [];
    const server = await launch(
      adapter({ command: ['node', 'server.mjs', '{port}'], env: { GREETING: 'port={port}', DELAY: '300' }, readyUrl: 'http://127.0.0.1:{port}/ready' }),
      (line) => lines.push(line),
    );
    assert.equal(server.baseUrl, `http://127.0.0.1:${server.port}`);
    // Ready means it answered (a 404 counts): the request below cannot be refused.
    const response = await request(`${server.baseUrl}/x`);
    assert.equal(response.statusCode, 404);
    assert.equal(await response.body.text(), '/x');
    assert.match(server.output(), new RegExp(`^pid ${server.pid} greeting port=${server.port}\nlistening on ${server.port}$`));
    assert.deepEqual(lines, server.output().split('\n'));
    await server.stop();
    assert.ok(gone(server.pid));
  });

  it('passes {port} through the environment', async () => {
    const server = await launch(adapter({ command: ['node', 'server.mjs'], env: { PORT: '{port}' } }));
    assert.match(server.output(), new RegExp(`listening on ${server.port}`));
    await server.stop();
  });

  it('fails with the exit code and output tail when the server exits before it is ready', async () => {
    const message = await launchError(adapter({ command: ['node', 'crash.mjs'] }));
    assert.match(message, /^test-adapter: `node crash\.mjs` exited with code 3 before it answered http:\/\/127\.0\.0\.1:\d+\n/);
    assert.match(message, /--- last output of `node crash\.mjs` ---\n/);
    assert.match(message, /starting/);
    assert.match(message, /fatal: config missing$/);
  });

  it('names the signal that killed the server', async () => {
    await writeFile(path.join(dir, 'killed.mjs'), "process.kill(process.pid, 'SIGKILL');\n");
    assert.match(await launchError(adapter({ command: ['node', 'killed.mjs'] })), /`node killed\.mjs` was killed by SIGKILL before it answered .*\n.*\n\(no output\)$/);
  });

  it('fails when the command cannot be started', async () => {
    const message = await launchError(adapter({ command: ['pushspec-no-such-command', '--port', '{port}'] }));
    assert.match(message, /^test-adapter: cannot start `pushspec-no-such-command --port \d+`: failed to start: spawn pushspec-no-such-command ENOENT$/);
  });

  it('times out, says what it polled, and kills the server', async () => {
    const watcher = lineWatcher(/^pid (\d+) never listening/);
    // Long enough for node to start never.mjs and print its line (with other test files starting node processes
    // beside it, 300 ms was not always enough: the server was killed before it said its pid).
    const def = adapter({ command: ['node', 'never.mjs'], readyTimeoutMs: 2000 });
    const failure = launchServer(def, { log: watcher.log }).then(
      () => assert.fail('expected a timeout'),
      (e: unknown) => e as PushspecError,
    );
    const pid = Number((await watcher.match)[1]);
    const error = await failure;
    assert.equal(error.code, 'PUSHSPEC_ERR_LAUNCH');
    assert.match(error.message, /^test-adapter: `node never\.mjs` did not answer http:\/\/127\.0\.0\.1:\d+ within 2000 ms \(polled every \d+ ms\); last error: .*ECONNREFUSED/);
    assert.match(error.message, /never listening$/);
    assert.ok(gone(pid), 'the server is killed after the timeout');
  });

  it('stops the whole process group, grandchildren included', async () => {
    const watcher = lineWatcher(/^grandchild (\d+)$/);
    const server = await launch(
      adapter({ command: ['sh', '-c', 'sleep 1000 & echo "grandchild $!"; exec node server.mjs'], env: { PORT: '{port}' } }),
      watcher.log,
    );
    const grandchild = Number((await watcher.match)[1]);
    assert.ok(!gone(grandchild) && !gone(server.pid), 'both run before stop()');
    await server.stop();
    assert.ok(gone(server.pid), 'the server is gone');
    assert.ok(gone(grandchild), 'the grandchild is gone');
  });

  it('stop() is idempotent', async () => {
    const server = await launch(adapter({ command: ['node', 'server.mjs'], env: { PORT: '{port}' } }));
    const first = server.stop();
    assert.equal(server.stop(), first, 'a second call while stopping returns the same promise');
    await first;
    await server.stop();
    assert.ok(gone(server.pid));
  });

  it('kills a server that ignores SIGTERM after the grace period', { timeout: 10_000 }, async () => {
    const server = await launch(adapter({ command: ['node', 'stubborn.mjs'], env: { PORT: '{port}' } }));
    const startedAt = Date.now();
    await server.stop();
    assert.ok(gone(server.pid));
    assert.ok(Date.now() - startedAt >= 2900, 'SIGKILL only after the grace period');
    assert.match(server.output(), /ignoring SIGTERM/);
  });

  it('installs signal handlers only while a server runs', async () => {
    const before = [process.listenerCount('SIGINT'), process.listenerCount('SIGTERM'), process.listenerCount('exit')];
    const server = await launch(adapter({ command: ['node', 'server.mjs'], env: { PORT: '{port}' } }));
    assert.deepEqual([process.listenerCount('SIGINT'), process.listenerCount('SIGTERM'), process.listenerCount('exit')], before.map((n) => n + 1));
    await server.stop();
    assert.deepEqual([process.listenerCount('SIGINT'), process.listenerCount('SIGTERM'), process.listenerCount('exit')], before);
  });

  it('refuses an adapter without launch', async () => {
    const def = adapterFromDefinition({ name: 'x', baseUrl: 'http://127.0.0.1:1', protocol: 'pushspec-reference' }, 'inline');
    assert.equal(await launchError(def), 'inline: the adapter has no "launch", so pushspec cannot start the server');
  });
});

describe('the reference example', () => {
  // End to end: the shorthand's templates must match what the reference server really speaks.
  it('launches, publishes with the default template (event or none) and polls it back', { timeout: 20_000 }, async () => {
    const def = await loadAdapterFile(fileURLToPath(new URL('../adapters/examples/reference.json', import.meta.url)));
    const server = await launch(def);
    const publish = def.publish as ResolvedPublishRequest;
    const polling = def.polling!;
    const ids: unknown[] = [];
    for (const message of [{ channel: 'news', data: 'one', event: 'tick' }, { channel: 'news', data: 'two "quoted"' }]) {
      const values = publishPlaceholders(message);
      const response = await request(server.baseUrl + fillPlaceholders(publish.url, values), {
        method: publish.method ?? 'POST',
        headers: publish.headers ?? {},
        body: fillPlaceholders(publish.body, values),
      });
      const text = await response.body.text();
      assert.ok(response.statusCode < 300, `publish answered ${response.statusCode}: ${text}`);
      ids.push(readJsonPointer(JSON.parse(text), publish.idPointer ?? ''));
    }
    const poll = await request(`${server.baseUrl}${fillPlaceholders(polling.path, { channel: 'news' })}?${polling.cursor.in === 'query' ? polling.cursor.param : ''}=0`);
    const batch = await poll.body.json();
    assert.equal(poll.statusCode, 200);
    const format = polling.format;
    assert.ok(typeof format !== 'function' && format.type === 'json');
    const messages = readJsonPointer(batch, format.messages) as unknown[];
    assert.deepEqual(
      messages.map((m) => [readJsonPointer(m, format.id ?? ''), readJsonPointer(m, format.data), readJsonPointer(m, format.event ?? '')]),
      [[ids[0], 'one', 'tick'], [ids[1], 'two "quoted"', undefined]],
    );
    await server.stop();
  });
});

describe('cleanup when the harness ends', () => {
  // A harness process that launches a server, prints its pid, then ends as `how` says.
  async function harness(how: 'exit' | 'sigterm' | 'sigint' | 'sigkill'): Promise<{ code: number | null; serverPid: number }> {
    const script = path.join(dir, `harness-${how}.mts`);
    await writeFile(
      script,
      `import { launchServer } from ${JSON.stringify(launchModule)};
import { adapterFromDefinition } from ${JSON.stringify(path.join(path.dirname(launchModule), 'load.ts'))};
const adapter = adapterFromDefinition({ name: 'h', baseUrl: 'http://127.0.0.1:{port}', launch: { command: ['node', 'server.mjs'], cwd: ${JSON.stringify(dir)}, env: { PORT: '{port}' } } }, 'h');
const server = await launchServer(adapter);
console.log('server ' + server.pid);
if (${JSON.stringify(how)} === 'exit') process.exit(0);
setInterval(() => {}, 1000);
`,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    const serverPid = new Promise<number>((resolve) =>
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const m = /server (\d+)/.exec(out);
        if (m !== null) resolve(Number(m[1]));
      }),
    );
    const exited = once(child, 'exit') as Promise<[number | null, string | null]>;
    const pid = await Promise.race([serverPid, exited.then(() => assert.fail(`harness ended early: ${out}`))]);
    if (how !== 'exit') child.kill(how === 'sigterm' ? 'SIGTERM' : how === 'sigint' ? 'SIGINT' : 'SIGKILL');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    const [code] = await exited;
    clearTimeout(timer);
    return { code, serverPid: pid };
  }

  it('kills running servers when the harness exits', async () => {
    const { code, serverPid } = await harness('exit');
    assert.equal(code, 0);
    await assertGone(serverPid, 'the server');
  });

  it('kills running servers on SIGTERM and exits with 143', async () => {
    const { code, serverPid } = await harness('sigterm');
    assert.equal(code, 143);
    await assertGone(serverPid, 'the server');
  });

  it('kills running servers on SIGINT and exits with 130', async () => {
    const { code, serverPid } = await harness('sigint');
    assert.equal(code, 130);
    await assertGone(serverPid, 'the server');
  });

  it('a server never outlives a harness killed with SIGKILL, which runs no handler: its watchdog ends the group', async () => {
    const { code, serverPid } = await harness('sigkill');
    assert.equal(code, null, 'killed by the signal');
    await assertGone(serverPid, 'the server');
  });
});

describe('checkReachable', () => {
  it('accepts any HTTP answer', async () => {
    const server = http.createServer((_req, res) => {
      res.statusCode = 500;
      res.end();
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as net.AddressInfo;
    try {
      await checkReachable(`http://127.0.0.1:${port}`);
    } finally {
      server.close();
    }
  });

  it('says nothing answers on a closed port', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    await assert.rejects(checkReachable(url), (error: unknown) => {
      assert.ok(error instanceof PushspecError);
      assert.equal(error.code, 'PUSHSPEC_ERR_UNREACHABLE');
      assert.match(error.message, new RegExp(`^nothing answers at ${url}: .*ECONNREFUSED`));
      return true;
    });
  });

  it('gives up on a server that accepts but never answers', async () => {
    const sockets: net.Socket[] = [];
    const server = net.createServer((socket) => sockets.push(socket)).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as net.AddressInfo;
    try {
      await assert.rejects(checkReachable(`http://127.0.0.1:${port}`, 200), /^PushspecError: nothing answers at .*: no response within 200 ms$/);
    } finally {
      for (const socket of sockets) socket.destroy();
      server.close();
    }
  });
});

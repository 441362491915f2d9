/**
 * Long-polling on the reference server (docs/reference-protocol.md, "Long-polling"),
 * over real sockets: held requests, wake-ups, timeouts, aborts, broadcast and
 * shutdown. Every wait has a deadline; the only timing assertions are bounds
 * that tell behaviours apart (held vs. answered, timed out at `wait` vs. at
 * `maxHoldMs`), never speed claims.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import type { ServerResponse } from 'node:http';
import { Agent, request } from 'undici';
import { buildReferenceApp, startReferenceServer, type ReferenceOptions, type ReferenceServer } from '../reference/server.ts';
import { runScriptUntilExit, waitForListening } from './support/child-process.ts';

const ROOT = new URL('..', import.meta.url).pathname;
/** Longest any single request or condition may take before the test fails instead of hanging. */
const DEADLINE_MS = 5000;
/** A wait no test ever sees run out: an answer before the deadline means it was not a timeout. */
const LONG_WAIT = 60_000;
const JSON_TYPE = 'application/json; charset=utf-8';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  /** performance.now() when the whole answer had arrived. */
  at: number;
}

interface Harness {
  server: ReferenceServer;
  agent: Agent;
  /** GET /channels/{channel}/messages{query}, with a deadline (and an optional abort signal). */
  poll(channel: string, query?: string, signal?: AbortSignal): Promise<Answer>;
  /** Publishes text data; returns the id. */
  publish(channel: string, data: string): Promise<string>;
  /** GET /stats. */
  stats(): Promise<{ channels: number; messages: number; held: number; streams: number; slowClientsDropped: number }>;
}

/** Runs `fn` against a fresh server and client pool; closes both whatever happens. */
async function withServer(options: ReferenceOptions, fn: (harness: Harness) => Promise<void>): Promise<void> {
  const server = await startReferenceServer(options);
  const agent = new Agent({ keepAliveTimeout: 10_000 });
  const harness: Harness = {
    server,
    agent,
    async poll(channel, query = '', signal) {
      const deadline = AbortSignal.timeout(DEADLINE_MS);
      const res = await request(`${server.url}/channels/${channel}/messages${query}`, {
        dispatcher: agent,
        signal: signal === undefined ? deadline : AbortSignal.any([signal, deadline]),
      });
      const body: unknown = await res.body.json();
      return { status: res.statusCode, headers: res.headers, body, at: performance.now() };
    },
    async publish(channel, data) {
      const res = await request(`${server.url}/channels/${channel}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain; charset=utf-8' },
        body: data,
        dispatcher: agent,
        signal: AbortSignal.timeout(DEADLINE_MS),
      });
      assert.equal(res.statusCode, 201);
      return ((await res.body.json()) as { id: string }).id;
    },
    async stats() {
      const res = await request(`${server.url}/stats`, { dispatcher: agent, signal: AbortSignal.timeout(DEADLINE_MS) });
      return (await res.body.json()) as { channels: number; messages: number; held: number; streams: number; slowClientsDropped: number };
    },
  };
  try {
    await fn(harness);
  } finally {
    // Client first: a test that failed midway may leave requests open.
    await agent.destroy();
    await server.close();
  }
}

/** Resolves once `condition` holds; checks every few ms and fails after `deadlineMs`. */
async function until(what: string, condition: () => boolean | Promise<boolean>, deadlineMs = DEADLINE_MS): Promise<void> {
  const started = performance.now();
  while (!(await condition())) {
    if (performance.now() - started > deadlineMs) throw new Error(`timed out after ${deadlineMs} ms waiting for ${what}`);
    await delay(5);
  }
}

/** Waits until the server holds exactly `count` polls. */
function heldCount(server: ReferenceServer, count: number): Promise<void> {
  return until(`${count} held poll(s)`, () => server.held.count() === count);
}

/** Asserts a 200 poll answer with the JSON type, no-store and this body. */
function assertPollAnswer(answer: Answer, body: unknown): void {
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  assert.equal(answer.headers['content-type'], JSON_TYPE);
  assert.equal(answer.headers['cache-control'], 'no-store');
  assert.deepEqual(answer.body, body);
}

describe('answered at once', () => {
  test('messages already after the cursor: answered at once, whatever the wait', async () => {
    await withServer({ maxHoldMs: LONG_WAIT }, async ({ server, poll, publish }) => {
      await publish('a', 'one');
      await publish('a', 'two');
      // A held poll would take 60 s; poll() fails at its 5 s deadline.
      assertPollAnswer(await poll('a', `?cursor=0&wait=${LONG_WAIT}`), {
        messages: [
          { id: '1', data: 'one' },
          { id: '2', data: 'two' },
        ],
        cursor: '2',
      });
      assertPollAnswer(await poll('a', `?cursor=1&wait=${LONG_WAIT}`), { messages: [{ id: '2', data: 'two' }], cursor: '2' });
      assert.equal(server.held.count(), 0);
    });
  });

  test('wait=0 or no wait is plain polling, even with nothing to send', async () => {
    await withServer({ maxHoldMs: LONG_WAIT }, async ({ poll, publish }) => {
      assertPollAnswer(await poll('a', '?cursor=0&wait=0'), { messages: [], cursor: '0' });
      assertPollAnswer(await poll('a', '?wait=0'), { messages: [], cursor: '0' });
      await publish('a', 'x');
      assertPollAnswer(await poll('a', '?cursor=1'), { messages: [], cursor: '1' });
    });
  });

  test('errors are answered at once: malformed wait, cursor ahead or expired', async () => {
    await withServer({ maxHoldMs: LONG_WAIT, historyLimit: 2 }, async ({ server, poll, publish }) => {
      for (const data of ['1', '2', '3']) await publish('a', data);
      const cases: Array<[string, number, string]> = [
        ['?cursor=3&wait=abc', 400, 'malformed_wait'],
        ['?cursor=3&wait=-1', 400, 'malformed_wait'],
        ['?wait=1.5', 400, 'malformed_wait'],
        [`?cursor=4&wait=${LONG_WAIT}`, 400, 'cursor_ahead'],
        [`?cursor=0&wait=${LONG_WAIT}`, 410, 'cursor_expired'],
      ];
      for (const [query, status, code] of cases) {
        const answer = await poll('a', query);
        assert.equal(answer.status, status, query);
        assert.equal((answer.body as { error: string }).error, code, query);
        assert.equal(answer.headers['cache-control'], 'no-store');
      }
      assert.equal(server.held.count(), 0);
    });
  });
});

describe('held polls', () => {
  test('held until a publish, then the batch after the cursor and the new cursor', async () => {
    await withServer({ maxHoldMs: LONG_WAIT }, async ({ server, poll, publish }) => {
      await publish('news', 'old');
      const pending = poll('news', `?cursor=1&wait=${LONG_WAIT}`);
      await heldCount(server, 1);
      const publishedAt = performance.now();
      assert.equal(await publish('news', 'new'), '2');
      const answer = await pending;
      assertPollAnswer(answer, { messages: [{ id: '2', data: 'new' }], cursor: '2' });
      // Bound against the 60 s hold, not a speed claim.
      assert.ok(answer.at - publishedAt < 1000, `answered ${Math.round(answer.at - publishedAt)} ms after the publish`);
      assert.equal(server.held.count(), 0);
      assert.equal(server.store.stats().listeners, 0);
    });
  });

  test('without a cursor, wait starts from now: only later messages', async () => {
    await withServer({ maxHoldMs: LONG_WAIT }, async ({ server, poll, publish }) => {
      await publish('news', 'before 1');
      await publish('news', 'before 2');
      const pending = poll('news', `?wait=${LONG_WAIT}`);
      await heldCount(server, 1);
      await publish('news', 'after');
      assertPollAnswer(await pending, { messages: [{ id: '3', data: 'after' }], cursor: '3' });
    });
  });

  test('a timeout answers 200 with the empty batch and the unchanged cursor after about wait', async () => {
    await withServer({ maxHoldMs: 5000 }, async ({ server, poll, publish, stats }) => {
      await publish('a', 'x');
      const sentAt = performance.now();
      const answer = await poll('a', '?cursor=1&wait=300');
      const elapsed = answer.at - sentAt;
      assert.ok(elapsed >= 250 && elapsed < 1500, `held ${Math.round(elapsed)} ms for wait=300`);
      assertPollAnswer(answer, { messages: [], cursor: '1' });
      // A channel nobody published to is only held state while a poll waits on it.
      assertPollAnswer(await poll('ghost', '?wait=50'), { messages: [], cursor: '0' });
      assert.deepEqual(await stats(), { channels: 1, messages: 1, held: 0, streams: 0, slowClientsDropped: 0, sockets: 0, slowSocketsDropped: 0 });
      assert.equal(server.store.stats().listeners, 0);
    });
  });

  test('maxHoldMs caps a larger wait', async () => {
    await withServer({ maxHoldMs: 300 }, async ({ poll }) => {
      const sentAt = performance.now();
      const answer = await poll('a', `?cursor=0&wait=${LONG_WAIT}`);
      const elapsed = answer.at - sentAt;
      assert.ok(elapsed >= 250 && elapsed < 1500, `held ${Math.round(elapsed)} ms with maxHoldMs=300`);
      assertPollAnswer(answer, { messages: [], cursor: '0' });
    });
  });

  test('GET /stats counts held polls; a held poll on an unknown channel counts as a channel while held', async () => {
    await withServer({ maxHoldMs: LONG_WAIT }, async ({ server, poll, publish, stats }) => {
      assert.deepEqual(await stats(), { channels: 0, messages: 0, held: 0, streams: 0, slowClientsDropped: 0, sockets: 0, slowSocketsDropped: 0 });
      const pending = [poll('a', `?cursor=0&wait=${LONG_WAIT}`), poll('a', `?wait=${LONG_WAIT}`), poll('b', `?wait=${LONG_WAIT}`)];
      await heldCount(server, 3);
      assert.deepEqual(await stats(), { channels: 2, messages: 0, held: 3, streams: 0, slowClientsDropped: 0, sockets: 0, slowSocketsDropped: 0 });
      await publish('a', 'x');
      await publish('b', 'y');
      await Promise.all(pending);
      assert.deepEqual(await stats(), { channels: 2, messages: 2, held: 0, streams: 0, slowClientsDropped: 0, sockets: 0, slowSocketsDropped: 0 });
    });
  });
});

describe('clients that go away', () => {
  test('an aborted poll frees its slot at once; the next poll with the old cursor gets the message', async () => {
    await withServer({ maxHoldMs: LONG_WAIT }, async ({ server, poll, publish, stats }) => {
      const baseline = (await stats()).held;
      const controller = new AbortController();
      const aborted = poll('gone', `?cursor=0&wait=${LONG_WAIT}`, controller.signal);
      await until('the poll to be held', async () => (await stats()).held === baseline + 1);
      controller.abort();
      await assert.rejects(aborted, { name: 'AbortError' });
      await until('held back to its baseline', async () => (await stats()).held === baseline, 2000);
      // No timer, store listener or listener-only channel stays behind.
      assert.deepEqual(server.store.stats(), { channels: 0, messages: 0, listeners: 0 });
      assert.equal(await publish('gone', 'after the abort'), '1');
      assertPollAnswer(await poll('gone', '?cursor=0'), { messages: [{ id: '1', data: 'after the abort' }], cursor: '1' });
    });
  });

  test('a socket that closes just before a publish is never answered', async () => {
    await withServer({ maxHoldMs: LONG_WAIT }, async ({ server, poll }) => {
      let response: ServerResponse | undefined;
      server.app.server.on('request', (_req, res: ServerResponse) => {
        response = res;
      });
      const pending = poll('a', `?cursor=0&wait=${LONG_WAIT}`);
      await heldCount(server, 1);
      assert.ok(response !== undefined);
      // Destroyed, but its 'close' event (which cancels the hold) has not run
      // yet: the publish releases the hold into a dead socket.
      response.socket?.destroy();
      server.store.publish('a', { data: 'too late' });
      await assert.rejects(pending);
      assert.equal(response.headersSent, false, 'no answer was attempted');
      assert.equal(server.held.count(), 0);
      assert.equal(server.store.stats().listeners, 0);
    });
  });
});

describe('broadcast', () => {
  test('one publish answers 60 polls held on one channel, through one store listener', async () => {
    await withServer({ maxHoldMs: LONG_WAIT }, async ({ server, poll, publish, stats }) => {
      const pending = Array.from({ length: 60 }, (_, i) => poll('fan', i % 2 === 0 ? `?cursor=0&wait=${LONG_WAIT}` : `?wait=${LONG_WAIT}`));
      await heldCount(server, 60);
      assert.equal(server.store.stats().listeners, 1);
      await publish('fan', 'to everyone');
      for (const answer of await Promise.all(pending)) {
        assertPollAnswer(answer, { messages: [{ id: '1', data: 'to everyone' }], cursor: '1' });
      }
      assert.equal((await stats()).held, 0);
      assert.equal(server.store.stats().listeners, 0);
    });
  });

  test('two polls held with the same cursor both get the message', async () => {
    await withServer({ maxHoldMs: LONG_WAIT }, async ({ server, poll, publish }) => {
      await publish('a', 'seen');
      const first = poll('a', `?cursor=1&wait=${LONG_WAIT}`);
      const second = poll('a', `?cursor=1&wait=${LONG_WAIT}`);
      await heldCount(server, 2);
      await publish('a', 'both');
      const expected = { messages: [{ id: '2', data: 'both' }], cursor: '2' };
      assertPollAnswer(await first, expected);
      assertPollAnswer(await second, expected);
    });
  });

  test('polls held on two channels are independent', async () => {
    await withServer({ maxHoldMs: LONG_WAIT }, async ({ server, poll, publish }) => {
      let bAnswered = false;
      const onA = poll('a', `?cursor=0&wait=${LONG_WAIT}`);
      const onB = poll('b', `?cursor=0&wait=${LONG_WAIT}`).then((answer) => {
        bAnswered = true;
        return answer;
      });
      await heldCount(server, 2);
      await publish('a', 'for a');
      assertPollAnswer(await onA, { messages: [{ id: '1', data: 'for a' }], cursor: '1' });
      assert.equal(server.held.count(), 1);
      assert.equal(bAnswered, false);
      await publish('b', 'for b');
      assertPollAnswer(await onB, { messages: [{ id: '1', data: 'for b' }], cursor: '1' });
    });
  });

  test('a wake whose read fails is answered through the error handler', async () => {
    await withServer({ maxHoldMs: LONG_WAIT }, async ({ server, poll }) => {
      const pending = poll('a', `?cursor=0&wait=${LONG_WAIT}`);
      await heldCount(server, 1);
      // Cannot happen with the real store (the read runs inside the publish);
      // a broken one must still produce a registry error, not a hang.
      server.store.read = () => ({ kind: 'expired', oldest: '7' });
      server.store.publish('a', { data: 'x' });
      const answer = await pending;
      assert.equal(answer.status, 410);
      assert.deepEqual(answer.body, {
        error: 'cursor_expired',
        message:
          'cursor "0" is older than the history of channel "a": messages before 7 are no longer retained; ' +
          'resume from cursor 6 to read from the oldest retained message',
        oldest: '7',
      });
    });
  });
});

describe('shutdown', () => {
  test('close() answers every held poll with 200, the empty batch and its cursor', async () => {
    await withServer({ maxHoldMs: LONG_WAIT }, async ({ server, poll, publish }) => {
      await publish('b', '1');
      await publish('b', '2');
      const pending = [poll('a', `?cursor=0&wait=${LONG_WAIT}`), poll('b', `?cursor=2&wait=${LONG_WAIT}`), poll('b', `?wait=${LONG_WAIT}`)];
      await heldCount(server, 3);
      await server.close();
      const answers = await Promise.all(pending);
      assertPollAnswer(answers[0]!, { messages: [], cursor: '0' });
      assertPollAnswer(answers[1]!, { messages: [], cursor: '2' });
      assertPollAnswer(answers[2]!, { messages: [], cursor: '2' });
      assert.equal(server.held.count(), 0);
      const open = await new Promise<number>((resolve, reject) =>
        server.app.server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
      );
      assert.equal(open, 0);
    });
  });

  test('app.close() answers polls held through app.inject', async () => {
    const { app, held } = buildReferenceApp({ maxHoldMs: LONG_WAIT });
    try {
      const woken = app.inject({ url: `/channels/a/messages?wait=${LONG_WAIT}` });
      await until('the injected poll to be held', () => held.count() === 1);
      await app.inject({ method: 'POST', url: '/channels/a/messages', headers: { 'content-type': 'text/plain' }, payload: 'x' });
      assert.deepEqual((await woken).json(), { messages: [{ id: '1', data: 'x' }], cursor: '1' });
      const closing = app.inject({ url: `/channels/a/messages?cursor=1&wait=${LONG_WAIT}` });
      await until('the second injected poll to be held', () => held.count() === 1);
      await app.close();
      const answer = await closing;
      assert.equal(answer.statusCode, 200);
      assert.equal(answer.headers['cache-control'], 'no-store');
      assert.deepEqual(answer.json(), { messages: [], cursor: '1' });
    } finally {
      await app.close();
    }
  });

  test('a process whose server held polls at close exits on its own', async () => {
    const { code, signal, out, err } = await runScriptUntilExit(
      `import { get } from 'node:http';
const { startReferenceServer } = await import(${JSON.stringify(new URL('../reference/server.ts', import.meta.url).href)});
const server = await startReferenceServer({ maxHoldMs: ${LONG_WAIT} });
const polls = ['a', 'b', 'c'].map((channel) => new Promise((resolve, reject) => {
  get(\`\${server.url}/channels/\${channel}/messages?wait=${LONG_WAIT}\`, { agent: false }, (res) => {
    let body = '';
    res.setEncoding('utf8');
    res.on('data', (chunk) => (body += chunk));
    res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(body) }));
  }).on('error', reject);
}));
while (server.held.count() < 3) await new Promise((resolve) => setTimeout(resolve, 5));
await server.close();
console.log(JSON.stringify(await Promise.all(polls)));
// No process.exit(): a timer or socket left behind would keep the process alive for ${LONG_WAIT} ms.
`,
      { cwd: ROOT, tmpPrefix: 'pushspec-long-poll-', deadlineMs: 15_000 },
    );
    assert.equal(signal, null, `the process did not exit on its own within 15 s: ${out}${err}`);
    assert.equal(code, 0, err);
    const empty = { status: 200, body: { messages: [], cursor: '0' } };
    assert.deepEqual(JSON.parse(out), [empty, empty, empty]);
  });
});

describe('pushspec serve --max-hold', () => {
  test('caps holds at the given time; a bad value is a usage error (exit 2)', async () => {
    const child = spawn(process.execPath, ['bin/pushspec.mjs', 'serve', '--port', '0', '--max-hold', '300'], { cwd: ROOT, timeout: 30_000 });
    try {
      const url = await waitForListening(child, 15_000);
      const sentAt = performance.now();
      const res = await request(`${url}/channels/a/messages?wait=${LONG_WAIT}`, { signal: AbortSignal.timeout(DEADLINE_MS), reset: true });
      assert.deepEqual(await res.body.json(), { messages: [], cursor: '0' });
      const elapsed = performance.now() - sentAt;
      assert.ok(elapsed >= 250 && elapsed < 1500, `held ${Math.round(elapsed)} ms with --max-hold 300`);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
    for (const bad of ['0', '3600001', 'soon']) {
      const refused = spawn(process.execPath, ['bin/pushspec.mjs', 'serve', '--port', '0', '--max-hold', bad], { cwd: ROOT, timeout: 15_000 });
      let err = '';
      refused.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
      const [code] = (await once(refused, 'exit')) as [number | null];
      assert.equal(code, 2, err);
      assert.match(err, new RegExp(`--max-hold is "${bad}"; expected an integer from 1 to 3600000`));
    }
  });
});

/**
 * A plain GET poll is answered before fastify sees the request
 * (reference/poll-fast-path.ts), not through the route's reply.send: it
 * must carry exactly what fastify would have sent. HEAD still takes
 * fastify's path, so each GET answer is compared with the HEAD answer to
 * the same request (status and headers equal, Date aside), and a held
 * poll's answer (fastify's) with an immediate poll's for the same batch.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Agent, request } from 'undici';
import { waitUntil } from '../core/wait.ts';
import { startReferenceServer, type ReferenceServer } from '../reference/server.ts';

const DEADLINE_MS = 5000;
const ORIGIN = 'https://app.example';

let server: ReferenceServer;
const agent = new Agent();

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

async function ask(method: 'GET' | 'HEAD', path: string, origin?: string): Promise<Answer> {
  const response = await request(`${server.url}${path}`, { method, dispatcher: agent, headers: origin === undefined ? {} : { origin }, signal: AbortSignal.timeout(DEADLINE_MS) });
  const body = await response.body.text();
  const headers = Object.fromEntries(Object.entries(response.headers).filter(([name]) => name !== 'date').map(([name, value]) => [name, String(value)]));
  return { status: response.statusCode, headers, body };
}

/**
 * Headers but the connection's: node decides those (undici's HEAD gets `connection: close`, before
 * and after the raw answers alike), not the route.
 */
function withoutConnection(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => name !== 'connection' && name !== 'keep-alive'));
}

async function publish(channel: string, data: string): Promise<void> {
  const response = await request(`${server.url}/channels/${channel}/messages`, { method: 'POST', dispatcher: agent, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ data }), signal: AbortSignal.timeout(DEADLINE_MS) });
  await response.body.dump();
  assert.equal(response.statusCode, 201);
}

before(async () => {
  server = await startReferenceServer({ corsOrigins: [ORIGIN] });
  await publish('answers', 'one');
  await publish('answers', 'two "quoted" é');
});
after(async () => {
  await agent.close();
  await server.close();
});

describe('an immediate GET poll answers exactly as fastify would (its HEAD twin takes fastify\'s path)', () => {
  for (const [label, query, origin] of [
    ['a batch', '?cursor=0', undefined],
    ['nothing new', '?cursor=2', undefined],
    ['no cursor', '', undefined],
    ['a batch, from an allowed origin', '?cursor=0', ORIGIN],
    ['a batch, from another origin', '?cursor=1', 'https://other.example'],
    ['nothing new, asked not to wait', '?cursor=2&wait=0', ORIGIN],
  ] as const) {
    test(label, async () => {
      const get = await ask('GET', `/channels/answers/messages${query}`, origin);
      const head = await ask('HEAD', `/channels/answers/messages${query}`, origin);
      assert.equal(get.status, 200);
      assert.equal(head.status, get.status);
      assert.deepEqual(withoutConnection(get.headers), withoutConnection(head.headers));
      assert.equal(get.headers['content-type'], 'application/json; charset=utf-8');
      assert.equal(get.headers['cache-control'], 'no-store');
      assert.equal(get.headers['content-length'], String(Buffer.byteLength(get.body)));
      if (origin === ORIGIN) assert.equal(get.headers['access-control-allow-origin'], ORIGIN);
      else assert.equal(get.headers['access-control-allow-origin'], undefined);
      const body = JSON.parse(get.body) as { messages: Array<{ id: string; data: string }>; cursor: string };
      assert.equal(body.cursor, '2');
    });
  }
});

test('a held poll released by a message, and one released by its timeout, answer like an immediate poll of the same batch', async () => {
  const channel = 'held-answers';
  await publish(channel, 'first');
  const held = ask('GET', `/channels/${channel}/messages?cursor=1&wait=${DEADLINE_MS}`, ORIGIN);
  await waitUntil(() => server.held.count() === 1, { what: 'the poll to be held', deadlineMs: DEADLINE_MS, seen: () => `${server.held.count()} held`, everyMs: 10 });
  await publish(channel, 'second, with "quotes"');
  const released = await held;
  const immediate = await ask('GET', `/channels/${channel}/messages?cursor=1`, ORIGIN);
  assert.deepEqual(released, immediate);
  assert.deepEqual(JSON.parse(released.body), { messages: [JSON.parse(immediate.body).messages[0]], cursor: '2' });
  const timedOut = await ask('GET', `/channels/${channel}/messages?cursor=2&wait=50`);
  assert.deepEqual(timedOut, await ask('GET', `/channels/${channel}/messages?cursor=2`));
});

test('what the fast path leaves to fastify is answered by fastify: errors, a foreign Host, a body, a closed channel', async () => {
  const bad = await ask('GET', '/channels/answers/messages?cursor=07');
  assert.equal(bad.status, 400);
  assert.match(bad.body, /malformed_cursor/);
  const ahead = await ask('GET', '/channels/answers/messages?cursor=99');
  assert.equal(ahead.status, 400);
  assert.match(ahead.body, /cursor_ahead/);
  const twice = await ask('GET', '/channels/answers/messages?cursor=1&cursor=2');
  assert.equal(twice.status, 400);
  const foreign = await request(`${server.url}/channels/answers/messages?cursor=0`, { dispatcher: agent, headers: { host: 'rebound.example' }, signal: AbortSignal.timeout(DEADLINE_MS) });
  assert.equal(foreign.statusCode, 421);
  await foreign.body.dump();
  await publish('closing', 'x');
  const closed = await request(`${server.url}/channels/closing`, { method: 'DELETE', dispatcher: agent, signal: AbortSignal.timeout(DEADLINE_MS) });
  await closed.body.dump();
  const afterClose = await ask('GET', '/channels/closing/messages?cursor=0');
  assert.equal(afterClose.status, 410);
  assert.match(afterClose.body, /channel_closed/);
});

test('polls held with one cursor and released by one publish all get the same answer', async () => {
  const channel = 'held-many';
  const polls = Array.from({ length: 5 }, () => ask('GET', `/channels/${channel}/messages?cursor=0&wait=${DEADLINE_MS}`));
  await waitUntil(() => server.held.count() === 5, { what: '5 polls held', deadlineMs: DEADLINE_MS, seen: () => `${server.held.count()} held`, everyMs: 10 });
  await publish(channel, 'to all');
  const answers = await Promise.all(polls);
  for (const answer of answers) assert.deepEqual(answer, answers[0]);
  assert.deepEqual(JSON.parse(answers[0]!.body).messages.map((m: { data: string }) => m.data), ['to all']);
});

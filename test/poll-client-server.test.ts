/** The scripted poll server: answers poll N as planned, in the declared protocol, and records each poll. */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { test } from 'node:test';
import { Transcript } from '../core/transcript.ts';
import { clientPollSectionFrom } from '../techniques/polling/client-side/contract.ts';
import { ScriptedPollServer, type PlannedAnswer } from '../techniques/polling/client-side/poll-server.ts';

/** One GET; its status, headers and body, or the error that broke it. */
function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; body: string } | { error: string }> {
  return new Promise((resolve) => {
    const req = request(url, { headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (e) => resolve({ error: e.message }));
    });
    req.on('error', (e) => resolve({ error: e.message }));
    req.end();
  });
}

test('plans, the reference batch, statuses and cuts, as recorded', async () => {
  const plan = new Map<number, PlannedAnswer>([
    [1, { kind: 'messages', data: ['one', 'two'] }],
    [2, { kind: 'status', status: 503, headers: { 'retry-after': '1' } }],
    [3, { kind: 'cut', afterMs: 20 }],
    [4, { kind: 'empty', afterMs: 30 }],
  ]);
  const transcript = new Transcript();
  const server = await ScriptedPollServer.start(transcript, clientPollSectionFrom({}, 'longPolling', 't.json'), (n) => plan.get(n) ?? { kind: 'hold' });
  try {
    const preflight = await new Promise<number>((resolve) => request(server.url, { method: 'OPTIONS', agent: false, headers: { 'access-control-request-headers': 'if-none-match' } }, (res) => resolve(res.resume() && res.statusCode!)).end());
    assert.equal(preflight, 204, 'a CORS preflight is allowed, and is no poll');
    const first = await get(server.url);
    assert.ok('status' in first);
    assert.equal(first.status, 200);
    assert.equal(first.headers['access-control-allow-origin'], '*');
    assert.equal(first.headers['cache-control'], 'no-store');
    assert.deepEqual(JSON.parse(first.body), { messages: [{ id: '1', data: 'one' }, { id: '2', data: 'two' }], cursor: '2' });
    const second = await get(`${server.url}?cursor=2&wait=1000`);
    assert.ok('status' in second);
    assert.equal(second.status, 503);
    assert.equal(second.headers['retry-after'], '1');
    assert.ok('error' in (await get(`${server.url}?cursor=2`)), 'poll 3 is cut');
    const fourth = await get(`${server.url}?cursor=2`);
    assert.ok('status' in fourth);
    assert.deepEqual(JSON.parse(fourth.body), { messages: [], cursor: '2' });
    assert.deepEqual(
      server.polls.map((p) => [p.n, p.cursor, p.outcome, p.status]),
      [
        [1, undefined, 'answered', 200],
        [2, '2', 'answered', 503],
        [3, '2', 'cut', undefined],
        [4, '2', 'answered', 200],
      ],
    );
    assert.equal(server.poll(1)!.answerCursor, '2');
    assert.ok(server.poll(4)!.answeredAtMs! - server.poll(4)!.atMs >= 25, 'poll 4 was held as planned');
    // A poll held when the case ends was held as planned: no "dropped" in the evidence.
    void get(`${server.url}?cursor=2`);
    await new Promise<void>((resolve) => {
      const stop = server.changes.subscribe(() => server.polls.length === 5 && (stop(), resolve()));
    });
  } finally {
    await server.close();
  }
  assert.equal(server.poll(5)!.outcome, 'outstanding');
  assert.ok(!transcript.toEvidence(undefined).notes.some((n) => n.includes('poll 5 ended')), 'no note that poll 5 was dropped');
});

test('validators: the ETag is the cursor, read back from If-None-Match', async () => {
  const server = await ScriptedPollServer.start(new Transcript(), clientPollSectionFrom({ cursor: { in: 'validators' }, intervalMs: 300 }, 'polling', 't.json'), (n) => (n === 1 ? { kind: 'messages', data: ['x'] } : { kind: 'empty' }));
  try {
    const first = await get(server.url);
    assert.ok('status' in first);
    assert.equal(first.headers.etag, '"1"');
    await get(server.url, { 'if-none-match': '"1"' });
    assert.equal(server.poll(2)!.cursor, '1');
  } finally {
    await server.close();
  }
});

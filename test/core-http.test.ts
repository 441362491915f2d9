/**
 * core/http.ts against real loopback servers: a body is read whole, a leading
 * U+FEFF kept, and an endless body stopped at the cap with the cap named.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { Agent } from 'undici';
import { ConformanceFailure } from '../core/failure.ts';
import { PushspecError } from '../core/errors.ts';
import { readCapped, sendRecorded } from '../core/http.ts';
import { DEFAULT_READ_CAP_BYTES, READ_CAP_ENV, readCapBytes } from '../core/read-cap.ts';
import { Transcript } from '../core/transcript.ts';

let server: http.Server;
let base: string;
const agent = new Agent();

before(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/bom') return res.end('\ufeffbefore');
    // 900 KiB, then silence: held by the client until its deadline.
    if (req.url === '/stall') return void res.writeHead(200, { 'content-type': 'text/plain' }).write(Buffer.alloc(900 * 1024, 'y'));
    // Endless: 64 KiB chunks for as long as the client reads.
    res.writeHead(200, { 'content-type': 'text/plain' });
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const write = (): void => {
      while (!res.destroyed && res.write(chunk));
      if (!res.destroyed) res.once('drain', write);
    };
    write();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  server.closeAllConnections();
  server.close();
  await agent.close();
});

test('a body is read whole, a leading U+FEFF kept (it may be data)', async () => {
  const answer = await sendRecorded(agent, new Transcript(), { actor: 'client', method: 'GET', url: `${base}/bom`, deadlineMs: 5000 });
  assert.equal(answer.body, '\ufeffbefore');
});

test('an endless body fails the request at the cap, naming it, and pushspec stops reading', async () => {
  const transcript = new Transcript();
  const error = await sendRecorded(agent, transcript, { actor: 'client', method: 'GET', url: `${base}/endless`, deadlineMs: 10_000, maxBodyBytes: 1024 * 1024 }).then(
    () => assert.fail('an endless body was read whole'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof ConformanceFailure);
  assert.match(error.expected, /^a complete answer to GET \/endless$/);
  assert.equal(error.actual, "status 200, then a body longer than pushspec's read cap (1 MiB, PUSHSPEC_READ_CAP_MIB); pushspec stopped reading");
});

test('bodies read at once share a budget of four caps: the read that would pass it stops, naming it; the budget is released after', async () => {
  process.env[READ_CAP_ENV] = '1';
  try {
    // Five bodies of 900 KiB that never end, read at once with a 1 MiB cap: each fits its own cap, all five do not fit 4 MiB.
    const many = Array.from({ length: 5 }, () =>
      sendRecorded(agent, new Transcript(), { actor: 'client', method: 'GET', url: `${base}/stall`, deadlineMs: 2000 }).then(
        () => assert.fail('a stalled body was read whole'),
        (e: unknown) => e as ConformanceFailure,
      ),
    );
    const actuals = (await Promise.all(many)).map((e) => e.actual);
    const budget = actuals.filter((a) => a.startsWith("status 200, then the bodies pushspec was reading at once passed 4 MiB (four times pushspec's read cap (1 MiB, PUSHSPEC_READ_CAP_MIB))"));
    assert.ok(budget.length >= 1, actuals.join('\n'));
    assert.ok(actuals.every((a) => budget.includes(a) || a === 'no complete answer after 2000 ms'), actuals.join('\n'));
    // Released: a body read alone afterwards reaches its own cap, not the budget.
    const alone = await sendRecorded(agent, new Transcript(), { actor: 'client', method: 'GET', url: `${base}/endless`, deadlineMs: 10_000 }).catch((e: unknown) => e as ConformanceFailure);
    assert.match((alone as ConformanceFailure).actual, /then a body longer than pushspec's read cap/);
  } finally {
    delete process.env[READ_CAP_ENV];
  }
});

test('the read cap comes from PUSHSPEC_READ_CAP_MIB; a value that is not a whole number of MiB is a usage error', () => {
  assert.equal(readCapBytes(), DEFAULT_READ_CAP_BYTES);
  for (const bad of ['0', '-1', '1.5', 'lots', '5000']) {
    process.env[READ_CAP_ENV] = bad;
    try {
      assert.throws(() => readCapBytes(), (e: unknown) => e instanceof PushspecError && e.code === 'PUSHSPEC_ERR_USAGE' && e.message.includes(READ_CAP_ENV));
    } finally {
      delete process.env[READ_CAP_ENV];
    }
  }
  process.env[READ_CAP_ENV] = '8';
  assert.equal(readCapBytes(), 8 * 1024 * 1024);
  delete process.env[READ_CAP_ENV];
});

test('a body that comes a byte at a time, or in chunks of mixed sizes, is read back whole and in order', async () => {
  const bytes = Buffer.from(Array.from({ length: 20_000 }, (_, i) => i % 251));
  const sizes = [1, 1, 5000, 1, 3, 9000, 1];
  const chunks: Buffer[] = [];
  for (let at = 0, i = 0; at < bytes.length; i += 1) {
    const size = sizes[i % sizes.length]!;
    chunks.push(bytes.subarray(at, at + size));
    at += size;
  }
  const body = Object.assign((async function* () { yield* chunks; })(), { destroy: () => undefined });
  const read = await readCapped(body, 1024 * 1024);
  assert.ok(Buffer.isBuffer(read) && read.equals(bytes));
  const oneByte = Object.assign((async function* () { for (const byte of bytes) yield Buffer.from([byte]); })(), { destroy: () => undefined });
  const readByBytes = await readCapped(oneByte, 1024 * 1024);
  assert.ok(Buffer.isBuffer(readByBytes) && readByBytes.equals(bytes));
});

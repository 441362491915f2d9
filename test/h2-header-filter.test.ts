/**
 * The HTTP/2 header-block filter (core/h2-header-filter.ts): frame by frame,
 * connection-specific fields out, the rest re-encoded so a client reads it;
 * and the check that judges what it saw (core/h2-checks.ts).
 */
import assert from 'node:assert/strict';
import { createServer, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import { describe, test } from 'node:test';
import hpack from 'hpack.js';
import { request } from 'undici';
import { checkNoConnectionSpecificFields } from '../core/h2-checks.ts';
import { connectionSpecific, HeaderBlockFilter, type ServerHeaderBlock } from '../core/h2-header-filter.ts';
import { versionedAgent } from '../core/http-version.ts';
import { Transcript } from '../core/transcript.ts';

function frame(type: number, flags: number, streamId: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(9);
  head.writeUIntBE(payload.length, 0, 3);
  head[3] = type;
  head[4] = flags;
  head.writeUInt32BE(streamId, 5);
  return Buffer.concat([head, payload]);
}

/** Splits a stream of frames into [type, flags, streamId, payload]. */
function frames(bytes: Buffer): Array<[number, number, number, Buffer]> {
  const out: Array<[number, number, number, Buffer]> = [];
  for (let at = 0; at < bytes.length; ) {
    const length = bytes.readUIntBE(at, 3);
    out.push([bytes[at + 3]!, bytes[at + 4]!, bytes.readUInt32BE(at + 5), bytes.subarray(at + 9, at + 9 + length)]);
    at += 9 + length;
  }
  return out;
}

const serverEncoder = () => hpack.compressor.create({ table: { size: 4096 } });
function encode(encoder: ReturnType<typeof serverEncoder>, fields: Array<[string, string]>): Buffer {
  encoder.write(fields.map(([name, value]) => ({ name, value })));
  return encoder.read()!;
}
function decodeAll(decoder: ReturnType<typeof hpack.decompressor.create>, block: Buffer): Array<[string, string]> {
  decoder.write(block);
  decoder.execute();
  const out: Array<[string, string]> = [];
  for (let f = decoder.read(); f !== null; f = decoder.read()) out.push([f.name, f.value]);
  return out;
}

describe('the HTTP/2 header-block filter', () => {
  test('connection-specific fields: the five named, and what Connection names', () => {
    assert.deepEqual(
      connectionSpecific([
        [':status', '200'],
        ['connection', 'keep-alive, x-hop'],
        ['x-hop', '1'],
        ['transfer-encoding', 'chunked'],
        ['content-type', 'text/plain'],
      ]),
      [
        ['connection', 'keep-alive, x-hop'],
        ['x-hop', '1'],
        ['transfer-encoding', 'chunked'],
      ],
    );
  });

  test('takes the fields out, re-encodes the rest for the client, across split chunks, HEADERS + CONTINUATION and padding; other frames pass unchanged', () => {
    const server = serverEncoder();
    const first = encode(server, [
      [':status', '200'],
      ['content-type', 'text/event-stream'],
      ['connection', 'keep-alive'],
    ]);
    const second = encode(server, [
      [':status', '200'],
      ['content-type', 'text/event-stream'],
      ['keep-alive', 'timeout=5'],
    ]);
    const settings = frame(0x4, 0, 0, Buffer.alloc(0));
    const data = frame(0x0, 0x1, 1, Buffer.from('hello'));
    const padded = Buffer.concat([Buffer.from([3]), first, Buffer.alloc(3)]);
    const wire = Buffer.concat([
      settings,
      frame(0x1, 0x8, 1, padded), // HEADERS, PADDED, no END_HEADERS
      frame(0x9, 0x4, 1, Buffer.alloc(0)), // CONTINUATION ending the block
      data,
      frame(0x1, 0x4 | 0x1, 3, second), // HEADERS, END_HEADERS | END_STREAM
    ]);
    const blocks: ServerHeaderBlock[] = [];
    const filter = new HeaderBlockFilter('example:443', (block) => blocks.push(block));
    const out = Buffer.concat([...Array(Math.ceil(wire.length / 7)).keys()].map((i) => filter.push(wire.subarray(i * 7, i * 7 + 7))));
    const seen = frames(out);
    assert.deepEqual(
      seen.map(([type, flags, id]) => [type, flags, id]),
      [
        [0x4, 0, 0],
        [0x1, 0x4, 1],
        [0x0, 0x1, 1],
        [0x1, 0x5, 3],
      ],
    );
    assert.deepEqual(seen[2]![3], Buffer.from('hello'));
    const client = hpack.decompressor.create({ table: { size: 4096 } });
    assert.deepEqual(decodeAll(client, seen[1]![3]), [
      [':status', '200'],
      ['content-type', 'text/event-stream'],
    ]);
    assert.deepEqual(decodeAll(client, seen[3]![3]), [
      [':status', '200'],
      ['content-type', 'text/event-stream'],
    ]);
    assert.deepEqual(
      blocks.map((b) => [b.streamId, b.removed]),
      [
        [1, [['connection', 'keep-alive']]],
        [3, [['keep-alive', 'timeout=5']]],
      ],
    );
  });

  test('a block that does not decode passes as it came, and so does everything after it', () => {
    const filter = new HeaderBlockFilter('example:443', () => assert.fail('no block is reported'));
    const broken = frame(0x1, 0x4, 1, Buffer.from([0xff, 0xff, 0xff]));
    const after = frame(0x1, 0x4, 3, Buffer.from([0x88]));
    assert.deepEqual(filter.push(Buffer.concat([broken, after])), Buffer.concat([broken, after]));
  });

  test('through undici: answers are read through the filter, each header block counted', async () => {
    // Node's server will not send such a field, so this one checks the path end to end on a clean answer:
    // the filter sits between undici and the server, and every block is counted.
    const server = createServer((req: Http2ServerRequest, res: Http2ServerResponse) => res.end(`answer to ${req.url}`));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const transcript = new Transcript();
    const agent = versionedAgent({ version: '2', tls: {}, onHeaderBlock: (block) => transcript.recordH2HeaderBlock(block) });
    try {
      const { port } = server.address() as { port: number };
      for (const path of ['/a', '/b']) {
        const answer = await request(`http://127.0.0.1:${port}${path}`, { dispatcher: agent });
        assert.equal(await answer.body.text(), `answer to ${path}`);
      }
      assert.equal(transcript.h2HeaderBlocks.seen, 2);
      checkNoConnectionSpecificFields(transcript.h2HeaderBlocks);
    } finally {
      await agent.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('the check: no connection-specific fields over HTTP/2', () => {
  const block = (streamId: number, removed: Array<[string, string]>): ServerHeaderBlock => ({ origin: 'x:1', streamId, fields: [[':status', '200'], ...removed], removed });

  test('fails naming the field and the stream; fails when no block came at all', () => {
    const transcript = new Transcript();
    transcript.recordH2HeaderBlock(block(1, []));
    transcript.recordH2HeaderBlock(block(3, [['connection', 'keep-alive']]));
    assert.throws(() => checkNoConnectionSpecificFields(transcript.h2HeaderBlocks), (error: Error & { actual?: unknown }) => /1 of 2 header block\(s\) held them: stream 3 \(200\): connection: keep-alive/.test(String(error.actual ?? error.message)));
    assert.throws(() => checkNoConnectionSpecificFields(new Transcript().h2HeaderBlocks), /no header block came over HTTP\/2/);
  });

  test('passes when every block was clean', () => {
    const transcript = new Transcript();
    transcript.recordH2HeaderBlock(block(1, []));
    checkNoConnectionSpecificFields(transcript.h2HeaderBlocks);
  });
});

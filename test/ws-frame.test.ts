/**
 * RFC 6455 framing by hand: encode/decode round trips at the length-encoding
 * boundaries, forced non-minimal lengths, masks, frames split across chunks or
 * packed into one, the frame-size bound, close payloads and the accept key.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  acceptKeyFor,
  closePayload,
  encodeFrame,
  FrameReader,
  isControlOpcode,
  isSendableCloseCode,
  isValidUtf8,
  opcodeName,
  parseClosePayload,
  randomKey,
} from '../techniques/websocket/frame.ts';

const bytes = (n: number): Buffer => Buffer.from(Array.from({ length: n }, (_, i) => (i * 7 + 3) & 0xff));

describe('encodeFrame / FrameReader', () => {
  for (const n of [0, 125, 126, 127, 65535, 65536]) {
    test(`round trip of ${n} bytes, masked and unmasked`, () => {
      const payload = bytes(n);
      for (const mask of [true, false]) {
        const frame = encodeFrame({ opcode: 2, payload, mask });
        const expectedEncoding = n <= 125 ? 7 : n <= 65535 ? 16 : 64;
        const header = 2 + (expectedEncoding === 7 ? 0 : expectedEncoding === 16 ? 2 : 8) + (mask ? 4 : 0);
        assert.equal(frame.length, header + n);
        const [decoded, ...rest] = new FrameReader().push(frame);
        assert.equal(rest.length, 0);
        assert.ok(decoded);
        assert.equal(decoded.fin, true);
        assert.equal(decoded.rsv, 0);
        assert.equal(decoded.opcode, 2);
        assert.equal(decoded.masked, mask);
        assert.equal(decoded.lengthEncoding, expectedEncoding);
        assert.equal(decoded.minimalLength, true);
        assert.ok(decoded.payload.equals(payload));
      }
    });
  }

  test('forced 16- and 64-bit encodings are flagged non-minimal', () => {
    const reader = new FrameReader();
    const [a, b, c, d] = reader.push(
      Buffer.concat([
        encodeFrame({ opcode: 1, payload: 'hi', length: 16, mask: false }),
        encodeFrame({ opcode: 1, payload: 'hi', length: 64, mask: false }),
        encodeFrame({ opcode: 2, payload: bytes(300), length: 64 }),
        encodeFrame({ opcode: 2, payload: bytes(300), length: 16 }),
      ]),
    );
    assert.deepEqual([a?.lengthEncoding, a?.minimalLength, a?.payload.toString()], [16, false, 'hi']);
    assert.deepEqual([b?.lengthEncoding, b?.minimalLength, b?.payload.toString()], [64, false, 'hi']);
    assert.deepEqual([c?.lengthEncoding, c?.minimalLength, c?.payload.length], [64, false, 300]);
    assert.deepEqual([d?.lengthEncoding, d?.minimalLength], [16, true]);
    assert.throws(() => encodeFrame({ opcode: 2, payload: bytes(70000), length: 16 }), RangeError);
  });

  test('header bits: fin, rsv, opcode, and a fixed mask key', () => {
    const key = Buffer.from([1, 2, 3, 4]);
    const frame = encodeFrame({ opcode: 1, payload: 'abcd', fin: false, rsv: 5, maskKey: key });
    assert.equal(frame[0], 0x50 | 1);
    assert.equal(frame[1], 0x80 | 4);
    assert.ok(frame.subarray(2, 6).equals(key));
    assert.deepEqual([...frame.subarray(6)], [0x61 ^ 1, 0x62 ^ 2, 0x63 ^ 3, 0x64 ^ 4]);
    const [decoded] = new FrameReader().push(frame);
    assert.deepEqual([decoded?.fin, decoded?.rsv, decoded?.masked, decoded?.payload.toString()], [false, 5, true, 'abcd']);
    assert.throws(() => encodeFrame({ opcode: 1, rsv: 8 }), RangeError);
    assert.throws(() => encodeFrame({ opcode: 16 }), RangeError);
    assert.throws(() => encodeFrame({ opcode: 1, maskKey: Buffer.alloc(3) }), RangeError);
    assert.equal(encodeFrame({ opcode: 9 }).length, 6);
  });

  test('random mask keys differ between frames', () => {
    const a = encodeFrame({ opcode: 1, payload: 'same' });
    const b = encodeFrame({ opcode: 1, payload: 'same' });
    const c = encodeFrame({ opcode: 1, payload: 'same' });
    assert.ok(!(a.equals(b) && b.equals(c)));
  });

  test('frames split across chunks, byte by byte and at every header boundary', () => {
    const frames = [
      encodeFrame({ opcode: 1, payload: 'hello', mask: false }),
      encodeFrame({ opcode: 2, payload: bytes(200), mask: false }),
      encodeFrame({ opcode: 2, payload: bytes(70000), mask: false }),
      encodeFrame({ opcode: 9, payload: 'p', maskKey: Buffer.from([9, 9, 9, 9]) }),
    ];
    const wire = Buffer.concat(frames);
    const reader = new FrameReader();
    const out = [];
    for (let i = 0; i < 300; i++) out.push(...reader.push(wire.subarray(i, i + 1)));
    for (let i = 300; i < wire.length; i += 997) out.push(...reader.push(wire.subarray(i, Math.min(i + 997, wire.length))));
    assert.equal(reader.bufferedBytes, 0);
    assert.deepEqual(out.map((f) => [f.opcode, f.payload.length]), [[1, 5], [2, 200], [2, 70000], [9, 1]]);
    assert.ok(out[2]?.payload.equals(bytes(70000)));
    assert.equal(out[3]?.payload.toString(), 'p');
    assert.deepEqual(reader.push(Buffer.alloc(0)), []);
  });

  test('several frames in one chunk, with a partial one left over', () => {
    const wire = Buffer.concat([
      encodeFrame({ opcode: 1, payload: 'a', mask: false }),
      encodeFrame({ opcode: 1, payload: 'b', mask: false }),
      encodeFrame({ opcode: 1, payload: 'c', mask: false }),
    ]);
    const reader = new FrameReader();
    const first = reader.push(wire.subarray(0, wire.length - 1));
    assert.deepEqual(first.map((f) => f.payload.toString()), ['a', 'b']);
    assert.equal(reader.bufferedBytes, 2);
    assert.deepEqual(reader.push(wire.subarray(wire.length - 1)).map((f) => f.payload.toString()), ['c']);
  });

  test('a declared length over maxFrameBytes stops the reader instead of buffering', () => {
    const reader = new FrameReader({ maxFrameBytes: 1000 });
    const ok = encodeFrame({ opcode: 1, payload: 'fine', mask: false });
    const big = encodeFrame({ opcode: 2, payload: bytes(2000), mask: false }).subarray(0, 10);
    const frames = reader.push(Buffer.concat([ok, big]));
    assert.deepEqual(frames.map((f) => f.payload.toString()), ['fine']);
    assert.match(reader.error ?? '', /2000 payload bytes, over the 1000-byte limit/);
    assert.equal(reader.bufferedBytes, 0);
    assert.deepEqual(reader.push(ok), []);

    const huge = Buffer.from([0x82, 127, 0x80, 0, 0, 0, 0, 0, 0, 1]);
    const r2 = new FrameReader();
    assert.deepEqual(r2.push(huge), []);
    assert.match(r2.error ?? '', /most significant bit/);

    const r3 = new FrameReader({ maxFrameBytes: 100 });
    r3.push(Buffer.from([0x82, 126, 0x01, 0x00]));
    assert.match(r3.error ?? '', /256 payload bytes/);
  });
});

describe('close payloads', () => {
  test('closePayload writes the code big-endian, then the reason', () => {
    assert.deepEqual([...closePayload(1000, 'ok')], [0x03, 0xe8, 0x6f, 0x6b]);
    assert.deepEqual([...closePayload(4001)], [0x0f, 0xa1]);
    assert.deepEqual([...closePayload(1002, Buffer.from([0xff]))], [0x03, 0xea, 0xff]);
    assert.equal(closePayload().length, 0);
  });

  test('parseClosePayload reads code, reason and whether the reason is UTF-8', () => {
    assert.deepEqual(parseClosePayload(closePayload(1001, 'gone ✓')), { code: 1001, reason: 'gone ✓', reasonValidUtf8: true });
    assert.deepEqual(parseClosePayload(Buffer.alloc(0)), { reason: '', reasonValidUtf8: true });
    assert.deepEqual(parseClosePayload(Buffer.from([3])), { reason: '', reasonValidUtf8: true });
    const bad = parseClosePayload(closePayload(1000, Buffer.from([0xce, 0xba, 0xe1, 0xbd])));
    assert.equal(bad.code, 1000);
    assert.equal(bad.reasonValidUtf8, false);
  });

  test('sendable close codes', () => {
    for (const code of [1000, 1001, 1002, 1003, 1007, 1011, 3000, 4999]) assert.ok(isSendableCloseCode(code), String(code));
    for (const code of [0, 999, 1004, 1005, 1006, 1012, 1015, 2999, 5000]) assert.ok(!isSendableCloseCode(code), String(code));
  });
});

describe('helpers', () => {
  test('accept key from the RFC 6455 §1.3 example', () => {
    assert.equal(acceptKeyFor('dGhlIHNhbXBsZSBub25jZQ=='), 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  });

  test('random keys are 16 bytes of base64', () => {
    const key = randomKey();
    assert.equal(Buffer.from(key, 'base64').length, 16);
    assert.notEqual(key, randomKey());
  });

  test('opcode names, control opcodes and UTF-8 validity', () => {
    assert.deepEqual([0, 1, 2, 8, 9, 10, 3].map(opcodeName), ['continuation', 'text', 'binary', 'close', 'ping', 'pong', 'opcode 3']);
    assert.deepEqual([0, 1, 2, 7, 8, 9, 10, 15].map(isControlOpcode), [false, false, false, false, true, true, true, true]);
    assert.equal(isValidUtf8(Buffer.from('héllo')), true);
    assert.equal(isValidUtf8(Buffer.from([0xed, 0xa0, 0x80])), false);
  });
});

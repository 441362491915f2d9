import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { maskInPlace } from '../techniques/websocket/mask.ts';

/** RFC 6455 §5.3 as written: octet i XOR key octet i MOD 4. */
function maskedByteWise(bytes: Buffer, key: Buffer): Buffer {
  return Buffer.from(bytes.map((b, i) => b ^ key[i % 4]!));
}

describe('maskInPlace (RFC 6455 §5.3, a word at a time)', () => {
  it('equals the octet-wise definition for every length and every alignment of the start', () => {
    const key = Buffer.from([0x37, 0xfa, 0x21, 0x3d]);
    const backing = randomBytes(1200);
    for (const length of [0, 1, 3, 4, 5, 63, 64, 65, 127, 1031]) {
      for (let start = 0; start < 8; start++) {
        const bytes = Buffer.from(backing).subarray(start, start + length);
        const want = maskedByteWise(bytes, key);
        maskInPlace(bytes, key);
        assert.deepEqual(bytes, want, `length ${length}, start ${start}`);
      }
    }
  });

  it('unmasks what it masked, with the bytes outside the view untouched', () => {
    const whole = randomBytes(4096);
    const original = Buffer.from(whole);
    const key = randomBytes(4);
    const view = whole.subarray(3, 4000);
    maskInPlace(view, key);
    assert.notDeepEqual(whole, original);
    assert.deepEqual(whole.subarray(0, 3), original.subarray(0, 3));
    assert.deepEqual(whole.subarray(4000), original.subarray(4000));
    maskInPlace(view, key);
    assert.deepEqual(whole, original);
  });

  it('refuses a key that is not 4 bytes', () => {
    assert.throws(() => maskInPlace(Buffer.alloc(8), Buffer.alloc(3)), /a masking key is 4 bytes, got 3/);
  });
});

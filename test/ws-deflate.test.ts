/**
 * permessage-deflate without a server: the codec (RFC 7692 §7.2.3's worked
 * examples, round trips, context takeover or not, the size bound), the checks
 * of a server's answer (§7), the reference's offer filter, the corpora and the
 * case data of 12.x/13.x.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { constants, deflateRawSync } from 'node:zlib';
import { InflateLimitError, MessageCompressor, MessageDecompressor } from '../techniques/websocket/deflate/codec.ts';
import { offerHeader, parseExtensions, readAnswer } from '../techniques/websocket/deflate/negotiation.ts';
import { CORPORA, messagesOf } from '../techniques/websocket/deflate/corpora.ts';
import { DEFAULT_DEFLATE_MESSAGES, DEFLATE_ECHO_CASES, deflateMessageCount } from '../techniques/websocket/autobahn/cases-12-13-deflate.ts';
import { DEFLATE_OWN_CASES } from '../techniques/websocket/autobahn/cases-p12-deflate.ts';
import { outcomeWords } from '../techniques/websocket/autobahn/words.ts';
import { acceptableDeflateOffers } from '../reference/websocket/deflate-offers.ts';

const hex = (b: Buffer): string => b.toString('hex');
const KEEP = { windowBits: 15, noContextTakeover: false };
const RESET = { windowBits: 15, noContextTakeover: true };

describe('codec (RFC 7692 §7.2)', () => {
  test('§7.2.3.1: "Hello" compresses to f2 48 cd c9 c9 07 00', () => {
    assert.equal(hex(new MessageCompressor({ ...KEEP, level: constants.Z_DEFAULT_COMPRESSION }).compress(Buffer.from('Hello'))), 'f248cdc9c90700');
  });

  test('§7.2.3.2: a second "Hello" with the shared window is f2 00 11 00 00, and inflates only with that window', () => {
    const c = new MessageCompressor({ ...KEEP, level: constants.Z_DEFAULT_COMPRESSION });
    c.compress(Buffer.from('Hello'));
    const second = c.compress(Buffer.from('Hello'));
    assert.equal(hex(second), 'f200110000');
    const d = new MessageDecompressor(KEEP, 1024);
    assert.equal(d.decompress(Buffer.from('f248cdc9c90700', 'hex')).toString(), 'Hello');
    assert.equal(d.decompress(second).toString(), 'Hello');
    assert.throws(() => new MessageDecompressor(RESET, 1024).decompress(second), /distance too far back/);
  });

  test('without context takeover every message compresses alone, to the same bytes', () => {
    const c = new MessageCompressor(RESET);
    const data = Buffer.from('the same message, twice over; the same message, twice over');
    const first = c.compress(data);
    assert.deepEqual(c.compress(data), first);
    assert.equal(new MessageDecompressor(RESET, 1024).decompress(first).toString(), data.toString());
  });

  test('§7.2.3.4: a block with BFINAL set is a legal message body', () => {
    const final = deflateRawSync(Buffer.from('Hello'));
    assert.equal(new MessageDecompressor(KEEP, 1024).decompress(final).toString(), 'Hello');
  });

  test('round trips every corpus with a shared window, window bits 8–15', () => {
    for (const corpus of CORPORA) {
      for (const windowBits of [8, 9, 12, 15]) {
        const c = new MessageCompressor({ windowBits, noContextTakeover: false });
        const d = new MessageDecompressor({ windowBits, noContextTakeover: false }, 1 << 20);
        for (const message of messagesOf(corpus, 4096, 3)) assert.ok(d.decompress(c.compress(message)).equals(message), `${corpus.name}, ${windowBits} bits`);
      }
    }
  });

  test('a message that inflates past the bound throws InflateLimitError; one that does not inflate throws', () => {
    const big = new MessageCompressor(RESET).compress(Buffer.alloc(100_000, 0x61));
    assert.throws(() => new MessageDecompressor(RESET, 1000).decompress(big), InflateLimitError);
    assert.throws(() => new MessageDecompressor(RESET, 1000).decompress(Buffer.from([0xff, 0xff, 0xff])), /invalid block type/);
  });

  test('the compressed bytes end without the sync flush tail', () => {
    const out = new MessageCompressor(RESET).compress(Buffer.from('abc'));
    assert.notEqual(hex(out.subarray(-4)), '0000ffff');
    assert.equal(hex(deflateRawSync(Buffer.from('abc'), { finishFlush: constants.Z_SYNC_FLUSH }).subarray(-4)), '0000ffff');
  });
});

describe("reading a server's answer (RFC 7692 §7)", () => {
  const offer = (...params: string[][]) => ({ offers: params });

  test('parses elements, parameters and quoted values', () => {
    assert.deepEqual(parseExtensions('permessage-deflate; server_max_window_bits="10"; client_no_context_takeover, x-foo'), [
      { name: 'permessage-deflate', params: [['server_max_window_bits', '10'], ['client_no_context_takeover', undefined]] },
      { name: 'x-foo', params: [] },
    ]);
    assert.equal(offerHeader(offer([], ['server_max_window_bits=9'])), 'permessage-deflate, permessage-deflate; server_max_window_bits=9');
  });

  test('no element is a decline; an accepted answer gives the agreed parameters', () => {
    assert.deepEqual(readAnswer(undefined, offer([])), { kind: 'declined' });
    const answer = readAnswer('permessage-deflate; server_no_context_takeover; server_max_window_bits=10; client_max_window_bits=12', offer(['server_no_context_takeover', 'server_max_window_bits=10', 'client_max_window_bits']));
    assert.equal(answer.kind, 'accepted');
    assert.deepEqual(answer.kind === 'accepted' ? answer.agreed : undefined, { serverNoContextTakeover: true, clientNoContextTakeover: false, serverMaxWindowBits: 10, clientMaxWindowBits: 12 });
  });

  const invalid: Array<[string, string, string[][]]> = [
    ['two elements', 'permessage-deflate, permessage-deflate', [[]]],
    ['an extension not offered', 'permessage-deflate, x-webkit-deflate-frame', [[]]],
    ['an unknown parameter', 'permessage-deflate; x_foo', [[]]],
    ['a duplicate', 'permessage-deflate; server_no_context_takeover; server_no_context_takeover', [['server_no_context_takeover']]],
    ['window bits out of range', 'permessage-deflate; server_max_window_bits=16', [[]]],
    ['a bare client_max_window_bits in a response', 'permessage-deflate; client_max_window_bits', [['client_max_window_bits']]],
    ['client_max_window_bits not offered', 'permessage-deflate; client_max_window_bits=10', [[]]],
    ['client_max_window_bits above the offer', 'permessage-deflate; client_max_window_bits=12', [['client_max_window_bits=10']]],
    ['server_no_context_takeover asked for, left out', 'permessage-deflate', [['server_no_context_takeover']]],
    ['server_max_window_bits above the offer', 'permessage-deflate; server_max_window_bits=12', [['server_max_window_bits=10']]],
    ['server_max_window_bits asked for, left out', 'permessage-deflate', [['server_max_window_bits=10']]],
    ['a value on a no-value parameter', 'permessage-deflate; client_no_context_takeover=1', [[]]],
  ];
  for (const [what, header, params] of invalid) {
    test(`invalid: ${what}`, () => assert.equal(readAnswer(header, offer(...params)).kind, 'invalid'));
  }

  test('a server may add server_no_context_takeover or a server_max_window_bits unasked', () => {
    assert.equal(readAnswer('permessage-deflate; server_no_context_takeover; server_max_window_bits=9', offer([])).kind, 'accepted');
  });

  test('an answer that fits the second offer of several is accepted', () => {
    assert.equal(readAnswer('permessage-deflate', offer(['server_max_window_bits=9'], [])).kind, 'accepted');
  });

  test('accepting an offer that must be declined is invalid', () => {
    assert.equal(readAnswer('permessage-deflate', { offers: [['x_foo']], mustDecline: true }).kind, 'invalid');
    assert.equal(readAnswer(undefined, { offers: [['x_foo']], mustDecline: true }).kind, 'declined');
  });
});

describe("the reference's offer filter", () => {
  test('keeps well-formed permessage-deflate offers, normalised, in order', () => {
    assert.equal(acceptableDeflateOffers('permessage-deflate; server_max_window_bits="10"; client_max_window_bits, x-foo'), 'permessage-deflate; server_max_window_bits=10; client_max_window_bits');
  });
  for (const bad of ['x_unknown', 'server_no_context_takeover; server_no_context_takeover', 'server_max_window_bits=7', 'server_max_window_bits=16', 'server_max_window_bits', 'server_max_window_bits=010', 'client_max_window_bits=big', 'server_no_context_takeover=1']) {
    test(`drops "${bad}"`, () => {
      assert.equal(acceptableDeflateOffers(`permessage-deflate; ${bad}`), undefined);
      assert.equal(acceptableDeflateOffers(`permessage-deflate; ${bad}, permessage-deflate`), 'permessage-deflate');
    });
  }
});

describe('12.x/13.x case data', () => {
  test('90 + 126 cases, each judged by type, length and SHA-1, in count-free words', () => {
    assert.equal(DEFLATE_ECHO_CASES.filter((c) => c.id.startsWith('12.')).length, 90);
    assert.equal(DEFLATE_ECHO_CASES.filter((c) => c.id.startsWith('13.')).length, 126);
    const c = DEFLATE_ECHO_CASES.find((x) => x.id === '12.1.15')!;
    assert.equal(c.sends, 'compressed text messages of 131072 characters of JSON in 256-byte fragments');
    assert.equal(outcomeWords(c), 'every echo with the SHA-1 sent, then a clean close (1000)');
    const list = c.expected.ok[0]!;
    assert.equal(list.length, DEFAULT_DEFLATE_MESSAGES);
    assert.ok(list.every((e) => e.kind === 'message' && e.type === 'text' && e.sha1 !== undefined && e.length! >= 131072));
  });

  test('PUSHSPEC_DEFLATE_MESSAGES sets the messages per case and refuses a non-number', () => {
    assert.equal(deflateMessageCount({}), DEFAULT_DEFLATE_MESSAGES);
    assert.equal(deflateMessageCount({ PUSHSPEC_DEFLATE_MESSAGES: '1000' }), 1000);
    assert.throws(() => deflateMessageCount({ PUSHSPEC_DEFLATE_MESSAGES: 'lots' }), /PUSHSPEC_DEFLATE_MESSAGES must be a whole number/);
  });

  test('text messages cut the corpus by characters, wrapping at its end', () => {
    const json = CORPORA[0]!;
    const chars = Array.from(json.bytes().toString('utf8'));
    const [first, second] = messagesOf(json, 16, 2);
    assert.equal(first!.toString('utf8'), chars.slice(0, 16).join(''));
    assert.equal(second!.toString('utf8'), chars.slice(16, 32).join(''));
    const wrapped = messagesOf(json, 131072, 2)[1]!.toString('utf8');
    assert.equal(Array.from(wrapped).length, 131072);
    assert.ok(wrapped.endsWith(chars.slice(0, 131072 * 2 - chars.length).join('')));
  });

  test('the corpora are deterministic and about Autobahn\'s sizes', () => {
    const autobahn = [194_056, 263_222, 222_218, 263_647, 1_042_328];
    CORPORA.forEach((c, i) => {
      const got = c.bytes().length;
      assert.ok(Math.abs(got - autobahn[i]!) / autobahn[i]! < 0.05, `${c.name}: ${got} bytes, Autobahn's ${autobahn[i]}`);
    });
    assert.ok(CORPORA[4]!.bytes().subarray(0, 5).equals(Buffer.from('%PDF-')));
    assert.ok(CORPORA[1]!.bytes().subarray(0, 2).equals(Buffer.from('BM')));
  });

  test("pushspec's own rows have unique P12 ids", () => {
    assert.ok(DEFLATE_OWN_CASES.every((c) => c.id.startsWith('P12.')));
    assert.equal(new Set(DEFLATE_OWN_CASES.map((c) => c.id)).size, DEFLATE_OWN_CASES.length);
  });
});

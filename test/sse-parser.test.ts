/**
 * SseParser on its own, with vectors after the web-platform-tests
 * eventsource/format-* tests, plus the strictness findings and the bounds
 * (an endless line, an endless event) that a conforming library would hide.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { firstInvalidUtf8, SseParser, type SseComment, type SseEvent, type SseFinding, type SseParserOptions, type SseRetry } from '../techniques/sse/parser.ts';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** Feeds each chunk (chunk i at time i), ends the stream unless told not to, and returns what came out. */
function parse(chunks: Array<string | Uint8Array>, options: SseParserOptions & { end?: boolean } = {}) {
  const events: SseEvent[] = [];
  const comments: SseComment[] = [];
  const retries: SseRetry[] = [];
  const findings: SseFinding[] = [];
  const parser = new SseParser({
    ...options,
    onEvent: (e) => void events.push(e),
    onComment: (c) => void comments.push(c),
    onRetry: (r) => void retries.push(r),
    onFinding: (f) => void findings.push(f),
  });
  chunks.forEach((chunk, i) => parser.feed(typeof chunk === 'string' ? utf8(chunk) : chunk, i));
  if (options.end !== false) parser.end(chunks.length);
  return { parser, events, comments, retries, findings, data: events.map((e) => e.data), rules: findings.map((f) => f.rule) };
}

describe('SseParser: the WPT format-* vectors', () => {
  test('one leading BOM is stripped (format-bom)', () => {
    const out = parse(['\uFEFFdata: 1\n\n\uFEFFdata: 2\n\ndata: 3\n\n']);
    assert.deepEqual(out.data, ['1', '3']);
    assert.deepEqual(out.rules, ['bom-not-at-start', 'unknown-field']);
    assert.equal(out.findings[0]?.line, 3);
    assert.match(out.findings[1]?.detail ?? '', /unknown field "\uFEFFdata"; ignored/);
  });

  test('a second BOM is not stripped (format-bom-2)', () => {
    const out = parse(['\uFEFF\uFEFFdata: 1\n\ndata: 2\n\ndata: 3\n\n']);
    assert.deepEqual(out.data, ['2', '3']);
    assert.deepEqual(out.rules, ['bom-not-at-start', 'unknown-field']);
    assert.equal(out.findings[0]?.line, 1);
  });

  test('a BOM split over chunks is still the stream start; a U+FEFF inside data is kept and reported', () => {
    const bom = utf8('\uFEFFdata: a\uFEFFb\n\n');
    const out = parse([bom.subarray(0, 1), bom.subarray(1, 2), bom.subarray(2)]);
    assert.deepEqual(out.data, ['a\uFEFFb']);
    assert.deepEqual(out.rules, ['bom-not-at-start']);
    assert.match(out.findings[0]?.detail ?? '', /character 8 of the line/);
  });

  test('comments in CR, LF and CRLF variants (format-comments)', () => {
    const long = 'x'.repeat(2049);
    const out = parse([`data:1\r:\0\n:\r\ndata:2\n:${long}\rdata:3\n:data:fail\r:${long}\ndata:4\n\n`]);
    assert.deepEqual(out.data, ['1\n2\n3\n4']);
    assert.deepEqual(out.comments.map((c) => c.text), ['\0', '', long, 'data:fail', long]);
    assert.deepEqual(out.comments.map((c) => c.line), [2, 3, 5, 7, 8]);
    assert.deepEqual(out.rules, ['lone-cr-line-ending']);
  });

  test('data lines join with LF and the final LF is removed; data with no colon (format-field-data)', () => {
    const out = parse(['data:\n\ndata\ndata\n\ndata:test\n\n']);
    assert.deepEqual(out.data, ['', '\n', 'test']);
    assert.deepEqual(out.findings, []);
  });

  test('one leading space is stripped, two keep one, a tab is kept (format-leading-space)', () => {
    const out = parse(['data:\ttest\rdata: \ndata:test\n\ndata:  two\n\n']);
    assert.deepEqual(out.data, ['\ttest\n\ntest', ' two']);
  });

  test('field names are case-sensitive: Data is ignored and reported (format-field-unknown)', () => {
    const out = parse(['data:test\n data\ndata\nfoobar:xxx\njustsometext\n:thisisacommentyay\nData: no\ndata:test\n\n']);
    assert.deepEqual(out.data, ['test\n\ntest']);
    assert.deepEqual(out.rules, ['unknown-field', 'unknown-field', 'unknown-field', 'unknown-field']);
    assert.deepEqual(out.findings.map((f) => f.line), [2, 4, 5, 7]);
    assert.equal(out.findings[0]?.detail, 'unknown field " data"; ignored');
    assert.equal(out.findings[3]?.detail, 'unknown field "Data" (did you mean data? field names are case-sensitive); ignored');
  });

  test('a huge unknown field name is quoted cut', () => {
    const out = parse([`${'n'.repeat(500)}: v\n`]);
    assert.equal(out.findings[0]?.detail, `unknown field "${'n'.repeat(60)}…"; ignored`);
  });

  test('event type: set, empty means "message", reset after dispatch (format-field-event, -event-empty)', () => {
    const out = parse(['event:test\ndata:x\n\nevent: \ndata:y\n\ndata:z\n\n']);
    assert.deepEqual(out.events.map((e) => [e.type, e.data]), [['test', 'x'], ['message', 'y'], ['message', 'z']]);
  });

  test('id persists across events, an empty id resets it, idField only on the block that set it (format-field-id)', () => {
    const out = parse(['id: 1\ndata: a\n\ndata: b\n\nid\ndata: c\n\n']);
    assert.deepEqual(out.events.map((e) => [e.data, e.lastEventId, e.idField]), [['a', '1', '1'], ['b', '1', undefined], ['c', '', '']]);
    assert.equal('idField' in (out.events[1] as SseEvent), false);
  });

  test('an id containing NUL is ignored and reported (format-field-id-null)', () => {
    const out = parse(['id: 1\ndata: a\n\nid: 2\0x\ndata: b\n\n']);
    assert.deepEqual(out.events.map((e) => [e.data, e.lastEventId, e.idField]), [['a', '1', '1'], ['b', '1', undefined]]);
    assert.deepEqual(out.rules, ['id-has-nul']);
    assert.equal(out.findings[0]?.detail, 'id "2\\u0000x" contains U+0000; ignored');
  });

  test('a blank line with no data fires nothing but sets the last event id', () => {
    const out = parse(['id: 7\n\n'], { end: false });
    assert.deepEqual(out.events, []);
    assert.equal(out.parser.lastEventId, '7');
    const none = parse(['id: 7\n']);
    assert.equal(none.parser.lastEventId, '');
  });

  test('retry: leading zeros are digits, 1000x and empty are ignored and reported (format-field-retry*)', () => {
    const out = parse(['retry:03000\nretry:1000x\nretry\nretry: 250\ndata:x\n\n']);
    assert.deepEqual(out.retries.map((r) => [r.value, r.line]), [[3000, 1], [250, 4]]);
    assert.deepEqual(out.rules, ['retry-not-digits', 'retry-not-digits']);
    assert.equal(out.findings[0]?.detail, 'retry value "1000x" is not ASCII digits only; ignored');
    assert.equal(out.findings[1]?.detail, 'retry value "" is not ASCII digits only; ignored');
    assert.deepEqual(out.data, ['x']);
  });

  test('NUL in data is kept (format-null-character)', () => {
    assert.deepEqual(parse(['data:\0\n\n\n\n']).data, ['\0']);
  });

  test('CR, LF and CRLF line endings and their mixes (format-newlines)', () => {
    assert.deepEqual(parse(['data:test\r\ndata\ndata:test\r\n\r\n']).data, ['test\n\ntest']);
    assert.deepEqual(parse(['data: a\rdata: b\r\r']).data, ['a\nb']);
    assert.deepEqual(parse(['data: a\r\ndata: b\rdata: c\n\n\r\r\n\n']).data, ['a\nb\nc']);
    const crlf = parse(['data: a\r\n\r\ndata: b\n\n']);
    assert.deepEqual(crlf.rules, []);
    assert.equal(crlf.parser.lines, 4);
  });

  test('a lone CR is reported once per stream, with the line it ends', () => {
    const out = parse(['data: a\n\ndata: b\rdata: c\r\r:x\r']);
    assert.deepEqual(out.data, ['a', 'b\nc']);
    assert.deepEqual(out.findings.map((f) => [f.rule, f.line]), [['lone-cr-line-ending', 3]]);
  });

  test('a CR at the very end of the stream is a lone CR', () => {
    const out = parse(['data: a\n\n:x\r']);
    assert.deepEqual(out.findings.map((f) => [f.rule, f.atMs]), [['lone-cr-line-ending', 1]]);
    assert.equal(out.parser.lines, 3);
  });

  test('a CRLF split across chunks is one line end', () => {
    const out = parse(['data: a\r', '\ndata: b\r', '\n', '\r', '\n']);
    assert.deepEqual(out.data, ['a\nb']);
    assert.deepEqual(out.rules, []);
    assert.equal(out.events[0]?.atMs, 3);
    assert.equal(out.parser.lines, 3);
  });

  test('a 4-byte character split at every point, over two and three chunks', () => {
    const bytes = utf8('data: 😀!\n\n');
    for (let i = 1; i < bytes.length; i += 1) {
      for (let j = i; j < bytes.length; j += 1) {
        const out = parse([bytes.subarray(0, i), bytes.subarray(i, j), bytes.subarray(j)]);
        assert.deepEqual([out.data, out.rules], [['😀!'], []], `split at ${i}, ${j}`);
      }
    }
  });

  test('chunks are copied when a line stays open: the caller may reuse its buffer', () => {
    const events: string[] = [];
    const parser = new SseParser({ onEvent: (e) => void events.push(e.data) });
    const buffer = utf8('data: one');
    parser.feed(buffer, 0);
    buffer.fill(0x78);
    parser.feed(utf8('\n\n'), 1);
    assert.deepEqual(events, ['one']);
  });

  test('UTF-8 is decoded (format-utf-8); invalid bytes become U+FFFD and are reported with their offset', () => {
    assert.deepEqual(parse(['data: ok…\n\n']).data, ['ok…']);
    const legit = parse(['data: \uFFFD\n\n']);
    assert.deepEqual([legit.data, legit.rules], [['\uFFFD'], []]);
    const out = parse([utf8('data: x\n\n'), Uint8Array.of(0x64, 0x61, 0x74, 0x61, 0x3a, 0x61, 0xff, 0x62, 0x0a, 0x64, 0x61, 0x74, 0x61, 0x3a, 0xe2, 0x82, 0x0a, 0x0a)]);
    assert.deepEqual(out.data, ['x', 'a\uFFFDb\n\uFFFD']);
    assert.deepEqual(out.findings.map((f) => [f.rule, f.line, f.detail]), [
      ['invalid-utf8', 3, 'invalid UTF-8 at byte 15 of the stream (decoded as U+FFFD)'],
      ['invalid-utf8', 4, 'invalid UTF-8 at byte 23 of the stream (decoded as U+FFFD)'],
    ]);
  });

  test('firstInvalidUtf8 follows the WHATWG decoder', () => {
    const cases: Array<[number[], number]> = [
      [[0x61, 0xc3, 0xa9], -1],
      [[0xe0, 0xa0, 0x80], -1],
      [[0xed, 0x9f, 0xbf], -1],
      [[0xf0, 0x9f, 0x98, 0x80], -1],
      [[0xf4, 0x8f, 0xbf, 0xbf], -1],
      [[0xc0, 0x80], 0],
      [[0xc1, 0xbf], 0],
      [[0xe0, 0x9f, 0x80], 0],
      [[0xed, 0xa0, 0x80], 0],
      [[0xf0, 0x8f, 0x80, 0x80], 0],
      [[0xf4, 0x90, 0x80, 0x80], 0],
      [[0xf5, 0x80], 0],
      [[0x61, 0x80], 1],
      [[0x61, 0xe2, 0x82], 1],
      [[0xe2, 0x82, 0x61], 0],
    ];
    for (const [bytes, offset] of cases) assert.equal(firstInvalidUtf8(Uint8Array.from(bytes)), offset, bytes.map((b) => b.toString(16)).join(' '));
  });

  test('an unterminated final block is discarded and reported (format-data-before-final-empty-line)', () => {
    const out = parse(['retry:1000\ndata:test1\n\nid:test\ndata:test2']);
    assert.deepEqual(out.data, ['test1']);
    assert.equal(out.parser.lastEventId, '');
    assert.deepEqual(out.findings.map((f) => [f.rule, f.line, f.atMs]), [['unterminated-event', 4, 1]]);
    assert.match(out.findings[0]?.detail ?? '', /stream ended in the middle of line 5; the incomplete event was discarded/);
    const complete = parse(['data: a\n\ndata: b\n']);
    assert.deepEqual(complete.data, ['a']);
    assert.match(complete.findings[0]?.detail ?? '', /^the block from line 3 has no blank line before the end of the stream/);
    const partial = parse(['data: a\n\ndat']);
    assert.deepEqual(partial.findings.map((f) => [f.rule, f.line]), [['unterminated-event', 3]]);
  });

  test('a trailing comment, retry or unknown field is not an unterminated event', () => {
    assert.deepEqual(parse(['data: a\n\n: keep-alive']).rules, []);
    assert.deepEqual(parse(['data: a\n\nretry: 5\nfoo\n']).rules, ['unknown-field']);
  });

  test('end() is idempotent and feed() after it throws', () => {
    const { parser } = parse(['data: a\n']);
    parser.end(5);
    assert.throws(() => parser.feed(utf8('x'), 6), /feed\(\) after end\(\)/);
  });

  test('counts lines, bytes and reports times and lines of each event', () => {
    const out = parse(['data: a\n', '\n:c\n', 'data: b\n\n']);
    assert.equal(out.parser.lines, 5);
    assert.equal(out.parser.bytes, 21);
    assert.deepEqual(out.events.map((e) => [e.atMs, e.line]), [[1, 2], [2, 5]]);
    assert.deepEqual(out.comments, [{ text: 'c', atMs: 1, line: 3 }]);
  });

  test('callbacks are optional', () => {
    const parser = new SseParser();
    parser.feed(utf8(':c\nretry: 1\nretry: x\ndata: a\n\ndata: b'), 0);
    parser.end(1);
    assert.equal(parser.lines, 5);
  });

  test('an endless line is reported once and memory stays bounded; parsing resumes after it', () => {
    const block = new Uint8Array(64 * 1024).fill(0x78);
    const findings: SseFinding[] = [];
    const events: string[] = [];
    const parser = new SseParser({ onFinding: (f) => void findings.push(f), onEvent: (e) => void events.push(e.data) });
    parser.feed(utf8('data: ok\n\ndata: '), 0);
    const before = process.memoryUsage().arrayBuffers;
    for (let i = 0; i < 1024; i += 1) parser.feed(block, 1); // 64 MiB on one line
    const grown = process.memoryUsage().arrayBuffers - before;
    assert.ok(grown < 8 * 1024 * 1024, `array buffers grew by ${grown} bytes`);
    parser.feed(utf8('xx\ndata: after\n\n'), 2);
    parser.end(3);
    assert.deepEqual(events, ['ok', 'after']);
    assert.deepEqual(findings, [{ rule: 'line-too-long', line: 3, atMs: 1, detail: 'line longer than 1048576 bytes; the rest of it is skipped' }]);
    assert.equal(parser.bytes, 16 + 64 * 1024 * 1024 + 16);
  });

  test('maxLineBytes: a line at the limit is parsed, one over it (in one chunk) is dropped', () => {
    const out = parse(['data: 1234\ndata: 12345\n\n:1234567890\n'], { maxLineBytes: 10 });
    assert.deepEqual(out.data, ['1234']);
    assert.deepEqual(out.findings.map((f) => [f.rule, f.line]), [['line-too-long', 2], ['line-too-long', 4]]);
    const endless = parse(['data: 123', '456789'], { maxLineBytes: 10 });
    assert.deepEqual(endless.rules, ['line-too-long']);
  });

  test('an event whose data outgrows maxEventBytes is dropped and reported once', () => {
    const out = parse(['data: 12345\ndata: 67890\ndata: more\n\ndata: next\n\n'], { maxEventBytes: 20 });
    assert.deepEqual(out.data, ['next']);
    assert.deepEqual(out.findings.map((f) => [f.rule, f.line, f.detail]), [['event-too-large', 2, 'event data beyond 20 bytes; the event is dropped']]);
  });
});

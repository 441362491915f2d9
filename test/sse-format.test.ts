/**
 * The SSE wire format on its own (reference/sse/format.ts): the exact bytes
 * for each kind of message, and what a WHATWG parser (HTML §9.2.6, a minimal
 * one below) makes of them, so that no data can inject a field or an event.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { StoredMessage } from '../reference/history.ts';
import { GAP_EVENT, KEEP_ALIVE, dataLines, formatComment, formatGap, formatMessage, formatRetry } from '../reference/sse/format.ts';

interface ParsedEvent {
  type: string;
  data: string;
  lastEventId: string;
}

/** What an EventSource fires for `text`: HTML §9.2.6, whole stream at once. */
function parse(text: string): { events: ParsedEvent[]; retry?: number; comments: string[] } {
  const events: ParsedEvent[] = [];
  const comments: string[] = [];
  let retry: number | undefined;
  let data = '';
  let type = '';
  let lastEventId = '';
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (line === '') {
      if (data !== '') events.push({ type: type || 'message', data: data.slice(0, -1), lastEventId });
      data = '';
      type = '';
      continue;
    }
    if (line.startsWith(':')) {
      comments.push(line.slice(1));
      continue;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data += `${value}\n`;
    else if (field === 'event') type = value;
    else if (field === 'id' && !value.includes('\0')) lastEventId = value;
    else if (field === 'retry' && /^[0-9]+$/.test(value)) retry = Number(value);
  }
  return { events, retry, comments };
}

const message = (id: string, data: string, event?: string): StoredMessage => (event === undefined ? { id, data } : { id, data, event });

describe('formatMessage', () => {
  test('id, data and the blank line; event only when the message has one', () => {
    assert.equal(formatMessage(message('1', 'hello')), 'id: 1\ndata: hello\n\n');
    assert.equal(formatMessage(message('12', '{"price":12}', 'quote')), 'id: 12\nevent: quote\ndata: {"price":12}\n\n');
  });

  test('one data line per line, splitting at LF, CR and CRLF', () => {
    assert.equal(formatMessage(message('1', 'a\nb\rc\r\nd')), 'id: 1\ndata: a\ndata: b\ndata: c\ndata: d\n\n');
    assert.equal(formatMessage(message('1', 'a\n\nb')), 'id: 1\ndata: a\ndata: \ndata: b\n\n');
    assert.equal(formatMessage(message('1', 'end\n')), 'id: 1\ndata: end\ndata: \n\n');
    assert.equal(formatMessage(message('1', '\r\n')), 'id: 1\ndata: \ndata: \n\n');
    // CR then LF is one break; LF then CR is two.
    assert.deepEqual(dataLines('a\r\nb\n\rc'), ['a', 'b', '', 'c']);
  });

  test('empty data is one empty data line, which still fires an event with ""', () => {
    assert.equal(formatMessage(message('3', '')), 'id: 3\ndata: \n\n');
    assert.deepEqual(parse(formatMessage(message('3', ''))).events, [{ type: 'message', data: '', lastEventId: '3' }]);
  });

  test('a spec parser gets the data back, line breaks normalised to LF', () => {
    const samples: Array<[string, string]> = [
      ['plain', 'plain'],
      ['a\nb', 'a\nb'],
      ['a\rb', 'a\nb'],
      ['a\r\nb', 'a\nb'],
      ['\n\nx\n', '\n\nx\n'],
      ['', ''],
      [' leading space', ' leading space'],
      [':not a comment', ':not a comment'],
      ['😀 𝄞 日本 é', '😀 𝄞 日本 é'],
      ['nul \0 inside', 'nul \0 inside'],
      ['\uFEFFbom', '\uFEFFbom'],
    ];
    for (const [data, expected] of samples) {
      const { events } = parse(formatMessage(message('7', data, 'e')));
      assert.deepEqual(events, [{ type: 'e', data: expected, lastEventId: '7' }], JSON.stringify(data));
    }
  });

  test('data cannot inject a field or an event', () => {
    const hostile = 'x\n\nid: 999\nevent: evil\ndata: injected\r\rretry: 1\r\n\r\n';
    const { events, retry } = parse(formatMessage(message('5', hostile)) + formatMessage(message('6', 'next')));
    assert.equal(retry, undefined);
    assert.deepEqual(
      events.map((event) => [event.type, event.lastEventId]),
      [
        ['message', '5'],
        ['message', '6'],
      ],
    );
    assert.equal(events[0]?.data, hostile.replace(/\r\n|\r/g, '\n'));
  });

  test('event names keep a leading space and any Unicode', () => {
    assert.deepEqual(parse(formatMessage(message('1', 'x', ' spaced'))).events[0]?.type, ' spaced');
    assert.deepEqual(parse(formatMessage(message('1', 'x', 'ünï😀'))).events[0]?.type, 'ünï😀');
  });

  test('non-BMP characters are written as UTF-8, byte for byte', () => {
    const bytes = Buffer.from(formatMessage(message('1', '😀')), 'utf8');
    assert.ok(bytes.includes(Buffer.from([0xf0, 0x9f, 0x98, 0x80])));
  });
});

describe('retry, comments and gap', () => {
  test('retry: a field and a blank line that fires nothing', () => {
    assert.equal(formatRetry(3000), 'retry: 3000\n\n');
    assert.deepEqual(parse(formatRetry(1234)), { events: [], retry: 1234, comments: [] });
  });

  test('comments stay one line and fire nothing', () => {
    assert.equal(KEEP_ALIVE, ': keep-alive\n\n');
    assert.equal(formatComment('a\nb\r\nc'), ': a b c\n\n');
    assert.deepEqual(parse(formatComment('x\ndata: y')), { events: [], retry: undefined, comments: [' x data: y'] });
  });

  test('gap: a named event without an id, carrying both ids as JSON', () => {
    assert.equal(GAP_EVENT, 'gap');
    const text = formatGap('2', '7');
    assert.equal(text, 'event: gap\ndata: {"lastEventId":"2","oldest":"7"}\n\n');
    const { events } = parse(`id: 2\ndata: before\n\n${text}`);
    assert.deepEqual(events[1], { type: 'gap', data: '{"lastEventId":"2","oldest":"7"}', lastEventId: '2' });
  });
});

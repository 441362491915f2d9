/** The framing samples and the check every *-DATA-INTACT requirement shares (core/data-samples.ts). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dataSample, DATA_SAMPLES } from '../core/data-samples.ts';
import { checkSampleIntact, describeDataDifference } from '../core/sample-checks.ts';
import { failure } from './support/checks.ts';

test('the samples hold what their names say', () => {
  assert.equal(dataSample('the empty string'), '');
  assert.equal(dataSample('900 KB of text').length, 921_600);
  assert.ok(dataSample('a record separator (0x1E)').includes('\u001e'));
  assert.ok(dataSample('a NUL character').includes('\u0000'));
  assert.ok(dataSample('CR LF').includes('\r\n'));
  assert.throws(() => dataSample('a tab'), /no data sample is called "a tab"; known: the empty string, /);
  assert.equal(new Set(Object.values(DATA_SAMPLES)).size, Object.keys(DATA_SAMPLES).length, 'no two samples alike');
});

test('checkSampleIntact: the sample byte for byte, then the marker, and nothing else', () => {
  checkSampleIntact('the client', ['a\u001eb', 'm'], 'a\u001eb', 'm');
  checkSampleIntact('the client', ['', 'm'], '', 'm');
  checkSampleIntact('the client', ['a\nb', 'm'], 'a\r\nb', 'm', { change: (d) => d.replace(/\r\n?/g, '\n'), why: 'lines rebuilt' });
  const expected = /^the client to receive the 3-character message as one message, byte for byte, then the ordinary message after it$/;
  assert.throws(() => checkSampleIntact('the client', ['a', 'b', 'm'], 'a\u001eb', 'm'), failure(expected, /^2 message\(s\) before the ordinary message: "a", "b"$/));
  assert.throws(() => checkSampleIntact('the client', ['m'], '', 'm'), failure(/0-character/, /^0 message\(s\) before the ordinary message$/));
  assert.throws(() => checkSampleIntact('the client', ['a\u001e'], 'a\u001eb', 'm'), failure(expected, /^2 characters where 3 were published; from character 3: got "a\\u001e" where "a\\u001eb" was published$/));
  assert.throws(() => checkSampleIntact('the client', [], 'x', 'm'), failure(/1-character/, /^0 message\(s\) and never the ordinary message after it$/));
  assert.throws(() => checkSampleIntact('the client', ['x', 'm', 'x'], 'x', 'm'), failure(/1-character/, /^the message arrived intact, then the ordinary one, then 1 more: "x"$/));
  // The sample alone: the marker is missing, not arrived.
  assert.throws(() => checkSampleIntact('the client', ['x'], 'x', 'm'), failure(/1-character/, /^the message arrived intact, and never the ordinary message after it$/));
});

test('describeDataDifference shows where a large message first differs, escaped, in context', () => {
  const wanted = `${'0'.repeat(1000)}\u0000tail`;
  const got = `${'0'.repeat(1000)}tail`;
  assert.equal(describeDataDifference(wanted, got), `1004 characters where 1005 were published; from character 1001: got …"${'0'.repeat(20)}tail" where …"${'0'.repeat(20)}\\u0000tail" was published`);
});

/**
 * Keeps docs/reference-protocol.md in step with the reference server: every
 * error code of the registry in the error table with its status, the
 * `GET /` and `GET /stats` examples with what the server answers, and every
 * option in the options table with its default.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { REFERENCE_ERRORS } from '../reference/errors.ts';
import { resolveReferenceOptions } from '../reference/options.ts';
import { buildReferenceApp } from '../reference/server.ts';

const doc = readFileSync(new URL('../docs/reference-protocol.md', import.meta.url), 'utf8');
const tableRows = doc.split('\n').filter((line) => line.startsWith('| `'));

test('every registry error code appears in docs/reference-protocol.md', () => {
  const missing = Object.keys(REFERENCE_ERRORS).filter((code) => !doc.includes(`\`${code}\``));
  assert.deepEqual(missing, [], `codes missing from docs/reference-protocol.md: ${missing.join(', ')}`);
});

test('the error table gives each code the status the registry gives it', () => {
  for (const [code, { status }] of Object.entries(REFERENCE_ERRORS)) {
    const row = tableRows.find((line) => line.startsWith(`| \`${code}\` |`));
    assert.ok(row !== undefined, `no error-table row for \`${code}\``);
    assert.equal(row.split('|')[2]?.trim(), String(status), `status of \`${code}\` in the doc`);
  }
});

test('the error table lists no code the registry lacks', () => {
  const errorTable = doc.slice(doc.indexOf('## Errors'), doc.indexOf('## Reserved for later'));
  const documented = [...errorTable.matchAll(/^\| `([a-z_]+)` \| \d{3} \|/gm)].map((match) => match[1]);
  assert.deepEqual(documented.sort(), Object.keys(REFERENCE_ERRORS).sort());
});

/** The JSON body of the first ```http example that starts with `request`. */
function exampleBody(request: string): unknown {
  const start = doc.indexOf(`\`\`\`http\n${request}`);
  assert.ok(start >= 0, `no example for ${request}`);
  const block = doc.slice(start, doc.indexOf('\n```', start + 1));
  return JSON.parse(block.slice(block.indexOf('{')));
}

test('the GET / and GET /stats examples show what the server answers', async () => {
  const { app } = buildReferenceApp();
  try {
    const info = (await app.inject({ url: '/' })).json() as { endpoints: Record<string, string> };
    assert.deepEqual((exampleBody('GET / HTTP/1.1') as { endpoints: unknown }).endpoints, info.endpoints);
    const stats = (await app.inject({ url: '/stats' })).json() as Record<string, number>;
    assert.deepEqual(Object.keys(exampleBody('GET /stats HTTP/1.1') as object).sort(), Object.keys(stats).sort());
  } finally {
    await app.close();
  }
});

test('the options table lists every option with its default', () => {
  for (const [name, value] of Object.entries(resolveReferenceOptions())) {
    const row = tableRows.find((line) => line.startsWith(`| \`${name}\` |`));
    assert.ok(row !== undefined, `no options-table row for \`${name}\``);
    const shown = Array.isArray(value) ? JSON.stringify(value) : String(value);
    assert.equal(row.split('|')[2]?.trim(), `\`${shown}\``, `default of \`${name}\` in the doc`);
  }
});

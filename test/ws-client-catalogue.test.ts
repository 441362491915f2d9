/** The WSC entries of clients/requirements.json agree with clients/features/websocket/*.feature: ids, levels, sections, titles and quoted sentences. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadClientCatalogue } from '../verdicts/catalogue.ts';

const DIR = new URL('../clients/features/websocket/', import.meta.url).pathname;

interface Scenario {
  id: string;
  level: string;
  section: string;
  title: string;
  comment: string;
}

function scenarios(): Scenario[] {
  const out: Scenario[] = [];
  for (const file of readdirSync(DIR).filter((f) => f.endsWith('.feature'))) {
    const text = readFileSync(join(DIR, file), 'utf8');
    assert.match(text, /^@websocket\nFeature: /, `${file} is tagged @websocket`);
    const section = /Feature: (.*)/.exec(text)![1]!.trim();
    for (const m of text.matchAll(/ {2}# (.*)\n {2}@(WSC-[A-Z0-9-]+) @(must|should|may)\n {2}Scenario(?: Outline)?: (.*)\n/g)) {
      out.push({ comment: m[1]!, id: m[2]!, level: m[3]!.toUpperCase(), section, title: m[4]!.replace(/ \(<case>\)$/, '') });
    }
  }
  return out;
}

test('every WSC scenario has its catalogue entry, and every WSC entry its scenario', () => {
  const found = scenarios();
  const entries = loadClientCatalogue().requirements.filter((r) => r.id.startsWith('WSC-'));
  assert.ok(entries.length >= 20, `at least 20 WSC requirements (${entries.length})`);
  assert.deepEqual(found.map((s) => s.id).sort(), entries.map((r) => r.id).sort());
  for (const s of found) {
    const r = entries.find((e) => e.id === s.id)!;
    assert.equal(r.technique, 'websocket', s.id);
    assert.equal(r.level, s.level, `${s.id}: the catalogue's level is the scenario's`);
    assert.equal(r.section, s.section, `${s.id}: the section is the Feature's name`);
    assert.equal(r.title, s.title, `${s.id}: the title is the scenario's`);
    assert.match(r.source.url ?? '', /^https:\/\/www\.rfc-editor\.org\/rfc\/rfc6455#section-\d/, s.id);
    const quote = r.source.quote ?? '';
    assert.ok(quote.includes(s.level), `${s.id}: the quoted sentence carries its level's keyword ${s.level}`);
    const firstWords = quote.split(' … ')[0]!.slice(0, 40);
    assert.ok(s.comment.includes(firstWords), `${s.id}: the scenario's comment quotes the catalogue's sentence`);
  }
});

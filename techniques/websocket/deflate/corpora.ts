/**
 * The payload corpora of the compression cases, generated here, deterministic
 * (a seeded generator), with the kinds and about the sizes of Autobahn's 12.x
 * test files: JSON text, a bitmap image, natural-language prose, HTML, and a
 * PDF-like file. They are not Autobahn's files: they only need to compress as
 * such data does (the text well, the bitmap moderately, the PDF's streams
 * hardly at all). Each is built on first use and kept.
 */

/** A corpus and how Autobahn sends it. */
export interface Corpus {
  /** In the case words: `JSON`, `a bitmap image`. */
  name: string;
  /** Text corpora are sent as text messages, cut by characters; binary ones by bytes (Autobahn 12.3 sends its prose as binary). */
  type: 'text' | 'binary';
  /** The corpus itself. */
  bytes: () => Buffer;
}

/** mulberry32: a small seeded generator, so every run makes the same bytes. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ['der', 'die', 'und', 'nicht', 'ich', 'mich', 'Geist', 'Welt', 'Nacht', 'über', 'schön', 'Herz', 'können', 'Mephisto', 'Faust', 'Gretchen', 'heißt', 'Blümchen', 'ewig', 'Natur', 'Wissen', 'Lust', 'Tag', 'möchte', 'Himmel', 'Erde', 'Zeit', 'Augenblick', 'verweile', 'doch'];
const NAMES = ['Zoë', 'Åsa', 'José', 'Chloé', 'Björn', 'Łukasz', 'Mei', 'Ola', 'Ravi', 'Sofía'];

function pick<T>(random: () => number, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)]!;
}

function sentence(random: () => number): string {
  const n = 5 + Math.floor(random() * 12);
  const words = Array.from({ length: n }, () => pick(random, WORDS));
  const text = words.join(' ');
  return text[0]!.toUpperCase() + text.slice(1) + pick(random, ['.', '!', '?', ',', ';']);
}

/** Builds text until it has `bytes` UTF-8 bytes. */
function textOf(bytes: number, next: () => string): Buffer {
  const parts: string[] = [];
  let size = 0;
  while (size < bytes) {
    const part = next();
    parts.push(part);
    size += Buffer.byteLength(part);
  }
  return Buffer.from(parts.join(''));
}

function json(): Buffer {
  const random = generator(1);
  let id = 0;
  const body = textOf(194_000, () => {
    id += 1;
    const tags = Array.from({ length: 1 + Math.floor(random() * 4) }, () => JSON.stringify(pick(random, WORDS))).join(',');
    return `${id === 1 ? '' : ',\n'}  {"id": ${id}, "name": "${pick(random, NAMES)}", "score": ${(random() * 1000).toFixed(3)}, "active": ${random() < 0.5}, "tags": [${tags}], "geo": {"lat": ${(random() * 180 - 90).toFixed(5)}, "lon": ${(random() * 360 - 180).toFixed(5)}}}`;
  });
  return Buffer.concat([Buffer.from('[\n'), body, Buffer.from('\n]\n')]);
}

/** A 512 × 512 8-bit grey BMP: smooth shapes and a little noise, as a photograph compresses. */
function bitmap(): Buffer {
  const random = generator(2);
  const side = 512;
  const header = Buffer.alloc(54 + 1024);
  header.write('BM', 0, 'latin1');
  header.writeUInt32LE(header.length + side * side, 2);
  header.writeUInt32LE(header.length, 10);
  header.writeUInt32LE(40, 14);
  header.writeInt32LE(side, 18);
  header.writeInt32LE(side, 22);
  header.writeUInt16LE(1, 26);
  header.writeUInt16LE(8, 28);
  header.writeUInt32LE(side * side, 34);
  for (let i = 0; i < 256; i++) header.writeUInt32LE(i * 0x010101, 54 + i * 4);
  const pixels = Buffer.alloc(side * side);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const shade = 128 + 60 * Math.sin(x / 37) * Math.cos(y / 53) + 40 * Math.sin((x + y) / 91);
      pixels[y * side + x] = Math.max(0, Math.min(255, Math.round(shade + (random() - 0.5) * 12)));
    }
  }
  return Buffer.concat([header, pixels]);
}

function prose(): Buffer {
  const random = generator(3);
  return textOf(222_000, () => (random() < 0.08 ? `\n\n${pick(random, ['FAUST', 'MEPHISTOPHELES', 'MARGARETE', 'WAGNER'])}:\n` : ' ') + sentence(random));
}

function html(): Buffer {
  const random = generator(4);
  const body = textOf(263_000, () => {
    const kind = random();
    if (kind < 0.5) return `<p class="t${Math.floor(random() * 9)}">${sentence(random)} <a href="/w/${pick(random, WORDS)}">${pick(random, NAMES)}</a></p>\n`;
    if (kind < 0.8) return `<tr><td>${Math.floor(random() * 1e6)}</td><td>${pick(random, NAMES)}</td><td>${(random() * 100).toFixed(2)} €</td></tr>\n`;
    return `<div id="s${Math.floor(random() * 1e5)}"><h2>${pick(random, WORDS)}</h2><ul><li>${sentence(random)}</li></ul></div>\n`;
  });
  return Buffer.concat([Buffer.from('<!DOCTYPE html>\n<html lang="de"><head><meta charset="utf-8"><title>Daten</title></head><body><table>\n'), body, Buffer.from('</table></body></html>\n')]);
}

/** PDF-like: text objects around streams of already-compressed (random) bytes, as a real PDF's images and fonts are. */
function pdf(): Buffer {
  const random = generator(5);
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let size = parts[0]!.length;
  for (let n = 1; size < 1_042_000; n++) {
    const length = 2000 + Math.floor(random() * 14_000);
    const stream = Buffer.alloc(length);
    for (let i = 0; i < length; i += 4) stream.writeUInt32LE(Math.floor(random() * 4294967296), Math.min(i, length - 4));
    const head = Buffer.from(`${n} 0 obj\n<< /Type /XObject /Subtype /Image /Width ${64 + n} /Filter /FlateDecode /Length ${length} >>\nstream\n`);
    const tail = Buffer.from(`\nendstream\nendobj\n${n + 1} 0 obj\n<< /Type /Page /Contents (${sentence(random)}) >>\nendobj\n`);
    parts.push(head, stream, tail);
    size += head.length + length + tail.length;
  }
  parts.push(Buffer.from('trailer\n<< /Root 1 0 R >>\n%%EOF\n'));
  return Buffer.concat(parts);
}

function once(make: () => Buffer): () => Buffer {
  let made: Buffer | undefined;
  return () => (made ??= make());
}

/** Autobahn 12.1–12.5's corpora, in its order; 13.x uses the first. */
export const CORPORA: readonly Corpus[] = [
  { name: 'JSON', type: 'text', bytes: once(json) },
  { name: 'a bitmap image', type: 'binary', bytes: once(bitmap) },
  { name: 'German prose', type: 'binary', bytes: once(prose) },
  { name: 'HTML', type: 'text', bytes: once(html) },
  { name: 'a PDF file', type: 'binary', bytes: once(pdf) },
];

/**
 * Autobahn's message selection: a window of `length` units sliding over the
 * corpus, wrapping at its end; for text the units are characters, so a
 * message's bytes may exceed `length`. Message `index` counts from 0.
 */
export function messagesOf(corpus: Corpus, length: number, count: number): Buffer[] {
  const bytes = corpus.bytes();
  if (corpus.type === 'binary') return Array.from({ length: count }, (_, i) => slideOver(bytes, (i * length) % bytes.length, length));
  // Text: the same window over characters, cut from the bytes at the characters' byte offsets.
  const starts = charStarts(corpus);
  const chars = starts.length - 1;
  return Array.from({ length: count }, (_, i) => {
    const from = (i * length) % chars;
    const to = from + length;
    if (to <= chars) return bytes.subarray(starts[from]!, starts[to]!);
    return Buffer.concat([bytes.subarray(starts[from]!), bytes.subarray(0, starts[to - chars]!)]);
  });
}

const STARTS = new WeakMap<Corpus, Uint32Array>();
/** The byte offset of each character of a UTF-8 corpus, and its length at the end. */
function charStarts(corpus: Corpus): Uint32Array {
  let starts = STARTS.get(corpus);
  if (starts !== undefined) return starts;
  const bytes = corpus.bytes();
  const found: number[] = [];
  // A character starts at every byte that is not a continuation byte (10xxxxxx).
  for (let i = 0; i < bytes.length; i++) if ((bytes[i]! & 0xc0) !== 0x80) found.push(i);
  found.push(bytes.length);
  starts = Uint32Array.from(found);
  STARTS.set(corpus, starts);
  return starts;
}

function slideOver(all: Buffer, from: number, length: number): Buffer {
  if (from + length <= all.length) return all.subarray(from, from + length);
  return Buffer.concat([all.subarray(from), all.subarray(0, from + length - all.length)]);
}

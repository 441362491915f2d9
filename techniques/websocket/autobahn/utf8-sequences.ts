/**
 * The UTF-8 sequences of Autobahn|Testsuite's cases 6.5–6.23, in Autobahn's
 * order (its `createUtf8TestSequences`, after Markus Kuhn's UTF-8 decoder test,
 * https://www.cl.cam.ac.uk/~mgk25/ucs/examples/UTF-8-test.txt): one class per
 * sub-category 6.5, 6.6, …, each sequence with the validity Autobahn gives it.
 * The flags are Autobahn's, written out rather than computed, so that
 * test/ws-autobahn-cases-6-7.test.ts can hold them against pushspec's own validator.
 */

/** One sub-category: Autobahn's title and its sequences (valid?, bytes). */
export interface Utf8Class {
  /** Autobahn's sub-category, `6.12`. */
  id: string;
  title: string;
  sequences: ReadonlyArray<{ valid: boolean; bytes: Buffer }>;
}

const hex = (h: string): Buffer => Buffer.from(h.replace(/\s+/g, ''), 'hex');
const valid = (...hs: string[]): Array<{ valid: boolean; bytes: Buffer }> => hs.map((h) => ({ valid: true, bytes: hex(h) }));
const invalid = (...hs: string[]): Array<{ valid: boolean; bytes: Buffer }> => hs.map((h) => ({ valid: false, bytes: hex(h) }));
/** Bytes `from` up to (not including) `to`, each followed by `space` if given (Autobahn's xrange loops). */
function run(from: number, to: number, space?: number): string {
  let out = '';
  for (let b = from; b < to; b++) out += b.toString(16).padStart(2, '0') + (space === undefined ? '' : space.toString(16));
  return out;
}

/** κόσμε, Autobahn's `vss`. */
const KOSME = 'ce ba e1 bd b9 cf 83 ce bc ce b5';
/** Prefix lengths of κόσμε that end on a code point boundary (Autobahn validates each prefix). */
const KOSME_COMPLETE = new Set([2, 5, 7, 9, 11]);
/** Sequences with the last continuation byte missing (Autobahn's `k`, also concatenated in 6.15). */
const TRUNCATED = ['c0', 'e080', 'f08080', 'f8808080', 'fc80808080', 'df', 'efbf', 'f7bfbf', 'fbbfbfbf', 'fdbfbfbfbf'];

/** Non-characters (valid UTF-8 by RFC 3629): U+FFFE, U+FFFF and U+nFFFE/U+nFFFF of planes 1–16. */
function nonCharacters(): string[] {
  const out = ['efbfbe', 'efbfbf'];
  for (const z1 of ['f0', 'f1', 'f2', 'f3', 'f4']) {
    for (const z2 of ['8f', '9f', 'af', 'bf']) {
      if (z1 === 'f4' && z2 !== '8f') continue; // above U+10FFFF
      for (const z3 of ['be', 'bf']) {
        const seq = `${z1}${z2}bf${z3}`;
        if (seq !== 'f08fbfbe' && seq !== 'f08fbfbf') out.push(seq); // overlong forms
      }
    }
  }
  return out;
}

export const UTF8_CLASSES: readonly Utf8Class[] = [
  { id: '6.5', title: 'Some valid UTF-8 sequences', sequences: valid('68656c6c6f 24 776f726c64', '68656c6c6f c2a2 776f726c64', '68656c6c6f e282ac 776f726c64', '68656c6c6f f0a4ada2 776f726c64', KOSME) },
  {
    id: '6.6',
    title: 'All prefixes of a valid UTF-8 string that contains multi-byte code points',
    sequences: Array.from({ length: 11 }, (_, i) => ({ valid: KOSME_COMPLETE.has(i + 1), bytes: hex(KOSME).subarray(0, i + 1) })),
  },
  { id: '6.7', title: 'First possible sequence of a certain length', sequences: valid('00', 'c280', 'e0a080', 'f0908080') },
  { id: '6.8', title: 'First possible sequence length 5/6 (invalid codepoints)', sequences: invalid('f888808080', 'fc8480808080') },
  { id: '6.9', title: 'Last possible sequence of a certain length', sequences: valid('7f', 'dfbf', 'efbfbf', 'f48fbfbf') },
  { id: '6.10', title: 'Last possible sequence length 4/5/6 (invalid codepoints)', sequences: invalid('f7bfbfbf', 'fbbfbfbfbf', 'fdbfbfbfbfbf') },
  { id: '6.11', title: 'Other boundary conditions', sequences: [...valid('ed9fbf', 'ee8080', 'efbfbd', 'f48fbfbf'), ...invalid('f4908080')] },
  { id: '6.12', title: 'Unexpected continuation bytes', sequences: invalid('80', 'bf', '80bf', '80bf80', '80bf80bf', '80bf80bf80', '80bf80bf80bf', run(0x80, 0xbf)) },
  { id: '6.13', title: 'Lonely start characters', sequences: invalid(run(0xc0, 0xdf, 0x20), run(0xe0, 0xef, 0x20), run(0xf0, 0xf7, 0x20), run(0xf8, 0xfb, 0x20), run(0xfc, 0xfd, 0x20)) },
  { id: '6.14', title: 'Sequences with last continuation byte missing', sequences: invalid(...TRUNCATED) },
  { id: '6.15', title: 'Concatenation of incomplete sequences', sequences: invalid(TRUNCATED.join('')) },
  { id: '6.16', title: 'Impossible bytes', sequences: invalid('fe', 'ff', 'fefeffff') },
  { id: '6.17', title: 'Examples of an overlong ASCII character', sequences: invalid('c0af', 'e080af', 'f08080af', 'f8808080af', 'fc80808080af') },
  { id: '6.18', title: 'Maximum overlong sequences', sequences: invalid('c1bf', 'e09fbf', 'f08fbfbf', 'f887bfbfbf', 'fc83bfbfbfbf') },
  { id: '6.19', title: 'Overlong representation of the NUL character', sequences: invalid('c080', 'e08080', 'f0808080', 'f880808080', 'fc8080808080') },
  { id: '6.20', title: 'Single UTF-16 surrogates', sequences: invalid('eda080', 'edadbf', 'edae80', 'edafbf', 'edb080', 'edbe80', 'edbfbf') },
  {
    id: '6.21',
    title: 'Paired UTF-16 surrogates',
    sequences: invalid('eda080edb080', 'eda080edbfbf', 'edadbfedb080', 'edadbfedbfbf', 'edae80edb080', 'edae80edbfbf', 'edafbfedb080', 'edafbfedbfbf'),
  },
  { id: '6.22', title: 'Non-character code points (valid UTF-8)', sequences: valid(...nonCharacters()) },
  { id: '6.23', title: 'Unicode specials (i.e. replacement char)', sequences: valid('efbfb9', 'efbfba', 'efbfbb', 'efbfbc', 'efbfbd', 'efbfbe', 'efbfbf') },
];

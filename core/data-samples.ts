/**
 * Message data that tests a protocol's framing: the bytes a batch, a stream or
 * a packet format might use as a separator or an envelope, the empty message
 * and a large one. Each technique's *-DATA-INTACT requirement publishes one
 * sample, then an ordinary message as an end marker, and checks that the
 * client got exactly those two, the sample byte for byte (model M-2). The
 * marker is what lets a check see a message split in two without a fixed wait.
 */

/** 900 KB of text: 57,600 copies of 16 hexadecimal digits. */
const LARGE = '0123456789abcdef'.repeat(57_600);

/** The size of the large sample, in bytes (ASCII): what a declared bound is compared with. */
export const LARGE_SAMPLE_BYTES = LARGE.length;

/**
 * The samples, by the name a feature's Examples table gives them. Names say
 * what the data holds, never which protocol it would break.
 */
export const DATA_SAMPLES: Readonly<Record<string, string>> = {
  'the empty string': '',
  '900 KB of text': LARGE,
  'a line feed (LF)': 'before\nafter',
  'a carriage return (CR)': 'before\rafter',
  'CR LF': 'before\r\nafter',
  'a NUL character': 'before\u0000after',
  'a record separator (0x1E)': 'before\u001eafter',
  'U+2028 LINE SEPARATOR': 'before\u2028after',
  'U+FEFF (a byte order mark)': '\ufeffbefore\ufeffafter',
  'a line that starts with "data:"': 'first line\ndata: second line',
  'text like a JSON envelope': '{"id":"1","data":"inner","messages":[{"data":"x"}]}',
  'text like a numbered packet': '4hello',
  'text like an array frame': 'a["hello"]',
  'a single letter like a heartbeat': 'h',
  'text in several scripts, with characters beyond the BMP': 'Grüße, Καλημέρα, Здравствуйте, こんにちは, 😀🎉 𝄞',
};

/** The sample called `name`; throws for a name no sample has (a feature typo). */
export function dataSample(name: string): string {
  const data = DATA_SAMPLES[name];
  if (data === undefined) throw new Error(`no data sample is called "${name}"; known: ${Object.keys(DATA_SAMPLES).join(', ')}`);
  return data;
}

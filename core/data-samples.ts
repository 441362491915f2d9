/**
 * Message data that tests a protocol's framing: the bytes a batch, a stream or
 * a packet format might use as a separator or an envelope, the empty message
 * and a large one. Each technique's *-DATA-INTACT requirement publishes one
 * sample, then an ordinary message as an end marker, and checks that the
 * client got exactly those two, the sample byte for byte (model M-2). The
 * marker is what lets a check see a message split in two without a fixed wait.
 */
import { expectThat } from './failure.ts';

/** 900 KB of text: 57,600 copies of 16 hexadecimal digits. */
const LARGE = '0123456789abcdef'.repeat(57_600);

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
};

/** The sample called `name`; throws for a name no sample has (a feature typo). */
export function dataSample(name: string): string {
  const data = DATA_SAMPLES[name];
  if (data === undefined) throw new Error(`no data sample is called "${name}"; known: ${Object.keys(DATA_SAMPLES).join(', ')}`);
  return data;
}

/** Up to 60 characters of `text` around `at`, escaped so that control characters show. */
function excerpt(text: string, at = 0): string {
  const from = Math.max(0, at - 20);
  const cut = text.slice(from, from + 60);
  return `${from > 0 ? '…' : ''}${JSON.stringify(cut)}${from + 60 < text.length ? '…' : ''}`;
}

/** One line on how `got` differs from `wanted`: lengths and the first differing character, in context. */
export function describeDataDifference(wanted: string, got: string): string {
  let at = 0;
  while (at < Math.min(wanted.length, got.length) && wanted[at] === got[at]) at++;
  return `${got.length} characters where ${wanted.length} were published; from character ${at + 1}: got ${excerpt(got, at)} where ${excerpt(wanted, at)} was published`;
}

/**
 * The client received the sample as one message, byte for byte (after
 * `allowed`, the one change the technique's format defines), then the marker.
 */
export function checkSampleIntact(who: string, received: readonly string[], sample: string, marker: string, allowed: { change: (data: string) => string; why: string } | undefined = undefined): void {
  const wanted = allowed?.change(sample) ?? sample;
  const intact = received.length === 2 && received[0] === wanted && received[1] === marker;
  expectThat(intact, `${who} to receive the ${sample.length}-character message as one message, byte for byte${allowed ? ` (${allowed.why})` : ''}, then the ordinary message after it`, () => {
    const upToMarker = received.includes(marker) ? received.slice(0, received.indexOf(marker)) : received;
    const afterMarker = received.includes(marker) ? received.slice(received.indexOf(marker) + 1) : [];
    if (upToMarker.length === 1 && upToMarker[0] === wanted) return `the message arrived intact, then the ordinary one, then ${afterMarker.length} more: ${afterMarker.slice(0, 4).map((d) => excerpt(d)).join(', ')}`;
    if (upToMarker.length === 1) return describeDataDifference(wanted, upToMarker[0]!);
    const shown = upToMarker.slice(0, 4).map((d) => excerpt(d)).join(', ');
    const where = received.includes(marker) ? 'before the ordinary message' : 'and never the ordinary message after it';
    return `${upToMarker.length} message(s) ${where}${upToMarker.length > 0 ? `: ${shown}${upToMarker.length > 4 ? ` and ${upToMarker.length - 4} more` : ''}` : ''}`;
  });
}

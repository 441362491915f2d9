/**
 * The check every technique's data-intact requirement shares: a framing
 * sample (core/data-samples.ts) arrived as one message, byte for byte, then
 * the ordinary message published after it. Pure: evidence in, a failure out.
 */
import { expectThat } from './failure.ts';

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
    if (upToMarker.length === 1 && upToMarker[0] === wanted) {
      return received.includes(marker)
        ? `the message arrived intact, then the ordinary one, then ${afterMarker.length} more: ${afterMarker.slice(0, 4).map((d) => excerpt(d)).join(', ')}`
        : 'the message arrived intact, and never the ordinary message after it';
    }
    if (upToMarker.length === 1) return describeDataDifference(wanted, upToMarker[0]!);
    const shown = upToMarker.slice(0, 4).map((d) => excerpt(d)).join(', ');
    const where = received.includes(marker) ? 'before the ordinary message' : 'and never the ordinary message after it';
    return `${upToMarker.length} message(s) ${where}${upToMarker.length > 0 ? `: ${shown}${upToMarker.length > 4 ? ` and ${upToMarker.length - 4} more` : ''}` : ''}`;
  });
}

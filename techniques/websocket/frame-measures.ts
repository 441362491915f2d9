/**
 * Pure measures over the raw client's findings that the checks share with the
 * client: whether the server's own frames were malformed, and how to say so.
 */

/**
 * The rules a frame breaks by its very shape (its header, its length, where it
 * stands in a fragmented message), as opposed to what it carries (a close code,
 * text that is not UTF-8): a frame breaking one is malformed. Rule codes of
 * inspect.ts's findings.
 */
export const MALFORMED_FRAME_RULES: ReadonlySet<string> = new Set([
  'masked', 'non-minimal-length', 'reserved-bits', 'reserved-opcode', 'fragmented-control',
  'control-too-long', 'orphan-continuation', 'interleaved-message', 'close-one-byte', 'unreadable-stream',
]);

/**
 * `the server sent a malformed frame: <rule>` for the first malformed frame
 * among `findings`, or undefined: how an Actual line names the server's own
 * malformed frames, rather than leave a missed wait to look like a slow server.
 */
export function malformedFrameNote(findings: readonly { rule: string; text: string }[]): string | undefined {
  const first = findings.find((finding) => MALFORMED_FRAME_RULES.has(finding.rule));
  return first === undefined ? undefined : `the server sent a malformed frame: ${first.text}`;
}

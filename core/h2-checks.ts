/**
 * The check every technique declared over HTTP/2 shares: what its server's
 * header blocks held (core/h2-header-filter.ts counts them into the
 * scenario's transcript). Pure: it judges what was recorded.
 */
import { expectThat } from './failure.ts';
import type { H2HeaderBlocks } from './transcript.ts';

/** `connection: keep-alive, keep-alive: timeout=5` */
function fieldList(fields: ReadonlyArray<[string, string]>): string {
  return fields.map(([name, value]) => `${name}: ${value}`).join(', ');
}

/**
 * RFC 9113 §8.2.2 (MUST NOT): no header block the server sent over HTTP/2 in
 * this scenario held a connection-specific field, and at least one came (a
 * scenario that saw none proved nothing).
 */
export function checkNoConnectionSpecificFields(blocks: H2HeaderBlocks): void {
  expectThat(blocks.seen > 0, 'answers over HTTP/2, whose header blocks can be read', () => 'no header block came over HTTP/2 in this scenario');
  expectThat(
    blocks.faultyCount === 0,
    `no connection-specific header field (Connection, Keep-Alive, Proxy-Connection, Transfer-Encoding, Upgrade, or one Connection names) in the ${blocks.seen} header block(s) the server sent over HTTP/2`,
    () => {
      const shown = blocks.faulty.map((b) => `stream ${b.streamId}${b.fields.some(([n]) => n === ':status') ? ` (${b.fields.find(([n]) => n === ':status')![1]})` : ''}: ${fieldList(b.removed)}`);
      const more = blocks.faultyCount - blocks.faulty.length;
      return `${blocks.faultyCount} of ${blocks.seen} header block(s) held them: ${shown.join('; ')}${more > 0 ? `; and ${more} more` : ''}`;
    },
  );
}

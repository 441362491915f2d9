/**
 * A stream's bytes as they arrived, kept in its transcript record for the
 * report (its Streams section and sequence diagram), within the caps. Both
 * SSE clients record through it: the strict reader and the real client.
 */
import type { StreamRecord } from '../../core/evidence.ts';
import { STREAM_BYTE_CAP, STREAM_CHUNK_CAP } from '../../core/transcript.ts';

export class ChunkKeeper {
  private readonly record: StreamRecord;
  /** A streaming decoder: a character split across chunks shows in the chunk that completes it. */
  private readonly decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  private keptBytes = 0;

  constructor(record: StreamRecord) {
    this.record = record;
  }

  /** Keeps the chunk within the caps; beyond them, only counts it. */
  keep(chunk: Uint8Array, atMs: number): void {
    const room = STREAM_BYTE_CAP - this.keptBytes;
    if (this.record.chunks.length >= STREAM_CHUNK_CAP || room <= 0) {
      this.record.omittedChunks += 1;
      this.record.omittedBytes += chunk.length;
      return;
    }
    // The last chunk that fits is cut to the byte cap, so a single huge chunk still shows how the stream began.
    const kept = chunk.length <= room ? chunk : chunk.subarray(0, room);
    this.record.omittedBytes += chunk.length - kept.length;
    this.keptBytes += kept.length;
    this.record.chunks.push({ atMs, text: this.decoder.decode(kept, { stream: true }), bytes: kept.length });
  }
}

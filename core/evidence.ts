/**
 * The evidence of one scenario: what the clients recorded on the wire (HTTP
 * exchanges, SSE streams with arrival times, WebSocket frames both ways), the
 * figures measured, the notes taken and, when a requirement did not hold, its
 * Expected / Actual. Recorded through the Transcript (transcript.ts), attached
 * to the scenario as one cucumber attachment, and read back by the verdicts.
 */

/** The media type of the one attachment per scenario that carries its evidence. */
export const EVIDENCE_MEDIA_TYPE = 'application/vnd.pushspec.evidence+json';

/** What a scenario attaches for the reports. */
export interface EvidenceAttachment {
  /** Why the adapter could not run the scenario, when it could not. */
  unsupported?: string;
  /** Why the case was not judged: the run stopped before or while it ran (core/run-control.ts). */
  notRun?: string;
  evidence: Evidence;
}

/** A figure measured while checking a requirement, e.g. an answer time. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
}

/** One HTTP request/response pair, as recorded on the wire. */
export interface HttpExchange {
  /** Who sent it: a named client (`client alice`) or the publisher. */
  actor: string;
  method: string;
  url: string;
  requestHeaders: Record<string, string>;
  requestBody?: string;
  /** Milliseconds since the scenario started. */
  startedAtMs: number;
  /** Absent when no response came (see `error`). */
  status?: number;
  responseHeaders?: Record<string, string>;
  responseBody?: string;
  /** Bytes of the body before any cut for the report. */
  responseBytes?: number;
  endedAtMs?: number;
  error?: string;
  /** What the harness makes of it, e.g. how long a long-poll was held and what ended it. */
  annotation?: string;
}

/** Bytes of a stream as they arrived. */
export interface StreamChunk {
  /** Milliseconds since the scenario started. */
  atMs: number;
  /** The bytes, decoded as UTF-8 (invalid sequences as U+FFFD). */
  text: string;
  bytes: number;
}

/** A response read as a stream (Server-Sent Events): its head, then every chunk with its arrival time. */
export interface StreamRecord {
  actor: string;
  method: string;
  url: string;
  requestHeaders: Record<string, string>;
  startedAtMs: number;
  status?: number;
  responseHeaders?: Record<string, string>;
  /** When the response head arrived (the stream opened). */
  headersAtMs?: number;
  chunks: StreamChunk[];
  /** Chunks and bytes beyond the record's cap: counted, not kept. */
  omittedChunks: number;
  omittedBytes: number;
  endedAtMs?: number;
  /** How it ended: closed by the server, by the client, or an error. */
  end?: string;
}

/** One WebSocket frame as it crossed the wire, either way. */
export interface FrameRecord {
  /** Which connection: the client's name. */
  connection: string;
  /** `sent` by the client, or `received` from the server. */
  direction: 'sent' | 'received';
  /** Milliseconds since the scenario started. */
  atMs: number;
  fin: boolean;
  /** The three reserved bits as a number 0–7 (RSV1 is 4). */
  rsv: number;
  opcode: number;
  masked: boolean;
  /** Payload length in bytes. */
  length: number;
  /** The start of the payload: text for text and close frames, hex otherwise. */
  preview: string;
  /** For close frames: the status code, when the payload has one. */
  closeCode?: number;
}

/** Whether one part of a rule held, seen while a scenario checked another requirement. */
export interface PartObservation {
  /** The catalogue id of the requirement the part is, e.g. `WS-FAIL-CLOSE-FRAME`. */
  requirement: string;
  held: boolean;
  expected: string;
  actual: string;
}

/** What a scenario recorded, attached to it for the reports. */
export interface Evidence {
  exchanges: HttpExchange[];
  /** Streams read chunk by chunk (Server-Sent Events). */
  streams?: StreamRecord[];
  /** WebSocket frames both ways, in order. */
  frames?: FrameRecord[];
  /** Frames beyond the record's cap: counted, not kept. */
  omittedFrames?: number;
  /** How the WebSocket connection closed: clean with a code, a wrong code, or unclean (Autobahn's close outcomes). */
  closeOutcome?: string;
  /**
   * Parts of other requirements this scenario observed on the way: a rule with a sentence and a level of its
   * own (a SHOULD inside a MUST case, such as the close frame of a failed connection), reported as its own
   * requirement, so a MUST requirement is judged only by its MUST.
   */
  parts?: PartObservation[];
  /** Exchanges recorded beyond the transcript's cap (counted, not kept). */
  omittedExchanges: number;
  figures: Figure[];
  /** Free-form observations, in order. */
  notes: string[];
  /** Set when the requirement did not hold. */
  expected?: string;
  actual?: string;
}

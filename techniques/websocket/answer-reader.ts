/**
 * Reading what a server sends on a raw WebSocket connection, in the order it
 * comes: the handshake answer's head, then either a refusal's short body or,
 * after a 101, frames. No socket here: the connection feeds bytes in and is
 * told, through the hooks, when frames arrive and when there is nothing more to read.
 */
import { FrameReader, type DecodedFrame } from './frame.ts';
import { parseResponseHead, RefusalBody } from './handshake.ts';

/** What the reader tells the connection. */
export interface AnswerHooks {
  /** The handshake was accepted; `headers` say which extensions (and reserved bits) were negotiated. */
  onUpgrade(headers: Record<string, string>): void;
  /** Whole frames, in order. */
  onFrames(frames: DecodedFrame[]): void;
  /** The bytes after the 101 cannot be read as frames (`error` in the frame reader's words). */
  onUnreadable(error: string): void;
  /** There is nothing more to read: a refusal's body is complete, or the head was malformed. */
  onDone(): void;
}

export class AnswerReader {
  /** Where the bytes go next. */
  receiving: 'head' | 'body' | 'frames' | 'done' = 'head';
  /** The handshake answer's status (0 until it came, or when the head was malformed). */
  status = 0;
  /** The reason phrase after the status code ('' when there was none). */
  statusText = '';
  /** Response headers, lower-case names, repeated ones joined with ", ". */
  headers: Record<string, string> = {};
  /** A refusal's body (up to 64 KiB), and its decoded length. */
  body = '';
  bodyBytes = 0;
  /** Why the head could not be read, when it could not. */
  headProblem: string | undefined;
  private headBuffer: Buffer = Buffer.alloc(0);
  private refusal: RefusalBody | undefined;
  private readonly frames: FrameReader;
  private readonly hooks: AnswerHooks;

  constructor(hooks: AnswerHooks, maxFrameBytes: number | undefined) {
    this.hooks = hooks;
    this.frames = new FrameReader(maxFrameBytes !== undefined ? { maxFrameBytes } : {});
  }

  /** Bytes of a head not yet complete. */
  get headBytes(): number {
    return this.headBuffer.length;
  }

  push(chunk: Buffer): void {
    if (this.receiving === 'head') this.readHead(chunk);
    else if (this.receiving === 'body') this.readBody(chunk);
    else if (this.receiving === 'frames') this.readFrames(chunk);
  }

  /**
   * The handshake was made another way (RFC 8441: an extended CONNECT over HTTP/2, answered `status`, 200 on
   * success): what follows on the stream is frames, and the answer's headers say what was negotiated.
   */
  acceptedElsewhere(status: number, headers: Record<string, string>): void {
    this.status = status;
    this.headers = headers;
    this.receiving = 'frames';
    this.hooks.onUpgrade(headers);
  }

  /** Keeps a refusal's body as far as it came: after a refusal there is nothing more to read. */
  endBody(): void {
    if (this.receiving !== 'body') return;
    const body = this.refusal?.finish() ?? { text: '', bytes: 0 };
    this.body = body.text;
    this.bodyBytes = body.bytes;
    this.receiving = 'done';
    this.hooks.onDone();
  }

  private readHead(chunk: Buffer): void {
    this.headBuffer = Buffer.concat([this.headBuffer, chunk]);
    const head = parseResponseHead(this.headBuffer);
    if (head === undefined) return;
    if ('problem' in head) {
      this.headProblem = head.problem;
      this.status = 0;
      this.headers = {};
      this.hooks.onDone();
      return;
    }
    this.status = head.status;
    this.statusText = head.statusText;
    this.headers = head.headers;
    this.headBuffer = Buffer.alloc(0);
    if (this.status === 101) {
      this.receiving = 'frames';
      this.hooks.onUpgrade(this.headers);
      // A server may send its first frames in the same packet as the 101.
      if (head.rest.length > 0) this.readFrames(head.rest);
      return;
    }
    this.receiving = 'body';
    this.refusal = new RefusalBody(this.headers);
    this.readBody(head.rest);
  }

  private readBody(chunk: Buffer): void {
    if (this.refusal?.push(chunk)) this.endBody();
  }

  private readFrames(chunk: Buffer): void {
    this.hooks.onFrames(this.frames.push(chunk));
    if (this.frames.error !== undefined) this.hooks.onUnreadable(this.frames.error);
  }
}

/**
 * What the raw WebSocket client received: every frame the server sent, in
 * order and whole (checks need them one by one), the findings about them
 * (capped), whole messages for listeners, and the waits that read them: the
 * next frame, message or pong, or any condition, each with a deadline. The
 * connection (raw-client.ts) feeds frames in and says when TCP has ended.
 */
import { Signal, waitFor, type Look } from '../../core/wait.ts';
import { OPCODE, opcodeName, parseClosePayload, type DecodedFrame } from './frame.ts';
import { malformedFrameNote, textMessageFinding, type WsFinding } from './inspect.ts';
import { MessageAssembler, type WsMessage } from './messages.ts';

/** Findings kept per connection; a flood of broken frames is counted, not kept. */
export const WS_FINDING_CAP = 50;

/** A frame the server sent, with when it arrived (transcript milliseconds). */
export type ReceivedFrame = DecodedFrame & { atMs: number };

export class FrameInbox {
  /** Every frame the server sent, in order. */
  readonly frames: ReceivedFrame[] = [];
  /** Protocol errors by the server, for the checks. */
  readonly findings: WsFinding[] = [];
  /** Notifies whenever a frame arrives or the connection's state changes. */
  readonly changes = new Signal();
  private omittedFindings = 0;
  private readIndex = 0;
  private pongIndex = 0;
  /** Whole messages in arrival order (also those that came before anyone listened), and their listeners. */
  private readonly messages: WsMessage[] = [];
  private readonly messageListeners = new Set<(message: WsMessage) => void>();
  /** Builds messages for listeners as frames arrive, apart from `nextMessage`'s reading. */
  private readonly listening = new MessageAssembler();
  /** Whether the TCP connection has ended, and a line on the connection's state, from the connection. */
  private readonly ended: () => boolean;
  private readonly state: () => string;

  constructor(connection: { ended: () => boolean; state: () => string }) {
    this.ended = connection.ended;
    this.state = connection.state;
  }

  /** Pings received from the server so far. */
  get pings(): ReceivedFrame[] {
    return this.frames.filter((f) => f.opcode === OPCODE.ping);
  }

  /** Pongs received from the server so far. */
  get pongs(): ReceivedFrame[] {
    return this.frames.filter((f) => f.opcode === OPCODE.pong);
  }

  /** Findings beyond {@link WS_FINDING_CAP}: counted, not kept. */
  get omittedFindingCount(): number {
    return this.omittedFindings;
  }

  /** Keeps a frame. `deliver`: a frame the server sent before its close, so its message goes to listeners. */
  add(frame: ReceivedFrame, deliver: boolean): void {
    this.frames.push(frame);
    if (deliver) {
      const message = this.listening.push(frame);
      if (message !== undefined) {
        this.messages.push(message);
        for (const listener of this.messageListeners) listener(message);
      }
    }
  }

  /** Keeps a finding, or only counts it once {@link WS_FINDING_CAP} are kept. */
  find(finding: WsFinding): void {
    if (this.findings.length >= WS_FINDING_CAP) this.omittedFindings += 1;
    else this.findings.push(finding);
  }

  /**
   * Calls `listener` with every whole message, those already received first
   * (a server may send some in the same packet as its 101), apart from `nextMessage`'s reading.
   */
  onMessage(listener: (message: WsMessage) => void): void {
    for (const message of this.messages) listener(message);
    this.messageListeners.add(listener);
  }

  /** The frames received so far, for failure messages: `3 frames received: text, ping, close 1000`. */
  describeFrames(): string {
    const names = this.frames.map((f) => (f.opcode === OPCODE.close ? `close${parseClosePayload(f.payload).code !== undefined ? ` ${parseClosePayload(f.payload).code}` : ''}` : opcodeName(f.opcode)));
    const shown = names.length > 12 ? [...names.slice(0, 12), `… ${names.length - 12} more`] : names;
    return names.length === 0 ? 'no frames received' : `${names.length} frame${names.length === 1 ? '' : 's'} received: ${shown.join(', ')}`;
  }

  /** What has been seen so far: the server's first malformed frame, if any, the frames and the connection's state. */
  describe(): string {
    const malformed = malformedFrameNote(this.findings);
    return `${malformed === undefined ? '' : `${malformed}; `}${this.describeFrames()}; ${this.state()}`;
  }

  /**
   * Waits for `look` to say done; fails at the deadline, when `look` says it
   * can no longer happen, or when the connection ends with `look` still waiting.
   */
  wait<T>(deadlineMs: number, what: string, look: () => Look<T>): Promise<T> {
    return waitFor(() => look() ?? (this.ended() ? { fail: this.describe() } : undefined), {
      what,
      deadlineMs,
      seen: () => this.describe(),
      signal: this.changes,
    });
  }

  /** Resolves once `done()` holds; fails at the deadline or when the connection ends first (saying `state()`). */
  until(done: () => boolean, deadlineMs: number, what: string, state: () => string): Promise<void> {
    return this.wait<void>(deadlineMs, what, () => (done() ? { value: undefined } : this.ended() ? { fail: state() } : undefined));
  }

  /** The next frame not yet read by `nextFrame`/`nextMessage`, whatever it is. */
  nextFrame(deadlineMs: number): Promise<ReceivedFrame> {
    return this.wait(deadlineMs, 'a frame from the server', () => {
      const frame = this.frames[this.readIndex];
      if (frame === undefined) return undefined;
      this.readIndex += 1;
      return { value: frame };
    });
  }

  /** The next whole message, fragments reassembled, control frames skipped (pings are answered on arrival). */
  nextMessage(deadlineMs: number): Promise<WsMessage> {
    return this.wait<WsMessage>(deadlineMs, 'a message from the server', () => {
      // Reassembled afresh from the read position each time: frames stay in `frames`, whole, for the checks.
      const assembler = new MessageAssembler();
      for (let i = this.readIndex; i < this.frames.length; i++) {
        const frame = this.frames[i]!;
        if (frame.opcode === OPCODE.close) {
          const code = parseClosePayload(frame.payload).code;
          return { fail: `the server sent a close frame${code !== undefined ? ` (code ${code})` : ''} instead; ${this.describe()}` };
        }
        const message = assembler.push(frame);
        if (message === undefined) continue;
        this.readIndex = i + 1;
        const invalid = message.type === 'text' ? textMessageFinding(message.data) : undefined;
        if (invalid !== undefined) this.find(invalid);
        return { value: message };
      }
      return undefined;
    });
  }

  /** The next pong from the server (pongs are counted apart from `nextFrame`'s reading). */
  nextPong(deadlineMs: number): Promise<ReceivedFrame> {
    return this.wait(deadlineMs, 'a pong from the server', () => {
      for (let i = this.pongIndex; i < this.frames.length; i++) {
        const frame = this.frames[i]!;
        if (frame.opcode === OPCODE.pong) {
          this.pongIndex = i + 1;
          return { value: frame };
        }
      }
      this.pongIndex = this.frames.length;
      return undefined;
    });
  }
}

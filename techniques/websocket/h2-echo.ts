/**
 * One exchange with the echo endpoint over HTTP/2 (RFC 8441), for WS-H2-ENABLE-CONNECT and WS-H2-ECHO: the extended
 * CONNECT (h2-connect.ts), then, on the raw client over its stream, the messages, a close (1000), and the server's
 * close and END_STREAM awaited.
 */
import type { ConnectionOptions } from 'node:tls';
import type { Transcript } from '../../core/transcript.ts';
import { OPCODE, type DecodedFrame } from './frame.ts';
import { H2_ACTOR, openExtendedConnect } from './h2-connect.ts';
import { RawWebSocket } from './raw-client.ts';

/** What one RFC 8441 echo exchange showed. */
export interface H2EchoRun {
  /** SETTINGS_ENABLE_CONNECT_PROTOCOL in the server's first SETTINGS; undefined when no SETTINGS came. */
  enableConnectProtocol: boolean | undefined;
  /** The answer to the extended CONNECT, when one came. */
  status?: number;
  responseHeaders?: Record<string, string>;
  /** Why the exchange stopped short (no SETTINGS, refused stream, no answer...), in words. */
  stopped?: string;
  /** The messages sent, in order, and the frames that came back. */
  sent: Array<{ opcode: number; payload: Buffer }>;
  received: DecodedFrame[];
  /** The server's close frame, when one came. */
  closeCode?: number;
  /** The stream ended with END_STREAM from the server (RFC 8441 §5: an orderly TCP close). */
  streamEnded: boolean;
}

export interface H2EchoOptions {
  /** The echo endpoint's URL (`http://` or `https://`, or `ws://` / `wss://`). */
  url: string;
  tls: ConnectionOptions;
  transcript: Transcript;
  deadlineMs: number;
  /** The messages to send (text and binary), then a close frame (1000). */
  messages: Array<{ opcode: number; payload: Buffer }>;
}

/** Runs the exchange (see the module's comment); every frame is in the transcript, the connection closed on return. */
export async function runH2Echo(options: H2EchoOptions): Promise<H2EchoRun> {
  const { transcript, deadlineMs } = options;
  const opened = await openExtendedConnect(options);
  const run: H2EchoRun = {
    enableConnectProtocol: opened.enableConnectProtocol,
    ...(opened.status !== undefined ? { status: opened.status } : {}),
    ...(opened.responseHeaders !== undefined ? { responseHeaders: opened.responseHeaders } : {}),
    ...(opened.stopped !== undefined ? { stopped: opened.stopped } : {}),
    sent: [],
    received: [],
    streamEnded: false,
  };
  if (opened.stopped !== undefined || opened.stream === undefined) return run;
  // END_STREAM alone: a reset stream also ends the raw client's connection, but is no orderly close.
  opened.stream.on('end', () => (run.streamEnded = true));
  const ws = RawWebSocket.onOpenedStream({ url: options.url, actor: H2_ACTOR, transcript, deadlineMs, tls: options.tls }, opened);
  const data = (): DecodedFrame[] => ws.received.filter((f) => f.opcode === OPCODE.text || f.opcode === OPCODE.binary);
  try {
    for (const message of options.messages) {
      run.sent.push(message);
      ws.send({ opcode: message.opcode, payload: message.payload });
    }
    await ws.inbox.until(() => data().length >= options.messages.length, deadlineMs, 'the echoes', () => ws.describe()).catch(() => undefined);
    ws.close(1000);
    await ws.inbox.until(() => ws.closeReceived !== undefined && run.streamEnded, deadlineMs, "the server's close and the end of the stream", () => ws.describe()).catch(() => undefined);
    run.received = [...ws.received];
    if (ws.closeReceived?.code !== undefined) run.closeCode = ws.closeReceived.code;
    if (ws.closeReceived === undefined || !run.streamEnded) run.stopped = ws.socketError;
    return run;
  } finally {
    ws.destroy();
    opened.session.destroy();
  }
}

/**
 * WebSockets over HTTP/2 (RFC 8441), from the client's side: an HTTP/2
 * connection (h2c with prior knowledge over `http://`, ALPN h2 over
 * `https://`), the server's SETTINGS read for SETTINGS_ENABLE_CONNECT_PROTOCOL,
 * then an extended CONNECT (`:method CONNECT`, `:protocol websocket`) on the
 * echo endpoint, and RFC 6455 frames on its stream "as if it were the TCP
 * connection" (RFC 8441 §5). node:http2 does the HTTP/2 part: it implements the
 * extended CONNECT and refuses to send one before the server allowed it, as
 * RFC 8441 §3 wants of a client. The frames are pushspec's own (frame.ts), so
 * what the server sends is read as strictly as over HTTP/1.1.
 */
import { connect, type ClientHttp2Session, type ClientHttp2Stream, type IncomingHttpHeaders } from 'node:http2';
import type { ConnectionOptions } from 'node:tls';
import type { Transcript } from '../../core/transcript.ts';
import { Signal, waitUntil } from '../../core/wait.ts';
import { closePayload, encodeFrame, FrameReader, OPCODE, parseClosePayload, type DecodedFrame } from './frame.ts';
import { frameRecord } from './frame-record.ts';

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

const ACTOR = 'client (HTTP/2)';

function headerRecord(headers: IncomingHttpHeaders): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : String(value)]));
}

/**
 * Opens the echo endpoint over HTTP/2 with an extended CONNECT, sends the
 * messages and a close frame, and reads until the server's close and the end
 * of the stream (or the deadline). Every step is noted in the transcript and
 * every frame recorded; the connection is closed before it returns.
 */
export async function runH2Echo(options: H2EchoOptions): Promise<H2EchoRun> {
  const { transcript, deadlineMs } = options;
  const target = new URL(options.url.replace(/^ws/, 'http'));
  const run: H2EchoRun = { enableConnectProtocol: undefined, sent: [], received: [], streamEnded: false };
  const changes = new Signal();
  const session: ClientHttp2Session = connect(target.origin, { ...(target.protocol === 'https:' ? options.tls : {}), ALPNProtocols: ['h2'] });
  let failure: string | undefined;
  session.on('error', (error) => {
    failure ??= `the HTTP/2 connection failed: ${error.message}`;
    changes.notify();
  });
  session.on('close', () => changes.notify());
  session.once('remoteSettings', (settings) => {
    run.enableConnectProtocol = settings.enableConnectProtocol === true;
    transcript.note(`${ACTOR}: the server's SETTINGS: ${JSON.stringify(settings)}`);
    changes.notify();
  });
  const wait = (done: () => boolean, what: string): Promise<boolean> =>
    waitUntil(() => done() || failure !== undefined || session.closed, { what, deadlineMs, seen: () => failure ?? 'nothing yet', signal: changes }).then(
      () => done(),
      () => false,
    );
  try {
    if (!(await wait(() => run.enableConnectProtocol !== undefined, "the server's SETTINGS"))) {
      run.stopped = failure ?? `no SETTINGS from the server within ${deadlineMs} ms`;
      return run;
    }
    if (run.enableConnectProtocol !== true) {
      run.stopped = 'the server did not allow the extended CONNECT (no SETTINGS_ENABLE_CONNECT_PROTOCOL = 1), so a client may not send one (RFC 8441 §3)';
      return run;
    }
    const requestHeaders = { ':method': 'CONNECT', ':protocol': 'websocket', ':scheme': target.protocol.slice(0, -1), ':path': `${target.pathname}${target.search}`, ':authority': target.host, 'sec-websocket-version': '13' };
    transcript.note(`${ACTOR}: extended CONNECT ${JSON.stringify(requestHeaders)}`);
    const stream: ClientHttp2Stream = session.request(requestHeaders, { endStream: false });
    const reader = new FrameReader();
    stream.on('response', (headers) => {
      run.status = Number(headers[':status']);
      run.responseHeaders = headerRecord(headers);
      transcript.note(`${ACTOR}: the answer: ${JSON.stringify(run.responseHeaders)}`);
      changes.notify();
    });
    stream.on('data', (chunk: Buffer) => {
      for (const frame of reader.push(chunk)) {
        run.received.push(frame);
        transcript.recordFrame(() => frameRecord(ACTOR, 'received', frame, transcript.now()));
        if (frame.opcode === OPCODE.close) run.closeCode = parseClosePayload(frame.payload).code;
      }
      changes.notify();
    });
    stream.on('end', () => {
      run.streamEnded = true;
      changes.notify();
    });
    stream.on('close', () => {
      if (!run.streamEnded && stream.rstCode !== undefined && stream.rstCode !== 0) failure ??= `the stream was reset (RST_STREAM, error code ${stream.rstCode})`;
      changes.notify();
    });
    stream.on('error', (error) => {
      failure ??= `the stream failed: ${error.message}`;
      changes.notify();
    });
    if (!(await wait(() => run.status !== undefined, 'the answer to the extended CONNECT'))) {
      run.stopped = failure ?? `no answer to the extended CONNECT within ${deadlineMs} ms`;
      return run;
    }
    if (run.status! < 200 || run.status! > 299) {
      run.stopped = `the extended CONNECT was answered ${run.status}`;
      return run;
    }
    const send = (opcode: number, payload: Buffer): void => {
      const frame = { fin: true, rsv: 0, opcode, masked: true, payload };
      stream.write(encodeFrame({ opcode, payload }));
      transcript.recordFrame(() => frameRecord(ACTOR, 'sent', frame, transcript.now()));
    };
    for (const message of options.messages) {
      run.sent.push(message);
      send(message.opcode, message.payload);
    }
    const echoed = (): boolean => run.received.filter((f) => f.opcode !== OPCODE.ping && f.opcode !== OPCODE.pong).length >= options.messages.length;
    await wait(echoed, 'the echoes');
    send(OPCODE.close, closePayload(1000));
    await wait(() => run.closeCode !== undefined && run.streamEnded, "the server's close and the end of the stream");
    if (run.closeCode === undefined || !run.streamEnded) run.stopped = failure;
    stream.end();
    return run;
  } finally {
    session.destroy();
  }
}

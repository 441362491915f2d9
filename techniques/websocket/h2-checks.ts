/**
 * Checks of WebSockets over HTTP/2 (RFC 8441): pure, on what one extended
 * CONNECT exchange recorded (h2-connect.ts).
 */
import { ConformanceFailure, expectThat } from '../../core/failure.ts';
import { checkAutobahnCase } from './autobahn/case-checks.ts';
import type { Judgement } from './autobahn/judge.ts';
import type { AutobahnCase, CaseRecord } from './autobahn/model.ts';
import type { H2EchoRun } from './h2-echo.ts';

/** RFC 6455 §5.2's data opcodes (checks stay free of the frame codec). */
const TEXT = 0x1;
const BINARY = 0x2;

/** WS-H2-ENABLE-CONNECT: the server's SETTINGS carried SETTINGS_ENABLE_CONNECT_PROTOCOL = 1 (RFC 8441 §3). */
export function checkConnectProtocolEnabled(run: H2EchoRun): void {
  expectThat(run.enableConnectProtocol === true, "SETTINGS_ENABLE_CONNECT_PROTOCOL = 1 in the server's SETTINGS, so that a client may send the extended CONNECT", () =>
    run.enableConnectProtocol === undefined ? (run.stopped ?? 'no SETTINGS came') : "the server's SETTINGS did not carry it with the value 1",
  );
}

function describe(frame: { opcode: number; payload: Buffer }): string {
  return frame.opcode === TEXT ? `text ${JSON.stringify(frame.payload.toString('utf8'))}` : `binary ${frame.payload.length} bytes`;
}

/**
 * WS-H2-ECHO: the extended CONNECT was answered with 2xx, every message came
 * back unchanged and in order on the stream, and the close frame was answered
 * with a close frame (1000) and the end of the stream.
 */
export function checkEchoOverHttp2(run: H2EchoRun): void {
  expectThat(run.status !== undefined && run.status >= 200 && run.status <= 299, 'the extended CONNECT (:protocol websocket) answered with 200', () => run.stopped ?? `answered ${run.status}`);
  const data = run.received.filter((f) => f.opcode === TEXT || f.opcode === BINARY);
  const same = data.length === run.sent.length && run.sent.every((m, i) => data[i]!.opcode === m.opcode && data[i]!.payload.equals(m.payload));
  expectThat(same, `the ${run.sent.length} messages echoed on the stream, unchanged and in order: ${run.sent.map(describe).join(', ')}`, () =>
    data.length === 0 ? `no message came back${run.stopped ? ` (${run.stopped})` : ''}` : `came back: ${data.map(describe).join(', ')}`,
  );
  expectThat(run.closeCode === 1000 && run.streamEnded, "the close frame answered with a close frame (1000), then the stream's end (END_STREAM)", () =>
    `${run.closeCode === undefined ? 'no close frame' : `a close frame with ${run.closeCode}`}; the stream ${run.streamEnded ? 'ended' : 'did not end'}${run.stopped ? ` (${run.stopped})` : ''}`,
  );
}

/** One case played over HTTP/2, as the judge saw it. */
export interface CaseOverHttp2 {
  c: AutobahnCase;
  record: CaseRecord;
  judged: Judgement;
}

/**
 * WS-H2-FRAME-CASES: every case holds over the HTTP/2 stream by the rules it
 * is held to over TCP (case-checks.ts: its MUSTs; the SHOULD parts it observes
 * are not judged here). Lists the cases that did not, with what each expected.
 */
export function checkCasesOverHttp2(cases: readonly CaseOverHttp2[]): void {
  const failed: string[] = [];
  for (const { c, record, judged } of cases) {
    try {
      checkAutobahnCase(c, record, judged);
    } catch (error) {
      if (!(error instanceof ConformanceFailure)) throw error;
      failed.push(`${c.id}: expected ${error.expected}; got ${error.actual}`);
    }
  }
  expectThat(failed.length === 0, `each of the ${cases.length} frame-level cases (Autobahn 1-7, 10) to hold over an HTTP/2 stream as over TCP`, () =>
    `${failed.length} did not: ${failed.slice(0, 5).join(' | ')}${failed.length > 5 ? ` | and ${failed.length - 5} more` : ''}`,
  );
}

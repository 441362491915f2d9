/**
 * Autobahn 9.x (limits and performance): single messages of 64 KiB to 16 MiB
 * (9.1 text, 9.2 binary), a 4 MiB message in frames of 64 bytes to 4 MiB
 * (9.3, 9.4), a 1 MiB message written in TCP chops of 64 to 2048 bytes (9.5,
 * 9.6), and 1000 strictly sequential round trips of 0 bytes to 4 KiB (9.7,
 * 9.8). Definitions after Autobahn's case9_*.py and case9_7_X.py.
 *
 * As in Autobahn, an echo is judged by its type and length only, within the
 * case's own timeout (Autobahn's WAITSECS), and each case's duration and rate
 * are reported as figures, never judged. Each case declares its largest
 * message and frame (`sizes`), so a server whose adapter declares a smaller
 * limit may refuse the message (best with 1009) instead of echoing it.
 * Payloads are built when a case plays, not when this file loads: the 54
 * cases send some 150 MiB between them.
 */
import { chops } from '../write-split.ts';
import { caseList, CLEAN_CLOSE, repeated } from './build.ts';
import type { AutobahnCase, ExpectedEvent } from './model.ts';

const KiB = 1024;
const MiB = 1024 * 1024;

/** Autobahn's cyclic payload patterns (`payload_len`): 9.1/9.5 text, 9.2/9.6 binary. */
const TEXT_PATTERN = 'BAsd7&jh23';
const BINARY_PATTERN = Buffer.from([0x00, 0xfe, 0x23, 0xfa, 0xf0]);

type Kind = 'text' | 'binary';

/** `64 KiB`, `4 MiB`, `16 bytes`: a size as the Examples rows say it. */
export function sizeWords(bytes: number): string {
  if (bytes >= MiB && bytes % MiB === 0) return `${bytes / MiB} MiB`;
  if (bytes >= KiB && bytes % KiB === 0) return `${bytes / KiB} KiB`;
  return `${bytes} bytes`;
}

/** Autobahn compares no content in category 9: the type and the length. */
function echoOfLength(type: Kind, length: number): ExpectedEvent {
  return { kind: 'message', type, length };
}

/** What every 9.x case shares: one echo (or `count`), then a clean close by the client once they came, or after WAITSECS. */
function timedCase(id: string, requirement: string, sends: string, script: AutobahnCase['script'], expected: ExpectedEvent[], waitSecs: number, sizes: AutobahnCase['sizes']): AutobahnCase {
  return {
    id,
    requirement,
    sends,
    script,
    expected: { ok: [expected] },
    close: CLEAN_CLOSE,
    ending: { kind: 'close', afterMs: waitSecs * 1000 },
    timeoutMs: waitSecs * 1000,
    timed: true,
    messagesOnly: true,
    sizes,
  };
}

/** 9.1/9.2: one message of `length` bytes in one frame; 9.5/9.6 the same in writes of `chop` bytes. */
function single(id: string, type: Kind, length: number, waitSecs: number, chop?: number): AutobahnCase {
  const pattern = type === 'text' ? TEXT_PATTERN : BINARY_PATTERN;
  return timedCase(
    id,
    chop === undefined ? 'WS-LARGE-MESSAGE' : 'WS-CHOPPED',
    `a ${type} message of ${sizeWords(length)}${chop === undefined ? '' : ` in ${chop}-byte writes`}`,
    async (conn) => void (await conn.sendMessage(type, repeated(pattern, length), chop === undefined ? {} : { split: chops(chop) })),
    [echoOfLength(type, length)],
    waitSecs,
    { messageBytes: length, frameBytes: length },
  );
}

/** 9.3/9.4: a 4 MiB message in frames of `fragmentSize` bytes (one frame when it is 4 MiB). */
function fragmented(id: string, type: Kind, fragmentSize: number, fill: number): AutobahnCase {
  const length = 4 * MiB;
  return timedCase(
    id,
    'WS-LARGE-FRAGMENTED',
    `a ${type} message of ${sizeWords(length)} in frames of ${sizeWords(fragmentSize)}`,
    async (conn) => void (await conn.sendMessage(type, Buffer.alloc(length, fill), { fragmentSize })),
    [echoOfLength(type, length)],
    100,
    { messageBytes: length, frameBytes: Math.min(fragmentSize, length) },
  );
}

/** 9.7/9.8: 1000 messages of `length` bytes, each sent once the one before came back. */
function roundTrips(id: string, type: Kind, length: number, waitSecs: number): AutobahnCase {
  const count = 1000;
  const fill = type === 'text' ? 0x2a : 0xfe;
  return timedCase(
    id,
    'WS-ROUND-TRIPS',
    `${count} ${type} messages of ${sizeWords(length)}, each after the echo of the one before`,
    async (conn) => {
      const data = Buffer.alloc(length, fill);
      await conn.roundTrips(count, () => ({ type, data }), waitSecs * 1000);
    },
    Array.from({ length: count }, () => echoOfLength(type, length)),
    waitSecs,
    { messageBytes: length, frameBytes: length },
  );
}

const SINGLE_SIZES = [64 * KiB, 256 * KiB, 1 * MiB, 4 * MiB, 8 * MiB, 16 * MiB];
/** Autobahn's WAITSECS for 9.1.x and 9.2.x (9.2.3 and 9.2.4 keep 10 s where 9.1 has 100 s). */
const SINGLE_WAIT_SECS = { text: [10, 10, 100, 100, 100, 100], binary: [10, 10, 10, 10, 100, 100] };
const FRAGMENT_SIZES = [64, 256, 1 * KiB, 4 * KiB, 16 * KiB, 64 * KiB, 256 * KiB, 1 * MiB, 4 * MiB];
const CHOP_SIZES = [64, 128, 256, 512, 1024, 2048];
const ROUND_TRIP_SIZES = [0, 16, 64, 256, 1 * KiB, 4 * KiB];
const ROUND_TRIP_WAIT_SECS = [60, 60, 60, 120, 240, 480];

export const LIMITS_CASES: AutobahnCase[] = caseList([
  ...SINGLE_SIZES.map((length, i) => single(`9.1.${i + 1}`, 'text', length, SINGLE_WAIT_SECS.text[i]!)),
  ...SINGLE_SIZES.map((length, i) => single(`9.2.${i + 1}`, 'binary', length, SINGLE_WAIT_SECS.binary[i]!)),
  ...FRAGMENT_SIZES.map((size, i) => fragmented(`9.3.${i + 1}`, 'text', size, 0x2a)),
  // Autobahn's 9.4.1 sends 0xFE bytes; 9.4.2–9.4.9 keep 9.3's '*' (0x2A).
  ...FRAGMENT_SIZES.map((size, i) => fragmented(`9.4.${i + 1}`, 'binary', size, i === 0 ? 0xfe : 0x2a)),
  ...CHOP_SIZES.map((chop, i) => single(`9.5.${i + 1}`, 'text', 1 * MiB, 1000, chop)),
  ...CHOP_SIZES.map((chop, i) => single(`9.6.${i + 1}`, 'binary', 1 * MiB, 1000, chop)),
  ...ROUND_TRIP_SIZES.map((length, i) => roundTrips(`9.7.${i + 1}`, 'text', length, ROUND_TRIP_WAIT_SECS[i]!)),
  ...ROUND_TRIP_SIZES.map((length, i) => roundTrips(`9.8.${i + 1}`, 'binary', length, ROUND_TRIP_WAIT_SECS[i]!)),
]);

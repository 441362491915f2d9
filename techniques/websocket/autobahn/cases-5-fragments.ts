/**
 * Autobahn 5.x (fragmentation): fragmented control frames fail the
 * connection (5.1, 5.2); a text message in two fragments is reassembled,
 * however the writes split it, also with a ping between the fragments whose
 * pong comes first (5.3–5.8); a continuation with nothing to continue, or a
 * new message inside a fragmented one, fails the connection (5.9–5.18); pings
 * between five fragments, with a pause in the middle, are answered before the
 * message completes (5.19, 5.20). Definitions after Autobahn's case5_*.py.
 * P5.x are pushspec's own rows (binary fragments, many fragments).
 */
import { OPCODE, type FrameSpec } from '../frame.ts';
import { FRAME_WISE, OCTET_WISE, TOGETHER, type WriteSplit } from '../write-split.ts';
import { fragmentsOf } from './connection.ts';
import { caseList, CLEAN_CLOSE, echoOf, pongOf, serverFails } from './build.ts';
import type { AutobahnCase, ExpectedEvent } from './model.ts';
import { ECHO_BEFORE_FAIL } from './cases-3-4-reserved.ts';

const F = OPCODE.continuation;
const HELLO = 'Hello, world!';
const ORPHAN = 'non-continuation payload';
const PING = 'ping payload';
/** The requirement a pong sent only once the message completed is reported under (Autobahn 5.19, 5.20). */
export const PONG_PROMPT = 'WS-PONG-PROMPT';

const SPLIT_WORDS = new Map<WriteSplit, string>([
  [TOGETHER, ''],
  [FRAME_WISE, ', one write per frame'],
  [OCTET_WISE, ', octet-wise'],
]);

/** Frames the server must reassemble into `echo` (with `before` coming back first), the client closing after 1 s. */
function reassembled(id: string, sends: string, frames: FrameSpec[], split: WriteSplit, echo: ExpectedEvent, before: ExpectedEvent[] = [], requirement = 'WS-FRAGMENTS'): AutobahnCase {
  return {
    id,
    requirement,
    sends: `${sends}${SPLIT_WORDS.get(split) ?? ''}`,
    script: async (conn) => void (await conn.send(frames, split)),
    expected: { ok: [[...before, echo]] },
    close: CLEAN_CLOSE,
    ending: { kind: 'close', afterMs: 1000 },
  };
}

/** Frames that break fragmentation: nothing comes back, the server fails the connection (Autobahn `killAfter(1)`). */
function broken(id: string, requirement: string, sends: string, frames: FrameSpec[], split: WriteSplit = TOGETHER): AutobahnCase {
  return {
    id,
    requirement,
    sends: `${sends}${SPLIT_WORDS.get(split) ?? ''}`,
    script: async (conn) => void (await conn.send(frames, split)),
    expected: { ok: [[]] },
    close: serverFails([1002]),
    ending: { kind: 'await', afterMs: 1000 },
  };
}

const TWO_FRAGMENTS: FrameSpec[] = [
  { opcode: OPCODE.text, fin: false, payload: 'fragment1' },
  { opcode: F, fin: true, payload: 'fragment2' },
];
const PING_BETWEEN: FrameSpec[] = [TWO_FRAGMENTS[0]!, { opcode: OPCODE.ping, payload: PING }, TWO_FRAGMENTS[1]!];
/** A continuation with nothing to continue (FIN as given), then a whole text message (5.9–5.14). */
const orphan = (fin: boolean): FrameSpec[] => [
  { opcode: F, fin, payload: ORPHAN },
  { opcode: OPCODE.text, fin: true, payload: HELLO },
];
const repeatTwice = (frames: FrameSpec[]): FrameSpec[] => [...frames, ...frames];

const FIVE = ['fragment1', 'fragment2', 'fragment3', 'fragment4', 'fragment5'];
const PINGS = ['pongme 1!', 'pongme 2!'];

/**
 * Autobahn 5.19/5.20: two fragments and a ping, a pause of 1 s (Autobahn's
 * `continueLater(1)`), then two fragments, a ping and the last fragment. The
 * pause's end is recorded as an event, so the first pong must come during it,
 * before the message is complete (RFC 6455 §5.5.2: a pong "as soon as is
 * practical", a SHOULD); Autobahn accepts a pong held until the pause ended,
 * which pushspec reports non-strict under WS-PONG-PROMPT.
 */
function pingsBetweenFive(id: string, split: WriteSplit): AutobahnCase {
  const first: FrameSpec[] = [
    { opcode: OPCODE.text, fin: false, payload: FIVE[0] },
    { opcode: F, fin: false, payload: FIVE[1] },
    { opcode: OPCODE.ping, payload: PINGS[0] },
  ];
  const second: FrameSpec[] = [
    { opcode: F, fin: false, payload: FIVE[2] },
    { opcode: F, fin: false, payload: FIVE[3] },
    { opcode: OPCODE.ping, payload: PINGS[1] },
    { opcode: F, fin: true, payload: FIVE[4] },
  ];
  const pause: ExpectedEvent = { kind: 'timeout', tag: 'A' };
  const message = echoOf('text', FIVE.join(''));
  return {
    id,
    requirement: 'WS-FRAGMENTS',
    sends: `a text message in 5 fragments with 2 pings between them and a 1 s pause${SPLIT_WORDS.get(split) ?? ''}`,
    script: async (conn) => {
      if (!(await conn.send(first, split))) return;
      await conn.pause(1000, 'A');
      if (conn.open) await conn.send(second, split);
    },
    expected: {
      ok: [[pongOf(PINGS[0]!), pause, pongOf(PINGS[1]!), message]],
      nonStrict: [[pause, pongOf(PINGS[0]!), pongOf(PINGS[1]!), message]],
    },
    nonStrictPart: PONG_PROMPT,
    close: CLEAN_CLOSE,
    ending: { kind: 'close', afterMs: 1000 },
  };
}

const FRAG = 'WS-FRAGMENT-ERRORS';
const CTRL = 'WS-CONTROL-ERRORS';
const binary70000 = Buffer.from(Array.from({ length: 70_000 }, (_, i) => i % 251));
const binary20 = Buffer.from(Array.from({ length: 20 }, (_, i) => i));

export const FRAGMENT_CASES: AutobahnCase[] = caseList([
  broken('5.1', CTRL, 'a ping in 2 fragments', [{ opcode: OPCODE.ping, fin: false, payload: 'fragment1' }, { opcode: F, fin: true, payload: 'fragment2' }]),
  broken('5.2', CTRL, 'a pong in 2 fragments', [{ opcode: OPCODE.pong, fin: false, payload: 'fragment1' }, { opcode: F, fin: true, payload: 'fragment2' }]),
  reassembled('5.3', 'a text message in 2 fragments', TWO_FRAGMENTS, TOGETHER, echoOf('text', 'fragment1fragment2')),
  reassembled('5.4', 'a text message in 2 fragments', TWO_FRAGMENTS, FRAME_WISE, echoOf('text', 'fragment1fragment2')),
  reassembled('5.5', 'a text message in 2 fragments', TWO_FRAGMENTS, OCTET_WISE, echoOf('text', 'fragment1fragment2')),
  reassembled('5.6', 'a text message in 2 fragments with a ping between them', PING_BETWEEN, TOGETHER, echoOf('text', 'fragment1fragment2'), [pongOf(PING)]),
  reassembled('5.7', 'a text message in 2 fragments with a ping between them', PING_BETWEEN, FRAME_WISE, echoOf('text', 'fragment1fragment2'), [pongOf(PING)]),
  reassembled('5.8', 'a text message in 2 fragments with a ping between them', PING_BETWEEN, OCTET_WISE, echoOf('text', 'fragment1fragment2'), [pongOf(PING)]),
  broken('5.9', FRAG, 'a continuation with nothing to continue (FIN set), then a text message', orphan(true)),
  broken('5.10', FRAG, 'a continuation with nothing to continue (FIN set), then a text message', orphan(true), FRAME_WISE),
  broken('5.11', FRAG, 'a continuation with nothing to continue (FIN set), then a text message', orphan(true), OCTET_WISE),
  broken('5.12', FRAG, 'a continuation with nothing to continue (FIN clear), then a text message', orphan(false)),
  broken('5.13', FRAG, 'a continuation with nothing to continue (FIN clear), then a text message', orphan(false), FRAME_WISE),
  broken('5.14', FRAG, 'a continuation with nothing to continue (FIN clear), then a text message', orphan(false), OCTET_WISE),
  {
    id: '5.15',
    requirement: FRAG,
    sends: 'a text message in 2 fragments, then a continuation with nothing to continue and a text fragment',
    script: async (conn) =>
      void (await conn.send([
        ...TWO_FRAGMENTS,
        { opcode: F, fin: false, payload: 'fragment3' },
        { opcode: OPCODE.text, fin: true, payload: 'fragment4' },
      ])),
    expected: { ok: [[echoOf('text', 'fragment1fragment2')]], nonStrict: [[]] },
    nonStrictPart: ECHO_BEFORE_FAIL,
    close: serverFails([1002]),
    ending: { kind: 'await', afterMs: 1000 },
  },
  broken('5.16', FRAG, 'twice: a continuation (FIN clear), a text fragment, a last continuation', repeatTwice([{ opcode: F, fin: false, payload: 'fragment1' }, { opcode: OPCODE.text, fin: false, payload: 'fragment2' }, { opcode: F, fin: true, payload: 'fragment3' }])),
  broken('5.17', FRAG, 'twice: a continuation (FIN set), a text fragment, a last continuation', repeatTwice([{ opcode: F, fin: true, payload: 'fragment1' }, { opcode: OPCODE.text, fin: false, payload: 'fragment2' }, { opcode: F, fin: true, payload: 'fragment3' }])),
  broken('5.18', FRAG, 'a text fragment, then a new text frame before the last fragment', [{ opcode: OPCODE.text, fin: false, payload: 'fragment1' }, { opcode: OPCODE.text, fin: true, payload: 'fragment2' }]),
  pingsBetweenFive('5.19', TOGETHER),
  pingsBetweenFive('5.20', FRAME_WISE),
  // pushspec's own rows, kept from the earlier scenarios: binary fragments, and many small ones.
  broken('P5.1', FRAG, 'a binary fragment, then a new binary frame before the last fragment', [{ opcode: OPCODE.binary, fin: false, payload: 'fragment1' }, { opcode: OPCODE.binary, fin: true, payload: 'fragment2' }]),
  reassembled('P5.2', 'a text message of 300 bytes in 3 fragments', fragmentsOf(OPCODE.text, Buffer.alloc(300, 0x61), 100), TOGETHER, echoOf('text', Buffer.alloc(300, 0x61))),
  reassembled('P5.3', 'a text message of 1000 bytes in 100 fragments', fragmentsOf(OPCODE.text, Buffer.alloc(1000, 0x62), 10), TOGETHER, echoOf('text', Buffer.alloc(1000, 0x62))),
  reassembled('P5.4', 'a binary message of 70000 bytes in 7 fragments', fragmentsOf(OPCODE.binary, binary70000, 10_000), TOGETHER, echoOf('binary', binary70000)),
  reassembled('P5.5', 'a binary message of 20 bytes in 4 fragments with a ping between them', withPingAfterFirst(fragmentsOf(OPCODE.binary, binary20, 5)), TOGETHER, echoOf('binary', binary20), [pongOf(PING)]),
]);

/** The fragments with a ping after the first one. */
function withPingAfterFirst(frames: FrameSpec[]): FrameSpec[] {
  return [frames[0]!, { opcode: OPCODE.ping, payload: PING }, ...frames.slice(1)];
}

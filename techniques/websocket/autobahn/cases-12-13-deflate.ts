/**
 * Autobahn 12.x and 13.x (permessage-deflate, RFC 7692): compressed messages
 * cut from a corpus, each sent once the one before came back, judged by type,
 * length and SHA-1 as Autobahn judges them (case12_x_x.py). 12.x: five corpora
 * with Autobahn's default offer; 13.x: the JSON corpus with seven offers.
 * 18 profiles each: message lengths 16 B – 128 KiB, whole or fragmented.
 *
 * Autobahn sends 1000 messages per case; that is 216 000 messages, minutes
 * even on a fast machine, so pushspec sends {@link DEFAULT_DEFLATE_MESSAGES}
 * (enough to carry the compression context across messages) unless
 * `PUSHSPEC_DEFLATE_MESSAGES` says otherwise (1000 for Autobahn's depth).
 * A declined offer leaves nothing compressed to judge: the row is unsupported
 * (Autobahn: UNIMPLEMENTED), since RFC 7692 §7 lets a server decline any offer.
 */
import { createHash } from 'node:crypto';
import { CORPORA, messagesOf, type Corpus } from '../deflate/corpora.ts';
import type { DeflateOffer } from '../deflate/negotiation.ts';
import { sendMaybeCompressed } from '../deflate/session.ts';
import { caseList, CLEAN_CLOSE } from './build.ts';
import type { AutobahnCase, ExpectedEvent } from './model.ts';

/** Messages per case by default: context takeover is exercised from the second one on. */
export const DEFAULT_DEFLATE_MESSAGES = 2;
/** The environment variable that sets the messages per case (Autobahn sends 1000). */
export const DEFLATE_MESSAGES_ENV = 'PUSHSPEC_DEFLATE_MESSAGES';

/** The messages per case: the environment's whole number ≥ 1, else the default. */
export function deflateMessageCount(env: NodeJS.ProcessEnv = process.env): number {
  const given = env[DEFLATE_MESSAGES_ENV];
  if (given === undefined || given === '') return DEFAULT_DEFLATE_MESSAGES;
  const n = Number(given);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${DEFLATE_MESSAGES_ENV} must be a whole number ≥ 1, got "${given}"`);
  return n;
}

/** Autobahn's MSG_SIZES: (length, its timeout in s for 1000 messages, fragment size or 0). */
const PROFILES: ReadonlyArray<[number, number, number]> = [
  [16, 60, 0],
  [64, 60, 0],
  [256, 120, 0],
  [1024, 240, 0],
  [4096, 480, 0],
  [8192, 480, 0],
  [16384, 480, 0],
  [32768, 480, 0],
  [65536, 480, 0],
  [131072, 480, 0],
  [8192, 480, 256],
  [16384, 480, 256],
  [32768, 480, 256],
  [65536, 480, 256],
  [131072, 480, 256],
  [131072, 480, 1024],
  [131072, 480, 4096],
  [131072, 480, 32768],
];

/** Autobahn's default offer (PerMessageDeflateOffer()): the client can reset its context and limit its window. */
const DEFAULT_OFFER = ['client_no_context_takeover', 'client_max_window_bits'];

/** 13.1–13.7's offers (case12_x_x.py DEFLATE_PARAMS), in words for the row. */
const PARAMETER_SETS: ReadonlyArray<{ offers: string[][]; words: string }> = [
  { offers: [DEFAULT_OFFER], words: 'with the default offer' },
  { offers: [[...DEFAULT_OFFER, 'server_no_context_takeover']], words: 'offering server_no_context_takeover' },
  { offers: [[...DEFAULT_OFFER, 'server_max_window_bits=9']], words: 'offering server_max_window_bits=9' },
  { offers: [[...DEFAULT_OFFER, 'server_max_window_bits=15']], words: 'offering server_max_window_bits=15' },
  { offers: [[...DEFAULT_OFFER, 'server_no_context_takeover', 'server_max_window_bits=9']], words: 'offering server_no_context_takeover and server_max_window_bits=9' },
  { offers: [[...DEFAULT_OFFER, 'server_no_context_takeover', 'server_max_window_bits=15']], words: 'offering server_no_context_takeover and server_max_window_bits=15' },
  {
    offers: [[...DEFAULT_OFFER, 'server_no_context_takeover', 'server_max_window_bits=9'], [...DEFAULT_OFFER, 'server_no_context_takeover'], DEFAULT_OFFER],
    words: 'offering three configurations in order of preference',
  },
];

/** How long to wait for one echo before the case gives up (the server is stuck, not slow). */
const ECHO_MS = 5000;

function compressionCase(id: string, requirement: string, corpus: Corpus, profile: [number, number, number], offer: DeflateOffer, offerWords: string): AutobahnCase {
  const [length, autobahnSeconds, fragmentSize] = profile;
  const count = deflateMessageCount();
  const unit = corpus.type === 'text' ? 'characters' : 'bytes';
  let messages: Buffer[] | undefined;
  const all = (): Buffer[] => (messages ??= messagesOf(corpus, length, count));
  let expected: ExpectedEvent[] | undefined;
  return {
    id,
    requirement,
    sends: `compressed ${corpus.type} messages of ${length} ${unit} of ${corpus.name}${fragmentSize > 0 ? ` in ${fragmentSize}-byte fragments` : ''}${offerWords === '' ? '' : `, ${offerWords}`}`,
    script: (conn) =>
      conn.roundTrips(count, (i) => ({ type: corpus.type, data: all()[i]!, ...(fragmentSize > 0 ? { fragmentSize } : {}) }), ECHO_MS, (m) =>
        sendMaybeCompressed(conn, m.type, m.data, m.fragmentSize === undefined ? {} : { fragmentSize: m.fragmentSize }),
      ),
    // Built on first look: 216 cases' SHA-1s are work a run without deflate never needs.
    expected: {
      get ok(): ExpectedEvent[][] {
        expected ??= all().map((data) => ({ kind: 'message', type: corpus.type, length: data.length, sha1: createHash('sha1').update(data).digest('hex') }));
        return [expected];
      },
    },
    close: CLEAN_CLOSE,
    ending: { kind: 'close', afterMs: 1000 },
    deflate: { ...offer, onlyIfAccepted: true },
    // Autobahn's timeout is for 1000 messages; fewer get their share of it, never under 10 s.
    timeoutMs: Math.max(10_000, Math.round((autobahnSeconds * 1000 * count) / 1000)),
  };
}

export const DEFLATE_ECHO_CASES: AutobahnCase[] = caseList([
  ...CORPORA.flatMap((corpus, j) => PROFILES.map((profile, i) => compressionCase(`12.${j + 1}.${i + 1}`, 'WS-DEFLATE-ECHO', corpus, profile, { offers: [DEFAULT_OFFER] }, ''))),
  ...PARAMETER_SETS.flatMap((set, j) => PROFILES.map((profile, i) => compressionCase(`13.${j + 1}.${i + 1}`, 'WS-DEFLATE-PARAMS', CORPORA[0]!, profile, { offers: set.offers }, set.words))),
]);

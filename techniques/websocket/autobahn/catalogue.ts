/**
 * Every case pushspec plays against a WebSocket echo endpoint, by id: the
 * Autobahn|Testsuite fuzzingclient cases of categories 1–7, 9, 10, 12 and 13,
 * and pushspec's own rows (ids starting `P`). Feature rows name them by id;
 * test/ws-autobahn-catalogue.test.ts keeps the two in step.
 */
import { FRAMING_CASES } from './cases-1-framing.ts';
import { PING_CASES } from './cases-2-pings.ts';
import { RESERVED_CASES } from './cases-3-4-reserved.ts';
import { FRAGMENT_CASES } from './cases-5-fragments.ts';
import { UTF8_CASES } from './cases-6-utf8.ts';
import { CLOSING_CASES } from './cases-7-closing.ts';
import { LIMITS_CASES } from './cases-9-limits.ts';
import { MISC_CASES } from './cases-10-misc.ts';
import { DEFLATE_ECHO_CASES } from './cases-12-13-deflate.ts';
import { DEFLATE_OWN_CASES } from './cases-p12-deflate.ts';
import type { AutobahnCase } from './model.ts';

/** Every case, in Autobahn's order. */
export const CASES: readonly AutobahnCase[] = [...FRAMING_CASES, ...PING_CASES, ...RESERVED_CASES, ...FRAGMENT_CASES, ...UTF8_CASES, ...CLOSING_CASES, ...LIMITS_CASES, ...MISC_CASES, ...DEFLATE_ECHO_CASES, ...DEFLATE_OWN_CASES];

const BY_ID = new Map(CASES.map((c) => [c.id, c]));
if (BY_ID.size !== CASES.length) throw new Error('two WebSocket cases share an id');

/** The case with this id; throws for an unknown one (a feature row and the catalogue disagree). */
export function caseById(id: string): AutobahnCase {
  const found = BY_ID.get(id);
  if (found === undefined) throw new Error(`no WebSocket case has the id ${id}`);
  return found;
}

/** Autobahn's cases Autobahn itself disables, and why (for the mapping table). */
export const DISABLED_BY_AUTOBAHN: Readonly<Record<string, string>> = {
  '9.9.1': 'Autobahn disables 9.9 ("unlimited size"): its case classes exist but are never run',
  '9.10.1': 'Autobahn disables 9.10 ("unlimited size"): its case classes exist but are never run',
};

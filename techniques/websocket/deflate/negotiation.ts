/**
 * permessage-deflate's negotiation (RFC 7692 §5, §7): the offers a client
 * makes, and the checks a client makes of the server's answer before it may
 * use the extension (§7: a client MUST _Fail the WebSocket Connection_ on an
 * answer with an unknown, duplicate or invalid parameter, or a configuration
 * it did not offer). Pure.
 */

/**
 * A client's permessage-deflate offer(s), in preference order; each offer is
 * its parameters as written (`client_max_window_bits`, `server_max_window_bits=9`).
 */
export interface DeflateOffer {
  offers: string[][];
  /**
   * The offer breaks RFC 7692 §7 (an unknown, duplicate or invalid parameter):
   * the server MUST decline it, so an answer that accepts it is a fault.
   */
  mustDecline?: boolean;
  /**
   * The case judges compressed traffic only: when the server declines, the
   * row is unsupported (Autobahn: UNIMPLEMENTED), since a server may decline
   * any offer (RFC 7692 §7).
   */
  onlyIfAccepted?: boolean;
}

/** The parameters in force once an offer is accepted (absent ones take RFC 7692's defaults). */
export interface AgreedDeflate {
  serverNoContextTakeover: boolean;
  clientNoContextTakeover: boolean;
  /** The server's compressor window, 8–15 (15 when the answer does not say). */
  serverMaxWindowBits: number;
  /** The client's compressor window, 8–15 (15 when the answer does not say). */
  clientMaxWindowBits: number;
}

/** One element of a Sec-WebSocket-Extensions value: its name and parameters, in order (a value `undefined` when bare). */
export interface ExtensionElement {
  name: string;
  params: Array<[string, string | undefined]>;
}

/** What the server's answer made of the offer. */
export type DeflateAnswer = { kind: 'declined' } | { kind: 'accepted'; agreed: AgreedDeflate; answer: string } | { kind: 'invalid'; problem: string };

/** The Sec-WebSocket-Extensions value that makes the offers. */
export function offerHeader(offer: DeflateOffer): string {
  return offer.offers.map((params) => ['permessage-deflate', ...params].join('; ')).join(', ');
}

/** Splits `s` on `sep` outside quoted strings. */
function splitOutsideQuotes(s: string, sep: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === '"') quoted = !quoted;
    if (ch === '\\' && quoted) {
      current += ch + (s[i + 1] ?? '');
      i++;
      continue;
    }
    if (ch === sep && !quoted) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts;
}

/** Parses a Sec-WebSocket-Extensions value (RFC 6455 §9.1); a quoted value is unquoted. */
export function parseExtensions(header: string): ExtensionElement[] {
  const elements: ExtensionElement[] = [];
  for (const raw of splitOutsideQuotes(header, ',')) {
    if (raw.trim() === '') continue;
    const [name, ...params] = splitOutsideQuotes(raw, ';').map((p) => p.trim());
    elements.push({
      name: name!.toLowerCase(),
      params: params
        .filter((p) => p !== '')
        .map((p): [string, string | undefined] => {
          const eq = p.indexOf('=');
          if (eq < 0) return [p.toLowerCase(), undefined];
          let value = p.slice(eq + 1).trim();
          if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1).replace(/\\(.)/g, '$1');
          return [p.slice(0, eq).trim().toLowerCase(), value];
        }),
    });
  }
  return elements;
}

/** A window-bits value as RFC 7692 §7.1.2 allows it: a decimal 8–15, no leading zero. */
export function windowBits(value: string | undefined): number | undefined {
  return value !== undefined && /^(8|9|1[0-5])$/.test(value) ? Number(value) : undefined;
}

const RESPONSE_PARAMS = new Set(['server_no_context_takeover', 'client_no_context_takeover', 'server_max_window_bits', 'client_max_window_bits']);

/** Reads one offer's parameters (as the client wrote them) into a map. */
function offerParams(params: string[]): Map<string, string | undefined> {
  return new Map(parseExtensions(['permessage-deflate', ...params].join('; '))[0]!.params);
}

/** Why the answer `answer` cannot be the acceptance of `params`, or undefined when it can (RFC 7692 §7.1). */
function mismatch(answer: Map<string, string | undefined>, params: string[]): string | undefined {
  const offered = offerParams(params);
  if (offered.has('server_no_context_takeover') && !answer.has('server_no_context_takeover'))
    return 'the offer asked for server_no_context_takeover, and a server accepts it only by including it (RFC 7692 §7.1.1.1)';
  const askedServerBits = windowBits(offered.get('server_max_window_bits'));
  if (askedServerBits !== undefined) {
    const given = windowBits(answer.get('server_max_window_bits'));
    if (given === undefined || given > askedServerBits)
      return `the offer asked for server_max_window_bits=${askedServerBits}, and a server accepts it only by including it with the same or a smaller value (RFC 7692 §7.1.2.1)`;
  }
  if (answer.has('client_max_window_bits')) {
    if (!offered.has('client_max_window_bits')) return 'the answer has client_max_window_bits, which the offer did not have (RFC 7692 §7.1.2.2: it MUST NOT)';
    const limit = windowBits(offered.get('client_max_window_bits'));
    const given = windowBits(answer.get('client_max_window_bits'));
    if (limit !== undefined && given !== undefined && given > limit) return `client_max_window_bits=${given} is larger than the ${limit} offered (RFC 7692 §7.1.2.2)`;
  }
  return undefined;
}

/**
 * Reads the server's Sec-WebSocket-Extensions answer to `offer`: declined
 * (no permessage-deflate element), accepted with the agreed parameters, or
 * invalid with the reason a client must fail the connection (RFC 7692 §7).
 */
export function readAnswer(header: string | undefined, offer: DeflateOffer): DeflateAnswer {
  const elements = parseExtensions(header ?? '');
  const unasked = elements.filter((e) => e.name !== 'permessage-deflate');
  if (unasked.length > 0) return { kind: 'invalid', problem: `the answer names an extension the client did not offer: ${unasked.map((e) => e.name).join(', ')} (RFC 6455 §9.1)` };
  const pmce = elements.filter((e) => e.name === 'permessage-deflate');
  if (pmce.length === 0) return { kind: 'declined' };
  if (pmce.length > 1) return { kind: 'invalid', problem: `the answer accepts ${pmce.length} permessage-deflate elements; a server accepts at most one offer (RFC 7692 §5)` };
  const answer = new Map<string, string | undefined>();
  for (const [name, value] of pmce[0]!.params) {
    if (!RESPONSE_PARAMS.has(name)) return { kind: 'invalid', problem: `the answer has the parameter ${name}, which RFC 7692 §7 does not define for a response` };
    if (answer.has(name)) return { kind: 'invalid', problem: `the answer has the parameter ${name} twice (RFC 7692 §7)` };
    answer.set(name, value);
    if (name.endsWith('_no_context_takeover') && value !== undefined) return { kind: 'invalid', problem: `${name} takes no value, the answer gives it "${value}" (RFC 7692 §7.1.1)` };
    if (name.endsWith('_max_window_bits') && windowBits(value) === undefined)
      return { kind: 'invalid', problem: `${name} in a response must be a decimal 8–15, the answer gives it ${value === undefined ? 'no value' : `"${value}"`} (RFC 7692 §7.1.2)` };
  }
  const text = header ?? '';
  if (offer.mustDecline === true) return { kind: 'invalid', problem: `the server accepted an offer it MUST decline (RFC 7692 §7): it answered "${text}"` };
  const reasons = offer.offers.map((params) => mismatch(answer, params));
  if (reasons.every((r) => r !== undefined)) return { kind: 'invalid', problem: `the answer "${text}" accepts none of the offers: ${reasons[0]}` };
  return {
    kind: 'accepted',
    answer: text,
    agreed: {
      serverNoContextTakeover: answer.has('server_no_context_takeover'),
      clientNoContextTakeover: answer.has('client_no_context_takeover'),
      serverMaxWindowBits: windowBits(answer.get('server_max_window_bits')) ?? 15,
      clientMaxWindowBits: windowBits(answer.get('client_max_window_bits')) ?? 15,
    },
  };
}

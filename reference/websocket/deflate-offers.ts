/**
 * permessage-deflate offers as RFC 7692 §7 wants a server to treat them:
 * "A server MUST decline an extension negotiation offer for this extension"
 * when it has an unknown parameter, an invalid value or a duplicated
 * parameter; declining means answering without the extension, and the
 * handshake goes on. `ws` instead refuses the whole handshake with HTTP 400
 * when any offer is malformed, so the offers are filtered here before `ws`
 * reads them: only well-formed permessage-deflate offers stay, in order.
 */

/** Offer parameters RFC 7692 §7.1 defines, and whether each must, may or must not have a value. */
const PARAMETERS: Readonly<Record<string, 'none' | 'bits' | 'optional-bits'>> = {
  server_no_context_takeover: 'none',
  client_no_context_takeover: 'none',
  server_max_window_bits: 'bits',
  client_max_window_bits: 'optional-bits',
};

/** A parameter as written (`name` or `name=value`, the value possibly quoted), normalised; undefined when it breaks §7. */
function normalise(param: string, seen: Set<string>): string | undefined {
  const eq = param.indexOf('=');
  const name = (eq < 0 ? param : param.slice(0, eq)).trim().toLowerCase();
  let value = eq < 0 ? undefined : param.slice(eq + 1).trim();
  if (value !== undefined && value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
  const kind = PARAMETERS[name];
  if (kind === undefined || seen.has(name)) return undefined;
  seen.add(name);
  if (kind === 'none') return value === undefined ? name : undefined;
  if (value === undefined) return kind === 'optional-bits' ? name : undefined;
  // §7.1.2: a decimal 8–15, no leading zero.
  return /^(8|9|1[0-5])$/.test(value) ? `${name}=${value}` : undefined;
}

/**
 * The Sec-WebSocket-Extensions value with only the permessage-deflate offers
 * a server may accept, each normalised; undefined when none is left (the
 * server then declines, answering without the extension).
 */
export function acceptableDeflateOffers(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const kept: string[] = [];
  for (const element of header.split(',')) {
    const [name, ...params] = element.split(';').map((p) => p.trim());
    if (name?.toLowerCase() !== 'permessage-deflate') continue;
    const seen = new Set<string>();
    const normalised = params.filter((p) => p !== '').map((p) => normalise(p, seen));
    if (normalised.every((p) => p !== undefined)) kept.push(['permessage-deflate', ...normalised].join('; '));
  }
  return kept.length === 0 ? undefined : kept.join(', ');
}

/**
 * permessage-deflate's negotiation (RFC 7692 §5, §7): the offers a client
 * makes, and reading the server's answer. (Stub: the codec and the checks of
 * the answer come with the deflate cases.)
 */

/**
 * A client's permessage-deflate offer(s), in preference order; each offer is
 * its parameters as written (`client_max_window_bits`, `server_max_window_bits=9`).
 */
export interface DeflateOffer {
  offers: string[][];
}

/** The Sec-WebSocket-Extensions value that makes the offers. */
export function offerHeader(offer: DeflateOffer): string {
  return offer.offers.map((params) => ['permessage-deflate', ...params].join('; ')).join(', ');
}

/**
 * permessage-deflate on a case's connection, once the handshake answered:
 * whether the offer was accepted, and the inflater for the server's messages.
 * (Stub until the deflate cases land: every offer counts as declined.)
 */
import type { CaseConnection } from '../autobahn/connection.ts';
import type { DeflateOffer } from './negotiation.ts';

/** What the server's answer made of an offer. */
export interface DeflateSession {
  /** The server answered without a permessage-deflate element (RFC 7692 §7: declining is allowed). */
  declined: boolean;
  /** Why the answer itself breaks RFC 7692 §7, if it does. */
  problem?: string;
}

/** Sets up the connection for the answer's parameters. */
export function attachDeflate(conn: CaseConnection, headers: Record<string, string>, offer: DeflateOffer): DeflateSession {
  void conn;
  void offer;
  return { declined: !/permessage-deflate/i.test(headers['sec-websocket-extensions'] ?? '') };
}

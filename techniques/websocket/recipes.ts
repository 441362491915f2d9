/**
 * The deterministic payloads the old-style scenarios send (the channel's and
 * the declared maximum's), so what comes back can be compared byte for byte.
 * The echo cases' frames are data in autobahn/cases-*.ts.
 */

/** Deterministic payloads, so an echo can be compared byte for byte. */
export function textOf(length: number): string {
  // One flat string built by repeat(): appending a character at a time takes ~20 s for a
  // message over ws's 100 MiB maximum (WS-MAX-MESSAGE), repeat() well under a second.
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789 ';
  return alphabet.repeat(Math.ceil(length / alphabet.length)).slice(0, length);
}

export function binaryOf(length: number): Buffer {
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 7 + 3) & 0xff;
  return bytes;
}

/** Header rules more than one technique checks. */

/** True when a Cache-Control value forbids serving the answer from a cache: `no-store`, `no-cache` or `max-age=0` (RFC 9111 §5.2.2). */
export function forbidsCaching(cacheControl: string | undefined): boolean {
  return /(^|,)\s*(no-store|no-cache|max-age=0)\s*(,|$)/i.test(cacheControl ?? '');
}

/** The essence of a Content-Type (type/subtype, lower-case, no parameters), or undefined when absent. */
export function mimeEssence(contentType: string | undefined): string | undefined {
  return contentType?.split(';')[0]?.trim().toLowerCase();
}

/**
 * Where each report file lives. Adapter names and requirement ids come from
 * user files, so they are reduced to safe path segments: a name like
 * `../../etc` must not write outside the report folder, and the segment must
 * also be a valid URL path segment so the same string serves as a link.
 */

/** A string reduced to `[A-Za-z0-9._-]`, never empty, never starting with a dot. */
export function pathSegment(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^\.+/, '');
  return safe === '' ? '_' : safe;
}

/**
 * The case page of one requirement for one adapter, relative to the report
 * folder: `cases/<adapter>/<ID>.html`. Used both as the file path and as the
 * matrix's link. Case pages sit two folders deep, so they link back with `../../`.
 */
export function caseHref(adapterName: string, id: string): string {
  return `cases/${pathSegment(adapterName)}/${pathSegment(id)}.html`;
}

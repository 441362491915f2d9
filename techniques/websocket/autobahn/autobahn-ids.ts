/**
 * Every case id of Autobahn|Testsuite's fuzzingclient in the categories
 * pushspec covers (1–7, 9, 10, 12, 13): 517 ids, from its case/__init__.py and
 * case12_x_x / case13_x_x generators (crossbario/autobahn-testsuite b8a5120).
 * 9.9 and 9.10 are not among them: Autobahn disables them. The mapping table in
 * features/websocket/README.md is checked to give each one a pushspec row.
 */

/** Sub-category → number of cases (`6.22` has 34: 6.22.1 … 6.22.34); a bare category has two-part ids (`2.10`). */
const SUBCATEGORIES: ReadonlyArray<[prefix: string, count: number]> = [
  ['1.1', 8], ['1.2', 8],
  ['2', 11], ['3', 7],
  ['4.1', 5], ['4.2', 5],
  ['5', 20],
  ['6.1', 3], ['6.2', 4], ['6.3', 2], ['6.4', 4], ['6.5', 5], ['6.6', 11], ['6.7', 4], ['6.8', 2], ['6.9', 4], ['6.10', 3],
  ['6.11', 5], ['6.12', 8], ['6.13', 5], ['6.14', 10], ['6.15', 1], ['6.16', 3], ['6.17', 5], ['6.18', 5], ['6.19', 5],
  ['6.20', 7], ['6.21', 8], ['6.22', 34], ['6.23', 7],
  ['7.1', 6], ['7.3', 6], ['7.5', 1], ['7.7', 13], ['7.9', 9], ['7.13', 2],
  ['9.1', 6], ['9.2', 6], ['9.3', 9], ['9.4', 9], ['9.5', 6], ['9.6', 6], ['9.7', 6], ['9.8', 6],
  ['10.1', 1],
  ['12.1', 18], ['12.2', 18], ['12.3', 18], ['12.4', 18], ['12.5', 18],
  ['13.1', 18], ['13.2', 18], ['13.3', 18], ['13.4', 18], ['13.5', 18], ['13.6', 18], ['13.7', 18],
];

/** Every Autobahn case id pushspec must have a row for, in Autobahn's order. */
export const AUTOBAHN_IDS: readonly string[] = SUBCATEGORIES.flatMap(([prefix, count]) => Array.from({ length: count }, (_, i) => `${prefix}.${i + 1}`));

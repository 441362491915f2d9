/**
 * A requirement that did not hold, told the h2spec way: what was expected and
 * what was observed. Checks throw it; the World keeps its fields as evidence and
 * cucumber shows its message.
 */
export class ConformanceFailure extends Error {
  readonly expected: string;
  readonly actual: string;

  constructor(expected: string, actual: string) {
    super(`Expected: ${expected}\nActual:   ${actual}`);
    this.name = 'ConformanceFailure';
    this.expected = expected;
    this.actual = actual;
  }
}

/**
 * A server that did the right thing in a way the RFC only recommends against
 * (Autobahn's Non-Strict): reported non-strict even in a MUST requirement.
 */
export class NonStrictFailure extends ConformanceFailure {
  override name = 'NonStrictFailure';
}

/** Throws a {@link ConformanceFailure} unless `condition` holds. */
export function expectThat(condition: boolean, expected: string, actual: () => string): asserts condition {
  if (!condition) throw new ConformanceFailure(expected, actual());
}

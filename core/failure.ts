/**
 * A requirement that did not hold, told the h2spec way: what was expected and
 * what was observed. Checks throw it; the World keeps its fields as evidence and
 * cucumber shows its message. The verdict is the requirement's level: a MUST
 * that did not hold fails, a SHOULD or MAY is non-strict. A part of a rule at
 * another level is not thrown but observed (`PartObservation`) and reported as
 * its own requirement.
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

/** Throws a {@link ConformanceFailure} unless `condition` holds. */
export function expectThat(condition: boolean, expected: string, actual: () => string): asserts condition {
  if (!condition) throw new ConformanceFailure(expected, actual());
}

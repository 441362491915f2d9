/** The shared check of the cluster requirements (core/cluster-checks.ts): what each subscriber received against what it is owed. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkClusterDelivery, checkPublishesAccepted } from '../core/cluster-checks.ts';
import { ConformanceFailure } from '../core/failure.ts';

const owed = ['a', 'b', 'c'];
const got = (...data: string[]) => data.map((d, i) => ({ data: d, id: String(i + 1) }));

/** The Actual line of the failure the check throws. */
function actual(run: () => void): string {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof ConformanceFailure, String(error));
    return error.actual;
  }
  assert.fail('expected the check to fail');
}

describe('checkClusterDelivery', () => {
  const expectation = { expected: 'every subscriber to receive a, b, c', owed };

  it('passes when every subscriber received exactly what it is owed', () => {
    checkClusterDelivery({ ...expectation, sameIds: true }, [
      { label: 'the subscriber on instance 1', received: got('a', 'b', 'c') },
      { label: 'the subscriber on instance 2', received: got('a', 'b', 'c') },
    ]);
  });

  it('names each subscriber that missed, repeated or reordered, and how', () => {
    assert.equal(
      actual(() =>
        checkClusterDelivery(expectation, [
          { label: 'the subscriber on instance 1', received: got('a', 'b', 'c') },
          { label: 'the subscriber on instance 2', received: got('a', 'c') },
          { label: 'the subscriber on instance 3', received: got('a', 'a', 'b', 'c') },
          { label: 'the subscriber on instance 4', received: got('b', 'a', 'c') },
        ]),
      ),
      'the subscriber on instance 2 received 2 of 3: missing 1: "b"; the subscriber on instance 3 received 4 of 3: duplicated 1: "a ×2"; ' +
        'the subscriber on instance 4 received 3 of 3: out of publish order from position 1: got "b", "a", "c" where "a", "b", "c" was published',
    );
  });

  it('says what a subscriber met on the way beside what it received', () => {
    assert.equal(
      actual(() => checkClusterDelivery(expectation, [{ label: 'the client on instance 2', received: [], note: 'resuming on instance 2 from "3" failed: status 400' }])),
      'the client on instance 2 (resuming on instance 2 from "3" failed: status 400) received 0 of 3: missing 3: "a", "b", "c"',
    );
  });

  it('with sameIds, fails a message that has another id on another instance', () => {
    const perInstance = [
      { label: 'the subscriber on instance 1', received: [{ data: 'a', id: '1' }, { data: 'b', id: '2' }, { data: 'c', id: '3' }] },
      { label: 'the subscriber on instance 2', received: [{ data: 'a', id: '1' }, { data: 'b', id: '1002' }, { data: 'c', id: '3' }] },
    ];
    checkClusterDelivery(expectation, perInstance); // ids are not compared unless asked
    assert.equal(
      actual(() => checkClusterDelivery({ ...expectation, sameIds: true }, perInstance)),
      '1 message(s) had different ids on different instances: "b" had id "2" at the subscriber on instance 1 but "1002" at the subscriber on instance 2',
    );
  });

  it('leaves out what may be missing (a publish that was refused), whether it arrived or not', () => {
    const mayMiss = new Set(['x']);
    checkClusterDelivery({ ...expectation, mayMiss }, [
      { label: 'client a', received: got('a', 'x', 'b', 'c') },
      { label: 'client b', received: got('a', 'b', 'c') },
    ]);
    assert.match(actual(() => checkClusterDelivery({ ...expectation, mayMiss }, [{ label: 'client a', received: got('a', 'x', 'x', 'c') }])), /^client a received 2 of 3: missing 1: "b"$/);
  });
});

describe('checkPublishesAccepted', () => {
  it('passes with no refusal and lists the refused ones otherwise', () => {
    checkPublishesAccepted([], 'every publish accepted');
    assert.equal(actual(() => checkPublishesAccepted(['instance 1: 503', 'instance 3: 503'], 'every publish accepted')), '2 publish(es) refused or unanswered: instance 1: 503; instance 3: 503');
  });
});

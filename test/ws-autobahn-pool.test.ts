/**
 * The case pool: never more cases at once than its slots, also when every case
 * is scheduled in the same turn (the first case scenario schedules them all),
 * and a heavy case (weight = slots) runs alone, in its turn.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CasePool } from '../techniques/websocket/autobahn/pool.ts';
import type { PlayedCase } from '../techniques/websocket/autobahn/play.ts';

/** A pool whose cases record when they run, each ending when the test says. */
function harness(concurrency: number) {
  const pool = new CasePool(concurrency);
  const running = new Set<string>();
  const log: string[][] = [];
  const finish = new Map<string, () => void>();
  const schedule = (id: string, weight = 1) =>
    pool.schedule(
      id,
      () =>
        new Promise<PlayedCase>((resolve) => {
          running.add(id);
          log.push([...running].sort());
          finish.set(id, () => {
            running.delete(id);
            resolve({} as PlayedCase);
          });
        }),
      weight,
    );
  return { schedule, running, log, finish };
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('CasePool', () => {
  it('runs at most its slots at once when every case is scheduled in one turn', async () => {
    const h = harness(3);
    const results = Array.from({ length: 10 }, (_, i) => h.schedule(`c${i}`));
    await turn();
    assert.deepEqual([...h.running].sort(), ['c0', 'c1', 'c2']);
    for (let i = 0; i < 10; i++) {
      h.finish.get(`c${i}`)!();
      await turn();
      assert.ok(h.running.size <= 3);
    }
    await Promise.all(results);
    assert.ok(h.log.every((l) => l.length <= 3));
  });

  it('runs a heavy case alone, in its turn: nothing scheduled after it overtakes it', async () => {
    const h = harness(3);
    const results = [h.schedule('a'), h.schedule('heavy', 3), h.schedule('b')];
    await turn();
    assert.deepEqual([...h.running], ['a'], 'the heavy case waits for a; b waits behind the heavy case');
    h.finish.get('a')!();
    await turn();
    assert.deepEqual([...h.running], ['heavy']);
    h.finish.get('heavy')!();
    await turn();
    assert.deepEqual([...h.running], ['b']);
    h.finish.get('b')!();
    await Promise.all(results);
  });
});

/**
 * The case pool: never more cases at once than its slots, also when every case
 * is scheduled in the same turn (the first case scenario schedules them all),
 * and a heavy case (weight = slots) runs alone, in its turn.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BackgroundWindow } from '../core/background-window.ts';
import { CasePool } from '../techniques/websocket/autobahn/pool.ts';
import type { PlayedCase } from '../techniques/websocket/autobahn/play.ts';

/** A pool whose cases record when they run, each ending when the test says. */
function harness(concurrency: number) {
  const pool = new CasePool(concurrency);
  const running = new Set<string>();
  const log: string[][] = [];
  const finish = new Map<string, () => void>();
  const schedule = (id: string, weight = 1, window?: BackgroundWindow) =>
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
      window,
    );
  return { schedule, running, log, finish, pool };
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

  it('starts a case behind a background window only while the window is open, or once its own scenario asks for it', async () => {
    const h = harness(12);
    const window = new BackgroundWindow(4);
    void h.schedule('heavy', 4, window);
    void h.schedule('deflate', 1, window);
    await turn();
    assert.deepEqual([...h.running], [], 'nothing starts while the window is closed');
    assert.equal(h.pool.behind('heavy'), true);
    window.openWindow();
    await turn();
    assert.deepEqual([...h.running], ['heavy'], 'a piece of the whole window weight runs alone');
    const closed = window.closeWindow(5000);
    let isClosed = false;
    void closed.then(() => (isClosed = true));
    await turn();
    assert.equal(isClosed, false, 'closing waits for the work in flight');
    h.finish.get('heavy')!();
    await closed;
    await turn();
    assert.deepEqual([...h.running], [], 'a closed window starts nothing new');
    // Its own scenario has come: scheduled again without the window, it starts at once.
    void h.schedule('deflate');
    await turn();
    assert.deepEqual([...h.running], ['deflate']);
    assert.equal(h.pool.behind('deflate'), false);
    assert.equal(window.weightInFlight, 0, 'a case started by its own scenario is not the window\'s');
    h.finish.get('deflate')!();
  });
});


/**
 * Item 3 of issue 8: the memory one idle connection costs the server, for
 * 10,000 idle connections (quick: 1,000) per technique — WebSocket, SSE
 * stream, held long-poll — on the reference server and on the bare baseline
 * of each technique, run beside it. Targets: WebSocket ≤ 8 KiB, SSE and held
 * long-poll ≤ 12 KiB, each ≤ 1.3× its bare baseline.
 *
 * The measure is (heapUsed + external) after two forced GCs (--expose-gc)
 * with N connections open, minus the same with none (measured just before
 * they open, after a warm-up set has come and gone), divided by N. Not RSS:
 * RSS is only meaningful on the first set a process ever opens — memory
 * freed by a set stays with the process and the next set reuses it, so
 * repetitions in one process read a fraction of the first — and it counts
 * heap pages V8 reserved but has not filled. Heap + external is what the
 * server's objects and buffers actually retain, and reads the same on every
 * repetition. What it leaves out (libuv handles and node's native socket
 * wrappers, the same for reference and bare) shows in the first-set RSS
 * delta, given in the notes. Kernel socket buffers are in neither.
 *
 * The sets are those fan-out opens (fanout.ts): memory is read before any
 * publish to the set, on connections that have only opened.
 */
import type { Technique } from '../load/subscriber-fleet.ts';
import type { Scenario, ScenarioResult } from '../scenario.ts';
import { compared, measureConnectionSets, pairs, TECHNIQUE_LABELS } from './fanout.ts';

/** The issue's absolute limit per technique, in KiB. */
const LIMIT_KIB: Record<Technique, number> = { websocket: 8, sse: 12, longPolling: 12 };
/** And the relative one: at most this times the bare baseline. */
const MAX_RATIO = 1.3;

export const idleMemoryScenario: Scenario = {
  id: 'idle-memory',
  item: 3,
  title: 'Idle memory per connection: 10,000 idle (quick: 1,000) WebSocket, SSE and held long-poll connections',
  async run(context): Promise<ScenarioResult> {
    const sets = await measureConnectionSets(context);
    const figures = pairs(sets).map(({ technique, reference, bare }) => {
      const { name, id } = TECHNIQUE_LABELS[technique];
      const errors = Object.entries(reference.openErrors).map(([code, times]) => `${times} × ${code}`);
      const figure = compared(reference, bare, (m) => m.heapKiB, {
        id: `idle-memory-${id}`,
        item: 3,
        title: `Idle memory per ${name} connection, ${reference.count.toLocaleString('en-US')} open`,
        unit: 'KiB',
        better: 'lower',
        notes: [
          '(heapUsed + external) after GC with the connections open, minus the same with none, per connection; one fresh set per repetition, in one server process',
          `by RSS instead: ${reference.firstRssKiB.toFixed(1)} KiB per connection on the first set of the fresh process${bare === undefined ? '' : ` (${bare.subject}: ${bare.firstRssKiB.toFixed(1)} KiB)`}, which also counts native socket handles and heap pages reserved but not filled, and is not repeatable in one process`,
          ...(errors.length > 0 ? [`open errors: ${errors.join(', ')}`] : []),
        ],
      });
      const ratio = figure.baseline?.ratio;
      figure.target = {
        text: `≤ ${LIMIT_KIB[technique]} KiB and ≤ ${MAX_RATIO}× ${bare?.subject ?? 'its bare baseline'}`,
        // Over the absolute limit is a miss whatever the baseline; under it, the ratio decides (unknown without a baseline).
        met: figure.median > LIMIT_KIB[technique] ? false : ratio === undefined ? undefined : ratio <= MAX_RATIO,
      };
      return figure;
    });
    context.log('idle memory: read on the connection sets fan-out opened (bench/scenarios/fanout.ts)');
    return { figures };
  },
};

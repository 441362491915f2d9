/**
 * Item 4 of issue 8: whether one server process holds 19,000 concurrent
 * connections (quick: 2,000) of each technique — WebSocket, SSE stream, held
 * long-poll — and how fast they open (target: ≥ 5,000 per second, without
 * errors), for the reference server and each technique's bare baseline.
 *
 * Measured on the connection sets fan-out opens (fanout.ts): each
 * repetition opens 10,000 subscribers, then 9,000 more on top; the rate is
 * every connection opened over the time both batches took to open (from
 * the first attempt to the last open, the pause between them not counted),
 * and "at once" is the server's own count with all of them open. Clients are
 * spread over load processes of ≤ 5,000 sockets, each batch from its own
 * 127.x.y.z source address. A server process needs one descriptor per
 * connection: when `ulimit -n` is too small for that, the figure is skipped
 * with the reason.
 */
import type { BenchFigure } from '../model.ts';
import type { Scenario, ScenarioResult } from '../scenario.ts';
import { compared, concurrentTarget, fdLimitAllows, measureConnectionSets, openFileLimit, pairs, TECHNIQUE_LABELS, type SetMeasurements } from './fanout.ts';

/** What "open" means for each technique, as the client sees it. */
const OPEN_MEANS = {
  websocket: 'the 101 answer received',
  sse: 'the stream head received',
  longPolling: 'the first poll answered and the next sent, to be held',
};
/** What the server counts as holding a connection. */
const HELD_MEANS = { websocket: 'open sockets', sse: 'open streams', longPolling: 'polls held' };

function connectionFigures(reference: SetMeasurements, bare: SetMeasurements | undefined, limit: number): BenchFigure[] {
  const { technique } = reference;
  const { name, id } = TECHNIQUE_LABELS[technique];
  const n = reference.total.toLocaleString('en-US');
  const errors = Object.entries(reference.openErrors).map(([code, times]) => `${times} × ${code}`);
  const facts = `ulimit -n ${limit}; ${errors.length === 0 ? 'no open errors' : `open errors: ${errors.join(', ')}`}, ${reference.dropped} connections dropped after opening (whole run)`;
  const clean = errors.length === 0 && reference.dropped === 0;
  const rate = compared(reference, bare, (m) => m.rates, {
    id: `connections-${id}-rate`,
    item: 4,
    title: `Opening ${n} ${name} connections to one server process`,
    unit: 'connections/s',
    better: 'higher',
    notes: [`10,000 then ${(reference.total - reference.count).toLocaleString('en-US')} more, timed from the first attempt to the last open (${OPEN_MEANS[technique]}) of each batch`, facts],
  });
  rate.target = { text: '≥ 5,000/s without errors', met: rate.median >= 5000 && clean };
  const held = compared(reference, bare, (m) => m.held, {
    id: `connections-${id}-held`,
    item: 4,
    title: `${name} connections one server process held at once, of ${n}`,
    unit: 'connections',
    better: 'higher',
    notes: [`the server's own count (${HELD_MEANS[technique]}) once every client was open`],
  });
  held.target = { text: `all ${n} at once, without errors`, met: reference.held.every((h) => h === reference.total) && clean };
  return [rate, held];
}

export const connectionsScenario: Scenario = {
  id: 'connections',
  item: 4,
  title: 'Connections: 19,000 concurrent per server process (quick: 2,000), opened at ≥ 5,000/s',
  async run(context): Promise<ScenarioResult> {
    const total = concurrentTarget(context);
    const limit = openFileLimit();
    if (!fdLimitAllows(total)) {
      return { figures: [], skipped: [{ id: 'connections', reason: `ulimit -n is ${limit}: one server process cannot hold ${total.toLocaleString('en-US')} connections` }] };
    }
    const sets = await measureConnectionSets(context);
    context.log('connections: read on the connection sets fan-out opened (bench/scenarios/fanout.ts)');
    return { figures: pairs(sets).flatMap(({ reference, bare }) => connectionFigures(reference, bare, limit)) };
  },
};

/**
 * The figures of the cluster scenario (cluster.ts) from its measurements:
 * each cluster figure carries the in-memory instance's figure of the same
 * run as its baseline, and every figure notes the load average it was
 * measured under (the machine is shared: read a figure with its load).
 */
import type { BenchFigure, Baseline } from '../model.ts';
import { summarize } from '../stats.ts';
import type { FanoutMeasurement } from './cluster-fanout.ts';
import type { DelayMeasurement, ThroughputMeasurement } from './cluster-publish.ts';
import { DELIVERY_DEADLINE_MS, TECHNIQUE_LABELS } from './fanout.ts';

type Samples = Pick<BenchFigure, 'samples' | 'median' | 'min' | 'max'>;

const n = (value: number): string => value.toLocaleString('en-US');
const ms = (values: number[]): string => (values.length === 0 ? 'n/a' : `${summarize(values).median.toFixed(1)} ms`);

const pct = (values: number[]): string => `${summarize(values).median.toFixed(0)} %`;

/** `load average 0.41 → 1.93 (1 min)`. */
export function loadNote(load: [number, number]): string {
  return `load average ${load[0].toFixed(2)} → ${load[1].toFixed(2)} (1 min, before → after)`;
}

/** The baseline entry for `summary` against the single instance's samples, if it ran. */
function against(summary: Samples, single: number[] | undefined, name: string): { baseline?: Baseline } {
  if (single === undefined || single.length === 0) return {};
  const median = summarize(single).median;
  return { baseline: { name, median, ratio: summary.median / median } };
}

/** p99, p50 and completeness of each fan-out set; a cluster's beside one instance's at the same size. */
export function fanoutFigures(list: FanoutMeasurement[]): BenchFigure[] {
  return list.flatMap((m) => {
    const { name, id } = TECHNIQUE_LABELS[m.technique];
    const single = m.deployment.id === 'single' ? undefined : list.find((o) => o.deployment.id === 'single' && o.technique === m.technique && o.subscribers === m.subscribers);
    const base = `cluster-fanout-${id}-${m.subscribers}-${m.deployment.id}`;
    const title = `Fan-out to ${n(m.subscribers)} ${name} subscribers`;
    const instances = m.deployment.instances.length;
    const notes = [
      `held per instance: ${m.held.map(n).join(' / ')}; ${m.p50.length} publishes after a warm-up one${instances > 1 ? ', publish i on instance i mod ' + instances : ''}, each once the last had reached every subscriber it must`,
      loadNote(m.load),
    ];
    if (m.sameInstanceP50.length > 0) notes.push(`p50 of the receipts on the instance published on ${ms(m.sameInstanceP50)}, on the other instances ${ms(m.otherInstanceP50)}`);
    const figure = (suffix: string, what: string, unit: string, better: 'lower' | 'higher', pick: (o: FanoutMeasurement) => number[]): BenchFigure => {
      const summary = summarize(pick(m));
      return { id: `${base}-${suffix}`, item: 9, title: `${title}: ${what}`, subject: m.deployment.label, unit, better, ...summary, ...against(summary, single && pick(single), 'one in-memory instance'), notes };
    };
    const p99 = figure('p99', 'publish-to-receive p99', 'ms', 'lower', (o) => o.p99);
    const p50 = figure('p50', 'publish-to-receive p50', 'ms', 'lower', (o) => o.p50);
    const delivered = figure('delivered', 'delivery completeness', '%', 'higher', (o) => o.completeness.map((c) => c * 100));
    const errors = Object.entries(m.openErrors).map(([code, times]) => `${times} × ${code}`);
    delivered.notes = [
      `${n(m.received)} of ${n(m.expected)} receipts within ${DELIVERY_DEADLINE_MS / 1000} s of each publish, counted against ${m.deployment.shared || instances === 1 ? 'every subscriber' : "the subscribers of the instance published on (these instances share nothing)"}; ${m.outOfOrder} out of order, ${m.dropped} subscribers dropped${errors.length > 0 ? `; open errors: ${errors.join(', ')}` : ''}`,
      ...notes,
    ];
    delivered.target = { text: 'every message to every subscriber it must reach, in order', met: m.received === m.expected && m.outOfOrder === 0 && m.dropped === 0 };
    return [p99, p50, delivered];
  });
}

/** Acknowledged publishes per second, each deployment beside one instance with as many publishers. */
export function throughputFigures(list: ThroughputMeasurement[]): BenchFigure[] {
  return list.map((m) => {
    const single = m.deployment.id === 'single' ? undefined : list.find((o) => o.deployment.id === 'single' && o.publishers === m.publishers);
    const summary = summarize(m.perSecond);
    const instances = m.deployment.instances.length;
    return {
      id: `cluster-publish-${m.deployment.id}-${m.publishers}`,
      item: 10,
      title: `Acknowledged publishes per second, ${m.publishers} concurrent publisher${m.publishers === 1 ? '' : 's'}`,
      subject: m.deployment.label,
      unit: 'publishes/s',
      better: 'higher',
      ...summary,
      ...against(summary, single?.perSecond, 'one in-memory instance'),
      notes: [
        `each publisher on its own keep-alive connection${instances > 1 ? ` (publisher i to instance i mod ${instances})` : ''}, the next publish as soon as the last is answered 201, one channel, no subscribers; answered in ${ms(m.ackP50)} at p50, ${ms(m.ackP99)} at p99`,
        `CPU, % of one core (2 cores here): the instances ${pct(m.serverCpu)} together${m.redisCpu.length > 0 ? `, Redis ${pct(m.redisCpu)}` : ''}, the publisher process ${pct(m.publisherCpu)} (near 100 %: the publisher set the pace)`,
        `${m.errors} errors${m.firstError === undefined ? '' : ` (first: ${m.firstError})`}`,
        loadNote(m.load),
      ],
    };
  });
}

/** The publish-to-receive delay on the instance published on: what Redis adds, against one in-memory instance. */
export function delayFigures(list: DelayMeasurement[]): BenchFigure[] {
  const single = list.find((m) => m.deployment.id === 'single');
  return list.flatMap((m) =>
    (['p50', 'p99'] as const).map((p) => {
      const summary = summarize(m[p]);
      const notes = [
        `${m.subscribers} SSE subscribers on the instance published on, ${m.messages} publishes per repetition, one every ${m.intervalMs} ms; ${m.missing} receipts missing`,
        loadNote(m.load),
      ];
      if (single !== undefined && m.deployment.redisUrl !== undefined) notes.unshift(`added by going through Redis: ${(summary.median - summarize(single[p]).median).toFixed(2)} ms at ${p} (against one in-memory instance, same run)`);
      const other = p === 'p50' ? m.otherP50 : m.otherP99;
      if (other.length > 0) notes.push(`on another instance of the cluster (${m.subscribers} subscribers there): ${ms(other)} at ${p}`);
      return {
        id: `cluster-delay-${m.deployment.id}-${p}`,
        item: 10,
        title: `Publish-to-receive delay on the instance published on: ${p}`,
        subject: m.deployment.label,
        unit: 'ms',
        better: 'lower' as const,
        ...summary,
        ...against(summary, m === single ? undefined : single?.[p], 'one in-memory instance'),
        notes,
      };
    }),
  );
}

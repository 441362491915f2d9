/**
 * The World's cluster run (steps/support/cluster-run.ts): which of the
 * cluster's instances a scenario's "instance k" is, and that publishing on one
 * goes to its base URL with data unique to the scenario.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import type { ClusterControl } from '../adapters/contract/cluster-control.ts';
import { ScenarioContext } from '../core/context.ts';
import { ClusterRun } from '../steps/support/cluster-run.ts';

/** A control that only records what it was asked to stop and start. */
function recordingControl(baseUrls: string[]): ClusterControl & { calls: string[] } {
  const calls: string[] = [];
  return {
    baseUrls,
    cannotStop: undefined,
    calls,
    stopInstance: async (k) => void calls.push(`stop ${k}`),
    startInstance: async (k) => void calls.push(`start ${k}`),
  };
}

const noSubscribers = () => {
  throw new Error('no subscribers in this test');
};

describe('ClusterRun', () => {
  const urls = ['http://127.0.0.1:1001', 'http://127.0.0.1:1002', 'http://127.0.0.1:1003'];
  const context = () => new ScenarioContext({ name: 't', baseUrl: urls[0]!, publish: undefined });

  it('is the cluster as it is when the run checks instance 1', async () => {
    const control = recordingControl(urls);
    const run = new ClusterRun(context(), control, noSubscribers, undefined);
    assert.deepEqual([1, 2, 3].map((k) => run.baseUrl(k)), urls);
    await run.stopInstance(2);
    assert.deepEqual(control.calls, ['stop 2']);
  });

  it('with --instance 2, makes that one its instance 1 and never stops it', async () => {
    const control = recordingControl(urls);
    const scenario = context();
    const run = new ClusterRun(scenario, control, noSubscribers, undefined, 2);
    assert.deepEqual([1, 2, 3].map((k) => run.baseUrl(k)), [urls[1], urls[2], urls[0]]);
    await run.stopInstance(2);
    assert.deepEqual(control.calls, ['stop 3']);
    assert.ok(scenario.transcript.toEvidence(undefined).notes.some((n) => n.includes("the scenario's instances 1 to 3 are the cluster's instances 2, 3, 1")));
    assert.throws(() => run.baseUrl(4), RangeError);
  });

  it('publishes on instance k at its base URL, on the scenario\'s channel, each message its own data', async () => {
    const seen: string[] = [];
    const servers = await Promise.all(
      [1, 2].map(async (n) => {
        const server = http.createServer((req, res) => {
          seen.push(`${n} ${req.url}`);
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({ id: String(seen.length) }));
        });
        server.listen(0, '127.0.0.1');
        await once(server, 'listening');
        return server;
      }),
    );
    const base = servers.map((s) => `http://127.0.0.1:${(s.address() as { port: number }).port}`);
    const scenario = new ScenarioContext({ name: 't', baseUrl: base[0]!, publish: { method: 'POST', url: '/c/{channel}', body: '{data}', idPointer: '/id' } });
    const run = new ClusterRun(scenario, recordingControl(base), noSubscribers, undefined);
    try {
      const first = await run.publishOn(2);
      const second = await run.publishOn(1);
      assert.deepEqual(seen, [`2 /c/${scenario.channel}`, `1 /c/${scenario.channel}`]);
      assert.deepEqual([first.instance, second.instance], [2, 1]);
      assert.notEqual(first.data, second.data);
      assert.deepEqual(run.published.map((m) => m.id), ['1', '2']);
    } finally {
      await scenario.close();
      for (const server of servers) server.close();
    }
  });
});

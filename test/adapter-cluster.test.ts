/**
 * The adapter's `cluster` section (docs/model.md M-11): its validation, word
 * by word; how it resolves; `--instance`; the capability tags it gives.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateAdapter } from '../adapters/contract/validate.ts';
import { adapterFromDefinition } from '../adapters/contract/load.ts';
import { commandControl } from '../adapters/contract/cluster-control.ts';
import { PushspecError } from '../core/errors.ts';
import { parseInstance } from '../cli/cluster-target.ts';
import { unsupportedReason } from '../techniques/capabilities.ts';

const SOURCE = 'adapters/mine.json';
const base = { name: 'mine', baseUrl: 'http://127.0.0.1:{port}', protocol: 'pushspec-reference' };
const launch = { command: ['node', 'server.mjs', '--port', '{port}', '--redis', '{redisUrl}', '--instance', '{instance}'] };
const running = { name: 'mine', baseUrl: 'http://127.0.0.1:8081', protocol: 'pushspec-reference' };
const urls = ['http://127.0.0.1:8081', 'http://127.0.0.1:8082', 'http://127.0.0.1:8083'];

/** The problems validating `value` reports, without the source prefix. */
function problems(value: unknown): string[] {
  try {
    validateAdapter(value, SOURCE);
  } catch (error) {
    assert.ok(error instanceof PushspecError && error.code === 'PUSHSPEC_ERR_ADAPTER_INVALID', String(error));
    return error.message.split('\n').map((line) => line.replace(`${SOURCE}: `, ''));
  }
  assert.fail(`expected ${JSON.stringify(value)} to be invalid`);
}

describe('cluster: validation', () => {
  it('accepts a launched cluster on Redis and a running one with stop and start', () => {
    validateAdapter({ ...base, launch, cluster: { instances: 3, redis: true } }, SOURCE);
    validateAdapter({ ...base, launch: { command: ['srv', '{port}'] }, cluster: { instances: 2 } }, SOURCE);
    const stop = { command: ['docker', 'stop', 'app-{instance}'] };
    validateAdapter({ ...running, cluster: { baseUrls: urls, stop, start: { command: ['docker', 'start', 'app-{instance}'] } } }, SOURCE);
    validateAdapter({ ...running, cluster: { baseUrls: [...urls.map((u) => `${u}/`)] } }, SOURCE);
  });

  it('says which fields belong to a launched cluster and which to a running one', () => {
    assert.deepEqual(problems({ ...running, cluster: { instances: 3, redis: true } }), [
      'field "cluster.instances" needs "launch": pushspec can only start instances (and Redis) it knows how to launch; for a cluster that already runs, give "cluster.baseUrls"',
      'field "cluster.redis" needs "launch": pushspec can only start instances (and Redis) it knows how to launch; for a cluster that already runs, give "cluster.baseUrls"',
      'field "cluster.baseUrls" is missing; expected an array of 2 to 8 instance URLs such as ["http://127.0.0.1:8081", "http://127.0.0.1:8082"] (a cluster pushspec does not launch)',
    ]);
    assert.deepEqual(problems({ ...base, launch: { command: ['srv', '{port}'] }, cluster: { instances: 2, baseUrls: urls, stop: { command: ['x'] } } }), [
      'field "cluster.baseUrls" is for a cluster that already runs; with "launch", pushspec starts the instances itself ("cluster.instances"): remove "cluster.baseUrls" or "launch"',
      'field "cluster.stop" is for a cluster that already runs; with "launch", pushspec starts the instances itself ("cluster.instances"): remove "cluster.stop" or "launch"',
    ]);
    assert.deepEqual(problems({ ...base, launch: { command: ['srv', '{port}'] }, cluster: { redis: true } }), [
      'field "cluster.instances" is missing; expected how many instances pushspec launches, from 2 to 8',
    ]);
  });

  it('bounds instances and base URLs, and checks their values', () => {
    const srv = { command: ['srv', '{port}'] };
    assert.deepEqual(problems({ ...base, launch: srv, cluster: { instances: 1 } }), ['field "cluster.instances" is 1; expected a whole number of instances from 2 to 8']);
    assert.deepEqual(problems({ ...base, launch: srv, cluster: { instances: 9 } }), ['field "cluster.instances" is 9; expected a whole number of instances from 2 to 8']);
    assert.deepEqual(problems({ ...base, launch: srv, cluster: { instances: 2.5, redis: 'yes' } }), [
      'field "cluster.instances" is 2.5; expected a whole number of instances from 2 to 8',
      'field "cluster.redis" is "yes"; expected true (start a private Redis first) or false',
    ]);
    assert.deepEqual(problems({ ...running, cluster: { baseUrls: [urls[0]] } })[0], 'field "cluster.baseUrls" is ["http://127.0.0.1:8081"]; expected an array of 2 to 8 instance URLs such as ["http://127.0.0.1:8081", "http://127.0.0.1:8082"] (a cluster pushspec does not launch)');
    assert.deepEqual(problems({ ...running, cluster: { baseUrls: [urls[0], 'ftp://x'] } }), ['field "cluster.baseUrls[1]" is "ftp://x"; expected an http(s) URL such as "http://127.0.0.1:8081"']);
    assert.deepEqual(problems({ ...running, cluster: { baseUrls: [urls[0], urls[0]] } }), ['field "cluster.baseUrls[1]" repeats "http://127.0.0.1:8081"; expected a different URL for every instance']);
    assert.deepEqual(problems({ ...running, cluster: { baseUrls: 'http://a' } }).length, 1);
    assert.deepEqual(problems({ ...running, cluster: { instancess: 2, baseUrls: urls } }), ['unknown field "cluster.instancess"; did you mean "cluster.instances"?']);
    assert.deepEqual(problems({ ...running, cluster: true }), ['field "cluster" is true; expected an object such as {"instances": 3, "redis": true} (with "launch") or {"baseUrls": ["http://127.0.0.1:8081", "http://127.0.0.1:8082"]}']);
  });

  it('requires baseUrl to be the first instance', () => {
    assert.deepEqual(problems({ ...running, cluster: { baseUrls: [urls[1], urls[0]] } }), [
      'field "cluster.baseUrls[0]" is "http://127.0.0.1:8082"; expected "baseUrl" ("http://127.0.0.1:8081"): the first instance is the one the single-server requirements check',
    ]);
  });

  it('wants stop and start together, each a command', () => {
    const stop = { command: ['docker', 'stop', 'app-{instance}'] };
    assert.deepEqual(problems({ ...running, cluster: { baseUrls: urls, stop } }), [
      'field "cluster.start" is missing; expected it beside "cluster.stop": pushspec stops an instance only if it can start it again, so later cases have the whole cluster',
    ]);
    assert.deepEqual(problems({ ...running, cluster: { baseUrls: urls, stop: { command: [] }, start: { command: ['x'], cwd: '.' } } }), [
      'field "cluster.stop.command" is []; expected a non-empty array of strings, "{instance}" replaced by the instance\'s number, such as ["docker","stop","app-{instance}"]',
      'field "cluster.start.cwd" is "."; expected nothing: a command has only "command"',
    ]);
  });

  it('refuses placeholders nothing would fill', () => {
    assert.deepEqual(problems({ ...base, launch, cluster: { instances: 3 } }), [
      'field "launch.command[5]" uses {redisUrl}, which is only filled in when pushspec starts Redis: add "cluster": {"redis": true} (with "launch")',
    ]);
    assert.deepEqual(problems({ ...base, launch, cluster: { instances: 3, redis: false } }).length, 1);
    assert.deepEqual(problems({ ...running, baseUrl: 'http://127.0.0.1:8081/{instance}', cluster: { baseUrls: ['http://127.0.0.1:8081/{instance}', urls[1]] } }), [
      'field "baseUrl" uses {instance}, which is only filled in when pushspec launches the instances; list them in "cluster.baseUrls"',
    ]);
    // {port} in a running cluster's URLs is refused as it is in baseUrl.
    assert.match(problems({ ...running, cluster: { baseUrls: [urls[0], 'http://127.0.0.1:{port}'] } })[0]!, /^field "cluster\.baseUrls\[1\]" is "http:\/\/127\.0\.0\.1:\{port\}"; expected a fixed port/);
  });
});

describe('cluster: resolution, --instance and capability tags', () => {
  const launched = adapterFromDefinition({ ...base, launch, cluster: { instances: 3, redis: true } }, SOURCE);
  const listed = adapterFromDefinition({ ...running, cluster: { baseUrls: urls.map((u) => `${u}/`) } }, SOURCE);
  const single = adapterFromDefinition({ ...running }, SOURCE);

  it('resolves the size, whether pushspec launches it, and the base URLs without a trailing /', () => {
    assert.deepEqual({ ...launched.cluster, cwd: undefined }, { size: 3, launched: true, redis: true, cwd: undefined });
    assert.deepEqual(listed.cluster?.baseUrls, urls);
    assert.equal(listed.cluster?.size, 3);
    assert.equal(listed.cluster?.cwd, process.cwd());
    assert.equal(single.cluster, undefined);
  });

  it('--instance: 1 by default, a usage error out of range or without a cluster', () => {
    assert.equal(parseInstance(undefined, launched), 1);
    assert.equal(parseInstance('3', launched), 3);
    const usage = (value: string, adapter = launched) => assert.throws(() => parseInstance(value, adapter), (e: unknown) => e instanceof PushspecError && e.code === 'PUSHSPEC_ERR_USAGE' && /--instance/.test(e.message));
    usage('0');
    usage('4');
    usage('two');
    usage('1.5');
    usage('1', single);
    assert.throws(() => parseInstance('1', undefined), /the embedded reference server is one server/);
    assert.throws(() => parseInstance('4', launched), /from 1 to 3/);
  });

  it('@cluster needs a cluster with its instances known; @cluster-stop one pushspec can stop and start', () => {
    const tags = (...t: string[]) => ['@sse', ...t];
    assert.match(unsupportedReason(single, tags('@cluster'))!, /declares no cluster/);
    assert.match(unsupportedReason(launched, tags('@cluster'))!, /not started or listed/);
    const started = { ...launched, cluster: { ...launched.cluster!, baseUrls: urls } };
    assert.equal(unsupportedReason(started, tags('@cluster', '@cluster-stop')), undefined);
    assert.equal(unsupportedReason(listed, tags('@cluster')), undefined);
    assert.match(unsupportedReason(listed, tags('@cluster', '@cluster-stop'))!, /"cluster\.stop" and "cluster\.start"/);
  });

  it('runs the stop and start commands with {instance} filled, and names a command that fails', async () => {
    const adapter = adapterFromDefinition(
      { ...running, cluster: { baseUrls: urls, stop: { command: ['node', '-e', 'process.exit(process.argv[1] === "2" ? 0 : 4)', '{instance}'] }, start: { command: ['node', '-e', 'console.error("no such app"); process.exit(1)'] } } },
      SOURCE,
    );
    const control = commandControl(adapter.cluster!, urls);
    assert.equal(control.cannotStop, undefined);
    await control.stopInstance(2);
    await assert.rejects(control.stopInstance(3), /exited with code 4/);
    await assert.rejects(control.startInstance(2), /exited with code 1; its last output: no such app/);
  });
});

#!/usr/bin/env node
// Starts Pushpin and its origin for pushspec's "pushpin" adapter, in the foreground.
//
//   node launch.mjs <port>
//
// 1. Creates a fresh temporary run directory (rundir for Pushpin's IPC sockets, logs).
// 2. Picks a free loopback port for every other TCP port the setup uses: the
//    origin, Pushpin's HTTP publish API (push_in_http_port) and the handler's
//    three ZMQ sockets (push_in_spec, push_in_sub_specs, command_spec; 5560,
//    5562 and 5563 in /etc/pushpin/pushpin.conf). Everything else Pushpin uses
//    (proxy <-> handler <-> condure <-> zurl) is IPC in the run directory.
// 3. Writes pushpin.conf.template and routes.template into it, filled in.
// 4. Starts the origin (origin.mjs) and `pushpin --config DIR/pushpin.conf -m`
//    (the runner, which starts condure, zurl, pushpin-proxy, pushpin-handler;
//    -m merges their logs into its output). Running as root is fine: Pushpin
//    does not drop privileges and needs none.
// 5. Forwards SIGTERM / SIGINT to both, and once both have exited removes the
//    run directory and ends with Pushpin's exit status. If either dies on its
//    own, the other is stopped too.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PUSHPIN = process.env.PUSHPIN_BIN ?? '/usr/bin/pushpin';
const here = dirname(fileURLToPath(import.meta.url));

const port = process.argv[2];
if (!/^\d+$/.test(port ?? '') || Number(port) < 1 || Number(port) > 65535) {
  console.error('usage: node launch.mjs <port>');
  process.exit(2);
}

/** A port the OS says is free on 127.0.0.1 (another process could take it first; rare). */
async function freePort() {
  const server = net.createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port: free } = server.address();
  server.close();
  await once(server, 'close');
  return String(free);
}

const ports = { port };
for (const name of ['originPort', 'publishPort', 'pushInPort', 'pushInSubPort', 'commandPort']) {
  let free;
  do free = await freePort();
  while (Object.values(ports).includes(free));
  ports[name] = free;
}

const dir = mkdtempSync(join(tmpdir(), 'pushspec-pushpin-'));
mkdirSync(join(dir, 'run'));
mkdirSync(join(dir, 'log'));
const fill = (text) => text.replace(/\{(dir|port|originPort|publishPort|pushInPort|pushInSubPort|commandPort)\}/g, (_, key) => (key === 'dir' ? dir : ports[key]));
writeFileSync(join(dir, 'pushpin.conf'), fill(readFileSync(join(here, 'pushpin.conf.template'), 'utf8')));
writeFileSync(join(dir, 'routes'), fill(readFileSync(join(here, 'routes.template'), 'utf8')));

const children = new Map(); // name -> ChildProcess
let stopping = false;
let status;

const signalled = new Set();
/** Signals each running child once: a second SIGTERM makes Pushpin's runner force-quit its services. */
function stopAll(signal = 'SIGTERM') {
  for (const child of children.values()) {
    if (child.exitCode !== null || child.signalCode !== null || signalled.has(child)) continue;
    signalled.add(child);
    child.kill(signal);
  }
}

function start(name, command, args, detached = false) {
  const child = spawn(command, args, { cwd: dir, stdio: ['ignore', 'inherit', 'inherit'], detached });
  children.set(name, child);
  child.on('error', (error) => console.error(`${name} could not be started (${command}: ${error.message})`));
  child.on('close', (code, signal) => {
    if (!stopping) console.error(`${name} ${signal !== null ? `was killed by ${signal}` : `exited with code ${code}`}; stopping the rest`);
    if (name === 'pushpin' || status === undefined) status = code ?? 128 + 15;
    children.delete(name);
    stopping = true;
    stopAll();
    if (children.size === 0) {
      rmSync(dir, { recursive: true, force: true });
      process.exit(status);
    }
  });
}

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    stopping = true;
    // pushspec signals the whole process group, so they may have it already; twice is harmless.
    stopAll(signal);
  });
}

start('origin', process.execPath, [join(here, 'origin.mjs'), ports.originPort, ports.publishPort]);
// Pushpin's runner leads a process group of its own, so that only this script
// signals it: a second SIGTERM (pushspec signals this whole group) makes the
// runner "force quit" its services instead of stopping them in order. It
// starts condure, zurl, pushpin-proxy and pushpin-handler in groups of their
// own anyway, and stops them itself on SIGTERM (in ~35 ms).
start('pushpin', PUSHPIN, ['--config', join(dir, 'pushpin.conf'), '-m'], true);

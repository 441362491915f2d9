/**
 * A deliberate regression, to show the benchmarks notice one: every socket
 * write of the server process also appends a line to a log file with a
 * synchronous write (the "sync log call in the hot path" of issue 8).
 * Loaded into a reference server process with `--import` by `npm run bench
 * -- --regression sync-log`; never in normal use.
 */
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const file = join(tmpdir(), `pushspec-bench-sync-log-${process.pid}.log`);
const fd = openSync(file, 'a');
const write = net.Socket.prototype.write;
net.Socket.prototype.write = function (this: net.Socket, ...args: unknown[]) {
  writeSync(fd, `${Date.now()} write ${typeof args[0] === 'string' ? args[0].length : (args[0] as Buffer | undefined)?.length ?? 0}\n`);
  return (write as (...a: unknown[]) => boolean).apply(this, args);
} as typeof net.Socket.prototype.write;
process.on('exit', () => {
  closeSync(fd);
  rmSync(file, { force: true });
});

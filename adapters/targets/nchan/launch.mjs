#!/usr/bin/env node
// Starts nginx + Nchan for pushspec's "nchan" adapter, in the foreground.
//
//   node launch.mjs <port>
//
// 1. Creates a fresh temporary run directory that the nginx worker (user
//    "nobody" when started as root) can use: pid file, logs, temp files.
// 2. Writes nginx.conf.template into it with {port} and {dir} filled in.
// 3. Runs `nginx -p DIR -c DIR/nginx.conf -e DIR/error.log` ("daemon off" is in
//    the file), forwards SIGTERM / SIGINT / SIGQUIT to it, and removes the run
//    directory once nginx has exited, ending with nginx's own exit status.
// If nginx fails, the tail of its error.log is printed to stderr.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const NGINX = process.env.NGINX_BIN ?? '/usr/sbin/nginx';
const here = dirname(fileURLToPath(import.meta.url));

const port = process.argv[2];
if (!/^\d+$/.test(port ?? '') || Number(port) < 1 || Number(port) > 65535) {
  console.error('usage: node launch.mjs <port>');
  process.exit(2);
}

// mkdtemp makes a 0700 directory; the worker (nobody) must reach into it, and
// write the temp files of request bodies (client_body_temp_path) under temp/.
const dir = mkdtempSync(join(tmpdir(), 'pushspec-nchan-'));
chmodSync(dir, 0o755);
mkdirSync(join(dir, 'temp'));
chmodSync(join(dir, 'temp'), 0o777);

const conf = readFileSync(join(here, 'nginx.conf.template'), 'utf8').replaceAll('{port}', port).replaceAll('{dir}', dir);
writeFileSync(join(dir, 'nginx.conf'), conf);

const errorLog = join(dir, 'error.log');
const nginx = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', errorLog], { stdio: 'inherit' });

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT', 'SIGQUIT']) {
  process.on(signal, () => {
    stopping = true;
    // nginx may already have the signal (pushspec signals the whole process group);
    // a second SIGTERM is harmless.
    if (nginx.exitCode === null && nginx.signalCode === null) nginx.kill(signal);
  });
}

/** The last lines of nginx's error log, or a note that there is none. */
function errorLogTail(lines = 30) {
  if (!existsSync(errorLog)) return '(no error.log was written)';
  return readFileSync(errorLog, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

function finish(code, detail) {
  // A failure before or without our asking: show why, from nginx's own log.
  if (!stopping && code !== 0) console.error(`nginx ${detail}; last lines of ${errorLog}:\n${errorLogTail()}`);
  rmSync(dir, { recursive: true, force: true });
  process.exit(code);
}

nginx.on('error', (error) => finish(127, `could not be started (${NGINX}: ${error.message})`));
nginx.on('exit', (code, signal) => finish(code ?? 128 + 15, signal !== null ? `was killed by ${signal}` : `exited with code ${code}`));

#!/usr/bin/env node
// Starts nginx + Nchan for pushspec's "nchan" adapter, in the foreground.
//
//   node launch.mjs <port> [--redis redis://127.0.0.1:<redis port>] [--tls <cert.pem> <key.pem>]
//
// 1. Creates a fresh temporary run directory that the nginx worker (user
//    "nobody" when started as root) can use: pid file, logs, temp files.
// 2. Writes nginx.conf.template into it with {port} and {dir} filled in. With
//    --redis ("nchan-cluster"), also Nchan's cluster configuration: an upstream
//    of that Redis, passed to by every channel location (storage mode
//    "distributed", the default), so that several nginx share channels and
//    messages. Without it the Redis lines are left out ("nchan"). With --tls
//    ("nchan-h2"), the listener speaks TLS with that certificate and key (paths
//    relative to the current folder) and offers HTTP/2 through ALPN beside
//    HTTP/1.1; without it the listener is plain HTTP/1.1.
// 3. Runs `nginx -p DIR -c DIR/nginx.conf -e DIR/error.log` ("daemon off" is in
//    the file), forwards SIGTERM / SIGINT / SIGQUIT to it, and removes the run
//    directory once nginx has exited, ending with nginx's own exit status.
// If nginx fails, the tail of its error.log is printed to stderr.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const NGINX = process.env.NGINX_BIN ?? '/usr/sbin/nginx';
const here = dirname(fileURLToPath(import.meta.url));

const USAGE = 'usage: node launch.mjs <port> [--redis redis://<host>:<port>] [--tls <cert.pem> <key.pem>]';
const [port, ...options] = process.argv.slice(2);
let redisUrl;
let tls;
for (let i = 0; i < options.length; ) {
  if (options[i] === '--redis' && redisUrl === undefined && i + 1 < options.length) {
    redisUrl = options[i + 1];
    i += 2;
  } else if (options[i] === '--tls' && tls === undefined && i + 2 < options.length) {
    tls = { cert: resolve(options[i + 1]), key: resolve(options[i + 2]) };
    i += 3;
  } else {
    console.error(USAGE);
    process.exit(2);
  }
}
const validPort = /^\d+$/.test(port ?? '') && Number(port) >= 1 && Number(port) <= 65535;
// Only a plain redis://host:port, and file names without quotes, semicolons or
// spaces: they go into nginx.conf as they are.
const plainPath = (file) => /^[\w./+-]+$/.test(file) && existsSync(file);
if (!validPort || (redisUrl !== undefined && !/^redis:\/\/[\w.-]+:\d+$/.test(redisUrl)) || (tls !== undefined && !(plainPath(tls.cert) && plainPath(tls.key)))) {
  console.error(USAGE);
  process.exit(2);
}

// mkdtemp makes a 0700 directory; the worker (nobody) must reach into it, and
// write the temp files of request bodies (client_body_temp_path) under temp/.
const dir = mkdtempSync(join(tmpdir(), 'pushspec-nchan-'));
chmodSync(dir, 0o755);
mkdirSync(join(dir, 'temp'));
chmodSync(join(dir, 'temp'), 0o777);

// nchan_redis_pass is not inherited from http{} by the locations: each names it.
const redisLines = redisUrl === undefined
  ? { upstream: '', pass: '' }
  : { upstream: `upstream pushspec_redis {\n    nchan_redis_server ${redisUrl};\n  }\n  nchan_redis_storage_mode distributed;`, pass: 'nchan_redis_pass pushspec_redis;' };
const conf = readFileSync(join(here, 'nginx.conf.template'), 'utf8')
  .replaceAll('{port}', port)
  .replaceAll('{dir}', dir)
  // The lines that hold only a Redis placeholder (not the comment that explains them).
  .replace(/^ *\{redis-upstream\}\n/m, redisLines.upstream === '' ? '' : `  ${redisLines.upstream}\n`)
  .replace(/^ *\{redis-pass\}\n/gm, redisLines.pass === '' ? '' : `      ${redisLines.pass}\n`)
  // nginx 1.22 turns HTTP/2 on per listener ("http2 on;" is 1.25.1+); ALPN then offers h2 and http/1.1.
  .replace('{listen-tls};', tls === undefined ? ';' : ' ssl http2;')
  .replace(/^ *\{tls-files\}\n/m, tls === undefined ? '' : `    ssl_certificate ${tls.cert};\n    ssl_certificate_key ${tls.key};\n`);
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

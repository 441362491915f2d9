/**
 * `pushspec <command>`: dispatches to a command and turns every error into a
 * message and a documented exit code (README, "Exit codes").
 */
import { PushspecError, EXIT } from '../core/errors.ts';
import { readCapBytes } from '../core/read-cap.ts';
import { toolVersion } from '../verdicts/catalogue.ts';
import { listCommand } from './commands/list.ts';
import { matrixCommand } from './commands/matrix.ts';
import { reportCommand } from './commands/report.ts';
import { runCommand } from './commands/run.ts';
import { serveCommand } from './commands/serve.ts';

export const USAGE = `Usage: pushspec <command> [options]

Commands:
  run     Check a server: the embedded reference server, or --adapter <file>
            --adapter <file>     adapter (.json, .ts, .mts, .cts, .js, .mjs, .cjs) of the server to check
            --report-dir <dir>   where reports go (default: reports)
            --tags <expression>  run only matching scenarios, e.g. "@must and @polling"
            --strict             SHOULD requirements that do not hold fail the run
            --deadline <seconds> stop the run when this much time has passed; the rest is reported not run (exit 5)
            --instance <k>       with an adapter that declares a "cluster": the instance (1..N, default 1) the
                                 single-server requirements check; the cluster requirements use them all
            --ca <file>          trust the PEM CA (or self-signed certificate) in <file> besides Node's CAs,
                                 for an https:// or wss:// server; repeatable; adds to the adapter's "tls.ca"
            --tls-cert <file> --tls-key <file>   serve the embedded reference over HTTPS and wss:// (PEM),
                                 trusting that certificate
            --http2              serve the embedded reference over HTTP/2 as well (h2c, or ALPN h2 with --tls-cert);
                                 the SSE, polling and long-polling clients speak only HTTP/2
            --no-color           plain output
  serve   Run the reference server on its own
            --port <n>  (default 8080; 0 picks a free port)   --host <addr> (default 127.0.0.1)
            --history <n> (messages kept per channel, default 1000)
            --max-message-bytes <n> (default 1048576)
            --max-hold <ms> (longest long-poll hold, default 25000)
            --retry <ms> (SSE reconnection time sent as retry:, default 3000; 0 sends none)
            --keep-alive <ms> (SSE keep-alive comment after this much silence, default 15000)
            --history-max-bytes <n> (retained history of all channels, oldest evicted first; default 268435456)
            --max-channels <n> (channels holding messages; one more is refused 503; default 10000)
            --allow-origin <origin> (pages on that origin may read, open WebSockets, publish and close channels,
                                     e.g. https://app.example, or *; repeatable; --cors-origin is its former name)
            --allow-host <name> (answer requests naming this host, besides loopback; * = any; repeatable)
            --publish-token <token> (publishing and DELETE need Authorization: Bearer <token>; 16+ characters;
                                     or set PUSHSPEC_PUBLISH_TOKEN, which ps does not show)
            --headers-timeout <ms> (a request head must arrive within this, default 10000; else 408)
            --request-timeout <ms> (a whole request, body included, default 30000; else 408)
            --ws-max-buffer-bytes <n> (unsent bytes per WebSocket before it is closed 1013, default 4194304)
            --ws-ping <ms> (ping a WebSocket idle this long, cut it if no pong as long again; default 30000; 0 = off)
            --ws-max-message-bytes <n> (largest WebSocket message a client may send, default 1048576; bigger closes 1009)
            --tls-cert <file> --tls-key <file> (serve HTTPS and wss:// with this PEM certificate and its private key)
            --http2 (serve HTTP/2 beside HTTP/1.1 on the same port: ALPN h2 over TLS, h2c prior knowledge in the clear)
            --redis <url> (run as one instance of a cluster: ids and history in this Redis, e.g. redis://127.0.0.1:6379,
                           shared with every instance given the same URL; messages reach the clients of all of them)
            --redis-prefix <p> (prefix of the cluster's Redis keys, default pushspec)
  soak    Publish without pause on every declared technique, with subscribers cut at random that
          resume; report lost, duplicated and reordered messages and delivery latency over time
            --adapter <file>     as for run (default: the embedded reference server)
            --minutes <n>        how long to publish, fractions allowed (default 1)
            --subscribers <n>    per technique (default 2)   --rate <n> messages/s per technique (default 20)
            --report-dir <dir>   where soak.json and soak.html go (default: reports)
            Exit: 0 nothing lost, duplicated or reordered; 1 otherwise; 3 the server could not be reached or went away.
  clients Check a client: pushspec plays the server, a scripted one per case
            --client <file>      client adapter (.json): the command that starts the client, what it speaks;
                                 repeatable: several clients (or none: every adapters/clients/<name>/adapter.json)
                                 run one after the other into one merged report, exit codes as for matrix
            --report-dir <dir>   where reports go (default: reports/clients)
            --expected <file>    compare every verdict with this file (adapters/clients/expected-verdicts.json)
            --update-expected    record this run's verdicts in that file instead, keeping explanations
            --tags <expression>  run only matching scenarios, e.g. "@sse"   --strict   --no-color
            A client whose program is not installed is shown as not run, with its install command.
  list    Print every requirement id with its level and title   [--json] [--cases: every case, Autobahn ids beside them]
  report  Merge summary.json files of earlier runs into one matrix
            pushspec report <summary.json>... [--report-dir <dir>] [--quiet] [--no-color]
  matrix  Run the reference server and several adapters, one after the other, into one merged report
            pushspec matrix [adapter...]   (default: every adapters/targets/<name>/adapter.json)
            --report-dir <dir>   (default: reports/matrix)   --no-reference (leave out the reference server)
            --expected <file>    compare every verdict with this file (adapters/targets/expected-verdicts.json)
            --update-expected    record this run's verdicts in that file instead, keeping explanations
            --tags <expression>  passed to every run
            --deadline <seconds> passed to every run: each target's own deadline
            --ca <file>          passed to every adapter's run: a CA to trust besides Node's; repeatable
            A target whose program is not installed is shown as not run, with its install command.

Exit codes: 0 every MUST held; 1 a MUST failed (or a SHOULD, with --strict);
2 usage or adapter-file error; 3 server could not be started or reached, or exited or stopped
answering mid-run; 4 internal error; 5 --deadline passed before every case was judged;
130/143 SIGINT/SIGTERM (reports of what was judged written). A case not run never passes.
matrix: 0 every target that is installed ran (and matched --expected); 1 a verdict differs from
--expected; 3 an installed target could not be run, or stopped early.`;

const COMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  run: runCommand,
  serve: serveCommand,
  // Loaded when used: the soak's clients need not slow every other command's start.
  soak: async (args) => (await import('./commands/soak.ts')).soakCommand(args),
  clients: async (args) => (await import('./commands/clients.ts')).clientsCommand(args),
  list: listCommand,
  report: reportCommand,
  matrix: matrixCommand,
};

/** Runs one command line; returns the exit code instead of exiting, so tests can call it. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
      process.stdout.write(`${USAGE}\n`);
      return command === undefined ? EXIT.USAGE : EXIT.OK;
    }
    if (command === '--version' || command === '-v') {
      process.stdout.write(`${toolVersion()}\n`);
      return EXIT.OK;
    }
    const handler = COMMANDS[command];
    if (handler === undefined) throw new PushspecError('PUSHSPEC_ERR_USAGE', `unknown command "${command}"; expected one of ${Object.keys(COMMANDS).join(', ')}`);
    readCapBytes(); // a bad PUSHSPEC_READ_CAP_MIB is a usage error before anything runs, not a failure in every scenario
    return await handler(rest);
  } catch (error) {
    if (error instanceof PushspecError) {
      process.stderr.write(`pushspec: ${error.message}\n`);
      return error.exitCode;
    }
    process.stderr.write(`pushspec: internal error (please report it): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT.INTERNAL;
  }
}

/**
 * A launched server's own output, kept in a file next to the reports: a
 * server that logs every request would otherwise bury pushspec's console,
 * and its lines are what explains a crash. pushspec shows the last lines
 * only when they matter (a failed start, an early exit, a failed run).
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';

export interface ServerLog {
  /** Appends one line of the server's output. */
  write(line: string): void;
  /** Notes how the server ended and closes the file; later lines are dropped. */
  close(status: string): Promise<void>;
}

/** Creates (or replaces) `path`, headed by `heading`. A file that cannot be written costs the log, never the run. */
export function openLog(path: string, heading: string): ServerLog {
  let stream: WriteStream | undefined = createWriteStream(path);
  stream.on('error', (error) => {
    process.stderr.write(`pushspec: cannot write the server's output to ${path}: ${error.message}\n`);
    stream = undefined;
  });
  stream.write(`--- ${heading} ---\n`);
  return {
    write(line) {
      if (stream !== undefined && !stream.writableEnded) stream.write(`${line}\n`);
    },
    async close(status) {
      const open = stream;
      if (open === undefined || open.writableEnded) return;
      open.end(`--- the server ${status} ---\n`);
      await once(open, 'close').catch(() => undefined);
    },
  };
}

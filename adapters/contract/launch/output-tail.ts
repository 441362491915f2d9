/** The last lines a launched server wrote, kept for the message that says why it failed. */
import type { Readable } from 'node:stream';

/** Lines kept per server. */
export const OUTPUT_LINES = 200;

/** Keeps the last lines of a child's stdout and stderr, and passes each line to `log`. */
export class OutputTail {
  private readonly lines: string[] = [];
  private readonly log: ((line: string) => void) | undefined;

  constructor(log: ((line: string) => void) | undefined) {
    this.log = log;
  }

  attach(stream: Readable | null): void {
    if (stream === null) return;
    let partial = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) this.push(line);
    });
    stream.on('end', () => partial !== '' && this.push(partial));
  }

  tail(count: number): string {
    return this.lines.slice(-count).join('\n');
  }

  private push(line: string): void {
    const clean = line.replace(/\r$/, '');
    this.lines.push(clean);
    if (this.lines.length > OUTPUT_LINES) this.lines.splice(0, this.lines.length - OUTPUT_LINES);
    this.log?.(clean);
  }
}

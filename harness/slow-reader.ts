/**
 * A client that opens an event stream and then stops reading: undici stops
 * reading the socket once its small buffer is full, so everything else the
 * server writes piles up on the server's side. Later the reader drains what
 * it can and sees whether the server dropped it.
 */
import { Agent, request, type Dispatcher } from 'undici';
import { ConformanceFailure } from '../checks/conformance-failure.ts';

export interface Drained {
  bytes: Buffer;
  /** True when the server ended or cut the connection; false when the deadline came first. */
  droppedByServer: boolean;
  how: string;
}

export class SlowReader {
  private readonly agent: Agent;
  private readonly body: Dispatcher.ResponseData['body'];
  readonly status: number;

  private constructor(agent: Agent, response: Dispatcher.ResponseData) {
    this.agent = agent;
    this.body = response.body;
    this.status = response.statusCode;
  }

  static async open(url: string, headers: Record<string, string>, deadlineMs: number): Promise<SlowReader> {
    const agent = new Agent();
    try {
      const response = await request(url, { dispatcher: agent, headers: { accept: 'text/event-stream', ...headers }, headersTimeout: deadlineMs, bodyTimeout: 0, highWaterMark: 16 * 1024 });
      return new SlowReader(agent, response);
    } catch (error) {
      await agent.destroy();
      throw new ConformanceFailure(`a stream answering GET ${new URL(url).pathname} within ${deadlineMs} ms`, `the request failed (${(error as Error).message})`);
    }
  }

  /** Reads everything now, until the server closes the connection or `deadlineMs` passes. */
  async drain(deadlineMs: number): Promise<Drained> {
    const chunks: Buffer[] = [];
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<Drained>((resolve) => {
      timer = setTimeout(() => resolve({ bytes: Buffer.concat(chunks), droppedByServer: false, how: `still open after ${deadlineMs} ms` }), deadlineMs);
    });
    const reading = (async (): Promise<Drained> => {
      try {
        for await (const chunk of this.body) chunks.push(chunk as Buffer);
        return { bytes: Buffer.concat(chunks), droppedByServer: true, how: 'the server ended the stream' };
      } catch (error) {
        return { bytes: Buffer.concat(chunks), droppedByServer: true, how: `the server cut the connection (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` };
      }
    })();
    try {
      return await Promise.race([reading, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  destroy(): void {
    this.body.destroy();
    void this.agent.destroy();
  }
}

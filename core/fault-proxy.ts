/**
 * A fault-injecting TCP proxy: what an unlucky network or a badly behaved
 * intermediary does to a connection, placed between a client and the server
 * under test when a scenario asks for it. It listens on 127.0.0.1, port 0,
 * and opens one connection to the server per client connection; bytes pass
 * as they are, except for the faults it is given:
 *
 * - `resetAfter`: the connection is reset (TCP RST both ways) once N bytes
 *   have passed in one direction, as a dropped route or a crashed middlebox;
 * - `delayMs`: every chunk is held that long before it goes on (latency);
 * - `bytesPerSecond`: each direction is throttled to that rate;
 * - `oneByteWrites`: every byte is written on its own (a re-chunker);
 * - `bufferBytes`: server-to-client data is held until that many bytes are
 *   waiting, or the server ends the connection (a buffering proxy);
 * - `idleTimeoutMs`: a connection over which nothing passed, either way, for
 *   that long is cut, as load balancers and proxies do.
 *
 * Plain node:net: no tool outside pushspec. It knows nothing of HTTP, so it
 * serves every technique alike. What it did to each connection is kept, so a
 * report can say why a connection ended.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

/** Which way bytes travel through the proxy. */
export type Direction = 'to-server' | 'to-client';

/** What the proxy does to one connection. */
export interface Faults {
  /** Reset the connection once this many bytes have passed in `direction` (the first N are delivered). */
  resetAfter?: { bytes: number; direction: Direction };
  /** Hold every chunk this long before forwarding it, both ways. */
  delayMs?: number;
  /** Forward at most this many bytes per second, each way. */
  bytesPerSecond?: number;
  /** Write every byte on its own, each write finished before the next. */
  oneByteWrites?: boolean;
  /** Hold server-to-client bytes until this many are waiting, or the server ends the connection. */
  bufferBytes?: number;
  /** Cut a connection over which nothing passed, either way, for this long. */
  idleTimeoutMs?: number;
}

/** What happened to one connection through the proxy. */
export interface ProxiedConnection {
  /** 0-based, in the order clients connected. */
  index: number;
  faults: Faults;
  /** Bytes forwarded (written on), each way. */
  bytes: Record<Direction, number>;
  /** Writes made, each way: with `oneByteWrites`, as many as bytes. */
  writes: Record<Direction, number>;
  /** Set when it ended: `reset after N bytes to-client`, `idle timeout`, `closed by the client`… */
  ended?: string;
}

/** The faults for each new connection: the same for all, or chosen per connection (its 0-based index). */
export type FaultPlan = Faults | ((index: number) => Faults);

/**
 * Cuts a socket: an RST where Node can send one (`resetAndDestroy`), else a
 * close. A peer may still see a plain end of stream (seen on Linux for a
 * socket that has read data): either way the connection ends mid-stream,
 * which is the fault; clients treat both as a lost connection.
 */
function reset(socket: Socket): void {
  const resettable = socket as Socket & { resetAndDestroy?: () => void };
  if (!socket.destroyed && typeof resettable.resetAndDestroy === 'function' && socket.readyState === 'open') resettable.resetAndDestroy();
  else socket.destroy();
}

/**
 * Bytes queued in one direction past which the proxy stops reading from the
 * sending side until they are on their way: a 1-byte or throttled pipe is
 * slower than any sender, and a server that writes without end would
 * otherwise fill pushspec's memory through the proxy (6 GB in a test).
 */
const QUEUE_HIGH_WATER_BYTES = 1024 * 1024;

/** One direction of one connection: the queue of bytes on their way, with the faults that shape it. */
class Pipe {
  private readonly queue: Array<{ chunk: Buffer; dueAtMs: number }> = [];
  private queuedBytes = 0;
  private pausedSource = false;
  private held: Buffer[] = [];
  private heldBytes = 0;
  private running = false;
  private ending = false;
  private sentAtStartMs = 0;

  private readonly direction: Direction;
  private readonly source: Socket;
  private readonly out: Socket;
  private readonly faults: Faults;
  private readonly record: ProxiedConnection;
  private readonly onLimit: (reason: string) => void;

  constructor(direction: Direction, source: Socket, out: Socket, faults: Faults, record: ProxiedConnection, onLimit: (reason: string) => void) {
    this.direction = direction;
    this.source = source;
    this.out = out;
    this.faults = faults;
    this.record = record;
    this.onLimit = onLimit;
  }

  /** Takes a chunk read from the other side. */
  push(chunk: Buffer): void {
    if (this.direction === 'to-client' && this.faults.bufferBytes !== undefined) {
      this.held.push(chunk);
      this.heldBytes += chunk.length;
      if (this.heldBytes < this.faults.bufferBytes) return;
      chunk = this.releaseHeld();
    }
    this.enqueue(chunk);
    void this.run();
  }

  private enqueue(chunk: Buffer): void {
    this.queue.push({ chunk, dueAtMs: Date.now() + (this.faults.delayMs ?? 0) });
    this.queuedBytes += chunk.length;
    if (this.queuedBytes > QUEUE_HIGH_WATER_BYTES && !this.pausedSource) {
      this.pausedSource = true;
      this.source.pause();
    }
  }

  /** A chunk is on its way: read from the sending side again once the queue is short. */
  private dequeued(chunk: Buffer): void {
    this.queuedBytes -= chunk.length;
    if (this.pausedSource && this.queuedBytes <= QUEUE_HIGH_WATER_BYTES / 2) {
      this.pausedSource = false;
      if (!this.source.destroyed) this.source.resume();
    }
  }

  /** The other side ended: what is queued (and held) goes on, then the end. */
  end(): void {
    if (this.heldBytes > 0) this.enqueue(this.releaseHeld());
    this.ending = true;
    void this.run();
  }

  private releaseHeld(): Buffer {
    const all = Buffer.concat(this.held);
    this.held = [];
    this.heldBytes = 0;
    return all;
  }

  private async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.queue.length > 0 && !this.out.destroyed) {
        const { chunk, dueAtMs } = this.queue.shift()!;
        if (dueAtMs > Date.now()) await sleep(dueAtMs - Date.now());
        const forwarded = await this.forward(chunk);
        this.dequeued(chunk);
        if (!forwarded) return;
      }
      if (this.ending && this.queue.length === 0 && !this.out.destroyed) this.out.end();
    } finally {
      this.running = false;
    }
  }

  /** Writes `chunk` on, in the pieces the faults ask for; false once the connection was reset. */
  private async forward(chunk: Buffer): Promise<boolean> {
    const limit = this.faults.resetAfter?.direction === this.direction ? this.faults.resetAfter.bytes : Infinity;
    const rate = this.faults.bytesPerSecond;
    const piece = this.faults.oneByteWrites === true ? 1 : rate !== undefined ? Math.max(1, Math.ceil(rate / 20)) : chunk.length;
    for (let at = 0; at < chunk.length; ) {
      const room = limit - this.record.bytes[this.direction];
      if (room <= 0) {
        this.onLimit(`reset after ${limit} bytes ${this.direction}`);
        return false;
      }
      const part = chunk.subarray(at, at + Math.min(piece, room));
      if (rate !== undefined) await this.throttle(rate);
      if (this.out.destroyed) return false;
      await write(this.out, part);
      this.record.bytes[this.direction] += part.length;
      this.record.writes[this.direction] += 1;
      at += part.length;
      // Let the event loop turn between single bytes, so a reader in this process sees them apart too.
      if (piece === 1) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (this.record.bytes[this.direction] >= limit) {
      this.onLimit(`reset after ${limit} bytes ${this.direction}`);
      return false;
    }
    return true;
  }

  /** Waits until the bytes sent so far are within the rate since the first write. */
  private async throttle(rate: number): Promise<void> {
    const now = Date.now();
    if (this.sentAtStartMs === 0) this.sentAtStartMs = now;
    const dueAtMs = this.sentAtStartMs + (this.record.bytes[this.direction] / rate) * 1000;
    if (dueAtMs > now) await sleep(dueAtMs - now);
  }
}

/** The proxy's own timer: it plays a slow link, it does not wait for evidence. */
function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves once `data` has been handed to the kernel (or the socket failed: the connection's end says why). */
function write(socket: Socket, data: Buffer): Promise<void> {
  return new Promise((resolve) => {
    if (socket.destroyed) return resolve();
    socket.write(data, () => resolve());
  });
}

export class FaultProxy {
  /** Every connection made through the proxy, in order. */
  readonly connections: ProxiedConnection[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly server: Server;
  private readonly plan: FaultPlan;
  private readonly target: { host: string; port: number };
  private listeningPort: number | undefined;

  private constructor(server: Server, target: { host: string; port: number }, plan: FaultPlan) {
    this.server = server;
    this.target = target;
    this.plan = plan;
    server.on('connection', (client) => this.accept(client));
  }

  /** Starts a proxy on 127.0.0.1 (port 0) in front of `target`, applying `plan` to each connection. */
  static async start(target: { host: string; port: number }, plan: FaultPlan): Promise<FaultProxy> {
    const server = createServer({ allowHalfOpen: true, noDelay: true });
    const proxy = new FaultProxy(server, target, plan);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    void proxy.port; // read while listening
    return proxy;
  }

  /** The port clients connect to (kept after the proxy closes: a late client then finds it refused). */
  get port(): number {
    this.listeningPort ??= (this.server.address() as { port: number }).port;
    return this.listeningPort;
  }

  /** Resets every open connection at once, as a network failure would. */
  resetAll(reason = 'reset by the scenario'): void {
    for (const socket of this.sockets) reset(socket);
    for (const connection of this.connections) connection.ended ??= reason;
  }

  /** Stops listening and resets what is still open. */
  async close(): Promise<void> {
    this.resetAll('proxy closed');
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    const index = this.connections.length;
    const faults = typeof this.plan === 'function' ? this.plan(index) : this.plan;
    const record: ProxiedConnection = { index, faults, bytes: { 'to-server': 0, 'to-client': 0 }, writes: { 'to-server': 0, 'to-client': 0 } };
    this.connections.push(record);
    client.pause();
    const server = connect({ host: this.target.host, port: this.target.port, allowHalfOpen: true, noDelay: true });
    this.sockets.add(client).add(server);
    let idle: NodeJS.Timeout | undefined;
    const cut = (reason: string): void => {
      clearTimeout(idle);
      record.ended ??= reason;
      reset(client);
      reset(server);
    };
    const touch = (): void => {
      if (faults.idleTimeoutMs === undefined) return;
      clearTimeout(idle);
      idle = setTimeout(() => cut(`idle timeout (${faults.idleTimeoutMs} ms without a byte)`), faults.idleTimeoutMs);
    };
    const toServer = new Pipe('to-server', client, server, faults, record, cut);
    const toClient = new Pipe('to-client', server, client, faults, record, cut);
    server.on('connect', () => {
      client.resume();
      touch();
    });
    client.on('data', (chunk: Buffer) => { touch(); toServer.push(chunk); });
    server.on('data', (chunk: Buffer) => { touch(); toClient.push(chunk); });
    let clientEnded = false;
    let serverEnded = false;
    client.on('end', () => { clientEnded = true; toServer.end(); });
    server.on('end', () => { serverEnded = true; record.ended ??= 'closed by the server'; toClient.end(); });
    // A side that went without a FIN (destroyed, reset) takes the other with it; after a FIN,
    // what is queued for the other side still goes on and the pipe passes the FIN on.
    client.on('close', () => {
      this.sockets.delete(client);
      clearTimeout(idle);
      record.ended ??= 'closed by the client';
      if (!clientEnded || client.errored) server.destroy();
    });
    server.on('close', () => {
      this.sockets.delete(server);
      clearTimeout(idle);
      record.ended ??= 'closed by the server';
      if (!serverEnded || server.errored) client.destroy();
    });
    client.on('error', (error) => cut(`client error: ${error.message}`));
    server.on('error', (error) => cut(`server error: ${error.message}`));
  }
}

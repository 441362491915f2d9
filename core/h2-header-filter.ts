/**
 * What an HTTP/2 server puts in its header blocks, seen before pushspec's
 * HTTP/2 client reads them. RFC 9113 §8.2.2: a message with a
 * connection-specific field (`Connection`, `Keep-Alive`, `Transfer-Encoding`,
 * ...) is malformed, and Node's HTTP/2 client (nghttp2, under undici) resets
 * such a stream with PROTOCOL_ERROR without saying which field it was. A
 * server that adds `connection: keep-alive` to every answer would then fail
 * every requirement at once, for one fault, and the report could not name it.
 *
 * So the connection is read through this filter: it decodes each header block
 * the server sends (HPACK, RFC 7541, with the hpack.js library), tells who
 * asked what was in it, removes the connection-specific fields and encodes the
 * block again for the client. The requirements `*-H2-NO-CONNECTION-FIELDS`
 * judge what it saw; every other requirement is judged on the rest. Blocks are
 * always re-encoded (not only altered ones), so the client's HPACK table
 * follows the filter's encoder from the first block on. Every other frame
 * passes unchanged, both ways.
 */
import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';
import hpack from 'hpack.js';

/** RFC 9113 §8.2.2's connection-specific fields (and any field the Connection field names). */
export const CONNECTION_SPECIFIC_FIELDS: readonly string[] = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade'];

/** One header block a server sent: a response's head or trailers (or a push promise). */
export interface ServerHeaderBlock {
  /** `host:port` of the connection. */
  origin: string;
  streamId: number;
  /** Every field, pseudo-fields included, as the server sent them. */
  fields: Array<[name: string, value: string]>;
  /** The connection-specific fields among them, which the client did not see. */
  removed: Array<[name: string, value: string]>;
}

const FRAME_HEADER = 9;
const TYPE = { headers: 0x1, pushPromise: 0x5, continuation: 0x9 } as const;
const FLAG = { endStream: 0x1, endHeaders: 0x4, padded: 0x8, priority: 0x20 } as const;
/** SETTINGS_MAX_FRAME_SIZE's initial value (RFC 9113 §6.5.2): what the client accepts unless it said more. */
const MAX_FRAME = 16_384;
/** SETTINGS_HEADER_TABLE_SIZE's initial value (RFC 9113 §6.5.2), which Node's client keeps. */
const TABLE_SIZE = 4096;

/** The connection-specific fields of `fields`: the five named ones, and those the Connection field lists. */
export function connectionSpecific(fields: ReadonlyArray<[string, string]>): Array<[string, string]> {
  const named = new Set(CONNECTION_SPECIFIC_FIELDS);
  for (const [name, value] of fields) {
    if (name === 'connection') for (const token of value.split(',')) if (token.trim() !== '') named.add(token.trim().toLowerCase());
  }
  return fields.filter(([name]) => named.has(name));
}

/** A header block being gathered: a HEADERS or PUSH_PROMISE frame and its CONTINUATIONs. */
interface Gathering {
  type: number;
  streamId: number;
  endStream: boolean;
  /** PUSH_PROMISE's promised stream id, as sent. */
  promised?: Buffer;
  fragments: Buffer[];
}

function frame(type: number, flags: number, streamId: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(FRAME_HEADER);
  head.writeUIntBE(payload.length, 0, 3);
  head[3] = type;
  head[4] = flags;
  head.writeUInt32BE(streamId & 0x7fffffff, 5);
  return Buffer.concat([head, payload]);
}

/**
 * Reads the server's side of an HTTP/2 connection frame by frame and rewrites
 * its header blocks (see the module's comment). A block that does not decode
 * is passed on as it came, and filtering stops: the client's own HPACK
 * decoder then reports the server's error, as without the filter.
 */
export class HeaderBlockFilter {
  private readonly origin: string;
  private readonly onBlock: (block: ServerHeaderBlock) => void;
  private readonly decoder = hpack.decompressor.create({ table: { size: TABLE_SIZE } });
  private readonly encoder = hpack.compressor.create({ table: { size: TABLE_SIZE } });
  private pending: Buffer = Buffer.alloc(0);
  private gathering: Gathering | undefined;
  /** Raw frames of the block being gathered, passed on as they came if it does not decode. */
  private gatheredRaw: Buffer[] = [];
  private broken = false;

  constructor(origin: string, onBlock: (block: ServerHeaderBlock) => void) {
    this.origin = origin;
    this.onBlock = onBlock;
  }

  /** The bytes to give the client for `chunk` from the server (frames cut across chunks wait for their rest). */
  push(chunk: Buffer): Buffer {
    if (this.broken) return chunk;
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const out: Buffer[] = [];
    while (this.pending.length >= FRAME_HEADER) {
      const length = this.pending.readUIntBE(0, 3);
      if (this.pending.length < FRAME_HEADER + length) break;
      const raw = this.pending.subarray(0, FRAME_HEADER + length);
      this.pending = this.pending.subarray(FRAME_HEADER + length);
      out.push(this.onFrame(raw));
      if (this.broken) {
        out.push(this.pending);
        this.pending = Buffer.alloc(0);
        break;
      }
    }
    return Buffer.concat(out);
  }

  private onFrame(raw: Buffer): Buffer {
    const type = raw[3]!;
    const flags = raw[4]!;
    const streamId = raw.readUInt32BE(5) & 0x7fffffff;
    const payload = raw.subarray(FRAME_HEADER);
    if (type === TYPE.headers || type === TYPE.pushPromise) {
      const padding = flags & FLAG.padded ? payload[0]! : 0;
      let start = flags & FLAG.padded ? 1 : 0;
      if (type === TYPE.headers && flags & FLAG.priority) start += 5;
      const promised = type === TYPE.pushPromise ? payload.subarray(start, start + 4) : undefined;
      if (promised !== undefined) start += 4;
      this.gathering = { type, streamId, endStream: (flags & FLAG.endStream) !== 0, ...(promised ? { promised } : {}), fragments: [payload.subarray(start, payload.length - padding)] };
      this.gatheredRaw = [raw];
    } else if (type === TYPE.continuation && this.gathering !== undefined) {
      this.gathering.fragments.push(payload);
      this.gatheredRaw.push(raw);
    } else {
      return raw;
    }
    return flags & FLAG.endHeaders ? this.endBlock() : Buffer.alloc(0);
  }

  private endBlock(): Buffer {
    const block = this.gathering!;
    const raw = Buffer.concat(this.gatheredRaw);
    this.gathering = undefined;
    this.gatheredRaw = [];
    let fields: Array<[string, string]>;
    try {
      fields = this.decode(Buffer.concat(block.fragments));
    } catch {
      this.broken = true;
      return raw;
    }
    const removed = connectionSpecific(fields);
    this.onBlock({ origin: this.origin, streamId: block.streamId, fields, removed });
    const kept = fields.filter((field) => !removed.includes(field));
    this.encoder.write(kept.map(([name, value]) => ({ name, value })));
    const encoded: Buffer = this.encoder.read() ?? Buffer.alloc(0);
    return this.frames(block, encoded);
  }

  private decode(bytes: Buffer): Array<[string, string]> {
    const fields: Array<[string, string]> = [];
    this.decoder.write(bytes);
    this.decoder.execute();
    for (let field = this.decoder.read(); field !== null; field = this.decoder.read()) fields.push([field.name, field.value]);
    return fields;
  }

  /** The block as a HEADERS (or PUSH_PROMISE) frame and as many CONTINUATIONs as its size needs. */
  private frames(block: Gathering, encoded: Buffer): Buffer {
    const prefix = block.promised ?? Buffer.alloc(0);
    const first = encoded.subarray(0, MAX_FRAME - prefix.length);
    const parts = [frame(block.type, (block.endStream ? FLAG.endStream : 0) | (first.length === encoded.length ? FLAG.endHeaders : 0), block.streamId, Buffer.concat([prefix, first]))];
    for (let at = first.length; at < encoded.length; at += MAX_FRAME) {
      const piece = encoded.subarray(at, at + MAX_FRAME);
      parts.push(frame(TYPE.continuation, at + MAX_FRAME >= encoded.length ? FLAG.endHeaders : 0, block.streamId, piece));
    }
    return Buffer.concat(parts);
  }
}

/**
 * `socket` (an HTTP/2 connection, TLS or h2c) as a stream whose incoming
 * bytes went through a {@link HeaderBlockFilter}; what is written to it goes
 * to `socket` unchanged. It answers what undici asks of a socket.
 */
export function filteredConnection(socket: Socket, origin: string, onBlock: (block: ServerHeaderBlock) => void): Duplex {
  const filter = new HeaderBlockFilter(origin, onBlock);
  const connection = new Duplex({
    read() {
      socket.resume();
    },
    write(chunk: Buffer, _encoding, callback) {
      socket.write(chunk, (error) => callback(error ?? null));
    },
    final(callback) {
      socket.end(callback);
    },
    destroy(error, callback) {
      socket.destroy(error ?? undefined);
      callback(error);
    },
  });
  socket.on('data', (chunk: Buffer) => {
    const bytes = filter.push(chunk);
    if (bytes.length > 0 && !connection.push(bytes)) socket.pause();
  });
  socket.on('end', () => connection.push(null));
  socket.on('error', (error) => connection.destroy(error));
  socket.on('close', () => connection.destroy());
  // What undici and node:http2 read of a socket besides its stream.
  Object.assign(connection, {
    alpnProtocol: 'h2',
    encrypted: (socket as { encrypted?: boolean }).encrypted,
    remoteAddress: socket.remoteAddress,
    remotePort: socket.remotePort,
    localAddress: socket.localAddress,
    localPort: socket.localPort,
    setKeepAlive: (...args: Parameters<Socket['setKeepAlive']>) => socket.setKeepAlive(...args),
    setNoDelay: (...args: Parameters<Socket['setNoDelay']>) => socket.setNoDelay(...args),
    setTimeout: (...args: Parameters<Socket['setTimeout']>) => socket.setTimeout(...args),
    ref: () => socket.ref(),
    unref: () => socket.unref(),
  });
  return connection;
}

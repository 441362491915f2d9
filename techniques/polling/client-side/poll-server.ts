/**
 * A scripted poll server for checking polling and long-polling clients: it
 * answers poll N as the case's plan says (messages at once or after a hold,
 * an empty answer, a status such as 204, 304 or 503, a cut connection, or a
 * hold until the case ends), in the protocol the client adapter declares, and
 * records each poll: when it came, the cursor it carried, how and when it was
 * answered. Messages get ids counting up; the cursor of an answer is the id
 * of the last message sent so far (the reference protocol's rule).
 * Speaking engine.io, the handshake and the client's POSTs are the session's
 * plumbing, answered at once and never counted as polls: poll 1 is the first
 * GET that carries the session's `sid`.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, ScriptedHttpServer, type RecordedRequest } from '../../../core/scripted-http.ts';
import type { Transcript } from '../../../core/transcript.ts';
import { Signal } from '../../../core/wait.ts';
import { cursorSent, encodeBatch, etagOf, type WireMessage } from './answers.ts';
import type { ClientPollSection } from './contract.ts';
import { decodePayload, encodeEngineIoBatch, handshakeProblem, openPacket, SESSION_DEFAULTS, sidOf } from './engine-io.ts';

/** How the scripted server answers one poll. */
export type PlannedAnswer =
  /** `data` as a batch (after `afterMs`), with the next cursor; `etag` adds that validator. */
  | { kind: 'messages'; data: string[]; afterMs?: number; etag?: string }
  /** An empty batch with the unchanged cursor: nothing new, or a long-poll's timeout. */
  | { kind: 'empty'; afterMs?: number }
  /** A status with no batch: 204, 304, 500, 503 (`headers` such as Retry-After). */
  | { kind: 'status'; status: number; headers?: Record<string, string>; afterMs?: number }
  /** The connection is cut (after `afterMs`), no answer. */
  | { kind: 'cut'; afterMs?: number }
  /** Held with no answer until the case ends. */
  | { kind: 'hold' };

/** One poll, as the scripted server saw and answered it. */
export interface PollRecord {
  /** 1-based, in arrival order (as the feature files count polls). */
  n: number;
  atMs: number;
  request: RecordedRequest;
  /** The cursor it carried (where the section says it travels). */
  cursor: string | undefined;
  planned: PlannedAnswer;
  /** When the answer was written whole. */
  answeredAtMs?: number;
  status?: number;
  /** The cursor the answer gave (batches only). */
  answerCursor?: string;
  /** When it stopped being outstanding: answered, cut, or given up by the client. */
  endedAtMs?: number;
  outcome: 'outstanding' | 'answered' | 'cut' | 'dropped-by-client';
}

/** A client in a browser page of another origin (the page that reports back to pushspec) may read every answer. */
const CORS = { 'access-control-allow-origin': '*', 'access-control-expose-headers': 'ETag, Retry-After' };

export class ScriptedPollServer {
  readonly polls: PollRecord[] = [];
  /** Notifies on every poll, answer and end. */
  readonly changes = new Signal();
  private readonly timers = new Set<NodeJS.Timeout>();
  private lastId = 0;
  /** Set once the case ends: polls still held then were held as planned, not dropped. */
  private closing = false;
  private http!: ScriptedHttpServer;
  /** engine.io: the sessions the handshakes opened. */
  private readonly sessions = new Set<string>();

  private readonly transcript: Transcript;
  private readonly section: ClientPollSection;
  private readonly planFor: (n: number) => PlannedAnswer;

  private constructor(transcript: Transcript, section: ClientPollSection, planFor: (n: number) => PlannedAnswer) {
    this.transcript = transcript;
    this.section = section;
    this.planFor = planFor;
  }

  /** Starts it on 127.0.0.1, an ephemeral port. */
  static async start(transcript: Transcript, section: ClientPollSection, planFor: (n: number) => PlannedAnswer): Promise<ScriptedPollServer> {
    const server = new ScriptedPollServer(transcript, section, planFor);
    server.http = await ScriptedHttpServer.start(transcript, (request, res, req) => server.answer(request, res, req));
    return server;
  }

  /** The poll endpoint the client is pointed at (`{url}`); engine.io's default path for an engine.io client. */
  get url(): string {
    return `${this.http.origin}${this.section.protocol === 'engine.io' ? '/engine.io/' : '/channels/case/messages'}`;
  }

  /** Poll `n` (1-based), if it came. */
  poll(n: number): PollRecord | undefined {
    return this.polls[n - 1];
  }

  private answer(request: RecordedRequest, res: ServerResponse, req: IncomingMessage): void {
    // A browser's CORS preflight (a poll with If-None-Match is not a simple request) is no poll: allowed, not counted.
    if (request.method === 'OPTIONS') {
      res.writeHead(204, { ...CORS, 'access-control-allow-methods': 'GET', 'access-control-allow-headers': request.headers['access-control-request-headers'] ?? '', 'access-control-max-age': '600' }).end();
      return;
    }
    const engineIo = this.section.protocol === 'engine.io';
    if (engineIo && this.engineIoPlumbing(request, res, req)) return;
    const n = this.polls.length + 1;
    const planned = this.planFor(n);
    const record: PollRecord = { n, atMs: request.atMs, request, cursor: engineIo ? undefined : cursorSent(request, this.section.cursor), planned, outcome: 'outstanding' };
    this.polls.push(record);
    const sid = sidOf(request.url);
    const carried = engineIo ? `sid ${JSON.stringify(sid)}${this.sessions.has(sid!) ? '' : ' (no session pushspec opened)'}` : `cursor ${record.cursor === undefined ? '(none)' : JSON.stringify(record.cursor)}`;
    this.transcript.note(`poll ${n}: ${carried}${request.headers['if-none-match'] !== undefined ? `, If-None-Match ${request.headers['if-none-match']}` : ''}; planned: ${describePlan(planned)}`);
    res.on('finish', () => this.ended(record, 'answered'));
    res.on('close', () => this.ended(record, record.planned.kind === 'cut' ? 'cut' : 'dropped-by-client'));
    this.changes.notify();
    if (planned.kind === 'hold') return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.write(record, res);
    }, planned.afterMs ?? 0);
    this.timers.add(timer);
    res.on('close', () => {
      clearTimeout(timer);
      this.timers.delete(timer);
    });
  }

  private write(record: PollRecord, res: ServerResponse): void {
    const planned = record.planned;
    if (res.destroyed) return;
    if (planned.kind === 'cut') {
      res.socket?.destroy();
      return;
    }
    const headers: Record<string, string> = { 'cache-control': 'no-store', ...CORS };
    let status = 200;
    let body = '';
    if (planned.kind === 'messages' || planned.kind === 'empty') {
      const messages: WireMessage[] = planned.kind === 'messages' ? planned.data.map((data) => ({ id: String(++this.lastId), data })) : [];
      if (this.section.protocol === 'engine.io') {
        try {
          body = encodeEngineIoBatch(messages);
        } catch (error) {
          // A message engine.io cannot carry: the case cannot be played, and the evidence says why (a timer may not throw).
          this.transcript.note(`poll ${record.n} cannot be answered in engine.io: ${(error as Error).message}; its connection is cut`);
          res.socket?.destroy();
          return;
        }
        return this.finish(record, res, 200, { ...headers, 'content-type': 'text/plain; charset=UTF-8' }, body);
      }
      const cursor = String(this.lastId);
      record.answerCursor = cursor;
      body = encodeBatch(this.section.format, messages, cursor);
      headers['content-type'] = 'application/json; charset=utf-8';
      if (this.section.cursor.in === 'validators') headers.etag = etagOf(cursor);
      if (planned.kind === 'messages' && planned.etag !== undefined) headers.etag = planned.etag;
    } else if (planned.kind === 'status') {
      status = planned.status;
      Object.assign(headers, planned.headers);
      if (status >= 400) {
        headers['content-type'] = 'application/json; charset=utf-8';
        body = JSON.stringify({ error: 'scripted_failure', message: `the case answers this poll with ${status}` });
      }
    }
    this.finish(record, res, status, headers, body);
  }

  private finish(record: PollRecord, res: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
    record.status = status;
    res.writeHead(status, headers);
    res.end(body, () => {
      record.answeredAtMs = this.transcript.now();
      this.transcript.note(`poll ${record.n} answered ${status}${record.answerCursor !== undefined ? ` with cursor ${JSON.stringify(record.answerCursor)}` : ''}${body !== '' ? `: ${body.slice(0, 200)}` : ''}`);
      this.changes.notify();
    });
  }

  /**
   * engine.io's session plumbing, answered at once and no poll: a GET without
   * `sid` is the handshake (a new session), a POST carries the client's
   * packets (a pong, a close) and is answered `ok`. False for a poll.
   */
  private engineIoPlumbing(request: RecordedRequest, res: ServerResponse, req: IncomingMessage): boolean {
    const text = { 'content-type': 'text/plain; charset=UTF-8', 'cache-control': 'no-store', ...CORS };
    if (request.method === 'POST') {
      void readBody(req, request).then((body) => {
        this.transcript.note(`engine.io: the client sent ${decodePayload(body).map((p) => `${p.type ?? 'an unknown packet'}${p.data === '' ? '' : ` ${JSON.stringify(p.data)}`}`).join(', ') || 'nothing'} (a POST, no poll)`);
        res.writeHead(200, text).end('ok');
      }, () => res.destroy()); // the client gave the POST up before its body was read: nothing to answer
      return true;
    }
    if (request.method !== 'GET' || sidOf(request.url) !== undefined) return false;
    const problem = handshakeProblem(request.url);
    if (problem !== undefined) {
      this.transcript.note(`engine.io: a handshake with ${problem}, refused 400 (pushspec speaks protocol 4 polling)`);
      res.writeHead(400, { ...CORS, 'content-type': 'application/json' }).end(JSON.stringify({ code: 5, message: 'Unsupported protocol version' }));
      return true;
    }
    const session = { sid: randomBytes(15).toString('base64url'), ...SESSION_DEFAULTS };
    this.sessions.add(session.sid);
    this.transcript.note(`engine.io: handshake, session ${JSON.stringify(session.sid)} opened (no poll): ${openPacket(session)}`);
    res.writeHead(200, text).end(openPacket(session));
    return true;
  }

  private ended(record: PollRecord, outcome: PollRecord['outcome']): void {
    if (record.endedAtMs !== undefined || this.closing) return;
    record.endedAtMs = this.transcript.now();
    record.outcome = outcome;
    if (outcome !== 'answered') this.transcript.note(`poll ${record.n} ended without an answer: ${outcome === 'cut' ? 'the scripted server cut its connection' : 'the client dropped it'}`);
    this.changes.notify();
  }

  /** Cancels every pending answer, cuts every connection. */
  async close(): Promise<void> {
    this.closing = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await this.http.close();
  }
}

/** One line on a planned answer, for the evidence. */
export function describePlan(p: PlannedAnswer): string {
  const after = 'afterMs' in p && p.afterMs !== undefined && p.afterMs > 0 ? ` after ${p.afterMs} ms` : ' at once';
  switch (p.kind) {
    case 'messages':
      return `the messages ${p.data.map((d) => JSON.stringify(d)).join(', ')}${p.etag !== undefined ? ` with ETag ${p.etag}` : ''}${after}`;
    case 'empty':
      return `no message${after}`;
    case 'status':
      return `status ${p.status}${Object.entries(p.headers ?? {})
        .map(([k, v]) => `, ${k}: ${v}`)
        .join('')}${after}`;
    case 'cut':
      return `a cut connection${after}`;
    case 'hold':
      return 'held until the case ends';
  }
}

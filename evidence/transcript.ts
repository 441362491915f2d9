/**
 * The wire record of one scenario: every HTTP exchange, the figures measured
 * and the notes taken, kept small enough to ship inside summary.json.
 */
import type { Evidence, Figure, HttpExchange } from '../verdicts/model.ts';

/** Exchanges kept in full; later ones are only counted (a 1,000-message run would otherwise bloat every report). */
const DEFAULT_EXCHANGE_CAP = 60;
/** Bodies longer than this are cut; the original size stays in `responseBytes`. */
const BODY_PREVIEW_CHARS = 2048;

/** Cuts a body for the report, saying how much was left out. */
export function previewBody(body: string): string {
  if (body.length <= BODY_PREVIEW_CHARS) return body;
  return `${body.slice(0, BODY_PREVIEW_CHARS)}… (${body.length - BODY_PREVIEW_CHARS} more characters cut)`;
}

export class Transcript {
  /** Origin of every `…AtMs` time: when the scenario started. */
  readonly startedAt = performance.now();
  private readonly exchanges: HttpExchange[] = [];
  private omitted = 0;
  private readonly figures: Figure[] = [];
  private readonly notes: string[] = [];
  private readonly cap: number;

  constructor(cap = DEFAULT_EXCHANGE_CAP) {
    this.cap = cap;
  }

  /** Milliseconds since the scenario started, to 0.1 ms. */
  now(): number {
    return Math.round((performance.now() - this.startedAt) * 10) / 10;
  }

  /** Keeps the exchange, or only counts it once the cap is reached. Returns the kept copy, if any. */
  record(exchange: HttpExchange): HttpExchange | undefined {
    if (this.exchanges.length >= this.cap) {
      this.omitted += 1;
      return undefined;
    }
    this.exchanges.push(exchange);
    return exchange;
  }

  /** A measured figure; the first one recorded is the one the matrix shows. */
  figure(name: string, value: number, unit: string): void {
    this.figures.push({ name, value: Math.round(value * 10) / 10, unit });
  }

  note(text: string): void {
    this.notes.push(text);
  }

  toEvidence(failure?: { expected: string; actual: string }): Evidence {
    return {
      exchanges: this.exchanges,
      omittedExchanges: this.omitted,
      figures: this.figures,
      notes: this.notes,
      ...(failure ? { expected: failure.expected, actual: failure.actual } : {}),
    };
  }
}

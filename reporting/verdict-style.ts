/**
 * How each verdict looks, in one place, so the HTML pages, the markdown
 * summary and the console all say the same thing. Every verdict has a glyph
 * and a word as well as a colour: colour alone would fail colour-blind
 * readers, monochrome printers and plain-text logs.
 */
import type { Verdict } from '../verdicts/model.ts';

/** A verdict; `not-run` is also the state of a cell whose run has no result for the requirement (filtered out, not reached). */
export type CellState = Verdict;

/** Presentation of one {@link CellState}. */
export interface VerdictStyle {
  /** One character, readable without colour. */
  glyph: string;
  /** Short word shown next to the glyph. */
  word: string;
  /** Accent colour (borders, bars) on a light background. */
  colour: string;
  /** Text colour; reaches WCAG AA (4.5:1) on {@link VerdictStyle.background}. */
  text: string;
  /** Light tint behind a cell or badge. */
  background: string;
  /** ANSI SGR code for terminals (e.g. `32` = green). */
  ansi: string;
  /** One sentence for legends. */
  meaning: string;
}

/** The styles, keyed by verdict; iteration order is the order legends list them. */
export const VERDICT_STYLES: Readonly<Record<CellState, VerdictStyle>> = {
  pass: {
    glyph: '✔', word: 'pass', colour: '#1a7f37', text: '#1a7f37', background: '#eefbf1', ansi: '32',
    meaning: 'The requirement held.',
  },
  'non-strict': {
    glyph: '⚠', word: 'non-strict', colour: '#9a6700', text: '#9a6700', background: '#fff8e1', ansi: '33',
    meaning: 'A SHOULD or MAY did not hold: still conformant, unless run with --strict.',
  },
  fail: {
    glyph: '✗', word: 'fail', colour: '#cf222e', text: '#cf222e', background: '#fff0ef', ansi: '31',
    meaning: 'A MUST did not hold: the server does not conform.',
  },
  informational: {
    glyph: 'ℹ', word: 'info', colour: '#0969da', text: '#0969da', background: '#eef6ff', ansi: '34',
    meaning: 'A MAY was measured; the figure is what matters.',
  },
  unsupported: {
    // #6e7781 text drops below 4.5:1 on a grey tint, so the text is a shade darker.
    glyph: '–', word: 'unsupported', colour: '#6e7781', text: '#57606a', background: '#f6f8fa', ansi: '90',
    meaning: 'The adapter does not declare the technique or capability this needs.',
  },
  'not-run': {
    glyph: '·', word: 'not run', colour: '#6e7781', text: '#57606a', background: '#ffffff', ansi: '90',
    meaning: 'This run did not judge the requirement: it stopped first (the reason is given), or did not include it.',
  },
};

/** The glyph of a verdict, e.g. `✔`. */
export function verdictGlyph(state: CellState): string {
  return VERDICT_STYLES[state].glyph;
}

/** The short word of a verdict, e.g. `info` for `informational`. */
export function verdictWord(state: CellState): string {
  return VERDICT_STYLES[state].word;
}

/** Glyph and word together, e.g. `✗ fail`: the form every report shows. */
export function verdictLabel(state: CellState): string {
  const style = VERDICT_STYLES[state];
  return `${style.glyph} ${style.word}`;
}

/** The accent colour of a verdict (a CSS hex colour). */
export function verdictColour(state: CellState): string {
  return VERDICT_STYLES[state].colour;
}

/**
 * Terminal styles (ECMA-48 SGR sequences) for the check's text report, or none: whether to
 * colour is the caller's decision (src/cli/terminal.ts reads the TTY, NO_COLOR and FORCE_COLOR).
 * Each style closes with its own reset (22 bold/faint off, 39 default colour), never a full
 * reset, so styles nest.
 */
import type { Severity } from '../finding.js';

/** ECMA-48 §8.3.117: the SGR parameters that turn a style on and off. */
const SGR = {
  bold: ['1', '22'],
  red: ['31', '39'],
  boldRed: ['1;31', '22;39'],
  yellow: ['33', '39'],
  cyan: ['36', '39'],
  faint: ['2', '22'],
} as const;

type SgrName = keyof typeof SGR;

/** Critical stands out most; info recedes. Red/yellow/cyan are in every 16-colour palette. */
const SEVERITY_STYLE: Readonly<Record<Severity, SgrName>> = {
  critical: 'boldRed',
  high: 'red',
  medium: 'yellow',
  low: 'cyan',
  info: 'faint',
};

export interface TextStyle {
  readonly bold: (text: string) => string;
  readonly severity: (severity: Severity, text: string) => string;
}

function sgr(name: SgrName, text: string): string {
  const [on, off] = SGR[name];
  return `\u001b[${on}m${text}\u001b[${off}m`;
}

/** The styles to print with: SGR sequences when `colour`, else the text as it is. */
export function textStyle(colour: boolean): TextStyle {
  if (!colour) return { bold: (text) => text, severity: (_severity, text) => text };
  return {
    bold: (text) => sgr('bold', text),
    severity: (severity, text) => sgr(SEVERITY_STYLE[severity], text),
  };
}

/**
 * Explains a difference between two byte strings of the same length by where it lies: every
 * differing run inside an absolute path embedded in both (a build directory, `__FILE__`), or
 * inside a date or time embedded in both (`__DATE__`, `__TIME__`, a `uname -v` stamp). Anything
 * else, or strings of different lengths, is `content`: a path of another length moves every
 * byte after it, and nospy does not guess at what moved.
 */
import type { Cause } from './classification.js';

/** Compared in blocks first, so identical stretches cost a memcmp, not a loop in JavaScript. */
const BLOCK = 4096;
/** Past this many differing runs the difference is not a few embedded strings. */
const MAX_RUNS = 4096;
/** The longest embedded string looked at around a run. */
const MAX_STRING = 4096;

const MONTH = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
/**
 * Dates and times as builds embed them: ISO 8601 (`2026-01-31`, `2026-01-31T12:00:00Z`),
 * `__DATE__` (`Jan 31 2026`), `__TIME__` (`12:00:00`), date(1) (`Sat Jan 31 12:00:00 UTC 2026`)
 * and compact stamps (`20260131`, `20260131120000`).
 */
const TIMESTAMP = new RegExp(
  [
    `${DAY} ${MONTH} [ \\d]\\d \\d{2}:\\d{2}:\\d{2}(?: [A-Z]{3,5})? \\d{4}`,
    `\\d{4}-\\d{2}-\\d{2}(?:[T ]\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?(?:Z|[+-]\\d{2}:?\\d{2})?)?`,
    `${MONTH} [ \\d]\\d \\d{4}`,
    `\\d{2}:\\d{2}:\\d{2}`,
    `\\b20\\d{6}(?:\\d{4,6})?\\b`,
  ].join('|'),
  'g',
);
/** An absolute path of at least two components. */
const PATH = /\/[\w.+@~-]+(?:\/[\w.+@~-]*)+/g;

export interface ByteRun {
  readonly start: number;
  readonly end: number;
}

/** The runs of positions where `a` and `b` (same length) differ; undefined past `MAX_RUNS`. */
export function differingRuns(a: Buffer, b: Buffer): ByteRun[] | undefined {
  const runs: ByteRun[] = [];
  let open: number | undefined;
  for (let block = 0; block < a.length; block += BLOCK) {
    const end = Math.min(block + BLOCK, a.length);
    if (open === undefined && a.subarray(block, end).equals(b.subarray(block, end))) continue;
    for (let i = block; i < end; i += 1) {
      if (a[i] !== b[i]) {
        open ??= i;
      } else if (open !== undefined) {
        runs.push({ start: open, end: i });
        open = undefined;
        if (runs.length > MAX_RUNS) return undefined;
      }
    }
  }
  if (open !== undefined) runs.push({ start: open, end: a.length });
  return runs;
}

const printable = (byte: number | undefined): boolean =>
  byte !== undefined && byte >= 0x20 && byte < 0x7f;

/** The printable string around a run, and where the run sits in it; undefined if not text. */
function stringAround(
  buf: Buffer,
  run: ByteRun,
): { text: string; start: number; end: number } | undefined {
  for (let i = run.start; i < run.end; i += 1) if (!printable(buf[i])) return undefined;
  let from = run.start;
  while (from > 0 && run.start - from < MAX_STRING && printable(buf[from - 1])) from -= 1;
  let to = run.end;
  while (to < buf.length && to - run.end < MAX_STRING && printable(buf[to])) to += 1;
  return { text: buf.toString('latin1', from, to), start: run.start - from, end: run.end - from };
}

/** True when a match of `pattern` in `text` covers [start, end). */
function covered(pattern: RegExp, text: string, start: number, end: number): boolean {
  for (const match of text.matchAll(pattern)) {
    if (match.index <= start && match.index + match[0].length >= end) return true;
  }
  return false;
}

/**
 * The causes that explain the difference between `a` and `b`: `embedded-path`,
 * `embedded-timestamp`, or `content` when a run is explained by neither (or the lengths differ).
 */
export function explainByteRuns(a: Buffer, b: Buffer): Set<Cause> {
  if (a.length !== b.length) return new Set(['content']);
  const runs = differingRuns(a, b);
  if (runs === undefined) return new Set(['content']);
  const causes = new Set<Cause>();
  for (const run of runs) {
    const sa = stringAround(a, run);
    const sb = stringAround(b, run);
    if (sa === undefined || sb === undefined) return new Set(['content']);
    if (
      covered(TIMESTAMP, sa.text, sa.start, sa.end) &&
      covered(TIMESTAMP, sb.text, sb.start, sb.end)
    )
      causes.add('embedded-timestamp');
    else if (covered(PATH, sa.text, sa.start, sa.end) && covered(PATH, sb.text, sb.start, sb.end))
      causes.add('embedded-path');
    else return new Set(['content']);
  }
  return causes;
}

/**
 * Plain-text layout for the terminal: data made printable, and paragraphs wrapped to a width at
 * spaces with a hanging indent. Pure; widths are in columns, counted as code points.
 */

// C0 and C1 controls (ESC, CSI, BEL…) and the bidirectional overrides and isolates: a vendor
// name, image path or flow field is data from others, and in a terminal these would recolour,
// move the cursor or reorder what the analyst reads (CVE-2021-42574, "Trojan Source").
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

/**
 * `text` safe to print: runs of white space become one space, and every other control or
 * bidirectional formatting character is shown as its escape (`\x1b`, `\u202e`), not obeyed.
 */
export function printable(text: string): string {
  return text.replace(/[\t\n\v\f\r ]+/g, ' ').replace(UNPRINTABLE, (c) => {
    const code = c.codePointAt(0) ?? 0;
    return code <= 0xff
      ? `\\x${code.toString(16).padStart(2, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** Columns `text` takes (code points: the report's data is treated as narrow characters). */
export function columns(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/**
 * The words of `text` in lines of at most `first` columns (the first line) and `rest` columns
 * (the others). Lines break at spaces only: a word longer than a line is never cut, it takes a
 * line of its own and overflows it (a digest or a path split in two cannot be copied).
 */
export function wrapWords(text: string, first: number, rest = first): string[] {
  const words = printable(text)
    .split(' ')
    .filter((w) => w !== '');
  const lines: string[] = [];
  let line = '';
  let used = 0;
  for (const word of words) {
    const width = Math.max(1, lines.length === 0 ? first : rest);
    const size = columns(word);
    if (line === '') {
      line = word;
      used = size;
    } else if (used + 1 + size <= width) {
      line += ` ${word}`;
      used += 1 + size;
    } else {
      lines.push(line);
      line = word;
      used = size;
    }
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines;
}

/**
 * A paragraph laid out at `indent` columns in `width`: the first line after `label` (already
 * styled; `labelColumns` is its printed width), the others at `hang` columns. Each returned line
 * fits `width` unless it holds a single word longer than the room left.
 */
export function hangingParagraph(
  text: string,
  options: {
    readonly width: number;
    readonly indent: number;
    readonly label?: string;
    readonly labelColumns?: number;
    readonly hang: number;
  },
): string[] {
  const { width, indent, hang } = options;
  const label = options.label ?? '';
  const labelColumns = options.labelColumns ?? columns(label);
  const lead = indent + labelColumns;
  const lines = wrapWords(text, width - lead, width - hang);
  return lines.map((line, i) =>
    i === 0
      ? `${' '.repeat(indent)}${label}${line}`.trimEnd()
      : `${' '.repeat(hang)}${line}`.trimEnd(),
  );
}

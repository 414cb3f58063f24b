/**
 * Positions in JSON text, so that a schema error at a JSON pointer can name the line and column
 * in the file. The scan runs only when there are errors to place, and only over text that
 * JSON.parse already accepted.
 */

export interface TextPosition {
  /** 1-based line. */
  readonly line: number;
  /** 1-based column, in UTF-16 code units. */
  readonly column: number;
}

/** Deepest bracket nesting of JSON text (strings skipped); guards JSON.parse's recursion. */
export function jsonNestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i += 1;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth += 1;
      if (depth > max) max = depth;
    } else if (c === 0x7d || c === 0x5d) depth -= 1;
  }
  return max;
}

/** RFC 6901 §3 escaping of one reference token. */
export function escapePointerToken(token: string): string {
  return token.replaceAll('~', '~0').replaceAll('/', '~1');
}

class Scanner {
  i = 0;
  constructor(
    private readonly text: string,
    private readonly wanted: ReadonlySet<string>,
    readonly found: Map<string, number>,
  ) {}

  private skipWhitespace(): void {
    while (this.i < this.text.length && /\s/.test(this.text[this.i] ?? '')) this.i += 1;
  }

  private string(): string {
    const start = this.i;
    this.i += 1;
    while (this.i < this.text.length && this.text[this.i] !== '"') {
      if (this.text[this.i] === '\\') this.i += 1;
      this.i += 1;
    }
    this.i += 1;
    return JSON.parse(this.text.slice(start, this.i)) as string;
  }

  /** Records where each wanted pointer's value begins; stops early once all are found. */
  value(pointer: string): void {
    this.skipWhitespace();
    if (this.wanted.has(pointer)) this.found.set(pointer, this.i);
    const c = this.text[this.i];
    if (c === '{') {
      this.i += 1;
      this.skipWhitespace();
      while (this.text[this.i] !== '}' && this.i < this.text.length) {
        this.skipWhitespace();
        const key = this.string();
        this.skipWhitespace();
        this.i += 1; // ':'
        this.value(`${pointer}/${escapePointerToken(key)}`);
        this.skipWhitespace();
        if (this.text[this.i] === ',') this.i += 1;
        this.skipWhitespace();
      }
      this.i += 1;
    } else if (c === '[') {
      this.i += 1;
      this.skipWhitespace();
      let n = 0;
      while (this.text[this.i] !== ']' && this.i < this.text.length) {
        this.value(`${pointer}/${n}`);
        n += 1;
        this.skipWhitespace();
        if (this.text[this.i] === ',') this.i += 1;
        this.skipWhitespace();
      }
      this.i += 1;
    } else if (c === '"') {
      this.string();
    } else {
      while (this.i < this.text.length && !/[\s,\]}]/.test(this.text[this.i] ?? '')) this.i += 1;
    }
  }
}

/**
 * Finds the line and column where the value at each JSON pointer (RFC 6901) begins. Pointers
 * that do not exist in the text are absent from the result. `text` must be valid JSON.
 */
export function locateJsonPointers(
  text: string,
  pointers: Iterable<string>,
): Map<string, TextPosition> {
  const wanted = new Set(pointers);
  const offsets = new Map<string, number>();
  if (wanted.size > 0) new Scanner(text, wanted, offsets).value('');
  const lineStarts = [0];
  for (let i = 0; i < text.length; i += 1) if (text.charCodeAt(i) === 0x0a) lineStarts.push(i + 1);
  const result = new Map<string, TextPosition>();
  for (const [pointer, offset] of offsets) {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((lineStarts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    result.set(pointer, { line: lo + 1, column: offset - (lineStarts[lo] ?? 0) + 1 });
  }
  return result;
}

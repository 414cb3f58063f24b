/**
 * The one YAML reader: text in, a document with its positions out (pure, no I/O). A document is
 * kept with its line counter, so that a problem found after parsing (by a schema or a linter) can
 * be reported at the file:line:column of the value at fault. Each domain turns a syntax problem
 * into its own error code; config, statements, MUD, policy and inventory files all read here.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';

export interface YamlSource {
  readonly file: string;
  readonly doc: Document;
  readonly lines: LineCounter;
}

/** The first syntax error of a document, with its position. */
export interface YamlSyntaxProblem {
  readonly where: string;
  readonly message: string;
}

/**
 * Parses YAML 1.2 text (JSON is a subset) keeping positions; duplicate keys are errors. `file`
 * only names the text in positions (`file:line:column`); nothing is read.
 */
export function parseYamlSource(
  text: string,
  file: string,
): { source: YamlSource; syntax?: YamlSyntaxProblem } {
  const lines = new LineCounter();
  const deep = nestingPastLimit(text);
  if (deep !== undefined) {
    const empty = parseDocument('', { lineCounter: new LineCounter() });
    return {
      source: { file, doc: empty, lines },
      syntax: {
        where: `${file}:${deep.line}:${deep.column}`,
        message: `nested more than ${MAX_YAML_DEPTH} levels deep`,
      },
    };
  }
  let doc: Document;
  try {
    doc = parseDocument(text, {
      lineCounter: lines,
      prettyErrors: false,
      uniqueKeys: true,
    });
  } catch (error) {
    // The composer recurses once per level of nesting: 50,000 '[' exhaust the stack.
    if (!(error instanceof RangeError)) throw error;
    const empty = parseDocument('', { lineCounter: new LineCounter() });
    return { source: { file, doc: empty, lines }, syntax: tooDeep(file) };
  }
  const source = { file, doc, lines };
  const error = doc.errors[0];
  if (error === undefined) return { source };
  const pos = lines.linePos(error.pos[0]);
  return {
    source,
    syntax: {
      where: `${file}:${pos.line}:${pos.col}`,
      message: error.message.split('\n')[0] ?? error.message,
    },
  };
}

/**
 * The deepest nesting read. The parser recurses once per level (it gives up near 800 with a
 * stack overflow, after seconds): no configuration, statement, pack or inventory comes close.
 */
export const MAX_YAML_DEPTH = 256;

/**
 * Where the text first nests deeper than MAX_YAML_DEPTH, by a cheap upper bound counted before
 * parsing: open flow collections (`[`, `{` outside quoted scalars and comments) plus, on each
 * line, its indentation and compact block indicators (`- - - x`). A bound, not a parse: it may
 * count a level the parser would not, never miss one.
 */
export function nestingPastLimit(text: string): { line: number; column: number } | undefined {
  let flow = 0;
  let line = 1;
  let lineStart = 0;
  let block = 0;
  let atLineStart = true;
  let tokenStart = true;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) {
      line += 1;
      lineStart = i + 1;
      block = 0;
      atLineStart = true;
      tokenStart = true;
      continue;
    }
    if (atLineStart) {
      if (c === 0x20 || c === 0x09) {
        block += 1;
      } else if ((c === 0x2d || c === 0x3f || c === 0x3a) && isSpace(text.charCodeAt(i + 1))) {
        block += 2; // "- ", "? ", ": " each open a level
        i += 1;
      } else {
        atLineStart = false;
      }
      if (block + flow > MAX_YAML_DEPTH) return { line, column: i - lineStart + 1 };
      if (atLineStart) continue;
    }
    if (tokenStart && (c === 0x22 || c === 0x27)) {
      const end = closingQuote(text, i, c);
      for (let j = i + 1; j < end; j += 1) {
        if (text.charCodeAt(j) === 0x0a) {
          line += 1;
          lineStart = j + 1;
        }
      }
      i = end;
      tokenStart = false;
      continue;
    }
    if (c === 0x23 && tokenStart) {
      while (i + 1 < text.length && text.charCodeAt(i + 1) !== 0x0a) i += 1;
      continue;
    }
    if (c === 0x5b || c === 0x7b) {
      flow += 1;
      if (block + flow > MAX_YAML_DEPTH) return { line, column: i - lineStart + 1 };
    } else if ((c === 0x5d || c === 0x7d) && flow > 0) {
      flow -= 1;
    }
    tokenStart = isSpace(c) || c === 0x5b || c === 0x7b || c === 0x2c || c === 0x3a;
  }
  return undefined;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || Number.isNaN(c);
}

/** The index of the quote closing the scalar opened at `start` (the text's end if none). */
function closingQuote(text: string, start: number, quote: number): number {
  for (let i = start + 1; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (quote === 0x22 && c === 0x5c) i += 1;
    else if (c === quote) {
      if (quote === 0x27 && text.charCodeAt(i + 1) === 0x27) i += 1;
      else return i;
    }
  }
  return text.length;
}

/** Aliases a document may expand by default: enough for honest anchors, far from a bomb. */
export const DEFAULT_MAX_ALIAS_COUNT = 100;

/**
 * The document's value as plain data, or the problem that stopped it: an alias bomb (YAML's
 * "billion laughs", aliases of aliases expanding to billions of nodes) or nesting deeper than the
 * stack. Each domain turns the problem into its own syntax error.
 */
export function yamlValue(
  source: YamlSource,
  maxAliasCount = DEFAULT_MAX_ALIAS_COUNT,
): { readonly value: unknown } | { readonly problem: YamlSyntaxProblem } {
  try {
    return { value: source.doc.toJS({ maxAliasCount }) };
  } catch (error) {
    if (error instanceof RangeError) return { problem: tooDeep(source.file) };
    if (error instanceof ReferenceError) {
      return {
        problem: {
          where: source.file,
          message: `its aliases expand to more than ${maxAliasCount} nodes (an alias bomb?): ${error.message}`,
        },
      };
    }
    throw error;
  }
}

function tooDeep(file: string): YamlSyntaxProblem {
  return { where: file, message: 'nested too deeply to read' };
}

/**
 * `file:line:column` of the value at `path` (keys and sequence indices); the deepest node the
 * document has along the path when the value itself is missing. With `key`, the position of that
 * key inside the mapping at `path` (for an unknown field). With `scalarAtKey`, a scalar value is
 * located at its key instead ("field: value" reads best from its name).
 */
export function positionOf(
  source: YamlSource,
  path: readonly PropertyKey[],
  key?: string,
  options: { readonly scalarAtKey?: boolean } = {},
): string {
  let node: unknown = source.doc.contents;
  let offset = rangeStart(node) ?? 0;
  const steps = key === undefined ? path : [...path, key];
  for (let i = 0; i < steps.length; i += 1) {
    const step = steps[i];
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isScalar(item.key) && String(item.key.value) === String(step),
      );
      if (pair === undefined) break;
      const isKey = key !== undefined && i === steps.length - 1;
      const atKey =
        isKey || (options.scalarAtKey === true && (pair.value === null || isScalar(pair.value)));
      offset = atKey
        ? (rangeStart(pair.key) ?? offset)
        : (rangeStart(pair.value) ?? rangeStart(pair.key) ?? offset);
      node = pair.value;
    } else if (isSeq(node) && typeof step === 'number') {
      const item: unknown = node.items[step];
      if (item === undefined) break;
      offset = rangeStart(item) ?? offset;
      node = item;
    } else {
      break;
    }
  }
  const pos = source.lines.linePos(offset);
  return `${source.file}:${pos.line}:${pos.col}`;
}

function rangeStart(node: unknown): number | undefined {
  if (typeof node !== 'object' || node === null || !('range' in node)) return undefined;
  const range = (node as { range?: readonly number[] | null }).range;
  return range?.[0];
}

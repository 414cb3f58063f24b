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
  const doc = parseDocument(text, {
    lineCounter: lines,
    prettyErrors: false,
    uniqueKeys: true,
  });
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

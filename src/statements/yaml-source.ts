/**
 * A YAML document read with positions, so that every problem found later (by zod, or by a key
 * that does not parse) is reported as `file:line:column`.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { StatementError, type StatementErrorCode } from './errors.js';

export interface YamlSource {
  readonly file: string;
  readonly doc: Document;
  readonly lines: LineCounter;
}

/** Parses YAML text; a syntax error throws `code` naming file:line:column. */
export function parseYamlSource(text: string, file: string, code: StatementErrorCode): YamlSource {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const syntax = doc.errors[0];
  if (syntax !== undefined) {
    const pos = lines.linePos(syntax.pos[0]);
    const where = `${file}:${pos.line}:${pos.col}`;
    throw new StatementError(code, `${where}: ${syntax.message.split('\n')[0] ?? ''}`, { where });
  }
  return { file, doc, lines };
}

/**
 * `file:line:column` of the deepest node along `path` that the document has; a trailing key the
 * document lacks (a missing field) points at its parent mapping, an unknown key at that key.
 */
export function locate(source: YamlSource, path: readonly (string | number)[]): string {
  let node: unknown = source.doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isScalar(item.key) && String(item.key.value) === String(segment),
      );
      if (pair === undefined) break;
      offset = rangeStart(pair.value) ?? rangeStart(pair.key) ?? offset;
      if (pair.value === null || isScalar(pair.value)) {
        // Point at the key of a scalar: "field: value" reads best from its name.
        offset = rangeStart(pair.key) ?? offset;
      }
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item: unknown = node.items[segment];
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

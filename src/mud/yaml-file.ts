import { readFileSync } from 'node:fs';
import { isCollection, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { MudError, type MudErrorCode } from './errors.js';

/**
 * Parses YAML text and validates it with a zod schema; every problem is reported at once, each
 * as `source:line:column: field: message`, under the given error code.
 */
export function parseYamlWith<S extends z.ZodType>(
  text: string,
  source: string,
  schema: S,
  code: MudErrorCode,
): z.output<S> {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const syntax = doc.errors[0];
  if (syntax !== undefined) {
    const pos = lines.linePos(syntax.pos[0]);
    const where = `${source}:${pos.line}:${pos.col}`;
    throw new MudError(code, `${where}: ${syntax.message.split('\n')[0] ?? ''}`, { where });
  }
  const result = schema.safeParse(doc.toJS({ maxAliasCount: 100 }) ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    const extra = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
    const pos = lines.linePos(offsetOf(doc, path, extra));
    const where = `${source}:${pos.line}:${pos.col}`;
    const field = path.join('.');
    const message =
      issue.code === 'unrecognized_keys'
        ? `unknown field ${issue.keys.map((k) => `"${field === '' ? '' : `${field}.`}${k}"`).join(', ')}`
        : `${field === '' ? 'document' : `field "${field}"`}: ${issue.message}`;
    return { where, text: `${where}: ${message}` };
  });
  throw new MudError(code, problems.map((p) => p.text).join('\n'), {
    where: problems[0]?.where ?? source,
  });
}

/** Reads a YAML file of at most `maxBytes` and validates it; see {@link parseYamlWith}. */
export function loadYamlWith<S extends z.ZodType>(
  file: string,
  schema: S,
  code: MudErrorCode,
  maxBytes: number,
): z.output<S> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new MudError('MUD_UNREADABLE', `${file}: cannot read: ${(error as Error).message}`, {
      where: file,
      cause: error,
    });
  }
  if (bytes.length > maxBytes) {
    throw new MudError(code, `${file}: ${bytes.length} bytes, more than the ${maxBytes} allowed`, {
      where: file,
    });
  }
  return parseYamlWith(bytes.toString('utf8'), file, schema, code);
}

/** The offset of the deepest node along `path` that the document has (of `extraKey` itself when given). */
function offsetOf(doc: Document, path: readonly (string | number)[], extraKey?: string): number {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  const full = extraKey === undefined ? path : [...path, extraKey];
  for (const [index, segment] of full.entries()) {
    if (!isCollection(node)) break;
    const items = node.items as unknown[];
    let next: unknown;
    if (typeof segment === 'number') {
      next = items[segment];
      offset = rangeStart(next) ?? offset;
    } else {
      const pair = items.find(
        (item): item is { key: unknown; value: unknown } =>
          typeof item === 'object' &&
          item !== null &&
          'key' in item &&
          String((item.key as { value?: unknown } | null)?.value) === segment,
      );
      if (pair === undefined) break;
      next = pair.value;
      offset = rangeStart(pair.value) ?? rangeStart(pair.key) ?? offset;
      if (extraKey !== undefined && index === full.length - 1)
        offset = rangeStart(pair.key) ?? offset;
    }
    node = next;
  }
  return offset;
}

function rangeStart(node: unknown): number | undefined {
  if (typeof node !== 'object' || node === null || !('range' in node)) return undefined;
  return (node as { range?: readonly number[] | null }).range?.[0];
}

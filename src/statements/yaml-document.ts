/**
 * Statement and trust files read with positions (the one YAML reader, src/yaml/source.ts): a
 * syntax error throws the caller's statement error code, and every later problem is located as
 * `file:line:column`.
 */
import { parseYamlSource, positionOf, yamlValue, type YamlSource } from '../yaml/source.js';
import { StatementError, type StatementErrorCode } from './errors.js';

export type { YamlSource };

/** Parses YAML text; a syntax error throws `code` naming file:line:column. */
export function parseStatementYaml(
  text: string,
  file: string,
  code: StatementErrorCode,
): YamlSource {
  const { source, syntax } = parseYamlSource(text, file);
  if (syntax !== undefined) {
    throw new StatementError(code, `${syntax.where}: ${syntax.message}`, { where: syntax.where });
  }
  return source;
}

/** The document's value; an alias bomb or nesting too deep throws `code`. */
export function statementYamlValue(source: YamlSource, code: StatementErrorCode): unknown {
  const read = yamlValue(source);
  if ('problem' in read) {
    const { where, message } = read.problem;
    throw new StatementError(code, `${where}: ${message}`, { where });
  }
  return read.value;
}

/**
 * `file:line:column` of the deepest node along `path` that the document has; a trailing key the
 * document lacks (a missing field) points at its parent mapping, a scalar at its key.
 */
export function locate(source: YamlSource, path: readonly (string | number)[]): string {
  return positionOf(source, path, undefined, { scalarAtKey: true });
}

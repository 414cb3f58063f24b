/**
 * MUD inputs written as YAML (the operator context, the device map, access grants) parsed and
 * validated from text; reading them from files is the loader's job (`load.ts`).
 */
import type { z } from 'zod';
import { parseYamlSource, positionOf, yamlValue } from '../yaml/source.js';
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
  const { source: doc, syntax } = parseYamlSource(text, source);
  if (syntax !== undefined) {
    throw new MudError(code, `${syntax.where}: ${syntax.message}`, { where: syntax.where });
  }
  const read = yamlValue(doc);
  if ('problem' in read) {
    const { where, message } = read.problem;
    throw new MudError(code, `${where}: ${message}`, { where });
  }
  const result = schema.safeParse(read.value ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    const extra = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
    const where = positionOf(doc, path, extra);
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

import type { Deviation } from './model.js';
import { parsePurl } from './purl.js';

/** The deviations a component's purl carries: malformed or recovered only by leniency. */
export function checkComponentPurl(purl: string, path: string): Deviation[] {
  const { purl: parsed, problems } = parsePurl(purl);
  if (parsed === undefined) {
    return [{ kind: 'purl', path, message: `malformed purl '${purl}': ${problems.join('; ')}` }];
  }
  return problems.map((problem) => ({
    kind: 'purl' as const,
    path,
    message: `purl '${purl}': ${problem}`,
  }));
}

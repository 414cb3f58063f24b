import { KNOWN_BACKDOOR_STRINGS } from '../data/backdoor-strings.js';
import type { Indicator } from './types.js';

const NEEDLES = KNOWN_BACKDOOR_STRINGS.map((entry) => ({
  entry,
  also: entry.alsoRequires === undefined ? undefined : Buffer.from(entry.alsoRequires, 'latin1'),
}));

/** Known back-door strings from public advisories, with the offset of the first occurrence. */
export function knownStringIndicators(
  path: string,
  data: Buffer,
  hits: ReadonlyMap<string, readonly number[]>,
): Indicator[] {
  const found: Indicator[] = [];
  for (const { entry, also } of NEEDLES) {
    const offset = hits.get(entry.text)?.[0];
    if (offset === undefined) continue;
    if (also !== undefined && data.indexOf(also) === -1) continue;
    found.push({
      kind: 'backdoor.known_string',
      rule: entry.id,
      path,
      offset,
      detail: entry.advisory,
      evidence:
        entry.alsoRequires === undefined ? entry.text : `${entry.text} + ${entry.alsoRequires}`,
      advisory: entry.advisory,
      source: entry.source,
    });
  }
  return found;
}

import { KNOWN_BACKDOOR_STRINGS } from '../data/backdoor-strings.js';
import { COMPONENT_ANCHORS } from './components.js';

/** The PEM armour start; each hit is checked for a real key body. */
export const PEM_BEGIN = '-----BEGIN ';

const TOKENS = [
  ...new Set([...KNOWN_BACKDOOR_STRINGS.map((s) => s.text), PEM_BEGIN, ...COMPONENT_ANCHORS]),
];
const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const PATTERN = new RegExp(TOKENS.map(escape).join('|'), 'g');
const LONGEST = Math.max(...TOKENS.map((t) => t.length));

/** Bytes per regex run: bounded so that a 256 MiB file never becomes one 256 MiB string. */
const CHUNK = 1024 * 1024;
/** Hits kept per token and file: enough for every rule, bounded for hostile files. */
const MAX_HITS = 64;

/** Offsets of every content token in a file, by token. */
export type TokenHits = ReadonlyMap<string, readonly number[]>;

/**
 * Finds every token all content rules look for in one pass. One regular expression over the
 * latin1 view (one char per byte, so string offsets are byte offsets) is several times faster
 * than one Buffer#indexOf pass per token; chunks overlap by the longest token so that nothing
 * straddling a boundary is lost, and a hit is counted only in the chunk where it starts.
 */
export function findTokens(data: Buffer): TokenHits {
  const hits = new Map<string, number[]>();
  for (let start = 0; start < data.length; start += CHUNK) {
    const end = Math.min(data.length, start + CHUNK + LONGEST - 1);
    const text = data.toString('latin1', start, end);
    PATTERN.lastIndex = 0;
    for (let match = PATTERN.exec(text); match !== null; match = PATTERN.exec(text)) {
      if (match.index >= CHUNK) break;
      const list = hits.get(match[0]) ?? [];
      if (list.length < MAX_HITS) list.push(start + match.index);
      hits.set(match[0], list);
    }
  }
  return hits;
}

/**
 * A version ordering of one ecosystem. `parse` never throws: a string the ecosystem would reject
 * yields `undefined`, and the matcher then reports the component as unassessed rather than guess.
 */
export interface VersionOrdering<V = unknown> {
  /** The ordering's name as reported in findings (`dpkg`, `semver`, `pep440`, `apk`). */
  readonly name: string;
  parse(version: string): V | undefined;
  /** Negative, zero or positive as `a` sorts before, equal to or after `b`. */
  compare(a: V, b: V): number;
}

/** Compares two strings when both parse; `undefined` when either is not a version here. */
export function compareVersions<V>(
  ordering: VersionOrdering<V>,
  a: string,
  b: string,
): number | undefined {
  const pa = ordering.parse(a);
  const pb = ordering.parse(b);
  if (pa === undefined || pb === undefined) return undefined;
  return ordering.compare(pa, pb);
}

/**
 * Three-way comparison of two non-negative integers given as digit strings of any length
 * (no Number conversion: version components may exceed 2^53). Hot in every ordering, so it
 * skips leading zeros by index instead of building new strings.
 */
export function compareDigitStrings(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && a.charCodeAt(i) === 0x30) i += 1;
  while (j < b.length && b.charCodeAt(j) === 0x30) j += 1;
  const lengthA = a.length - i;
  const lengthB = b.length - j;
  if (lengthA !== lengthB) return lengthA - lengthB;
  for (; i < a.length; i += 1, j += 1) {
    const d = a.charCodeAt(i) - b.charCodeAt(j);
    if (d !== 0) return d;
  }
  return 0;
}

const MAX_CACHED = 200_000;
const parseCaches = new WeakMap<VersionOrdering, Map<string, unknown>>();

/**
 * `ordering.parse` with a memo: advisories repeat the same version strings across records and
 * the matcher asks for them once per component. The memo is dropped when it grows past a bound.
 */
export function parseCached<V>(ordering: VersionOrdering<V>, text: string): V | undefined {
  let cache = parseCaches.get(ordering);
  if (cache === undefined) {
    cache = new Map();
    parseCaches.set(ordering, cache);
  }
  if (cache.has(text)) return cache.get(text) as V | undefined;
  if (cache.size >= MAX_CACHED) cache.clear();
  const parsed = ordering.parse(text);
  cache.set(text, parsed);
  return parsed;
}

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

/** Three-way comparison of two integers given as digit strings of any length. */
export function compareDigitStrings(a: string, b: string): number {
  const x = a.replace(/^0+/, '');
  const y = b.replace(/^0+/, '');
  if (x.length !== y.length) return x.length - y.length;
  return x < y ? -1 : x > y ? 1 : 0;
}

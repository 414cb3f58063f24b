/**
 * Laws every version ordering must obey, shared by the property tests of each ordering: a total
 * preorder (reflexive, antisymmetric in sign, transitive) over whatever parses.
 */
import type { VersionOrdering } from './ordering.js';

const sign = (n: number): number => (n < 0 ? -1 : n > 0 ? 1 : 0);

/** Returns a description of the broken law, or undefined when all hold for these three. */
export function brokenLaw<V>(
  ordering: VersionOrdering<V>,
  a: string,
  b: string,
  c: string,
): string | undefined {
  const pa = ordering.parse(a);
  const pb = ordering.parse(b);
  const pc = ordering.parse(c);
  if (pa === undefined || pb === undefined || pc === undefined) return undefined;
  if (ordering.compare(pa, pa) !== 0) return `${a} is not equal to itself`;
  if (sign(ordering.compare(pa, pb)) !== -sign(ordering.compare(pb, pa)))
    return `${a} vs ${b} is not antisymmetric`;
  if (
    ordering.compare(pa, pb) <= 0 &&
    ordering.compare(pb, pc) <= 0 &&
    ordering.compare(pa, pc) > 0
  ) {
    return `${a} <= ${b} <= ${c} but ${a} > ${c}`;
  }
  return undefined;
}

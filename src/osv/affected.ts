/**
 * Whether one version falls inside one `affected[]` entry of an OSV record, following the OSV
 * schema's "Evaluation" section: explicit `versions[]` first, then each SEMVER/ECOSYSTEM range
 * with the ecosystem's own ordering. A GIT range is in commit space, so a version can be judged
 * against it only through `versions[]`; otherwise the answer is `unassessed`, never a guess.
 */
import type { Affected, AffectedRange, RangeEvent } from './record.js';
import { parseCached, type VersionOrdering } from './versions/ordering.js';
import { semverOrdering } from './versions/semver.js';

export type AffectedStatus = 'affected' | 'not_affected' | 'unassessed';

export interface AffectedVerdict {
  readonly status: AffectedStatus;
  /** Why: which list or range decided, or what could not be assessed. */
  readonly reason: string;
  /** The range that matched (for `affected` by range). */
  readonly range: AffectedRange | undefined;
}

/** `introduced 0 · fixed 1.2.3` — a range as text for reports. */
export function describeRange(range: AffectedRange): string {
  const events = range.events.map((e) => `${e.kind} ${e.version}`);
  return `${range.type}${range.repo === undefined ? '' : ` ${range.repo}`}: ${events.join(' · ')}`;
}

type RangeOutcome = 'in' | 'out' | 'unparseable';

/**
 * OSV schema "Evaluation": walk the events in version order; `introduced` opens, `fixed` closes
 * at the version, `last_affected` closes after it; a `limit` bounds the whole range from above.
 * Introduced "0" is below every version.
 */
function inRange<V>(version: V, range: AffectedRange, ordering: VersionOrdering<V>): RangeOutcome {
  const parsed: { event: RangeEvent; v: V | 'zero' }[] = [];
  for (const event of range.events) {
    const text = event.version;
    if (event.kind === 'introduced' && text === '0') {
      parsed.push({ event, v: 'zero' });
      continue;
    }
    const v = parseCached(ordering, text);
    if (v === undefined) return 'unparseable';
    parsed.push({ event, v });
  }
  const cmp = (a: V | 'zero', b: V | 'zero'): number =>
    a === 'zero' ? (b === 'zero' ? 0 : -1) : b === 'zero' ? 1 : ordering.compare(a, b);
  const limits = parsed.filter((p) => p.event.kind === 'limit');
  if (limits.length > 0 && limits.every((p) => cmp(version, p.v) >= 0)) return 'out';
  const sorted = parsed.filter((p) => p.event.kind !== 'limit').sort((a, b) => cmp(a.v, b.v));
  let affected = false;
  for (const { event, v } of sorted) {
    const c = cmp(version, v);
    if (event.kind === 'introduced') {
      if (c >= 0) affected = true;
    } else if (event.kind === 'fixed') {
      if (c >= 0) affected = false;
    } else if (event.kind === 'last_affected') {
      if (c > 0) affected = false;
    }
  }
  return affected ? 'in' : 'out';
}

/**
 * Judges one version against one affected entry. `ordering` is the ecosystem's ordering for
 * ECOSYSTEM ranges (undefined when nospy has none for it: then only `versions[]` can decide).
 */
export function judgeAffected(
  version: string,
  affected: Affected,
  ordering: VersionOrdering | undefined,
): AffectedVerdict {
  const exact = (o: VersionOrdering | undefined): boolean => {
    if (affected.versions.includes(version)) return true;
    if (o === undefined) return false;
    const v = parseCached(o, version);
    return (
      v !== undefined &&
      affected.versions.some((w) => {
        const pw = parseCached(o, w);
        return pw !== undefined && o.compare(v, pw) === 0;
      })
    );
  };
  if (exact(ordering)) {
    return {
      status: 'affected',
      reason: `version ${version} is listed in versions[]`,
      range: undefined,
    };
  }
  let unassessed: string | undefined;
  let gitOnly: string | undefined;
  let evaluated = false;
  for (const range of affected.ranges) {
    if (range.type === 'GIT') {
      gitOnly ??= `GIT range ${range.repo ?? ''} needs commit analysis, and versions[] does not list ${version}`;
      continue;
    }
    const o = range.type === 'SEMVER' ? (semverOrdering as VersionOrdering) : ordering;
    if (o === undefined) {
      unassessed ??= `no version ordering for this ecosystem, and versions[] does not list ${version}`;
      continue;
    }
    const v = parseCached(o, version);
    if (v === undefined) {
      unassessed ??= `version ${version} is not a valid ${o.name} version`;
      continue;
    }
    const outcome = inRange(v, range, o);
    if (outcome === 'in') {
      return {
        status: 'affected',
        reason: `version ${version} is in ${describeRange(range)}`,
        range,
      };
    }
    if (outcome === 'unparseable')
      unassessed ??= `the range has a version that is not valid ${o.name}`;
    else evaluated = true;
  }
  // A GIT range decides nothing by version; it leaves the answer open only when no
  // SEMVER/ECOSYSTEM range of the same entry could be evaluated.
  if (!evaluated && gitOnly !== undefined) unassessed ??= gitOnly;
  if (unassessed !== undefined)
    return { status: 'unassessed', reason: unassessed, range: undefined };
  return {
    status: 'not_affected',
    reason: `version ${version} is outside every range`,
    range: undefined,
  };
}

/**
 * Whether one version falls inside one `affected[]` entry of an OSV record, following the OSV
 * schema's "Evaluation" section: explicit `versions[]` first, then each SEMVER/ECOSYSTEM range
 * with the ecosystem's own ordering. A GIT range is in commit space, so a version can be judged
 * against it only through `versions[]`; otherwise the answer is `unassessed`, never a guess.
 *
 * An entry is judged in a compiled form (`compileAffected`): its versions parsed and sorted, its
 * ranges' events parsed and sorted, once. The advisory index keeps that form beside the entry,
 * so a component costs comparisons only, not parsing, sorting or allocation.
 */
import type { Affected, AffectedRange, EventKind } from './record.js';
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

// A range is quoted by every finding it decides: its text is made once.
const rangeTexts = new WeakMap<AffectedRange, string>();

/** `introduced 0 · fixed 1.2.3` — a range as text for reports. */
export function describeRange(range: AffectedRange): string {
  let text = rangeTexts.get(range);
  if (text === undefined) {
    const events = range.events.map((e) => `${e.kind} ${e.version}`);
    text = `${range.type}${range.repo === undefined ? '' : ` ${range.repo}`}: ${events.join(' · ')}`;
    rangeTexts.set(range, text);
  }
  return text;
}

/**
 * The version being judged, parsed at most once per ordering: a component meets many entries of
 * the same ecosystem, and each would otherwise look its version up in the parse memo again.
 */
export class JudgedVersion {
  readonly text: string;
  #ordering: VersionOrdering | undefined;
  #parsed: unknown;
  #other: Map<VersionOrdering, unknown> | undefined;

  constructor(text: string) {
    this.text = text;
  }

  /** The version parsed in `ordering`; undefined when it is not valid there. */
  in(ordering: VersionOrdering): unknown {
    if (ordering === this.#ordering) return this.#parsed;
    if (this.#ordering === undefined) {
      this.#ordering = ordering;
      this.#parsed = parseCached(ordering, this.text);
      return this.#parsed;
    }
    this.#other ??= new Map();
    if (!this.#other.has(ordering)) this.#other.set(ordering, parseCached(ordering, this.text));
    return this.#other.get(ordering);
  }
}

const judged = (version: string | JudgedVersion): JudgedVersion =>
  typeof version === 'string' ? new JudgedVersion(version) : version;

/** A range's event version, parsed once; introduced "0" is below every version. */
type Bound = unknown;
const ZERO: unique symbol = Symbol('introduced 0');

/** One range, ready to walk: events in version order, limits apart. */
interface CompiledRange {
  readonly range: AffectedRange;
  readonly type: AffectedRange['type'];
  /** SEMVER ranges use semver; ECOSYSTEM ranges the ecosystem's; undefined: none known. */
  readonly ordering: VersionOrdering | undefined;
  /** True when one of the range's versions is not valid in its ordering. */
  readonly unparseable: boolean;
  readonly sorted: readonly { readonly kind: EventKind; readonly v: Bound }[];
  readonly limits: readonly Bound[];
}

/** An affected entry compiled for judging. */
export interface CompiledAffected {
  readonly affected: Affected;
  readonly ordering: VersionOrdering | undefined;
  /** versions[] as text: most matches are exact. */
  readonly listedText: ReadonlySet<string>;
  /** versions[] parsed and sorted, for versions equal under the ordering (`1.0`, `0:1.0`). */
  readonly listedSorted: readonly unknown[];
  readonly ranges: readonly CompiledRange[];
}

function compareBound(ordering: VersionOrdering, a: Bound, b: Bound): number {
  if (a === ZERO) return b === ZERO ? 0 : -1;
  return b === ZERO ? 1 : ordering.compare(a, b);
}

function compileRange(range: AffectedRange, ordering: VersionOrdering | undefined): CompiledRange {
  const o = range.type === 'SEMVER' ? (semverOrdering as VersionOrdering) : ordering;
  const base = { range, type: range.type, ordering: o };
  if (o === undefined || range.type === 'GIT')
    return { ...base, unparseable: false, sorted: [], limits: [] };
  const parsed: { kind: EventKind; v: Bound }[] = [];
  for (const event of range.events) {
    const v =
      event.kind === 'introduced' && event.version === '0' ? ZERO : parseCached(o, event.version);
    if (v === undefined) return { ...base, unparseable: true, sorted: [], limits: [] };
    parsed.push({ kind: event.kind, v });
  }
  return {
    ...base,
    unparseable: false,
    limits: parsed.filter((p) => p.kind === 'limit').map((p) => p.v),
    sorted: parsed.filter((p) => p.kind !== 'limit').sort((a, b) => compareBound(o, a.v, b.v)),
  };
}

/** Compiles an entry for `ordering`, the ordering of its ECOSYSTEM ranges. */
export function compileAffected(
  affected: Affected,
  ordering: VersionOrdering | undefined,
): CompiledAffected {
  const listedSorted: unknown[] = [];
  if (ordering !== undefined) {
    for (const w of affected.versions) {
      const pw = parseCached(ordering, w);
      if (pw !== undefined) listedSorted.push(pw);
    }
    listedSorted.sort((a, b) => ordering.compare(a, b));
  }
  return {
    affected,
    ordering,
    listedText: new Set(affected.versions),
    listedSorted,
    ranges: affected.ranges.map((r) => compileRange(r, ordering)),
  };
}

type RangeOutcome = 'in' | 'out' | 'unparseable';

/**
 * OSV schema "Evaluation": walk the events in version order; `introduced` opens, `fixed` closes
 * at the version, `last_affected` closes after it; a `limit` bounds the whole range from above.
 */
function inRange(version: Bound, range: CompiledRange, ordering: VersionOrdering): RangeOutcome {
  if (range.unparseable) return 'unparseable';
  const { limits } = range;
  if (limits.length > 0 && limits.every((l) => compareBound(ordering, version, l) >= 0))
    return 'out';
  let affected = false;
  for (const { kind, v } of range.sorted) {
    const c = compareBound(ordering, version, v);
    if (kind === 'introduced') {
      if (c >= 0) affected = true;
    } else if (kind === 'fixed') {
      if (c >= 0) affected = false;
    } else if (kind === 'last_affected') {
      if (c > 0) affected = false;
    }
  }
  return affected ? 'in' : 'out';
}

function listed(version: JudgedVersion, entry: CompiledAffected): boolean {
  if (entry.listedText.has(version.text)) return true;
  const o = entry.ordering;
  const sorted = entry.listedSorted;
  if (o === undefined || sorted.length === 0) return false;
  const v = version.in(o);
  if (v === undefined) return false;
  let low = 0;
  let high = sorted.length - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const c = o.compare(sorted[mid], v);
    if (c === 0) return true;
    if (c < 0) low = mid + 1;
    else high = mid - 1;
  }
  return false;
}

/** `judgeCompiled` on an entry compiled for this call only. */
export function judgeAffected(
  version: string,
  affected: Affected,
  ordering: VersionOrdering | undefined,
): AffectedVerdict {
  return judgeCompiled(version, compileAffected(affected, ordering));
}

/** Judges one version against one compiled affected entry. */
export function judgeCompiled(
  judgedVersion: string | JudgedVersion,
  entry: CompiledAffected,
): AffectedVerdict {
  const query = judged(judgedVersion);
  const version = query.text;
  if (listed(query, entry)) {
    return {
      status: 'affected',
      reason: `version ${version} is listed in versions[]`,
      range: undefined,
    };
  }
  let unassessed: string | undefined;
  let gitOnly: string | undefined;
  let evaluated = false;
  for (const range of entry.ranges) {
    if (range.type === 'GIT') {
      gitOnly ??= `GIT range ${range.range.repo ?? ''} needs commit analysis, and versions[] does not list ${version}`;
      continue;
    }
    const o = range.ordering;
    if (o === undefined) {
      unassessed ??= `no version ordering for this ecosystem, and versions[] does not list ${version}`;
      continue;
    }
    const v = query.in(o);
    if (v === undefined) {
      unassessed ??= `version ${version} is not a valid ${o.name} version`;
      continue;
    }
    const outcome = inRange(v, range, o);
    if (outcome === 'in') {
      return {
        status: 'affected',
        reason: `version ${version} is in ${describeRange(range.range)}`,
        range: range.range,
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

/**
 * Whether `judgeCompiled` would answer anything but `not_affected`, decided the same way but
 * without building its reasons: a component meets many entries and most leave it unaffected,
 * so the matcher asks this first and builds a verdict only for the rest.
 */
export function mayAffect(judgedVersion: string | JudgedVersion, entry: CompiledAffected): boolean {
  const version = judged(judgedVersion);
  if (listed(version, entry)) return true;
  let open = false;
  let git = false;
  let evaluated = false;
  for (const range of entry.ranges) {
    if (range.type === 'GIT') {
      git = true;
      continue;
    }
    const o = range.ordering;
    const v = o === undefined ? undefined : version.in(o);
    if (o === undefined || v === undefined) {
      open = true;
      continue;
    }
    const outcome = inRange(v, range, o);
    if (outcome === 'in') return true;
    if (outcome === 'unparseable') open = true;
    else evaluated = true;
  }
  return open || (!evaluated && git);
}

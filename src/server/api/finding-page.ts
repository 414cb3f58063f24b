/**
 * One page of the findings list: the triage filter, a sort and a window over the filtered list,
 * so a dashboard over a large estate fetches one screen at a time. Pure.
 */
import { SEVERITIES, type Finding } from '../../check/finding.js';
import type { TriageDecision } from '../../check/finding-history.js';

export type TriageFilter =
  'none' | 'acknowledged' | 'false-positive' | 'accepted-risk' | 'suppressed' | 'unsuppressed';
export type FindingSort = 'severity' | 'firstSeen' | 'lastSeen' | 'kind' | 'device' | 'vendor';

export interface FindingPageOptions {
  readonly triage?: TriageFilter | undefined;
  readonly sort?: FindingSort | undefined;
  readonly order?: 'asc' | 'desc' | undefined;
  readonly limit?: number | undefined;
  readonly offset?: number | undefined;
}

const RANK = new Map<string, number>(SEVERITIES.map((s, i) => [s, i]));

/** Suppressed, as Dependency-Track says: hidden from the default view of what to fix. */
function suppressed(decision: TriageDecision | undefined): boolean {
  return decision?.state === 'false-positive' || decision?.state === 'accepted-risk';
}

function matchesTriage(filter: TriageFilter, decision: TriageDecision | undefined): boolean {
  switch (filter) {
    case 'none':
      return decision === undefined;
    case 'suppressed':
      return suppressed(decision);
    case 'unsuppressed':
      return !suppressed(decision);
    case 'acknowledged':
    case 'false-positive':
    case 'accepted-risk':
      return decision?.state === filter;
  }
}

const text = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A finding with its sort keys computed once (a sort of 100,000 compares two million times). */
interface Keyed {
  readonly finding: Finding;
  readonly key: number | string;
  readonly newest: number;
}

const KEY: Record<FindingSort, (f: Finding) => number | string> = {
  severity: (f) => RANK.get(f.severity) ?? 9,
  firstSeen: (f) => Date.parse(f.firstSeen),
  lastSeen: (f) => Date.parse(f.lastSeen),
  kind: (f) => f.kind,
  device: (f) => f.subject.device ?? '',
  vendor: (f) => f.subject.vendor ?? '',
};

/** Sorted orders of one report's findings, computed once per report and sort. */
const SORTED = new WeakMap<readonly Finding[], Map<string, Finding[]>>();

/**
 * The findings in the order asked for: ascending `severity` is the most severe first, then the
 * newest; ties by id, so pages never overlap. Cached per findings array (one per report).
 */
export function sortedFindings(
  findings: readonly Finding[],
  sort?: FindingSort,
  order?: 'asc' | 'desc',
): readonly Finding[] {
  // No sort asked: the report's own order (most severe first, then by kind), sorted by the engine.
  if (sort === undefined && order === undefined) return findings;
  sort ??= 'severity';
  order ??= 'asc';
  let orders = SORTED.get(findings);
  if (orders === undefined) {
    orders = new Map();
    SORTED.set(findings, orders);
  }
  const name = `${sort} ${order}`;
  const cached = orders.get(name);
  if (cached !== undefined) return cached;
  const sign = order === 'desc' ? -1 : 1;
  const key = KEY[sort];
  const keyed: Keyed[] = findings.map((finding) => ({
    finding,
    key: key(finding),
    newest: sort === 'severity' ? -Date.parse(finding.firstSeen) : 0,
  }));
  keyed.sort(
    (a, b) =>
      sign * (a.key < b.key ? -1 : a.key > b.key ? 1 : a.newest - b.newest) ||
      text(a.finding.id, b.finding.id),
  );
  const sorted = keyed.map((k) => k.finding);
  orders.set(name, sorted);
  return sorted;
}

/**
 * The findings (already sorted, `sortedFindings`) the triage filter keeps, cut to the window,
 * with how many the filter kept and their counts by severity.
 */
export function pageFindings(
  findings: readonly Finding[],
  triage: ReadonlyMap<string, TriageDecision>,
  options: FindingPageOptions,
): { page: Finding[]; total: number; bySeverity: Record<string, number> } {
  const filter = options.triage;
  const kept =
    filter === undefined
      ? findings
      : findings.filter((f) => matchesTriage(filter, triage.get(f.id)));
  const bySeverity: Record<string, number> = {};
  for (const f of kept) bySeverity[f.severity] = (bySeverity[f.severity] ?? 0) + 1;
  const offset = options.offset ?? 0;
  const page = kept.slice(offset, options.limit === undefined ? undefined : offset + options.limit);
  return { page, total: kept.length, bySeverity };
}

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

/** Ascending comparators; `severity` ascending is the most severe first, then the newest. */
const COMPARE: Record<FindingSort, (a: Finding, b: Finding) => number> = {
  severity: (a, b) =>
    (RANK.get(a.severity) ?? 9) - (RANK.get(b.severity) ?? 9) || text(b.firstSeen, a.firstSeen),
  firstSeen: (a, b) => text(a.firstSeen, b.firstSeen),
  lastSeen: (a, b) => text(a.lastSeen, b.lastSeen),
  kind: (a, b) => text(a.kind, b.kind),
  device: (a, b) => text(a.subject.device ?? '', b.subject.device ?? ''),
  vendor: (a, b) => text(a.subject.vendor ?? '', b.subject.vendor ?? ''),
};

/**
 * The findings the triage filter keeps, sorted (ties by id, so pages never overlap) and cut to
 * the window, with how many the filter kept and their counts by severity.
 */
export function pageFindings(
  findings: readonly Finding[],
  triage: ReadonlyMap<string, TriageDecision>,
  options: FindingPageOptions,
): { page: Finding[]; total: number; bySeverity: Record<string, number> } {
  const filter = options.triage;
  const kept =
    filter === undefined
      ? [...findings]
      : findings.filter((f) => matchesTriage(filter, triage.get(f.id)));
  const compare = COMPARE[options.sort ?? 'severity'];
  const sign = options.order === 'desc' ? -1 : 1;
  kept.sort((a, b) => sign * compare(a, b) || text(a.id, b.id));
  const bySeverity: Record<string, number> = {};
  for (const f of kept) bySeverity[f.severity] = (bySeverity[f.severity] ?? 0) + 1;
  const offset = options.offset ?? 0;
  const page = kept.slice(offset, options.limit === undefined ? undefined : offset + options.limit);
  return { page, total: kept.length, bySeverity };
}

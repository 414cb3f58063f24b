/**
 * The finding history and triage as rows, whatever database keeps them: what the SQLite and
 * PostgreSQL finding stores read back, turned into the port's values the same way.
 */
import type { FindingHistory, TriageDecision, TriageState } from '../check/finding-history.js';

/** One row of finding_history. */
export interface HistoryRow {
  id: string;
  first_seen: string;
  last_seen: string;
  first_run: string;
  last_run: string;
  resolved_at: string | null;
}

/** One row of finding_triage, its decider read as `by`. */
export interface TriageRow {
  finding: string;
  state: string;
  by: string;
  at: string;
  reason: string;
  until: string | null;
}

export function historyOf(row: HistoryRow): FindingHistory {
  return {
    id: row.id,
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
    firstRun: row.first_run,
    lastRun: row.last_run,
    ...(row.resolved_at === null ? {} : { resolvedAt: row.resolved_at }),
  };
}

/** Triage decisions by finding, each finding's in the order they were made. */
export function triageByFinding(rows: Iterable<TriageRow>): Map<string, TriageDecision[]> {
  const out = new Map<string, TriageDecision[]>();
  for (const row of rows) {
    const decision: TriageDecision = {
      finding: row.finding,
      state: row.state as TriageState,
      by: row.by,
      at: row.at,
      reason: row.reason,
      ...(row.until === null ? {} : { until: row.until }),
    };
    const list = out.get(row.finding);
    if (list === undefined) out.set(row.finding, [decision]);
    else list.push(decision);
  }
  return out;
}

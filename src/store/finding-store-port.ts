/**
 * The storage port of finding history and triage: what `nospy check` and `nospy serve` record
 * after each check run, and the analyst's triage decisions. `SqliteFindingStore`
 * (`sqlite/sqlite-finding-store.ts`) is the embedded adapter; a PostgreSQL adapter implements the
 * same interface. What a run does to the history is decided in `src/check/finding-history.ts`.
 */
import type { Finding } from '../check/finding.js';
import type { FindingHistory, TriageDecision } from '../check/finding-history.js';

export interface FindingStorePort {
  /**
   * Records one check run evaluated at `runAt` (ISO 8601): each finding seen (first seen kept
   * from earlier runs), and every unresolved finding it did not report resolved, in one
   * transaction. Returns the history of the findings it reported, by id.
   */
  recordRun(runAt: string, findings: readonly Finding[]): Promise<Map<string, FindingHistory>>;
  /** The history of every finding ever recorded, by id. */
  histories(): Promise<Map<string, FindingHistory>>;
  /** The last recorded version of a finding, also after it was resolved. */
  lastVersion(id: string): Promise<Finding | undefined>;
  /** Appends a decision (decisions are history: none is edited or removed). */
  addTriage(decision: TriageDecision): Promise<void>;
  /** Every decision, by finding id, each list oldest first. */
  triage(): Promise<Map<string, TriageDecision[]>>;
  close(): Promise<void>;
}

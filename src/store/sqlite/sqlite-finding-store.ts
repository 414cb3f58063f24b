import { storeCall } from './store-call.js';
import type { Finding } from '../../check/finding.js';
import {
  resolvedBy,
  seenInRun,
  type FindingHistory,
  type TriageDecision,
} from '../../check/finding-history.js';
import type { FindingStorePort } from '../finding-store-port.js';
import { openDatabase, type SqliteDatabase } from './database.js';
import { historyOf, triageByFinding, type HistoryRow, type TriageRow } from '../finding-rows.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS finding_history (
  id TEXT PRIMARY KEY,
  first_seen TEXT NOT NULL,
  last_seen TEXT NOT NULL,
  first_run TEXT NOT NULL,
  last_run TEXT NOT NULL,
  resolved_at TEXT,
  finding TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS finding_triage (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  finding TEXT NOT NULL,
  state TEXT NOT NULL,
  by TEXT NOT NULL,
  at TEXT NOT NULL,
  reason TEXT NOT NULL,
  until TEXT
);
CREATE INDEX IF NOT EXISTS finding_triage_by_finding ON finding_triage (finding, seq);
`;

/**
 * Finding history and triage in `<dataDir>/nospy.db`, beside the log's tables. A run is one
 * transaction: a reader sees the history before it or after it, never half of it.
 */
export class SqliteFindingStore implements FindingStorePort {
  readonly #db: SqliteDatabase;
  readonly #record: (runAt: string, findings: readonly Finding[]) => Map<string, FindingHistory>;
  readonly #all;
  readonly #version;
  readonly #addTriage;
  readonly #triage;
  #closed = false;

  constructor(dataDir: string) {
    this.#db = openDatabase(dataDir);
    this.#db.exec(SCHEMA);
    const all = this.#db.prepare<[], HistoryRow>(
      'SELECT id, first_seen, last_seen, first_run, last_run, resolved_at FROM finding_history',
    );
    const put = this.#db.prepare(
      `INSERT INTO finding_history (id, first_seen, last_seen, first_run, last_run, resolved_at, finding)
       VALUES (?, ?, ?, ?, ?, NULL, ?)
       ON CONFLICT (id) DO UPDATE SET first_seen = excluded.first_seen, last_seen = excluded.last_seen,
         first_run = excluded.first_run, last_run = excluded.last_run, resolved_at = NULL,
         finding = excluded.finding`,
    );
    const resolve = this.#db.prepare('UPDATE finding_history SET resolved_at = ? WHERE id = ?');
    this.#all = all;
    this.#version = this.#db.prepare<[string], { finding: string }>(
      'SELECT finding FROM finding_history WHERE id = ?',
    );
    this.#record = this.#db.transaction((runAt: string, findings: readonly Finding[]) => {
      const before = new Map(all.all().map((row) => [row.id, historyOf(row)]));
      const seen = new Map<string, FindingHistory>();
      for (const finding of findings) {
        if (seen.has(finding.id)) continue;
        const next = seenInRun(before.get(finding.id), finding, runAt);
        put.run(
          next.id,
          next.firstSeen,
          next.lastSeen,
          next.firstRun,
          next.lastRun,
          JSON.stringify(finding),
        );
        seen.set(finding.id, next);
      }
      for (const history of before.values()) {
        if (!seen.has(history.id) && resolvedBy(history, runAt)) resolve.run(runAt, history.id);
      }
      return seen;
    });
    this.#addTriage = this.#db.prepare(
      'INSERT INTO finding_triage (finding, state, by, at, reason, until) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.#triage = this.#db.prepare<[], TriageRow>(
      'SELECT finding, state, by, at, reason, until FROM finding_triage ORDER BY seq',
    );
  }

  recordRun(runAt: string, findings: readonly Finding[]): Promise<Map<string, FindingHistory>> {
    return this.#run('record the check run', () => this.#record(runAt, findings));
  }

  histories(): Promise<Map<string, FindingHistory>> {
    return this.#run('read the finding history', () => {
      return new Map(this.#all.all().map((row) => [row.id, historyOf(row)]));
    });
  }

  lastVersion(id: string): Promise<Finding | undefined> {
    return this.#run('read the finding history', () => {
      const row = this.#version.get(id);
      // Written by recordRun from a Finding; the store is the operator's own file.
      return row === undefined ? undefined : (JSON.parse(row.finding) as Finding);
    });
  }

  addTriage(decision: TriageDecision): Promise<void> {
    return this.#run('record the triage decision', () => {
      this.#addTriage.run(
        decision.finding,
        decision.state,
        decision.by,
        decision.at,
        decision.reason,
        decision.until ?? null,
      );
    });
  }

  triage(): Promise<Map<string, TriageDecision[]>> {
    return this.#run('read the triage decisions', () => {
      return triageByFinding(this.#triage.all());
    });
  }

  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      this.#db.close();
    }
    return Promise.resolve();
  }

  #run<T>(what: string, work: () => T): Promise<T> {
    return storeCall(this.#closed, what, work);
  }
}
